//! Writes the models an [`Api`] declares into one file (its `[models] output`): per `[[enum]]`
//! a string enum with an `Unknown(String)` arm, and per `[[model]]` a `#[non_exhaustive]` struct
//! that serde decodes from JSON or XML, with its by-value builder. rustfmt formats the result.

use std::fmt::Write as _;

use crate::api::{Api, Decode, Model, ModelField, ModelFile, StringEnum};
use crate::generate::{doc, header};

/// The models file, when the api.toml declares one.
pub(crate) fn files(api: &Api, source: &str) -> Result<Vec<(String, String)>, String> {
    let Some(file) = &api.models else {
        return Ok(Vec::new());
    };
    Ok(vec![(file.output.clone(), generate(api, file, source)?)])
}

fn generate(api: &Api, file: &ModelFile, source: &str) -> Result<String, String> {
    let mut out = String::new();
    header(&mut out, source);
    for line in file.doc.trim_end().lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            let _ = writeln!(out, "//! {line}");
        }
    }
    out.push('\n');
    let mut lenient = false;
    for field in api.structs.iter().flat_map(|m| &m.fields) {
        lenient |= matches!(field.decode()?, Decode::Lenient(_));
    }
    if lenient {
        out.push_str("use imgshare_core::decode::lenient;\n");
    }
    if file.serialize {
        out.push_str("use serde::{Deserialize, Serialize};\n");
    } else if !api.structs.is_empty() {
        out.push_str("use serde::Deserialize;\n");
    }
    for path in &file.uses {
        let _ = writeln!(out, "use {path};");
    }
    for e in &api.enums {
        string_enum(&mut out, e);
    }
    for m in &api.structs {
        model(&mut out, m, file.serialize)?;
    }
    Ok(out)
}

/// What `imgshare_core::string_enum!` declares, written out.
fn string_enum(out: &mut String, e: &StringEnum) {
    let name = &e.name;
    let derive_default = e.default.as_deref().is_some_and(|d| d != "Unknown");
    out.push('\n');
    doc(out, &e.doc);
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, PartialEq, Eq, Hash{})]\n#[non_exhaustive]\npub enum {name} {{",
        if derive_default { ", Default" } else { "" }
    );
    for v in &e.variants {
        doc(out, &v.doc);
        if e.default.as_deref() == Some(v.name.as_str()) {
            out.push_str("#[default]\n");
        }
        let _ = writeln!(out, "{},", v.name);
    }
    let _ = writeln!(
        out,
        "/// A value this version of the SDK does not know; the wire string is kept.\n\
         Unknown(String),\n}}\n\n\
         impl {name} {{\n\
         /// The wire string.\n\
         pub fn as_str(&self) -> &str {{\nmatch self {{"
    );
    for v in &e.variants {
        let _ = writeln!(out, "{name}::{} => {:?},", v.name, v.wire);
    }
    let _ = writeln!(
        out,
        "{name}::Unknown(s) => s.as_str(),\n}}\n}}\n}}\n\n\
         impl From<&str> for {name} {{\nfn from(s: &str) -> Self {{\nmatch s {{"
    );
    for v in &e.variants {
        let _ = writeln!(out, "{:?} => {name}::{},", v.wire, v.name);
    }
    let _ = writeln!(
        out,
        "other => {name}::Unknown(other.to_owned()),\n}}\n}}\n}}\n\n\
         impl From<String> for {name} {{\nfn from(s: String) -> Self {{ {name}::from(s.as_str()) }}\n}}\n\n\
         impl std::fmt::Display for {name} {{\n\
         fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{ f.write_str(self.as_str()) }}\n}}\n\n\
         impl serde::Serialize for {name} {{\n\
         fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {{ s.serialize_str(self.as_str()) }}\n}}\n\n\
         impl<'de> serde::Deserialize<'de> for {name} {{\n\
         fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {{\n\
         let s: String = imgshare_core::decode::lenient::string(d)?;\nOk({name}::from(s))\n}}\n}}\n\n\
         impl imgshare_core::wire::ToWire for {name} {{\n\
         fn to_wire(&self) -> imgshare_core::wire::WireValue {{\n\
         imgshare_core::wire::WireValue::Str(self.as_str().to_owned())\n}}\n}}"
    );
    if e.default.as_deref() == Some("Unknown") {
        let _ = writeln!(
            out,
            "\nimpl Default for {name} {{\n\
             fn default() -> Self {{ {name}::Unknown(String::new()) }}\n}}"
        );
    }
}

