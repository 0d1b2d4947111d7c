//! Seeds checked the way the API would check the same data.

use std::collections::{HashMap, HashSet};

use super::handlers::{MAX_SHARES_PER_IMAGE, is_account_id, is_image_id};
use super::regions;
use super::seed::{PUBLIC_IMAGE_OWNER, TencentSeed};

const STATES: &[&str] = &[
    "CREATING",
    "NORMAL",
    "CREATEFAILED",
    "SYNCING",
    "IMPORTING",
    "IMPORTFAILED",
];
const ARCHITECTURES: &[&str] = &["x86_64", "arm", "i386"];
const SOURCES: &[&str] = &["OFFICIAL", "CREATE_IMAGE", "EXTERNAL_IMPORT"];
const LICENSES: &[&str] = &["TencentCloud", "BYOL"];
const TYPES: &[&str] = &["PRIVATE_IMAGE", "PUBLIC_IMAGE", "SHARED_IMAGE"];

fn one_of(problems: &mut Vec<String>, at: &str, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        problems.push(format!(
            "{at} {value:?} is not one of {}",
            allowed.join(", ")
        ));
    }
}

/// Every problem of `seed`, e.g. `images[0].image_id "img-1" is malformed ...`.
pub(crate) fn problems(seed: &TencentSeed) -> Vec<String> {
    let mut problems = Vec::new();
    let mut secret_ids = HashSet::new();
    for (i, account) in seed.accounts.iter().enumerate() {
        if !is_account_id(&account.account_id) {
            problems.push(format!(
                "accounts[{i}].account_id {:?} is not a numeric root-account id",
                account.account_id
            ));
        }
        if account.secret_id.trim().is_empty() || account.secret_id.trim() != account.secret_id {
            problems.push(format!(
                "accounts[{i}].secret_id {:?} is empty or has surrounding whitespace",
                account.secret_id
            ));
        } else if !secret_ids.insert(account.secret_id.as_str()) {
            problems.push(format!(
                "accounts[{i}].secret_id {:?} is used twice",
                account.secret_id
            ));
        }
        if account.secret_key.is_empty() {
            problems.push(format!("accounts[{i}].secret_key is empty"));
        }
    }
    let mut images = HashMap::new();
    for (i, image) in seed.images.iter().enumerate() {
        let at = format!("images[{i}]");
        if !is_image_id(&image.image_id) {
            problems.push(format!(
                "{at}.image_id {:?} is malformed (InvalidImageId.Malformed): expected img- and 8 lowercase letters or digits",
                image.image_id
            ));
        } else if images.insert(image.image_id.as_str(), image).is_some() {
            problems.push(format!("{at}.image_id {:?} is used twice", image.image_id));
        }
        if image.owner_account_id != PUBLIC_IMAGE_OWNER && !is_account_id(&image.owner_account_id) {
            problems.push(format!(
                "{at}.owner_account_id {:?} is neither a numeric account id nor {PUBLIC_IMAGE_OWNER:?}",
                image.owner_account_id
            ));
        }
        if !regions::is_known(&image.region) {
            problems.push(format!(
                "{at}.region {:?} is not a CVM region (InvalidRegion.NotFound)",
                image.region
            ));
        }
        one_of(&mut problems, &format!("{at}.state"), &image.state, STATES);
        one_of(
            &mut problems,
            &format!("{at}.architecture"),
            &image.architecture,
            ARCHITECTURES,
        );
        one_of(
            &mut problems,
            &format!("{at}.image_source"),
            &image.image_source,
            SOURCES,
        );
        one_of(
            &mut problems,
            &format!("{at}.license_type"),
            &image.license_type,
            LICENSES,
        );
        if let Some(image_type) = &image.image_type {
            one_of(
                &mut problems,
                &format!("{at}.image_type"),
                image_type,
                TYPES,
            );
        }
        if !is_utc_timestamp(&image.created_time) {
            problems.push(format!(
                "{at}.created_time {:?} is not ISO 8601 UTC (YYYY-MM-DDThh:mm:ssZ or +00:00)",
                image.created_time
            ));
        }
        for (t, tag) in image.tags.iter().enumerate() {
            if tag.key.is_empty() {
                problems.push(format!("{at}.tags[{t}].key is empty"));
            }
        }
    }
    let mut shared = HashSet::new();
    let mut per_image: HashMap<&str, usize> = HashMap::new();
    for (i, (image_id, account_id)) in seed.shares.iter().enumerate() {
        let at = format!("shares[{i}] [{image_id:?}, {account_id:?}]");
        if !is_account_id(account_id) {
            problems.push(format!(
                "{at}: the account id is not a numeric root-account id (InvalidAccountId.NotFound)"
            ));
        }
        match images.get(image_id.as_str()) {
            None => problems.push(format!(
                "{at}: no image {image_id:?} in images (InvalidImageId.NotFound)"
            )),
            Some(image) => {
                if image.is_public() {
                    problems.push(format!("{at}: a public image cannot be shared"));
                } else if image.owner_account_id == *account_id {
                    problems.push(format!(
                        "{at}: an image cannot be shared with its owner (InvalidAccountIs.YourSelf)"
                    ));
                }
                if image.is_byol() {
                    problems.push(format!(
                        "{at}: a BYOL image cannot be shared (FailedOperation.BYOLImageShareFailed)"
                    ));
                }
            }
        }
        if !shared.insert((image_id.as_str(), account_id.as_str())) {
            problems.push(format!(
                "{at}: shared twice (FailedOperation.AccountAlreadyExists)"
            ));
        }
        let count = per_image.entry(image_id.as_str()).or_default();
        *count += 1;
        if *count == MAX_SHARES_PER_IMAGE + 1 {
            problems.push(format!(
                "{at}: more than {MAX_SHARES_PER_IMAGE} shares of one image (OverQuota)"
            ));
        }
    }
    problems
}

/// `YYYY-MM-DDThh:mm:ssZ` or `YYYY-MM-DDThh:mm:ss+00:00`, a real date and time.
fn is_utc_timestamp(text: &str) -> bool {
    let Some(core) = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))
    else {
        return false;
    };
    let b = core.as_bytes();
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = core.get(range)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return false;
    };
    let Ok(month) = time::Month::try_from(u8::try_from(month).unwrap_or(0)) else {
        return false;
    };
    let date_ok = i32::try_from(year).is_ok_and(|y| {
        time::Date::from_calendar_date(y, month, u8::try_from(day).unwrap_or(0)).is_ok()
    });
    date_ok && hour < 24 && minute < 60 && second < 60
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
