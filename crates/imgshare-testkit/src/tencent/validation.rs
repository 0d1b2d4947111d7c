//! Seeds checked the way the API would check the same data.

use std::collections::{HashMap, HashSet};

use time::PrimitiveDateTime;
use time::macros::format_description;

use super::api::api;
use super::handlers::MAX_SHARES_PER_IMAGE;
use super::params::{is_account_id, is_image_id};
use super::seed::{PUBLIC_IMAGE_OWNER, TencentImage, TencentSeed};

/// Every problem of `seed`, e.g. `images[0].image_id "img-1" is malformed ...`.
pub(crate) fn problems(seed: &TencentSeed) -> Vec<String> {
    let mut problems = Vec::new();
    let mut flag = |bad: bool, problem: String| problems.extend(bad.then_some(problem));
    let mut secret_ids = HashSet::new();
    for (i, account) in seed.accounts.iter().enumerate() {
        let (id, secret_id) = (&account.account_id, &account.secret_id);
        let at = format!("accounts[{i}]");
        let numeric = format!("{at}.account_id {id:?} is not a numeric root-account id");
        flag(!is_account_id(id), numeric);
        let blank = secret_id.trim().is_empty() || secret_id.trim() != secret_id;
        let problem = "is empty or has surrounding whitespace";
        flag(blank, format!("{at}.secret_id {secret_id:?} {problem}"));
        let twice = !blank && !secret_ids.insert(secret_id);
        flag(twice, format!("{at}.secret_id {secret_id:?} is used twice"));
        let no_key = account.secret_key.is_empty();
        flag(no_key, format!("{at}.secret_key is empty"));
    }
    let mut images = HashMap::new();
    for (i, image) in seed.images.iter().enumerate() {
        image_problems(&mut flag, &format!("images[{i}]"), image);
        let id = &image.image_id;
        let twice = is_image_id(id) && images.insert(id, image).is_some();
        flag(twice, format!("images[{i}].image_id {id:?} is used twice"));
    }
    let (mut shared, mut per_image) = (HashSet::new(), HashMap::<&str, usize>::new());
    for (i, (image_id, account_id)) in seed.shares.iter().enumerate() {
        let at = format!("shares[{i}] [{image_id:?}, {account_id:?}]");
        let mut problem = |bad: bool, problem: &str| flag(bad, format!("{at}: {problem}"));
        let numeric = "the account id is not a numeric root-account id (InvalidAccountId.NotFound)";
        problem(!is_account_id(account_id), numeric);
        let image = images.get(image_id);
        let missing = format!("no image {image_id:?} in images (InvalidImageId.NotFound)");
        problem(image.is_none(), &missing);
        let public = image.is_some_and(|image| image.is_public());
        problem(public, "a public image cannot be shared");
        let own = !public && image.is_some_and(|image| image.owner_account_id == *account_id);
        let yourself = "an image cannot be shared with its owner (InvalidAccountIs.YourSelf)";
        problem(own, yourself);
        let byol = "a BYOL image cannot be shared (FailedOperation.BYOLImageShareFailed)";
        problem(image.is_some_and(|image| image.is_byol()), byol);
        let whole =
            "a whole-instance image cannot be shared (InvalidParameter.InstanceImageNotSupport)";
        problem(image.is_some_and(|image| image.is_whole_instance()), whole);
        let twice = !shared.insert((image_id, account_id));
        problem(twice, "shared twice (FailedOperation.AccountAlreadyExists)");
        let count = per_image.entry(image_id).or_default();
        *count += 1;
        let quota = format!("more than {MAX_SHARES_PER_IMAGE} shares of one image (OverQuota)");
        problem(*count == MAX_SHARES_PER_IMAGE + 1, &quota);
    }
    problems
}

fn image_problems(flag: &mut impl FnMut(bool, String), at: &str, image: &TencentImage) {
    let (id, owner, region) = (&image.image_id, &image.owner_account_id, &image.region);
    let expected = "expected img- and 8 lowercase letters or digits";
    let malformed = format!("{at}.image_id {id:?} is malformed (InvalidImageId.Malformed)");
    flag(!is_image_id(id), format!("{malformed}: {expected}"));
    let problem = format!("is neither a numeric account id nor {PUBLIC_IMAGE_OWNER:?}");
    let bad = owner != PUBLIC_IMAGE_OWNER && !is_account_id(owner);
    flag(bad, format!("{at}.owner_account_id {owner:?} {problem}"));
    let unknown = format!("{at}.region {region:?} is not a CVM region (InvalidRegion.NotFound)");
    flag(!api().is_region(region), unknown);
    // The fields with documented values, by their names in the seed.
    let fields = serde_json::to_value(image).unwrap_or_default();
    for (field, allowed) in &api().image_values {
        if let Some(value) = fields[field.as_str()].as_str() {
            let one_of = allowed.join(", ");
            let problem = format!("{at}.{field} {value:?} is not one of {one_of}");
            flag(!allowed.iter().any(|a| a == value), problem);
        }
    }
    let expected = "is not ISO 8601 UTC (YYYY-MM-DDThh:mm:ssZ or +00:00)";
    let created = &image.created_time;
    let bad = !is_utc_timestamp(created);
    flag(bad, format!("{at}.created_time {created:?} {expected}"));
    // Compared as text with the clock's `YYYY-MM-DDThh:mm:ssZ`, so only that form.
    if let Some(t) = &image.normal_from {
        let problem = format!("{at}.normal_from {t:?} is not YYYY-MM-DDThh:mm:ssZ");
        flag(!(t.ends_with('Z') && is_utc_timestamp(t)), problem);
    }
    for (t, tag) in image.tags.iter().enumerate() {
        flag(tag.key.is_empty(), format!("{at}.tags[{t}].key is empty"));
    }
    for (s, snapshot) in image.snapshots.iter().enumerate() {
        let usage = &snapshot.disk_usage;
        let documented = ["SYSTEM_DISK", "DATA_DISK"].contains(&usage.as_str());
        let at = format!("{at}.snapshots[{s}].disk_usage");
        let problem = "is not one of SYSTEM_DISK, DATA_DISK";
        flag(!documented, format!("{at} {usage:?} {problem}"));
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
