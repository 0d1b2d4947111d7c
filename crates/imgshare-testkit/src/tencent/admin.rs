//! The admin API: plain-JSON HTTP endpoints under [`ADMIN_PREFIX`] that let
//! tests in any language drive the fake (like moto's server mode). They are
//! answered by their own wiremock mock, so they are never signed, recorded,
//! faulted or rate-limited, and never collide with the Tencent API (`/`) or
//! the NCP (`/vserver/v2/`, `/server/v2/`) and SCP (`/v1/`) fakes.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::faults::Fault;
use super::gateway::{Shared, lock};
use super::seed::{FakeAccount, FakeImage, Seed, SeedError};
use super::state::RateLimitCode;

/// Every admin endpoint starts with this path.
pub const ADMIN_PREFIX: &str = "/_fake/tencent/";

/// The actions whose rate limits the state endpoint reports.
const ACTIONS: [&str; 3] = [
    "ModifyImageSharePermission",
    "DescribeImageSharePermission",
    "DescribeImages",
];

#[derive(Debug)]
pub(crate) struct AdminResponder(pub(crate) Shared);

fn reply(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), "application/json")
}

fn ok() -> ResponseTemplate {
    reply(200, &json!({ "ok": true }))
}

fn bad_request(message: impl Into<String>) -> ResponseTemplate {
    reply(400, &json!({ "error": message.into() }))
}

fn parse<T: for<'de> Deserialize<'de>>(request: &Request) -> Result<T, String> {
    serde_json::from_slice(&request.body)
        .map_err(|e| format!("the body is not the expected JSON: {e}"))
}

fn invalid_seed(error: &SeedError) -> ResponseTemplate {
    match error {
        SeedError::Invalid { problems, .. } => reply(
            400,
            &json!({ "error": "invalid seed", "problems": problems }),
        ),
        other => bad_request(match std::error::Error::source(other) {
            Some(source) => format!("{other}: {source}"),
            None => other.to_string(),
        }),
    }
}

#[derive(Deserialize)]
struct FaultBody {
    #[serde(default)]
    fault: Option<Fault>,
    #[serde(default)]
    delay_ms: Option<u64>,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
struct ClockBody {
    offset_secs: i64,
}

#[derive(Deserialize)]
struct RateLimitBody {
    #[serde(default)]
    documented: bool,
    /// Present (number or null) to set a limit; absent to leave it.
    #[serde(default, deserialize_with = "some")]
    per_second: Option<Option<u32>>,
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    code: Option<RateLimitCode>,
}

/// Lets `"per_second": null` (no limit) differ from a missing field.
fn some<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(d).map(Some)
}

impl Respond for AdminResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let route = request
            .url
            .path()
            .strip_prefix(ADMIN_PREFIX)
            .unwrap_or_default()
            .trim_end_matches('/');
        let method = request.method.as_str();
        match (method, route) {
            ("GET", "state") => reply(200, &state_json(&self.0)),
            ("POST", "reset") => {
                let seed = if request.body.iter().all(u8::is_ascii_whitespace) {
                    None
                } else {
                    match Seed::from_json_str(&String::from_utf8_lossy(&request.body)) {
                        Ok(seed) => Some(seed),
                        Err(e) => return invalid_seed(&e),
                    }
                };
                lock(&self.0).reset(seed);
                ok()
            }
            ("POST", "faults") => {
                let body: FaultBody = match parse(request) {
                    Ok(body) => body,
                    Err(e) => return bad_request(e),
                };
                let fault = match (body.fault, body.delay_ms) {
                    (Some(fault), None) => fault,
                    (None, Some(ms)) => Fault::Delay(Duration::from_millis(ms)),
                    _ => return bad_request("give exactly one of `fault` and `delay_ms`"),
                };
                lock(&self.0).inject(fault, body.count);
                ok()
            }
            ("POST", "clock") => match parse::<ClockBody>(request) {
                Ok(body) => {
                    lock(&self.0).set_clock_offset_secs(body.offset_secs);
                    ok()
                }
                Err(e) => bad_request(e),
            },
            ("POST", "rate-limit") => {
                let body: RateLimitBody = match parse(request) {
                    Ok(body) => body,
                    Err(e) => return bad_request(e),
                };
                let mut state = lock(&self.0);
                if body.documented {
                    state.use_documented_rate_limits();
                }
                match (body.per_second, body.action) {
                    (Some(limit), Some(action)) => state.set_action_rate_limit(&action, limit),
                    (Some(limit), None) => state.set_rate_limit(limit),
                    (None, Some(_)) => {
                        return bad_request("`action` needs `per_second` (a number or null)");
                    }
                    (None, None) => {}
                }
                if let Some(code) = body.code {
                    state.rate_limit_code = code;
                }
                ok()
            }
            ("POST", "accounts") => match parse::<FakeAccount>(request) {
                Ok(account) => {
                    let seed = Seed {
                        accounts: vec![account.clone()],
                        ..Seed::default()
                    };
                    if let Err(e) = seed.validate() {
                        return invalid_seed(&e);
                    }
                    lock(&self.0).add_account(account);
                    ok()
                }
                Err(e) => bad_request(e),
            },
            ("POST", "images") => match parse::<FakeImage>(request) {
                Ok(image) => {
                    let seed = Seed {
                        images: vec![image.clone()],
                        ..Seed::default()
                    };
                    if let Err(e) = seed.validate() {
                        return invalid_seed(&e);
                    }
                    lock(&self.0).add_image(image);
                    ok()
                }
                Err(e) => bad_request(e),
            },
            _ => reply(
                404,
                &json!({
                    "error": format!("no admin endpoint {method} {}", request.url.path()),
                    "endpoints": [
                        "GET /_fake/tencent/state",
                        "POST /_fake/tencent/reset",
                        "POST /_fake/tencent/faults",
                        "POST /_fake/tencent/clock",
                        "POST /_fake/tencent/rate-limit",
                        "POST /_fake/tencent/accounts",
                        "POST /_fake/tencent/images",
                    ],
                }),
            ),
        }
    }
}

/// Everything a test may want to read: the seed (with keys: they are test
/// keys), shares with their times, the request log, clock and limits.
pub(crate) fn state_json(shared: &Shared) -> Value {
    let state = lock(shared);
    let shares: Vec<Value> = state
        .to_seed()
        .shares
        .iter()
        .map(|(image_id, account_id)| {
            let created_time = state
                .shares_of(image_id)
                .iter()
                .find(|s| s.account_id == *account_id)
                .map(|s| s.created_time.clone());
            json!({ "image_id": image_id, "account_id": account_id, "created_time": created_time })
        })
        .collect();
    let limits: serde_json::Map<String, Value> = ACTIONS
        .iter()
        .map(|action| ((*action).to_owned(), json!(state.rate_limit_for(action))))
        .collect();
    json!({
        "accounts": state.accounts,
        "images": state.images,
        "shares": shares,
        "received": state.received,
        "request_count": state.received.len(),
        "clock_offset_secs": state.clock_offset_secs(),
        "now": state.now_iso(),
        "rate_limits": limits,
        "rate_limit_code": state.rate_limit_code.as_str(),
        "pending_faults": state.pending_faults(),
    })
}
