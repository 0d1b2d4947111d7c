//! A provider's own settings (region, language, account id, …) kept as text until its `build`
//! checks them, and filled from where official tools keep them: a builder call beats an
//! environment variable, which beats a key of a JSON configuration file. A provider describes
//! where each setting comes from once, as a table of [`Source`]s; filling only ever sets what is
//! still unset, so builder calls made before or after still win.
//!
//! ```
//! use imgshare_core::ClientConfigBuilder;
//! use imgshare_core::settings::{ENDPOINT, Settings, Source};
//!
//! const SOURCES: &[Source] = &[
//!     Source::new("region", &["EXAMPLE_REGION", "EXAMPLE_TF_REGION"]).file_key("default-region"),
//!     Source::new(ENDPOINT, &["EXAMPLE_ENDPOINT"]).file_key("endpoint"),
//! ];
//! let mut settings = Settings::default();
//! let mut shared = ClientConfigBuilder::default();
//! settings.fill_from_vars(SOURCES, &mut shared, |n| (n == "EXAMPLE_TF_REGION").then(|| "r2".into()));
//! settings.fill_from_json(SOURCES, &mut shared, r#"{"default-region": "r3", "endpoint": "http://127.0.0.1:9"}"#)?;
//! assert_eq!(settings.get("region"), Some("r2"));
//! assert!(shared.has_endpoint_url());
//! # Ok::<(), String>(())
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::config::ClientConfigBuilder;
use crate::credentials::{Env, read_config_file};
use crate::error::InvalidInput;

/// The setting name of the endpoint override. It is not kept with the other settings but given
/// to the shared [`ClientConfigBuilder`] (unless an endpoint is set there already), trimmed and
/// named by the variable or file key it came from, so errors say where a bad URL was found.
pub const ENDPOINT: &str = "endpoint_url";

/// Where one setting is read from besides its builder call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// The setting, as the builder and its errors name it (`region`), or [`ENDPOINT`].
    pub setting: &'static str,
    /// Environment variables holding it; the first that is set and not blank wins.
    pub vars: &'static [&'static str],
    /// Its key in the JSON configuration file, if the file has one.
    pub file_key: Option<&'static str>,
}

impl Source {
    /// Where `setting` comes from: these variables (and no file key, until
    /// [`Source::file_key`]).
    pub const fn new(setting: &'static str, vars: &'static [&'static str]) -> Self {
        Self {
            setting,
            vars,
            file_key: None,
        }
    }

    /// Also reads the setting from this key of the configuration file.
    pub const fn file_key(mut self, key: &'static str) -> Self {
        self.file_key = Some(key);
        self
    }
}

/// Settings by name, as text. `Debug` shows the values: keep secrets out (they belong to the
/// credentials providers).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    values: BTreeMap<&'static str, String>,
}

impl Settings {
    /// Sets `setting`, replacing any value (a builder call).
    pub fn set(&mut self, setting: &'static str, value: impl Into<String>) {
        self.values.insert(setting, value.into());
    }

    /// The value of `setting`, if set.
    pub fn get(&self, setting: &str) -> Option<&str> {
        self.values.get(setting).map(String::as_str)
    }

