#![allow(clippy::unwrap_used)]
use super::*;

fn refused(text: &str) -> (usize, String, String) {
    match Plan::parse(text, "plan.toml").unwrap_err() {
        PlanError::Invalid {
            line,
            field,
            message,
            file,
            ..
        } => {
            assert_eq!(file, "plan.toml");
            (line, field, message)
        }
        other => panic!("{other}"),
    }
}

const GOOD: &str = r#"
[providers.tencent]
region = "ap-guangzhou"
credentials = { access_key_env = "A", secret_key_env = "B" }
allowed_accounts = ["100000000002"]

[providers.classic]
type = "ncloud"
api = "classic"
credentials = { file = "/etc/ncloud/configure" }
rate_limit = 2.5

[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = ["100000000002"]

[[images]]
provider = "classic"
image = "20000001"
accounts = []
"#;

#[test]
fn a_good_plan_is_read() {
    let plan = Plan::parse(GOOD, "plan.toml").unwrap();
    let tencent = plan.provider("tencent").unwrap();
    assert_eq!(tencent.kind, ProviderKind::Tencent);
    assert_eq!(tencent.rate_limit, TENCENT_SHARE_RATE);
    assert_eq!(
        tencent.credentials,
        CredentialSource::Env {
            access_key_env: "A".into(),
            secret_key_env: "B".into()
        }
    );
    let classic = plan.provider("classic").unwrap();
    assert_eq!(classic.ncloud_api, NcloudApi::Classic);
    assert_eq!(classic.interval(), Duration::from_millis(400));
    assert_eq!(plan.images().len(), 2);
    assert_eq!(plan.images()[1].line, 20);
    assert_eq!(plan.unguarded_removals().len(), 1);
}

#[test]
fn a_secret_is_refused_saying_why() {
    let (line, field, message) = refused(
        "[providers.tencent]\nregion = \"ap-guangzhou\"\ncredentials = { secret_key = \"x\" }\n",
    );
    assert_eq!(line, 3);
    assert_eq!(field, "providers.tencent.credentials.secret_key");
    assert!(message.contains("never hold secrets"), "{message}");
    let (_, field, _) = refused("[providers.scp]\naccess_key = \"AKID\"\n");
    assert_eq!(field, "providers.scp.access_key");
}

#[test]
fn a_share_outside_the_allow_list_is_refused() {
    let text = GOOD.replace(
        "accounts = [\"100000000002\"]\n\n[[images]]",
        "accounts = [\"100000000002\", \"100000000009\"]\n\n[[images]]",
    );
    let (line, field, message) = refused(&text);
    assert_eq!(line, 16);
    assert_eq!(field, "images[0].accounts[1]");
    assert!(message.contains("allowed_accounts"), "{message}");
}

#[test]
fn malformed_plans_name_file_line_and_field() {
    let (line, field, message) = refused("[providers.tencent]\nregoin = \"x\"\n");
    assert_eq!((line, field.as_str()), (2, "providers.tencent.regoin"));
    assert!(message.contains("unknown field"), "{message}");

    let (line, field, _) = refused(
        "[providers.tencent]\nregion = \"r\"\n\n[[images]]\nprovider = \"tencent\"\nimage = 5\naccounts = []\n",
    );
    assert_eq!((line, field.as_str()), (6, "images[0].image"));

    let (line, field, message) = refused(
        "[providers.tencent]\nregion = \"r\"\n[[images]]\nprovider = \"tencnet\"\nimage = \"i\"\naccounts = []\n",
    );
    assert_eq!((line, field.as_str()), (4, "images[0].provider"));
    assert!(message.contains("no provider"), "{message}");

    let (line, field, _) = refused("[providers.aws]\nregion = \"r\"\n");
    assert_eq!((line, field.as_str()), (1, "providers.aws.type"));

    let (line, _, _) = refused("[providers.tencent\n");
    assert_eq!(line, 1);

    let (_, field, message) = refused("[providers.tencent]\nregion = \"r\"\nrate_limit = 50\n");
    assert_eq!(field, "providers.tencent.rate_limit");
    assert!(message.contains("at most 10"), "{message}");

    let (_, field, _) = refused("[providers.ncloud]\ncredentials = { profile = \"work\" }\n");
    assert_eq!(field, "providers.ncloud.credentials");
}

/// Fails if `endpoint = ""` parses (it then meant "the default endpoint" for tencent: production).
#[test]
fn an_empty_endpoint_is_refused_with_its_line() {
    let (line, field, message) =
        refused("[providers.tencent]\nregion = \"ap-guangzhou\"\nendpoint = \"\"\n");
    assert_eq!((line, field.as_str()), (3, "providers.tencent.endpoint"));
    assert!(message.contains("empty endpoint"), "{message}");
}

/// Fails if a key pasted where a source or a variable's name belongs is echoed (the bug: the
/// error quoted `credentials = "…"` verbatim, in text and JSON).
#[test]
fn a_pasted_key_is_refused_without_echoing_it() {
    const KEY: &str = "c4150149-f7c6-46bc-9faa-d2b9d20e0899";
    for credentials in [
        format!("\"{KEY}\""),
        format!("{{ access_key_env = \"A\", secret_key_env = \"{KEY}\" }}"),
        format!("{{ access_key_env = \"{KEY}\", secret_key_env = \"B\" }}"),
        format!(
            "{{ access_key_env = \"A\", secret_key_env = \"{}\" }}",
            "B".repeat(200)
        ),
    ] {
        let text = format!("[providers.scp]\ncredentials = {credentials}\n");
        let error = Plan::parse(&text, "plan.toml").unwrap_err();
        assert!(!error.to_string().contains(KEY), "{error}");
        let (line, field, message) = refused(&text);
        assert_eq!((line, field.as_str()), (2, "providers.scp.credentials"));
        assert!(message.contains("not shown"), "{message}");
    }
}

/// Fails if a plan file is read without a bound (the bug: `/dev/zero` grew memory until the
/// process was killed).
#[cfg(unix)]
#[test]
fn an_endless_plan_file_is_refused() {
    match Plan::from_file("/dev/zero").unwrap_err() {
        PlanError::Io { source, .. } => {
            assert!(source.to_string().contains("larger than"), "{source}");
        }
        other => panic!("{other}"),
    }
}

/// Fails if a vanishing rate is accepted (the bug: `rate_limit = 1e-9` made `plan apply` wait
/// for years).
#[test]
fn rate_limits_are_bounded() {
    for rate in ["1e-9", "0.0", "-1.0", "0.009", "1001.0", "nan"] {
        let text = format!("[providers.scp]\nrate_limit = {rate}\n");
        let (_, field, message) = refused(&text);
        assert_eq!(field, "providers.scp.rate_limit", "{rate}");
        assert!(message.contains("at least 0.01"), "{rate}: {message}");
    }
    Plan::parse("[providers.scp]\nrate_limit = 0.01\n", "p").unwrap();
}

/// Fails if a malformed image id passes parsing (the bug: it failed only at apply, after other
/// images had been changed).
#[test]
fn image_ids_are_checked_per_provider_at_parse_time() {
    for (provider, bad) in [
        ("tencent", "img-DEMO0001"),
        ("classic", "img-demo0001"),
        ("scp", "not-a-uuid"),
    ] {
        let text = format!(
            "{GOOD}\n[providers.scp]\n\n[[images]]\nprovider = \"{provider}\"\nimage = \"{bad}\"\naccounts = [\"100000000002\"]\n"
        );
        let (line, field, message) = refused(&text);
        assert_eq!(
            (line, field.as_str()),
            (27, "images[2].image"),
            "{provider}"
        );
        assert!(message.contains("image id"), "{message}");
    }
}

const GROUPS: &str = r#"
[providers.tencent]
region = "ap-guangzhou"
allowed_accounts = ["100000000002", "100000000003", "100000000004"]
groups = { ops = ["100000000002", "100000000003"], qa = ["100000000003"] }
mode = "at-least"

[[images]]
provider = "tencent"
image = "img-demo0001"
accounts = ["@ops", "@qa", { account = "100000000004", expires = "2030-01-01T00:00:00+09:00" }]
mode = "exact"
"#;

/// Fails if groups are not expanded once each, expiries not read, or modes not inherited.
#[test]
fn groups_modes_and_expiries_are_read() {
    let plan = Plan::parse(GROUPS, "plan.toml").unwrap();
    let image = &plan.images()[0];
    assert_eq!(
        image.accounts,
        ["100000000002", "100000000003", "100000000004"]
    );
    assert_eq!(image.mode, Mode::Exact);
    assert_eq!(plan.provider("tencent").unwrap().mode, Mode::AtLeast);
    let at = image.expires["100000000004"];
    assert_eq!(at.unix_timestamp(), 1_893_423_600);
    assert_eq!(image.expires.len(), 1);
    let inherited = Plan::parse(&GROUPS.replace("mode = \"exact\"\n", ""), "p").unwrap();
    assert_eq!(inherited.images()[0].mode, Mode::AtLeast);
    // A TOML date-time works as well as a quoted one.
    let native = GROUPS.replace("\"2030-01-01T00:00:00+09:00\"", "2030-01-01T00:00:00+09:00");
    let plan = Plan::parse(&native, "p").unwrap();
    assert_eq!(plan.images()[0].expires["100000000004"], at);
}

/// Fails if a group escapes the allow-list, an unknown group or mode passes, or an expiry
/// without an offset is read in some local time.
#[test]
fn bad_groups_modes_and_expiries_are_refused() {
    let cases = [
        (
            GROUPS.replace("qa = [\"100000000003\"]", "qa = [\"100000000009\"]"),
            "providers.tencent.groups.qa[0]",
            "allowed_accounts",
        ),
        (
            GROUPS.replace("\"@qa\"", "\"@dev\""),
            "images[0].accounts[1]",
            "no group \"dev\"",
        ),
        (
            GROUPS.replace("mode = \"exact\"", "mode = \"atleast\""),
            "images[0].mode",
            "at-least",
        ),
        (
            GROUPS.replace("2030-01-01T00:00:00+09:00", "2030-01-01T00:00:00"),
            "images[0].accounts[2]",
            "RFC 3339",
        ),
        (
            GROUPS.replace("\"@qa\"", "\"@ops\""),
            "images[0].accounts[1]",
            "listed twice",
        ),
    ];
    for (text, want_field, want_message) in cases {
        let (_, field, message) = refused(&text);
        assert_eq!(field, want_field, "{message}");
        assert!(message.contains(want_message), "{message}");
    }
}

/// Fails if the sample plan does not parse, or cannot be connected once its `endpoint` lines
/// are dropped (the bug: its SCP entry had no region).
#[tokio::test]
async fn the_example_plan_parses_and_connects_without_its_endpoint_lines() {
    let text = include_str!("../../examples/plan.toml");
    Plan::parse(text, "examples/plan.toml").unwrap();
    let real: String = text
        .lines()
        .filter(|l| !l.starts_with("endpoint"))
        .map(|l| format!("{l}\n"))
        .collect();
    let plan = Plan::parse(&real, "examples/plan.toml").unwrap();
    let mut specs: Vec<ProviderSpec> = plan.providers().cloned().collect();
    for spec in &mut specs {
        // The variables the example names are not set here.
        spec.credentials = CredentialSource::Default;
    }
    let overrides = crate::connect::Overrides::default();
    crate::connect::connect_all(&specs, &overrides)
        .await
        .unwrap();
}

/// Fails if an answer for a provider without an accept step, a bad answer or a malformed
/// image id passes parsing.
#[test]
fn answers_are_checked_at_parse_time() {
    const SCP_IMAGE: &str = "00000000-0000-4000-8000-0000000000a1";
    let good = format!(
        "{GOOD}\n[providers.scp]\naccount_id = \"b2\"\n\n[[answers]]\nprovider = \"scp\"\nimage = \"{SCP_IMAGE}\"\nanswer = \"accept\"\n"
    );
    let plan = Plan::parse(&good, "plan.toml").unwrap();
    assert!(plan.answers()[0].accept);
    for (from, to, field, message) in [
        (
            "provider = \"scp\"\nimage",
            "provider = \"tencent\"\nimage",
            "answers[0].provider",
            "only SCP",
        ),
        (
            "\"accept\"",
            "\"maybe\"",
            "answers[0].answer",
            "\"accept\" or \"reject\"",
        ),
        (SCP_IMAGE, "img-demo0001", "answers[0].image", "image id"),
    ] {
        let (_, got, said) = refused(&good.replace(from, to));
        assert_eq!(got, field);
        assert!(said.contains(message), "{said}");
    }
}

/// Fails if a mode is misread, or a misspelt one is taken for one (a command line reads modes
/// with `FromStr`, plans with the same parser).
#[test]
fn modes_parse_as_plans_spell_them() {
    for mode in [Mode::Exact, Mode::AtLeast] {
        assert_eq!(mode.to_string().parse::<Mode>(), Ok(mode));
    }
    for bad in ["", "Exact", "at_least", "atleast", "exact "] {
        let e = bad.parse::<Mode>().unwrap_err();
        assert!(e.to_string().contains("\"exact\" or \"at-least\""), "{e}");
    }
}

#[test]
fn each_ncloud_api_family_is_read_by_its_name_and_a_typo_is_refused() {
    let families = [
        ("server-image", NcloudApi::ServerImage),
        ("member-image", NcloudApi::MemberImage),
        ("classic", NcloudApi::Classic),
    ];
    for (name, api) in families {
        assert_eq!(api.to_string(), name);
        let text = format!("[providers.n]\ntype = \"ncloud\"\napi = \"{name}\"\n");
        let plan = Plan::parse(&text, "plan.toml").unwrap();
        assert_eq!(plan.provider("n").unwrap().ncloud_api, api);
    }
    let (line, field, message) = refused("[providers.n]\ntype = \"ncloud\"\napi = \"clasic\"\n");
    assert_eq!((line, field.as_str()), (3, "providers.n.api"));
    assert_eq!(
        message,
        "\"clasic\": use server-image, member-image or classic"
    );
}
