//! Tencent's response envelope, and the fake's errors (`errors.toml`).

use serde_json::{Value, json};

pub(crate) use crate::harness::{ApiError, ensure};
use crate::harness::{Reply, error_table};
use crate::tc3::VerifyError;

error_table!(include_str!("errors.toml"), 200);

/// A signature the verifiers refused, answered with their code and message.
impl From<VerifyError> for ApiError {
    fn from(error: VerifyError) -> ApiError {
        ApiError::new(200, error.code(), error.to_string())
    }
}

/// `{"Response":{"Error":{"Code","Message"},"RequestId"}}` with HTTP 200; every response gets
/// a fresh request id.
pub(crate) fn error_reply(error: &ApiError, request_id: &str) -> Reply {
    let error_json = json!({ "Code": error.code, "Message": error.message });
    let body = json!({ "Response": { "Error": error_json, "RequestId": request_id } });
    Reply::json(200, &body).code(error.code)
}

/// `{"Response":{<fields>,"RequestId"}}` with HTTP 200; `fields` is an object.
pub(crate) fn success_reply(mut fields: Value, request_id: &str) -> Reply {
    fields["RequestId"] = request_id.into();
    Reply::json(200, &json!({ "Response": fields }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_parses() {
        assert!(super::ERRORS.ids().len() > 40);
    }
}
