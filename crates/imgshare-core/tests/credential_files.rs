//! The profile-file provider and the bounded, permission-checked file readers (also for JSON
//! documents and token files): INI and JSON files found through a fixed `Env`, the path
//! variable, the size limit, Unix permissions, and errors that name the file but never quote a
//! secret.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use imgshare_core::credentials::{
    DescribeProfileFile, Env, FileFormat, ProfileFileProvider, ProfileFileSpec, read_config_file,
    read_credentials_file, read_json_file, read_token_file,
};
use imgshare_core::{CredentialsError, CredentialsErrorKind, ProvideCredentials};

const SECRET: &str = "s3cr=t-never-print-me";

/// Shaped like Tencent's profile file.
struct IniSpec;
impl DescribeProfileFile for IniSpec {
    const PROFILE_FILE: ProfileFileSpec = ProfileFileSpec {
        source: "profile file",
        path_var: Some("TEST_CREDENTIALS_FILE"),
        home_path: ".testcloud/credentials",
        system_path: Some("/nonexistent/imgshare-test/credentials"),
        format: FileFormat::Ini {
            section: Some("default"),
        },
        access_id: "secret_id",
        secret: "secret_key",
        session_token: Some("token"),
    };
}

/// Shaped like SCP's `credentials.json`.
struct JsonSpec;
impl DescribeProfileFile for JsonSpec {
    const PROFILE_FILE: ProfileFileSpec = ProfileFileSpec {
        source: "credentials file",
        path_var: None,
        home_path: ".testconf/credentials.json",
        system_path: None,
        format: FileFormat::Json,
        access_id: "access-key",
        secret: "secret-key",
        session_token: None,
    };
}

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "imgshare-core-files-{}-{name}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` with an explicit mode, whatever the umask.
fn write(path: &Path, text: impl AsRef<[u8]>, mode: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = mode;
}

fn home(dir: &Path) -> Env {
    Env::from_vars([("HOME", dir.to_str().unwrap())])
}

fn assert_no_secret(err: &CredentialsError) {
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("never-print-me"), "{shown}");
}

