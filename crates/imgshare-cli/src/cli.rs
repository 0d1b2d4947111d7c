//! The command line, declared with clap's derive API.
use clap::{
    ArgAction, Args, Command, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum,
};
use imgshare::connect::Overrides;
use imgshare_tencent::ImageType;

/// Shown under `--help` (not `-h`): how to read the exit status.
const AFTER_LONG_HELP: &str = "\
Credentials (tencent), the first source that has some:
  --profile NAME: tccli's ~/.tccli/NAME.credential (and region, language,
     cvm.endpoint from NAME.configure); nothing else is then read
  1. TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY, with the session token
     in TENCENTCLOUD_TOKEN (or TENCENTCLOUD_SESSION_TOKEN)
  2. the [default] section of $TENCENTCLOUD_CREDENTIALS_FILE, else of
     ~/.tencentcloud/credentials, else of /etc/tencentcloud/credentials
  3. the CAM role of this CVM instance (metadata service)
  4. TKE OIDC: TKE_REGION, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE,
     TKE_ROLE_ARN
  With TENCENTCLOUD_ROLE_ARN (and TENCENTCLOUD_ROLE_SESSION_NAME) set, those
  credentials assume that role through STS first, as tccli does.

Settings, every provider and command (plan and inventory included), the first
source that has one wins:
  --endpoint / --region, then the plan's entry, then the environment
  (IMGSHARE_ENDPOINT, then each provider's own variables), then a profile file,
  then the provider's default. An empty endpoint is refused (status 2). When
  the endpoint is not the provider's default, stderr says so first:
  imgshare: sending to http://127.0.0.1:PORT/ (--endpoint)

Timeouts and retries, every command: each request attempt gives up after 60 s
and each operation (retries included) after 180 s; failed attempts are retried
up to 2 more times (3 attempts) when that is safe. tencent's --timeout and
--retries change them.

Exit status:
  0  success
  1  any other failure (cannot write output, ...)
  2  usage error: bad arguments, missing --region, input rejected before sending
     (malformed image id or account id)
  3  service error: the provider answered with an error code
     (e.g. AuthFailure.SignatureFailure, InvalidImageId.NotFound)
  4  network or transport error: connect failure, timeout, unreadable response
  5  credentials error: none found, or invalid

On failure exactly one line goes to stderr:
  error: <code>: <message> (request id <id>)   for service errors
  error: <description>                         otherwise
and nothing goes to stdout. With --output json that line is one JSON document
instead, an object under \"error\" with exit_status, class, code, message,
request_id and description. If a share or unshare was applied but the listing after it
failed, the description says so.

Try it without a cloud account (the fake is its own binary, imgshare-fake):
  imgshare-fake serve                 # prints an endpoint and TEST keys
  TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... \\
    imgshare --endpoint http://127.0.0.1:PORT --region ap-guangzhou \\
    tencent share --image img-demo0001 --account 100000000002";

/// Share VM images between accounts on Tencent Cloud, NAVER Cloud and Samsung Cloud Platform.
#[derive(Debug, Parser)]
#[command(
    name = "imgshare",
    version,
    about = "Share VM images between cloud accounts on Tencent Cloud, NAVER Cloud and Samsung Cloud Platform",
    long_about = "Share VM images between cloud accounts on Tencent Cloud, NAVER Cloud and Samsung \
                  Cloud Platform. A local fake of all three, for tests, is the separate \
                  `imgshare-fake` binary.\n\n\
                  Output goes to stdout (text, or one JSON document with --output json); \
                  errors go to stderr as a single line, with the exit status telling their class \
                  (see below).",
    after_long_help = AFTER_LONG_HELP
)]
pub(crate) struct Cli {
    /// Send every provider's requests to this URL (e.g. http://127.0.0.1:PORT printed by
    /// `imgshare-fake serve`); beats a plan's `endpoint` and IMGSHARE_ENDPOINT.
    // Not clap's `env`: the resolver reads IMGSHARE_ENDPOINT itself, so it can tell the two
    // apart in the `sending to` line and treat an empty variable as the flag.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) endpoint: Option<String>,

    /// The region: tencent ap-guangzhou (else TENCENTCLOUD_REGION; required), ncloud KR (else
    /// NCLOUD_REGION), scp kr-west1 (else SCP_REGION). Each provider reads only its own
    /// variable; with plan and inventory, it beats every entry's region.
    #[arg(long, global = true, value_name = "REGION")]
    pub(crate) region: Option<String>,

    /// Connect directly, ignoring HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (which are honoured
    /// otherwise, with NO_PROXY's exceptions). Metadata services never use a proxy.
    #[arg(long, global = true)]
    pub(crate) no_proxy: bool,

    /// Output format: human-readable text, or one JSON document.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) output: OutputFormat,

    /// Log to stderr: -v each attempt, its status, backoff and retry decision; -vv also each
    /// request line (method and URL). RUST_LOG (`debug`, `imgshare_core=trace`) replaces the
    /// filter. Never a key, token or signature.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,

    /// The provider.
    #[command(subcommand)]
    pub(crate) provider: Provider,
}

