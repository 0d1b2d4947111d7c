//! The fakes' signature verifiers, stage by stage.
//!
//! Random text rarely gets past a verifier's first check, so each input starts valid: a request
//! signed with the testkit's own public signing steps (Tencent, NCP) or a local HMAC (SCP, whose
//! signer is private to the testkit), then one stage, drawn at random, is broken (or none). The
//! verdict (the stage that refused the input, or "accepted") is read from the verifier's answer;
//! an answer the run cannot place is reported as an error. The run fails unless every stage of
//! every verifier refused some input and every verifier accepted some.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::inputs::Gen;

/// A verifier under fuzzing: its checks in order, and one run on a generated input.
pub(crate) struct Verifier {
    /// The stages, in the order the verifier checks them.
    pub(crate) stages: &'static [&'static str],
    /// Draws an input, verifies it; `Ok(stage)` is the stage that refused it, or
    /// `stages.len()` when accepted; `Err` is an answer no stage explains.
    pub(crate) run: fn(&mut Gen) -> Result<usize, String>,
}

pub(crate) const TC3: Verifier = Verifier {
    stages: &[
        "parse: algorithm",
        "parse: fields",
        "parse: credential scope",
        "parse: SignedHeaders",
        "parse: Signature format",
        "X-TC-Timestamp",
        "scope date",
        "scope service",
        "clock skew",
        "required signed headers",
        "signed header present",
        "signature",
    ],
    run: tc3_once,
};

pub(crate) const TENCENT_V1: Verifier = Verifier {
    stages: &["Timestamp", "clock skew", "signature"],
    run: v1_once,
};

/// In the order of the NCP fake's gateway (`ncloud::auth`, private), from the public parts.
pub(crate) const NCLOUD: Verifier = Verifier {
    stages: &["timestamp format", "clock skew", "signature"],
    run: ncloud_once,
};

pub(crate) const SCP: Verifier = Verifier {
    stages: &["signature encoding", "signature"],
    run: scp_once,
};

const SECRET: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
const SECRET_ID: &str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";

/// Which stage to break: one of `stages`, or `stages` itself for none.
fn stage_to_break(g: &mut Gen, stages: usize) -> usize {
    g.rng.usize(..=stages)
}

/// `seed`, changed, without the characters that would break an earlier stage.
fn changed_without(g: &mut Gen, seed: &str, forbidden: &[char]) -> String {
    let text: String = g.changed(seed).replace(forbidden, "");
    if text.is_empty() || text == seed {
        format!("{seed}x")
    } else {
        text
    }
}

