//! Seeds read from JSON text or files, checked the way the cloud's API would check the same
//! data, with every problem listed.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A seed could not be read, parsed or accepted.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read seed file {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not a valid seed.
    #[error("invalid seed JSON{}", at(path))]
    Json {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// The parse error, with line and column.
        source: serde_json::Error,
    },
    /// The JSON parsed, but the data is not what the API would accept.
    #[error("invalid seed{}: {}", at(path), problems.join("; "))]
    Invalid {
        /// The file, when read from one.
        path: Option<PathBuf>,
        /// Every problem found, e.g. `images[0].image_id "img-1": ...`.
        problems: Vec<String>,
    },
}

/// ` in FILE`, naming the file a seed came from.
fn at(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!(" in {}", path.display()),
        None => String::new(),
    }
}

/// `Ok` when `problems` finds none in `seed`; `path`, if any, labels the error.
pub(crate) fn check<S>(
    seed: &S,
    path: Option<&Path>,
    problems: fn(&S) -> Vec<String>,
) -> Result<(), SeedError> {
    let problems = problems(seed);
    if problems.is_empty() {
        return Ok(());
    }
    let path = path.map(Path::to_owned);
    Err(SeedError::Invalid { path, problems })
}

/// Parses and checks a seed; `path` only labels the errors.
pub(crate) fn parse<S: DeserializeOwned>(
    json: &str,
    path: Option<&Path>,
    problems: fn(&S) -> Vec<String>,
) -> Result<S, SeedError> {
    let labelled = |source| SeedError::Json {
        path: path.map(Path::to_owned),
        source,
    };
    let seed = serde_json::from_str(json).map_err(labelled)?;
    check(&seed, path, problems)?;
    Ok(seed)
}

/// Reads, parses and checks a seed file.
pub(crate) fn read<S: DeserializeOwned>(
    path: &Path,
    problems: fn(&S) -> Vec<String>,
) -> Result<S, SeedError> {
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Io {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, Some(path), problems)
}

/// Replaces the item with the same key, or appends: how every seed merges into a state.
pub(crate) fn upsert<T>(items: &mut Vec<T>, item: T, key: impl Fn(&T) -> &str) {
    match items.iter_mut().find(|i| key(i) == key(&item)) {
        Some(existing) => *existing = item,
        None => items.push(item),
    }
}

/// Builder methods `with_*` that set one field to anything convertible into its type; each
/// seed type lists its setters with their docs.
macro_rules! setters {
    ($($(#[$doc:meta])* $setter:ident => $field:ident: $ty:ty;)*) => {$(
        $(#[$doc])*
        pub fn $setter(mut self, value: impl Into<$ty>) -> Self {
            self.$field = value.into();
            self
        }
    )*};
}
pub(crate) use setters;

/// A fake's `add_*` methods, each adding (or replacing) one item of a list of its seed.
macro_rules! adders {
    ($seed:ident { $($(#[$doc:meta])* $method:ident => $list:ident: $item:ty;)* }) => {$(
        $(#[$doc])*
        pub fn $method(&self, item: $item) {
            self.add_seed($seed { $list: vec![item], ..$seed::default() });
        }
    )*};
}
pub(crate) use adders;

/// A struct and its `Default`, each field next to the value it takes by default (in a seed: when
/// a JSON seed or a constructor leaves it out), so a field is named once.
macro_rules! with_defaults {
    ($(#[$meta:meta])* pub struct $name:ident {
        $($(#[$field_meta:meta])* $vis:vis $field:ident: $ty:ty = $default:expr,)*
    }) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$field_meta])* $vis $field: $ty,)*
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $($field: $default,)* }
            }
        }
    };
}
pub(crate) use with_defaults;

/// What a key's `Debug` shows for a secret that is set (`None` for one that is not), so test
/// logs never carry keys, even fake ones.
pub(crate) const REDACTED: Option<&str> = Some("<redacted>");

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::error::Error;

    use super::*;

    #[test]
    fn errors_name_the_file_and_keep_their_source() {
        let problems = vec!["a".to_owned(), "b".to_owned()];
        let path = Some(PathBuf::from("s.json"));
        let invalid = SeedError::Invalid { path, problems };
        assert_eq!(invalid.to_string(), "invalid seed in s.json: a; b");
        let none = |_: &serde_json::Value| Vec::new();
        let io = read(Path::new("/nonexistent/s.json"), none).unwrap_err();
        assert_eq!(io.to_string(), "cannot read seed file /nonexistent/s.json");
        assert!(io.source().is_some());
        let json = parse("{", None, none).unwrap_err();
        assert_eq!(json.to_string(), "invalid seed JSON");
        assert!(json.source().is_some());
    }

    /// Every cloud's key shows its ids and hides its secrets, set or not.
    #[test]
    fn keys_debug_without_secrets() {
        let tencent = crate::TencentAccount::new("1", "AKID", "sk-1").with_session_token("tok");
        let expected = r#"TencentAccount { account_id: "1", secret_id: "AKID", secret_key: Some("<redacted>"), session_token: Some("<redacted>") }"#;
        assert_eq!(format!("{tencent:?}"), expected);
        let long_term = format!("{:?}", crate::TencentAccount::new("1", "AKID", "sk-1"));
        assert!(long_term.ends_with(r#"secret_key: Some("<redacted>"), session_token: None }"#));
        let ncloud = crate::NcloudAccount::new("a@x.test", "AK", "sk-2");
        let expected = r#"NcloudAccount { login_id: "a@x.test", access_key: "AK", expiration: None, secret_key: Some("<redacted>") }"#;
        assert_eq!(format!("{ncloud:?}"), expected);
        let scp = crate::ScpAccount::new("a1", "AK", "sk-3");
        let expected =
            r#"ScpAccount { account_id: "a1", access_key: "AK", secret_key: Some("<redacted>") }"#;
        assert_eq!(format!("{scp:?}"), expected);
    }
}
