//! Seeds checked the way the API would check the same data.

use std::collections::{HashMap, HashSet};

use time::PrimitiveDateTime;
use time::macros::format_description;

use super::handlers::{MAX_SHARES_PER_IMAGE, is_account_id, is_image_id};
use super::regions;
use super::seed::{PUBLIC_IMAGE_OWNER, TencentImage, TencentSeed};

/// The documented values of the image fields that have a closed set.
const ENUMS: [(&str, &[&str]); 5] = [
    (
        "state",
        &[
            "CREATING",
            "NORMAL",
            "CREATEFAILED",
            "SYNCING",
            "IMPORTING",
            "IMPORTFAILED",
        ],
    ),
    ("architecture", &["x86_64", "arm", "i386"]),
    (
        "image_source",
        &["OFFICIAL", "CREATE_IMAGE", "EXTERNAL_IMPORT"],
    ),
    ("license_type", &["TencentCloud", "BYOL"]),
    (
        "image_type",
        &["PRIVATE_IMAGE", "PUBLIC_IMAGE", "SHARED_IMAGE"],
    ),
];

/// Every problem of `seed`, e.g. `images[0].image_id "img-1" is malformed ...`.
pub(crate) fn problems(seed: &TencentSeed) -> Vec<String> {
    let mut problems = Vec::new();
    let mut secret_ids = HashSet::new();
    for (i, account) in seed.accounts.iter().enumerate() {
        let (id, secret_id) = (&account.account_id, &account.secret_id);
        if !is_account_id(id) {
            problems.push(format!(
                "accounts[{i}].account_id {id:?} is not a numeric root-account id"
            ));
        }
        if secret_id.trim().is_empty() || secret_id.trim() != secret_id {
            let problem = "is empty or has surrounding whitespace";
            problems.push(format!("accounts[{i}].secret_id {secret_id:?} {problem}"));
        } else if !secret_ids.insert(secret_id) {
            problems.push(format!(
                "accounts[{i}].secret_id {secret_id:?} is used twice"
            ));
        }
        if account.secret_key.is_empty() {
            problems.push(format!("accounts[{i}].secret_key is empty"));
        }
    }
    let mut images = HashMap::new();
    for (i, image) in seed.images.iter().enumerate() {
        image_problems(&mut problems, &format!("images[{i}]"), image);
        if is_image_id(&image.image_id) && images.insert(&image.image_id, image).is_some() {
            problems.push(format!(
                "images[{i}].image_id {:?} is used twice",
                image.image_id
            ));
        }
    }
    let mut shared = HashSet::new();
    let mut per_image: HashMap<&str, usize> = HashMap::new();
    for (i, (image_id, account_id)) in seed.shares.iter().enumerate() {
        let at = format!("shares[{i}] [{image_id:?}, {account_id:?}]");
        let mut problem = |problem: &str| problems.push(format!("{at}: {problem}"));
        if !is_account_id(account_id) {
            problem("the account id is not a numeric root-account id (InvalidAccountId.NotFound)");
        }
        match images.get(image_id) {
            None => problem(&format!(
                "no image {image_id:?} in images (InvalidImageId.NotFound)"
            )),
            Some(image) if image.is_public() => problem("a public image cannot be shared"),
            Some(image) if image.owner_account_id == *account_id => {
                problem("an image cannot be shared with its owner (InvalidAccountIs.YourSelf)");
            }
            Some(_) => {}
        }
        if images.get(image_id).is_some_and(|image| image.is_byol()) {
            problem("a BYOL image cannot be shared (FailedOperation.BYOLImageShareFailed)");
        }
        if !shared.insert((image_id, account_id)) {
            problem("shared twice (FailedOperation.AccountAlreadyExists)");
        }
        let count = per_image.entry(image_id).or_default();
        *count += 1;
        if *count == MAX_SHARES_PER_IMAGE + 1 {
            problem(&format!(
                "more than {MAX_SHARES_PER_IMAGE} shares of one image (OverQuota)"
            ));
        }
    }
    problems
}

fn image_problems(problems: &mut Vec<String>, at: &str, image: &TencentImage) {
    let (id, owner, region) = (&image.image_id, &image.owner_account_id, &image.region);
    if !is_image_id(id) {
        let expected = "expected img- and 8 lowercase letters or digits";
        problems.push(format!(
            "{at}.image_id {id:?} is malformed (InvalidImageId.Malformed): {expected}"
        ));
    }
    if owner != PUBLIC_IMAGE_OWNER && !is_account_id(owner) {
        let problem = format!("is neither a numeric account id nor {PUBLIC_IMAGE_OWNER:?}");
        problems.push(format!("{at}.owner_account_id {owner:?} {problem}"));
    }
    if !regions::is_known(region) {
        problems.push(format!(
            "{at}.region {region:?} is not a CVM region (InvalidRegion.NotFound)"
        ));
    }
    let values = [
        Some(&image.state),
        Some(&image.architecture),
        Some(&image.image_source),
        Some(&image.license_type),
        image.image_type.as_ref(),
    ];
    for ((field, allowed), value) in ENUMS.iter().zip(values) {
        if let Some(value) = value.filter(|v| !allowed.contains(&v.as_str())) {
            let allowed = allowed.join(", ");
            problems.push(format!("{at}.{field} {value:?} is not one of {allowed}"));
        }
    }
    if !is_utc_timestamp(&image.created_time) {
        let expected = "is not ISO 8601 UTC (YYYY-MM-DDThh:mm:ssZ or +00:00)";
        problems.push(format!(
            "{at}.created_time {:?} {expected}",
            image.created_time
        ));
    }
    // Compared as text with the clock's `YYYY-MM-DDThh:mm:ssZ`, so only that form.
    if let Some(t) = image
        .normal_from
        .as_ref()
        .filter(|t| !t.ends_with('Z') || !is_utc_timestamp(t))
    {
        problems.push(format!(
            "{}.normal_from {t:?} is not YYYY-MM-DDThh:mm:ssZ",
            at
        ));
    }
    for (t, _) in image
        .tags
        .iter()
        .enumerate()
        .filter(|(_, tag)| tag.key.is_empty())
    {
        problems.push(format!("{at}.tags[{t}].key is empty"));
    }
}

/// `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss+00:00`, a real date and time.
fn is_utc_timestamp(text: &str) -> bool {
    let core = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"));
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    core.is_some_and(|core| PrimitiveDateTime::parse(core, format).is_ok())
}

#[cfg(test)]
mod tests {
    use super::is_utc_timestamp;

    #[test]
    fn utc_timestamps_in_both_forms() {
        assert!(is_utc_timestamp("2020-09-22T00:00:00+00:00"));
        assert!(is_utc_timestamp("2018-06-10T11:02:50Z"));
        assert!(!is_utc_timestamp("2018-06-10T11:02:50+08:00"));
        assert!(!is_utc_timestamp("2018-06-10 11:02:50Z"));
        assert!(!is_utc_timestamp("2018-02-30T11:02:50Z"));
        assert!(!is_utc_timestamp("2018-06-10T24:02:50Z"));
        assert!(!is_utc_timestamp("2018-6-10T11:02:50Z"));
    }
}
