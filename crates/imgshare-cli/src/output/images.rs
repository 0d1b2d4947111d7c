//! Image listings (`tencent images`, `ncloud images`, `scp images` / `pending`) and SCP's
//! `accept` / `reject`: a table or a JSON array.

use imgshare::sharing::OwnedImage;
use imgshare_scp::{Image as ScpImage, ImageMember, MemberStatus};
use imgshare_tencent::Image as TencentImage;
use serde::Serialize;
use serde_json::{Value, json};

use super::{OutputFormat, TextLayout, json_line, records};

/// The JSON array of `list` (each item as the SDK serialises it), or a table of its `columns`
/// (header, field), `no images` when there is none: both outputs come from the same objects,
/// so they cannot disagree.
fn images(format: OutputFormat, columns: &[(&str, &str)], list: &[impl Serialize]) -> String {
    let objects: Vec<Value> = list.iter().map(|item| json!(item)).collect();
    match format {
        OutputFormat::Json => json_line(&Value::Array(objects)),
        OutputFormat::Text if objects.is_empty() => "no images\n".to_owned(),
        OutputFormat::Text => records(TextLayout::Table, columns, &objects),
    }
}

/// `tencent images`.
pub(crate) fn tencent_images(format: OutputFormat, list: &[TencentImage]) -> String {
    let columns = [
        ("IMAGE ID", "image_id"),
        ("TYPE", "image_type"),
        ("STATE", "image_state"),
        ("NAME", "image_name"),
    ];
    images(format, &columns, list)
}

/// `scp images` and `scp pending`.
pub(crate) fn scp_images(format: OutputFormat, list: &[ScpImage]) -> String {
    let columns = [
        ("IMAGE ID", "id"),
        ("VISIBILITY", "visibility"),
        ("STATUS", "status"),
        ("OWNER", "owner"),
        ("NAME", "name"),
    ];
    images(format, &columns, list)
}

/// `ncloud images`: the images of one API family, as the facade lists them.
pub(crate) fn owned_images(format: OutputFormat, list: &[OwnedImage]) -> String {
    let objects: Vec<Value> = (list.iter())
        .map(|i| json!({"image": i.id, "name": i.name}))
        .collect();
    images(format, &[("IMAGE", "image"), ("NAME", "name")], &objects)
}

/// `scp accept` / `scp reject`: the member as SCP now reports it.
pub(crate) fn scp_answer(format: OutputFormat, m: &ImageMember) -> String {
    match format {
        OutputFormat::Json => json_line(&json!(m)),
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
