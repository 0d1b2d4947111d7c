//! The metadata provider's own HTTP client ignores `HTTP_PROXY`: with a proxy configured in the
//! environment, the keys' request still goes straight to the (loopback) metadata service.
//!
//! reqwest reads the proxy variables from the process environment, so this test sets them. It
//! has its own binary and no test harness, so no other thread reads the environment meanwhile.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use imgshare_core::credentials::{
    DescribeMetadata, ExpiryFormat, MetadataProvider, MetadataSpec, RoleName,
};
use imgshare_core::{HttpClient, HttpRequest, Method, ProvideCredentials, ReqwestClient};
use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Service;
impl DescribeMetadata for Service {
    const METADATA: MetadataSpec = MetadataSpec {
        source: "server role",
        endpoint: "http://169.254.169.254",
        endpoint_vars: &[],
        path: "/meta/",
        role: RoleName::FirstListed,
        access_id: "AccessKeyId",
        secret: "SecretAccessKey",
        session_token: None,
        expiry: "Expiration",
        expiry_format: ExpiryFormat::Rfc3339,
        status: None,
        message: None,
        no_role: "no role",
        off_platform: "not here",
        timeout: Duration::from_secs(2),
        session: None,
    };
}

fn main() {
    // A "proxy" that counts connections and closes them.
    let proxy = TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    // SAFETY: no other thread exists yet (no harness, no runtime).
    unsafe {
        for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
            std::env::set_var(name, &proxy_url);
        }
        for name in ["NO_PROXY", "no_proxy"] {
            std::env::remove_var(name);
        }
    }
    let proxied = Arc::new(AtomicUsize::new(0));
    let counter = proxied.clone();
    std::thread::spawn(move || {
        for stream in proxy.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(path("/meta/"))
            .respond_with(ResponseTemplate::new(200).set_body_string("role"))
            .mount(&server)
            .await;
        let doc = json!({"AccessKeyId": "AK", "SecretAccessKey": "s", "Expiration": "2099-01-01T00:00:00Z"});
        Mock::given(path("/meta/role"))
            .respond_with(ResponseTemplate::new(200).set_body_string(doc.to_string()))
            .mount(&server)
            .await;

        // The control: an ordinary client does go through the proxy, so the setup can tell.
        let url = format!("{}/meta/", server.uri()).parse().unwrap();
        let ordinary = ReqwestClient::with_connect_timeout(Duration::from_secs(2)).unwrap();
        assert!(ordinary.send(HttpRequest::new(Method::Get, url), None).await.is_err());
        assert_eq!(proxied.load(Ordering::SeqCst), 1, "the control did not reach the proxy");

        // Catches a metadata client built with the system proxy settings.
        let c = MetadataProvider::<Service>::new()
            .with_endpoint(server.uri())
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(c.access_id(), "AK");
        assert_eq!(proxied.load(Ordering::SeqCst), 1, "the metadata request went through the proxy");
    });
    println!("metadata_no_proxy: ok");
}
