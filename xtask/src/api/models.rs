//! The model part of the `api.toml` format: the response structs and the server-controlled
//! string enums, written by `crate::models` into one file per provider.
//!
//! ```toml
//! # Models
//!
//! [models]
//! output = "src/model.rs"
//! uses = ["crate::types::Code"]
//!
//! [[enum]]
//! name = "MemberStatus"
//! doc = "A member's status."
//! default = "Pending"
//! variants = [
//!     { name = "Pending", wire = "pending", doc = "Not answered yet." },
//!     { name = "Accepted", wire = "accepted", doc = "Accepted." },
//! ]
//!
//! [[model]]
//! name = "ImageMember"
//! doc = "One member of an image."
//!
//! [[model.field]]
//! name = "member_id"
//! type = "String"
//! doc = "The recipient account id."
//! ```

use serde::Deserialize;

/// `[models]`: where the generated models go and what they import.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModelFile {
    /// The generated file, relative to the api.toml (`src/model.rs`).
    pub(crate) output: String,
    /// The module's doc comment.
    #[serde(default)]
    pub(crate) doc: String,
    /// Extra `use` paths (hand-written types and decoders the fields name).
    #[serde(default)]
    pub(crate) uses: Vec<String>,
    /// The structs also derive `Serialize`, with their Rust field names (or `output`), not the
    /// wire's: what a program or the CLI prints is the SDK's view of the model.
    #[serde(default)]
    pub(crate) serialize: bool,
}

/// `[[enum]]`: a string enum the server may extend; unknown values are kept in `Unknown(String)`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StringEnum {
    /// `UpperCamelCase`.
    pub(crate) name: String,
    pub(crate) doc: String,
    /// The `Default` value: a variant's name, or `Unknown` for `Unknown(String::new())`. Without
    /// it the enum has no `Default`.
    pub(crate) default: Option<String>,
    pub(crate) variants: Vec<Variant>,
}

/// One known value of a [`StringEnum`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Variant {
    pub(crate) name: String,
    /// The string on the wire.
    pub(crate) wire: String,
    pub(crate) doc: String,
}

/// `[[model]]`: a struct decoded from a response (JSON or XML), `#[non_exhaustive]`, with a
/// by-value builder for tests and fakes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Model {
    /// `UpperCamelCase`.
    pub(crate) name: String,
    pub(crate) doc: String,
    #[serde(rename = "field", default)]
    pub(crate) fields: Vec<ModelField>,
}

/// One field of a [`Model`]. A field is `#[serde(default)]` (an absent field is its type's
/// default, or `missing`) unless it is `required`: then a body without it is an unreadable
/// response, so an unrelated 2xx answer is not read as an empty one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModelField {
    /// `snake_case`.
    pub(crate) name: String,
    /// The name on the wire; defaults to `name`.
    pub(crate) wire: Option<String>,
    /// Other wire names accepted when decoding (`#[serde(alias)]`).
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    /// The name `Serialize` writes (with `[models] serialize`); defaults to `name`.
    pub(crate) output: Option<String>,
    /// The Rust type of the value (of one item, for lists).
    #[serde(rename = "type")]
    pub(crate) ty: String,
    /// `Option<type>`: absent or empty is `None`.
    #[serde(default)]
    pub(crate) optional: bool,
    /// `Vec<type>`: absent or empty is an empty list.
    #[serde(default)]
    pub(crate) list: bool,
    /// How the value is read: a helper of `imgshare_core::decode::lenient` by name (`string`,
    /// `opt_string`, `number`, `opt_number`, `bool`, `opt_bool`, `list`), `plain` for the type's
    /// own `Deserialize`, or a function path (`crate::types::opt_code`). By default the lenient
    /// helper that fits the shape (strings, integers, booleans, lists), else `plain`.
    pub(crate) decode: Option<String>,
    /// A Rust expression for the field in the model's `Default` (and so the builder's start);
    /// when any field has one, `Default` is written out instead of derived.
    pub(crate) default: Option<String>,
    /// A Rust expression used when the field is absent on the wire, instead of the type's default.
    pub(crate) missing: Option<String>,
    /// The provider documents the field as always present (an output's list, an item's id):
    /// no serde default, so its absence fails decoding.
    #[serde(default)]
    pub(crate) required: bool,
    pub(crate) doc: String,
}

