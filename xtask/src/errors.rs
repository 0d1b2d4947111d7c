//! Error tables: the `[errors]` section at the end of an `api.toml` becomes a module of code
//! constants, the `TABLE` (an `imgshare_core::provider_error::ErrorTable`) and one predicate
//! method per declared predicate on the provider's error type.
//!
//! ```toml
//! [errors]
//! output = "src/error/codes.rs"   # the generated module, relative to the api.toml
//! type = "crate::TencentError"    # the `provider_error!` type the predicates go on
//! doc = "Error codes Tencent documents."
//! match_origin = false            # true: a row matches only codes from its own origin
//!
//! [errors.predicates]             # each predicate method and its doc
//! is_over_quota = "More than 500 accounts for one image."
//!
//! [[errors.code]]
//! name = "OVER_QUOTA"             # the constant (rows with a `prefix` have none)
//! code = "OverQuota"              # or `prefix = "RequestLimitExceeded."`
//! origin = "api"                  # "api" or "gateway"
//! kind = "client"                 # optional: throttling, server, client, clock_skew, transient
//! predicates = ["is_over_quota"]  # optional
//! hint = "unshare some first"     # optional
//! doc = "The image share quota is exceeded."
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Deserialize;

use crate::api::Api;
use crate::generate::{doc, header};
use crate::paginators::wrap;

/// A provider's error codes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Errors {
    /// The generated module, relative to the api.toml.
    pub(crate) output: String,
    /// The error type the predicate methods are added to.
    #[serde(rename = "type")]
    pub(crate) ty: String,
    /// The module's doc comment.
    pub(crate) doc: String,
    /// Whether a row matches only codes from its own origin.
    #[serde(default)]
    pub(crate) match_origin: bool,
    /// Predicate method name → its doc.
    #[serde(default)]
    pub(crate) predicates: BTreeMap<String, String>,
    #[serde(rename = "code", default)]
    pub(crate) codes: Vec<Code>,
}

/// One code, or one prefix of codes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Code {
    /// The constant's name, `SCREAMING_SNAKE_CASE`; only with `code`.
    pub(crate) name: Option<String>,
    pub(crate) code: Option<String>,
    pub(crate) prefix: Option<String>,
    /// `api` or `gateway`.
    pub(crate) origin: String,
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) predicates: Vec<String>,
    pub(crate) hint: Option<String>,
    pub(crate) doc: String,
}

const KINDS: &[(&str, &str)] = &[
    ("throttling", "Throttling"),
    ("server", "Server"),
    ("client", "Client"),
    ("clock_skew", "ClockSkew"),
    ("transient", "Transient"),
];

const ORIGINS: &[(&str, &str)] = &[("api", "Api"), ("gateway", "Gateway")];

