//! The API description format (`api.toml`) and its checks.

use serde::Deserialize;

mod models;

pub(crate) use models::{Decode, Model, ModelField, ModelFile, StringEnum};

/// One provider's operations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Api {
    /// The generated file, relative to the api.toml.
    pub(crate) output: String,
    /// The client type whose methods return the fluent builders (`crate::Client`).
    pub(crate) client: String,
    /// The module's doc comment.
    #[serde(default)]
    pub(crate) doc: String,
    /// Extra `use` paths the generated file needs (model types named in fields).
    #[serde(default)]
    pub(crate) uses: Vec<String>,
    #[serde(rename = "operation", default)]
    pub(crate) operations: Vec<Operation>,
    /// The generated `Client` (a `ServiceClient` over the provider's `Config`), when wanted.
    #[serde(rename = "client_struct")]
    pub(crate) client_struct: Option<ClientSpec>,
    /// `[models]`: the generated models file, when the api.toml declares models.
    pub(crate) models: Option<ModelFile>,
    /// `[[enum]]`: server-controlled string enums.
    #[serde(rename = "enum", default)]
    pub(crate) enums: Vec<StringEnum>,
    /// `[[model]]`: response structs.
    #[serde(rename = "model", default)]
    pub(crate) structs: Vec<Model>,
    /// The error-code table (`crate::errors`), appended at the end of the file.
    pub(crate) errors: Option<crate::errors::Errors>,
}

/// The generated client: where it goes, the config (the provider's `Protocol`) and error types.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientSpec {
    /// The generated file, relative to the api.toml.
    pub(crate) output: String,
    /// The provider's config type path (`crate::config::Config`).
    pub(crate) config: String,
    /// The provider's error type path (`crate::error::TencentError`).
    pub(crate) error: String,
    /// The client type's doc comment, with an example.
    pub(crate) doc: String,
    /// The client type's name; `Client` by default.
    pub(crate) name: Option<String>,
    /// The module of the generated operations; `crate::operation` by default.
    pub(crate) operations: Option<String>,
}

/// One operation, as its HTTP binding.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Operation {
    /// The SDK's name for it, `UpperCamelCase` (`ShareImage`).
    pub(crate) name: String,
    /// The provider's name for it; defaults to `name`.
    pub(crate) wire_name: Option<String>,
    pub(crate) doc: String,
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub(crate) method: String,
    /// Path template with `{label}`s naming label fields by wire name.
    pub(crate) path: String,
    /// Whether repeating it is harmless.
    pub(crate) idempotent: bool,
    /// The output type path, or `()` for an empty body.
    pub(crate) output: String,
    /// `fn(&Input) -> Result<(), InvalidInput>` run by `build()`.
    pub(crate) validate: Option<String>,
    /// `json`, `form` or `none`; by default what the declared fields need.
    pub(crate) body: Option<String>,
    /// The client accessor's doc; by default the first paragraph of `doc`.
    pub(crate) accessor_doc: Option<String>,
    #[serde(rename = "constant", default)]
    pub(crate) constants: Vec<Constant>,
    #[serde(rename = "field", default)]
    pub(crate) fields: Vec<Field>,
    /// How to page through it (`crate::paginators`), for list operations.
    pub(crate) paginator: Option<crate::paginators::Paginator>,
}

/// A fixed wire value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Constant {
    pub(crate) wire: String,
    pub(crate) value: String,
    #[serde(rename = "in")]
    pub(crate) location: String,
}

/// An input field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Field {
    /// `snake_case`; a list's name is plural (`account_ids`), its item setter singular.
    pub(crate) name: String,
    pub(crate) wire: String,
    /// `label`, `query`, `form`, `json` or `header`.
    #[serde(rename = "in")]
    pub(crate) location: String,
    /// The Rust type of the value (of one item, for lists).
    #[serde(rename = "type")]
    pub(crate) ty: String,
    #[serde(default)]
    pub(crate) required: bool,
    #[serde(default)]
    pub(crate) list: bool,
    pub(crate) doc: String,
    /// `fn(field, &value) -> Result<(), InvalidInput>` run on the value (on each item of a list,
    /// named `field[i]`).
    pub(crate) check: Option<String>,
    /// A list's fewest items.
    #[serde(default)]
    pub(crate) min_items: usize,
    /// A list's most items.
    pub(crate) max_items: Option<usize>,
    /// No item of a list may repeat.
    #[serde(default)]
    pub(crate) unique: bool,
    /// A number's inclusive bounds, `[min, max]`.
    pub(crate) range: Option<[u64; 2]>,
}

pub(crate) const LOCATIONS: &[(&str, &str)] = &[
    ("label", "Label"),
    ("query", "Query"),
    ("form", "Form"),
    ("json", "Json"),
    ("header", "Header"),
];

pub(crate) fn parse(text: &str) -> Result<Api, String> {
    let api: Api = toml::from_str(text).map_err(|e| e.to_string())?;
    for op in &api.operations {
        check_operation(op).map_err(|e| format!("operation {}: {e}", op.name))?;
        if let Some(paginator) = &op.paginator {
            crate::paginators::check(op, paginator)
                .map_err(|e| format!("operation {}: paginator: {e}", op.name))?;
        }
    }
    if let Some(errors) = &api.errors {
        crate::errors::check(errors).map_err(|e| format!("errors: {e}"))?;
    }
    models::check(api.models.as_ref(), &api.enums, &api.structs)?;
    for op in &api.operations {
        check_output_required(op, &api.structs)
            .map_err(|e| format!("operation {}: {e}", op.name))?;
    }
    Ok(api)
}

