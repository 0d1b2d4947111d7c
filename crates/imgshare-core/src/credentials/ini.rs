//! The INI subset credential files use: `[section]` headers, `key = value` lines, `#` and `;`
//! comment lines. A value is everything after the first `=`, trimmed, so secrets holding `=`
//! survive; the first occurrence of a key wins.

/// A parsed INI file. Holds secrets, so it has no `Debug`.
pub(crate) struct Ini {
    /// `(section, key, value)`; `None` before the first header.
    entries: Vec<(Option<String>, String, String)>,
}

impl Ini {
    pub(crate) fn parse(text: &str) -> Self {
        let mut entries = Vec::new();
        let mut section = None;
        for line in text.lines().map(str::trim) {
            if line.is_empty() || line.starts_with(['#', ';']) {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = Some(name.trim().to_owned());
            } else if let Some((key, value)) = line.split_once('=') {
                entries.push((
                    section.clone(),
                    key.trim().to_owned(),
                    value.trim().to_owned(),
                ));
            }
        }
        Self { entries }
    }

    /// The first value of `key` in `section`, or in any section when `section` is `None`.
    pub(crate) fn get(&self, section: Option<&str>, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(s, k, _)| k == key && section.is_none_or(|want| s.as_deref() == Some(want)))
            .map(|(_, _, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# comment\nkey = top\n[other]\nsecret_id = no\n[ default ]\n; c\n\
                        secret_id = AKID\nsecret_key = s3cr=t==\nsecret_id = later\n";

    #[test]
    fn sections_comments_and_equals_signs() {
        let ini = Ini::parse(TEXT);
        // Catches reading the wrong section, or the last occurrence instead of the first.
        assert_eq!(ini.get(Some("default"), "secret_id"), Some("AKID"));
        assert_eq!(ini.get(None, "secret_id"), Some("no"));
        // Catches splitting on the last `=`, which would cut the secret.
        assert_eq!(ini.get(Some("default"), "secret_key"), Some("s3cr=t=="));
        assert_eq!(ini.get(None, "key"), Some("top"));
        assert_eq!(ini.get(Some("default"), "key"), None);
        assert_eq!(ini.get(None, "c"), None);
    }
}