fn missing_fn(m: &Model, f: &ModelField) -> String {
    format!("{}_{}_missing", crate::generate::snake(&m.name), f.name)
}

fn serde_attribute(m: &Model, f: &ModelField, serialize: bool) -> Result<String, String> {
    let mut parts = Vec::new();
    let output = f.output.as_deref().unwrap_or(&f.name);
    if !serialize && f.wire() != f.name {
        parts.push(format!("rename = {:?}", f.wire()));
    } else if serialize && (f.wire() != f.name || output != f.name) {
        // Serialize keeps the Rust name unless `output` says otherwise; Deserialize reads the wire.
        parts.push(format!(
            "rename(serialize = {output:?}, deserialize = {:?})",
            f.wire()
        ));
    }
    for alias in &f.aliases {
        parts.push(format!("alias = {alias:?}"));
    }
    if f.missing.is_some() {
        parts.push(format!("default = {:?}", missing_fn(m, f)));
    } else if !f.required {
        parts.push("default".to_owned());
    }
    match f.decode()? {
        Decode::Lenient(helper) => {
            parts.push(format!("deserialize_with = \"lenient::{helper}\""));
        }
        Decode::Custom(path) => parts.push(format!("deserialize_with = {path:?}")),
        Decode::Plain => {}
    }
    if parts.is_empty() {
        return Ok(String::new());
    }
    Ok(format!("#[serde({})]\n", parts.join(", ")))
}

