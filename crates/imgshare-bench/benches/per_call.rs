//! The SDK's own cost per call: one read per provider through its real `Client` (input builder
//! and validation, encoding, credentials, signing, the retry loop, checking, decoding) against an
//! in-memory HTTP client that hands back a canned success, so no network or server time is in
//! the figures. Then the Tencent call taken apart stage by stage, so the stages can be added up
//! against the whole, and the two stages that read NAVER Cloud's larger answer:
//! `cargo bench -p imgshare-bench --bench per_call`.
//!
//! Every client has static credentials, a fixed clock and the default retry and timeout
//! settings (retries on, never needed: every answer is a success). Times are the benchmark
//! thread's CPU time (`support/cpu_time.rs` says why).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/cpu_time.rs"]
mod cpu_time;

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cpu_time::{iter_cpu, iter_cpu_batched, thread_cpu_time};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_main};
use imgshare_core::binding::{WireField, encode_request};
use imgshare_core::client::{Protocol, decode_output};
use imgshare_core::credentials::BoxFuture;
use imgshare_core::operation::Operation;
use imgshare_core::sign::tc3::Tc3Signer;
use imgshare_core::sign::{SignableRequest, Signer};
use imgshare_core::{
    Credentials, FixedClock, HttpClient, HttpError, HttpRequest, HttpResponse, IdentityCache,
    ProvideCredentials, SecretString, StaticProvider,
};
use imgshare_ncloud::types::ServerImageListOutput;
use imgshare_tencent::operation::{
    DescribeImageSharePermission, DescribeImageSharePermissionInput,
};
use imgshare_tencent::types::DescribeImageSharePermissionOutput;

const TENCENT_BODY: &str =
    include_str!("../../imgshare-tencent/tests/fixtures/DescribeImageSharePermission/success.json");
const NCP_BODY: &str =
    include_str!("../../imgshare-ncloud/tests/fixtures/getServerImageDetail.json");
const IMAGE: &str = "img-6pb6lrmy";
const SCP_IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";

/// 2024-05-01T12:00:00Z.
fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_714_564_800)
}

/// Answers every request with a copy of one response, as a transport that has read it would.
#[derive(Debug)]
struct Canned(HttpResponse);

impl HttpClient for Canned {
    fn send(
        &self,
        _request: HttpRequest,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// The body as the APIs send it: one line, no indentation.
fn compact(pretty: &str) -> String {
    serde_json::to_string(&serde_json::from_str::<serde_json::Value>(pretty).unwrap()).unwrap()
}

fn tencent_response() -> HttpResponse {
    HttpResponse::new(200)
        .with_header("Content-Type", "application/json")
        .with_header("X-TC-RequestId", "71e69b56-32be-4412-ab45-49eded6a87be")
        .with_body(compact(TENCENT_BODY))
}

fn tencent_client() -> imgshare_tencent::Client {
    let config = imgshare_tencent::Config::builder()
        .region("ap-guangzhou")
        .credentials(
            Credentials::new(
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                None,
                "bench",
            )
            .unwrap(),
        )
        .clock(Arc::new(FixedClock(fixed_time())))
        .http_client(Arc::new(Canned(tencent_response())))
        .build()
        .unwrap();
    imgshare_tencent::Client::new(config).unwrap()
}

fn ncloud_response() -> HttpResponse {
    HttpResponse::new(200)
        .with_header("Content-Type", "application/json;charset=UTF-8")
        .with_body(compact(NCP_BODY))
}

fn ncloud_client() -> imgshare_ncloud::Client {
    let response = ncloud_response();
    let config = imgshare_ncloud::Config::builder()
        .region_code("KR")
        .credentials(
            Credentials::new(
                "ncp_iam_BPAMKR4EXAMP",
                SecretString::new("ncp_iam_BPKMKRXeH2ZpEXAMPLEKEYabcdefghij"),
                None,
                "bench",
            )
            .unwrap(),
        )
        .clock(Arc::new(FixedClock(fixed_time())))
        .http_client(Arc::new(Canned(response)))
        .build()
        .unwrap();
    imgshare_ncloud::Client::new(config).unwrap()
}

fn scp_client() -> imgshare_scp::Client {
    let body = serde_json::json!({"members": [{
        "created_at": "2025-07-22T09:00:00Z",
        "image_id": SCP_IMAGE,
        "member_id": "a8f10467abfc4b87b64614ab36eb9ae4",
        "status": "pending",
        "updated_at": "2025-07-26T12:00:00Z"
    }]});
    let response = HttpResponse::new(200)
        .with_header("Content-Type", "application/json")
        .with_body(body.to_string());
    let config = imgshare_scp::Config::builder()
        .region("kr-west1")
        .credentials(
            Credentials::new(
                "b754b12b39da4ce29a40c5e324650bd0",
                SecretString::new("c4150149-f7c6-46bc-9faa-d2b9d20e0899"),
                None,
                "bench",
            )
            .unwrap(),
        )
        .clock(Arc::new(FixedClock(fixed_time())))
        .http_client(Arc::new(Canned(response)))
        .build()
        .unwrap();
    imgshare_scp::Client::new(config).unwrap()
}

/// Polls a future that cannot wait (no I/O, no timer, no contended lock) to its end.
fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the stage waited"),
    }
}