/// An output model declared here needs a `required` field: with every field defaulted, any
/// unrelated 2xx JSON object would decode as an empty answer.
fn check_output_required(op: &Operation, structs: &[Model]) -> Result<(), String> {
    let name = op.output.rsplit("::").next().unwrap_or(&op.output);
    match structs.iter().find(|m| m.name == name) {
        Some(model) if !model.fields.iter().any(|f| f.required) => Err(format!(
            "output {name} has no `required` field: mark what the provider always sends (its \
             list, an id) so an unrelated answer is refused"
        )),
        _ => Ok(()),
    }
}

fn check_operation(op: &Operation) -> Result<(), String> {
    if !op.name.starts_with(|c: char| c.is_ascii_uppercase())
        || !op.name.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err("name must be UpperCamelCase".into());
    }
    if !["GET", "POST", "PUT", "DELETE"].contains(&op.method.as_str()) {
        return Err(format!("unknown method {}", op.method));
    }
    if let Some(body) = &op.body
        && !["json", "form", "none"].contains(&body.as_str())
    {
        return Err(format!("unknown body kind {body}"));
    }
    let labels = path_labels(&op.path)?;
    for field in &op.fields {
        check_field(field).map_err(|e| format!("field {}: {e}", field.name))?;
        if field.location == "label" && !labels.contains(&field.wire.as_str()) {
            return Err(format!(
                "field {} is a label, but the path has no {{{}}}",
                field.name, field.wire
            ));
        }
    }
    for label in labels {
        let declared = op
            .fields
            .iter()
            .any(|f| f.location == "label" && f.wire == label && f.required && !f.list);
        if !declared {
            return Err(format!(
                "path label {{{label}}} needs a required, single-valued field `in = \"label\"`"
            ));
        }
    }
    for constant in &op.constants {
        location(&constant.location)?;
    }
    let body = body_kind(op);
    for (wire, loc) in op
        .fields
        .iter()
        .map(|f| (&f.wire, &f.location))
        .chain(op.constants.iter().map(|c| (&c.wire, &c.location)))
    {
        let fits = match loc.as_str() {
            "json" => body == "Json",
            "form" => body == "Form",
            _ => true,
        };
        if !fits {
            return Err(format!("{wire} is `in = \"{loc}\"` but the body is {body}"));
        }
    }
    Ok(())
}

fn check_field(field: &Field) -> Result<(), String> {
    if field.name.is_empty()
        || !field
            .name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err("name must be snake_case".into());
    }
    location(&field.location)?;
    if field.list && singular(&field.name).is_none() {
        return Err("a list's name must be plural (end in `s`)".into());
    }
    if field.list && field.required {
        return Err("a list cannot be required; check a minimum length in `validate`".into());
    }
    if field.location == "label" && field.list {
        return Err("a label cannot be a list".into());
    }
    if !field.list && (field.min_items > 0 || field.max_items.is_some() || field.unique) {
        return Err("min_items, max_items and unique are for lists".into());
    }
    if field.range.is_some() && (field.list || !crate::generate::is_number(&field.ty)) {
        return Err("range is for a single number".into());
    }
    if field.doc.trim().is_empty() {
        return Err("every field needs a doc".into());
    }
    Ok(())
}

pub(crate) fn location(name: &str) -> Result<&'static str, String> {
    LOCATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .ok_or_else(|| format!("unknown location `{name}` (label, query, form, json, header)"))
}

/// The body kind: declared, else what the fields need.
pub(crate) fn body_kind(op: &Operation) -> &'static str {
    match op.body.as_deref() {
        Some("json") => return "Json",
        Some("form") => return "Form",
        Some(_) => return "None",
        None => {}
    }
    let locations = op
        .fields
        .iter()
        .map(|f| f.location.as_str())
        .chain(op.constants.iter().map(|c| c.location.as_str()));
    let mut kind = "None";
    for loc in locations {
        match loc {
            "json" => kind = "Json",
            "form" => kind = "Form",
            _ => {}
        }
    }
    kind
}

/// `{label}` names in a path template.
pub(crate) fn path_labels(path: &str) -> Result<Vec<&str>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` must start with /"));
    }
    let mut labels = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("path `{path}` has an unclosed label"))?;
        labels.push(&after[..close]);
        rest = &after[close + 1..];
    }
    Ok(labels)
}

/// `account_ids` → `account_id`, `policies` → `policy`.
pub(crate) fn singular(plural: &str) -> Option<String> {
    if let Some(stem) = plural.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    plural
        .strip_suffix('s')
        .filter(|s| !s.is_empty() && !s.ends_with('_'))
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    #[test]
    fn an_output_model_needs_a_required_field() {
        let text = |required: bool| {
            format!(
                r#"
                output = "src/operation.rs"
                client = "crate::Client"

                [[operation]]
                name = "ListThings"
                doc = "Lists."
                method = "GET"
                path = "/things"
                idempotent = true
                output = "ListThingsOutput"

                [models]
                output = "src/model.rs"

                [[model]]
                name = "ListThingsOutput"
                doc = "The answer."

                [[model.field]]
                name = "things"
                type = "String"
                list = true
                required = {required}
                doc = "The things."
                "#
            )
        };
        let err = super::parse(&text(false)).unwrap_err();
        assert!(err.contains("has no `required` field"), "{err}");
        super::parse(&text(true)).unwrap();
    }
}