fn tc3_once(g: &mut Gen) -> Result<usize, String> {
    use imgshare_testkit::tc3;
    let stage = stage_to_break(g, TC3.stages.len());

    // A valid request: a timestamp `time` can date, any body and header values.
    let timestamp = g.rng.i64(0..253_402_300_800);
    let mut timestamp_text = timestamp.to_string();
    let mut now = timestamp + g.rng.i64(-tc3::MAX_SKEW_SECS..=tc3::MAX_SKEW_SECS);
    let body = g.body();
    let mut headers = vec![
        (
            "Content-Type".to_owned(),
            g.content_type().unwrap_or_default(),
        ),
        (
            "Host".to_owned(),
            g.text(&["cvm.tencentcloudapi.com", "127.0.0.1:1"]),
        ),
        ("X-TC-Action".to_owned(), g.text(&["DescribeImages"])),
    ];
    let mut signed = vec!["content-type".to_owned(), "host".to_owned()];
    if g.rng.bool() {
        signed.push("x-tc-action".to_owned());
    }
    let method = if g.rng.bool() { "POST" } else { "GET" };
    let path = "/";
    let query = g.text(&["", "Action=DescribeImages&Limit=1"]);
    let mut date = tc3::utc_date(timestamp).ok_or("a timestamp in range has no date")?;
    let mut service = "cvm".to_owned();
    let mut secret_id = SECRET_ID.to_owned();
    let signature = {
        let pairs: Vec<(&str, &str)> = signed
            .iter()
            .map(|name| {
                let value = headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name));
                (name.as_str(), value.map_or("", |(_, v)| v.as_str()))
            })
            .collect();
        let creq = tc3::canonical_request(method, path, &query, &pairs, &body);
        let sts = tc3::string_to_sign(
            &timestamp_text,
            &tc3::credential_scope(&date, &service),
            &creq,
        );
        tc3::signature(
            &tc3::derive_keys(SECRET, &date, &service).secret_signing,
            &sts,
        )
    };
    // The header names as a client may send them: any order and case (verify canonicalises).
    if g.rng.bool() {
        signed.reverse();
        signed[0] = signed[0].to_ascii_uppercase();
    }

    let mut algorithm = tc3::ALGORITHM.to_owned();
    let mut fields = vec![
        ("Credential".to_owned(), String::new()),
        ("SignedHeaders".to_owned(), String::new()),
        ("Signature".to_owned(), signature.clone()),
    ];
    let mut separator = ", ".to_owned();
    let mut after_algorithm = " ";
    let mut terminator = tc3::TERMINATOR.to_owned();
    let (mut body, mut method, mut secret) = (body, method, SECRET);
    match stage {
        0 => algorithm = g.changed(&algorithm),
        1 => match g.rng.u8(..5) {
            0 => after_algorithm = "",
            1 => {
                let i = g.rng.usize(..fields.len());
                fields[i].0 = changed_without(g, &fields[i].0.clone(), &[',', '=']);
            }
            2 => {
                let i = g.rng.usize(..fields.len());
                fields.push(fields[i].clone());
            }
            3 => {
                fields.remove(g.rng.usize(..fields.len()));
            }
            _ => separator = changed_without(g, &separator, &[',']),
        },
        2 => match g.rng.u8(..4) {
            0 => terminator = changed_without(g, &terminator, &[',', '/']),
            1 => secret_id = String::new(),
            2 => date = format!("{date}/{}", g.text(&["extra"])),
            _ => service = String::new(),
        },
        3 => {
            let at = g.rng.usize(..=signed.len());
            signed.insert(at, String::new());
        }
        4 => {
            let changed = g.changed(&signature);
            fields[2].1 = changed.replace(',', "");
        }
        5 => {
            timestamp_text = if g.rng.bool() {
                g.changed(&timestamp_text)
            } else {
                g.text(&["253402300800", "-377705116801", "99999999999999999999", ""])
            };
        }
        6 => {
            date = if g.rng.bool() {
                let days = g.rng.i64(1..100_000) * if g.rng.bool() { 1 } else { -1 };
                tc3::utc_date(timestamp + days * 86_400).unwrap_or_else(|| "1970-01-00".into())
            } else {
                changed_without(g, &date, &[',', '/'])
            };
        }
        7 => service = changed_without(g, &service, &[',', '/']),
        8 => {
            let off = tc3::MAX_SKEW_SECS + 1 + g.rng.i64(0..1_000_000_000);
            now = match g.rng.u8(..4) {
                0 => i64::MIN,
                1 => i64::MAX,
                2 => timestamp - off,
                _ => timestamp + off,
            };
        }
        9 => {
            let required = if g.rng.bool() { "content-type" } else { "host" };
            signed.retain(|n| !n.eq_ignore_ascii_case(required));
        }
        10 => {
            if signed.iter().any(|n| n == "x-tc-action") && g.rng.bool() {
                headers.retain(|(n, _)| n != "X-TC-Action");
            } else {
                let name = changed_without(g, "x-tc-region", &[',', ';', '=', ' ']);
                signed.push(name.to_ascii_lowercase());
            }
        }
        11 => match g.rng.u8(..5) {
            0 => {
                let before = body.clone();
                g.mutate(&mut body);
                if body == before {
                    body.push(b'x');
                }
            }
            1 => method = if method == "POST" { "GET" } else { "POST" },
            2 => secret = "another-secret",
            3 => {
                let i = g.rng.usize(..headers.len());
                headers[i].1 = format!("{}x", headers[i].1);
            }
            _ => {
                // Another hex digit in one place: the format stays valid.
                let mut digits = signature.into_bytes();
                let at = g.rng.usize(..digits.len());
                digits[at] = if digits[at] == b'0' { b'1' } else { b'0' };
                fields[2].1 = String::from_utf8(digits).unwrap_or_default();
            }
        },
        _ => {}
    }
    for (name, value) in &mut fields {
        match name.as_str() {
            "Credential" => {
                *value = format!("{secret_id}/{date}/{service}/{terminator}");
            }
            "SignedHeaders" => *value = signed.join(";"),
            _ => {}
        }
    }
    let fields: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let header = format!("{algorithm}{after_algorithm}{}", fields.join(&separator));

    let auth = match tc3::parse_authorization(&header) {
        Ok(auth) => auth,
        Err(tc3::MalformedAuthorization(why)) => {
            let stage = match why.as_str() {
                w if w.starts_with("algorithm must be") => 0,
                w if w.starts_with("expected")
                    || w.starts_with("unexpected field")
                    || w.starts_with("duplicate field")
                    || w.starts_with("missing ") =>
                {
                    1
                }
                w if w.starts_with("Credential must be")
                    || w.starts_with("credential scope must end")
                    || w.starts_with("empty element") =>
                {
                    2
                }
                w if w.starts_with("empty header name") => 3,
                w if w.starts_with("Signature must be") => 4,
                _ => return Err(format!("unplaced parse error {why:?}")),
            };
            return Ok(stage);
        }
    };
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = tc3::SignedRequest {
        method,
        path,
        query: &query,
        headers: &header_refs,
        body: &body,
        timestamp: &timestamp_text,
    };
    std::hint::black_box(tc3::utc_date(g.rng.i64(..)));
    match tc3::verify(&request, &auth, secret, "cvm", now) {
        Ok(()) => Ok(TC3.stages.len()),
        Err(tc3::VerifyError::SignatureExpire { .. }) => Ok(8),
        Err(tc3::VerifyError::SignatureFailure) => Ok(11),
        Err(tc3::VerifyError::InvalidAuthorization(why)) => match why.as_str() {
            w if w.starts_with("X-TC-Timestamp") => Ok(5),
            w if w.starts_with("Date in Credential") => Ok(6),
            w if w.starts_with("`Service` in Credential") => Ok(7),
            w if w.starts_with("SignedHeaders must include") => Ok(9),
            w if w.starts_with("signed header ") => Ok(10),
            _ => Err(format!("unplaced verify error {why:?}")),
        },
        // Only signature v1 reads a `Timestamp` parameter.
        Err(tc3::VerifyError::InvalidTimestamp(t)) => Err(format!("unplaced v1 error {t:?}")),
    }
}

