//! `imgshare scp ...`: share, unshare, list, accept, reject, pending, images on Samsung Cloud
//! Platform v2 (virtualserver image members).

use clap::{Args, Subcommand, ValueEnum};
use imgshare::plan::{ProviderKind, ProviderSpec};
use imgshare_scp::{Client, Image, ImageMember, MemberStatus, ScpError, ShareOutcome, Visibility};
use serde_json::{Value, json};

use crate::cli::{Cli, OutputFormat};
use crate::failure::Failure;
use crate::output::{announce, emit, json_line, line, table};

/// Options of every scp command.
#[derive(Debug, Args)]
pub(crate) struct ScpOptions {
    /// The virtualserver API version sent in Scp-Api-Version: 1.3 (default) or 1.2
    /// (SCP_API_VERSION also works). 1.0 and 1.1 are retired and refused.
    #[arg(long, global = true, value_name = "VERSION")]
    pub(crate) api_version: Option<String>,

    /// The SCP environment: s, g or e (default e, or SCP_ENVIRONMENT). Chooses the host
    /// virtualserver.<region>.<environment>.samsungsdscloud.com.
    #[arg(long, global = true, value_name = "ENV")]
    pub(crate) environment: Option<String>,
}

/// Samsung Cloud Platform v2 commands.
#[derive(Debug, Subcommand)]
pub(crate) enum ScpCommand {
    /// Share an image with accounts (as the owner), then print its members.
    ///
    /// A 409 "already a member" is checked and reported as such, not as an error.
    Share {
        /// The image and accounts.
        #[command(flatten)]
        args: ScpModifyArgs,
        /// Set the image's visibility to shared first (SCP shares only shared images).
        #[arg(long)]
        make_shared: bool,
    },
    /// Stop sharing an image with accounts (as the owner), then print its members.
    Unshare(ScpModifyArgs),
    /// Print an image's members and their status (as the owner).
    List(ScpImageArg),
    /// Accept a share (as the recipient, with the recipient's credentials).
    Accept(ScpAnswerArgs),
    /// Reject a share (as the recipient, with the recipient's credentials).
    Reject(ScpAnswerArgs),
    /// List images shared with you that you have not accepted or rejected yet.
    Pending,
    /// List images (all pages).
    Images {
        /// Only images of this visibility.
        #[arg(long, value_enum)]
        visibility: Option<VisibilityArg>,
    },
}

/// `--image` and `--account`.
#[derive(Debug, Args)]
pub(crate) struct ScpModifyArgs {
    /// The image id, a UUID.
    #[arg(long, alias = "image-id", value_name = "IMAGE_ID")]
    pub(crate) image: String,

    /// A recipient account id; repeat the flag, give several values, or separate with commas.
    #[arg(
        long = "account",
        alias = "accounts",
        value_name = "ACCOUNT_ID",
        required = true,
        num_args = 1..,
        value_delimiter = ','
    )]
    pub(crate) accounts: Vec<String>,
}

/// `--image`.
#[derive(Debug, Args)]
pub(crate) struct ScpImageArg {
    /// The image id, a UUID.
    #[arg(long, alias = "image-id", value_name = "IMAGE_ID")]
    pub(crate) image: String,
}

/// `--image` and the recipient's own account id.
#[derive(Debug, Args)]
pub(crate) struct ScpAnswerArgs {
    /// The image id, a UUID.
    #[arg(long, alias = "image-id", value_name = "IMAGE_ID")]
    pub(crate) image: String,

    /// Your own account id (the member id); default SCP_ACCOUNT_ID, SCP_TF_ACCOUNT_ID or
    /// account-id in ~/.scpconf/config.json.
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub(crate) account: Option<String>,
}

/// A visibility, as `--visibility` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VisibilityArg {
    /// Only inside the owning account.
    Private,
    /// Shareable with other accounts (and those shared with you that you accepted).
    Shared,
    /// Public images.
    Public,
    /// Community images.
    Community,
}

impl From<VisibilityArg> for Visibility {
    fn from(v: VisibilityArg) -> Self {
        match v {
            VisibilityArg::Private => Visibility::Private,
            VisibilityArg::Shared => Visibility::Shared,
            VisibilityArg::Public => Visibility::Public,
            VisibilityArg::Community => Visibility::Community,
        }
    }
}

