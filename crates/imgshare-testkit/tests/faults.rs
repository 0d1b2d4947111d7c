//! Injected faults and the rate limit, end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use imgshare_testkit::{Fault, TencentFake, TencentFault};
use serde_json::json;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn describe(fake: &TencentFake) -> Call {
    Call::new(fake, &owner(), "DescribeImages", json!({}))
}

#[tokio::test]
async fn status_fault_is_a_plain_text_5xx() {
    let fake = fake().await;
    fake.inject(Fault::Status(503), 2);
    for _ in 0..2 {
        let reply = describe(&fake).send(&fake).await;
        assert_eq!(reply.status, 503);
        assert!(reply.content_type.starts_with("text/plain"), "{reply:?}");
        assert!(serde_json::from_str::<serde_json::Value>(&reply.text).is_err());
    }
    // Then back to normal.
    assert_eq!(describe(&fake).send(&fake).await.code(), None);
    let received = fake.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[0].fault, Some(Fault::Status(503)));
    assert_eq!(received[0].account_id, None);
    assert_eq!(received[2].fault, None);
}

#[tokio::test]
async fn html_502_page() {
    let fake = fake().await;
    fake.inject(Fault::Html502, 1);
    let reply = describe(&fake).send(&fake).await;
    assert_eq!(reply.status, 502);
    assert_eq!(reply.content_type, "text/html");
    assert!(reply.text.contains("<html>") && reply.text.contains("502 Bad Gateway"));
}

#[tokio::test]
async fn drop_connection_gives_reqwest_an_error_not_a_response() {
    let fake = fake().await;
    fake.inject(Fault::DropConnection, 1);
    let call = describe(&fake);
    let err = try_send_raw(&fake, "POST", &call.headers(), call.body.clone())
        .await
        .expect_err("a dropped connection must not produce a response");
    assert!(err.status().is_none(), "{err:?}");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    // The next request works, and the dropped one was recorded.
    assert_eq!(describe(&fake).send(&fake).await.code(), None);
    let received = fake.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].fault, Some(Fault::DropConnection));
    assert_eq!(received[0].action.as_deref(), Some("DescribeImages"));
    assert_eq!(received[0].error_code, None);
}

#[tokio::test]
async fn drop_connection_on_a_pooled_connection_is_not_retried_silently() {
    let fake = fake().await;
    let client = http_client();
    let send = |call: Call| {
        let client = client.clone();
        let uri = fake.uri();
        async move {
            let mut req = client.post(format!("{uri}/"));
            for (n, v) in call.headers() {
                req = req.header(n, v);
            }
            req.body(call.body).send().await
        }
    };
    // Warm the pool, then drop on the reused connection.
    assert!(send(describe(&fake)).await.unwrap().status().is_success());
    fake.inject(Fault::DropConnection, 1);
    let err = send(describe(&fake)).await.unwrap_err();
    assert!(err.status().is_none(), "{err:?}");
    // The client did not quietly resend it: two requests reached the fake.
    assert_eq!(fake.request_count(), 2);
    assert!(send(describe(&fake)).await.unwrap().status().is_success());
}

#[tokio::test]
async fn drop_connection_sends_zero_bytes_on_the_wire() {
    let fake = fake().await;
    fake.inject(Fault::DropConnection, 1);
    let call = describe(&fake);
    let mut raw = format!("POST / HTTP/1.1\r\nHost: {}\r\n", call.host);
    for (name, value) in call.headers() {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str(&format!("Content-Length: {}\r\n\r\n", call.body.len()));
    let mut stream = tokio::net::TcpStream::connect(fake.address())
        .await
        .unwrap();
    stream.write_all(raw.as_bytes()).await.unwrap();
    stream.write_all(&call.body).await.unwrap();
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got))
        .await
        .expect("the server must close the connection, not hang");
    // Either a clean EOF or a reset, but never any HTTP bytes.
    match read {
        Ok(n) => assert_eq!(n, 0, "got {:?}", String::from_utf8_lossy(&got)),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
    assert!(got.is_empty());
}

