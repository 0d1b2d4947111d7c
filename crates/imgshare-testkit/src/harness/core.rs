//! One cloud's state and everything the harness keeps next to it: the fault queue, the limits,
//! the clock, the request log and the seed to reset to.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use wiremock::{Request, ResponseTemplate};

use super::limits::RateLimits;
use super::{Clock, Cloud, Env, Fault};

pub(crate) type Shared<C> = Arc<Mutex<Core<C>>>;

/// A panic in one test thread must not make every later call panic too.
pub(crate) fn lock<C: Cloud>(core: &Mutex<Core<C>>) -> MutexGuard<'_, Core<C>> {
    core.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug)]
pub(crate) struct Core<C: Cloud> {
    pub(crate) cloud: C,
    pub(crate) clock: Clock,
    pub(crate) limits: RateLimits,
    pub(crate) faults: VecDeque<(Fault<C::Fault>, usize)>,
    pub(crate) received: Vec<C::Record>,
    /// What [`Core::reset`] goes back to.
    initial: C::Seed,
}

impl<C: Cloud> Core<C> {
    pub(crate) fn new(seed: C::Seed) -> Core<C> {
        let clock = Clock::default();
        let mut cloud = C::default();
        cloud.merge(seed.clone(), clock);
        Core {
            cloud,
            clock,
            limits: RateLimits::new(C::documented_limit),
            faults: VecDeque::new(),
            received: Vec::new(),
            initial: seed,
        }
    }

    /// Back to the start seed, or to `seed` (which later resets then return to): no requests,
    /// faults, clock offset or limit overrides.
    pub(crate) fn reset(&mut self, seed: Option<C::Seed>) {
        *self = Core::new(seed.unwrap_or_else(|| self.initial.clone()));
    }

    pub(crate) fn merge(&mut self, seed: C::Seed) {
        self.cloud.merge(seed, self.clock);
    }

    pub(crate) fn inject(&mut self, fault: Fault<C::Fault>, next_n: usize) {
        if next_n > 0 {
            self.faults.push_back((fault, next_n));
        }
    }

    /// Consumes one use of the front fault.
    pub(crate) fn take_fault(&mut self) -> Option<Fault<C::Fault>> {
        let (fault, remaining) = self.faults.front_mut()?;
        let fault = fault.clone();
        *remaining -= 1;
        if *remaining == 0 {
            self.faults.pop_front();
        }
        Some(fault)
    }

    /// Claims `request` for a pending dropped connection, logging it.
    pub(crate) fn take_drop(&mut self, request: &Request) -> bool {
        let due = matches!(self.faults.front(), Some((Fault::DropConnection, _)));
        if due {
            let mut record = C::RECORD(request);
            C::log(&mut record, self.take_fault(), None, None, None);
            self.received.push(record);
        }
        due
    }

    /// Applies a pending fault, or checks and answers `request`; logs it either way.
    pub(crate) fn respond(&mut self, request: &Request) -> ResponseTemplate {
        let mut record = C::RECORD(request);
        let fault = self.take_fault();
        let faulted = fault
            .as_ref()
            .and_then(|f| f.reply(C::PROXY, |f| C::FAULT(f, request)));
        let reply = faulted.unwrap_or_else(|| {
            let mut env = Env {
                clock: self.clock,
                limits: &mut self.limits,
            };
            C::SERVE(&mut self.cloud, &mut env, request, &mut record)
        });
        let (status, code, id) = (Some(reply.status), reply.error_code, reply.request_id);
        let response = match &fault {
            // wiremock sleeps outside its lock, so other requests proceed.
            Some(Fault::Delay(delay)) => reply.response.set_delay(*delay),
            _ => reply.response,
        };
        C::log(&mut record, fault, status, code, id);
        self.received.push(record);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tencent::Tencent;
    use crate::{TencentFault, TencentSeed};

    #[test]
    fn faults_are_consumed_in_order() {
        let mut core = Core::<Tencent>::new(TencentSeed::default());
        core.inject(Fault::Html502, 2);
        core.inject(TencentFault::Throttle.into(), 1);
        core.inject(TencentFault::MalformedBody.into(), 0);
        assert_eq!(core.take_fault(), Some(Fault::Html502));
        assert_eq!(core.take_fault(), Some(Fault::Html502));
        assert_eq!(core.take_fault(), Some(TencentFault::Throttle.into()));
        assert_eq!(core.take_fault(), None);
    }

    #[test]
    fn reset_goes_back_to_the_last_seed() {
        let mut core = Core::<Tencent>::new(TencentSeed::demo());
        core.inject(Fault::Html502, 1);
        assert!(core.clock.set_offset_secs(60).is_ok());
        core.limits.set_all(Some(1));
        core.reset(None);
        assert!(core.faults.is_empty());
        assert_eq!(core.clock.offset_ms(), 0);
        assert_eq!(core.limits.limit_for("DescribeImages"), Some(40));
        assert_eq!(core.cloud.seed(), TencentSeed::demo());
        core.reset(Some(TencentSeed::default()));
        core.reset(None);
        assert_eq!(core.cloud.seed(), TencentSeed::default());
    }
}
