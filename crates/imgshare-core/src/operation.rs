//! Declaring operations once.
//!
//! [`declare_operation!`](crate::declare_operation) writes, for one operation: the marker type implementing
//! [`Operation`], the input struct with getters, the input builder, the by-value fluent builder
//! (`client.op().field(x).send().await`; list setters append, `set_*` replaces), the
//! required-field check, an optional validation hook and the wire encoding (via
//! [`ToWire`](crate::wire::ToWire)). The provider crate writes the output type (a serde struct)
//! and implements [`Execute`] once for its client, for every operation.

use std::future::Future;

use crate::error::InvalidInput;
use crate::wire::WireValue;

/// An operation of a provider API.
pub trait Operation: Send + Sync + 'static {
    /// The name on the wire (`ModifyImageSharePermission`).
    const WIRE_NAME: &'static str;
    /// Whether repeating it is harmless; mutating operations are `false`.
    const IDEMPOTENT: bool;
    /// The input.
    type Input: Send + Sync + std::fmt::Debug + 'static;
    /// The output.
    type Output;
    /// The input's fields on the wire, in declaration order, absent optionals and empty lists
    /// left out.
    fn wire_fields(input: &Self::Input) -> Vec<(&'static str, WireValue)>;
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

/// Declares one operation. See the module docs. Required and optional field types are single
/// identifiers (`String`, `u64`, a model type; use a `type` alias for anything longer); list
/// item types may be any type. The shape is:
///
/// ```
/// use imgshare_core::error::InvalidInput;
/// use imgshare_core::operation::{Execute, Operation};
///
/// /// A provider client (here one that only shows the JSON it would send).
/// #[derive(Debug, Clone)]
/// pub struct Client;
///
/// /// The output, normally a serde type decoded from the response.
/// #[derive(Debug)]
/// pub struct ShareImageOutput {
///     pub json: String,
/// }
///
/// fn check_share(input: &ShareImageInput) -> Result<(), InvalidInput> {
///     match input.image_id().starts_with("img-") {
///         true => Ok(()),
///         false => Err(InvalidInput::new("image_id", "must start with `img-`")),
///     }
/// }
///
/// imgshare_core::declare_operation! {
///     /// Shares an image with accounts.
///     operation ShareImage {
///         wire_name: "ModifyImageSharePermission",
///         idempotent: false,
///         client: Client,
///         input: ShareImageInput,
///         input_builder: ShareImageInputBuilder,
///         fluent_builder: ShareImageFluentBuilder,
///         output: ShareImageOutput,
///         validate: check_share,                  // optional: fn(&Input) -> Result<(), InvalidInput>
///         constants: { "Permission" => "SHARE" }, // fixed wire fields
///         required: {
///             /// The image.
///             image_id: String => "ImageId",
///         },
///         optional: {},
///         lists: {
///             /// An account to share with (appends; `set_account_ids` replaces the list).
///             account_ids / account_id / set_account_ids: String => "AccountIds",
///         },
///     }
/// }
///
/// // Written once per provider, for every operation.
/// impl Execute<ShareImage> for Client {
///     type Error = InvalidInput;
///     async fn execute(&self, input: ShareImageInput) -> Result<ShareImageOutput, InvalidInput> {
///         let body = imgshare_core::wire::to_json(&ShareImage::wire_fields(&input));
///         Ok(ShareImageOutput { json: String::from_utf8_lossy(&body).into_owned() })
///     }
/// }
///
/// impl Client {
///     pub fn share_image(&self) -> ShareImageFluentBuilder {
///         ShareImageFluentBuilder::new(self.clone())
///     }
/// }
///
/// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let sent = runtime
///     .block_on(Client.share_image().image_id("img-1").account_id("100").account_id("200").send())
///     .unwrap();
/// assert_eq!(sent.json, r#"{"ImageId":"img-1","AccountIds":["100","200"],"Permission":"SHARE"}"#);
///
/// let err = runtime.block_on(Client.share_image().account_id("100").send()).unwrap_err();
/// assert_eq!(err.field(), "image_id"); // required, and checked before anything is sent
/// ```
#[macro_export]
macro_rules! declare_operation {
    (
        $(#[$op_meta:meta])*
        operation $op:ident {
            wire_name: $wire_name:literal,
            idempotent: $idempotent:literal,
            client: $client:ty,
            input: $input:ident,
            input_builder: $input_builder:ident,
            fluent_builder: $fluent:ident,
            output: $output:ty,
            $(validate: $validate:path,)?
            constants: { $($cname:literal => $cvalue:literal),* $(,)? },
            required: { $($(#[$r_meta:meta])* $r_field:ident : $r_ty:tt => $r_wire:literal),* $(,)? },
            optional: { $($(#[$o_meta:meta])* $o_field:ident : $o_ty:tt => $o_wire:literal),* $(,)? },
            lists: { $($(#[$l_meta:meta])* $l_field:ident / $l_item:ident / $l_set:ident : $l_ty:ty => $l_wire:literal),* $(,)? } $(,)?
        }
    ) => {
        $(#[$op_meta])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $op;

        impl $crate::operation::Operation for $op {
            const WIRE_NAME: &'static str = $wire_name;
            const IDEMPOTENT: bool = $idempotent;
            type Input = $input;
            type Output = $output;
            fn wire_fields(input: &$input) -> ::std::vec::Vec<(&'static str, $crate::wire::WireValue)> {
                #[allow(unused_mut)]
                let mut fields: ::std::vec::Vec<(&'static str, $crate::wire::WireValue)> = ::std::vec::Vec::new();
                $( fields.push(($r_wire, $crate::wire::ToWire::to_wire(&input.$r_field))); )*
                $( if let ::std::option::Option::Some(v) = &input.$o_field {
                    fields.push(($o_wire, $crate::wire::ToWire::to_wire(v)));
                } )*
                // An empty list is left out, as an unset optional is: APIs such as DescribeImages
                // treat a present-but-empty list as given.
                $( if !input.$l_field.is_empty() {
                    fields.push(($l_wire, $crate::wire::ToWire::to_wire(&input.$l_field)));
                } )*
                $( fields.push(($cname, $crate::wire::WireValue::Str(::std::string::String::from($cvalue)))); )*
                fields
            }
        }

        #[doc = concat!("Input of [`", stringify!($op), "`]. Build it with [`", stringify!($input_builder), "`].")]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $input {
            $( $r_field: $r_ty, )*
            $( $o_field: ::std::option::Option<$o_ty>, )*
            $( $l_field: ::std::vec::Vec<$l_ty>, )*
        }

        impl $input {
            /// A builder for this input.
            pub fn builder() -> $input_builder {
                $input_builder::default()
            }
            $( $(#[$r_meta])* pub fn $r_field(&self) -> &$r_ty { &self.$r_field } )*
            $( $(#[$o_meta])* pub fn $o_field(&self) -> ::std::option::Option<&$o_ty> { self.$o_field.as_ref() } )*
            $( $(#[$l_meta])* pub fn $l_field(&self) -> &[$l_ty] { &self.$l_field } )*
        }

        #[doc = concat!("Builds [`", stringify!($input), "`]: setters by value, lists append, `set_*` replaces.")]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $input_builder {
            $( $r_field: ::std::option::Option<$r_ty>, )*
            $( $o_field: ::std::option::Option<$o_ty>, )*
            $( $l_field: ::std::vec::Vec<$l_ty>, )*
        }

        impl $input_builder {
            $(
                $(#[$r_meta])*
                #[doc = ""]
                #[doc = "Required."]
                pub fn $r_field(mut self, value: $crate::__setter_param!($r_ty)) -> Self {
                    self.$r_field = ::std::option::Option::Some(value.into());
                    self
                }
            )*
            $(
                $(#[$o_meta])*
                pub fn $o_field(mut self, value: $crate::__setter_param!($o_ty)) -> Self {
                    self.$o_field = ::std::option::Option::Some(value.into());
                    self
                }
            )*
            $(
                $(#[$l_meta])*
                #[doc = ""]
                #[doc = "Appends one item; call it once per item."]
                pub fn $l_item(mut self, item: impl ::std::convert::Into<$l_ty>) -> Self {
                    self.$l_field.push(item.into());
                    self
                }
            )*
            $(
                $(#[$l_meta])*
                #[doc = ""]
                #[doc = "Replaces the whole list (`None` empties it)."]
                pub fn $l_set(mut self, items: ::std::option::Option<::std::vec::Vec<$l_ty>>) -> Self {
                    self.$l_field = items.unwrap_or_default();
                    self
                }
            )*

            /// Checks required fields (and the operation's own rules) and builds the input.
            pub fn build(self) -> ::std::result::Result<$input, $crate::error::InvalidInput> {
                let input = $input {
                    $( $r_field: self.$r_field.ok_or_else(|| $crate::error::InvalidInput::missing(stringify!($r_field)))?, )*
                    $( $o_field: self.$o_field, )*
                    $( $l_field: self.$l_field, )*
                };
                $( $validate(&input)?; )?
                ::std::result::Result::Ok(input)
            }
        }

        #[doc = concat!("Fluent builder of [`", stringify!($op), "`]: set fields, then `.send().await`.")]
        #[derive(Debug, Clone)]
        #[must_use = "nothing is sent until `.send().await`"]
        pub struct $fluent {
            client: $client,
            inner: $input_builder,
        }

        impl $fluent {
            pub(crate) fn new(client: $client) -> Self {
                Self { client, inner: $input_builder::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &$input_builder {
                &self.inner
            }

            $(
                $(#[$r_meta])*
                #[doc = ""]
                #[doc = "Required."]
                pub fn $r_field(mut self, value: $crate::__setter_param!($r_ty)) -> Self {
                    self.inner = self.inner.$r_field(value);
                    self
                }
            )*
            $(
                $(#[$o_meta])*
                pub fn $o_field(mut self, value: $crate::__setter_param!($o_ty)) -> Self {
                    self.inner = self.inner.$o_field(value);
                    self
                }
            )*
            $(
                $(#[$l_meta])*
                #[doc = ""]
                #[doc = "Appends one item; call it once per item."]
                pub fn $l_item(mut self, item: impl ::std::convert::Into<$l_ty>) -> Self {
                    self.inner = self.inner.$l_item(item);
                    self
                }
            )*
            $(
                $(#[$l_meta])*
                #[doc = ""]
                #[doc = "Replaces the whole list (`None` empties it)."]
                pub fn $l_set(mut self, items: ::std::option::Option<::std::vec::Vec<$l_ty>>) -> Self {
                    self.inner = self.inner.$l_set(items);
                    self
                }
            )*

            /// Validates the input, then sends the request and decodes the answer. Bad input
            /// fails here, before anything is sent.
            pub async fn send(
                self,
            ) -> ::std::result::Result<$output, <$client as $crate::operation::Execute<$op>>::Error> {
                let input = self.inner.build()?;
                <$client as $crate::operation::Execute<$op>>::execute(&self.client, input).await
            }
        }
    };
}

/// The parameter type of a scalar setter: primitives by value (so `.limit(7)` compiles),
/// everything else `impl Into<T>` (so `.image_id("img-1")` does).
#[doc(hidden)]
#[macro_export]
macro_rules! __setter_param {
    (u8) => { u8 };
    (u16) => { u16 };
    (u32) => { u32 };
    (u64) => { u64 };
    (i8) => { i8 };
    (i16) => { i16 };
    (i32) => { i32 };
    (i64) => { i64 };
    (bool) => { bool };
    ($ty:tt) => { impl ::std::convert::Into<$ty> };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, dead_code, unreachable_pub)]
    //! A small internal example operation, declared with the macro and sent through a client
    //! that only encodes what it would send.

    use super::*;
    use crate::wire::{ListBase, to_form, to_json, to_pairs};

    #[derive(Debug, Clone, Default)]
    pub struct EchoClient;

    #[derive(Debug, PartialEq)]
    pub struct Echo {
        json: String,
        form: String,
    }

    fn no_reserved_ids(input: &ExampleShareInput) -> Result<(), InvalidInput> {
        match input.account_ids().iter().position(|a| a.is_empty()) {
            Some(i) => Err(InvalidInput::new(format!("account_ids[{i}]"), "is empty")),
            None => Ok(()),
        }
    }

    crate::declare_operation! {
        /// An example: shares an image.
        operation ExampleShare {
            wire_name: "ExampleShare",
            idempotent: false,
            client: EchoClient,
            input: ExampleShareInput,
            input_builder: ExampleShareInputBuilder,
            fluent_builder: ExampleShareFluentBuilder,
            output: Echo,
            validate: no_reserved_ids,
            constants: { "Permission" => "SHARE" },
            required: {
                /// The image.
                image_id: String => "ImageId",
            },
            optional: {
                /// A note.
                note: String => "Note",
                /// A limit.
                limit: u32 => "Limit",
            },
            lists: {
                /// Accounts.
                account_ids / account_id / set_account_ids: String => "AccountIds",
            },
        }
    }

    impl Execute<ExampleShare> for EchoClient {
        type Error = InvalidInput;
        async fn execute(&self, input: ExampleShareInput) -> Result<Echo, InvalidInput> {
            let fields = ExampleShare::wire_fields(&input);
            Ok(Echo {
                json: String::from_utf8(to_json(&fields)).unwrap(),
                form: to_form(&to_pairs(&fields, ListBase::One)),
            })
        }
    }

    impl EchoClient {
        fn example_share(&self) -> ExampleShareFluentBuilder {
            ExampleShareFluentBuilder::new(self.clone())
        }
    }

    #[tokio::test]
    async fn fluent_builder_encodes_declared_fields() {
        let echo = EchoClient
            .example_share()
            .image_id("img-1")
            .account_id("a@x.com")
            .account_id("b")
            .limit(5)
            .send()
            .await
            .unwrap();
        assert_eq!(
            echo.json,
            r#"{"ImageId":"img-1","Limit":5,"AccountIds":["a@x.com","b"],"Permission":"SHARE"}"#
        );
        assert_eq!(
            echo.form,
            "ImageId=img-1&Limit=5&AccountIds.1=a%40x.com&AccountIds.2=b&Permission=SHARE"
        );
    }

    #[tokio::test]
    async fn missing_required_field_is_named() {
        let err = EchoClient
            .example_share()
            .account_id("a")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.field(), "image_id");
        assert!(err.to_string().contains("`image_id` is required"), "{err}");
    }

    #[tokio::test]
    async fn validation_hook_runs_before_sending() {
        let err = EchoClient
            .example_share()
            .image_id("img-1")
            .account_id("a")
            .account_id("")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.field(), "account_ids[1]");
    }

    #[tokio::test]
    async fn empty_lists_and_unset_optionals_stay_off_the_wire() {
        let fields =
            ExampleShare::wire_fields(&ExampleShareInput::builder().image_id("i").build().unwrap());
        let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["ImageId", "Permission"]);
    }

    #[test]
    fn list_setters_append_and_set_replaces() {
        let b = ExampleShareInput::builder()
            .image_id("i")
            .account_id("a")
            .account_id("b");
        assert_eq!(b.clone().build().unwrap().account_ids(), ["a", "b"]);
        let replaced = b.set_account_ids(Some(vec!["c".into()])).build().unwrap();
        assert_eq!(replaced.account_ids(), ["c"]);
        assert_eq!(replaced.note(), None);
        assert_eq!(replaced.image_id(), "i");
    }
}
