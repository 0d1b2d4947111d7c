//! One paginator for every provider's list operations, after google-cloud-rust's `gax`
//! paginator: a [`Paginator`] sends one request per page and hands out the pages one at a time
//! ([`Paginator::next_page`]), as a [`Stream`] of pages ([`Paginator::pages`]) or as a
//! [`Stream`] of items ([`Paginator::items`]).
//!
//! The providers page in three styles, each with its own constructor:
//!
//! | style | request | next page | constructor |
//! |---|---|---|---|
//! | offset / limit (Tencent `Offset`/`Limit`) | items to skip, page size | offset + items received | [`Paginator::offset`] |
//! | page number / size (NCP `pageNo`/`pageSize`) | page number, page size | number + 1 | [`Paginator::page_number`] |
//! | token / marker (SCP `marker`/`limit`) | the previous page's token, page size | the page's [`Page::next_token`] | [`Paginator::token`] |
//!
//! A walk ends, whatever the style, after
//!
//! - an **empty page**;
//! - a **short page** (fewer items than the page size), unless
//!   [`Paginator::stop_on_short_page`] turned the rule off for an API that may return fewer
//!   items than asked for before the end;
//! - a page that brings the count to the **total** the page reports ([`Page::total`]): the
//!   offset reached it (offset style), or the items received did (the other styles);
//! - a page whose next token is **missing, empty or already seen** (token style), which a
//!   server that ignores the token would otherwise repeat forever;
//! - a position that would overflow `u64`.
//!
//! After an error, [`Paginator::next_page`] asks for the same page again; the streams end
//! after yielding the error.
//!
//! Each provider crate declares its paginators in `api.toml` and `cargo xtask codegen`
//! generates, per paged operation, `impl Page for` its output and `into_paginator()` on its
//! fluent builder:
//!
//! ```
//! use imgshare_core::paginate::{Page, Paginator};
//!
//! struct Numbers {
//!     items: Vec<u32>,
//!     total: u64,
//! }
//!
//! impl Page for Numbers {
//!     type Item = u32;
//!     fn items(&self) -> &[u32] {
//!         &self.items
//!     }
//!     fn into_items(self) -> Vec<u32> {
//!         self.items
//!     }
//!     fn total(&self) -> Option<u64> {
//!         Some(self.total)
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! // Ten numbers, served `limit` at a time from `offset`.
//! let paginator = Paginator::offset(0, 4, |offset, limit| async move {
//!     let items = (offset..10).take(limit as usize).map(|n| n as u32).collect();
//!     Ok::<_, std::convert::Infallible>(Numbers { items, total: 10 })
//! });
//! let all = paginator.items().try_collect().await.unwrap();
//! assert_eq!(all, (0..10).collect::<Vec<u32>>());
//! # });
//! ```

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

pub use futures_core::Stream;

use crate::credentials::BoxFuture;

/// An operation's output that is one page of a list.
pub trait Page {
    /// One item of the list.
    type Item;

    /// The items of this page.
    fn items(&self) -> &[Self::Item];

    /// The items of this page, by value.
    fn into_items(self) -> Vec<Self::Item>;

    /// How many items the whole list has, when the page says so.
    fn total(&self) -> Option<u64> {
        None
    }

    /// The token (marker) that asks for the next page, for token-style paging.
    fn next_token(&self) -> Option<String> {
        None
    }
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Cursor {
    Offset(u64),
    Number(u64),
    Token(Option<String>),
}

impl Cursor {
    /// The offset or page number (0 for a token).
    fn position(&self) -> u64 {
        match self {
            Cursor::Offset(n) | Cursor::Number(n) => *n,
            Cursor::Token(_) => 0,
        }
    }