fn group_config<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group
}

/// Times `call` run back to back inside one runtime, as an application's task would run it
/// (entering the runtime is not part of a call). The runtime runs on this thread, so its CPU
/// time is the call's.
fn bench_call<F, Fut>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, call: F)
where
    F: Fn() -> Fut,
    Fut: Future,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    group.bench_function(name, |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = thread_cpu_time();
                for _ in 0..iters {
                    black_box(call().await);
                }
                thread_cpu_time() - start
            })
        });
    });
}

fn whole_calls(c: &mut Criterion) {
    let tencent = tencent_client();
    let ncloud = ncloud_client();
    let scp = scp_client();

    // Check once that each call succeeds and decodes what the canned answer holds.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    rt.block_on(async {
        let out = tencent
            .describe_image_share_permission()
            .image_id(IMAGE)
            .send()
            .await
            .unwrap();
        assert_eq!(out.share_permissions.len(), 2);
        let out = ncloud
            .get_server_image_detail()
            .server_image_no("10000001")
            .send()
            .await
            .unwrap();
        assert_eq!(out.server_image_list[0].server_image_name, "test-image");
        let out = scp
            .list_image_members()
            .image_id(SCP_IMAGE)
            .send()
            .await
            .unwrap();
        assert_eq!(out.members.len(), 1);
    });

    let mut group = group_config(c, "per_call");
    bench_call(
        &mut group,
        "tencent_describe_image_share_permission",
        || {
            tencent
                .describe_image_share_permission()
                .image_id(black_box(IMAGE))
                .send()
        },
    );
    bench_call(&mut group, "ncloud_get_server_image_detail", || {
        ncloud
            .get_server_image_detail()
            .server_image_no(black_box("10000001"))
            .send()
    });
    bench_call(&mut group, "scp_list_image_members", || {
        scp.list_image_members()
            .image_id(black_box(SCP_IMAGE))
            .send()
    });
    group.finish();
}

