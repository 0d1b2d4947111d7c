//! `imgshare ncloud ...`: share, unshare, set, list, images on NAVER Cloud Platform, for the
//! three API families (`--api server-image|member-image|classic`).

use clap::{Args, Subcommand, ValueEnum};
use imgshare::plan::{ProviderKind, ProviderSpec};
use imgshare_ncloud::{Client, NcloudError};
use serde_json::{Value, json};

use crate::cli::{Cli, OutputFormat};
use crate::failure::Failure;
use crate::output::{announce, emit, json_line, line, table};

/// NCP commands.
#[derive(Debug, Subcommand)]
pub(crate) enum NcloudCommand {
    /// Share an image with NCP accounts (login ids), then print whom it is shared with.
    Share(NcloudModifyArgs),
    /// Stop sharing an image with accounts, then print whom it is still shared with.
    Unshare(NcloudModifyArgs),
    /// Replace the accounts an image is shared with (member-image and classic only).
    Set(NcloudModifyArgs),
    /// Print the accounts an image is shared with.
    List(NcloudImageArg),
    /// List images (all pages) of one API family.
    Images {
        /// The API family.
        #[arg(long, value_enum, default_value_t = Api::ServerImage)]
        api: Api,
    },
}

/// The NCP API family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Api {
    /// VPC server images (`serverImageNo`; XEN and KVM).
    ServerImage,
    /// VPC member server image instances (`memberServerImageInstanceNo`; XEN only).
    MemberImage,
    /// Classic member server images (`memberServerImageNo`).
    Classic,
}

impl Api {
    fn as_str(self) -> &'static str {
        match self {
            Api::ServerImage => "server-image",
            Api::MemberImage => "member-image",
            Api::Classic => "classic",
        }
    }
}

/// `--image`, `--account` and `--api`.
#[derive(Debug, Args)]
pub(crate) struct NcloudModifyArgs {
    /// The image number (digits).
    #[arg(long, alias = "image-no", value_name = "IMAGE_NO")]
    pub(crate) image: String,

    /// An NCP account login id (an e-mail address); repeat the flag, give several values, or
    /// separate with commas.
    #[arg(
        long = "account",
        alias = "accounts",
        value_name = "LOGIN_ID",
        required = true,
        num_args = 1..,
        value_delimiter = ','
    )]
    pub(crate) accounts: Vec<String>,

    /// The API family.
    #[arg(long, value_enum, default_value_t = Api::ServerImage)]
    pub(crate) api: Api,
}

/// `--image` and `--api`.
#[derive(Debug, Args)]
pub(crate) struct NcloudImageArg {
    /// The image number (digits).
    #[arg(long, alias = "image-no", value_name = "IMAGE_NO")]
    pub(crate) image: String,

    /// The API family.
    #[arg(long, value_enum, default_value_t = Api::ServerImage)]
    pub(crate) api: Api,
}

/// One image's sharing, whatever the family.
struct Shares {
    image_no: String,
    name: String,
    status: String,
    share_status: String,
    shared_with: Vec<String>,
    created: Option<String>,
}

/// Runs one ncloud command and prints its result.
pub(crate) async fn run(cli: &Cli, command: &NcloudCommand) -> Result<(), Failure> {
    let client = client(cli).await?;
    let text = match command {
        NcloudCommand::Share(args) => modify(&client, Change::Add, args, cli.output).await?,
        NcloudCommand::Unshare(args) => modify(&client, Change::Remove, args, cli.output).await?,
        NcloudCommand::Set(args) => {
            if args.api == Api::ServerImage {
                return Err(Failure::Usage(
                    "`ncloud set` needs --api member-image or --api classic: the VPC server-image \
                     API has no set call (use share and unshare)"
                        .to_owned(),
                ));
            }
            modify(&client, Change::Set, args, cli.output).await?
        }
        NcloudCommand::List(args) => {
            let (shares, request_id) = detail(&client, args.api, &args.image)
                .await
                .map_err(failure)?;
            render_listing(
                &args.image,
                args.api,
                &shares,
                &request_id,
                None,
                cli.output,
            )
        }
        NcloudCommand::Images { api } => {
            let images = images(&client, *api).await.map_err(failure)?;
            render_images(*api, &images, cli.output)
        }
    };
    emit(&text, cli.output)
}

/// The client for the global flags, through the resolver every command shares.
async fn client(cli: &Cli) -> Result<Client, Failure> {
    let spec = ProviderSpec::new("ncloud", ProviderKind::Ncloud);
    let connection = imgshare::connect::ncloud(&spec, &cli.overrides()).await?;
    announce([&connection.target]);
    Ok(connection.client)
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Add,
    Remove,
    Set,
}

