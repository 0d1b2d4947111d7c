//! Image listings (`tencent images`, `ncloud images`, `scp images` / `pending`) and SCP's
//! `accept` / `reject`: a table or a JSON array.

use imgshare::sharing::OwnedImage;
use imgshare_scp::types::Timestamp;
use imgshare_scp::{Image as ScpImage, ImageMember, MemberStatus};
use imgshare_tencent::Image as TencentImage;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use super::{OutputFormat, json_line, table};

/// The JSON array of `objects`, or a table of their `columns` (header, key), `no images` when
/// there is none: both outputs come from the same objects, so they cannot disagree.
fn images(format: OutputFormat, columns: &[(&str, &str)], objects: Vec<Value>) -> String {
    match format {
        OutputFormat::Json => json_line(&Value::Array(objects)),
        OutputFormat::Text if objects.is_empty() => "no images\n".to_owned(),
        OutputFormat::Text => {
            let header = columns.iter().map(|(h, _)| (*h).to_owned()).collect();
            let rows = objects.iter().map(|o| {
                let cell = |key: &str| o[key].as_str().unwrap_or_default().to_owned();
                columns.iter().map(|(_, key)| cell(key)).collect()
            });
            table(&std::iter::once(header).chain(rows).collect::<Vec<_>>())
        }
    }
}

/// A time SCP sent: normalised to RFC 3339 when it parses, else kept as sent.
fn rfc3339(t: &Option<Timestamp>) -> Option<String> {
    t.as_ref()
        .map(|t| match t.datetime().map(|d| d.format(&Rfc3339)) {
            Ok(Ok(text)) => text,
            _ => t.as_str().to_owned(),
        })
}

/// `tencent images`.
pub(crate) fn tencent_images(format: OutputFormat, list: &[TencentImage]) -> String {
    let objects = list
        .iter()
        .map(|i| {
            json!({
                "image_id": i.image_id, "image_type": i.image_type.as_str(),
                "image_state": i.image_state.as_str(), "image_name": i.image_name,
                "os_name": i.os_name, "platform": i.platform, "architecture": i.architecture,
                "image_size_gib": i.image_size, "image_creator": i.image_creator,
                "created_time": i.created_time,
            })
        })
        .collect();
    let columns = [
        ("IMAGE ID", "image_id"),
        ("TYPE", "image_type"),
        ("STATE", "image_state"),
        ("NAME", "image_name"),
    ];
    images(format, &columns, objects)
}

/// `scp images` and `scp pending`.
pub(crate) fn scp_images(format: OutputFormat, list: &[ScpImage]) -> String {
    let objects = list
        .iter()
        .map(|i| {
            json!({
                "id": i.id, "name": i.name, "owner": i.owner,
                "visibility": i.visibility.as_str(), "status": i.status.as_str(),
                "os_distro": i.os_distro, "scp_os_version": i.scp_os_version, "size": i.size,
                "created_at": rfc3339(&i.created_at),
            })
        })
        .collect();
    let columns = [
        ("IMAGE ID", "id"),
        ("VISIBILITY", "visibility"),
        ("STATUS", "status"),
        ("OWNER", "owner"),
        ("NAME", "name"),
    ];
    images(format, &columns, objects)
}

/// `ncloud images`: the images of one API family, as the facade lists them.
pub(crate) fn owned_images(format: OutputFormat, list: &[OwnedImage]) -> String {
    let objects = list
        .iter()
        .map(|i| json!({"image": i.id, "name": i.name}))
        .collect();
    images(format, &[("IMAGE", "image"), ("NAME", "name")], objects)
}

/// `scp accept` / `scp reject`: the member as SCP now reports it.
pub(crate) fn scp_answer(format: OutputFormat, m: &ImageMember) -> String {
    match format {
        OutputFormat::Json => json_line(&json!({
            "image_id": m.image_id, "member_id": m.member_id, "status": m.status.as_str(),
            "created_at": rfc3339(&m.created_at), "updated_at": rfc3339(&m.updated_at),
        })),
        OutputFormat::Text => {
            let verb = match m.status {
                MemberStatus::Accepted => "accepted",
                MemberStatus::Rejected => "rejected",
                _ => "answered",
            };
            let text = format!(
                "{verb} {} (member {}, status {})",
                m.image_id, m.member_id, m.status
            );
            super::screen(&text).into_owned() + "\n"
        }
    }
}
