//! Signing cost of the imgshare signers (TC3, NCP, SCP) against aws-sigv4 on a request of the
//! same size, all measured in one run: `cargo bench -p imgshare-bench`.
//!
//! Each benchmark times one `sign` call on a request built beforehand, with a fixed time, so
//! only the signer is measured (building the request and dropping the returned headers are
//! left out for every signer alike).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_main};
use imgshare_core::Credentials;
use imgshare_core::sign::ncp::NcpSigner;
use imgshare_core::sign::scp::ScpSigner;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::sign::{SignableRequest, Signer};
use url::Url;

/// 2024-05-01T12:00:00Z: one fixed instant, so every iteration signs for the same date.
fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_714_564_800)
}

/// A `ModifyImageSharePermission` body sharing one image with two accounts (92 bytes).
const TC3_BODY: &[u8] =
    br#"{"ImageId":"img-6pb6lrmy","AccountIds":["100012345678","100087654321"],"Permission":"SHARE"}"#;
const TC3_URL: &str = "https://cvm.tencentcloudapi.com/";
const TC3_HOST: &str = "cvm.tencentcloudapi.com";
const TC3_ACTION: &str = "ModifyImageSharePermission";

const NCP_URL: &str = "https://ncloud.apigw.ntruss.com/vserver/v2/addServerImageSharingPermission?responseFormatType=json";
const SCP_URL: &str = "https://virtualserver.kr-west1.e.samsungsdscloud.com/v1/images/70a599e0-31e7-49b7-b260-868f441e862b/members";

/// The SigV4 baseline request: same method, a URL of the same length, three headers like the
/// TC3 request and the same body bytes.
const AWS_URL: &str = "https://ec2.us-east-1.api.aws/v1";
const AWS_HOST: &str = "ec2.us-east-1.api.aws";
const AWS_TARGET: &str = "AmazonEC2.ModifyImageAttribute";
const _: () = assert!(AWS_URL.len() == TC3_URL.len());

fn group_config<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group
}

fn tc3(c: &mut Criterion) {
    let url = Url::parse(TC3_URL).unwrap();
    let request = SignableRequest::new("POST", &url, TC3_BODY)
        .header("Content-Type", "application/json")
        .unwrap()
        .header("Host", TC3_HOST)
        .unwrap()
        .header("X-TC-Action", TC3_ACTION)
        .unwrap();
    // Tencent SecretId (36 characters) and SecretKey (32 characters) shapes.
    let creds = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        None,
        "bench",
    )
    .unwrap();
    let time = fixed_time();

    let mut group = group_config(c, "tc3");
    // Steady state of a client: one signer, the derived key cached for today's date.
    let signer = Tc3Signer::new("cvm");
    signer.sign(&request, &creds, time).unwrap();
    group.bench_function("imgshare", |b| {
        b.iter_batched(
            || (),
            |()| signer.sign(black_box(&request), black_box(&creds), black_box(time)),
            BatchSize::SmallInput,
        );
    });
    // No cache: a fresh signer (built outside the timing) derives the key on every call.
    group.bench_function("imgshare-cold-key", |b| {
        b.iter_batched(
            || Tc3Signer::new("cvm"),
            |fresh| fresh.sign(black_box(&request), black_box(&creds), black_box(time)),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

fn ncp(c: &mut Criterion) {
    let url = Url::parse(NCP_URL).unwrap();
    let request = SignableRequest::new("POST", &url, b"");
    // NCP access key (20 characters) and secret (40 characters) shapes.
    let creds = Credentials::new(
        "ncp_iam_BPAMKR4EXAMP",
        "ncp_iam_BPKMKRXeH2ZpEXAMPLEKEYabcdefghij",
        None,
        "bench",
    )
    .unwrap();
    let time = fixed_time();
    let signer = NcpSigner::new();

    let mut group = group_config(c, "ncp");
    group.bench_function("imgshare", |b| {
        b.iter_batched(
            || (),
            |()| signer.sign(black_box(&request), black_box(&creds), black_box(time)),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

fn scp(c: &mut Criterion) {
    let url = Url::parse(SCP_URL).unwrap();
    let request = SignableRequest::new("GET", &url, b"");
    let creds = Credentials::new(
        "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
        "f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1",
        None,
        "bench",
    )
    .unwrap();
    let time = fixed_time();
    let signer = ScpSigner::new();

    let mut group = group_config(c, "scp");
    group.bench_function("imgshare", |b| {
        b.iter_batched(
            || (),
            |()| signer.sign(black_box(&request), black_box(&creds), black_box(time)),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

fn baseline(c: &mut Criterion) {
    use aws_credential_types::Credentials as AwsCredentials;
    use aws_sigv4::http_request::{SignableBody, SigningSettings, sign};
    use aws_sigv4::sign::v4;
    use aws_smithy_runtime_api::client::identity::Identity;

    let identity: Identity = AwsCredentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "bench",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("ec2")
        .time(fixed_time())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let headers = [
        ("content-type", "application/json"),
        ("host", AWS_HOST),
        ("x-amz-target", AWS_TARGET),
    ];
    let request = || {
        aws_sigv4::http_request::SignableRequest::new(
            "POST",
            AWS_URL,
            headers.iter().copied(),
            SignableBody::Bytes(TC3_BODY),
        )
        .unwrap()
    };
    // Check once that it signs.
    sign(request(), &params).unwrap();

    let mut group = group_config(c, "baseline");
    group.bench_function("aws-sigv4", |b| {
        // `sign` takes the request by value: build it (and parse its URI) outside the timing,
        // as the imgshare benches do.
        b.iter_batched(
            request,
            |req| sign(black_box(req), black_box(&params)),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// The benchmark group; the `pub fn` that `criterion_group!` writes has no doc comment.
mod group {
    #![allow(missing_docs, unreachable_pub)]
    use super::{baseline, ncp, scp, tc3};
    criterion::criterion_group!(benches, tc3, ncp, scp, baseline);
}

criterion_main!(group::benches);