impl Change {
    fn action(self) -> &'static str {
        match self {
            Change::Add => "share",
            Change::Remove => "unshare",
            Change::Set => "set",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Change::Add => "shared",
            Change::Remove => "unshared",
            Change::Set => "set the shares of",
        }
    }
}

/// Applies the change and returns its request id.
async fn apply(
    client: &Client,
    change: Change,
    api: Api,
    image: &str,
    accounts: &[String],
) -> Result<String, NcloudError> {
    let ids = Some(accounts.to_vec());
    Ok(match (api, change) {
        (Api::ServerImage, Change::Add) => {
            client
                .add_server_image_sharing_permission()
                .server_image_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::ServerImage, Change::Remove | Change::Set) => {
            client
                .remove_server_image_sharing_permission()
                .server_image_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::MemberImage, Change::Add) => {
            client
                .add_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::MemberImage, Change::Remove) => {
            client
                .remove_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::MemberImage, Change::Set) => {
            client
                .set_member_server_image_sharing_permission()
                .member_server_image_instance_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::Classic, Change::Add) => {
            client
                .classic_add_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::Classic, Change::Remove) => {
            client
                .classic_remove_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
        (Api::Classic, Change::Set) => {
            client
                .classic_set_member_server_image_sharing_permission()
                .member_server_image_no(image)
                .set_target_login_ids(ids)
                .send()
                .await?
                .request_id
        }
    })
}

/// One image's shares, and the request id of the call that read them.
async fn detail(client: &Client, api: Api, image: &str) -> Result<(Shares, String), NcloudError> {
    // An answer without the image is NCP saying it does not exist (or is not this account's):
    // a not-found service error (exit 3) like 1104037, not bad input.
    let not_found = |image: &str, request_id: &str| {
        let error = imgshare_core::ServiceError::new(
            imgshare_ncloud::error::codes::SERVER_IMAGE_NOT_FOUND,
            format!("image {image} was not in the answer"),
            200,
            imgshare_core::ErrorKind::Client,
        )
        .with_request_id(Some(request_id.to_owned()).filter(|r| !r.is_empty()));
        NcloudError::from(imgshare_core::Error::Service(error))
    };
    match api {
        Api::ServerImage => {
            let out = client
                .get_server_image_detail()
                .server_image_no(image)
                .send()
                .await?;
            let i = out
                .server_image_list
                .iter()
                .find(|i| i.server_image_no == image)
                .ok_or_else(|| not_found(image, &out.request_id))?;
            Ok((server_shares(i), out.request_id))
        }
        Api::MemberImage => {
            let out = client
                .get_member_server_image_instance_detail()
                .member_server_image_instance_no(image)
                .send()
                .await?;
            let i = out
                .member_server_image_instance_list
                .iter()
                .find(|i| i.member_server_image_instance_no == image)
                .ok_or_else(|| not_found(image, &out.request_id))?;
            Ok((member_shares(i), out.request_id))
        }
        Api::Classic => {
            let out = client
                .classic_get_member_server_image_list()
                .member_server_image_no(image)
                .send()
                .await?;
            let i = out
                .member_server_image_list
                .iter()
                .find(|i| i.member_server_image_no == image)
                .ok_or_else(|| not_found(image, &out.request_id))?;
            Ok((classic_shares(i), out.request_id))
        }
    }
}

fn code<T: std::fmt::Display>(c: Option<&imgshare_ncloud::Code<T>>) -> String {
    c.map(|c| c.code.to_string()).unwrap_or_default()
}

fn server_shares(i: &imgshare_ncloud::ServerImage) -> Shares {
    Shares {
        image_no: i.server_image_no.clone(),
        name: i.server_image_name.clone(),
        status: code(i.server_image_status.as_ref()),
        share_status: code(i.share_status.as_ref()),
        shared_with: i.shared_login_id_list.clone(),
        created: i.create_date.clone(),
    }
}

fn member_shares(i: &imgshare_ncloud::MemberServerImageInstance) -> Shares {
    Shares {
        image_no: i.member_server_image_instance_no.clone(),
        name: i.member_server_image_name.clone(),
        status: code(i.member_server_image_instance_status.as_ref()),
        share_status: code(i.share_status.as_ref()),
        shared_with: i.shared_login_id_list.clone(),
        created: i.create_date.clone(),
    }
}

fn classic_shares(i: &imgshare_ncloud::MemberServerImage) -> Shares {
    Shares {
        image_no: i.member_server_image_no.clone(),
        name: i.member_server_image_name.clone(),
        status: code(i.member_server_image_status.as_ref()),
        share_status: code(i.share_status.as_ref()),
        shared_with: i.shared_login_id_list.clone(),
        created: i.create_date.clone(),
    }
}

async fn images(client: &Client, api: Api) -> Result<Vec<Shares>, NcloudError> {
    Ok(match api {
        Api::ServerImage => client
            .get_server_image_list()
            .into_paginator()
            .collect_all()
            .await?
            .iter()
            .map(server_shares)
            .collect(),
        Api::MemberImage => client
            .get_member_server_image_instance_list()
            .into_paginator()
            .collect_all()
            .await?
            .iter()
            .map(member_shares)
            .collect(),
        Api::Classic => client
            .classic_get_member_server_image_list()
            .into_paginator()
            .collect_all()
            .await?
            .iter()
            .map(classic_shares)
            .collect(),
    })
}

/// Changes the shares, then lists them.
async fn modify(
    client: &Client,
    change: Change,
    args: &NcloudModifyArgs,
    output: OutputFormat,
) -> Result<String, Failure> {
    let request_id = apply(client, change, args.api, &args.image, &args.accounts)
        .await
        .map_err(failure)?;
    let applied = match change {
        Change::Set => format!(
            "{} {} to {} (request id {request_id})",
            change.verb(),
            args.image,
            args.accounts.join(", ")
        ),
        _ => format!(
            "{} {} with {} (request id {request_id})",
            change.verb(),
            args.image,
            args.accounts.join(", ")
        ),
    };
    tracing::debug!("{applied}");
    let (shares, list_request_id) = detail(client, args.api, &args.image)
        .await
        .map_err(|error| Failure::partial(applied.clone(), "listing the shares", error))?;
    let applied = Applied {
        action: change.action(),
        accounts: &args.accounts,
        request_id: &request_id,
        list_request_id: &list_request_id,
        summary: &applied,
    };
    Ok(render_listing(
        &args.image,
        args.api,
        &shares,
        &list_request_id,
        Some(applied),
        output,
    ))
}

/// A change that was applied.
struct Applied<'a> {
    action: &'static str,
    accounts: &'a [String],
    request_id: &'a str,
    list_request_id: &'a str,
    summary: &'a str,
}

