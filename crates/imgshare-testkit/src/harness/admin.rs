//! The admin API every cloud answers under `/_fake/{cloud}/` (see the [harness](super) docs),
//! so tests in any language can drive the fakes over plain HTTP, as with moto's server mode.

use serde_json::{Map, Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::core::{Core, Shared, lock};
use super::{Cloud, check};

pub(crate) struct Admin<C: Cloud>(pub(crate) Shared<C>);

/// An error answer: status and JSON body.
type Refusal = (u16, Value);

fn bad(message: impl std::fmt::Display) -> Refusal {
    (400, json!({ "error": message.to_string() }))
}

fn ok() -> Result<Value, Refusal> {
    Ok(json!({ "ok": true }))
}

const ENDPOINTS: [&str; 13] = [
    "GET state",
    "GET seed",
    "POST seed",
    "POST {list} (one item of a seed list, e.g. accounts, images)",
    "POST reset",
    "GET faults",
    "POST faults",
    "DELETE faults",
    "GET clock",
    "POST clock",
    "GET requests",
    "DELETE requests",
    "POST rate-limit",
];

impl<C: Cloud> Respond for Admin<C> {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path();
        let route = path
            .strip_prefix(&format!("/_fake/{}/", C::NAME))
            .unwrap_or_default()
            .trim_end_matches('/');
        let method = request.method.as_str();
        let body = if request.body.iter().all(u8::is_ascii_whitespace) {
            Ok(None)
        } else {
            serde_json::from_slice(&request.body)
                .map(Some)
                .map_err(|e| bad(format!("the body is not JSON: {e}")))
        };
        let answer = body.and_then(|body| answer(&mut lock(&self.0), method, route, body));
        let (status, value) = match answer {
            Ok(value) => (200, value),
            Err((404, _)) => (
                404,
                json!({ "error": format!("no admin endpoint {method} {path}"), "endpoints": ENDPOINTS }),
            ),
            Err(refusal) => refusal,
        };
        ResponseTemplate::new(status).set_body_raw(value.to_string(), "application/json")
    }
}

fn answer<C: Cloud>(
    core: &mut Core<C>,
    method: &str,
    route: &str,
    body: Option<Value>,
) -> Result<Value, Refusal> {
    let field = |name: &str| body.as_ref().and_then(|b| b.get(name)).cloned();
    let body_or_null = body.clone().unwrap_or(Value::Null);
    match (method, route) {
        ("GET", "state") => Ok(state(core)),
        ("GET", "seed") => Ok(json!(core.cloud.seed())),
        ("POST", "seed") => {
            let seed = seed::<C>(body_or_null)?;
            let clock = core.clock;
            core.cloud.merge(seed, clock);
            ok()
        }
        ("POST", "reset") => {
            let seed = body.clone().map(seed::<C>).transpose()?;
            core.reset(seed);
            ok()
        }
        ("GET", "faults") => Ok(pending_faults(core)),
        ("POST", "faults") => {
            let fault = match (field("fault"), field("delay_ms")) {
                (Some(fault), None) => fault,
                (None, Some(ms)) => {
                    let ms = ms.as_u64().ok_or_else(|| bad("`delay_ms` is a number"))?;
                    json!({ "Delay": { "secs": ms / 1000, "nanos": (ms % 1000) * 1_000_000 } })
                }
                _ => return Err(bad("give exactly one of `fault` and `delay_ms`")),
            };
            let fault = serde_json::from_value(fault).map_err(bad)?;
            let count = match field("count") {
                None => Some(1),
                Some(count) => count.as_u64().and_then(|n| usize::try_from(n).ok()),
            };
            core.inject(fault, count.ok_or_else(|| bad("`count` is a number"))?);
            ok()
        }
        ("DELETE", "faults") => {
            core.faults.clear();
            ok()
        }
        ("GET", "clock") => Ok(clock(core)),
        ("POST", "clock") => {
            let result = match (field("offset_secs"), field("offset_ms")) {
                (Some(secs), None) => secs.as_i64().map(|s| core.clock.set_offset_secs(s)),
                (None, Some(ms)) => ms.as_i64().map(|ms| core.clock.set_offset_ms(ms)),
                _ => None,
            };
            let result =
                result.ok_or_else(|| bad("give `offset_secs` or `offset_ms`, an integer"))?;
            result.map_err(bad)?;
            Ok(clock(core))
        }
        ("GET", "requests") => Ok(json!(core.received)),
        ("DELETE", "requests") => {
            core.received.clear();
            ok()
        }
        ("POST", "rate-limit") => {
            if field("documented") == Some(Value::Bool(true)) {
                core.limits.use_documented();
            }
            let limit = field("per_second")
                .map(|v| serde_json::from_value::<Option<u32>>(v).map_err(bad))
                .transpose()?;
            match (limit, field("action")) {
                (Some(limit), Some(Value::String(action))) => {
                    core.limits.set_action(&action, limit);
                }
                (Some(limit), None) => core.limits.set_all(limit),
                (None, None) => {}
                _ => return Err(bad("`action` is a string and needs `per_second`")),
            }
            core.cloud.admin(route, &body_or_null).map_err(bad)?;
            ok()
        }
        ("POST", list) if is_seed_list::<C>(list) => {
            let seed = seed::<C>(json!({ list: [body_or_null] }))?;
            let clock = core.clock;
            core.cloud.merge(seed, clock);
            ok()
        }
        _ => Err((404, Value::Null)),
    }
}

/// A seed list's name, e.g. `accounts`, `images`, `shares`.
fn is_seed_list<C: Cloud>(name: &str) -> bool {
    json!(C::Seed::default())
        .get(name)
        .is_some_and(Value::is_array)
}

fn seed<C: Cloud>(body: Value) -> Result<C::Seed, Refusal> {
    let seed = serde_json::from_value(body).map_err(|e| bad(format!("not a seed: {e}")))?;
    check(&seed, C::problems).map_err(|e| match e {
        super::SeedError::Invalid { problems, .. } => (
            400,
            json!({ "error": "invalid seed", "problems": problems }),
        ),
        other => bad(other),
    })?;
    Ok(seed)
}

fn pending_faults<C: Cloud>(core: &Core<C>) -> Value {
    let faults: Vec<Value> = core
        .faults
        .iter()
        .map(|(fault, remaining)| json!({ "fault": fault, "remaining": remaining }))
        .collect();
    json!(faults)
}

fn clock<C: Cloud>(core: &Core<C>) -> Value {
    json!({
        "clock_offset_ms": core.clock.offset_ms(),
        "clock_offset_secs": core.clock.offset_ms() / 1000,
        "now": core.clock.now_utc(),
        "now_ms": core.clock.now_ms(),
    })
}

/// Everything a test may want to read: the seed (with its keys: they are test keys), the
/// request log, the clock, the limits and the pending faults.
fn state<C: Cloud>(core: &Core<C>) -> Value {
    let mut state = match json!(core.cloud.seed()) {
        Value::Object(seed) => seed,
        _ => Map::new(),
    };
    if let Value::Object(clock) = clock(core) {
        state.extend(clock);
    }
    let limits: Map<String, Value> = C::actions()
        .into_iter()
        .map(|action| (action.to_owned(), json!(core.limits.limit_for(action))))
        .collect();
    state.insert("rate_limits".into(), Value::Object(limits));
    state.insert("pending_faults".into(), pending_faults(core));
    state.insert("received".into(), json!(core.received));
    state.insert("request_count".into(), json!(core.received.len()));
    core.cloud.admin_state(&mut state);
    Value::Object(state)
}
