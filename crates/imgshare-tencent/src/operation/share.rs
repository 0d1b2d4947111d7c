//! `ModifyImageSharePermission` with `Permission` = `SHARE` or `CANCEL`, exposed as two
//! operations so a call says what it does.

use serde::Deserialize;

use crate::Client;

/// Output of [`ShareImage`] and [`UnshareImage`]: Tencent returns only the request id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ModifyImageSharePermissionOutput {
    /// The request id.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

imgshare_core::model_builder!(ModifyImageSharePermissionOutput => ModifyImageSharePermissionOutputBuilder {
    request_id: String,
});

imgshare_core::declare_operation! {
    /// Shares a custom image with root accounts in the same region (`ModifyImageSharePermission`,
    /// `Permission=SHARE`). At most 500 accounts per image; the image must be `NORMAL`.
    ///
    /// Not retried after the request may have reached Tencent (the API takes no client token),
    /// only on throttling or a connection that failed before sending.
    operation ShareImage {
        wire_name: "ModifyImageSharePermission",
        idempotent: false,
        client: Client,
        input: ShareImageInput,
        input_builder: ShareImageInputBuilder,
        fluent_builder: ShareImageFluentBuilder,
        output: ModifyImageSharePermissionOutput,
        validate: crate::validate::share_image,
        constants: { "Permission" => "SHARE" },
        required: {
            /// The image to share, `img-` + 8 lowercase letters or digits.
            image_id: String => "ImageId",
        },
        optional: {},
        lists: {
            /// A root account id to share with (numeric; not a QQ number).
            account_ids / account_id / set_account_ids: String => "AccountIds",
        },
    }
}

imgshare_core::declare_operation! {
    /// Stops sharing an image with root accounts (`ModifyImageSharePermission`,
    /// `Permission=CANCEL`).
    operation UnshareImage {
        wire_name: "ModifyImageSharePermission",
        idempotent: false,
        client: Client,
        input: UnshareImageInput,
        input_builder: UnshareImageInputBuilder,
        fluent_builder: UnshareImageFluentBuilder,
        output: ModifyImageSharePermissionOutput,
        validate: crate::validate::unshare_image,
        constants: { "Permission" => "CANCEL" },
        required: {
            /// The image, `img-` + 8 lowercase letters or digits.
            image_id: String => "ImageId",
        },
        optional: {},
        lists: {
            /// A root account id to stop sharing with.
            account_ids / account_id / set_account_ids: String => "AccountIds",
        },
    }
}