fn lookup(table: &[(&str, &'static str)], what: &str, value: &str) -> Result<&'static str, String> {
    table
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, variant)| *variant)
        .ok_or_else(|| {
            let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            format!("unknown {what} `{value}` ({})", names.join(", "))
        })
}

impl Code {
    fn text(&self) -> &str {
        self.code
            .as_deref()
            .or(self.prefix.as_deref())
            .unwrap_or_default()
    }
}

pub(crate) fn check(errors: &Errors) -> Result<(), String> {
    for (name, text) in &errors.predicates {
        let snake = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name.starts_with("is_") || !snake {
            return Err(format!("predicate `{name}` must be `is_` + snake_case"));
        }
        if text.trim().is_empty() {
            return Err(format!("predicate `{name}` needs a doc"));
        }
    }
    let mut names = BTreeSet::new();
    let mut keys = BTreeSet::new();
    let mut used = BTreeSet::new();
    for code in &errors.codes {
        check_code(code).map_err(|e| format!("code `{}`: {e}", code.text()))?;
        if let Some(name) = &code.name
            && !names.insert(name.as_str())
        {
            return Err(format!("constant {name} is declared twice"));
        }
        let origin = if errors.match_origin {
            code.origin.as_str()
        } else {
            ""
        };
        if !keys.insert((code.prefix.is_some(), origin, code.text())) {
            return Err(format!("code `{}` is declared twice", code.text()));
        }
        for predicate in &code.predicates {
            if !errors.predicates.contains_key(predicate) {
                return Err(format!(
                    "code `{}`: predicate `{predicate}` is not declared in [errors.predicates]",
                    code.text()
                ));
            }
            used.insert(predicate.as_str());
        }
    }
    if let Some(unused) = errors
        .predicates
        .keys()
        .find(|p| !used.contains(p.as_str()))
    {
        return Err(format!("predicate `{unused}` is answered by no code"));
    }
    Ok(())
}

fn check_code(code: &Code) -> Result<(), String> {
    match (&code.code, &code.prefix, &code.name) {
        (Some(_), None, Some(name)) => {
            let screaming = name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if name.is_empty() || !screaming {
                return Err(format!("name `{name}` must be SCREAMING_SNAKE_CASE"));
            }
        }
        (Some(_), None, None) => return Err("a code needs a `name` for its constant".into()),
        (None, Some(_), None) => {
            if code.kind.is_none() && code.hint.is_none() && code.predicates.is_empty() {
                return Err("a prefix needs a kind, a hint or predicates".into());
            }
        }
        (None, Some(_), Some(_)) => return Err("a prefix has no constant: drop `name`".into()),
        _ => return Err("give exactly one of `code` and `prefix`".into()),
    }
    if code.text().is_empty() {
        return Err("the code is empty".into());
    }
    lookup(ORIGINS, "origin", &code.origin)?;
    if let Some(kind) = &code.kind {
        lookup(KINDS, "kind", kind)?;
    }
    if code.hint.as_deref().is_some_and(|h| h.trim().is_empty()) {
        return Err("the hint is empty".into());
    }
    if code.doc.trim().is_empty() {
        return Err("every code needs a doc".into());
    }
    Ok(())
}

/// The error-table module, when the api.toml has an `[errors]` section.
pub(crate) fn file(api: &Api, source: &str) -> Result<Option<(String, String)>, String> {
    let Some(errors) = &api.errors else {
        return Ok(None);
    };
    let mut out = String::new();
    header(&mut out, source);
    for line in errors.doc.trim_end().lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            let _ = writeln!(out, "//! {line}");
        }
    }
    out.push_str("\nuse imgshare_core::provider_error::{ErrorCode, ErrorTable};\n");
    if errors.codes.iter().any(|c| c.kind.is_some()) {
        out.push_str("use imgshare_core::{ErrorKind, ErrorOrigin};\n");
    } else {
        out.push_str("use imgshare_core::ErrorOrigin;\n");
    }

    // The constants.
    for code in &errors.codes {
        if let (Some(name), Some(value)) = (&code.name, &code.code) {
            out.push('\n');
            doc(&mut out, &code.doc);
            let _ = writeln!(out, "pub const {name}: &str = {value:?};");
        }
    }

    // The table.
    out.push('\n');
    doc(
        &mut out,
        &wrap(
            &format!(
                "Every code above{}, with who answers with it, how it bears on retrying, the hint \
             shown with it and the predicates it answers. A code gets its exact row's meaning and \
             that of every prefix row it starts with (see [`ErrorTable`]){}.",
                if errors.codes.iter().any(|c| c.prefix.is_some()) {
                    " and the code prefixes"
                } else {
                    ""
                },
                if errors.match_origin {
                    "; a row matches only codes from its own origin, since the gateway and the API \
                 use the same codes for different things"
                } else {
                    "; the origin documents who answers, and a code matches whoever answered"
                }
            ),
            0,
        ),
    );
    // Laid out as rustfmt would: it leaves the table alone, since the hints are too long for
    // one line.
    out.push_str("pub static TABLE: ErrorTable = ErrorTable::new(&[\n");
    for code in &errors.codes {
        let origin = lookup(ORIGINS, "origin", &code.origin)?;
        let mut row = match (&code.name, &code.prefix) {
            (Some(name), _) => format!("    ErrorCode::exact({name}, ErrorOrigin::{origin})"),
            (None, Some(prefix)) => {
                format!("    ErrorCode::prefix({prefix:?}, ErrorOrigin::{origin})")
            }
            (None, None) => return Err("a code without a name or prefix".into()),
        };
        if let Some(kind) = &code.kind {
            let _ = write!(
                row,
                "\n        .with_kind(ErrorKind::{})",
                lookup(KINDS, "kind", kind)?
            );
        }
        if let Some(hint) = &code.hint {
            let _ = write!(row, "\n        .with_hint({hint:?})");
        }
        if !code.predicates.is_empty() {
            let list: Vec<String> = code.predicates.iter().map(|p| format!("{p:?}")).collect();
            let _ = write!(row, "\n        .with_predicates(&[{}])", list.join(", "));
        }
        if code.prefix.is_some() {
            for line in wrap(&code.doc, 4).lines() {
                let _ = writeln!(out, "    // {line}");
            }
        }
        let _ = writeln!(out, "{row},");
    }
    out.push_str("])");
    if errors.match_origin {
        out.push_str(".matching_origin()");
    }
    out.push_str(";\n");

    // The predicates.
    if !errors.predicates.is_empty() {
        let _ = writeln!(out, "\nimpl {} {{", errors.ty);
        for (name, text) in &errors.predicates {
            let answers: Vec<String> = errors
                .codes
                .iter()
                .filter(|c| c.predicates.contains(name))
                .map(|c| {
                    let from = match (errors.match_origin, c.origin.as_str()) {
                        (false, _) => "",
                        (true, "gateway") => " from the gateway",
                        (true, _) => " from the API",
                    };
                    match &c.prefix {
                        Some(prefix) => format!("any code starting with `{prefix}`{from}"),
                        None => format!("`{}`{from}", c.text()),
                    }
                })
                .collect();
            out.push('\n');
            doc(
                &mut out,
                &wrap(
                    &format!("{}\n\nAnswers {}.", text.trim(), answers.join(", ")),
                    4,
                ),
            );
            let _ = writeln!(
                out,
                "pub fn {name}(&self) -> bool {{\n\
                 TABLE.error_answers(imgshare_core::ErrorMetadata::as_core(self), {name:?})\n}}"
            );
        }
        out.push_str("}\n");
    }
    Ok(Some((errors.output.clone(), out)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::api;

    fn api(errors: &str) -> Result<crate::api::Api, String> {
        api::parse(&format!(
            "output = \"src/operation.rs\"\nclient = \"crate::Client\"\n\n{errors}"
        ))
    }

    const ERRORS: &str = r#"
[errors]
output = "src/error/codes.rs"
type = "crate::XError"
doc = "Codes."

[errors.predicates]
is_auth_failure = "Refused credentials."

[[errors.code]]
name = "AUTH"
code = "200"
origin = "gateway"
kind = "client"
predicates = ["is_auth_failure"]
hint = "check the key"
doc = "Authentication failed."

[[errors.code]]
prefix = "Auth."
origin = "api"
predicates = ["is_auth_failure"]
doc = "Every Auth code."
"#;

    #[test]
    fn a_table_generates_constants_rows_and_predicates() {
        let api = api(ERRORS).unwrap();
        let (path, text) = super::file(&api, "api.toml").unwrap().unwrap();
        assert_eq!(path, "src/error/codes.rs");
        assert!(text.contains("pub const AUTH: &str = \"200\";"), "{text}");
        assert!(
            text.contains("ErrorCode::exact(AUTH, ErrorOrigin::Gateway)"),
            "{text}"
        );
        assert!(text.contains(".with_kind(ErrorKind::Client)"), "{text}");
        assert!(
            text.contains("ErrorCode::prefix(\"Auth.\", ErrorOrigin::Api)"),
            "{text}"
        );
        assert!(text.contains("impl crate::XError {"), "{text}");
        assert!(
            text.contains("pub fn is_auth_failure(&self) -> bool"),
            "{text}"
        );
        assert!(
            text.contains("Answers `200`, any code starting with `Auth.`."),
            "{text}"
        );
        assert!(!text.contains("matching_origin"), "{text}");
    }

    #[test]
    fn the_same_code_from_two_origins_needs_match_origin() {
        let twice = format!(
            "{ERRORS}\n[[errors.code]]\nname = \"API_200\"\ncode = \"200\"\norigin = \"api\"\ndoc = \"x\"\n"
        );
        assert!(api(&twice).unwrap_err().contains("declared twice"));
        let api = api(&twice.replace("doc = \"Codes.\"", "doc = \"Codes.\"\nmatch_origin = true"))
            .unwrap();
        let (_, text) = super::file(&api, "api.toml").unwrap().unwrap();
        assert!(text.contains("]).matching_origin();"), "{text}");
        assert!(text.contains("`200` from the gateway"), "{text}");
    }

    #[test]
    fn mistakes_are_refused() {
        let cases = [
            (
                ERRORS.replace(
                    "predicates = [\"is_auth_failure\"]\nhint",
                    "predicates = [\"is_other\"]\nhint",
                ),
                "not declared",
            ),
            (
                ERRORS.replace(
                    "is_auth_failure = \"Refused credentials.\"",
                    "is_auth_failure = \"Refused credentials.\"\nis_unused = \"Never.\"",
                ),
                "answered by no code",
            ),
            (ERRORS.replace("name = \"AUTH\"\n", ""), "needs a `name`"),
            (
                ERRORS.replace("name = \"AUTH\"", "name = \"auth\""),
                "SCREAMING_SNAKE_CASE",
            ),
            (
                ERRORS.replace("prefix = \"Auth.\"", "name = \"P\"\nprefix = \"Auth.\""),
                "drop `name`",
            ),
            (
                ERRORS.replace("origin = \"gateway\"", "origin = \"proxy\""),
                "unknown origin",
            ),
            (
                ERRORS.replace("kind = \"client\"", "kind = \"fatal\""),
                "unknown kind",
            ),
            (
                ERRORS.replace("is_auth_failure = ", "auth_failure = "),
                "`is_` + snake_case",
            ),
        ];
        for (toml, expected) in cases {
            let error = api(&toml).err().unwrap_or_default();
            assert!(error.contains(expected), "{expected}: got `{error}`");
        }
    }
}