#[tokio::test]
async fn ini_reads_the_section_from_the_home_directory() {
    let dir = temp_dir("ini");
    write(
        &dir.join(".testcloud/credentials"),
        format!(
            "[other]\nsecret_id = wrong\nsecret_key = wrong\n\n[default]\n# c\n\
             secret_id = AKIDhome\nsecret_key = {SECRET}\ntoken = tok\n"
        ),
        0o600,
    );
    let c = ProfileFileProvider::<IniSpec>::new()
        .with_env(home(&dir))
        .provide_credentials()
        .await
        .unwrap();
    // Catches reading the first section instead of [default], or cutting the secret at `=`.
    assert_eq!(c.access_id(), "AKIDhome");
    assert_eq!(c.secret().expose_secret(), SECRET);
    assert_eq!(c.session_token().unwrap().expose_secret(), "tok");
    assert_eq!(c.source(), "profile file");

    write(
        &dir.join(".testcloud/credentials"),
        format!("[default]\nsecret_key = {SECRET}\n"),
        0o600,
    );
    let err = ProfileFileProvider::<IniSpec>::new()
        .with_env(home(&dir))
        .provide_credentials()
        .await
        .unwrap_err();
    // Catches a file without the access id falling through to another source.
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    assert!(
        err.to_string()
            .contains("the [default] section needs both secret_id and secret_key"),
        "{err}"
    );
    assert!(err.to_string().contains(".testcloud"), "{err}");
    assert_no_secret(&err);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_path_variable_wins_and_a_missing_named_file_is_an_error() {
    let dir = temp_dir("var");
    write(
        &dir.join(".testcloud/credentials"),
        "[default]\nsecret_id = AKIDhome\nsecret_key = k\n",
        0o600,
    );
    let named = dir.join("named");
    write(
        &named,
        "[default]\nsecret_id = AKIDnamed\nsecret_key = k\n",
        0o600,
    );
    let env = |file: &Path| {
        Env::from_vars([
            ("HOME", dir.to_str().unwrap()),
            ("TEST_CREDENTIALS_FILE", file.to_str().unwrap()),
        ])
    };
    let c = ProfileFileProvider::<IniSpec>::new()
        .with_env(env(&named))
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AKIDnamed");
    // Catches falling back to the home file (another identity) when the named one is absent.
    let err = ProfileFileProvider::<IniSpec>::new()
        .with_env(env(&dir.join("absent")))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    assert!(
        err.to_string()
            .contains("TEST_CREDENTIALS_FILE names this file"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn no_file_is_not_found_and_lists_where_it_looked() {
    let dir = temp_dir("none");
    let err = ProfileFileProvider::<IniSpec>::new()
        .with_env(home(&dir))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound);
    let text = err.to_string();
    assert!(
        text.contains(".testcloud") && text.contains("/nonexistent/imgshare-test"),
        "{text}"
    );
    // No home directory and no system file: nowhere to look.
    let err = ProfileFileProvider::<JsonSpec>::new()
        .with_env(Env::from_vars::<&str, &str>([]))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound);
    assert!(err.to_string().contains("no home directory"), "{err}");
    // An explicit path that does not exist is "not found" too.
    let err = ProfileFileProvider::<JsonSpec>::with_path(dir.join("absent.json"))
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::NotFound);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn json_files_and_their_errors() {
    let dir = temp_dir("json");
    let path = dir.join("credentials.json");
    let provider = ProfileFileProvider::<JsonSpec>::with_path(&path);
    let read = || provider.provide_credentials();
    write(
        &path,
        format!(r#"{{"access-key": "AK", "secret-key": "{SECRET}", "auth-token": ""}}"#),
        0o600,
    );
    let c = read().await.unwrap();
    assert_eq!((c.access_id(), c.secret().expose_secret()), ("AK", SECRET));
    assert!(!format!("{c:?}").contains("never-print-me"));

    // Catches an error that quotes the text (serde's "invalid type: string …" would).
    for (text, reason) in [
        (
            format!(r#"{{"access-key": "AK", "secret-key": "{SECRET}""#),
            "not JSON",
        ),
        (format!(r#"["{SECRET}"]"#), "not a JSON object"),
        (
            format!(r#"{{"access-key": ["{SECRET}"], "secret-key": "x"}}"#),
            "access-key is not a string",
        ),
        (
            format!(r#"{{"access-key": "", "secret-key": "{SECRET}"}}"#),
            "needs both access-key and secret-key",
        ),
    ] {
        write(&path, text, 0o600);
        let err = read().await.unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Invalid, "{err}");
        assert!(err.to_string().contains(reason), "{err}");
        assert!(err.to_string().contains("credentials.json"), "{err}");
        assert_no_secret(&err);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_naming_it() {
    let dir = temp_dir("big");
    let path = dir.join("credentials.json");
    let mut text = format!(r#"{{"access-key": "AK", "secret-key": "{SECRET}", "pad": ""#);
    text.push_str(&"x".repeat(70 * 1024));
    text.push_str("\"}");
    write(&path, text, 0o600);
    // Catches reading a file of any size into memory.
    let err = ProfileFileProvider::<JsonSpec>::with_path(&path)
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable);
    assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
    assert!(err.to_string().contains(path.to_str().unwrap()), "{err}");
    assert_no_secret(&err);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn an_endless_file_stops_at_the_limit() {
    // Catches `read_to_string` on a device: /dev/zero would fill memory.
    let err = imgshare_core::credentials::read_file_off_thread("/dev/zero".into())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");
    // Through a credentials source it is refused before reading: the device is world-writable.
    let err = ProfileFileProvider::<JsonSpec>::with_path("/dev/zero")
        .provide_credentials()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable);
    assert!(err.to_string().contains("/dev/zero"), "{err}");
}

#[cfg(unix)]
#[tokio::test]
async fn files_others_can_write_are_refused() {
    let dir = temp_dir("perm");
    let path = dir.join("credentials.json");
    let body = format!(r#"{{"access-key": "AK", "secret-key": "{SECRET}"}}"#);
    // Catches a permission check that looks at the owner's bits, or not at all.
    for mode in [0o620, 0o602, 0o666] {
        write(&path, &body, mode);
        let err = ProfileFileProvider::<JsonSpec>::with_path(&path)
            .provide_credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable, "{mode:o}");
        let text = err.to_string();
        assert!(text.contains("writable by group or others"), "{text}");
        assert!(
            text.contains("chmod go-w") && text.contains("credentials.json"),
            "{text}"
        );
        assert_no_secret(&err);
        assert!(read_config_file(&path).await.is_err(), "{mode:o}");
    }
    // Group-readable is fine, and so is a read-only file.
    for mode in [0o640, 0o400] {
        write(&path, &body, mode);
        assert!(
            read_credentials_file(&path).await.unwrap().is_some(),
            "{mode:o}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(unix)]
#[tokio::test]
async fn files_others_can_read_are_read_with_a_warning() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let logged = || String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();

    let dir = temp_dir("warn");
    let path = dir.join("credentials.json");
    let body = format!(r#"{{"access-key": "AK", "secret-key": "{SECRET}"}}"#);
    write(&path, &body, 0o600);
    read_credentials_file(&path).await.unwrap().unwrap();
    assert_eq!(logged(), "");
    // A configuration file holds no secret: no warning.
    write(&path, &body, 0o644);
    read_config_file(&path).await.unwrap().unwrap();
    assert_eq!(logged(), "");
    // Catches a silent read of a world-readable secret, or a warning lost on the blocking pool.
    let c = ProfileFileProvider::<JsonSpec>::with_path(&path)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(c.access_id(), "AK");
    let text = logged();
    assert!(
        text.contains("WARN") && text.contains("readable by other users"),
        "{text}"
    );
    assert!(text.contains("credentials.json"), "{text}");
    assert!(!text.contains("never-print-me"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn text_that_is_not_utf8_is_an_error() {
    let dir = temp_dir("utf8");
    let path = dir.join("credentials.json");
    write(&path, [0xff, 0xfe, b'{', b'}'], 0o600);
    let err = read_credentials_file(&path).await.unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn json_documents_name_the_source_and_path_and_never_echo_the_text() {
    // Catches a syntax error quoting the file (it holds keys), a missing file taken as an error,
    // and a credentials file read without the permission check.
    let dir = temp_dir("json-doc");
    let missing = read_json_file("tccli profile", dir.join("absent.json"), true).await;
    assert_eq!(missing.unwrap(), None);
    let path = dir.join("keys.json");
    write(&path, format!(r#"{{"secretKey": "{SECRET}""#), 0o600);
    let err = read_json_file("tccli profile", &path, true)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    assert!(err.to_string().contains("keys.json is not JSON"), "{err}");
    assert_no_secret(&err);
    write(&path, format!(r#"{{"secretKey": "{SECRET}"}}"#), 0o600);
    let doc = read_json_file("tccli profile", &path, true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(doc["secretKey"], SECRET);
    #[cfg(unix)]
    {
        write(&path, "{}", 0o662);
        let err = read_json_file("tccli profile", &path, true)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), &CredentialsErrorKind::Unreadable, "{err}");
        assert!(
            err.to_string().contains("writable by group or others"),
            "{err}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn token_files_are_trimmed_and_blank_ones_refused() {
    // Catches a token sent with the newline Kubernetes writes, or an empty token sent at all.
    let dir = temp_dir("token");
    let path = dir.join("token");
    write(&path, "eyJ.token\n", 0o644);
    let token = read_token_file("oidc", &path).await.unwrap();
    assert_eq!(token.expose_secret(), "eyJ.token");
    write(&path, " \n", 0o644);
    let err = read_token_file("oidc", &path).await.unwrap_err();
    assert_eq!(err.kind(), &CredentialsErrorKind::Invalid);
    assert!(err.to_string().contains("missing or empty"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
