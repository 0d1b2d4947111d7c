//! The registry of clouds: all three fakes on one address, as `imgshare-fake serve` runs them
//! for tests in any language.

use std::net::TcpListener;

use wiremock::{MockServer, MockServerBuilder};

use crate::{NcloudFake, NcloudSeed, ScpFake, ScpSeed, TencentFake, TencentSeed};

/// A seed for each cloud.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FakeSeeds {
    /// Tencent's accounts, images and shares.
    pub tencent: TencentSeed,
    /// NAVER Cloud's accounts and images.
    pub ncloud: NcloudSeed,
    /// SCP's accounts, images and members.
    pub scp: ScpSeed,
}

impl FakeSeeds {
    /// Every cloud's demo seed (test keys only).
    pub fn demo() -> FakeSeeds {
        FakeSeeds {
            tencent: TencentSeed::demo(),
            ncloud: NcloudSeed::demo(),
            scp: ScpSeed::demo(),
        }
    }
}

/// The Tencent, NAVER Cloud and SCP fakes on one server. Their paths never collide: Tencent
/// answers `/` (and whatever no other cloud claims), NAVER Cloud `/vserver/v2/…` and
/// `/server/v2/…`, SCP `/v1/…`, and each has its admin API under `/_fake/{cloud}/`.
///
/// The server stops when this value is dropped.
#[derive(Debug)]
pub struct FakeClouds {
    /// The Tencent CVM fake.
    pub tencent: TencentFake,
    /// The NAVER Cloud fake.
    pub ncloud: NcloudFake,
    /// The SCP fake.
    pub scp: ScpFake,
    server: MockServer,
}

impl FakeClouds {
    /// Starts the three fakes on a random loopback port.
    pub async fn start(seeds: FakeSeeds) -> FakeClouds {
        FakeClouds::own(MockServer::builder(), seeds).await
    }

    /// Starts the three fakes on an already-bound listener, e.g. for `imgshare-fake serve`.
    pub async fn start_on(listener: TcpListener, seeds: FakeSeeds) -> FakeClouds {
        FakeClouds::own(MockServer::builder().listener(listener), seeds).await
    }

    async fn own(builder: MockServerBuilder, seeds: FakeSeeds) -> FakeClouds {
        let server = builder.disable_request_recording().start().await;
        FakeClouds {
            tencent: TencentFake::mount_on(&server, seeds.tencent).await,
            ncloud: NcloudFake::mount_on(&server, seeds.ncloud).await,
            scp: ScpFake::mount_on(&server, seeds.scp).await,
            server,
        }
    }

    /// The base URL every cloud shares, `http://127.0.0.1:PORT`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// `demo()` falls back to an empty seed, so a broken seed file must fail here.
    #[test]
    fn demo_seed_files_parse_and_pass_the_checks() {
        let tencent = TencentSeed::from_json_str(include_str!("../../seeds/tencent.json"));
        let ncloud = NcloudSeed::from_json_str(include_str!("../../seeds/ncloud.json"));
        let scp = ScpSeed::from_json_str(include_str!("../../seeds/scp.json"));
        let seeds = FakeSeeds {
            tencent: tencent.unwrap(),
            ncloud: ncloud.unwrap(),
            scp: scp.unwrap(),
        };
        assert_eq!(seeds, FakeSeeds::demo());
        assert_eq!(seeds.tencent.images.len(), 3);
        assert_eq!(
            seeds.ncloud.images.len() + seeds.ncloud.classic_images.len(),
            5
        );
        assert_eq!(seeds.scp.images.len(), 4);
    }
}
