//! Reading credentials and configuration files: on tokio's blocking pool (a slow disk or a
//! network home directory never stalls the async runtime), never more than [`MAX_FILE_BYTES`]
//! (a path pointing at `/dev/zero` or a log file costs 64 KiB, not all memory), and, for files
//! that decide which keys are used, refusing ones that other users can change.
//!
//! Errors are [`std::io::Error`]s whose message starts with "the file …" and never quotes the
//! contents; the caller names the path. [`read_json_file`] and [`read_token_file`], for
//! sources, answer [`CredentialsError`]s naming the source and the path.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::CredentialsError;
use crate::secret::SecretString;

/// The largest file read: 64 KiB. Real credentials and configuration files are under 1 KiB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024;

/// What to check about a file's permissions before reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// Nothing (files whose permissions the user does not choose, such as projected tokens).
    None,
    /// Refuse a file group or others can write: it decides which keys or endpoint are used.
    Writable,
    /// As `Writable`, and warn when others can read it: it holds a secret.
    Secret,
}

/// Reads a credentials file (it holds a secret). `Ok(None)` when it does not exist.
///
/// On Unix a file that group or others can write is refused, since another user could swap in
/// their keys; one that others can read is read, with a `tracing` warning (as OpenSSH warns).
///
/// # Errors
///
/// The file cannot be opened or read, is larger than [`MAX_FILE_BYTES`], is not UTF-8, or is
/// writable by group or others.
pub async fn read_credentials_file(path: impl AsRef<Path>) -> io::Result<Option<SecretString>> {
    let path = path.as_ref().to_owned();
    let Some((text, others_can_read)) = off_thread(path.clone(), Check::Secret).await? else {
        return Ok(None);
    };
    // Logged here rather than on the blocking thread, so it reaches the caller's subscriber.
    if others_can_read {
        tracing::warn!(
            path = %path.display(),
            "the credentials file is readable by other users: run `chmod o-r` on it"
        );
    }
    Ok(Some(SecretString::new(text)))
}

/// Reads a configuration file that decides where requests go (endpoint overrides), refusing,
/// on Unix, one that group or others can write. `Ok(None)` when it does not exist.
///
/// # Errors
///
/// As [`read_credentials_file`].
pub async fn read_config_file(path: impl AsRef<Path>) -> io::Result<Option<String>> {
    let found = off_thread(path.as_ref().to_owned(), Check::Writable).await?;
    Ok(found.map(|(text, _)| text))
}

/// Reads a file on tokio's blocking pool, up to [`MAX_FILE_BYTES`], with no permission check.
/// `Ok(None)` when the file does not exist.
///
/// # Errors
///
/// The file cannot be opened or read, is larger than [`MAX_FILE_BYTES`], or is not UTF-8.
pub async fn read_file_off_thread(path: PathBuf) -> io::Result<Option<String>> {
    let found = off_thread(path, Check::None).await?;
    Ok(found.map(|(text, _)| text))
}

/// Reads a JSON file through [`read_credentials_file`] when it `holds_secret`, else
/// [`read_config_file`]. `Ok(None)` when it does not exist.
///
/// # Errors
///
/// "Unreadable" when the file cannot be read (or is refused), "invalid" when it is not JSON;
/// both name `source` and the path, and never quote the contents (serde_json's syntax errors
/// say where, never what).
pub async fn read_json_file(
    source: &str,
    path: impl AsRef<Path>,
    holds_secret: bool,
) -> Result<Option<Value>, CredentialsError> {
    let path = path.as_ref();
    let text = if holds_secret {
        read_credentials_file(path)
            .await
            .map(|t| t.map(|t| t.expose_secret().to_owned()))
    } else {
        read_config_file(path).await
    };
    let text =
        text.map_err(|e| CredentialsError::unreadable(source, format!("{}: {e}", path.display())))?;
    text.map(|text| {
        serde_json::from_str(&text).map_err(|e| {
            CredentialsError::invalid(source, format!("{} is not JSON: {e}", path.display()))
        })
    })
    .transpose()
}

/// Reads a token file afresh (a Kubernetes projected service-account token is rotated while the
/// process runs), trimmed, with no permission check: the platform, not the user, writes it.
///
/// # Errors
///
/// "Invalid" when the file is missing or empty, "unreadable" when it cannot be read; both name
/// `source` and the path.
pub async fn read_token_file(
    source: &str,
    path: impl AsRef<Path>,
) -> Result<SecretString, CredentialsError> {
    let path = path.as_ref();
    match read_file_off_thread(path.to_owned()).await {
        Ok(Some(token)) if !token.trim().is_empty() => Ok(SecretString::new(token.trim())),
        Ok(_) => Err(CredentialsError::invalid(
            source,
            format!("the token file {} is missing or empty", path.display()),
        )),
        Err(e) => Err(CredentialsError::unreadable(
            source,
            format!("{}: {e}", path.display()),
        )),
    }
}

async fn off_thread(path: PathBuf, check: Check) -> io::Result<Option<(String, bool)>> {
    match tokio::task::spawn_blocking(move || read_bounded(&path, check)).await {
        Ok(result) => result,
        Err(join) => Err(io::Error::other(join.to_string())),
    }
}

/// The text, and whether others can read the file.
fn read_bounded(path: &Path, check: Check) -> io::Result<Option<(String, bool)>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // Checked on the open file, not the path, so a swap between check and read changes nothing.
    let others_can_read = check_permissions(&file, check)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "the file is larger than {MAX_FILE_BYTES} bytes, far more than any credentials or configuration file"
            ),
        ));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8 text"))?;
    Ok(Some((text, others_can_read)))
}

#[cfg(unix)]
fn check_permissions(file: &File, check: Check) -> io::Result<bool> {
    use std::os::unix::fs::PermissionsExt as _;
    if check == Check::None {
        return Ok(false);
    }
    let mode = file.metadata()?.permissions().mode() & 0o777;
    if mode & 0o022 != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "the file is writable by group or others (mode {mode:03o}), so another user could \
                 change which keys are used: run `chmod go-w` on it"
            ),
        ));
    }
    Ok(check == Check::Secret && mode & 0o004 != 0)
}

#[cfg(not(unix))]
fn check_permissions(_file: &File, _check: Check) -> io::Result<bool> {
    Ok(false)
}
