//! The one place credential sources read environment variables and find the home directory, so
//! tests hand a source a fixed [`Env`] instead of changing the process environment (which every
//! test thread shares).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where credential sources read variables: the process environment, or a fixed set (tests).
///
/// The home directory is `HOME`, else `USERPROFILE` (Windows), read through the same lookup, so
/// a fixed set with a `HOME` points every file source at a test directory. `Debug` shows the
/// variable names of a fixed set, never their values.
///
/// ```
/// use imgshare_core::credentials::Env;
/// let env = Env::from_vars([("HOME", "/tmp/alice"), ("NCLOUD_ACCESS_KEY", "AK")]);
/// assert_eq!(env.var("NCLOUD_ACCESS_KEY").as_deref(), Some("AK"));
/// assert_eq!(env.home_dir(), Some("/tmp/alice".into()));
/// assert_eq!(env.var("PATH"), None);
/// ```
#[derive(Clone, Default)]
pub struct Env {
    fixed: Option<Arc<BTreeMap<String, String>>>,
}

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self::default()
    }

    /// Exactly these variables, none other.
    pub fn from_vars<K, V>(vars: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let vars = vars.into_iter().map(|(k, v)| (k.into(), v.into()));
        Self {
            fixed: Some(Arc::new(vars.collect())),
        }
    }

    /// A variable's value; `None` when unset or, in the process environment, not Unicode. An
    /// empty value is returned as set: each source decides what empty means.
    pub fn var(&self, name: &str) -> Option<String> {
        match &self.fixed {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }

    /// A variable's value as the OS gives it (paths need not be Unicode).
    pub fn var_os(&self, name: &str) -> Option<OsString> {
        match &self.fixed {
            Some(vars) => vars.get(name).map(OsString::from),
            None => std::env::var_os(name),
        }
    }

    /// The values of all of `names`, in order, when every one is set and not empty (a source
    /// described by several variables is there only when all are).
    pub fn all(&self, names: &[&str]) -> Option<Vec<String>> {
        names
            .iter()
            .map(|name| self.var(name).filter(|v| !v.is_empty()))
            .collect()
    }

    /// The user's home directory: the first non-empty of `HOME` and `USERPROFILE`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        ["HOME", "USERPROFILE"]
            .into_iter()
            .find_map(|name| self.var_os(name).filter(|v| !v.is_empty()))
            .map(PathBuf::from)
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Env(process)"),
            Some(vars) => f.debug_tuple("Env").field(&vars.keys()).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_falls_back_to_userprofile_and_skips_empty() {
        // Catches a lookup that stops at an empty HOME instead of trying USERPROFILE.
        let env = Env::from_vars([("HOME", ""), ("USERPROFILE", "C:\\Users\\a")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("C:\\Users\\a")));
        assert_eq!(Env::from_vars([("HOME", "")]).home_dir(), None);
    }

    #[test]
    fn all_needs_every_variable_set_and_not_empty() {
        // Catches a source that starts with some of its variables and fails later, or one that
        // takes an empty variable as set.
        let env = Env::from_vars([("A", "a"), ("B", "b"), ("E", "")]);
        assert_eq!(
            env.all(&["A", "B"]),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(env.all(&["A", "C"]), None);
        assert_eq!(env.all(&["A", "E"]), None);
    }

    #[test]
    fn debug_shows_names_not_values() {
        // Catches a derived Debug, which would print a secret held in a variable.
        let env = Env::from_vars([("SCP_SECRET_KEY", "hunter2-secret")]);
        let shown = format!("{env:?}");
        assert!(shown.contains("SCP_SECRET_KEY"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
