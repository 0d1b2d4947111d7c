//! The API Gateway's signature v2 checks, through the independent verifier [`signature`],
//! and the expiry of temporary Server Role keys.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use wiremock::Request;

use super::errors::GatewayError;
use super::gateway::request_target;
use super::signature::{
    ACCESS_KEY_HEADER, MAX_SKEW_MS, SIGNATURE_HEADER, SIGNATURE_HEADER_V1, TIMESTAMP_HEADER,
    parse_timestamp_ms, sign, signatures_match, string_to_sign, timestamp_fresh,
};
use super::state::Ncloud;
use crate::harness::wire::header;

/// Returns the caller's login id. Every failure is 401 / errorCode `200` "Authentication
/// Failed"; `details` says which check failed (the fake's wording).
pub(crate) fn authenticate(
    state: &Ncloud,
    now: i64,
    request: &Request,
) -> Result<String, GatewayError> {
    let header = |name: &str| {
        let missing = GatewayError::new("auth_failed", format!("The {name} header is missing."));
        header(request, name).ok_or(missing)
    };
    let fail = |details: String| Err(GatewayError::new("auth_failed", details));
    let timestamp = header(TIMESTAMP_HEADER)?;
    let Some(timestamp_ms) = parse_timestamp_ms(&timestamp) else {
        return fail(format!(
            "{TIMESTAMP_HEADER} must be milliseconds since the epoch, not `{timestamp}`."
        ));
    };
    // A clock moved back before the epoch reads 0.
    let now = u64::try_from(now).unwrap_or(0);
    if !timestamp_fresh(timestamp_ms, now) {
        let skew = timestamp_ms.abs_diff(now);
        let seconds = " It looks like seconds; the gateway wants milliseconds.";
        let hint = if timestamp.len() <= 10 { seconds } else { "" };
        let allowed = MAX_SKEW_MS - 1;
        return fail(format!(
            "The timestamp {timestamp} is {skew} ms from the gateway clock ({now}); at most {allowed} ms are allowed.{hint}"
        ));
    }
    let access_key = header(ACCESS_KEY_HEADER)?;
    let signature =
        header(SIGNATURE_HEADER).or_else(|e| header(SIGNATURE_HEADER_V1).map_err(|_| e))?;
    let mut accounts = state.data.accounts.iter();
    let Some(account) = accounts.find(|a| a.access_key == access_key) else {
        return fail("This account is not allowed.".into());
    };
    if let Some(expiration) = &account.expiration {
        let expires = OffsetDateTime::parse(expiration, &Rfc3339).map(|t| t.unix_timestamp_nanos());
        if i128::from(now) >= expires.unwrap_or(0) / 1_000_000 {
            return fail(format!("The temporary credential expired at {expiration}."));
        }
    }
    let target = request_target(request);
    let sts = string_to_sign(request.method.as_str(), &target, &timestamp, &access_key);
    if !signatures_match(&sign(&account.secret_key, &sts), &signature) {
        let signed = "(the request-target as received)";
        return fail(format!(
            "The signature does not match. The fake signed {sts:?} {signed}."
        ));
    }
    Ok(account.login_id.clone())
}
