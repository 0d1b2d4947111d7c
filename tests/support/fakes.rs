//! The three signature-checking fakes on one address, with a client of the owning account for
//! each and a plan's `Connected` over them (shared by the facade's integration tests).

#![allow(dead_code)]

use std::sync::Arc;

use imgshare::Credentials;
use imgshare::plan::Connected;
use imgshare::sharing::NcloudServerImages;
use imgshare_testkit::{NcloudFake, NcloudSeed, ScpFake, ScpSeed, TencentFake, TencentSeed};

pub(crate) struct Fakes {
    pub(crate) tencent: TencentFake,
    pub(crate) ncloud: NcloudFake,
    pub(crate) scp: ScpFake,
}

impl Fakes {
    pub(crate) async fn start() -> Fakes {
        let tencent = TencentFake::start_with_seed(TencentSeed::demo()).await;
        let ncloud = NcloudFake::mount_on(tencent.mock_server().unwrap(), NcloudSeed::demo()).await;
        let scp = ScpFake::mount_on(tencent.mock_server().unwrap(), ScpSeed::demo()).await;
        Fakes {
            tencent,
            ncloud,
            scp,
        }
    }

    pub(crate) fn tencent_client(&self) -> imgshare::tencent::Client {
        self.tencent_client_of(0)
    }

    /// A client of the Tencent demo seed's account `n` (1: a recipient).
    pub(crate) fn tencent_client_of(&self, n: usize) -> imgshare::tencent::Client {
        let a = &TencentSeed::demo().accounts[n];
        imgshare::tencent::Client::new(
            imgshare::tencent::Config::builder()
                .region("ap-guangzhou")
                .endpoint_url(self.tencent.uri())
                .credentials(
                    Credentials::new(&a.secret_id, a.secret_key.as_str(), None, "test").unwrap(),
                )
                .build()
                .unwrap(),
        )
        .unwrap()
    }

    pub(crate) fn ncloud_client(&self) -> imgshare::ncloud::Client {
        let a = &NcloudSeed::demo().accounts[0];
        imgshare::ncloud::Client::new(
            imgshare::ncloud::Config::builder()
                .endpoint_url(self.ncloud.uri())
                .credentials(
                    Credentials::new(&a.access_key, a.secret_key.as_str(), None, "test").unwrap(),
                )
                .build()
                .unwrap(),
        )
        .unwrap()
    }

    pub(crate) fn scp_client(&self) -> imgshare::scp::Client {
        self.scp_client_of(0)
    }

    /// A client of the SCP demo seed's account `n` (1: the recipient).
    pub(crate) fn scp_client_of(&self, n: usize) -> imgshare::scp::Client {
        let a = &ScpSeed::demo().accounts[n];
        imgshare::scp::Client::new(
            imgshare::scp::Config::builder()
                .endpoint_url(self.scp.uri())
                .account_id(&a.account_id)
                .credentials(
                    Credentials::new(&a.access_key, a.secret_key.as_str(), None, "test").unwrap(),
                )
                .build()
                .unwrap(),
        )
        .unwrap()
    }

    /// Mutating requests each fake has received so far.
    pub(crate) fn mutations(&self) -> (usize, usize, usize) {
        let [tencent, ncloud, scp] = self.writes();
        (tencent.len(), ncloud.len(), scp.len())
    }

    /// The request id each fake answered each mutating request so far, in arrival order.
    pub(crate) fn writes(&self) -> [Vec<Option<String>>; 3] {
        let tencent = (self.tencent.received().into_iter())
            .filter(|r| r.action.as_deref() == Some("ModifyImageSharePermission"))
            .map(|r| r.request_id);
        let write = |a: &str| ["add", "remove", "set"].iter().any(|p| a.starts_with(p));
        let ncloud = (self.ncloud.received().into_iter())
            .filter(|r| r.action.as_deref().is_some_and(write))
            .map(|r| r.request_id);
        let scp = (self.scp.received().into_iter())
            .filter(|r| r.method != "GET")
            .map(|r| r.request_id);
        [tencent.collect(), ncloud.collect(), scp.collect()]
    }

    pub(crate) fn connected(&self) -> Connected {
        Connected::new()
            .with_sharing("tencent", Arc::new(self.tencent_client()), 10.0)
            .with_sharing(
                "ncloud",
                Arc::new(NcloudServerImages(self.ncloud_client())),
                50.0,
            )
            .with_sharing("scp", Arc::new(self.scp_client()), 50.0)
    }
}
