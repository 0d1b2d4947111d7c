//! The global flags, which every command gets as its context: the output format and the
//! settings every provider's client is built with.

use std::time::Duration;

use clap::{ArgAction, Args};
use imgshare::connect::Overrides;
use imgshare_core::{RetryConfig, TimeoutConfig};

use crate::failure::Failure;
use crate::output::{OutputFormat, Rendered, emit};

/// The flags every command takes, before or after the command's name.
#[derive(Debug, Args)]
pub(crate) struct Context {
    /// Send every provider's requests to this URL (e.g. http://127.0.0.1:PORT printed by
    /// `imgshare-fake serve`); beats a plan's `endpoint` and IMGSHARE_ENDPOINT.
    // Not clap's `env`: the resolver reads IMGSHARE_ENDPOINT itself, so it can tell the two
    // apart in the `sending to` line and treat an empty variable as the flag.
    #[arg(long, global = true, value_name = "URL")]
    endpoint: Option<String>,

    /// The region: tencent ap-guangzhou (else TENCENTCLOUD_REGION; required), ncloud KR (else
    /// NCLOUD_REGION), scp kr-west1 (else SCP_REGION). Each provider reads only its own
    /// variable; with plan and inventory, it beats every entry's region.
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,

    /// Connect directly, ignoring HTTP_PROXY, HTTPS_PROXY and ALL_PROXY (which are honoured
    /// otherwise, with NO_PROXY's exceptions). Metadata services never use a proxy.
    #[arg(long, global = true)]
    no_proxy: bool,

    /// Give up on each operation after this many seconds (or 90s, 5m, 1h), retries included
    /// (default 180; each attempt at most 60).
    #[arg(long, global = true, value_name = "SECONDS", value_parser = duration)]
    timeout: Option<Duration>,

    /// Retry retryable failures (throttling, transient network errors) this many times
    /// (default 2; 0 disables retries). Shares are never retried once they may have arrived.
    #[arg(long, global = true, value_name = "N")]
    retries: Option<u32>,

    /// Output format: human-readable text, or one JSON document.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text)]
    pub(crate) output: OutputFormat,

    /// Log to stderr: -v each attempt, its status, backoff and retry decision; -vv also each
    /// request line (method and URL). RUST_LOG (`debug`, `imgshare_core=trace`) replaces the
    /// filter. Never a key, token or signature.
    #[arg(short, long, global = true, action = ArgAction::Count)]
    pub(crate) verbose: u8,
}

/// `90`, `90s`, `5m` or `1h`: more than 0, at most a day (`--timeout`, `plan apply
/// --wait-ready` and `--confirm`).
pub(crate) fn duration(text: &str) -> Result<Duration, String> {
    let units = [("s", 1.0), ("m", 60.0), ("h", 3600.0)];
    let unit = units.into_iter().find(|(u, _)| text.ends_with(u));
    let (number, scale) = unit.map_or((text, 1.0), |(u, s)| (&text[..text.len() - u.len()], s));
    let secs = number.parse::<f64>().map(|n| n * scale).unwrap_or(f64::NAN);
    let hint = "give a duration such as 90s, 5m or 1h (at most 24h)";
    let ok = secs > 0.0 && secs <= 86_400.0;
    ok.then(|| Duration::from_secs_f64(secs))
        .ok_or(format!("{text:?}: {hint}"))
}

impl Context {
    /// `--endpoint`, `--region`, `--no-proxy`, `--timeout`, `--retries`; commands add their own.
    pub(crate) fn overrides(&self) -> Overrides {
        let mut overrides = Overrides::default();
        overrides.endpoint = self.endpoint.clone();
        overrides.region = self.region.clone();
        overrides.no_proxy = self.no_proxy;
        overrides.timeouts = self.timeout.map(|limit| {
            TimeoutConfig::default()
                .with_operation(Some(limit))
                .with_attempt(Some(limit.min(Duration::from_secs(60))))
        });
        overrides.retry = self
            .retries
            .map(|n| RetryConfig::standard().with_max_attempts(n.saturating_add(1)));
        overrides
    }

    /// Writes a result to stdout in the `--output` format ([`emit`]).
    pub(crate) fn print(&self, rendered: Rendered) -> Result<(), Failure> {
        emit(rendered, self.output)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    /// Fails if a unit is misread or a zero, negative, NaN or over-a-day duration is accepted.
    #[test]
    fn durations_take_seconds_minutes_and_hours() {
        let secs = |text: &str| super::duration(text).map(|d| d.as_secs_f64());
        assert_eq!(secs("90"), Ok(90.0));
        assert_eq!(secs("90s"), Ok(90.0));
        assert_eq!(secs("1.5m"), Ok(90.0));
        assert_eq!(secs("1h"), Ok(3600.0));
        for bad in ["0", "-5s", "NaNs", "25h", "5ms", "m", "", "5 m"] {
            assert!(super::duration(bad).is_err(), "{bad}");
        }
        assert_eq!(super::duration("24h"), Ok(Duration::from_secs(86_400)));
    }
}
