//! Operations and how a client runs them.
//!
//! Each provider crate declares its operations once, in `api.toml`, as HTTP bindings; `cargo
//! xtask codegen` writes the Rust for them (checked in under `src/generated.rs`): the marker type
//! implementing [`Operation`], the input struct with getters, the input builder, the by-value
//! fluent builder (`client.op().field(x).send().await`; list setters append, `set_*` replaces,
//! `get_*` reads), the required-field check, an optional validation hook and the wire fields. The
//! provider crate writes the output types (serde structs) and implements [`Execute`] once for its
//! client, for every operation, by handing [`Operation::wire_fields`] to
//! [`binding::encode_request`](crate::binding::encode_request).

use std::future::Future;

use crate::binding::{HttpBinding, WireField};
use crate::error::InvalidInput;

/// An operation of a provider API.
pub trait Operation: Send + Sync + 'static {
    /// The operation's name in this SDK (`ShareImage`), for logs.
    const NAME: &'static str;
    /// The provider's name for it (`ModifyImageSharePermission`, `addServerImageSharingPermission`).
    const WIRE_NAME: &'static str;
    /// Method, path template and body kind.
    const BINDING: HttpBinding;
    /// Whether repeating it is harmless; mutating operations are `false`.
    const IDEMPOTENT: bool;
    /// The input.
    type Input: Send + Sync + std::fmt::Debug + 'static;
    /// The output.
    type Output;
    /// The input's fields with their wire names and locations, in declaration order, absent
    /// optionals and empty lists left out, constants last.
    fn wire_fields(input: &Self::Input) -> Vec<WireField>;
}

/// How a provider client runs any operation of its API.
pub trait Execute<Op: Operation> {
    /// The provider's error type; bad input converts into it.
    type Error: From<InvalidInput>;
    /// Sends the operation and decodes its output.
    fn execute(
        &self,
        input: Op::Input,
    ) -> impl Future<Output = Result<Op::Output, Self::Error>> + Send;
}
