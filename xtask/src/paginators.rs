//! Paginators: an operation's `[operation.paginator]` table becomes, in `paginator.rs` beside
//! the operations file, `impl Page for` its output, a `<Operation>Paginator` alias of
//! `imgshare_core::paginate::Paginator` and `into_paginator()` on its fluent builder.
//!
//! ```toml
//! [operation.paginator]
//! style = "offset"          # "offset" (offset/limit), "page" (page number/size) or "token"
//! offset = "offset"         # the input field with the offset ("page" or "token" for the others)
//! size = "limit"            # the input field with the page size
//! items = "images"          # the output field with the items
//! item = "crate::types::Image"
//! total = "total_count"     # optional: the output field with the total (a u64)
//! default_page_size = 100
//! stop_on_short_page = false  # default true
//! # first_page = 1          # "page" style: the first page number (default 1)
//! # next_token = "last_item.id"  # "token" style: an output field (Option<String>), or a field
//! #                               # of the last item when the marker is the last item's id
//! ```

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::api::{Api, Field, Operation};
use crate::generate::{doc, header};

/// How an operation pages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Paginator {
    /// `offset`, `page` or `token`.
    pub(crate) style: String,
    /// Offset style: the input field with the offset.
    pub(crate) offset: Option<String>,
    /// Page style: the input field with the page number.
    pub(crate) page: Option<String>,
    /// Page style: the first page's number (default 1); a smaller number set on the builder
    /// is raised to it.
    pub(crate) first_page: Option<u64>,
    /// Token style: the input field with the token.
    pub(crate) token: Option<String>,
    /// Token style: the output field with the next token, or `last_item.<field>`.
    pub(crate) next_token: Option<String>,
    /// The input field with the page size.
    pub(crate) size: String,
    /// The output field with the items.
    pub(crate) items: String,
    /// The item type (a path, or a name imported by `uses`).
    pub(crate) item: String,
    /// The output field with the total number of items, a `u64`.
    pub(crate) total: Option<String>,
    pub(crate) default_page_size: u64,
    /// Whether a page shorter than the page size ends the walk (default true).
    pub(crate) stop_on_short_page: Option<bool>,
    /// Extra documentation for `into_paginator()`.
    pub(crate) doc: Option<String>,
}

const INTEGERS: &[&str] = &["u32", "u64"];

fn field<'a>(op: &'a Operation, name: &str) -> Result<&'a Field, String> {
    op.fields
        .iter()
        .find(|f| f.name == name)
        .filter(|f| !f.list)
        .ok_or_else(|| format!("no single-valued input field `{name}`"))
}

/// The position field (offset, page number or token) and the Rust type it must have.
fn position(p: &Paginator) -> Result<(&str, &'static [&'static str]), String> {
    let (name, types) = match p.style.as_str() {
        "offset" => (&p.offset, INTEGERS),
        "page" => (&p.page, INTEGERS),
        "token" => (&p.token, &["String"][..]),
        other => return Err(format!("unknown style `{other}` (offset, page, token)")),
    };
    let name = name
        .as_deref()
        .ok_or_else(|| format!("style `{0}` needs `{0}`, the input field it sets", p.style))?;
    Ok((name, types))
}

