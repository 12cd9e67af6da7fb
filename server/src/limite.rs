//! How fast logins may be attempted: per account and client address, and per client
//! address (the state holds one limiter; `auth` asks it before checking a password).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Two buckets per attempt: the account from this address (slows guessing one password,
/// without letting anyone elsewhere lock the account out: an attacker only exhausts the
/// bucket of their own address, and it refills within minutes) and the client address
/// (slows trying many accounts).
pub struct LoginLimiter {
    by_account: DefaultKeyedRateLimiter<(String, Option<IpAddr>)>,
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let n = |v| NonZeroU32::new(v).expect("non-zero");
        LoginLimiter {
            // 10 attempts at once, then one every 30 seconds.
            by_account: RateLimiter::keyed(
                Quota::with_period(Duration::from_secs(30))
                    .expect("non-zero period")
                    .allow_burst(n(10)),
            ),
            // A comune's offices may share one address: 100 at once, then one a second.
            by_ip: RateLimiter::keyed(Quota::per_second(n(1)).allow_burst(n(100))),
        }
    }
}

impl LoginLimiter {
    pub fn allow(&self, account: &str, ip: Option<IpAddr>) -> bool {
        let account_ok = self
            .by_account
            .check_key(&(account.to_string(), ip))
            .is_ok();
        let ip_ok = ip.is_none_or(|ip| self.by_ip.check_key(&ip).is_ok());
        account_ok && ip_ok
    }

    /// Forgets idle keys, so the limiter's memory stays bounded.
    pub fn prune(&self) {
        self.by_account.retain_recent();
        self.by_ip.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_stops_an_account_after_the_burst() {
        let l = LoginLimiter::default();
        for _ in 0..10 {
            assert!(l.allow("a@b.it", None));
        }
        assert!(!l.allow("a@b.it", None));
        assert!(l.allow("altro@b.it", None), "other accounts unaffected");
    }

    #[test]
    fn an_attacker_elsewhere_cannot_lock_an_account_out() {
        let l = LoginLimiter::default();
        let attacker: IpAddr = "203.0.113.7".parse().unwrap();
        let owner: IpAddr = "198.51.100.20".parse().unwrap();
        while l.allow("sindaco@comune.it", Some(attacker)) {}
        assert!(!l.allow("sindaco@comune.it", Some(attacker)));
        assert!(l.allow("sindaco@comune.it", Some(owner)));
    }
}