/// The struct, its `Default` when a field declares one, and what `imgshare_core::model_builder!`
/// declares, written out.
fn model(out: &mut String, m: &Model, serialize: bool) -> Result<(), String> {
    let name = &m.name;
    let builder = format!("{name}Builder");
    let manual_default = m.fields.iter().any(|f| f.default.is_some());
    out.push('\n');
    doc(out, &m.doc);
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, {}PartialEq, Eq, Deserialize{})]\n#[non_exhaustive]\npub struct {name} {{",
        if manual_default { "" } else { "Default, " },
        if serialize { ", Serialize" } else { "" }
    );
    for f in &m.fields {
        doc(out, &f.doc);
        let _ = writeln!(
            out,
            "{}pub {}: {},",
            serde_attribute(m, f, serialize)?,
            f.name,
            f.rust_type()
        );
    }
    out.push_str("}\n");

    for f in &m.fields {
        if let Some(expr) = &f.missing {
            let _ = writeln!(
                out,
                "\nfn {}() -> {} {{ {expr} }}",
                missing_fn(m, f),
                f.rust_type()
            );
        }
    }

    if manual_default {
        let _ = writeln!(
            out,
            "\nimpl Default for {name} {{\nfn default() -> Self {{\nSelf {{"
        );
        for f in &m.fields {
            let value = f.default.as_deref().unwrap_or("Default::default()");
            let _ = writeln!(out, "{}: {value},", f.name);
        }
        out.push_str("}\n}\n}\n");
    }

    let _ = writeln!(
        out,
        "\nimpl {name} {{\n\
         /// A builder, starting from the default value.\n\
         pub fn builder() -> {builder} {{ {builder}({name}::default()) }}\n}}\n\n\
         /// Builds a [`{name}`] (for tests and fakes).\n\
         #[derive(Debug, Clone, Default)]\n\
         pub struct {builder}({name});\n\n\
         impl {builder} {{"
    );
    for f in &m.fields {
        let _ = writeln!(
            out,
            "/// Sets [`{name}::{n}`].\n\
             pub fn {n}(mut self, value: impl Into<{ty}>) -> Self {{ self.0.{n} = value.into(); self }}\n",
            n = f.name,
            ty = f.rust_type()
        );
    }
    let _ = writeln!(
        out,
        "/// The [`{name}`].\npub fn build(self) -> {name} {{ self.0 }}\n}}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn snake_case_names() {
        assert_eq!(crate::generate::snake("ImageMember"), "image_member");
        assert_eq!(crate::generate::snake("Image"), "image");
    }

    #[test]
    fn one_file_with_enums_models_and_builders() {
        let api = crate::api::parse(
            r#"
            output = "src/operation.rs"
            client = "crate::Client"

            # Models

            [models]
            output = "src/model.rs"
            doc = "Models."

            [[enum]]
            name = "State"
            doc = "A state."
            default = "Unknown"
            variants = [{ name = "Normal", wire = "NORMAL", doc = "Usable." }]

            [[model]]
            name = "Image"
            doc = "An image."

            [[model.field]]
            name = "image_id"
            wire = "ImageId"
            aliases = ["Id"]
            type = "String"
            doc = "The id."

            [[model.field]]
            name = "items"
            wire = "ItemSet"
            type = "String"
            list = true
            required = true
            doc = "Always present."

            [[model.field]]
            name = "state"
            wire = "State"
            type = "State"
            default = "State::Normal"
            missing = "State::Unknown(String::new())"
            doc = "The state."
            "#,
        )
        .unwrap();
        let files = files(&api, "api.toml").unwrap();
        assert_eq!(files.len(), 1);
        let (path, text) = &files[0];
        assert_eq!(path, "src/model.rs");
        for needle in [
            "@generated",
            "//! Models.",
            "use imgshare_core::decode::lenient;",
            "\"NORMAL\" => State::Normal,",
            "impl Default for State",
            "#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]",
            "#[serde(rename = \"ImageId\", alias = \"Id\", default, deserialize_with = \"lenient::string\")]",
            "#[serde(rename = \"State\", default = \"image_state_missing\")]",
            "#[serde(rename = \"ItemSet\", deserialize_with = \"lenient::list\")]",
            "fn image_state_missing() -> State { State::Unknown(String::new()) }",
            "state: State::Normal,",
            "image_id: Default::default(),",
            "pub struct ImageBuilder(Image);",
            "pub fn image_id(mut self, value: impl Into<String>) -> Self",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
        }
    }

    #[test]
    fn serialize_writes_rust_names_or_output_and_reads_the_wire() {
        let text = |serialize: &str| {
            format!(
                r#"
                output = "o.rs"
                client = "crate::Client"
                [models]
                output = "src/model.rs"
                {serialize}
                [[model]]
                name = "Image"
                doc = "An image."
                [[model.field]]
                name = "image_id"
                wire = "ImageId"
                type = "String"
                doc = "The id."
                [[model.field]]
                name = "image_size"
                wire = "ImageSize"
                output = "image_size_gib"
                type = "u64"
                doc = "GiB."
                "#
            )
        };
        let api = crate::api::parse(&text("serialize = true")).unwrap();
        let (_, out) = &files(&api, "api.toml").unwrap()[0];
        for needle in [
            "use serde::{Deserialize, Serialize};",
            "#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]",
            "rename(serialize = \"image_id\", deserialize = \"ImageId\")",
            "rename(serialize = \"image_size_gib\", deserialize = \"ImageSize\")",
        ] {
            assert!(out.contains(needle), "missing {needle:?} in:\n{out}");
        }
        let err = crate::api::parse(&text("")).unwrap_err();
        assert!(err.contains("`image_size` has an `output` name"), "{err}");
    }

    #[test]
    fn no_models_no_file() {
        let api = crate::api::parse("output = \"o.rs\"\nclient = \"crate::Client\"\n").unwrap();
        assert!(files(&api, "api.toml").unwrap().is_empty());
    }
}