pub(crate) fn check(op: &Operation, p: &Paginator) -> Result<(), String> {
    let (name, types) = position(p)?;
    let stray = [
        ("offset", p.offset.is_some() && p.style != "offset"),
        ("page", p.page.is_some() && p.style != "page"),
        ("first_page", p.first_page.is_some() && p.style != "page"),
        ("token", p.token.is_some() && p.style != "token"),
        ("next_token", p.next_token.is_some() && p.style != "token"),
    ];
    if let Some((key, _)) = stray.iter().find(|(_, stray)| *stray) {
        return Err(format!("`{key}` does not apply to style `{}`", p.style));
    }
    if p.style == "token" && p.next_token.is_none() {
        return Err("style `token` needs `next_token`".into());
    }
    let position = field(op, name)?;
    if !types.contains(&position.ty.as_str()) {
        return Err(format!("`{name}` must be of type {}", types.join(" or ")));
    }
    let size = field(op, &p.size)?;
    if !INTEGERS.contains(&size.ty.as_str()) {
        return Err(format!("`{}` must be of type u32 or u64", p.size));
    }
    if p.default_page_size == 0 {
        return Err("default_page_size must be at least 1".into());
    }
    if size.ty == "u32" && u32::try_from(p.default_page_size).is_err() {
        return Err("default_page_size does not fit the size field's u32".into());
    }
    if op.output == "()" {
        return Err("a paged operation needs an output".into());
    }
    Ok(())
}

/// The paginators file, when some operation is paged.
pub(crate) fn file(api: &Api, source: &str) -> Result<Option<(String, String)>, String> {
    let paged: Vec<(&Operation, &Paginator)> = api
        .operations
        .iter()
        .filter_map(|op| op.paginator.as_ref().map(|p| (op, p)))
        .collect();
    let Some((first, _)) = paged.first() else {
        return Ok(None);
    };
    let output = Path::new(&api.output);
    let module = output
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| format!("cannot name the module of {}", api.output))?;
    let path = output.with_file_name("paginator.rs").display().to_string();

    let mut out = String::new();
    header(&mut out, source);
    let crate_name = Path::new(source)
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .unwrap_or("crate")
        .replace('-', "_");
    let _ = write!(
        out,
        "//! Paging through the list operations, declared in `api.toml`: `into_paginator()` on a\n\
         //! paged operation's fluent builder returns a [`Paginator`] (from `imgshare-core`, the same\n\
         //! for every provider), which gives the pages one at a time ([`Paginator::next_page`]), as a\n\
         //! [`Stream`] of pages ([`Paginator::pages`]) or of items ([`Paginator::items`]), or all\n\
         //! items at once ([`Paginator::collect_all`]).\n\
         //!\n\
         //! ```no_run\n\
         //! # async fn demo(client: {crate_name}::Client) -> Result<(), Box<dyn std::error::Error>> {{\n\
         //! let mut items = client.{method}().into_paginator().items();\n\
         //! while let Some(item) = items.next().await {{\n\
         //!     println!(\"{{:?}}\", item?);\n\
         //! }}\n\
         //! # Ok(()) }}\n\
         //! ```\n\n",
        method = crate::generate::snake(&first.name),
    );

    let mut imports = BTreeSet::new();
    let mut operations = BTreeSet::new();
    for (op, p) in &paged {
        imports.insert(resolve(api, &op.output)?);
        resolve(api, &p.item)?;
        operations.insert(op.name.clone());
        operations.insert(format!("{}FluentBuilder", op.name));
    }
    out.push_str(
        "use imgshare_core::operation::Execute;\n\
         pub use imgshare_core::paginate::{ItemStream, Page, PageStream, Paginator, Stream};\n\n",
    );
    let _ = writeln!(
        out,
        "use super::{module}::{{{}}};",
        operations.into_iter().collect::<Vec<_>>().join(", ")
    );
    for path in imports {
        if path.contains("::") {
            let _ = writeln!(out, "use {path};");
        }
    }

    // One default page size for the crate, when every paginator agrees.
    let sizes: BTreeSet<(u64, &str)> = paged
        .iter()
        .map(|(op, p)| Ok((p.default_page_size, field(op, &p.size)?.ty.as_str())))
        .collect::<Result<_, String>>()?;
    let shared = (sizes.len() == 1).then(|| sizes.first().copied()).flatten();
    if let Some((size, ty)) = shared {
        let _ = writeln!(
            out,
            "\n/// The page size a paginator asks for when the builder sets none.\n\
             pub const DEFAULT_PAGE_SIZE: {ty} = {size};"
        );
    }

    let client = &api.client;
    for (op, p) in &paged {
        paginator(&mut out, api, op, p, client, shared.is_some())?;
    }
    Ok(Some((path, out)))
}

