//! Image listings (`tencent images`, `ncloud images`, `scp images` / `pending`) and SCP's
//! `accept` / `reject`: a table, or the SDK's objects as JSON.

use imgshare::sharing::OwnedImage;
use imgshare_scp::{Image as ScpImage, ImageMember};
use imgshare_tencent::Image as TencentImage;
use serde::Serialize;
use serde_json::{Value, json};

use super::{Rendered, TextLayout, line, records};

/// The JSON array of `list` (each item as the SDK serialises it), or a table of its `columns`
/// (header, field), `no images` when there is none: both outputs come from the same objects,
/// so they cannot disagree.
fn images(columns: &[(&str, &str)], list: &[impl Serialize]) -> Rendered {
    let objects: Vec<Value> = list.iter().map(|item| json!(item)).collect();
    let text = match objects.is_empty() {
        true => "no images\n".to_owned(),
        false => records(TextLayout::Table, columns, &objects),
    };
    Rendered(Value::Array(objects), text)
}

/// `tencent images`.
pub(crate) fn tencent_images(list: &[TencentImage]) -> Rendered {
    let columns = [
        ("IMAGE ID", "image_id"),
        ("TYPE", "image_type"),
        ("STATE", "image_state"),
        ("NAME", "image_name"),
    ];
    images(&columns, list)
}

/// `scp images` and `scp pending`.
pub(crate) fn scp_images(list: &[ScpImage]) -> Rendered {
    let columns = [
        ("IMAGE ID", "id"),
        ("VISIBILITY", "visibility"),
        ("STATUS", "status"),
        ("OWNER", "owner"),
        ("NAME", "name"),
    ];
    images(&columns, list)
}

/// `ncloud images`: the images of one API family, as the facade lists them.
pub(crate) fn owned_images(list: &[OwnedImage]) -> Rendered {
    images(&[("IMAGE", "image"), ("NAME", "name")], list)
}

/// `scp accept` / `scp reject`: the member as SCP now reports it (`IMAGE: member M is now
/// accepted`; the status is SCP's, whatever was asked).
pub(crate) fn scp_answer(m: &ImageMember) -> Rendered {
    let mut text = String::new();
    let (image, member, status) = (&m.image_id, &m.member_id, &m.status);
    line(
        &mut text,
        &format!("{image}: member {member} is now {status}"),
    );
    Rendered(json!(m), text)
}
