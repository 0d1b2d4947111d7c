//! Request limits per caller and action over a sliding second, as the providers' gateways count
//! them; each cloud says what its documentation allows, and tests may override that. The second
//! is the fake's clock's, so a test that freezes or moves the clock decides what falls in it.

use std::collections::{HashMap, VecDeque};

#[derive(Debug)]
pub(crate) struct RateLimits {
    documented: fn(&str) -> Option<u32>,
    /// `Some` overrides every action's documented limit (`None` inside: no limit).
    all: Option<Option<u32>>,
    /// Per-action overrides, on top of `all`.
    per_action: HashMap<String, Option<u32>>,
    /// (caller, action) → admission times (Unix ms on the fake's clock) within the last second.
    windows: HashMap<(String, String), VecDeque<i64>>,
}

impl RateLimits {
    pub(crate) fn new(documented: fn(&str) -> Option<u32>) -> Self {
        RateLimits {
            documented,
            all: None,
            per_action: HashMap::new(),
            windows: HashMap::new(),
        }
    }

    pub(crate) fn set_all(&mut self, per_second: Option<u32>) {
        self.use_documented();
        self.all = Some(per_second);
    }

    pub(crate) fn set_action(&mut self, action: &str, per_second: Option<u32>) {
        self.per_action.insert(action.to_owned(), per_second);
        self.windows.clear();
    }

    pub(crate) fn use_documented(&mut self) {
        self.all = None;
        self.per_action.clear();
        self.windows.clear();
    }

    /// The limit `action` has now; `None` means unlimited.
    pub(crate) fn limit_for(&self, action: &str) -> Option<u32> {
        match self.per_action.get(action) {
            Some(limit) => *limit,
            None => self.all.unwrap_or_else(|| (self.documented)(action)),
        }
    }

    /// Only admitted requests count, so a client that backs off gets through; `Err` carries the
    /// limit that was hit.
    pub(crate) fn admit(&mut self, caller: &str, action: &str, now_ms: i64) -> Result<(), u32> {
        let Some(limit) = self.limit_for(action) else {
            return Ok(());
        };
        let window = self
            .windows
            .entry((caller.to_owned(), action.to_owned()))
            .or_default();
        while window
            .front()
            .is_some_and(|t| now_ms.saturating_sub(*t) >= 1000)
        {
            window.pop_front();
        }
        if window.len() >= usize::try_from(limit).unwrap_or(usize::MAX) {
            return Err(limit);
        }
        window.push_back(now_ms);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn documented(action: &str) -> Option<u32> {
        (action == "A").then_some(40)
    }

    #[test]
    fn documented_limits_and_overrides() {
        let mut limits = RateLimits::new(documented);
        assert_eq!(limits.limit_for("A"), Some(40));
        assert_eq!(limits.limit_for("B"), None);
        limits.set_all(Some(3));
        assert_eq!(limits.limit_for("B"), Some(3));
        limits.set_action("A", None);
        assert_eq!(limits.limit_for("A"), None);
        assert_eq!(limits.limit_for("B"), Some(3));
        limits.use_documented();
        assert_eq!(limits.limit_for("A"), Some(40));
    }

    #[test]
    fn rate_limit_is_per_caller_and_action() {
        let mut limits = RateLimits::new(documented);
        assert!(limits.admit("1", "B", 0).is_ok());
        limits.set_all(Some(2));
        assert!(limits.admit("1", "A", 0).is_ok());
        assert!(limits.admit("1", "A", 0).is_ok());
        assert_eq!(limits.admit("1", "A", 0), Err(2));
        assert!(limits.admit("1", "B", 0).is_ok());
        assert!(limits.admit("2", "A", 0).is_ok());
        // The window is one second of the given clock: 999 ms later still full, 1000 ms free.
        assert_eq!(limits.admit("1", "A", 999), Err(2));
        assert!(limits.admit("1", "A", 1000).is_ok());
        limits.set_all(None);
        assert!(limits.admit("1", "A", 0).is_ok());
    }
}