/// Runs one scp command and prints its result.
pub(crate) async fn run(
    cli: &Cli,
    options: &ScpOptions,
    command: &ScpCommand,
) -> Result<(), Failure> {
    let account = match command {
        ScpCommand::Accept(a) | ScpCommand::Reject(a) => a.account.as_deref(),
        _ => None,
    };
    let client = client(cli, options, account).await?;
    let text = match command {
        ScpCommand::Share { args, make_shared } => {
            share(&client, args, *make_shared, cli.output).await?
        }
        ScpCommand::Unshare(args) => unshare(&client, args, cli.output).await?,
        ScpCommand::List(args) => {
            let listing = client
                .list_image_members()
                .image_id(&args.image)
                .send()
                .await
                .map_err(failure)?;
            render_members(&args.image, &listing.members, None, cli.output)
        }
        ScpCommand::Accept(args) => {
            let m = client.accept_share(&args.image).await.map_err(failure)?;
            render_answer(&m, cli.output)
        }
        ScpCommand::Reject(args) => {
            let m = client.reject_share(&args.image).await.map_err(failure)?;
            render_answer(&m, cli.output)
        }
        ScpCommand::Pending => {
            let images = client
                .list_pending_images()
                .send()
                .await
                .map_err(failure)?
                .images;
            render_images(&images, cli.output)
        }
        ScpCommand::Images { visibility } => {
            let mut request = client.list_images();
            if let Some(v) = visibility {
                request = request.visibility(Visibility::from(*v));
            }
            let images = request
                .into_paginator()
                .collect_all()
                .await
                .map_err(failure)?;
            render_images(&images, cli.output)
        }
    };
    emit(&text, cli.output)
}

/// The client for the global flags, `--api-version`, `--environment` and the recipient's
/// `--account`, through the resolver every command shares.
async fn client(cli: &Cli, options: &ScpOptions, account: Option<&str>) -> Result<Client, Failure> {
    let spec = ProviderSpec::new("scp", ProviderKind::Scp);
    let mut overrides = cli.overrides();
    overrides.api_version = options.api_version.clone();
    overrides.environment = options.environment.clone();
    overrides.account_id = account.map(str::to_owned);
    let connection = imgshare::connect::scp(&spec, &overrides).await?;
    announce([&connection.target]);
    Ok(connection.client)
}

async fn share(
    client: &Client,
    args: &ScpModifyArgs,
    make_shared: bool,
    output: OutputFormat,
) -> Result<String, Failure> {
    let mut applied: Vec<String> = Vec::new();
    if make_shared {
        client
            .update_image()
            .image_id(&args.image)
            .visibility(Visibility::Shared)
            .send()
            .await
            .map_err(failure)?;
        applied.push(format!("set {} visibility to shared", args.image));
    }
    let mut results = Vec::new();
    for account in &args.accounts {
        let outcome = match client.share(&args.image, account).await {
            Ok(o) => o,
            Err(e) => return Err(partial(&applied, "sharing with", account, e)),
        };
        let verb = match &outcome {
            ShareOutcome::Added(_) => "shared",
            _ => "already shared",
        };
        applied.push(format!("{verb} {} with {account}", args.image));
        results.push((account.clone(), outcome));
    }
    let listing = client
        .list_image_members()
        .image_id(&args.image)
        .send()
        .await
        .map_err(|e| partial(&applied, "listing the members", "", e))?;
    let change = Change {
        action: "share",
        summary: applied.join("; "),
        results: results
            .iter()
            .map(|(a, o)| {
                json!({
                    "member_id": a,
                    "result": if o.is_newly_added() { "added" } else { "already_member" },
                    "status": o.member().status.as_str(),
                })
            })
            .collect(),
    };
    Ok(render_members(
        &args.image,
        &listing.members,
        Some(change),
        output,
    ))
}

async fn unshare(
    client: &Client,
    args: &ScpModifyArgs,
    output: OutputFormat,
) -> Result<String, Failure> {
    let mut applied = Vec::new();
    for account in &args.accounts {
        if let Err(e) = client
            .delete_image_member()
            .image_id(&args.image)
            .member_id(account)
            .send()
            .await
        {
            return Err(partial(&applied, "unsharing with", account, e));
        }
        applied.push(format!("unshared {} with {account}", args.image));
    }
    let listing = client
        .list_image_members()
        .image_id(&args.image)
        .send()
        .await
        .map_err(|e| partial(&applied, "listing the members", "", e))?;
    let change = Change {
        action: "unshare",
        summary: applied.join("; "),
        results: args
            .accounts
            .iter()
            .map(|a| json!({"member_id": a, "result": "removed"}))
            .collect(),
    };
    Ok(render_members(
        &args.image,
        &listing.members,
        Some(change),
        output,
    ))
}

/// A share or unshare that was applied.
struct Change {
    action: &'static str,
    summary: String,
    results: Vec<Value>,
}

