//! The resolver without the environment: layers given by the caller only (the environment's
//! place in the order is tested through the binary, in `imgshare-cli`'s `cli_connect.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

fn spec(kind: ProviderKind, endpoint: Option<&str>) -> ProviderSpec {
    let mut spec = ProviderSpec::new(kind.as_str(), kind);
    spec.endpoint = endpoint.map(str::to_owned);
    spec.region = Some(
        match kind {
            ProviderKind::Tencent => "ap-guangzhou",
            ProviderKind::Ncloud => "KR",
            ProviderKind::Scp => "kr-west1",
        }
        .to_owned(),
    );
    spec
}

fn flag(endpoint: &str) -> Overrides {
    Overrides {
        endpoint: Some(endpoint.to_owned()),
        ..Overrides::default()
    }
}

const KINDS: [ProviderKind; 3] = [
    ProviderKind::Tencent,
    ProviderKind::Ncloud,
    ProviderKind::Scp,
];

/// Fails if a plan entry's endpoint wins over the flag (the bug: `plan` never read
/// `--endpoint`).
#[tokio::test]
async fn the_flag_beats_the_plan_entry_for_every_provider() {
    for kind in KINDS {
        let plan = spec(kind, Some("http://127.0.0.1:1001"));
        let c = sharing(&plan, &flag("http://127.0.0.1:1002"))
            .await
            .unwrap();
        assert_eq!(c.target.endpoint(), "http://127.0.0.1:1002/", "{kind}");
        assert_eq!(c.target.origin(), &Origin::Flag, "{kind}");
        assert!(!c.target.is_default());

        let c = sharing(&plan, &Overrides::default()).await.unwrap();
        assert_eq!(c.target.endpoint(), "http://127.0.0.1:1001/", "{kind}");
        assert_eq!(c.target.origin(), &Origin::Plan(kind.as_str().to_owned()));
    }
}

/// Fails if an empty endpoint means "the default" for any provider (the bug: `--endpoint ''`
/// was production for tencent and an error for the others).
#[tokio::test]
async fn an_empty_endpoint_is_refused_for_every_provider() {
    for kind in KINDS {
        for (plan, over) in [
            (spec(kind, None), flag("")),
            (spec(kind, Some(" ")), Overrides::default()),
        ] {
            let e = sharing(&plan, &over).await.unwrap_err();
            let Error::InvalidInput(input) = e.error() else {
                panic!("{kind}: {e}");
            };
            assert_eq!(input.field(), "endpoint", "{kind}");
            assert!(e.to_string().contains("is empty"), "{e}");
            assert_eq!(e.provider(), kind.as_str());
        }
    }
}

#[tokio::test]
async fn the_flags_region_beats_the_plan_entrys_and_ncloud_upper_cases_it() {
    let plan = spec(ProviderKind::Ncloud, Some("http://127.0.0.1:1001"));
    let over = Overrides {
        region: Some("sgn".into()),
        ..Overrides::default()
    };
    let c = ncloud(&plan, &over).await.unwrap();
    assert_eq!(c.client.config().region_code(), Some("SGN"));
    let c = ncloud(&plan, &Overrides::default()).await.unwrap();
    assert_eq!(c.client.config().region_code(), Some("KR"));
}

#[tokio::test]
async fn a_default_endpoint_from_a_flag_is_still_the_default() {
    let plan = spec(ProviderKind::Tencent, None);
    let c = tencent(&plan, &flag("https://cvm.tencentcloudapi.com"))
        .await
        .unwrap();
    assert!(c.target.is_default());
    assert_eq!(notice([&c.target]), None);
}

#[tokio::test]
async fn a_spec_of_another_kind_is_refused() {
    let e = scp(&spec(ProviderKind::Tencent, None), &Overrides::default())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("is tencent, not scp"), "{e}");
}

#[test]
fn the_notice_names_providers_only_when_they_differ() {
    let t = |provider: &str, endpoint: &str, origin: Origin, default: bool| Target {
        provider: provider.into(),
        endpoint: endpoint.into(),
        origin,
        default,
    };
    let a = t("tencent", "http://127.0.0.1:9/", Origin::Flag, false);
    let b = t("scp", "http://127.0.0.1:9/", Origin::Flag, false);
    assert_eq!(
        notice([&a, &b]).as_deref(),
        Some("sending to http://127.0.0.1:9/ (--endpoint)")
    );
    let prod = t(
        "ncloud",
        "https://ncloud.apigw.ntruss.com/",
        Origin::Default,
        true,
    );
    assert_eq!(
        notice([&a, &prod]).as_deref(),
        Some("sending tencent to http://127.0.0.1:9/ (--endpoint)")
    );
    let c = t(
        "scp",
        "http://127.0.0.1:8/",
        Origin::Plan("scp".into()),
        false,
    );
    assert_eq!(
        notice([&a, &c]).as_deref(),
        Some(
            "sending tencent to http://127.0.0.1:9/ (--endpoint); scp to http://127.0.0.1:8/ \
             (plan: providers.scp.endpoint)"
        )
    );
    assert_eq!(notice([&prod]), None);
    assert_eq!(notice([]), None);
}

/// Fails if a key pasted into `secret_key_env` (a name-shaped one passes the plan's check) is
/// echoed when the variable it "names" is unset: the error names the plan's field instead.
#[tokio::test]
async fn an_unset_credentials_variable_is_named_by_its_field_not_its_value() {
    const PASTED: &str = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";
    for kind in KINDS {
        let mut plan = spec(kind, Some("http://127.0.0.1:1001"));
        plan.credentials = CredentialSource::Env {
            // Set in every environment, so the secret's variable is the one reported.
            access_key_env: "PATH".into(),
            secret_key_env: PASTED.into(),
        };
        let error = sharing(&plan, &Overrides::default()).await.unwrap_err();
        let text = error.to_string();
        assert!(!text.contains(PASTED), "{text}");
        assert!(text.contains("credentials."), "{text}");
    }
}

/// Fails if an empty variable counts as configured (`NCLOUD_ACCESS_KEY_ID=` left in a script
/// would make the inventory fail on a provider nobody set up), if NAVER Cloud's older
/// `NCLOUD_ACCESS_KEY` is not read, or if the entries are not named after their kinds.
#[test]
fn providers_from_the_environment_are_those_whose_variables_are_set() {
    let from = |vars: &[(&str, &str)]| {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let specs =
            providers_from(|name| vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()));
        specs
            .into_iter()
            .map(|s| {
                assert_eq!(s.name, s.kind.as_str());
                s.kind
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(from(&[]), []);
    assert_eq!(
        from(&[
            ("SCP_ACCESS_KEY", "k"),
            ("TENCENTCLOUD_REGION", "ap-guangzhou")
        ]),
        [ProviderKind::Tencent, ProviderKind::Scp]
    );
    assert_eq!(from(&[("NCLOUD_ACCESS_KEY", "k")]), [ProviderKind::Ncloud]);
    assert_eq!(
        from(&[("NCLOUD_ACCESS_KEY_ID", "k")]),
        [ProviderKind::Ncloud]
    );
    assert_eq!(
        from(&[("NCLOUD_ACCESS_KEY_ID", ""), ("TENCENTCLOUD_REGION", "")]),
        []
    );
}
