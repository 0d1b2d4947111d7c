//! SCP's credential sources through a fixed `Env`: the community and Terraform variable pairs,
//! `~/.scpconf/credentials.json`, and the default chain's order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use imgshare_core::credentials::Env;
use imgshare_core::{CredentialsErrorKind, ProvideCredentials};
use imgshare_scp::credentials::{
    ENV_ACCESS_KEY, ENV_SECRET_KEY, ENV_TF_ACCESS_KEY, ENV_TF_SECRET_KEY, EnvironmentProvider,
    ProfileFileProvider, TerraformEnvironmentProvider, default_chain_with_env,
};

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "imgshare-scp-cred-{}-{name}-{nanos}",
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

#[tokio::test]
async fn environment_pairs() {
    let env = Env::from_vars([(ENV_TF_ACCESS_KEY, "ak"), (ENV_TF_SECRET_KEY, "sk-secret")]);
    let c = TerraformEnvironmentProvider::new()
        .with_env(env.clone())
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "ak");
    // The community pair does not read the Terraform names.
    let err = EnvironmentProvider::new()
        .with_env(env)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound);

    let half = Env::from_vars([(ENV_ACCESS_KEY, "x"), (ENV_SECRET_KEY, "")]);
    let err = EnvironmentProvider::new()
        .with_env(half)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains(ENV_SECRET_KEY), "{err}");
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
}

#[tokio::test]
async fn credentials_json() {
    let dir = temp_dir("json");
    let path = dir.join("credentials.json");
    write_private(
        &path,
        r#"{"access-key":"b754b12b39da4ce29a40c5e324650bd0","secret-key":"very-secret-value","auth-token":""}"#,
    );
    let c = ProfileFileProvider::with_path(&path)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "b754b12b39da4ce29a40c5e324650bd0");
    assert_eq!(c.source(), "credentials file");
    assert!(!format!("{c:?}").contains("very-secret-value"));

    write_private(&path, r#"{"access-key":"a"}"#);
    let err = ProfileFileProvider::with_path(&path)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("secret-key"), "{err}");

    write_private(
        &path,
        r#"{"access-key":"a","secret-key":"very-secret-value""#,
    );
    let err = ProfileFileProvider::with_path(&path)
        .provide_credentials()
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("very-secret-value"), "{err}");

    let missing = ProfileFileProvider::with_path(dir.join("absent.json"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), &CredentialsErrorKind::NotFound);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_default_chain_takes_community_then_terraform_variables_then_the_file() {
    let home = temp_dir("chain");
    write_private(
        &home.join(".scpconf").join("credentials.json"),
        r#"{"access-key":"AKFILE","secret-key":"sk"}"#,
    );
    let home = home.to_str().unwrap().to_owned();
    let got = |extra: &[(&str, &str)]| {
        let mut vars = vec![("HOME".to_owned(), home.clone())];
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        async move {
            let c = default_chain_with_env(Env::from_vars(vars))
                .provide_credentials()
                .await;
            c.unwrap().access_id().to_owned()
        }
    };
    let community = [(ENV_ACCESS_KEY, "AKSCP"), (ENV_SECRET_KEY, "s")];
    let terraform = [(ENV_TF_ACCESS_KEY, "AKTF"), (ENV_TF_SECRET_KEY, "s")];
    assert_eq!(got(&[community, terraform].concat()).await, "AKSCP");
    assert_eq!(got(&terraform).await, "AKTF");
    assert_eq!(got(&[]).await, "AKFILE");
    std::fs::remove_dir_all(&home).unwrap();
}
