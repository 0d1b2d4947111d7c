//! Paging through `DescribeImages` with `Offset`/`Limit`.

use crate::error::TencentError;
use crate::operation::DescribeImagesFluentBuilder;
use crate::types::{DescribeImagesOutput, Image};

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
        let start = self
            .next_offset
            .unwrap_or_else(|| self.builder.get_offset().unwrap_or(0));
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
