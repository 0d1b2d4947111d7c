//! The client path: each provider's public client over an `HttpClient` that answers with the
//! generated response and counts the requests that reached it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use imgshare_core::credentials::BoxFuture;
use imgshare_core::http::{HttpClient, HttpError, HttpRequest, HttpResponse};
use imgshare_core::{Credentials, RetryConfig, SecretString, TimeoutConfig};

use crate::Target;

/// Answers every request with the response put in its slot.
#[derive(Debug, Default)]
pub(crate) struct Scripted {
    next: Mutex<Option<HttpResponse>>,
    /// Requests that reached the HTTP layer (passed validation, signed, sent).
    pub(crate) sent: AtomicU64,
}

impl HttpClient for Scripted {
    fn send(
        &self,
        _request: HttpRequest,
        _timeout: Option<Duration>,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let response = self
            .next
            .lock()
            .unwrap()
            .take()
            .unwrap_or_else(|| HttpResponse::new(500));
        Box::pin(async move { Ok(response) })
    }
}

fn credentials() -> Credentials {
    Credentials::new(
        "AKIDfuzzEXAMPLE",
        SecretString::new("fuzz-secret-EXAMPLE"),
        None,
        "fuzz",
    )
    .unwrap()
}

fn timeouts() -> TimeoutConfig {
    TimeoutConfig::default()
        .with_attempt(None)
        .with_operation(None)
}

pub(crate) struct Clients {
    pub(crate) http: Arc<Scripted>,
    tencent: imgshare_tencent::Client,
    ncloud: imgshare_ncloud::Client,
    scp: imgshare_scp::Client,
    rt: tokio::runtime::Runtime,
}

impl Clients {
    pub(crate) fn new() -> Self {
        let http = Arc::new(Scripted::default());
        let tencent = imgshare_tencent::Client::new(
            imgshare_tencent::Config::builder()
                .region("ap-guangzhou")
                .endpoint_url("http://127.0.0.1:9")
                .credentials(credentials())
                .retry(RetryConfig::disabled())
                .timeouts(timeouts())
                .http_client(http.clone())
                .build()
                .unwrap(),
        )
        .unwrap();
        let ncloud = imgshare_ncloud::Client::new(
            imgshare_ncloud::Config::builder()
                .endpoint_url("http://127.0.0.1:9")
                .region_code("KR")
                .credentials(credentials())
                .retry(RetryConfig::disabled())
                .timeouts(timeouts())
                .http_client(http.clone())
                .build()
                .unwrap(),
        )
        .unwrap();
        let scp = imgshare_scp::Client::new(
            imgshare_scp::Config::builder()
                .endpoint_url("http://127.0.0.1:9")
                .credentials(credentials())
                .retry(RetryConfig::disabled())
                .timeouts(timeouts())
                .http_client(http.clone())
                .build()
                .unwrap(),
        )
        .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        Self {
            http,
            tencent,
            ncloud,
            scp,
            rt,
        }
    }

    /// Runs one call; its result is only looked at (Display, metadata), never trusted. Returns
    /// the operation's name and the error's text, if it failed.
    pub(crate) fn run(
        &self,
        target: Target,
        op: u8,
        response: HttpResponse,
    ) -> (&'static str, Option<String>) {
        *self.http.next.lock().unwrap() = Some(response);
        match target {
            Target::TencentClient => {
                let c = &self.tencent;
                self.rt.block_on(async {
                    match op % 3 {
                        0 => show(
                            "describe_image_share_permission",
                            c.describe_image_share_permission()
                                .image_id("img-6pb6lrmy")
                                .send()
                                .await,
                        ),
                        1 => show("describe_images", c.describe_images().send().await),
                        _ => show(
                            "share_image",
                            c.share_image()
                                .image_id("img-6pb6lrmy")
                                .account_id("100000000002")
                                .send()
                                .await,
                        ),
                    }
                })
            }
            Target::NcloudClient => {
                let c = &self.ncloud;
                self.rt.block_on(async {
                    match op % 4 {
                        0 => show(
                            "get_server_image_list",
                            c.get_server_image_list().send().await,
                        ),
                        1 => show(
                            "add_server_image_sharing_permission",
                            c.add_server_image_sharing_permission()
                                .server_image_no("10000001")
                                .target_login_id("recipient@example.com")
                                .send()
                                .await,
                        ),
                        2 => show(
                            "get_member_server_image_instance_list",
                            c.get_member_server_image_instance_list().send().await,
                        ),
                        _ => show(
                            "classic_get_member_server_image_list",
                            c.classic_get_member_server_image_list().send().await,
                        ),
                    }
                })
            }
            Target::ScpClient => {
                let c = &self.scp;
                const IMAGE: &str = "70a599e0-31e7-49b7-b260-868f441e862b";
                const MEMBER: &str = "a8f10467abfc4b87b64614ab36eb9ae4";
                self.rt.block_on(async {
                    match op % 5 {
                        0 => show(
                            "list_image_members",
                            c.list_image_members().image_id(IMAGE).send().await,
                        ),
                        1 => show(
                            "create_image_member",
                            c.create_image_member()
                                .image_id(IMAGE)
                                .member_id(MEMBER)
                                .send()
                                .await,
                        ),
                        2 => show("show_image", c.show_image().image_id(IMAGE).send().await),
                        3 => show("list_images", c.list_images().send().await),
                        _ => show(
                            "delete_image_member",
                            c.delete_image_member()
                                .image_id(IMAGE)
                                .member_id(MEMBER)
                                .send()
                                .await,
                        ),
                    }
                })
            }
            _ => unreachable!(),
        }
    }
}

/// Formats a result the way a caller would print it (exercises Display and the metadata).
fn show<T: std::fmt::Debug, E: imgshare_core::ErrorMetadata + std::fmt::Display>(
    op: &'static str,
    result: Result<T, E>,
) -> (&'static str, Option<String>) {
    match result {
        Ok(v) => {
            std::hint::black_box(format!("{v:?}"));
            (op, None)
        }
        Err(e) => {
            let text = e.to_string();
            assert!(
                !text.contains("fuzz-secret-EXAMPLE"),
                "an error quotes the secret"
            );
            std::hint::black_box((e.code(), e.is_retryable()));
            (op, Some(text))
        }
    }
}