    /// The value of `setting` read by `parse`, if set.
    ///
    /// # Errors
    ///
    /// What `parse` says.
    pub fn parse<T, E>(
        &self,
        setting: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, E> {
        self.get(setting).map(parse).transpose()
    }

    /// Fills each unset setting from the first of its variables read through `lookup` that is
    /// set and not blank.
    pub fn fill_from_vars(
        &mut self,
        sources: &[Source],
        shared: &mut ClientConfigBuilder,
        lookup: impl Fn(&str) -> Option<String>,
    ) {
        for source in sources {
            let found = source
                .vars
                .iter()
                .find_map(|&var| Some((var, lookup(var).filter(|v| !v.trim().is_empty())?)));
            if let Some((var, value)) = found {
                self.fill(source.setting, shared, value, var);
            }
        }
    }

    /// Fills each unset setting from its key in `text`, a JSON object (keys that no source
    /// names are ignored, as are `null` and blank values).
    ///
    /// # Errors
    ///
    /// Why `text` is not a JSON object, or which key of a source holds something other than a
    /// string.
    pub fn fill_from_json(
        &mut self,
        sources: &[Source],
        shared: &mut ClientConfigBuilder,
        text: &str,
    ) -> Result<(), String> {
        let object = match serde_json::from_str::<Value>(text).map_err(|e| e.to_string())? {
            Value::Object(object) => object,
            _ => return Err("is not a JSON object".to_owned()),
        };
        for source in sources {
            let Some(key) = source.file_key else {
                continue;
            };
            match object.get(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(value)) if value.trim().is_empty() => {}
                Some(Value::String(value)) => self.fill(source.setting, shared, value.clone(), key),
                Some(_) => return Err(format!("`{key}` must be a string")),
            }
        }
        Ok(())
    }

    /// Fills each unset setting from the JSON configuration file at `home_path` (`/`-separated)
    /// under the home directory `env` names, read off the async runtime's threads. A missing
    /// file (or home directory) fills nothing.
    ///
    /// The file is refused when, on Unix, group or others can write it: an endpoint override in
    /// it decides where signed requests go.
    ///
    /// # Errors
    ///
    /// [`InvalidInput`] on `config_file`, naming the path: the file cannot be read, is larger
    /// than 64 KiB, is writable by others, or is not a JSON object of strings.
    pub async fn fill_from_home_file(
        &mut self,
        sources: &[Source],
        shared: &mut ClientConfigBuilder,
        env: &Env,
        home_path: &str,
    ) -> Result<(), InvalidInput> {
        let Some(home) = env.home_dir() else {
            return Ok(());
        };
        let path: PathBuf = home_path.split('/').fold(home, |p, part| p.join(part));
        let shown = path.display().to_string();
        let text = read_config_file(&path)
            .await
            .map_err(|e| InvalidInput::new("config_file", format!("cannot read {shown}: {e}")))?;
        match text {
            Some(text) => self
                .fill_from_json(sources, shared, &text)
                .map_err(|reason| InvalidInput::new("config_file", format!("{shown}: {reason}"))),
            None => Ok(()),
        }
    }

    fn fill(
        &mut self,
        setting: &'static str,
        shared: &mut ClientConfigBuilder,
        value: String,
        from: &'static str,
    ) {
        if setting == ENDPOINT {
            if !shared.has_endpoint_url() {
                *shared = std::mem::take(shared).endpoint_url_from(value.trim(), from);
            }
        } else {
            self.values.entry(setting).or_insert(value);
        }
    }
}

