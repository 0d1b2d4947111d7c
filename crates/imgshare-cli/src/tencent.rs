//! `imgshare tencent ...`: share, unshare, list, images.

use std::time::Duration;

use clap::{Args, ValueEnum};
use imgshare::plan::{CredentialSource, ProviderKind, ProviderSpec};
use imgshare_core::{RetryConfig, TimeoutConfig};
use imgshare_tencent::types::DescribeImageSharePermissionOutput;
use imgshare_tencent::{Client, Filter, Image, ImageType, ShareOutcome};
use serde_json::{Value, json};

use crate::cli::{Cli, ImageTypeArg, ModifyArgs, OutputFormat, TencentCommand};
use crate::failure::Failure;
use crate::output::{announce, emit, json_line, line, table};

/// Exit statuses of the tencent commands, shown by each one's `--help`.
pub(crate) const EXIT_STATUSES: &str = "\
Exit status:
  0  success (for share: also when every account was already shared with)
  2  usage error: bad arguments, missing region, input rejected before sending
  3  service error: Tencent answered with an error code
  4  network or transport error: connect failure, timeout, unreadable response
  5  credentials error: none found, or invalid (also an unknown --profile)
  1  anything else
Timeouts: each attempt at most 60 s, each operation (retries included) 180 s;
--timeout S sets the operation's, --retries N the retries (default 2).
With --output json a failure is one JSON document on stderr:
  {\"error\":{\"exit_status\",\"class\",\"code\",\"message\",\"request_id\",\"description\"}}";

/// Options of every tencent command (`imgshare tencent --profile work share ...` or
/// `imgshare tencent share ... --profile work`).
#[derive(Debug, Args)]
pub(crate) struct TencentOptions {
    /// Use tccli's profile NAME: credentials from ~/.tccli/NAME.credential, region, language
    /// and cvm.endpoint from ~/.tccli/NAME.configure (flags and variables still win).
    #[arg(long, global = true, value_name = "NAME")]
    pub(crate) profile: Option<String>,

    /// The language of Tencent's error messages (X-TC-Language); Tencent's default is zh-CN.
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub(crate) language: Option<LanguageArg>,

    /// Give up on each request after this many seconds, retries included (default 180; each
    /// attempt at most 60).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = parse_seconds)]
    pub(crate) timeout: Option<Duration>,

    /// Retry retryable failures (throttling, transient network errors) this many times
    /// (default 2; 0 disables retries). Shares are never retried once they may have arrived.
    #[arg(long, global = true, value_name = "N")]
    pub(crate) retries: Option<u32>,
}

/// `--language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LanguageArg {
    /// Simplified Chinese (Tencent's default).
    #[value(name = "zh-CN")]
    ZhCn,
    /// English.
    #[value(name = "en-US")]
    EnUs,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err("must be more than 0 and at most 86400 seconds".to_owned());
    }
    Ok(Duration::from_secs_f64(secs))
}

/// `images` filters (DescribeImages `Filters`; AND between filters, OR within one).
#[derive(Debug, Args)]
pub(crate) struct ImagesArgs {
    /// Only images of this type (shared = shared with you by other accounts).
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub(crate) image_type: Option<ImageTypeArg>,

    /// Only these image ids (repeat or separate with commas; filter image-id).
    #[arg(
        long = "image",
        alias = "image-id",
        value_name = "IMAGE_ID",
        value_delimiter = ','
    )]
    pub(crate) image_ids: Vec<String>,

    /// Only images whose name contains this (filter image-name).
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,

    /// Only images of this platform, e.g. Ubuntu, TencentOS (filter platform).
    #[arg(long, value_name = "PLATFORM")]
    pub(crate) platform: Option<String>,

    /// Only images with this tag, KEY or KEY=VALUE (filters tag-key, tag:KEY); repeatable.
    #[arg(long = "tag", value_name = "KEY[=VALUE]")]
    pub(crate) tags: Vec<String>,

    /// Only images usable by this instance type, e.g. SA5.MEDIUM2 (InstanceType).
    #[arg(long, value_name = "TYPE")]
    pub(crate) instance_type: Option<String>,

    /// Any other documented filter, NAME=VALUE[,VALUE...] (e.g. image-family=ubuntu); repeatable.
    #[arg(long = "filter", value_name = "NAME=VALUES")]
    pub(crate) filters: Vec<String>,

    /// Images asked for per request, 1 to 100 (default 100).
    #[arg(long, value_name = "N")]
    pub(crate) page_size: Option<u64>,
}

/// Runs one tencent command and prints its result.
pub(crate) async fn run(
    cli: &Cli,
    options: &TencentOptions,
    command: &TencentCommand,
) -> Result<(), Failure> {
    let client = client(cli, options).await?;
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
        TencentCommand::Images(args) => {
            let mut request = client.describe_images();
            for filter in filters(args)? {
                request = request.filter(filter);
            }
            if let Some(t) = &args.instance_type {
                request = request.instance_type(t);
            }
            let mut pages = request.into_paginator();
            if let Some(n) = args.page_size {
                pages = pages.page_size(n);
            }
            let images = pages.items().try_collect().await?;
            render_images(&images, cli.output)
        }
    };
    emit(&text, cli.output)
}

