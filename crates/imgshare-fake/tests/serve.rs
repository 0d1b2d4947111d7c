//! `imgshare-fake serve` as a user runs it: one address, three providers, each answering its own
//! paths with its own checks (here: the refusal of an unsigned request, which each provider
//! words differently).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start() -> (Server, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .args(["serve", "--output", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let document = serde_json::from_str(&line).unwrap();
    (Server(child), document)
}

/// One raw HTTP/1.1 exchange: the status line and the body.
fn exchange(endpoint: &str, method: &str, path: &str, body: &str) -> (String, String) {
    let address = endpoint.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.lines().next().unwrap_or_default().to_owned();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn one_address_serves_all_three_providers() {
    let (_server, document) = start();
    let endpoint = document["endpoint"].as_str().unwrap();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{document}");
    assert!(!document["accounts"].as_array().unwrap().is_empty());
    assert_eq!(document["ncloud"]["endpoint"], endpoint);
    assert!(
        !document["ncloud"]["seed"]["accounts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        !document["scp"]["seed"]["accounts"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Tencent: an unsigned POST / is answered in Tencent's envelope, with HTTP 200.
    let (status, body) = exchange(endpoint, "POST", "/", "{}");
    assert!(status.contains(" 200"), "{status}");
    assert!(body.contains("\"Error\""), "{body}");

    // NAVER Cloud: the API Gateway refuses a request without its signature headers.
    let (status, body) = exchange(endpoint, "GET", "/vserver/v2/getServerImageList", "");
    assert!(status.contains(" 401"), "{status} {body}");
    assert!(body.contains("errorCode"), "{body}");

    // SCP: the gateway answers 404 with its own shape when the auth headers are missing.
    let (status, body) = exchange(endpoint, "GET", "/v1/images", "");
    assert!(status.contains(" 404"), "{status} {body}");
    assert!(
        body.contains("requestId") || body.contains("request_id"),
        "{body}"
    );
}

#[test]
fn an_unreadable_seed_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .args(["serve", "--scp-seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("seed"));
}

#[test]
fn the_json_document_starts_with_the_tencent_seed_as_before() {
    let (_server, document) = start();
    assert_eq!(document["region"], "ap-guangzhou");
    assert!(document["note"].as_str().unwrap().contains("TEST keys"));
    let seed: imgshare_testkit::TencentSeed = serde_json::from_value(document.clone()).unwrap();
    assert_eq!(seed, imgshare_testkit::TencentSeed::demo());
}

#[cfg(unix)]
#[test]
fn text_with_a_seed_file_then_a_clean_stop_on_sigterm() {
    use imgshare_testkit::{TencentAccount, TencentImage, TencentSeed};
    let dir = std::env::temp_dir().join(format!("imgshare-fake-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    let mut seed = TencentSeed::default();
    seed.accounts.push(TencentAccount::new(
        "200000000001",
        "AKIDSEEDFILE",
        "seed-file-key",
    ));
    seed.images
        .push(TencentImage::new("img-seed0001", "200000000001").with_name("from-file"));
    seed.shares
        .push(("img-seed0001".into(), "200000000002".into()));
    std::fs::write(&path, serde_json::to_string(&seed).unwrap()).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .args(["serve", "--seed", path.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        text.push_str(&line);
        text.push('\n');
        if line.starts_with("Serving until") {
            break;
        }
    }
    for needle in [
        "TEST keys",
        "AKIDSEEDFILE",
        "seed-file-key",
        "img-seed0001",
        "from-file",
        "img-seed0001 -> 200000000002",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{status:?}");
    assert!(stderr.contains("stopping"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_tencent_seed_is_a_usage_error() {
    let dir = std::env::temp_dir().join(format!("imgshare-fake-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("seed.json");
    std::fs::write(&path, "{\"accounts\": 5}").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .args(["serve", "--seed", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid seed JSON"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The admin API of every cloud over real loopback HTTP, as a test in another language drives
/// it: NAVER Cloud and SCP used to have none.
#[test]
fn every_cloud_answers_its_admin_api() {
    let (_server, document) = start();
    let endpoint = document["endpoint"].as_str().unwrap();
    let json = |(status, body): (String, String)| {
        assert!(status.contains(" 200"), "{status} {body}");
        serde_json::from_str::<serde_json::Value>(&body).unwrap()
    };
    for (cloud, image) in [
        ("tencent", "img-demo0001"),
        ("ncloud", "10000001"),
        ("scp", "00000000-0000-4000-8000-0000000000a1"),
    ] {
        assert_eq!(
            document["admin"][cloud],
            format!("{endpoint}/_fake/{cloud}/")
        );
        let state = json(exchange(
            endpoint,
            "GET",
            &format!("/_fake/{cloud}/state"),
            "",
        ));
        assert!(state.to_string().contains(image), "{cloud}: {state}");
        assert!(!state["accounts"].as_array().unwrap().is_empty(), "{cloud}");
        assert_eq!(state["request_count"], 0, "{cloud}");
        assert_eq!(state["clock_offset_secs"], 0, "{cloud}");
        // Absurd clock offsets are refused, not accepted into a clock that then accepts any
        // timestamp.
        for offset in [i64::MIN, i64::MAX, 315_576_001] {
            let body = format!("{{\"offset_secs\":{offset}}}");
            let path = format!("/_fake/{cloud}/clock");
            let (status, text) = exchange(endpoint, "POST", &path, &body);
            assert!(status.contains(" 400"), "{cloud} {offset}: {status} {text}");
        }
        let clock = json(exchange(
            endpoint,
            "POST",
            &format!("/_fake/{cloud}/clock"),
            "{\"offset_secs\":-3600}",
        ));
        assert_eq!(clock["clock_offset_secs"], -3600, "{cloud}");
    }

    // A fault queued on one cloud hits that cloud's next request, and the log shows it.
    let faults = json(exchange(
        endpoint,
        "POST",
        "/_fake/ncloud/faults",
        "{\"fault\":\"Html502\"}",
    ));
    assert_eq!(faults["ok"], true);
    let (status, _) = exchange(endpoint, "GET", "/v1/images", "");
    assert!(status.contains(" 404"), "SCP is not faulted: {status}");
    let (status, body) = exchange(endpoint, "GET", "/vserver/v2/getServerImageList", "");
    assert!(status.contains(" 502"), "{status} {body}");
    let log = json(exchange(endpoint, "GET", "/_fake/ncloud/requests", ""));
    assert_eq!(log[0]["fault"], "Html502");
    assert_eq!(log[0]["status"], 502);

    // Seeding over HTTP, then a reset back to the start seed.
    let added = json(exchange(
        endpoint,
        "POST",
        "/_fake/scp/images",
        "{\"id\":\"11111111-0000-4000-8000-000000000001\",\"owner\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1\"}",
    ));
    assert_eq!(added["ok"], true);
    let seed = json(exchange(endpoint, "GET", "/_fake/scp/seed", ""));
    assert_eq!(seed["images"].as_array().unwrap().len(), 5);
    json(exchange(endpoint, "POST", "/_fake/scp/reset", ""));
    let seed = json(exchange(endpoint, "GET", "/_fake/scp/seed", ""));
    assert_eq!(seed["images"].as_array().unwrap().len(), 4);
}

/// The text printout names every seeded image of every cloud (it used to list no NAVER Cloud
/// image).
#[test]
fn text_lists_every_seeded_image() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_imgshare-fake"))
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut text = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        text.push_str(&line);
        text.push('\n');
        if line.starts_with("Serving until") {
            break;
        }
    }
    let _server = Server(child);
    let seeds = imgshare_testkit::FakeSeeds::demo();
    let tencent = seeds.tencent.images.iter().map(|i| i.image_id.clone());
    let ncloud = seeds.ncloud.images.iter().map(|i| i.image_no.clone());
    let classic = seeds
        .ncloud
        .classic_images
        .iter()
        .map(|i| i.image_no.clone());
    let scp = seeds.scp.images.iter().map(|i| i.id.clone());
    for image in tencent.chain(ncloud).chain(classic).chain(scp) {
        assert!(text.contains(&format!("image {image} ")), "{image}: {text}");
    }
    assert!(text.contains("/_fake/{tencent,ncloud,scp}/"), "{text}");
}