fn v1_once(g: &mut Gen) -> Result<usize, String> {
    use imgshare_testkit::tc3::MAX_SKEW_SECS;
    use imgshare_testkit::tencent_v1::{self, SignatureMethod};
    let stage = stage_to_break(g, TENCENT_V1.stages.len());
    let timestamp = g.rng.i64(..);
    let mut now = timestamp.saturating_add(g.rng.i64(-MAX_SKEW_SECS..=MAX_SKEW_SECS));
    let mut params: Vec<(String, String)> = vec![
        ("Action".into(), "DescribeImages".into()),
        ("Version".into(), "2017-03-12".into()),
        ("Region".into(), g.text(&["ap-guangzhou", ""])),
        ("Nonce".into(), g.rng.u32(..).to_string()),
        ("SecretId".into(), SECRET_ID.into()),
        ("Timestamp".into(), timestamp.to_string()),
    ];
    match g.rng.u8(..4) {
        0 => {}
        1 => params.push(("SignatureMethod".into(), "HmacSHA1".into())),
        2 => params.push(("SignatureMethod".into(), "HmacSHA256".into())),
        _ => params.push(("SignatureMethod".into(), g.changed("HmacSHA256"))),
    }
    for _ in 0..g.rng.usize(..4) {
        let name = g.text(&["ImageIds.0", "Filters.0.Name", "Limit"]);
        params.push((name, g.text(&["img-6pb6lrmy", "", "20"])));
    }
    let (mut method, mut host, mut path) = ("GET", g.text(&["cvm.tencentcloudapi.com"]), "/");
    let find = |params: &[(String, String)], name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let algorithm = SignatureMethod::from_param(find(&params, "SignatureMethod").as_deref());
    let signature = {
        // Go's SDK signs only the non-empty pairs; the verifier takes both.
        let skip_empty = g.rng.bool();
        let pairs: Vec<(&str, &str)> = params
            .iter()
            .filter(|(_, v)| !skip_empty || !v.is_empty())
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let sts = tencent_v1::string_to_sign(method, &host, path, &pairs);
        tencent_v1::signature(algorithm, SECRET, &sts)
    };
    params.push(("Signature".into(), signature.clone()));
    let mut secret = SECRET;
    match stage {
        0 => {
            let at = params
                .iter()
                .position(|(n, _)| n == "Timestamp")
                .unwrap_or(0);
            if g.rng.bool() {
                params.remove(at);
            } else {
                params[at].1 = g.changed(&params[at].1);
            }
        }
        1 => {
            let off = MAX_SKEW_SECS + 1 + g.rng.i64(0..1_000_000_000);
            now = match g.rng.u8(..3) {
                0 => timestamp.saturating_sub(off),
                1 => timestamp.saturating_add(off),
                _ => timestamp.wrapping_add(i64::MAX),
            };
        }
        2 => match g.rng.u8(..6) {
            0 => method = "POST",
            1 => host = g.changed(&host),
            2 => path = "/v2",
            3 => secret = "another-secret",
            4 => {
                let at = params.len() - 1;
                params[at].1 = g.changed(&signature);
            }
            _ => {
                let at = g.rng.usize(..params.len() - 1);
                params[at].1 = format!("{}x", params[at].1);
            }
        },
        _ => {}
    }
    let refs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    match tencent_v1::verify(method, &host, path, &refs, secret, now) {
        Ok(()) => Ok(TENCENT_V1.stages.len()),
        Err(tencent_v1::VerifyError::InvalidTimestamp(_)) => Ok(0),
        Err(tencent_v1::VerifyError::SignatureExpire { .. }) => Ok(1),
        Err(tencent_v1::VerifyError::SignatureFailure) => Ok(2),
        // Only TC3 reads an Authorization header.
        Err(tencent_v1::VerifyError::InvalidAuthorization(why)) => {
            Err(format!("unplaced TC3 error {why:?}"))
        }
    }
}