    fn token(&self) -> Option<String> {
        match self {
            Cursor::Token(token) => token.clone(),
            _ => None,
        }
    }
}

type Fetch<P, E> = Arc<dyn Fn(&Cursor, u64) -> BoxFuture<'static, Result<P, E>> + Send + Sync>;

/// Pages through a list operation; see the [module documentation](self) for the styles and
/// when a walk ends.
///
/// Cloning a paginator clones its position: both continue from the same page.
pub struct Paginator<P, E> {
    fetch: Fetch<P, E>,
    cursor: Cursor,
    page_size: u64,
    stop_on_short_page: bool,
    seen: u64,
    tokens: HashSet<String>,
    done: bool,
}

impl<P, E> Clone for Paginator<P, E> {
    fn clone(&self) -> Self {
        Self {
            fetch: Arc::clone(&self.fetch),
            cursor: self.cursor.clone(),
            page_size: self.page_size,
            stop_on_short_page: self.stop_on_short_page,
            seen: self.seen,
            tokens: self.tokens.clone(),
            done: self.done,
        }
    }
}

impl<P, E> fmt::Debug for Paginator<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator")
            .field("cursor", &self.cursor)
            .field("page_size", &self.page_size)
            .field("stop_on_short_page", &self.stop_on_short_page)
            .field("seen", &self.seen)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<P: Page, E> Paginator<P, E> {
    fn new(cursor: Cursor, page_size: u64, fetch: Fetch<P, E>) -> Self {
        let tokens = cursor.token().into_iter().collect();
        Self {
            fetch,
            cursor,
            page_size,
            stop_on_short_page: true,
            seen: 0,
            tokens,
            done: false,
        }
    }

    /// Offset / limit paging: `fetch(offset, page_size)` asks for up to `page_size` items after
    /// skipping `offset`; the first page is at `start`, each next one at the offset plus the
    /// items received.
    pub fn offset<F, Fut>(start: u64, page_size: u64, fetch: F) -> Self
    where
        F: Fn(u64, u64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<P, E>> + Send + 'static,
    {
        let fetch: Fetch<P, E> = Arc::new(
            move |cursor: &Cursor, size: u64| -> BoxFuture<'static, Result<P, E>> {
                Box::pin(fetch(cursor.position(), size))
            },
        );
        Self::new(Cursor::Offset(start), page_size, fetch)
    }

    /// Page number / size paging: `fetch(page, page_size)` asks for page `page`; the first is
    /// `first`, each next one the number after.
    pub fn page_number<F, Fut>(first: u64, page_size: u64, fetch: F) -> Self
    where
        F: Fn(u64, u64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<P, E>> + Send + 'static,
    {
        let fetch: Fetch<P, E> = Arc::new(
            move |cursor: &Cursor, size: u64| -> BoxFuture<'static, Result<P, E>> {
                Box::pin(fetch(cursor.position(), size))
            },
        );
        Self::new(Cursor::Number(first), page_size, fetch)
    }

    /// Token / marker paging: `fetch(token, page_size)` asks for the page after `token` (`None`
    /// for the start of the list); the first page is after `start`, each next one after the
    /// page's [`Page::next_token`].
    pub fn token<F, Fut>(start: Option<String>, page_size: u64, fetch: F) -> Self
    where
        F: Fn(Option<String>, u64) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<P, E>> + Send + 'static,
    {
        let fetch: Fetch<P, E> = Arc::new(
            move |cursor: &Cursor, size: u64| -> BoxFuture<'static, Result<P, E>> {
                Box::pin(fetch(cursor.token(), size))
            },
        );
        Self::new(Cursor::Token(start), page_size, fetch)
    }