/// A lenient helper: its name, and the shape it reads (`None`: a list).
const LENIENT: &[(&str, Option<(Scalar, bool)>)] = &[
    ("string", Some((Scalar::String, false))),
    ("opt_string", Some((Scalar::String, true))),
    ("number", Some((Scalar::Integer, false))),
    ("opt_number", Some((Scalar::Integer, true))),
    ("bool", Some((Scalar::Bool, false))),
    ("opt_bool", Some((Scalar::Bool, true))),
    ("list", None),
];

const INTEGERS: &[&str] = &[
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
];

/// Names a field cannot take: Rust keywords, and `build` (the builder's own method).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "build", "const", "continue", "crate", "dyn", "else",
    "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match",
    "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
    "true", "try", "type", "unsafe", "use", "where", "while", "yield",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    String,
    Integer,
    Bool,
}

fn scalar(ty: &str) -> Option<Scalar> {
    match ty {
        "String" => Some(Scalar::String),
        "bool" => Some(Scalar::Bool),
        t if INTEGERS.contains(&t) => Some(Scalar::Integer),
        _ => None,
    }
}

/// How a field is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Decode {
    /// `deserialize_with = "lenient::<name>"`.
    Lenient(&'static str),
    /// The type's own `Deserialize`.
    Plain,
    /// `deserialize_with = "<path>"`.
    Custom(String),
}

impl ModelField {
    /// The wire name.
    pub(crate) fn wire(&self) -> &str {
        self.wire.as_deref().unwrap_or(&self.name)
    }

    /// The field's full Rust type.
    pub(crate) fn rust_type(&self) -> String {
        if self.list {
            format!("Vec<{}>", self.ty)
        } else if self.optional {
            format!("Option<{}>", self.ty)
        } else {
            self.ty.clone()
        }
    }

    /// The decoder: declared, else the lenient helper that fits the shape.
    pub(crate) fn decode(&self) -> Result<Decode, String> {
        let Some(name) = self.decode.as_deref() else {
            if self.list {
                return Ok(Decode::Lenient("list"));
            }
            return Ok(scalar(&self.ty).map_or(Decode::Plain, |s| {
                let fits = LENIENT
                    .iter()
                    .find(|(_, shape)| *shape == Some((s, self.optional)));
                fits.map_or(Decode::Plain, |(n, _)| Decode::Lenient(n))
            }));
        };
        if name == "plain" {
            return Ok(Decode::Plain);
        }
        if name.contains("::") {
            return Ok(Decode::Custom(name.to_owned()));
        }
        let (helper, shape) = LENIENT.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            format!(
                "unknown decoder `{name}`: use a lenient helper ({}), `plain`, or a function path \
                 containing `::`",
                LENIENT
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let fits = match shape {
            None => self.list,
            Some((s, optional)) => {
                !self.list && scalar(&self.ty) == Some(*s) && self.optional == *optional
            }
        };
        if !fits {
            let wants = match shape {
                None => "`list = true`".to_owned(),
                Some((s, optional)) => format!(
                    "{}{}",
                    match s {
                        Scalar::String => "type `String`",
                        Scalar::Integer => "an integer type",
                        Scalar::Bool => "type `bool`",
                    },
                    if *optional {
                        " with `optional = true`"
                    } else {
                        ", not optional or a list"
                    }
                ),
            };
            return Err(format!(
                "decoder `{name}` reads {wants}, but the field is `{}`",
                self.rust_type()
            ));
        }
        Ok(Decode::Lenient(helper))
    }
}

fn check_camel(name: &str) -> Result<(), String> {
    if !name.starts_with(|c: char| c.is_ascii_uppercase())
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(format!("`{name}` must be UpperCamelCase"));
    }
    Ok(())
}

fn check_doc(doc: &str, what: &str) -> Result<(), String> {
    if doc.trim().is_empty() {
        return Err(format!("{what} needs a doc"));
    }
    Ok(())
}

