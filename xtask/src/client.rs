//! Writes a provider's `Client`: a wrapper of core's `ServiceClient` over the provider's
//! `Config` (its `Protocol`), one accessor per operation, and the one `Execute` impl.

use std::fmt::Write as _;

use crate::api::{Api, ClientSpec};
use crate::generate::{doc, header};

/// The accessor's doc: the declared one, else the operation doc's first paragraph.
fn accessor_doc(op: &crate::api::Operation) -> String {
    if let Some(text) = &op.accessor_doc {
        return text.clone();
    }
    let first = op.doc.trim().split("\n\n").next().unwrap_or_default();
    first.to_owned()
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

pub(crate) fn generate(api: &Api, spec: &ClientSpec, source: &str) -> String {
    let mut out = String::new();
    header(&mut out, source);
    out.push_str("//! The client: one per account and endpoint; cheap to clone.\n\n");
    let config = last_segment(&spec.config);
    let client = spec.name.as_deref().unwrap_or("Client");
    let operations = spec.operations.as_deref().unwrap_or("crate::operation");
    let error = last_segment(&spec.error);
    let _ = writeln!(
        out,
        "use imgshare_core::ServiceClient;\n\
         use imgshare_core::operation::{{Execute, Operation}};\n\
         use serde::de::DeserializeOwned;\n\n\
         use {};\nuse {};",
        spec.config, spec.error
    );
    for op in &api.operations {
        let _ = writeln!(out, "use {operations}::{}FluentBuilder;", op.name);
    }
    out.push('\n');
    doc(&mut out, &spec.doc);
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone)]\n\
         pub struct {client} {{\n    inner: ServiceClient<{config}>,\n}}\n\n\
         impl {client} {{\n\
         /// A client for `config`: its HTTP client, credentials cache, retries and timeouts.\n\
         ///\n/// # Errors\n///\n/// When the default HTTP client cannot be built.\n\
         pub fn new(config: {config}) -> Result<Self, {error}> {{\n\
         Ok(Self {{ inner: ServiceClient::new(config)? }})\n}}\n\n\
         /// The client's settings.\n\
         pub fn config(&self) -> &{config} {{\n    self.inner.config()\n}}"
    );
    for op in &api.operations {
        out.push('\n');
        // The accessors live outside the operations module: point its links there.
        let mut text = accessor_doc(op);
        for other in &api.operations {
            let link = format!("[`{}`]", other.name);
            text = text.replace(&link, &format!("{link}({operations}::{})", other.name));
        }
        doc(&mut out, &text);
        let _ = writeln!(
            out,
            "pub fn {method}(&self) -> {name}FluentBuilder {{\n    {name}FluentBuilder::new(self.clone())\n}}",
            method = crate::generate::snake(&op.name),
            name = op.name,
        );
    }
    let _ = writeln!(
        out,
        "}}\n\n\
         impl<Op> Execute<Op> for {client}\nwhere\n    Op: Operation,\n    Op::Output: DeserializeOwned + Send,\n{{\n\
         type Error = {error};\n\n\
         async fn execute(&self, input: Op::Input) -> Result<Op::Output, {error}> {{\n\
         Ok(self.inner.execute::<Op>(&input).await?)\n}}\n}}"
    );
    out
}