/// The Tencent call's stages, each on the previous stage's result built beforehand, in the
/// order the client runs them.
fn tencent_stages(c: &mut Criterion) {
    type Op = DescribeImageSharePermission;
    let client = tencent_client();
    let config = client.config();
    let input = DescribeImageSharePermissionInput::builder()
        .image_id(IMAGE)
        .build()
        .unwrap();
    let fields = {
        let mut fields = Op::wire_fields(&input);
        config.common_fields::<Op>(&mut fields);
        fields
    };
    let request = encode_request(
        config.endpoint(),
        &Op::BINDING,
        &fields,
        imgshare_tencent::Config::LIST_BASE,
    )
    .unwrap();
    let credentials = Credentials::new(
        "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        None,
        "bench",
    )
    .unwrap();
    let cache = IdentityCache::new(Arc::new(StaticProvider::new(credentials.clone())));
    ready(cache.provide_credentials()).unwrap();
    let signer = Tc3Signer::new("cvm");
    let user_agent = format!(
        "{} {}",
        imgshare_core::http::USER_AGENT,
        imgshare_tencent::Config::USER_AGENT
    );
    let time = fixed_time();
    let transport = Canned(tencent_response());
    let response = tencent_response();

    let mut group = group_config(c, "tencent_stages");
    group.bench_function("1_build_input", |b| {
        iter_cpu(b, || {
            DescribeImageSharePermissionInput::builder()
                .image_id(black_box(IMAGE))
                .build()
        });
    });
    group.bench_function("2_wire_fields", |b| {
        iter_cpu(b, || {
            let mut fields: Vec<WireField> = Op::wire_fields(black_box(&input));
            config.common_fields::<Op>(&mut fields);
            fields
        });
    });
    group.bench_function("3_encode_request", |b| {
        iter_cpu(b, || {
            encode_request(
                black_box(config.endpoint()),
                &Op::BINDING,
                black_box(&fields),
                imgshare_tencent::Config::LIST_BASE,
            )
        });
    });
    group.bench_function("4_credentials", |b| {
        iter_cpu(b, || ready(black_box(&cache).provide_credentials()));
    });
    // What the runtime does per attempt around the signer: copy the encoded request, add the
    // User-Agent, lend every header to the signer, add the headers it returns.
    group.bench_function("5_sign", |b| {
        iter_cpu(b, || {
            let mut signed = black_box(&request).clone();
            signed
                .headers
                .push(("User-Agent".to_owned(), user_agent.clone()));
            let instructions = {
                let mut signable =
                    SignableRequest::new(signed.method.as_str(), &signed.url, &signed.body);
                for (name, value) in &signed.headers {
                    signable = signable.header(name, value).unwrap();
                }
                signer.sign(&signable, &credentials, time).unwrap()
            };
            for (name, value) in instructions.into_headers() {
                signed.headers.push((name.to_owned(), value));
            }
            signed
        });
    });
    // The signer alone, on the same request with its headers lent beforehand.
    let mut with_agent = request.clone();
    with_agent
        .headers
        .push(("User-Agent".to_owned(), user_agent.clone()));
    let mut signable = SignableRequest::new(
        with_agent.method.as_str(),
        &with_agent.url,
        &with_agent.body,
    );
    for (name, value) in &with_agent.headers {
        signable = signable.header(name, value).unwrap();
    }
    group.bench_function("5a_tc3_signer_only", |b| {
        iter_cpu(b, || signer.sign(black_box(&signable), &credentials, time));
    });
    // The runtime hands its signed request over; the copy is made outside the timing.
    group.bench_function("6_transport_canned", |b| {
        iter_cpu_batched(
            b,
            || request.clone(),
            |sent| ready(transport.send(sent, None)),
        );
    });
    group.bench_function("7_check", |b| {
        iter_cpu(b, || config.check(black_box(&response)));
    });
    group.bench_function("8_decode", |b| {
        iter_cpu(b, || {
            decode_output::<DescribeImageSharePermissionOutput>(
                black_box(&response),
                imgshare_tencent::Config::OUTPUT,
                imgshare_tencent::Config::REQUEST_ID_HEADERS,
            )
        });
    });
    bench_call(&mut group, "whole_call", || {
        client
            .describe_image_share_permission()
            .image_id(black_box(IMAGE))
            .send()
    });
    group.finish();
}

/// The two stages that read NAVER Cloud's larger answer (one image, 40-odd fields): the check
/// reads the envelope, then the output is decoded.
fn ncloud_stages(c: &mut Criterion) {
    let client = ncloud_client();
    let config = client.config();
    let response = ncloud_response();
    let mut group = group_config(c, "ncloud_stages");
    group.bench_function("check", |b| {
        iter_cpu(b, || config.check(black_box(&response)));
    });
    group.bench_function("decode", |b| {
        iter_cpu(b, || {
            decode_output::<ServerImageListOutput>(
                black_box(&response),
                imgshare_ncloud::Config::OUTPUT,
                imgshare_ncloud::Config::REQUEST_ID_HEADERS,
            )
        });
    });
    group.finish();
}

/// The benchmark group; the `pub fn` that `criterion_group!` writes has no doc comment.
mod group {
    #![allow(missing_docs, unreachable_pub)]
    use super::{ncloud_stages, tencent_stages, whole_calls};
    criterion::criterion_group!(benches, whole_calls, tencent_stages, ncloud_stages);
}

criterion_main!(group::benches);
