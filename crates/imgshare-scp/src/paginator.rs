//! Paging through `listImages` with `limit`/`marker` (Glance-style keyset paging): each page
//! starts after the previous page's last image; a page shorter than `limit` is the last.

use crate::error::ScpError;
use crate::operation::ListImagesFluentBuilder;
use crate::types::{Image, ListImagesOutput};

/// The page size the paginator asks for when none is set (the API maximum, as the official
/// provider asks).
pub const DEFAULT_PAGE_SIZE: u32 = 1000;

impl ListImagesFluentBuilder {
    /// Walks all pages: each [`ListImagesPaginator::next_page`] sends one request, with `marker`
    /// set to the last image id of the page before. The builder's `limit` is the page size
    /// (default [`DEFAULT_PAGE_SIZE`]); its `marker`, if any, is where the walk starts.
    pub fn into_paginator(self) -> ListImagesPaginator {
        let limit = self.get_limit().unwrap_or(DEFAULT_PAGE_SIZE);
        ListImagesPaginator {
            builder: self.limit(limit),
            limit,
            done: false,
        }
    }
}

/// Pages through `listImages`.
#[derive(Debug)]
pub struct ListImagesPaginator {
    builder: ListImagesFluentBuilder,
    limit: u32,
    done: bool,
}

impl ListImagesPaginator {
    /// The next page, or `None` after the last one. After an error, calling it again retries
    /// the same page.
    pub async fn next_page(&mut self) -> Option<Result<ListImagesOutput, ScpError>> {
        if self.done {
            return None;
        }
        match self.builder.clone().send().await {
            Ok(page) => {
                let last = page.images.last().map(|i| i.id.clone());
                let previous = self.builder.get_marker().map(str::to_owned);
                match last {
                    // A short page is the last; a marker that does not move would loop.
                    Some(last)
                        if page.images.len() >= self.limit as usize
                            && previous.as_deref() != Some(last.as_str()) =>
                    {
                        self.builder = self.builder.clone().marker(last);
                    }
                    _ => self.done = true,
                }
                Some(Ok(page))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// Every image of every page.
    ///
    /// # Errors
    ///
    /// The first page's error.
    pub async fn collect_all(mut self) -> Result<Vec<Image>, ScpError> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?.images);
        }
        Ok(all)
    }
}
