//! What the fake answers: the service's `{"errors":[...]}` envelope
//! (scp.md §4.1), the gateway's own 404 and 401 bodies (§4.2), and the ids
//! and timestamps inside them.

use serde_json::{Value, json};
use wiremock::ResponseTemplate;

/// `detail` is a string or a list of strings (§4.1 field notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Detail {
    Text(String),
    List(Vec<String>),
}

/// An error in the service envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    /// The HTTP status, repeated as the number `status` in the body.
    pub(crate) status: u16,
    /// `code`, repeated as `title` (as in every observed body).
    pub(crate) code: &'static str,
    pub(crate) detail: Detail,
}

impl ApiError {
    pub(crate) fn new(status: u16, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: Detail::Text(detail.into()),
        }
    }

    /// 400 `ValidationError` with `detail` as a list, like the live
    /// `POST /v1/keypairs` capture (§4.1).
    pub(crate) fn validation(details: Vec<String>) -> Self {
        ApiError {
            status: 400,
            code: "ValidationError",
            detail: Detail::List(details),
        }
    }

    pub(crate) fn invalid_field(field: &str, rule: &str) -> Self {
        ApiError::validation(vec![format!("Field \"{field}\" is invalid. {rule}")])
    }

    pub(crate) fn image_not_found(image_id: &str) -> Self {
        ApiError::new(
            404,
            "ImageNotFound",
            format!("Image {image_id} could not be found."),
        )
    }

    pub(crate) fn member_not_found(image_id: &str, member_id: &str) -> Self {
        ApiError::new(
            404,
            "ImageMemberNotFound",
            format!("Member {member_id} of image {image_id} could not be found."),
        )
    }

    pub(crate) fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(403, "Forbidden", detail)
    }
}

/// A random version-4 UUID, `8-4-4-4-12` lowercase hex.
pub(crate) fn uuid_v4() -> String {
    let hi = fastrand::u64(..);
    let lo = fastrand::u64(..);
    // Version 4 and variant 10xx bits.
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// `req-<uuid>`, the shape of `request_id`/`global_request_id` (§4.1).
pub(crate) fn request_id() -> String {
    format!("req-{}", uuid_v4())
}

/// What one request is answered with, before rendering.
#[derive(Debug)]
pub(crate) enum Answer {
    /// A JSON body with this status.
    Json(u16, Value),
    /// No body at all (204 delete, 202 share).
    Empty(u16),
    /// The service error envelope.
    Error(ApiError),
    /// The gateway's Spring-style 404 (missing/refused auth headers,
    /// unknown route).
    GatewayNotFound,
    /// The gateway's 401 for a signature it cannot validate; the text says
    /// why.
    HmacValidFail(String),
}

/// The rendered answer, with what the request log keeps of it.
pub(crate) struct Rendered {
    pub(crate) response: ResponseTemplate,
    pub(crate) status: u16,
    pub(crate) error_code: Option<String>,
}

/// Everything rendering needs besides the answer.
pub(crate) struct RenderContext<'a> {
    /// The request path, for the gateway 404 `path` field.
    pub(crate) path: &'a str,
    /// The fake's clock in Unix milliseconds.
    pub(crate) now_ms: i64,
    /// For the gateway 404 `requestId`.
    pub(crate) gateway_sequence: u64,
}

pub(crate) fn json_template(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), "application/json")
}

/// The §4.1 envelope: one element, `status` a JSON number equal to the
/// HTTP status, fresh `req-` ids.
pub(crate) fn error_body(error: &ApiError) -> Value {
    let detail = match &error.detail {
        Detail::Text(text) => Value::String(text.clone()),
        Detail::List(items) => json!(items),
    };
    json!({
        "errors": [{
            "code": error.code,
            "detail": detail,
            "global_request_id": request_id(),
            "links": [],
            "related_resources": [],
            "request_id": request_id(),
            "response": null,
            "status": error.status,
            "title": error.code,
        }]
    })
}

/// Renders `answer` into a wiremock response.
pub(crate) fn render(answer: Answer, context: &RenderContext<'_>) -> Rendered {
    match answer {
        Answer::Json(status, body) => Rendered {
            response: json_template(status, &body),
            status,
            error_code: None,
        },
        Answer::Empty(status) => Rendered {
            response: ResponseTemplate::new(status),
            status,
            error_code: None,
        },
        Answer::Error(error) => Rendered {
            response: json_template(error.status, &error_body(&error)),
            status: error.status,
            error_code: Some(error.code.to_owned()),
        },
        Answer::GatewayNotFound => {
            // §4.2, e.g. {"timestamp":"2026-06-05T04:43:54.505+00:00",
            // "path":"/v1/volume-types","status":404,"error":"Not Found",
            // "requestId":"e2dcbc11-53724"}.
            let body = json!({
                "timestamp": gateway_timestamp(context.now_ms),
                "path": context.path,
                "status": 404,
                "error": "Not Found",
                "requestId": format!(
                    "{:08x}-{:05}",
                    fastrand::u32(..),
                    context.gateway_sequence % 100_000
                ),
            });
            Rendered {
                response: json_template(404, &body),
                status: 404,
                error_code: Some("Not Found".to_owned()),
            }
        }
        Answer::HmacValidFail(reason) => {
            // §4.2: 401 "contains HmacValidFail"; the exact JSON was not
            // captured, so the fake uses the gateway-rejection shape seen
            // for another 401 ({status,name,message}).
            let body = json!({
                "status": "UNAUTHORIZED",
                "name": "Request was rejected by gateway",
                "message": format!("HmacValidFail : {reason}"),
            });
            Rendered {
                response: json_template(401, &body),
                status: 401,
                error_code: Some("HmacValidFail".to_owned()),
            }
        }
    }
}

fn civil(unix_secs: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix_secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// `YYYY-MM-DDThh:mm:ssZ`, the member/image timestamp format (§3.2).
pub(crate) fn rfc3339(unix_secs: i64) -> String {
    let t = civil(unix_secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `YYYY-MM-DDThh:mm:ss.mmm+00:00`, the gateway's format (§4.2).
pub(crate) fn gateway_timestamp(unix_ms: i64) -> String {
    let t = civil(unix_ms.div_euclid(1000));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        unix_ms.rem_euclid(1000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_v4_shaped_and_fresh() {
        let a = uuid_v4();
        assert_ne!(a, uuid_v4());
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "4");
        assert!(a.bytes().all(|c| c == b'-' || c.is_ascii_hexdigit()));
        assert!(request_id().starts_with("req-"));
    }

    #[test]
    fn timestamp_formats() {
        assert_eq!(rfc3339(1_753_174_800), "2025-07-22T09:00:00Z");
        assert_eq!(
            gateway_timestamp(1_780_634_634_505),
            "2026-06-05T04:43:54.505+00:00"
        );
    }

    #[test]
    fn envelope_shape() {
        let body = error_body(&ApiError::validation(vec!["x".into()]));
        let error = &body["errors"][0];
        assert_eq!(error["status"], 400);
        assert_eq!(error["code"], "ValidationError");
        assert_eq!(error["title"], "ValidationError");
        assert_eq!(error["detail"], json!(["x"]));
        assert!(error["response"].is_null());
        let text = error_body(&ApiError::image_not_found("i"));
        assert!(text["errors"][0]["detail"].is_string());
    }
}