/// Under every subcommand's help that has no text of its own there: the limits every request
/// runs under (tencent's commands say it in their own text).
const TIMEOUTS: &str = "\
Timeouts and retries: each request attempt gives up after 60 s, each operation
(retries included) after 180 s; failed attempts are retried up to 2 more times
(3 attempts) when that is safe. tencent's --timeout and --retries change them.";

/// `command` with [`TIMEOUTS`] under the help of each subcommand, at every depth, that has
/// no after-help text yet.
fn with_timeouts(command: Command) -> Command {
    let command = command.mut_subcommands(with_timeouts);
    if command.get_after_help().is_some() {
        command
    } else {
        command.after_help(TIMEOUTS)
    }
}

impl Cli {
    /// Parses the process's arguments (clap's usage errors and `--help` exit here), with the
    /// timeouts under each subcommand's help.
    pub(crate) fn parse_args() -> Self {
        let matches = Cli::command().mut_subcommands(with_timeouts).get_matches();
        match Cli::from_arg_matches(&matches) {
            Ok(cli) => cli,
            Err(e) => e.exit(),
        }
    }

    /// The settings the command line gives every provider; provider commands add their own.
    pub(crate) fn overrides(&self) -> Overrides {
        let mut overrides = Overrides::default();
        overrides.endpoint = self.endpoint.clone();
        overrides.region = self.region.clone();
        overrides.no_proxy = self.no_proxy;
        overrides
    }
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Human-readable text.
    Text,
    /// One JSON document.
    Json,
}

/// The provider a command talks to.
#[derive(Debug, Subcommand)]
pub(crate) enum Provider {
    /// Tencent Cloud CVM (API 2017-03-12).
    Tencent {
        /// Profile, language, timeout and retries.
        #[command(flatten)]
        options: crate::tencent::TencentOptions,
        /// What to do.
        #[command(subcommand)]
        command: TencentCommand,
    },
    /// NAVER Cloud Platform server images (VPC server images, VPC member images, Classic).
    Ncloud {
        /// What to do.
        #[command(subcommand)]
        command: crate::ncloud::NcloudCommand,
    },
    /// Samsung Cloud Platform v2 virtualserver images (image members between accounts).
    Scp {
        /// API version and environment.
        #[command(flatten)]
        options: crate::scp::ScpOptions,
        /// What to do.
        #[command(subcommand)]
        command: crate::scp::ScpCommand,
    },
    /// Sharing plans (TOML): `plan diff FILE`, `plan apply FILE` (see docs/PLANS.md).
    Plan {
        /// What to do.
        #[command(subcommand)]
        command: crate::plan::PlanCommand,
    },
    /// Every configured provider's owned images and the accounts they are shared with.
    Inventory(crate::inventory::InventoryArgs),
}

/// Tencent commands.
#[derive(Debug, Subcommand)]
pub(crate) enum TencentCommand {
    /// Share an image with accounts, then print whom it is shared with. Safe to re-run:
    /// accounts already shared with are reported as such, and the status is still 0.
    #[command(after_help = crate::tencent::EXIT_STATUSES)]
    Share(ModifyArgs),
    /// Stop sharing an image with accounts, then print whom it is still shared with.
    #[command(after_help = crate::tencent::EXIT_STATUSES)]
    Unshare(ModifyArgs),
    /// Print the accounts an image is shared with.
    #[command(after_help = crate::tencent::EXIT_STATUSES)]
    List(ImageArg),
    /// List images (all pages, 100 per request), optionally filtered.
    #[command(after_help = crate::tencent::EXIT_STATUSES)]
    Images(crate::tencent::ImagesArgs),
}

/// `--image` and `--account`.
#[derive(Debug, Args)]
pub(crate) struct ModifyArgs {
    /// The image id, `img-` followed by 8 lowercase letters or digits.
    #[arg(long, alias = "image-id", value_name = "IMAGE_ID")]
    pub(crate) image: String,

    /// A numeric root account id; repeat the flag, give several values, or separate with commas.
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
pub(crate) struct ImageArg {
    /// The image id, `img-` followed by 8 lowercase letters or digits.
    #[arg(long, alias = "image-id", value_name = "IMAGE_ID")]
    pub(crate) image: String,
}

/// An image type, as `--type` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImageTypeArg {
    /// Your own custom images (PRIVATE_IMAGE).
    Private,
    /// Images other accounts shared with you (SHARED_IMAGE).
    Shared,
    /// Official public images (PUBLIC_IMAGE).
    Public,
}

impl From<ImageTypeArg> for ImageType {
    fn from(t: ImageTypeArg) -> Self {
        match t {
            ImageTypeArg::Private => ImageType::Private,
            ImageTypeArg::Shared => ImageType::Shared,
            ImageTypeArg::Public => ImageType::Public,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Fails if a subcommand's help leaves out the default timeouts.
    #[test]
    fn every_command_states_the_timeouts() {
        fn walk(command: &clap::Command, path: &str) {
            for sub in command.get_subcommands() {
                let path = format!("{path} {}", sub.get_name());
                let help = sub
                    .get_after_help()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                assert!(
                    help.contains("60 s") && help.contains("180 s"),
                    "{path}: {help}"
                );
                walk(sub, &path);
            }
        }
        let command = Cli::command().mut_subcommands(super::with_timeouts);
        walk(&command, "imgshare");
    }
}