    /// Asks for `size` items per page from the next request on.
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = size;
        self
    }

    /// Whether a page with fewer items than the page size ends the walk (the default). Turn it
    /// off for an API that may return fewer items than asked for before the end and reports a
    /// total instead.
    pub fn stop_on_short_page(mut self, stop: bool) -> Self {
        self.stop_on_short_page = stop;
        self
    }

    /// The request for the next page, or `None` after the last one.
    fn request(&self) -> Option<BoxFuture<'static, Result<P, E>>> {
        (!self.done).then(|| (self.fetch)(&self.cursor, self.page_size))
    }

    /// Moves past a page, and decides whether it was the last.
    fn advance(&mut self, page: &P) {
        let received = u64::try_from(page.items().len()).unwrap_or(u64::MAX);
        self.seen = self.seen.saturating_add(received);
        let mut last = received == 0 || (self.stop_on_short_page && received < self.page_size);
        match &mut self.cursor {
            Cursor::Offset(offset) => match offset.checked_add(received) {
                Some(next) => {
                    last |= page.total().is_some_and(|total| next >= total);
                    *offset = next;
                }
                None => last = true,
            },
            Cursor::Number(number) => {
                last |= page.total().is_some_and(|total| self.seen >= total);
                match number.checked_add(1) {
                    Some(next) => *number = next,
                    None => last = true,
                }
            }
            Cursor::Token(token) => {
                last |= page.total().is_some_and(|total| self.seen >= total);
                match page.next_token().filter(|t| !t.is_empty()) {
                    Some(next) if self.tokens.insert(next.clone()) => *token = Some(next),
                    _ => last = true,
                }
            }
        }
        self.done = last;
    }

    fn record(&mut self, result: &Result<P, E>) {
        // After an error the position stays put: the next call asks for the same page.
        if let Ok(page) = result {
            self.advance(page);
        }
    }

    /// The next page, or `None` after the last one. After an error, calling it again asks for
    /// the same page.
    pub async fn next_page(&mut self) -> Option<Result<P, E>> {
        let result = self.request()?.await;
        self.record(&result);
        Some(result)
    }

    /// Every item of every page, or the first error.
    pub async fn collect_all(mut self) -> Result<Vec<P::Item>, E> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await {
            all.extend(page?.into_items());
        }
        Ok(all)
    }

    /// The pages as a [`Stream`]. It ends after the last page, or after the first error.
    pub fn pages(self) -> PageStream<P, E> {
        PageStream {
            paginator: self,
            in_flight: None,
            failed: false,
        }
    }

    /// The items of every page, one by one, as a [`Stream`]. It ends after the last item, or
    /// after the first error.
    pub fn items(self) -> ItemStream<P, E> {
        ItemStream {
            pages: self.pages(),
            buffered: VecDeque::new(),
        }
    }
}

/// The pages of a [`Paginator`]: a [`Stream`] (use `futures_util::StreamExt` or
/// `TryStreamExt`), or call [`PageStream::next`].
pub struct PageStream<P, E> {
    paginator: Paginator<P, E>,
    in_flight: Option<BoxFuture<'static, Result<P, E>>>,
    failed: bool,
}

impl<P, E> fmt::Debug for PageStream<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("paginator", &self.paginator)
            .field("in_flight", &self.in_flight.is_some())
            .field("failed", &self.failed)
            .finish()
    }
}

impl<P: Page, E> PageStream<P, E> {
    /// The next page, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<P, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<P>, E> {
        let mut pages = Vec::new();
        while let Some(page) = self.next().await {
            pages.push(page?);
        }
        Ok(pages)
    }
}

impl<P: Page, E> Stream for PageStream<P, E> {
    type Item = Result<P, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.failed {
            return Poll::Ready(None);
        }
        let in_flight = match &mut this.in_flight {
            Some(request) => request,
            None => match this.paginator.request() {
                Some(request) => this.in_flight.insert(request),
                None => return Poll::Ready(None),
            },
        };
        let result = match in_flight.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.in_flight = None;
        this.paginator.record(&result);
        this.failed = result.is_err();
        Poll::Ready(Some(result))
    }
}

/// The items of every page of a [`Paginator`]: a [`Stream`], or call [`ItemStream::next`].
pub struct ItemStream<P: Page, E> {
    pages: PageStream<P, E>,
    buffered: VecDeque<P::Item>,
}

impl<P: Page, E> fmt::Debug for ItemStream<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

