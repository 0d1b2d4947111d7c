//! Paging through `DescribeImages` with `Offset`/`Limit`, as a loop ([`next_page`]) or as a
//! [`Stream`] of pages ([`DescribeImagesPaginator::send`]) or of images
//! ([`DescribeImagesPaginator::items`]), the way aws-sdk-rust paginators work.
//!
//! ```no_run
//! # async fn demo(client: imgshare_tencent::Client) -> Result<(), imgshare_tencent::TencentError> {
//! use futures_util::TryStreamExt as _;
//! let mut images = client.describe_images().into_paginator().items();
//! while let Some(image) = images.try_next().await? {
//!     println!("{}", image.image_id);
//! }
//! # Ok(()) }
//! ```
//!
//! [`next_page`]: DescribeImagesPaginator::next_page

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::error::TencentError;
use crate::operation::DescribeImagesFluentBuilder;
use crate::types::{DescribeImagesOutput, Image};

/// The page size a paginator asks for unless told otherwise (Tencent's maximum).
pub const DEFAULT_PAGE_SIZE: u64 = 100;

impl DescribeImagesFluentBuilder {
    /// Walks all pages, `Offset` advancing by each page's length until `TotalCount` images were
    /// returned. Asks for [`DEFAULT_PAGE_SIZE`] (100) per page unless `.limit(n)` was set.
    pub fn into_paginator(self) -> DescribeImagesPaginator {
        let builder = if self.get_limit().is_none() {
            self.limit(DEFAULT_PAGE_SIZE)
        } else {
            self
        };
        DescribeImagesPaginator {
            builder,
            next_offset: None,
            done: false,
        }
    }
}

/// Pages through `DescribeImages`.
#[derive(Debug, Clone)]
pub struct DescribeImagesPaginator {
    builder: DescribeImagesFluentBuilder,
    next_offset: Option<u64>,
    done: bool,
}

impl DescribeImagesPaginator {
    /// Asks for `size` images per page (1 to 100).
    pub fn page_size(mut self, size: u64) -> Self {
        self.builder = self.builder.limit(size);
        self
    }

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

    /// The pages as a [`Stream`]. It ends after the last page, or after the first error.
    pub fn send(self) -> PageStream {
        let stream = futures_util::stream::unfold(Some(self), |state| async move {
            let mut paginator = state?;
            let page = paginator.next_page().await?;
            let next = if page.is_ok() { Some(paginator) } else { None };
            Some((page, next))
        });
        PageStream {
            inner: Box::pin(stream),
        }
    }

    /// The images of every page, one by one, as a [`Stream`]. It ends after the last image, or
    /// after the first error.
    pub fn items(self) -> ItemStream {
        ItemStream {
            pages: self.send(),
            buffered: VecDeque::new(),
            failed: false,
        }
    }
}

type BoxedPages =
    Pin<Box<dyn futures_core::Stream<Item = Result<DescribeImagesOutput, TencentError>> + Send>>;

/// The pages of a [`DescribeImagesPaginator`]; a [`Stream`] (use `futures_util::StreamExt` or
/// `TryStreamExt`), or call [`PageStream::next`].
pub struct PageStream {
    inner: BoxedPages,
}

impl fmt::Debug for PageStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

impl PageStream {
    /// The next page, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<DescribeImagesOutput, TencentError>> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<DescribeImagesOutput>, TencentError> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl Stream for PageStream {
    type Item = Result<DescribeImagesOutput, TencentError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The images of every page of a [`DescribeImagesPaginator`]; a [`Stream`], or call
/// [`ItemStream::next`].
#[derive(Debug)]
pub struct ItemStream {
    pages: PageStream,
    buffered: VecDeque<Image>,
    failed: bool,
}

impl ItemStream {
    /// The next image, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Image, TencentError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every image, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<Image>, TencentError> {
        let mut images = Vec::new();
        while let Some(image) = self.next().await {
            images.push(image?);
        }
        Ok(images)
    }
}

impl Stream for ItemStream {
    type Item = Result<Image, TencentError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(image) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(image)));
            }
            if self.failed {
                return Poll::Ready(None);
            }
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => {
                    self.failed = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(page))) => self.buffered.extend(page.images),
            }
        }
    }
}
