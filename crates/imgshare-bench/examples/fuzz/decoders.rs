//! The core decoders, into the providers' public output types.

use imgshare_core::decode;
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Envelope<T> {
    #[serde(rename = "Response")]
    response: T,
}

fn decode_into<T: DeserializeOwned + std::fmt::Debug>(ct: Option<&str>, body: &[u8], how: u8) {
    let text = match how % 3 {
        0 => decode::decode::<T>(ct, body).map(|v| format!("{v:?}")),
        1 => decode::decode_root::<T>(ct, body).map(|(root, v)| format!("{root}{v:?}")),
        _ => decode::decode_output::<T>(ct, body).map(|v| format!("{v:?}")),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => format!("{e}{}{:?}", e.reason(), e.format()),
    };
    std::hint::black_box(text);
}

pub(crate) fn decode_any(ct: Option<&str>, body: &[u8], which: u8) {
    use imgshare_ncloud::types as n;
    use imgshare_scp::types as s;
    use imgshare_tencent::types as t;
    let how = which / 16;
    match which % 16 {
        0 => decode_into::<Envelope<t::DescribeImageSharePermissionOutput>>(ct, body, how),
        1 => decode_into::<Envelope<t::DescribeImagesOutput>>(ct, body, how),
        2 => decode_into::<Envelope<t::ModifyImageSharePermissionOutput>>(ct, body, how),
        3 => decode_into::<t::DescribeImagesOutput>(ct, body, how),
        4 => decode_into::<n::ServerImageListOutput>(ct, body, how),
        5 => decode_into::<n::MemberServerImageInstanceListOutput>(ct, body, how),
        6 => decode_into::<n::MemberServerImageListOutput>(ct, body, how),
        7 => decode_into::<s::ListImageMembersOutput>(ct, body, how),
        8 => decode_into::<s::ImageMember>(ct, body, how),
        9 => decode_into::<s::Image>(ct, body, how),
        10 => decode_into::<s::ListImagesOutput>(ct, body, how),
        11 => decode_into::<serde_json::Value>(ct, body, how),
        12 => decode_into::<()>(ct, body, how),
        13 => decode_into::<std::collections::BTreeMap<String, String>>(ct, body, how),
        14 => {
            let f = decode::detect_format(ct, body);
            let e = imgshare_core::error::body_excerpt(body);
            std::hint::black_box((f, e));
        }
        _ => decode_into::<n::ServerImageListOutput>(ct, body, how),
    }
}
