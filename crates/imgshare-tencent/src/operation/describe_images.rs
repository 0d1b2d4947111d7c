//! `DescribeImages`: list images, including those shared with the caller (`SHARED_IMAGE`).
//! Paged with Offset/Limit; see [`DescribeImagesFluentBuilder::into_paginator`].

use imgshare_core::decode::lenient;
use serde::Deserialize;

use crate::Client;
use crate::error::TencentError;
use crate::types::{Filter, Image};

/// Output of [`DescribeImages`]: one page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct DescribeImagesOutput {
    /// The images on this page.
    #[serde(rename = "ImageSet", default, deserialize_with = "lenient::list")]
    pub images: Vec<Image>,
    /// How many images match in all.
    #[serde(rename = "TotalCount", default, deserialize_with = "lenient::number")]
    pub total_count: u64,
    /// The request id.
    #[serde(rename = "RequestId", default)]
    pub request_id: String,
}

imgshare_core::model_builder!(DescribeImagesOutput => DescribeImagesOutputBuilder {
    images: Vec<Image>,
    total_count: u64,
    request_id: String,
});

imgshare_core::declare_operation! {
    /// Lists images. Give image ids or filters (not both). Tencent returns 20 per page by
    /// default, at most 100.
    operation DescribeImages {
        wire_name: "DescribeImages",
        idempotent: true,
        client: Client,
        input: DescribeImagesInput,
        input_builder: DescribeImagesInputBuilder,
        fluent_builder: DescribeImagesFluentBuilder,
        output: DescribeImagesOutput,
        validate: crate::validate::describe_images,
        constants: {},
        required: {},
        optional: {
            /// Index of the first image to return (default 0).
            offset: u64 => "Offset",
            /// Page size, 1 to 100 (default 20).
            limit: u64 => "Limit",
            /// Only images usable by this instance type (`SA5.MEDIUM2`).
            instance_type: String => "InstanceType",
        },
        lists: {
            /// An image id to describe (not with filters).
            image_ids / image_id / set_image_ids: String => "ImageIds",
            /// A filter (not with image ids); see [`Filter`].
            filters / filter / set_filters: Filter => "Filters",
        },
    }
}

impl DescribeImagesFluentBuilder {
    /// Walks all pages: each [`DescribeImagesPaginator::next_page`] sends one request, advancing
    /// `Offset` by the page size until `TotalCount` images were returned.
    pub fn into_paginator(self) -> DescribeImagesPaginator {
        DescribeImagesPaginator {
            builder: self,
            next_offset: None,
            done: false,
        }
    }
}

/// Pages through `DescribeImages`.
#[derive(Debug)]
pub struct DescribeImagesPaginator {
    builder: DescribeImagesFluentBuilder,
    next_offset: Option<u64>,
    done: bool,
}

impl DescribeImagesPaginator {
    /// The next page, or `None` after the last one. After an error, calling it again retries
    /// the same page.
    pub async fn next_page(&mut self) -> Option<Result<DescribeImagesOutput, TencentError>> {
        if self.done {
            return None;
        }
        let input = self.builder.as_input();
        let start = self.next_offset.unwrap_or_else(|| {
            input
                .clone()
                .build()
                .ok()
                .and_then(|i| i.offset().copied())
                .unwrap_or(0)
        });
        let request = self.builder.clone().offset(start);
        match request.send().await {
            Ok(page) => {
                let next = start + page.images.len() as u64;
                if page.images.is_empty() || next >= page.total_count {
                    self.done = true;
                }
                self.next_offset = Some(next);
                Some(Ok(page))
            }
            // The offset stays put: calling `next_page` again retries the failed page.
            Err(e) => Some(Err(e)),
        }
    }

    /// Every image of every page.
    pub async fn collect_all(mut self) -> Result<Vec<Image>, TencentError> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?.images);
        }
        Ok(all)
    }
}