/// The Rust type for `name`: itself when it is a path, else the path `uses` imports it from.
fn resolve(api: &Api, name: &str) -> Result<String, String> {
    if name.contains("::") {
        return Ok(name.to_owned());
    }
    for path in &api.uses {
        if let Some((prefix, group)) = path.split_once("::{") {
            let names = group.trim_end_matches('}');
            if names.split(',').any(|n| n.trim() == name) {
                return Ok(format!("{prefix}::{name}"));
            }
        } else if path.rsplit("::").next() == Some(name) {
            return Ok(path.clone());
        }
    }
    Err(format!(
        "type `{name}` is neither a path nor imported by `uses`"
    ))
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

fn paginator(
    out: &mut String,
    api: &Api,
    op: &Operation,
    p: &Paginator,
    client: &str,
    shared_default: bool,
) -> Result<(), String> {
    let name = &op.name;
    let output = last_segment(&op.output);
    let item = resolve(api, &p.item)?;
    let (position, _) = position(p)?;
    let position_field = field(op, position)?;
    let size_field = field(op, &p.size)?;
    let stop_on_short_page = p.stop_on_short_page.unwrap_or(true);

    // The output is a page.
    let _ = writeln!(
        out,
        "\nimpl Page for {output} {{\n\
         type Item = {item};\n\
         fn items(&self) -> &[Self::Item] {{ &self.{items} }}\n\
         fn into_items(self) -> Vec<Self::Item> {{ self.{items} }}",
        items = p.items
    );
    if let Some(total) = &p.total {
        let _ = writeln!(
            out,
            "fn total(&self) -> Option<u64> {{ Some(self.{total}) }}"
        );
    }
    if let Some(next) = &p.next_token {
        let body = match next.strip_prefix("last_item.") {
            Some(field) => format!("self.{}.last().map(|item| item.{field}.clone())", p.items),
            None => format!("self.{next}.clone()"),
        };
        let _ = writeln!(out, "fn next_token(&self) -> Option<String> {{ {body} }}");
    }
    out.push_str("}\n");

    // The alias.
    out.push('\n');
    doc(
        out,
        &wrap(
            &format!("Pages through [`{name}`]; from [`{name}FluentBuilder::into_paginator`]."),
            0,
        ),
    );
    let _ = writeln!(
        out,
        "pub type {name}Paginator = Paginator<{output}, <{client} as Execute<{name}>>::Error>;"
    );

    // into_paginator().
    let default = if shared_default {
        "DEFAULT_PAGE_SIZE".to_owned()
    } else {
        p.default_page_size.to_string()
    };
    let position_wire = &position_field.wire;
    let next_token = match p.next_token.as_deref().unwrap_or_default() {
        next if next.starts_with("last_item.") => {
            format!("last item's `{}`", next.trim_start_matches("last_item."))
        }
        next => format!("`{next}`"),
    };
    let size_wire = &size_field.wire;
    let mut text = match p.style.as_str() {
        "offset" => format!(
            "Walks every page of [`{name}`]: `{position_wire}` starts at the builder's `{position}` \
             (or 0) and advances by the items received;"
        ),
        "page" => format!(
            "Walks every page of [`{name}`]: `{position_wire}` starts at the builder's `{position}` \
             (or {first}, the first page) and counts up;",
            first = p.first_page.unwrap_or(1)
        ),
        _ => format!(
            "Walks every page of [`{name}`]: the first page starts after the builder's \
             `{position}`, if any, each next one after the previous page's {next_token} (sent as \
             `{position_wire}`);"
        ),
    };
    let default_text = if shared_default {
        format!("[`DEFAULT_PAGE_SIZE`] ({})", p.default_page_size)
    } else {
        p.default_page_size.to_string()
    };
    let _ = write!(
        text,
        " `{size_wire}` is the builder's `{}`, or {default_text} when it sets none (change it \
         with [`Paginator::page_size`]).\n\nThe walk ends after an empty page",
        p.size
    );
    let mut ends = Vec::new();
    if stop_on_short_page {
        ends.push("a page shorter than the page size".to_owned());
    }
    if let Some(total) = &p.total {
        ends.push(if p.style == "offset" {
            format!("once the offset reaches the page's `{total}`")
        } else {
            format!("once the pages' items add up to the `{total}` they report")
        });
    }
    if p.style == "token" {
        ends.push("when the next token is missing or was seen before".to_owned());
    }
    for (i, end) in ends.iter().enumerate() {
        text.push_str(if i + 1 == ends.len() { ", or " } else { ", " });
        text.push_str(end);
    }
    text.push('.');
    if let Some(extra) = &p.doc {
        let _ = write!(text, "\n\n{}", extra.trim());
    }

    let get = |f: &Field, fallback: &str| {
        let value = format!("self.get_{}()", f.name);
        match f.ty.as_str() {
            "u64" => format!("{value}.unwrap_or({fallback})"),
            "u32" => format!("u64::from({value}.unwrap_or({fallback}))"),
            _ => format!("{value}.map(str::to_owned)"),
        }
    };
    let set = |f: &Field, var: &str| match f.ty.as_str() {
        "u32" => format!(".{}(u32::try_from({var}).unwrap_or(u32::MAX))", f.name),
        "String" => format!(".set_{}({var})", f.name),
        _ => format!(".{}({var})", f.name),
    };
    let (start, constructor) = match p.style.as_str() {
        "offset" => (get(position_field, "0"), "offset"),
        "page" => {
            let first = p.first_page.unwrap_or(1);
            (
                format!("{}.max({first})", get(position_field, &first.to_string())),
                "page_number",
            )
        }
        _ => (get(position_field, ""), "token"),
    };
    let default_cast = if size_field.ty == "u64" || shared_default {
        default.clone()
    } else {
        format!("{default}_u32")
    };
    let _ = writeln!(out, "\nimpl {name}FluentBuilder {{");
    doc(out, &wrap(&text, 4));
    let _ = writeln!(
        out,
        "pub fn into_paginator(self) -> {name}Paginator {{\n\
         let start = {start};\n\
         let page_size = {size};\n\
         Paginator::{constructor}(start, page_size, move |position, size| {{\n\
         self.clone(){set_position}{set_size}.send()\n\
         }}){short}\n\
         }}\n}}",
        size = get(size_field, &default_cast),
        set_position = set(position_field, "position"),
        set_size = set(size_field, "size"),
        short = if stop_on_short_page {
            ""
        } else {
            ".stop_on_short_page(false)"
        },
    );
    Ok(())
}

/// Wraps text for a `///` comment indented by `indent`, so lines stay within 100 columns;
/// paragraphs (blank-line separated) stay apart.
pub(crate) fn wrap(text: &str, indent: usize) -> String {
    let width = 100 - indent - 4;
    let mut out = String::new();
    for (i, paragraph) in text.trim().split("\n\n").enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        let mut line = 0;
        for word in paragraph.split_whitespace() {
            if line > 0 && line + 1 + word.len() > width {
                out.push('\n');
                line = 0;
            } else if line > 0 {
                out.push(' ');
                line += 1;
            }
            out.push_str(word);
            line += word.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::api;

    /// An api.toml with one list operation, its paginator table given.
    fn api(paginator: &str) -> Result<crate::api::Api, String> {
        api::parse(&format!(
            r#"
output = "src/operation.rs"
client = "crate::Client"
uses = ["crate::types::{{ListOutput, Thing}}"]

[[operation]]
name = "ListThings"
doc = "Lists things."
method = "GET"
path = "/things"
idempotent = true
output = "ListOutput"

[[operation.field]]
name = "offset"
wire = "offset"
in = "query"
type = "u64"
doc = "Offset."

[[operation.field]]
name = "marker"
wire = "marker"
in = "query"
type = "String"
doc = "Marker."

[[operation.field]]
name = "limit"
wire = "limit"
in = "query"
type = "u32"
doc = "Page size."

[operation.paginator]
{paginator}
"#
        ))
    }

    const OFFSET: &str = r#"style = "offset"
offset = "offset"
size = "limit"
items = "things"
item = "Thing"
total = "total"
default_page_size = 50"#;

    #[test]
    fn a_well_formed_paginator_generates_its_file() {
        let api = api(OFFSET).unwrap();
        let (path, text) = super::file(&api, "crates/imgshare-x/api.toml")
            .unwrap()
            .unwrap();
        assert_eq!(path, "src/paginator.rs");
        assert!(text.contains("impl Page for ListOutput"), "{text}");
        assert!(text.contains("type Item = crate::types::Thing;"), "{text}");
        assert!(
            text.contains("pub const DEFAULT_PAGE_SIZE: u32 = 50;"),
            "{text}"
        );
        assert!(
            text.contains("Paginator::offset(start, page_size"),
            "{text}"
        );
        assert!(
            text.contains(".limit(u32::try_from(size).unwrap_or(u32::MAX))"),
            "{text}"
        );
        assert!(
            text.contains("client.list_things().into_paginator()"),
            "{text}"
        );
        assert!(!text.contains("stop_on_short_page"), "{text}");
    }

    #[test]
    fn the_marker_can_be_the_last_items_field() {
        let api = api(r#"style = "token"
token = "marker"
next_token = "last_item.id"
size = "limit"
items = "things"
item = "Thing"
default_page_size = 10
stop_on_short_page = false"#)
        .unwrap();
        let (_, text) = super::file(&api, "api.toml").unwrap().unwrap();
        assert!(
            text.contains("self.things.last().map(|item| item.id.clone())"),
            "{text}"
        );
        assert!(text.contains(".set_marker(position)"), "{text}");
        assert!(text.contains(".stop_on_short_page(false)"), "{text}");
    }

    #[test]
    fn mistakes_are_refused() {
        let cases = [
            (
                OFFSET.replace("\"offset\"\noffset", "\"pages\"\noffset"),
                "unknown style",
            ),
            (
                OFFSET.replace("offset = \"offset\"", "offset = \"marker\""),
                "must be of type",
            ),
            (
                OFFSET.replace("offset = \"offset\"", "offset = \"nope\""),
                "no single-valued",
            ),
            (
                OFFSET.replace("size = \"limit\"", "size = \"marker\""),
                "u32 or u64",
            ),
            (OFFSET.replace("= 50", "= 0"), "at least 1"),
            (OFFSET.replace("= 50", "= 5000000000"), "does not fit"),
            (format!("{OFFSET}\ntoken = \"marker\""), "does not apply"),
            (
                OFFSET.replace(
                    "style = \"offset\"\noffset = \"offset\"",
                    "style = \"token\"\ntoken = \"marker\"",
                ),
                "needs `next_token`",
            ),
            (
                OFFSET.replace("item = \"Thing\"", "item = \"Other\""),
                "neither a path",
            ),
        ];
        for (toml, expected) in cases {
            let error = match api(&toml) {
                Err(e) => e,
                Ok(api) => super::file(&api, "api.toml").err().unwrap_or_default(),
            };
            assert!(
                error.contains(expected),
                "{expected}: got `{error}` for\n{toml}"
            );
        }
    }

    #[test]
    fn wrap_keeps_lines_within_100_columns() {
        let text = "word ".repeat(60);
        let wrapped = super::wrap(&format!("{text}\n\n{text}"), 4);
        assert!(wrapped.lines().all(|l| l.len() <= 92), "{wrapped}");
        assert_eq!(wrapped.matches("\n\n").count(), 1);
    }
}
