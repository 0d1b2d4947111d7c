//! NCP's credential sources through a fixed `Env`: both spellings of the variables,
//! `~/.ncloud/configure`, the Server Role over a loopback metadata server, and the default
//! chain's order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use imgshare_core::credentials::Env;
use imgshare_core::{Credentials, CredentialsError, CredentialsErrorKind, ProvideCredentials};
use imgshare_ncloud::credentials::{
    ConfigFileProvider, ENV_ACCESS_KEY, ENV_ACCESS_KEY_ID, ENV_METADATA_API_ENDPOINT,
    ENV_METADATA_ENDPOINT, ENV_SECRET_ACCESS_KEY, ENV_SECRET_KEY, EnvironmentProvider,
    SECURITY_CREDENTIALS_PATH, ServerRoleProvider, default_chain_with_env,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "imgshare-ncloud-cred-{}-{name}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a credentials file only its owner can read, whatever the umask.
fn write_private(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

async fn from_env(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
    EnvironmentProvider::new()
        .with_env(Env::from_vars(vars.iter().copied()))
        .provide_credentials()
        .await
}

#[tokio::test]
async fn environment_reads_both_spellings_in_the_sdks_order() {
    let c = from_env(&[(ENV_ACCESS_KEY, "AK2"), (ENV_SECRET_KEY, "SK2")])
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AK2");
    let c = from_env(&[
        (ENV_ACCESS_KEY_ID, "AK1"),
        (ENV_ACCESS_KEY, "AK2"),
        (ENV_SECRET_ACCESS_KEY, "SK1"),
        (ENV_SECRET_KEY, "SK2"),
    ])
    .await
    .unwrap();
    assert_eq!((c.access_id(), c.secret().expose_secret()), ("AK1", "SK1"));
    let err = from_env(&[(ENV_ACCESS_KEY_ID, "x")]).await.unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    assert!(err.to_string().contains(ENV_SECRET_ACCESS_KEY), "{err}");
    // An empty variable is unset, as the SDKs read it.
    let err = from_env(&[(ENV_ACCESS_KEY_ID, ""), (ENV_SECRET_ACCESS_KEY, "")])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn config_file_keeps_equals_signs_in_values() {
    let dir = temp_dir("cfg");
    let path = dir.join("configure");
    write_private(
        &path,
        "# NCP\n[DEFAULT]\nncloud_access_key_id = AKFILE\nncloud_secret_access_key = s3cr=t==\nncloud_api_url = https://x\n",
    );
    let c = ConfigFileProvider::with_path(&path)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKFILE");
    assert_eq!(c.secret().expose_secret(), "s3cr=t==");
    assert_eq!(c.source(), "config file");
    let missing = ConfigFileProvider::with_path(dir.join("absent"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), &CredentialsErrorKind::NotFound);
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn metadata(access_key: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SECURITY_CREDENTIALS_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_string("image-sharer\n"))
        .mount(&server)
        .await;
    let doc = serde_json::json!({"AccessKeyId": access_key, "SecretAccessKey": "role-secret",
        "Expiration": "2099-12-31T08:53:47Z", "Code": "Success", "Message": ""});
    Mock::given(method("GET"))
        .and(path(format!("{SECURITY_CREDENTIALS_PATH}image-sharer")))
        .respond_with(ResponseTemplate::new(200).set_body_string(doc.to_string()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_default_chain_takes_environment_then_config_file_then_server_role() {
    let go = metadata("ROLE-GO").await;
    let python = metadata("ROLE-PY").await;
    let home = temp_dir("chain");
    write_private(
        &home.join(".ncloud").join("configure"),
        "ncloud_access_key_id = AKFILE\nncloud_secret_access_key = sk\n",
    );
    let env = |keys: bool, file: bool, endpoints: &[(&str, &MockServer)]| {
        let home = if file {
            home.clone()
        } else {
            home.join("empty")
        };
        let mut vars = vec![("HOME".to_owned(), home.to_str().unwrap().to_owned())];
        if keys {
            vars.push((ENV_ACCESS_KEY.to_owned(), "AKENV".to_owned()));
            vars.push((ENV_SECRET_KEY.to_owned(), "sk".to_owned()));
        }
        vars.extend(endpoints.iter().map(|(k, s)| (k.to_string(), s.uri())));
        Env::from_vars(vars)
    };
    let got = |env: Env| async move {
        let c = default_chain_with_env(env).provide_credentials().await;
        c.unwrap().access_id().to_owned()
    };
    let both = [
        (ENV_METADATA_API_ENDPOINT, &go),
        (ENV_METADATA_ENDPOINT, &python),
    ];
    assert_eq!(got(env(true, true, &both)).await, "AKENV");
    assert_eq!(got(env(false, true, &both)).await, "AKFILE");
    // The Go SDK's variable wins over the Python and JS SDKs'.
    assert_eq!(got(env(false, false, &both)).await, "ROLE-GO");
    assert_eq!(
        got(env(false, false, &[(ENV_METADATA_ENDPOINT, &python)])).await,
        "ROLE-PY"
    );
    assert_eq!(go.received_requests().await.unwrap().len(), 2);
    std::fs::remove_dir_all(&home).unwrap();
}

#[tokio::test]
async fn a_metadata_override_across_a_network_over_http_is_refused() {
    let env = Env::from_vars([(ENV_METADATA_ENDPOINT, "http://metadata.example.invalid")]);
    let err = ServerRoleProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(ENV_METADATA_ENDPOINT) && text.contains("https"),
        "{text}"
    );
}

#[tokio::test]
async fn a_refusing_server_role_still_names_the_sources_tried_before_it() {
    // No variables, no file, and a metadata service that answers 403 (a Server Role the server
    // may not use): the error must still say where else it looked, not only the 403.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SECURITY_CREDENTIALS_PATH))
        .respond_with(ResponseTemplate::new(403).set_body_string("Forbidden"))
        .mount(&server)
        .await;
    let home = temp_dir("refused");
    let env = Env::from_vars([
        ("HOME", home.to_str().unwrap()),
        (ENV_METADATA_ENDPOINT, server.uri().as_str()),
    ]);
    let err = default_chain_with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("403"), "{text}");
    for named in [
        "environment",
        ENV_ACCESS_KEY_ID,
        ENV_SECRET_ACCESS_KEY,
        "config file",
        ".ncloud/configure",
        "server role",
    ] {
        assert!(text.contains(named), "{named} missing from: {text}");
    }
    let tried: Vec<&str> = err.tried().iter().map(|t| t.source_name()).collect();
    assert_eq!(tried.len(), 2, "{tried:?}");
    assert!(
        tried[0].starts_with("environment") && tried[1].starts_with("config file"),
        "{tried:?}"
    );
    std::fs::remove_dir_all(&home).unwrap();
}
