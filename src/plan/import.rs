//! [`import`]: a plan written from the live shares of the images it is given or finds, so a
//! team adopts what is already shared instead of wiping it. The text is TOML that
//! [`Plan::parse`] reads back (it is checked so before it is returned) and holds no secret:
//! only where credentials come from.

use std::fmt::Write as _;

use futures_util::StreamExt;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::apply::Connected;
use super::{CredentialSource, Mode, Plan, PlanError, ProviderKind, ProviderSpec};

/// What [`import`] reads.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ImportOptions {
    /// `(provider entry, image id)` pairs to import. Empty: every image each provider lists as
    /// its own ([`ImageSharing::list_images`](crate::ImageSharing::list_images)), keeping
    /// those shared with at least one account.
    pub images: Vec<(String, String)>,
    /// The mode written for every image (default: each provider entry's own).
    pub mode: Option<Mode>,
    /// How many images are read at once (at least 1).
    pub concurrency: usize,
}

impl ImportOptions {
    /// Imports these `(provider entry, image id)` pairs.
    pub fn images(mut self, images: Vec<(String, String)>) -> Self {
        self.images = images;
        self
    }

    /// Writes `mode` for every image.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = Some(mode);
        self
    }
}

/// What [`import`] wrote.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Imported {
    /// The plan, as parsed back from `text`.
    pub plan: Plan,
    /// The plan's TOML text.
    pub text: String,
    /// Images left out, with why: `(provider entry, image, error)` (shares unreadable, or
    /// shared with an account outside the entry's `allowed_accounts`).
    pub failed: Vec<(String, String, String)>,
}

/// Writes a plan for `providers` (the entries of a plan, or built with
/// [`ProviderSpec::new`]) from the live shares of `options.images`, or of every image the
/// providers list. Reads only.
///
/// # Errors
///
/// [`PlanError::Provider`] for a provider entry missing from `connected` or an image naming an
/// unknown entry, or when an entry cannot list its images.
pub async fn import(
    providers: impl IntoIterator<Item = &ProviderSpec>,
    connected: &Connected,
    options: &ImportOptions,
) -> Result<Imported, PlanError> {
    let providers: Vec<&ProviderSpec> = providers.into_iter().collect();
    let missing = |provider: &str, message: String| PlanError::Provider {
        provider: provider.to_owned(),
        message,
    };
    let sharing = |name: &str| {
        connected
            .sharing(name)
            .ok_or_else(|| missing(name, "not connected".into()))
    };
    let found = options.images.is_empty();
    let mut wanted: Vec<(&ProviderSpec, String)> = Vec::new();
    if found {
        for spec in &providers {
            let listed = sharing(&spec.name)?
                .list_images()
                .await
                .map_err(|e| missing(&spec.name, format!("cannot list images: {e}")))?;
            wanted.extend(listed.into_iter().map(|i| (*spec, i.id)));
        }
    } else {
        for (name, image) in &options.images {
            let spec = providers.iter().find(|p| &p.name == name);
            let spec = spec.ok_or_else(|| missing(name, "no such provider entry".into()))?;
            wanted.push((spec, image.clone()));
        }
    }
    let mut jobs = Vec::new();
    for (spec, image) in wanted {
        jobs.push((spec, image, sharing(&spec.name)?));
    }
    let read: Vec<_> = futures_util::stream::iter(jobs)
        .map(|(spec, image, sharing)| async move {
            let shares = sharing.list_shares(&image).await;
            (spec, image, shares)
        })
        .buffered(options.concurrency.max(1))
        .collect()
        .await;
    let mut images = String::new();
    let mut failed = Vec::new();
    for (spec, image, shares) in read {
        let accounts: Vec<String> = match shares {
            Ok(shares) => shares.into_iter().map(|s| s.account).collect(),
            Err(e) => {
                failed.push((spec.name.clone(), image, e.to_string()));
                continue;
            }
        };
        if found && accounts.is_empty() {
            continue;
        }
        let outside: Vec<&String> = match &spec.allowed_accounts {
            Some(allowed) => accounts.iter().filter(|a| !allowed.contains(*a)).collect(),
            None => Vec::new(),
        };
        if !outside.is_empty() {
            let message = format!(
                "shared with {outside:?}, outside providers.{}.allowed_accounts: widen the \
                 allow-list or unshare them first",
                spec.name
            );
            failed.push((spec.name.clone(), image, message));
            continue;
        }
        let mode = options.mode.unwrap_or(spec.mode);
        write_image(
            &mut images,
            &spec.name,
            &image,
            &accounts,
            (mode != spec.mode).then_some(mode),
        );
    }
    let mut text = format!(
        "# Imported by imgshare from the live shares at {}.\n# A plan never holds a secret: \
         only where the keys come from.\n",
        OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default()
    );
    for spec in &providers {
        write_provider(&mut text, spec);
    }
    text.push_str(&images);
    let plan = Plan::parse(&text, "<imported plan>")?;
    Ok(Imported { plan, text, failed })
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Controls, and the bidirectional overrides that would reorder what a terminal
            // shows, are written as escapes.
            c if c.is_control()
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let quoted: Vec<String> = items.into_iter().map(|a| quote(a)).collect();
    format!("[{}]", quoted.join(", "))
}

fn write_provider(out: &mut String, spec: &ProviderSpec) {
    let _ = write!(out, "\n[providers.{}]\n", quote(&spec.name));
    let mut line = |key: &str, value: String| {
        let _ = writeln!(out, "{key} = {value}");
    };
    line("type", quote(spec.kind.as_str()));
    let credentials = match &spec.credentials {
        CredentialSource::Default => quote("default"),
        CredentialSource::Profile(p) => format!("{{ profile = {} }}", quote(p)),
        CredentialSource::File(f) => {
            format!("{{ file = {} }}", quote(&f.to_string_lossy()))
        }
        CredentialSource::Env {
            access_key_env,
            secret_key_env,
        } => format!(
            "{{ access_key_env = {}, secret_key_env = {} }}",
            quote(access_key_env),
            quote(secret_key_env)
        ),
    };
    line("credentials", credentials);
    let optional = [
        ("region", &spec.region),
        ("endpoint", &spec.endpoint),
        ("environment", &spec.environment),
        ("account_id", &spec.account_id),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            line(key, quote(value));
        }
    }
    if let Some(allowed) = &spec.allowed_accounts {
        line("allowed_accounts", list(allowed));
    }
    line("rate_limit", spec.rate_limit.to_string());
    if spec.kind == ProviderKind::Ncloud {
        line("api", quote(spec.ncloud_api.as_str()));
    }
    line("mode", quote(spec.mode.as_str()));
    if !spec.groups.is_empty() {
        let groups: Vec<String> = (spec.groups.iter())
            .map(|(name, members)| format!("{} = {}", quote(name), list(members)))
            .collect();
        line("groups", format!("{{ {} }}", groups.join(", ")));
    }
}

fn write_image(
    out: &mut String,
    provider: &str,
    image: &str,
    accounts: &[String],
    mode: Option<Mode>,
) {
    let _ = write!(
        out,
        "\n[[images]]\nprovider = {}\nimage = {}\naccounts = {}\n",
        quote(provider),
        quote(image),
        list(accounts)
    );
    if let Some(mode) = mode {
        let _ = writeln!(out, "mode = {}", quote(mode.as_str()));
    }
    if accounts.is_empty() {
        // Shared with nobody now; an exact plan keeps it so.
        out.push_str("remove_all = true\n");
    }
}