/// The `images` flags as DescribeImages filters.
fn filters(args: &ImagesArgs) -> Result<Vec<Filter>, Failure> {
    let mut out = Vec::new();
    if let Some(t) = args.image_type {
        out.push(Filter::image_type(ImageType::from(t)));
    }
    if !args.image_ids.is_empty() {
        out.push(Filter::new("image-id", args.image_ids.clone()));
    }
    if let Some(n) = &args.name {
        out.push(Filter::new("image-name", [n.clone()]));
    }
    if let Some(p) = &args.platform {
        out.push(Filter::new("platform", [p.clone()]));
    }
    for tag in &args.tags {
        match tag.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.push(Filter::new(format!("tag:{k}"), [v.to_owned()]))
            }
            None if !tag.is_empty() => out.push(Filter::new("tag-key", [tag.clone()])),
            _ => {
                return Err(Failure::Usage(format!(
                    "--tag {tag:?}: expected KEY or KEY=VALUE"
                )));
            }
        }
    }
    for filter in &args.filters {
        let Some((name, values)) = filter
            .split_once('=')
            .filter(|(n, v)| !n.is_empty() && !v.is_empty())
        else {
            return Err(Failure::Usage(format!(
                "--filter {filter:?}: expected NAME=VALUE[,VALUE...]"
            )));
        };
        out.push(Filter::new(name, values.split(',').map(str::to_owned)));
    }
    Ok(out)
}

/// The client for the global flags and `--profile` / `--language` / `--timeout` /
/// `--retries`, through the resolver every command shares.
async fn client(cli: &Cli, options: &TencentOptions) -> Result<Client, Failure> {
    let mut spec = ProviderSpec::new("tencent", ProviderKind::Tencent);
    if let Some(name) = &options.profile {
        spec.credentials = CredentialSource::Profile(name.clone());
    }
    let mut overrides = cli.overrides();
    overrides.language = options.language.map(|l| {
        match l {
            LanguageArg::ZhCn => "zh-CN",
            LanguageArg::EnUs => "en-US",
        }
        .to_owned()
    });
    overrides.timeouts = options.timeout.map(|limit| {
        TimeoutConfig::default()
            .with_operation(Some(limit))
            .with_attempt(Some(limit.min(Duration::from_secs(60))))
    });
    overrides.retry = options
        .retries
        .map(|n| RetryConfig::standard().with_max_attempts(n.saturating_add(1)));
    let connection = imgshare::connect::tencent(&spec, &overrides).await?;
    announce([&connection.target]);
    Ok(connection.client)
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
    let outcome = match change {
        // Safe to re-run: accounts already shared with count as done.
        Change::Share => client.share_image_with(&args.image, &args.accounts).await?,
        Change::Unshare => {
            let out = client
                .unshare_image()
                .image_id(&args.image)
                .set_account_ids(Some(args.accounts.clone()))
                .send()
                .await?;
            unshared(&args.accounts, out.request_id)
        }
    };
    let applied = summary(change, &args.image, &outcome);
    tracing::debug!("{applied}");
    let listing = client
        .describe_image_share_permission()
        .image_id(&args.image)
        .send()
        .await
        .map_err(|error| Failure::partial(applied.clone(), "listing the shares", error))?;
    let change = Applied {
        action: match change {
            Change::Share => "share",
            Change::Unshare => "unshare",
        },
        accounts: &args.accounts,
        outcome: &outcome,
        summary: &applied,
    };
    Ok(render_listing(&args.image, &listing, Some(change), output))
}

/// The outcome of an unshare, in the share outcome's shape (`newly_shared`: the accounts
/// unshared).
fn unshared(accounts: &[String], request_id: String) -> ShareOutcome {
    let mut outcome = ShareOutcome::default();
    outcome.newly_shared = accounts.to_vec();
    outcome.request_id = Some(request_id);
    outcome
}

/// `shared img-x with A, B (request id R)`, plus `; already shared with C`, or
/// `img-x was already shared with A, B; nothing changed`.
fn summary(change: Change, image: &str, outcome: &ShareOutcome) -> String {
    let verb = match change {
        Change::Share => "shared",
        Change::Unshare => "unshared",
    };
    let mut text = String::new();
    if !outcome.newly_shared.is_empty() {
        text.push_str(&format!(
            "{verb} {image} with {} (request id {})",
            outcome.newly_shared.join(", "),
            outcome.request_id.as_deref().unwrap_or("none")
        ));
    }
    if !outcome.already_shared.is_empty() {
        if text.is_empty() {
            text.push_str(&format!(
                "{image} was already shared with {}; nothing changed",
                outcome.already_shared.join(", ")
            ));
        } else {
            text.push_str(&format!(
                "; already shared with {}",
                outcome.already_shared.join(", ")
            ));
        }
    }
    text
}

/// A share or unshare that was applied.
struct Applied<'a> {
    action: &'static str,
    accounts: &'a [String],
    outcome: &'a ShareOutcome,
    summary: &'a str,
}

/// `list`, and the tail of `share` / `unshare`.
///
/// JSON: `{"image_id", "shared_with": [{"account_id", "created_time"}], "request_id"}`; after a
/// change `request_id` is the change's (`null` when nothing needed changing), and `action`,
/// `accounts`, `list_request_id` and, for share, `newly_shared` and `already_shared` are added.
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
                Some(c) => {
                    let mut doc = json!({
                        "image_id": image_id,
                        "action": c.action,
                        "accounts": c.accounts,
                        "shared_with": shared_with,
                        "request_id": c.outcome.request_id,
                        "list_request_id": listing.request_id,
                    });
                    if c.action == "share" {
                        doc["newly_shared"] = json!(c.outcome.newly_shared);
                        doc["already_shared"] = json!(c.outcome.already_shared);
                    }
                    doc
                }
            };
            json_line(&document)
        }
        OutputFormat::Text => {
            let mut out = String::new();
            if let Some(c) = change {
                line(&mut out, c.summary);
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