fn ncloud_once(g: &mut Gen) -> Result<usize, String> {
    use imgshare_testkit::ncloud::signature as sig;
    let stage = stage_to_break(g, NCLOUD.stages.len());
    let ms = g.rng.u64(..10_000_000_000_000_000);
    let mut timestamp = ms.to_string();
    let mut now = ms.saturating_add(g.rng.u64(..sig::MAX_SKEW_MS));
    let mut target = g.text(&[
        "/vserver/v2/getServerImageList?responseFormatType=json",
        "/server/v2/getMemberServerImageList?regionNo=1",
    ]);
    let mut method = if g.rng.bool() { "GET" } else { "POST" };
    let mut key = "ncp_iam_BPAMKR00000EXAMPLE".to_owned();
    let mut sent = sig::sign(
        SECRET,
        &sig::string_to_sign(method, &target, &timestamp, &key),
    );
    match stage {
        0 => {
            timestamp = if g.rng.bool() {
                g.changed(&timestamp)
            } else {
                g.text(&["", "+1", "12345678901234567", "1.5", " 1"])
            };
        }
        1 => {
            let off = sig::MAX_SKEW_MS + g.rng.u64(..1_000_000_000_000);
            now = if g.rng.bool() {
                ms.saturating_sub(off)
            } else {
                ms.saturating_add(off)
            };
        }
        2 => match g.rng.u8(..4) {
            0 => method = if method == "GET" { "POST" } else { "GET" },
            1 => target = g.changed(&target),
            2 => key = g.changed(&key),
            _ => sent = g.changed(&sent),
        },
        _ => {}
    }
    // The gateway's order: the timestamp's format, its freshness, then the signature.
    let Some(parsed) = sig::parse_timestamp_ms(&timestamp) else {
        return Ok(0);
    };
    if !sig::timestamp_fresh(parsed, now) {
        return Ok(1);
    }
    let sts = sig::string_to_sign(method, &target, &timestamp, &key);
    if !sig::signatures_match(&sig::sign(SECRET, &sts), &sent) {
        return Ok(2);
    }
    Ok(NCLOUD.stages.len())
}

fn scp_once(g: &mut Gen) -> Result<usize, String> {
    use imgshare_testkit::scp::signature as sig;
    let stage = stage_to_break(g, SCP.stages.len());
    let mut method = if g.rng.bool() { "GET" } else { "POST" };
    let mut url = g.text(&[
        "https://virtualserver.kr-west1.e.samsungsdscloud.com/v1/images/70a599e0-31e7-49b7-b260-868f441e862b/members",
        "http://127.0.0.1:1/v1/images?limit=10",
    ]);
    let mut timestamp = g.rng.u64(..).to_string();
    let mut key = "scp-access-key-EXAMPLE".to_owned();
    let mut account = g
        .rng
        .bool()
        .then(|| "a8f10467abfc4b87b64614ab36eb9ae4".to_owned());
    let message = sig::signing_string(method, &url, &timestamp, &key, account.as_deref());
    let mac = {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).map_err(|e| e.to_string())?;
        mac.update(message.as_bytes());
        mac.finalize().into_bytes()
    };
    let mut sent = STANDARD.encode(mac);
    match stage {
        0 => {
            sent = match g.rng.u8(..3) {
                0 => URL_SAFE.encode(mac),
                1 => STANDARD_NO_PAD.encode(mac),
                _ => g.changed(&sent),
            };
        }
        1 => match g.rng.u8(..6) {
            0 => method = if method == "GET" { "POST" } else { "GET" },
            1 => url = g.changed(&url),
            2 => timestamp = g.changed(&timestamp),
            3 => key = g.changed(&key),
            4 => account = account.map_or(Some("a8f1".into()), |_| None),
            _ => {
                let mut other = mac;
                let at = g.rng.usize(..other.len());
                other[at] ^= 1;
                sent = STANDARD.encode(other);
            }
        },
        _ => {}
    }
    let message = sig::signing_string(method, &url, &timestamp, &key, account.as_deref());
    if sig::verify(SECRET, &message, &sent) {
        Ok(SCP.stages.len())
    } else if STANDARD.decode(sent.trim()).is_err() {
        Ok(0)
    } else {
        Ok(1)
    }
}
