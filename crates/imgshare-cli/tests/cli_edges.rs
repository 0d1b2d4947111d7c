//! The `imgshare` binary against a loopback server that gives one canned answer to every
//! request: what a hostile or broken endpoint can make it print, and how it exits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{Canned, TempHome, imgshare};

/// The listings of every provider, with valid arguments.
const LISTINGS: &[&[&str]] = &[
    &["tencent", "list", "--image", "img-6pb6lrmy"],
    &["tencent", "images"],
    &["ncloud", "list", "--image", "10000001"],
    &["ncloud", "images"],
    &[
        "ncloud",
        "list",
        "--api",
        "member-image",
        "--image",
        "10000001",
    ],
    &["ncloud", "images", "--api", "member-image"],
    &["ncloud", "list", "--api", "classic", "--image", "10000001"],
    &["ncloud", "images", "--api", "classic"],
    &[
        "scp",
        "list",
        "--image",
        "70a599e0-31e7-49b7-b260-868f441e862b",
    ],
    &["scp", "images"],
    &["scp", "pending"],
];

#[test]
fn every_listing_refuses_an_unrelated_answer() {
    let home = TempHome::new("unrelated");
    for body in [
        r#"{"hello":"world"}"#,
        "{}",
        r#"{"Response":{"RequestId":"r"}}"#,
        r#"{"anyResponse":{"returnCode":"0"}}"#,
    ] {
        let server = Canned::start(200, "application/json", body);
        for args in LISTINGS {
            let out = imgshare(&home, &server.uri(), &[], args);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(4), "{args:?} with {body}: {stderr}");
            assert!(
                stderr.contains("unreadable response"),
                "{args:?} with {body}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{args:?} with {body}");
        }
        assert!(server.requests() >= LISTINGS.len(), "every listing asked");
    }
}

/// What a terminal would act on: ESC, BEL, a CSI in 8 bits.
fn assert_inert(what: &str, text: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{9b}', '\r'] {
        assert!(!text.contains(c), "{what} holds {c:?}: {text:?}");
    }
}

#[test]
fn a_server_error_message_reaches_the_terminal_escaped() {
    let home = TempHome::new("escape");
    let body = r#"{"Response":{"Error":{"Code":"InvalidParameter\u001b]0;pwned\u0007","Message":"bad \u001b[2J\u001b[H cleared\nerror: forged line"},"RequestId":"r\r\u009b2J"}}"#;
    let server = Canned::start(200, "application/json", body);
    let out = imgshare(
        &home,
        &server.uri(),
        &[],
        &["tencent", "list", "--image", "img-6pb6lrmy"],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_inert("stderr", &stderr);
    let error = stderr.lines().last().unwrap();
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{stderr}"
    );
    assert!(error.contains(r"bad \u{1b}[2J\u{1b}[H cleared"), "{error}");
    assert!(
        error.contains(r"InvalidParameter\u{1b}]0;pwned\u{7}"),
        "{error}"
    );

    // JSON stays as serde_json writes it: escaped by JSON's own rules, the value intact.
    let out = imgshare(
        &home,
        &server.uri(),
        &[],
        &[
            "--output",
            "json",
            "tencent",
            "list",
            "--image",
            "img-6pb6lrmy",
        ],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    for c in ['\u{1b}', '\u{7}', '\r'] {
        assert!(!stderr.contains(c), "JSON escapes {c:?}: {stderr:?}");
    }
    let doc: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert!(
        doc["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\u{1b}[2J"),
        "{doc}"
    );
}

#[test]
fn names_in_tables_cannot_forge_rows_or_move_the_cursor() {
    let home = TempHome::new("table");
    let body = r#"{"Response":{"ImageSet":[{"ImageId":"img-6pb6lrmy","ImageName":"evil\u001b[2J\nimg-forged01  PRIVATE_IMAGE  forged","ImageType":"PRIVATE_IMAGE"}],"TotalCount":1,"RequestId":"r"}}"#;
    let server = Canned::start(200, "application/json", body);
    let out = imgshare(&home, &server.uri(), &[], &["tencent", "images"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_inert("stdout", &stdout);
    assert!(
        !stdout.lines().any(|l| l.starts_with("img-forged01")),
        "{stdout}"
    );
    assert!(stdout.contains(r"evil\u{1b}[2J\nimg-forged01"), "{stdout}");
}

/// Fails if an NCP answer without the asked-for image exits 2 (bad input) rather than 3 (not
/// found), or prints "(request id none)".
#[test]
fn an_ncloud_image_missing_from_the_answer_is_not_found() {
    let home = TempHome::new("ncp-missing");
    let body = r#"{"getServerImageDetailResponse":{"requestId":"","returnCode":"0","returnMessage":"success","totalRows":0,"serverImageList":[]}}"#;
    let server = Canned::start(200, "application/json", body);
    let out = imgshare(
        &home,
        &server.uri(),
        &[],
        &["ncloud", "list", "--image", "10000001"],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("10000001 was not in the answer"),
        "{stderr}"
    );
    assert!(!stderr.contains("request id"), "{stderr}");
}