#[tokio::test]
async fn delay_then_normal_answer() {
    let fake = fake().await;
    fake.inject(Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    let reply = describe(&fake).send(&fake).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.ok()["TotalCount"], 2);
    let received = fake.received();
    assert_eq!(
        received[0].fault,
        Some(Fault::Delay(Duration::from_millis(300)))
    );
    assert_eq!(received[0].account_id.as_deref(), Some(OWNER));

    // A delayed request does not block others: another is answered while the first still waits
    // out a delay far longer than any machine needs for the second (no timed bound).
    fake.inject(Fault::Delay(Duration::from_secs(600)), 1);
    let slow = {
        let call = describe(&fake);
        let headers = call.headers();
        let uri = fake.uri();
        tokio::spawn(async move {
            let client = http_client();
            let mut req = client.post(format!("{uri}/"));
            for (n, v) in headers {
                req = req.header(n, v);
            }
            req.body(call.body).send().await.unwrap().status()
        })
    };
    // The slow request is logged once the fake has taken it (and its fault).
    while fake.request_count() < 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(describe(&fake).send(&fake).await.code(), None);
    assert!(!slow.is_finished(), "the delayed request was not delayed");
    assert_eq!(
        fake.received()[1].fault,
        Some(Fault::Delay(Duration::from_secs(600)))
    );
    slow.abort();
}

#[tokio::test]
async fn throttle_answers_request_limit_exceeded() {
    let fake = fake().await;
    fake.inject(TencentFault::Throttle, 1);
    let reply = describe(&fake).send(&fake).await;
    assert_eq!(reply.code().as_deref(), Some("RequestLimitExceeded"));
    assert_eq!(
        fake.received()[0].error_code.as_deref(),
        Some("RequestLimitExceeded")
    );
    // Applies before any checking: even an unsigned request gets it.
    fake.inject(TencentFault::Throttle, 1);
    let reply = send_raw(&fake, "POST", &[], b"{}".to_vec()).await;
    assert_eq!(reply.code().as_deref(), Some("RequestLimitExceeded"));
}

#[tokio::test]
async fn malformed_body_is_invalid_json_with_200() {
    let fake = fake().await;
    fake.inject(TencentFault::MalformedBody, 1);
    let reply = describe(&fake).send(&fake).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/json");
    assert!(serde_json::from_str::<serde_json::Value>(&reply.text).is_err());
    assert!(reply.text.starts_with("{\"Response\""));
}

#[tokio::test]
async fn faults_queue_in_order() {
    let fake = fake().await;
    fake.inject(Fault::Status(500), 1);
    fake.inject(Fault::Html502, 2);
    let statuses = [
        describe(&fake).send(&fake).await.status,
        describe(&fake).send(&fake).await.status,
        describe(&fake).send(&fake).await.status,
        describe(&fake).send(&fake).await.status,
    ];
    assert_eq!(statuses, [500, 502, 502, 200]);
    assert_eq!(fake.request_count(), 4);
}

#[tokio::test]
async fn rate_limit_per_action_per_account() {
    let fake = fake().await;
    let share_perm = || {
        Call::new(
            &fake,
            &owner(),
            "DescribeImageSharePermission",
            json!({"ImageId": "img-aaaa0001"}),
        )
    };
    // The share APIs' documented 10/s: ten in a burst pass, the eleventh is limited. The
    // fake's clock stands still, so the burst fits in its second however slow the machine is.
    fake.freeze_clock();
    for i in 0..10 {
        assert_eq!(share_perm().send(&fake).await.code(), None, "request {i}");
    }
    assert_eq!(
        share_perm().send(&fake).await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    // Another action and another account have their own windows.
    assert_eq!(describe(&fake).send(&fake).await.code(), None);
    let other_account = Call::new(
        &fake,
        &recipient(),
        "DescribeImageSharePermission",
        json!({"ImageId": "img-aaaa0001"}),
    );
    assert_eq!(
        other_account.send(&fake).await.code().as_deref(),
        Some("UnauthorizedOperation.ImageNotBelongToAccount")
    );

    // 999 ms on, the window is still full; a second on, it has moved.
    fake.advance_clock_ms(999).unwrap();
    assert_eq!(
        share_perm().send(&fake).await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    fake.advance_clock_ms(1).unwrap();
    assert_eq!(share_perm().send(&fake).await.code(), None);

    // A lower limit for every action, then none.
    fake.set_rate_limit(Some(2));
    assert_eq!(describe(&fake).send(&fake).await.code(), None);
    assert_eq!(describe(&fake).send(&fake).await.code(), None);
    assert_eq!(
        describe(&fake).send(&fake).await.code().as_deref(),
        Some("RequestLimitExceeded")
    );
    fake.set_rate_limit(None);
    for _ in 0..50 {
        assert_eq!(describe(&fake).send(&fake).await.code(), None);
    }
    let limited: Vec<_> = fake
        .received()
        .into_iter()
        .filter(|r| r.error_code.as_deref() == Some("RequestLimitExceeded"))
        .collect();
    assert!(!limited.is_empty());
    assert!(
        limited
            .iter()
            .all(|r| r.account_id.as_deref() == Some(OWNER))
    );
}
