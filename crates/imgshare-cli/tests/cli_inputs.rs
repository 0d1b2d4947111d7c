//! Input the binary must refuse before sending anything: keys with a line break inside, and
//! ids or regions longer than any real one. A loopback server counts what reaches it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{Canned, TempHome, imgshare};

/// Each provider's listing, and the key variables it reads.
const PROVIDERS: &[(&[&str], &str, &str)] = &[
    (
        &["tencent", "list", "--image", "img-6pb6lrmy"],
        "TENCENTCLOUD_SECRET_ID",
        "TENCENTCLOUD_SECRET_KEY",
    ),
    (
        &["ncloud", "list", "--image", "10000001"],
        "NCLOUD_ACCESS_KEY_ID",
        "NCLOUD_SECRET_ACCESS_KEY",
    ),
    (
        &[
            "scp",
            "list",
            "--image",
            "70a599e0-31e7-49b7-b260-868f441e862b",
        ],
        "SCP_ACCESS_KEY",
        "SCP_SECRET_KEY",
    ),
];

/// Fails if a CR/LF inside a key reaches the HTTP stack (an unsendable header, exit 4) instead
/// of being refused as a credentials error (exit 5) that names the variable, not its value.
#[test]
fn a_line_break_inside_a_key_is_a_credentials_error() {
    let home = TempHome::new("crlf");
    let server = Canned::start(200, "application/json", "{}");
    for (args, id_var, secret_var) in PROVIDERS {
        for var in [id_var, secret_var] {
            let value = "KEYPART\r\nX-Injected: 1";
            let out = imgshare(&home, &server.uri(), &[(var, value)], args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(5), "{var}: {stderr}");
            assert!(stderr.contains(var), "{var} not named: {stderr}");
            assert!(stderr.contains("line break"), "{var}: {stderr}");
            assert!(
                !stderr.contains("KEYPART"),
                "{var}'s value echoed: {stderr}"
            );
            assert!(
                !stderr.contains("X-Injected"),
                "{var}'s value echoed: {stderr}"
            );
        }
    }
    assert_eq!(server.requests(), 0, "nothing may be sent");
}

/// Fails if an id or region of any provider has no length bound (it would be sent, and the
/// canned answer would make the exit 4, not 2), or if its error quotes it whole.
#[test]
fn overlong_ids_and_regions_are_refused_before_sending() {
    let home = TempHome::new("bounds");
    let server = Canned::start(200, "application/json", "{}");
    let digits = "1".repeat(100_000);
    let region = "a".repeat(50_000);
    let login = format!("{}@example.com", "u".repeat(10_000));
    let member = "m".repeat(10_000);
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "tencent",
            "share",
            "--image",
            "img-6pb6lrmy",
            "--account",
            &digits,
        ],
        vec![
            "--region",
            &region,
            "tencent",
            "list",
            "--image",
            "img-6pb6lrmy",
        ],
        vec!["ncloud", "list", "--image", &digits],
        vec![
            "ncloud",
            "share",
            "--image",
            "10000001",
            "--account",
            &login,
        ],
        vec!["--region", &region, "ncloud", "list", "--image", "10000001"],
        vec!["--region", &region, "scp", "images"],
        vec![
            "scp",
            "share",
            "--image",
            "70a599e0-31e7-49b7-b260-868f441e862b",
            "--account",
            &member,
        ],
    ];
    for args in &cases {
        let out = imgshare(&home, &server.uri(), &[], args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown: String = stderr.chars().take(300).collect();
        assert_eq!(out.status.code(), Some(2), "{:?}: {shown}", &args[..3]);
        assert!(
            stderr.len() < 2_000,
            "{:?}: the error quotes it whole",
            &args[..3]
        );
    }
    assert_eq!(server.requests(), 0, "nothing may be sent");
}

/// Fails if `--timeout` stops taking durations (`90s`, `2m`) as `plan apply --wait-ready`
/// does, or lets a zero, over-a-day or unreadable one through to a request.
#[test]
fn timeouts_take_durations_and_bad_ones_are_refused_before_sending() {
    let home = TempHome::new("timeout");
    let server = Canned::start(200, "application/json", "{}");
    let list = [
        "tencent",
        "list",
        "--image",
        "img-6pb6lrmy",
        "--retries",
        "0",
    ];
    let run = |timeout: &str| {
        let args = [&list[..], &["--timeout", timeout]].concat();
        let out = imgshare(&home, &server.uri(), &[], &args);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for bad in ["0", "25h", "abc", "5ms"] {
        let (status, stderr) = run(bad);
        assert_eq!(status, Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("give a duration such as 90s"), "{stderr}");
    }
    assert_eq!(server.requests(), 0, "nothing may be sent");
    for good in ["30", "90s", "2m"] {
        let (status, stderr) = run(good);
        // Sent, and refused for what the canned answer lacks: not a usage error.
        assert_eq!(status, Some(4), "{good}: {stderr}");
    }
    assert_eq!(server.requests(), 3);
}

/// Fails if `inventory --format` with `--output json` prints one and ignores the other.
#[test]
fn conflicting_output_flags_are_refused() {
    let home = TempHome::new("conflict");
    let server = Canned::start(200, "application/json", "{}");
    for format in ["csv", "table"] {
        let args = ["--output", "json", "inventory", "--format", format];
        let out = imgshare(
            &home,
            &server.uri(),
            &[("TENCENTCLOUD_REGION", "ap-guangzhou")],
            &args,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{format}: {stderr}");
        assert!(stderr.contains("conflict"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    assert_eq!(server.requests(), 0, "nothing may be sent");
}

/// Fails if `--api` stops listing the families when one is misspelt, or a typo reaches a
/// provider (the family is parsed by the facade's `NcloudApi`, not by clap's own enum).
#[test]
fn a_misspelt_ncloud_api_family_is_a_usage_error_naming_the_families() {
    let home = TempHome::new("api");
    let server = Canned::start(200, "application/json", "{}");
    let out = imgshare(
        &home,
        &server.uri(),
        &[],
        &["ncloud", "images", "--api", "clasic"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("\"clasic\": use server-image, member-image or classic"),
        "{stderr}"
    );
    assert_eq!(server.requests(), 0, "nothing may be sent");
}
