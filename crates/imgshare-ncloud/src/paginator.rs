//! Paging through the list operations with `pageNo` / `pageSize`.
//!
//! NCP numbers pages from 1 (0 is also the first page) and `totalRows` counts every match.
//! The paginators send `pageSize` always ([`DEFAULT_PAGE_SIZE`] unless the builder set one: the
//! documented default of 1 row is suspicious, ncloud.md §8 question 9), start at the builder's
//! `pageNo` or 1, and stop after `totalRows` rows, an empty page or a short page.

use crate::error::NcloudError;
use crate::operation::{
    ClassicGetMemberServerImageListFluentBuilder, GetMemberServerImageInstanceListFluentBuilder,
    GetServerImageListFluentBuilder,
};
use crate::types::{
    MemberServerImage, MemberServerImageInstance, MemberServerImageInstanceListOutput,
    MemberServerImageListOutput, ServerImage, ServerImageListOutput,
};

/// Rows per page when the builder sets no `page_size`.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

macro_rules! paginator {
    ($builder:ident, $paginator:ident, $output:ty, $item:ty, $field:ident, $what:literal) => {
        impl $builder {
            #[doc = concat!("Walks all pages of ", $what, ": each [`", stringify!($paginator), "::next_page`] sends one request.")]
            pub fn into_paginator(self) -> $paginator {
                $paginator {
                    builder: self,
                    next_page: None,
                    seen: 0,
                    done: false,
                }
            }
        }

        #[doc = concat!("Pages through ", $what, ".")]
        #[derive(Debug)]
        pub struct $paginator {
            builder: $builder,
            next_page: Option<u32>,
            seen: u64,
            done: bool,
        }

        impl $paginator {
            /// The next page, or `None` after the last one. After an error, calling it again
            /// retries the same page.
            pub async fn next_page(&mut self) -> Option<Result<$output, NcloudError>> {
                if self.done {
                    return None;
                }
                let page = self
                    .next_page
                    .unwrap_or_else(|| self.builder.get_page_no().unwrap_or(1).max(1));
                let size = self.builder.get_page_size().unwrap_or(DEFAULT_PAGE_SIZE);
                let request = self.builder.clone().page_no(page).page_size(size);
                match request.send().await {
                    Ok(out) => {
                        let n = out.$field.len() as u64;
                        self.seen += n;
                        if n == 0 || n < u64::from(size) || self.seen >= out.total_rows {
                            self.done = true;
                        }
                        self.next_page = Some(page.saturating_add(1));
                        Some(Ok(out))
                    }
                    Err(e) => Some(Err(e)),
                }
            }

            /// Every row of every page.
            pub async fn collect_all(mut self) -> Result<Vec<$item>, NcloudError> {
                let mut all = Vec::new();
                while let Some(page) = self.next_page().await {
                    all.extend(page?.$field);
                }
                Ok(all)
            }
        }
    };
}

paginator!(
    GetServerImageListFluentBuilder,
    GetServerImageListPaginator,
    ServerImageListOutput,
    ServerImage,
    server_image_list,
    "`getServerImageList`"
);

paginator!(
    GetMemberServerImageInstanceListFluentBuilder,
    GetMemberServerImageInstanceListPaginator,
    MemberServerImageInstanceListOutput,
    MemberServerImageInstance,
    member_server_image_instance_list,
    "`getMemberServerImageInstanceList`"
);

paginator!(
    ClassicGetMemberServerImageListFluentBuilder,
    ClassicGetMemberServerImageListPaginator,
    MemberServerImageListOutput,
    MemberServerImage,
    member_server_image_list,
    "Classic `getMemberServerImageList`"
);