/// Checks the model declarations of one api.toml.
pub(crate) fn check(
    file: Option<&ModelFile>,
    enums: &[StringEnum],
    models: &[Model],
) -> Result<(), String> {
    if file.is_none() && !(enums.is_empty() && models.is_empty()) {
        return Err(
            "models and enums need a `[models]` table with the generated file's `output`".into(),
        );
    }
    let mut names: Vec<&str> = Vec::new();
    for name in enums
        .iter()
        .map(|e| e.name.as_str())
        .chain(models.iter().map(|m| m.name.as_str()))
    {
        if names.contains(&name) {
            return Err(format!("`{name}` is declared twice"));
        }
        names.push(name);
    }
    for e in enums {
        check_enum(e).map_err(|err| format!("enum {}: {err}", e.name))?;
    }
    for m in models {
        check_model(m).map_err(|err| format!("model {}: {err}", m.name))?;
        let serialize = file.is_some_and(|f| f.serialize);
        if let Some(f) = m.fields.iter().find(|f| f.output.is_some() && !serialize) {
            return Err(format!(
                "model {}: `{}` has an `output` name, but `[models]` has no `serialize = true`",
                m.name, f.name
            ));
        }
    }
    Ok(())
}

fn check_enum(e: &StringEnum) -> Result<(), String> {
    check_camel(&e.name)?;
    check_doc(&e.doc, "the enum")?;
    if e.variants.is_empty() {
        return Err("an enum needs at least one variant".into());
    }
    for (i, v) in e.variants.iter().enumerate() {
        check_camel(&v.name).map_err(|err| format!("variant {err}"))?;
        check_doc(&v.doc, &format!("variant {}", v.name))?;
        if v.name == "Unknown" {
            return Err("`Unknown` is the arm for values not declared; do not declare it".into());
        }
        if let Some(other) = e.variants[..i]
            .iter()
            .find(|o| o.name == v.name || o.wire == v.wire)
        {
            return Err(format!(
                "variants {} and {} repeat a name or the wire value {:?}",
                other.name, v.name, v.wire
            ));
        }
    }
    if let Some(default) = &e.default
        && default != "Unknown"
        && !e.variants.iter().any(|v| &v.name == default)
    {
        return Err(format!(
            "default `{default}` is not a variant (name one, or `Unknown` for an empty unknown value)"
        ));
    }
    Ok(())
}

fn check_model(m: &Model) -> Result<(), String> {
    check_camel(&m.name)?;
    check_doc(&m.doc, "the model")?;
    for (i, f) in m.fields.iter().enumerate() {
        check_field(f).map_err(|err| format!("field {}: {err}", f.name))?;
        let earlier = &m.fields[..i];
        if earlier.iter().any(|o| o.name == f.name) {
            return Err(format!("field {} is declared twice", f.name));
        }
        for wire in std::iter::once(f.wire()).chain(f.aliases.iter().map(String::as_str)) {
            let taken = earlier
                .iter()
                .any(|o| o.wire() == wire || o.aliases.iter().any(|a| a == wire));
            if taken {
                return Err(format!(
                    "field {}: the wire name {wire:?} is already read by another field",
                    f.name
                ));
            }
        }
    }
    Ok(())
}