/// `list`, and the tail of `share` / `unshare` / `set`.
///
/// JSON: `{"image_no", "api", "share_status", "shared_with": [login ids], "request_id"}`; after
/// a change `request_id` is the change's, and `action`, `accounts` and `list_request_id` are
/// added.
fn render_listing(
    image: &str,
    api: Api,
    shares: &Shares,
    request_id: &str,
    change: Option<Applied<'_>>,
    output: OutputFormat,
) -> String {
    match output {
        OutputFormat::Json => {
            let document = match change {
                None => json!({
                    "image_no": image,
                    "api": api.as_str(),
                    "share_status": shares.share_status,
                    "shared_with": shares.shared_with,
                    "request_id": request_id,
                }),
                Some(c) => json!({
                    "image_no": image,
                    "api": api.as_str(),
                    "action": c.action,
                    "accounts": c.accounts,
                    "share_status": shares.share_status,
                    "shared_with": shares.shared_with,
                    "request_id": c.request_id,
                    "list_request_id": c.list_request_id,
                }),
            };
            json_line(&document)
        }
        OutputFormat::Text => {
            let mut out = String::new();
            if let Some(c) = change {
                line(&mut out, c.summary);
            }
            let n = shares.shared_with.len();
            if n == 0 {
                out.push_str(&format!("{image} is not shared with any account\n"));
            } else {
                let noun = if n == 1 { "account" } else { "accounts" };
                out.push_str(&format!("{image} is shared with {n} {noun}:\n"));
                for id in &shares.shared_with {
                    line(&mut out, &format!("  {id}"));
                }
            }
            out
        }
    }
}

/// `images`: a table (number, status, shared, name) or a JSON array.
fn render_images(api: Api, images: &[Shares], output: OutputFormat) -> String {
    match output {
        OutputFormat::Json => {
            let array: Vec<Value> = images
                .iter()
                .map(|i| {
                    json!({
                        "image_no": i.image_no,
                        "api": api.as_str(),
                        "name": i.name,
                        "status": i.status,
                        "share_status": i.share_status,
                        "shared_with": i.shared_with,
                        "create_date": i.created,
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
                "IMAGE NO".to_owned(),
                "STATUS".to_owned(),
                "SHARE".to_owned(),
                "NAME".to_owned(),
            ]];
            rows.extend(images.iter().map(|i| {
                vec![
                    i.image_no.clone(),
                    i.status.clone(),
                    i.share_status.clone(),
                    i.name.clone(),
                ]
            }));
            table(&rows)
        }
    }
}

/// An NCP error as a CLI failure (see `Failure`'s conversions).
fn failure(e: NcloudError) -> Failure {
    Failure::from(e)
}
