//! `DescribeImageSharePermission`: who an image is shared with. Not paged.

use imgshare_core::decode::lenient;
use serde::Deserialize;

use crate::Client;
use crate::types::SharePermission;

/// Output of [`DescribeImageSharePermission`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DescribeImageSharePermissionOutput {
    /// The accounts the image is shared with (empty when none).
    #[serde(
        rename = "SharePermissionSet",
        default,
        deserialize_with = "lenient::list"
    )]
    pub share_permissions: Vec<SharePermission>,
    /// The request id.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

imgshare_core::model_builder!(DescribeImageSharePermissionOutput => DescribeImageSharePermissionOutputBuilder {
    share_permissions: Vec<SharePermission>,
    request_id: String,
});

impl DescribeImageSharePermissionOutput {
    /// The account ids, in Tencent's order.
    pub fn account_ids(&self) -> impl Iterator<Item = &str> {
        self.share_permissions.iter().map(|p| p.account_id.as_str())
    }
}

imgshare_core::declare_operation! {
    /// Lists the accounts an image is shared with.
    operation DescribeImageSharePermission {
        wire_name: "DescribeImageSharePermission",
        idempotent: true,
        client: Client,
        input: DescribeImageSharePermissionInput,
        input_builder: DescribeImageSharePermissionInputBuilder,
        fluent_builder: DescribeImageSharePermissionFluentBuilder,
        output: DescribeImageSharePermissionOutput,
        validate: crate::validate::describe_share_permission,
        constants: {},
        required: {
            /// The image, `img-` + 8 lowercase letters or digits.
            image_id: String => "ImageId",
        },
        optional: {},
        lists: {},
    }
}