fn check_field(f: &ModelField) -> Result<(), String> {
    if f.name.is_empty()
        || f.name.starts_with(|c: char| c.is_ascii_digit())
        || !f
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err("name must be snake_case".into());
    }
    if KEYWORDS.contains(&f.name.as_str()) {
        return Err(
            "name is a Rust keyword or the builder's `build`; choose another and set `wire`".into(),
        );
    }
    if f.wire().is_empty() || f.aliases.iter().any(String::is_empty) {
        return Err("wire names cannot be empty".into());
    }
    if f.ty.trim().is_empty() {
        return Err("needs a type".into());
    }
    if f.ty.starts_with("Option<") || f.ty.starts_with("Vec<") {
        return Err(format!(
            "give the item type (`{}`) with `optional = true` or `list = true`",
            f.ty
        ));
    }
    if f.optional && f.list {
        return Err("a list cannot be optional: an absent list is empty".into());
    }
    if f.list && f.default.is_some() {
        return Err("a list's default is empty; it takes no `default`".into());
    }
    if f.required && f.optional {
        // serde reads an absent plain `Option` as `None` whatever the attributes say.
        return Err("a required field cannot be optional".into());
    }
    if f.required && f.missing.is_some() {
        return Err("a required field is never missing; it takes no `missing`".into());
    }
    f.decode()?;
    check_doc(&f.doc, "the field")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn field(toml_text: &str) -> ModelField {
        toml::from_str(&format!("name = \"f\"\ndoc = \"d\"\n{toml_text}")).unwrap()
    }

    #[test]
    fn default_decoders_follow_the_shape() {
        let cases = [
            ("type = \"String\"", Decode::Lenient("string")),
            (
                "type = \"String\"\noptional = true",
                Decode::Lenient("opt_string"),
            ),
            ("type = \"u32\"", Decode::Lenient("number")),
            (
                "type = \"i64\"\noptional = true",
                Decode::Lenient("opt_number"),
            ),
            ("type = \"bool\"", Decode::Lenient("bool")),
            (
                "type = \"bool\"\noptional = true",
                Decode::Lenient("opt_bool"),
            ),
            ("type = \"Tag\"\nlist = true", Decode::Lenient("list")),
            ("type = \"Region\"\noptional = true", Decode::Plain),
            ("type = \"String\"\ndecode = \"plain\"", Decode::Plain),
            (
                "type = \"Code<X>\"\noptional = true\ndecode = \"crate::types::opt_code\"",
                Decode::Custom("crate::types::opt_code".into()),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(field(text).decode().unwrap(), want, "{text}");
        }
    }

    #[test]
    fn mismatched_decoders_are_named() {
        let err = check_field(&field("type = \"String\"\ndecode = \"number\"")).unwrap_err();
        assert!(
            err.contains("decoder `number` reads an integer type"),
            "{err}"
        );
        let err = check_field(&field("type = \"u64\"\ndecode = \"opt_number\"")).unwrap_err();
        assert!(err.contains("with `optional = true`"), "{err}");
        let err = check_field(&field("type = \"String\"\ndecode = \"strng\"")).unwrap_err();
        assert!(err.contains("unknown decoder `strng`"), "{err}");
        let err = check_field(&field("type = \"Option<String>\"")).unwrap_err();
        assert!(err.contains("optional = true"), "{err}");
        let err = check_field(&field(
            "type = \"String\"\nrequired = true\nmissing = \"x()\"",
        ))
        .unwrap_err();
        assert!(err.contains("takes no `missing`"), "{err}");
    }

    #[test]
    fn enums_and_models_are_checked() {
        let text = r#"
            [[enum]]
            name = "S"
            doc = "d"
            default = "Gone"
            variants = [{ name = "A", wire = "a", doc = "d" }]
        "#;
        #[derive(Deserialize)]
        struct Doc {
            #[serde(rename = "enum", default)]
            enums: Vec<StringEnum>,
            #[serde(rename = "model", default)]
            models: Vec<Model>,
        }
        let file = ModelFile {
            output: "m.rs".into(),
            doc: String::new(),
            uses: Vec::new(),
            serialize: false,
        };
        let doc: Doc = toml::from_str(text).unwrap();
        let err = check(Some(&file), &doc.enums, &doc.models).unwrap_err();
        assert!(
            err.contains("enum S: default `Gone` is not a variant"),
            "{err}"
        );
        assert!(check(None, &doc.enums, &doc.models).is_err());

        let text = r#"
            [[model]]
            name = "M"
            doc = "d"
            [[model.field]]
            name = "a"
            wire = "x"
            type = "String"
            doc = "d"
            [[model.field]]
            name = "b"
            aliases = ["x"]
            type = "String"
            doc = "d"
        "#;
        let doc: Doc = toml::from_str(text).unwrap();
        let err = check(Some(&file), &doc.enums, &doc.models).unwrap_err();
        assert!(err.contains("wire name \"x\" is already read"), "{err}");
    }
}