fn member_json(m: &ImageMember) -> Value {
    json!({
        "image_id": m.image_id,
        "member_id": m.member_id,
        "status": m.status.as_str(),
        "created_at": parsed(&m.created_at).and_then(|t| t.format(&time_format()).ok()),
        "updated_at": parsed(&m.updated_at).and_then(|t| t.format(&time_format()).ok()),
    })
}

fn time_format() -> time::format_description::well_known::Rfc3339 {
    time::format_description::well_known::Rfc3339
}

/// A time SCP sent, read; `None` when absent or unreadable (as before times were kept as sent).
fn parsed(t: &Option<imgshare_scp::types::Timestamp>) -> Option<time::OffsetDateTime> {
    t.as_ref().and_then(|t| t.datetime().ok())
}

fn fmt_time(t: Option<time::OffsetDateTime>) -> String {
    t.and_then(|t| t.format(&time_format()).ok())
        .unwrap_or_else(|| "?".to_owned())
}

/// `list`, and the tail of `share` / `unshare`.
///
/// JSON: `{"image_id", "members": [{"image_id","member_id","status","created_at","updated_at"}]}`;
/// after a change `action` and `results` (`[{"member_id","result"[,"status"]}]`) are added.
fn render_members(
    image_id: &str,
    members: &[ImageMember],
    change: Option<Change>,
    output: OutputFormat,
) -> String {
    match output {
        OutputFormat::Json => {
            let members: Vec<Value> = members.iter().map(member_json).collect();
            let document = match change {
                None => json!({"image_id": image_id, "members": members}),
                Some(c) => json!({
                    "image_id": image_id,
                    "action": c.action,
                    "results": c.results,
                    "members": members,
                }),
            };
            json_line(&document)
        }
        OutputFormat::Text => {
            let mut out = String::new();
            if let Some(c) = change {
                line(&mut out, &c.summary);
            }
            if members.is_empty() {
                out.push_str(&format!("{image_id} has no members\n"));
            } else {
                let n = members.len();
                let noun = if n == 1 { "member" } else { "members" };
                out.push_str(&format!("{image_id} has {n} {noun}:\n"));
                let rows: Vec<Vec<String>> = members
                    .iter()
                    .map(|m| {
                        vec![
                            format!("  {}", m.member_id),
                            m.status.as_str().to_owned(),
                            format!("since {}", fmt_time(parsed(&m.created_at))),
                        ]
                    })
                    .collect();
                out.push_str(&table(&rows));
            }
            out
        }
    }
}

/// `accept` / `reject`: the member as SCP now reports it.
fn render_answer(m: &ImageMember, output: OutputFormat) -> String {
    match output {
        OutputFormat::Json => json_line(&member_json(m)),
        OutputFormat::Text => {
            let verb = match m.status {
                MemberStatus::Accepted => "accepted",
                MemberStatus::Rejected => "rejected",
                _ => "answered",
            };
            format!(
                "{verb} {} (member {}, status {})\n",
                m.image_id, m.member_id, m.status
            )
        }
    }
}

/// `pending` / `images`: a table (id, visibility, status, owner, name) or a JSON array.
fn render_images(images: &[Image], output: OutputFormat) -> String {
    match output {
        OutputFormat::Json => {
            let array: Vec<Value> = images
                .iter()
                .map(|i| {
                    json!({
                        "id": i.id,
                        "name": i.name,
                        "owner": i.owner,
                        "visibility": i.visibility.as_str(),
                        "status": i.status.as_str(),
                        "os_distro": i.os_distro,
                        "scp_os_version": i.scp_os_version,
                        "size": i.size,
                        "created_at": parsed(&i.created_at).and_then(|t| t.format(&time_format()).ok()),
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
                "VISIBILITY".to_owned(),
                "STATUS".to_owned(),
                "OWNER".to_owned(),
                "NAME".to_owned(),
            ]];
            rows.extend(images.iter().map(|i| {
                vec![
                    i.id.clone(),
                    i.visibility.as_str().to_owned(),
                    i.status.as_str().to_owned(),
                    i.owner.clone(),
                    i.name.clone(),
                ]
            }));
            table(&rows)
        }
    }
}

/// An error after `applied` steps succeeded: says what was done, then what failed.
fn partial(applied: &[String], step: &str, target: &str, e: ScpError) -> Failure {
    if applied.is_empty() {
        return failure(e);
    }
    let what = if target.is_empty() {
        step.to_owned()
    } else {
        format!("{step} {target}")
    };
    Failure::partial(applied.join("; "), what, e)
}

/// An SCP error as a CLI failure (see `Failure`'s conversions).
fn failure(e: ScpError) -> Failure {
    Failure::from(e)
}
