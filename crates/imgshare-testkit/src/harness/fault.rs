//! The faults every cloud can have injected: the failures of the transport and the proxies in
//! front of a service, which look the same whichever provider is behind them, plus each cloud's
//! own.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Reply;

/// A failure to inject with [`Fake::inject`](super::Fake::inject): one every cloud has, or one
/// of the cloud's own `E` ([`TencentFault`](crate::TencentFault),
/// [`NcloudFault`](crate::NcloudFault), [`ScpFault`](crate::ScpFault)), which converts into it.
///
/// A fault applies before any checking: the request is recorded, but not authenticated,
/// rate-limited or executed (except [`Fault::Delay`], which answers normally after the delay).
/// In JSON (the admin API) the shared faults are `{"Status": 503}`, `"Html502"`,
/// `"DropConnection"` and `{"Delay": {"secs": 1, "nanos": 0}}`, and a cloud's own is its name,
/// e.g. `"Throttle"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fault<E> {
    /// An HTTP error status with a short `text/plain` body and no JSON, like a load balancer in
    /// trouble. Codes outside 200..=999 become 500 (a 1xx is not a final response).
    Status(u16),
    /// HTTP 502 with a small `text/html` page, like the provider's proxy's error page.
    Html502,
    /// Close the connection without sending any HTTP response; the client sees a connection
    /// error.
    DropConnection,
    /// Wait this long, then check and answer the request as usual.
    Delay(Duration),
    /// One of the cloud's own faults.
    #[serde(untagged)]
    Cloud(E),
}

impl<E> From<E> for Fault<E> {
    fn from(fault: E) -> Self {
        Fault::Cloud(fault)
    }
}

impl<E> Fault<E> {
    /// The answer the fault gives instead of serving the request; `None` for a delay, after
    /// which the request is served. `proxy` signs the HTML 502 page, and `own` answers the
    /// cloud's own faults.
    pub(crate) fn reply(&self, proxy: &str, own: impl FnOnce(&E) -> Reply) -> Option<Reply> {
        Some(match self {
            Fault::Status(code) => upstream_error(*code),
            Fault::Html502 => html_502(proxy),
            // Claimed by the drop mock first; should that be bypassed, a bare 500.
            Fault::DropConnection => Reply::raw(500, "", "text/plain"),
            Fault::Delay(_) => return None,
            Fault::Cloud(fault) => own(fault),
        })
    }
}

/// A load balancer in trouble: `code` (500 outside 200..=999, since a 1xx is not a final
/// response) with a short `text/plain` body and no JSON.
fn upstream_error(code: u16) -> Reply {
    let code = if (200..=999).contains(&code) {
        code
    } else {
        500
    };
    Reply::raw(code, format!("{code} upstream error\n"), "text/plain")
}

/// A gateway's HTML 502 page; `server` is the footer the provider's proxy signs it with.
fn html_502(server: &str) -> Reply {
    let footer = if server.is_empty() {
        String::new()
    } else {
        format!("<hr><center>{server}</center>\r\n")
    };
    Reply::raw(
        502,
        format!(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n{footer}</body>\r\n</html>\r\n"
        ),
        "text/html",
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::json;

    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum Own {
        Throttle,
    }

    /// The shared faults keep their names in JSON, and a cloud's own fault is its bare name.
    #[test]
    fn json_names() {
        let faults: [(Fault<Own>, _); 4] = [
            (Fault::Status(503), json!({"Status": 503})),
            (Fault::Html502, json!("Html502")),
            (
                Fault::Delay(Duration::from_millis(1500)),
                json!({"Delay": {"secs": 1, "nanos": 500_000_000}}),
            ),
            (Own::Throttle.into(), json!("Throttle")),
        ];
        for (fault, value) in faults {
            assert_eq!(json!(fault), value);
            assert_eq!(serde_json::from_value::<Fault<Own>>(value).unwrap(), fault);
        }
        assert!(serde_json::from_value::<Fault<Own>>(json!("NoSuchFault")).is_err());
    }
}