impl<P: Page, E> ItemStream<P, E>
where
    P::Item: Unpin,
{
    /// The next item, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<P::Item, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<P::Item>, E> {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<P: Page, E> Stream for ItemStream<P, E>
where
    P::Item: Unpin,
{
    type Item = Result<P::Item, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffered.extend(page.into_items()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::sync::Mutex;

    /// A page of numbers, with the total and next token the test server chose to report.
    #[derive(Debug, Clone, PartialEq)]
    struct Numbers {
        items: Vec<u64>,
        total: Option<u64>,
        next: Option<String>,
    }

    impl Page for Numbers {
        type Item = u64;
        fn items(&self) -> &[u64] {
            &self.items
        }
        fn into_items(self) -> Vec<u64> {
            self.items
        }
        fn total(&self) -> Option<u64> {
            self.total
        }
        fn next_token(&self) -> Option<String> {
            self.next.clone()
        }
    }

    fn page(items: std::ops::Range<u64>, total: Option<u64>, next: Option<&str>) -> Numbers {
        Numbers {
            items: items.collect(),
            total,
            next: next.map(str::to_owned),
        }
    }

    /// The requests a fetch closure received: (offset, page number or token, page size).
    type Log<T> = Arc<Mutex<Vec<(T, u64)>>>;

    /// The page for the `request`-th request, or an error from the 20th on: a walk that does
    /// not stop fails the test instead of hanging it.
    fn answer(request: usize, page: Numbers) -> Result<Numbers, String> {
        if request < 20 {
            Ok(page)
        } else {
            Err("the walk did not stop".to_owned())
        }
    }

    /// An offset-style paginator over `len` numbers, reporting `total` (if any), that never
    /// returns more than `cap` items per page.
    fn offset_server(
        len: u64,
        total: Option<u64>,
        cap: u64,
        page_size: u64,
    ) -> (Paginator<Numbers, String>, Log<u64>) {
        let log: Log<u64> = Arc::default();
        let seen = Arc::clone(&log);
        let paginator = Paginator::offset(0, page_size, move |offset, size| {
            let mut log = seen.lock().unwrap();
            log.push((offset, size));
            let end = len.min(offset + size.min(cap));
            std::future::ready(answer(log.len(), page(offset.min(end)..end, total, None)))
        });
        (paginator, log)
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn offset_stops_when_the_total_is_reached_without_an_extra_request() {
        let (paginator, log) = offset_server(7, Some(7), 100, 7);
        let all = block_on(paginator.collect_all()).unwrap();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        assert_eq!(*log.lock().unwrap(), [(0, 7)]);
    }

    #[test]
    fn offset_advances_by_the_items_received_when_the_server_caps_the_page() {
        // Asks for 5, gets 3: short pages are not the end when the rule is off and a total is
        // reported; the next offset is 3, not 5.
        let (paginator, log) = offset_server(8, Some(8), 3, 5);
        let all = block_on(paginator.stop_on_short_page(false).collect_all()).unwrap();
        assert_eq!(all, (0..8).collect::<Vec<_>>());
        assert_eq!(*log.lock().unwrap(), [(0, 5), (3, 5), (6, 5)]);
    }

    #[test]
    fn a_short_page_ends_the_walk_by_default() {
        let (paginator, log) = offset_server(8, None, 3, 5);
        let all = block_on(paginator.collect_all()).unwrap();
        assert_eq!(all, [0, 1, 2]);
        assert_eq!(log.lock().unwrap().len(), 1);
    }

    #[test]
    fn an_empty_page_ends_the_walk_even_without_total_or_short_page_rule() {
        // 6 numbers in pages of 3, no total: the third request gets an empty page.
        let (paginator, log) = offset_server(6, None, 100, 3);
        let all = block_on(paginator.stop_on_short_page(false).collect_all()).unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(*log.lock().unwrap(), [(0, 3), (3, 3), (6, 3)]);
    }

    #[test]
    fn a_zero_total_ends_the_walk_after_the_first_page() {
        // A total of 0 with items (a server that lost count): one page, not a loop.
        let (paginator, log) = offset_server(10, Some(0), 100, 4);
        let all = block_on(paginator.stop_on_short_page(false).collect_all()).unwrap();
        assert_eq!(all, [0, 1, 2, 3]);
        assert_eq!(log.lock().unwrap().len(), 1);
    }

    /// A page-number server over `len` numbers from page `first`, reporting `total`.
    fn number_server(
        first: u64,
        len: u64,
        total: Option<u64>,
        page_size: u64,
    ) -> (Paginator<Numbers, String>, Log<u64>) {
        let log: Log<u64> = Arc::default();
        let seen = Arc::clone(&log);
        let paginator = Paginator::page_number(first, page_size, move |number, size| {
            let mut log = seen.lock().unwrap();
            log.push((number, size));
            let start = (number - first) * size;
            let end = len.min(start + size);
            std::future::ready(answer(log.len(), page(start.min(end)..end, total, None)))
        });
        (paginator, log)
    }

    #[test]
    fn page_numbers_count_up_from_the_first_and_stop_at_the_total() {
        // 4 rows in pages of 2: the second page is full, but totalRows says it is the last.
        let (paginator, log) = number_server(1, 4, Some(4), 2);
        let pages = block_on(paginator.pages().try_collect()).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(*log.lock().unwrap(), [(1, 2), (2, 2)]);
    }

    #[test]
    fn page_numbers_stop_on_a_short_page_when_the_total_is_too_high() {
        // A total larger than the list must not keep the walk going past a short page.
        let (paginator, log) = number_server(1, 5, Some(50), 2);
        let all = block_on(paginator.collect_all()).unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(*log.lock().unwrap(), [(1, 2), (2, 2), (3, 2)]);
    }

    #[test]
    fn page_numbers_stop_at_the_largest_number() {
        let log: Log<u64> = Arc::default();
        let seen = Arc::clone(&log);
        let paginator = Paginator::page_number(u64::MAX - 1, 2, move |number, size| {
            let mut log = seen.lock().unwrap();
            log.push((number, size));
            std::future::ready(answer(log.len(), page(0..2, None, None)))
        });
        block_on(paginator.collect_all()).unwrap();
        assert_eq!(*log.lock().unwrap(), [(u64::MAX - 1, 2), (u64::MAX, 2)]);
    }

    /// A token server: `pages[i]` is answered to the i-th request; the log keeps the tokens.
    fn token_server(
        start: Option<&str>,
        pages: Vec<Numbers>,
        page_size: u64,
    ) -> (Paginator<Numbers, String>, Log<Option<String>>) {
        let log: Log<Option<String>> = Arc::default();
        let seen = Arc::clone(&log);
        let pages = Arc::new(pages);
        let paginator =
            Paginator::token(start.map(str::to_owned), page_size, move |token, size| {
                let mut log = seen.lock().unwrap();
                let answer = pages
                    .get(log.len())
                    .cloned()
                    .ok_or_else(|| "asked for one page too many".to_owned());
                log.push((token, size));
                std::future::ready(answer)
            });
        (paginator, log)
    }

    #[test]
    fn tokens_follow_the_page_and_stop_on_a_missing_token() {
        let (paginator, log) = token_server(
            None,
            vec![
                page(0..2, None, Some("b")),
                page(2..4, None, Some("d")),
                page(4..6, None, None),
            ],
            2,
        );
        let all = block_on(paginator.collect_all()).unwrap();
        assert_eq!(all, (0..6).collect::<Vec<_>>());
        let tokens: Vec<_> = log.lock().unwrap().iter().map(|(t, _)| t.clone()).collect();
        assert_eq!(tokens, [None, Some("b".into()), Some("d".into())]);
    }

    #[test]
    fn a_repeated_token_ends_the_walk() {
        // A server that ignores the marker and answers the same full page forever.
        let same = page(0..2, None, Some("b"));
        let (paginator, log) = token_server(None, vec![same.clone(), same.clone(), same], 2);
        let all = block_on(paginator.collect_all()).unwrap();
        assert_eq!(all, [0, 1, 0, 1]);
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[test]
    fn a_token_cycle_ends_the_walk() {
        // a → b → a: a check against the previous token only would loop forever.
        let (paginator, log) = token_server(
            Some("a"),
            vec![
                page(0..2, None, Some("b")),
                page(2..4, None, Some("a")),
                page(4..6, None, None),
            ],
            2,
        );
        block_on(paginator.collect_all()).unwrap();
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[test]
    fn an_empty_token_ends_the_walk() {
        let (paginator, log) = token_server(
            None,
            vec![page(0..2, None, Some("")), page(2..4, None, None)],
            2,
        );
        block_on(paginator.collect_all()).unwrap();
        assert_eq!(log.lock().unwrap().len(), 1);
    }

    #[test]
    fn tokens_stop_at_the_total() {
        let (paginator, log) = token_server(
            None,
            vec![
                page(0..2, Some(4), Some("b")),
                page(2..4, Some(4), Some("d")),
            ],
            2,
        );
        block_on(paginator.collect_all()).unwrap();
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[test]
    fn page_size_applies_from_the_next_request() {
        let (paginator, log) = offset_server(10, Some(10), 100, 4);
        let mut paginator = paginator;
        block_on(async {
            paginator.next_page().await.unwrap().unwrap();
            let mut paginator = paginator.page_size(6);
            paginator.next_page().await.unwrap().unwrap();
            assert!(paginator.next_page().await.is_none());
        });
        assert_eq!(*log.lock().unwrap(), [(0, 4), (4, 6)]);
    }

    /// Fails the second request once, then serves it.
    fn flaky_server() -> (Paginator<Numbers, String>, Log<u64>) {
        let log: Log<u64> = Arc::default();
        let seen = Arc::clone(&log);
        let paginator = Paginator::offset(0, 2, move |offset, size| {
            let mut log = seen.lock().unwrap();
            log.push((offset, size));
            let answer = if log.len() == 2 {
                Err("busy".to_owned())
            } else {
                Ok(page(offset..(offset + size).min(5), Some(5), None))
            };
            std::future::ready(answer)
        });
        (paginator, log)
    }

    #[test]
    fn next_page_retries_the_same_page_after_an_error() {
        let (mut paginator, log) = flaky_server();
        block_on(async {
            assert!(paginator.next_page().await.unwrap().is_ok());
            assert_eq!(paginator.next_page().await.unwrap(), Err("busy".to_owned()));
            let mut rest = Vec::new();
            while let Some(page) = paginator.next_page().await {
                rest.extend(page.unwrap().items);
            }
            assert_eq!(rest, [2, 3, 4]);
        });
        let offsets: Vec<u64> = log.lock().unwrap().iter().map(|(o, _)| *o).collect();
        assert_eq!(offsets, [0, 2, 2, 4]);
    }

    #[test]
    fn the_streams_end_after_the_first_error() {
        let (paginator, log) = flaky_server();
        let items: Vec<_> = block_on(async {
            let mut stream = paginator.clone().items();
            let mut got = Vec::new();
            while let Some(item) = stream.next().await {
                got.push(item);
            }
            got
        });
        assert_eq!(items, [Ok(0), Ok(1), Err("busy".to_owned())]);
        assert_eq!(log.lock().unwrap().len(), 2);

        let (paginator, _) = flaky_server();
        let pages = block_on(paginator.pages().try_collect());
        assert_eq!(pages, Err("busy".to_owned()));
    }

    #[test]
    fn a_finished_paginator_sends_nothing_more() {
        let (mut paginator, log) = offset_server(3, Some(3), 100, 5);
        block_on(async {
            assert!(paginator.next_page().await.is_some());
            assert!(paginator.next_page().await.is_none());
            assert!(paginator.next_page().await.is_none());
            let mut pages = paginator.pages();
            assert!(pages.next().await.is_none());
        });
        assert_eq!(log.lock().unwrap().len(), 1);
    }
}