/// Lists `items` for a message: `s, g or e`.
pub fn one_of(items: &[&str]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Declares a setting's closed set of values (an environment, a site): a `Copy` enum with
/// `as_str()`, `ALL`, `Display`, and `parse`, which accepts the names in any case and refuses
/// anything else with an [`InvalidInput`] naming the setting.
///
/// ```
/// imgshare_core::setting_enum! {
///     /// A deployment.
///     pub enum Stage: "stage" {
///         /// Testing.
///         Test => "test",
///         /// Production.
///         Prod => "prod",
///     }
/// }
/// assert_eq!(Stage::parse(" PROD ")?, Stage::Prod);
/// let e = Stage::parse("qa").unwrap_err();
/// assert_eq!((e.field(), e.message()), ("stage", "must be test or prod, got \"qa\""));
/// # Ok::<(), imgshare_core::InvalidInput>(())
/// ```
#[macro_export]
macro_rules! setting_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $setting:literal {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name, as configured.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            #[doc = concat!("Parses one of ", $(concat!("`", $text, "` "),)+ "(any case; surrounding blanks are ignored).")]
            ///
            /// # Errors
            ///
            #[doc = concat!("[`InvalidInput`](imgshare_core::InvalidInput) on `", $setting, "` for anything else.")]
            pub fn parse(text: &str) -> ::std::result::Result<Self, $crate::InvalidInput> {
                let wanted = text.trim().to_ascii_lowercase();
                Self::ALL.iter().copied().find(|v| v.as_str() == wanted).ok_or_else(|| {
                    let names: ::std::vec::Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    $crate::InvalidInput::new(
                        $setting,
                        ::std::format!("must be {}, got {text:?}", $crate::settings::one_of(&names)),
                    )
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const SOURCES: &[Source] = &[
        Source::new("region", &["REGION", "TF_REGION"]).file_key("default-region"),
        Source::new("language", &["LANGUAGE"]),
        Source::new(ENDPOINT, &["ENDPOINT", "TF_ENDPOINT"]).file_key("endpoint-override"),
    ];

    fn vars(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |n| {
            pairs
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn a_set_value_beats_variables_which_beat_the_file() {
        // Catches a fill that overwrites: a builder call must survive from_env and load.
        let mut s = Settings::default();
        let mut shared = ClientConfigBuilder::default();
        s.set("language", "ko-KR");
        s.fill_from_vars(
            SOURCES,
            &mut shared,
            vars(&[("LANGUAGE", "en-US"), ("TF_REGION", "r2")]),
        );
        s.fill_from_json(SOURCES, &mut shared, r#"{"default-region":"r3","x":5}"#)
            .unwrap();
        assert_eq!(s.get("language"), Some("ko-KR"));
        assert_eq!(s.get("region"), Some("r2"));
    }

    #[test]
    fn blank_variables_and_keys_count_as_unset() {
        // Catches an empty SCP_REGION hiding SCP_TF_DEFAULT_REGION (or the file's value).
        let mut s = Settings::default();
        let mut shared = ClientConfigBuilder::default();
        s.fill_from_vars(
            SOURCES,
            &mut shared,
            vars(&[("REGION", " "), ("TF_REGION", "")]),
        );
        assert_eq!(s.get("region"), None);
        s.fill_from_json(SOURCES, &mut shared, r#"{"default-region":"  "}"#)
            .unwrap();
        assert_eq!(s.get("region"), None);
        s.fill_from_json(SOURCES, &mut shared, r#"{"default-region":"r3"}"#)
            .unwrap();
        assert_eq!(s.get("region"), Some("r3"));
    }

    #[test]
    fn the_endpoint_goes_to_the_shared_builder_named_by_its_source() {
        // Catches an override that loses where it came from, or beats IMGSHARE_ENDPOINT.
        let mut s = Settings::default();
        let mut shared = ClientConfigBuilder::default();
        s.fill_from_vars(
            SOURCES,
            &mut shared,
            vars(&[("TF_ENDPOINT", " http://127.0.0.1:9 ")]),
        );
        s.fill_from_json(
            SOURCES,
            &mut shared,
            r#"{"endpoint-override":"http://x:1"}"#,
        )
        .unwrap();
        let c = shared.build().unwrap();
        assert_eq!(c.endpoint_url(), Some("http://127.0.0.1:9"));
        assert_eq!(c.endpoint_source(), Some("TF_ENDPOINT"));
        assert_eq!(s.get(ENDPOINT), None);
        let mut shared = ClientConfigBuilder::default();
        s.fill_from_json(
            SOURCES,
            &mut shared,
            r#"{"endpoint-override":"http://x:1"}"#,
        )
        .unwrap();
        let c = shared.build().unwrap();
        assert_eq!(c.endpoint_source(), Some("endpoint-override"));
    }

    #[test]
    fn a_file_that_is_not_an_object_of_strings_is_refused() {
        let mut s = Settings::default();
        let mut shared = ClientConfigBuilder::default();
        for bad in ["[]", "{", r#"{"default-region": 5}"#] {
            assert!(
                s.fill_from_json(SOURCES, &mut shared, bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(one_of(&["s", "g", "e"]), "s, g or e");
        assert_eq!(one_of(&["a", "b"]), "a or b");
        assert_eq!(one_of(&["a"]), "a");
    }
}
