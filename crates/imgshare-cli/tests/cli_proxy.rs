//! The proxy variables are honoured, and `--no-proxy` turns them off: `HTTP_PROXY` names a
//! loopback listener that counts connections, beside a loopback stand-in for the provider.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::{Canned, TempHome, imgshare};

const LISTING: &str = r#"{"Response":{"SharePermissionSet":[],"RequestId":"r-proxy"}}"#;
const ARGS: &[&str] = &["tencent", "list", "--image", "img-6pb6lrmy"];

/// Fails if `--no-proxy` does not reach the client's HTTP stack (the proxy would see the call).
#[test]
fn no_proxy_goes_straight_to_the_endpoint() {
    let home = TempHome::new("no-proxy");
    let endpoint = Canned::start(200, "application/json", LISTING);
    let proxy = Canned::start(200, "application/json", LISTING);
    let mut args = vec!["--no-proxy"];
    args.extend_from_slice(ARGS);
    let out = imgshare(
        &home,
        &endpoint.uri(),
        &[("HTTP_PROXY", &proxy.uri())],
        &args,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(proxy.requests(), 0, "the proxy saw the call");
    assert_eq!(endpoint.requests(), 1);
}

/// Fails if the proxy variables stop being honoured (enterprise networks rely on them).
#[test]
fn http_proxy_is_honoured_without_the_flag() {
    let home = TempHome::new("proxy");
    let endpoint = Canned::start(200, "application/json", LISTING);
    let proxy = Canned::start(200, "application/json", LISTING);
    let out = imgshare(
        &home,
        &endpoint.uri(),
        &[("HTTP_PROXY", &proxy.uri())],
        ARGS,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(proxy.requests(), 1, "the proxy was skipped");
    assert_eq!(endpoint.requests(), 0);
}
