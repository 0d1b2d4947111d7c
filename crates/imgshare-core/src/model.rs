//! Helpers for provider model types: server-controlled string enums with an `Unknown` arm, and
//! builders for `#[non_exhaustive]` structs so users can construct them in tests.

/// Declares a string enum the server may extend: known values, plus `Unknown(String)` for the
/// rest. Generates `as_str()`, infallible `From<&str>`/`From<String>`, `Display`, and serde
/// (de)serialisation as the wire string.
///
/// ```
/// imgshare_core::string_enum! {
///     /// Kind of image.
///     pub enum ImageType {
///         /// Yours.
///         Private => "PRIVATE_IMAGE",
///         /// Shared with you.
///         Shared => "SHARED_IMAGE",
///     }
/// }
/// assert_eq!(ImageType::from("SHARED_IMAGE"), ImageType::Shared);
/// assert_eq!(ImageType::from("NEW").as_str(), "NEW");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $wire:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version of the SDK does not know; the wire string is kept.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Unknown(s) => s.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                $name::from(s.as_str())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                let s: ::std::string::String = $crate::decode::lenient::string(d)?;
                ::std::result::Result::Ok($name::from(s))
            }
        }

        impl $crate::wire::ToWire for $name {
            fn to_wire(&self) -> $crate::wire::WireValue {
                $crate::wire::WireValue::Str(self.as_str().to_owned())
            }
        }
    };
}

/// Declares a by-value builder for a `#[non_exhaustive]` model struct that implements `Default`,
/// so users can construct responses in their tests: `Image::builder().image_id("img-1").build()`.
#[macro_export]
macro_rules! model_builder {
    ($model:ident => $builder:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        impl $model {
            /// A builder, starting from the default value.
            pub fn builder() -> $builder {
                $builder(<$model as ::std::default::Default>::default())
            }
        }

        #[doc = concat!("Builds a [`", stringify!($model), "`] (for tests and fakes).")]
        #[derive(Debug, Clone, Default)]
        pub struct $builder($model);

        impl $builder {
            $(
                #[doc = concat!("Sets `", stringify!($field), "`.")]
                pub fn $field(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.0.$field = value.into();
                    self
                }
            )*

            #[doc = concat!("The [`", stringify!($model), "`].")]
            pub fn build(self) -> $model {
                self.0
            }
        }
    };
}
