//! The admin API every cloud answers under `/_fake/{cloud}/` (see the [harness](super) docs),
//! so tests in any language can drive the fakes over plain HTTP, as with moto's server mode.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::core::{Core, Shared, lock};
use super::{Cloud, Fault};

pub(crate) struct Admin<C: Cloud>(pub(crate) Shared<C>);

/// The endpoints, for the 404 answer.
const ENDPOINTS: &str = "GET state, GET seed, POST seed, POST {seed list}, POST reset, POST faults, POST clock, GET requests, POST rate-limit";

/// An error answer: status and JSON body.
type Refusal = (u16, Value);

fn bad(message: impl std::fmt::Display) -> Refusal {
    (400, json!({ "error": message.to_string() }))
}

#[derive(Deserialize)]
#[serde(bound = "F: Deserialize<'de>")]
struct FaultBody<F> {
    fault: Option<Fault<F>>,
    delay_ms: Option<u64>,
    count: Option<usize>,
}

#[derive(Deserialize)]
struct ClockBody {
    offset_secs: Option<i64>,
    offset_ms: Option<i64>,
}

#[derive(Deserialize)]
struct LimitBody {
    #[serde(default)]
    documented: bool,
    /// Present (a number or null: no limit) to set a limit; absent to leave it.
    #[serde(default, deserialize_with = "present")]
    per_second: Option<Option<u32>>,
    action: Option<String>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::deserialize(d).map(Some)
}

fn parse<T: for<'de> Deserialize<'de>>(body: Value) -> Result<T, Refusal> {
    serde_json::from_value(body).map_err(|e| bad(format!("the body is not the expected JSON: {e}")))
}

impl<C: Cloud> Respond for Admin<C> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let (method, path) = (request.method.as_str(), request.url.path());
        let blank = request.body.iter().all(u8::is_ascii_whitespace);
        let body = (!blank).then(|| serde_json::from_slice(&request.body));
        let body = body.transpose().map_err(bad);
        let answer = body.and_then(|body| answer(&mut lock(&self.0), method, path, body));
        let (status, value) = answer.map_or_else(|refusal| refusal, |value| (200, value));
        ResponseTemplate::new(status).set_body_raw(value.to_string(), "application/json")
    }
}

/// Answers `method` on `path`, under `/_fake/{cloud}/`.
fn answer<C: Cloud>(
    core: &mut Core<C>,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Result<Value, Refusal> {
    let route = path.strip_prefix(&format!("/_fake/{}/", C::NAME));
    let route = route.unwrap_or_default().trim_end_matches('/');
    let ok = Ok(json!({ "ok": true }));
    let given = body.clone().unwrap_or(json!({}));
    match (method, route) {
        ("GET", "state") => Ok(state(core)),
        ("GET", "seed") => Ok(json!(core.cloud.seed())),
        ("GET", "requests") => Ok(json!(core.received)),
        ("POST", "seed") => {
            core.merge(seed::<C>(given)?);
            ok
        }
        ("POST", "reset") => {
            core.reset(body.map(seed::<C>).transpose()?);
            ok
        }
        ("POST", "faults") => {
            let body: FaultBody<C::Fault> = parse(given)?;
            let fault = match (body.fault, body.delay_ms) {
                (Some(fault), None) => fault,
                (None, Some(ms)) => Fault::Delay(Duration::from_millis(ms)),
                _ => return Err(bad("give exactly one of `fault` and `delay_ms`")),
            };
            core.inject(fault, body.count.unwrap_or(1));
            ok
        }
        ("POST", "clock") => {
            let body: ClockBody = parse(given)?;
            let set = match (body.offset_secs, body.offset_ms) {
                (Some(secs), None) => core.clock.set_offset_secs(secs),
                (None, Some(ms)) => core.clock.set_offset_ms(ms),
                _ => return Err(bad("give `offset_secs` or `offset_ms`, an integer")),
            };
            set.map_err(bad)?;
            Ok(clock(core))
        }
        ("POST", "rate-limit") => {
            let limits: LimitBody = parse(given.clone())?;
            if limits.documented {
                core.limits.use_documented();
            }
            match (limits.per_second, limits.action) {
                (Some(limit), Some(action)) => core.limits.set_action(&action, limit),
                (Some(limit), None) => core.limits.set_all(limit),
                (None, Some(_)) => {
                    return Err(bad("`action` needs `per_second` (a number or null)"));
                }
                (None, None) => {}
            }
            core.cloud.admin(route, &given).map_err(bad)?;
            ok
        }
        // One item of a seed list (`accounts`, `images`, ...).
        ("POST", list)
            if json!(C::Seed::default())
                .get(list)
                .is_some_and(Value::is_array) =>
        {
            core.merge(seed::<C>(json!({ list: [body.unwrap_or(Value::Null)] }))?);
            ok
        }
        _ => {
            let endpoints: Vec<&str> = ENDPOINTS.split(", ").collect();
            let error = format!("no admin endpoint {method} {path}");
            Err((404, json!({ "error": error, "endpoints": endpoints })))
        }
    }
}

/// A seed, refused with its problems when the API would refuse its data.
fn seed<C: Cloud>(body: Value) -> Result<C::Seed, Refusal> {
    let seed = serde_json::from_value(body).map_err(|e| bad(format!("not a seed: {e}")))?;
    let problems = C::PROBLEMS(&seed);
    if !problems.is_empty() {
        return Err((
            400,
            json!({ "error": "invalid seed", "problems": problems }),
        ));
    }
    Ok(seed)
}

fn clock<C: Cloud>(core: &Core<C>) -> Value {
    let (offset_ms, now) = (core.clock.offset_ms(), core.clock.now_utc());
    json!({ "clock_offset_ms": offset_ms, "clock_offset_secs": offset_ms / 1000, "now": now })
}

/// Everything a test may want to read: the seed (with its keys: they are test keys), the
/// request log, the clock, the limits and the pending faults.
fn state<C: Cloud>(core: &Core<C>) -> Value {
    let mut state = json!(core.cloud.seed());
    let limits = C::actions()
        .into_iter()
        .map(|a| (a.clone(), json!(core.limits.limit_for(&a))));
    let faults = core
        .faults
        .iter()
        .map(|(fault, n)| json!({ "fault": fault, "remaining": n }));
    state["rate_limits"] = Value::Object(limits.collect());
    state["pending_faults"] = json!(faults.collect::<Vec<_>>());
    state["received"] = json!(core.received);
    state["request_count"] = json!(core.received.len());
    if let (Value::Object(state), Value::Object(clock)) = (&mut state, clock(core)) {
        state.extend(clock);
        core.cloud.admin_state(state);
    }
    state
}
