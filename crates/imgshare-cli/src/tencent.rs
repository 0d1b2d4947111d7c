//! `imgshare tencent ...`: share, unshare, list, images.

use imgshare_tencent::types::DescribeImageSharePermissionOutput;
use imgshare_tencent::{Client, Config, Filter, Image, ImageType};
use serde_json::{Value, json};

use crate::cli::{Cli, ModifyArgs, OutputFormat, TencentCommand};
use crate::failure::Failure;
use crate::output::{emit, json_line, table};

/// Runs one tencent command and prints its result.
pub(crate) async fn run(cli: &Cli, command: &TencentCommand) -> Result<(), Failure> {
    let client = client(cli)?;
    let text = match command {
        TencentCommand::Share(args) => modify(&client, Change::Share, args, cli.output).await?,
        TencentCommand::Unshare(args) => modify(&client, Change::Unshare, args, cli.output).await?,
        TencentCommand::List(args) => {
            let listing = client
                .describe_image_share_permission()
                .image_id(&args.image)
                .send()
                .await?;
            render_listing(&args.image, &listing, None, cli.output)
        }
        TencentCommand::Images { image_type } => {
            let mut request = client.describe_images();
            if let Some(t) = image_type {
                request = request.filter(Filter::image_type(ImageType::from(*t)));
            }
            let images = request.into_paginator().collect_all().await?;
            render_images(&images, cli.output)
        }
    };
    emit(&text)
}

/// A client for `--region` / `--endpoint`, with the default credentials chain.
fn client(cli: &Cli) -> Result<Client, Failure> {
    let region = cli
        .region
        .as_deref()
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            Failure::Usage(
                "tencent commands need a region: pass --region (e.g. --region ap-guangzhou) \
                 or set TENCENTCLOUD_REGION"
                    .to_owned(),
            )
        })?;
    let mut builder = Config::builder().region(region);
    if let Some(endpoint) = &cli.endpoint {
        builder = builder.endpoint_url(endpoint.as_str());
    }
    Ok(Client::new(builder.build()?)?)
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Share,
    Unshare,
}

/// Shares or unshares, then lists the image's shares.
async fn modify(
    client: &Client,
    change: Change,
    args: &ModifyArgs,
    output: OutputFormat,
) -> Result<String, Failure> {
    let accounts = Some(args.accounts.clone());
    let (result, verb) = match change {
        Change::Share => (
            client
                .share_image()
                .image_id(&args.image)
                .set_account_ids(accounts)
                .send()
                .await,
            "shared",
        ),
        Change::Unshare => (
            client
                .unshare_image()
                .image_id(&args.image)
                .set_account_ids(accounts)
                .send()
                .await,
            "unshared",
        ),
    };
    let changed = result?;
    let applied = format!(
        "{verb} {} with {} (request id {})",
        args.image,
        args.accounts.join(", "),
        changed.request_id
    );
    tracing::debug!("{applied}");
    let listing = client
        .describe_image_share_permission()
        .image_id(&args.image)
        .send()
        .await
        .map_err(|error| Failure::Partial {
            applied: applied.clone(),
            step: "listing the shares",
            error: Box::new(error),
        })?;
    let change = Applied {
        action: match change {
            Change::Share => "share",
            Change::Unshare => "unshare",
        },
        accounts: &args.accounts,
        request_id: &changed.request_id,
        summary: &applied,
    };
    Ok(render_listing(&args.image, &listing, Some(change), output))
}

/// A share or unshare that was applied.
struct Applied<'a> {
    action: &'static str,
    accounts: &'a [String],
    request_id: &'a str,
    summary: &'a str,
}

/// `list`, and the tail of `share` / `unshare`.
///
/// JSON: `{"image_id", "shared_with": [{"account_id", "created_time"}], "request_id"}`; after a
/// change `request_id` is the change's, and `action`, `accounts` and `list_request_id` are added.
fn render_listing(
    image_id: &str,
    listing: &DescribeImageSharePermissionOutput,
    change: Option<Applied<'_>>,
    output: OutputFormat,
) -> String {
    match output {
        OutputFormat::Json => {
            let shared_with: Vec<Value> = listing
                .share_permissions
                .iter()
                .map(|p| json!({"account_id": p.account_id, "created_time": p.created_time}))
                .collect();
            let document = match change {
                None => json!({
                    "image_id": image_id,
                    "shared_with": shared_with,
                    "request_id": listing.request_id,
                }),
                Some(c) => json!({
                    "image_id": image_id,
                    "action": c.action,
                    "accounts": c.accounts,
                    "shared_with": shared_with,
                    "request_id": c.request_id,
                    "list_request_id": listing.request_id,
                }),
            };
            json_line(&document)
        }
        OutputFormat::Text => {
            let mut out = String::new();
            if let Some(c) = change {
                out.push_str(c.summary);
                out.push('\n');
            }
            let n = listing.share_permissions.len();
            if n == 0 {
                out.push_str(&format!("{image_id} is not shared with any account\n"));
            } else {
                let noun = if n == 1 { "account" } else { "accounts" };
                out.push_str(&format!("{image_id} is shared with {n} {noun}:\n"));
                let rows: Vec<Vec<String>> = listing
                    .share_permissions
                    .iter()
                    .map(|p| {
                        vec![
                            format!("  {}", p.account_id),
                            match &p.created_time {
                                Some(t) => format!("shared {t}"),
                                None => "shared (time not reported)".to_owned(),
                            },
                        ]
                    })
                    .collect();
                out.push_str(&table(&rows));
            }
            out
        }
    }
}

/// `images`: a table (id, type, state, name) or a JSON array.
fn render_images(images: &[Image], output: OutputFormat) -> String {
    match output {
        OutputFormat::Json => {
            let array: Vec<Value> = images
                .iter()
                .map(|i| {
                    json!({
                        "image_id": i.image_id,
                        "image_type": i.image_type.as_str(),
                        "image_state": i.image_state.as_str(),
                        "image_name": i.image_name,
                        "os_name": i.os_name,
                        "platform": i.platform,
                        "architecture": i.architecture,
                        "image_size_gib": i.image_size,
                        "image_creator": i.image_creator,
                        "created_time": i.created_time,
                    })
                })
                .collect();
            json_line(&Value::Array(array))
        }
        OutputFormat::Text => {
            if images.is_empty() {
                return "no images\n".to_owned();
            }
            let mut rows = vec![vec![
                "IMAGE ID".to_owned(),
                "TYPE".to_owned(),
                "STATE".to_owned(),
                "NAME".to_owned(),
            ]];
            rows.extend(images.iter().map(|i| {
                vec![
                    i.image_id.clone(),
                    i.image_type.as_str().to_owned(),
                    i.image_state.as_str().to_owned(),
                    i.image_name.clone(),
                ]
            }));
            table(&rows)
        }
    }
}
