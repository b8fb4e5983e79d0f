//! EC2's request budget for reads: a bucket of 100 requests that refills at 20 per second, per
//! account and region (the published "request token bucket" for non-mutating actions). Every
//! read the adapter makes takes a token first, so a big account waits here instead of being
//! answered `RequestLimitExceeded`. Changes are few and left to the SDK's retries.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

pub struct Budget {
    capacity: f64,
    per_second: f64,
    state: Mutex<(f64, Instant)>,
}

impl Budget {
    pub fn new(capacity: u32, per_second: u32) -> Self {
        Budget {
            capacity: capacity as f64,
            per_second: per_second as f64,
            state: Mutex::new((capacity as f64, Instant::now())),
        }
    }

    /// EC2's budget for describe calls.
    pub fn ec2_reads() -> Self {
        Budget::new(100, 20)
    }

    /// ELBv2's describe calls: ELBv2 publishes no bucket, and throttles sooner than EC2, so a
    /// smaller one (40, refilling at 10 per second).
    pub fn elb_reads() -> Self {
        Budget::new(40, 10)
    }

    /// Take one token, waiting until one is there.
    pub async fn take(&self) {
        loop {
            let wait = {
                let mut s = self.state.lock().await;
                let now = Instant::now();
                let refill = now.duration_since(s.1).as_secs_f64() * self.per_second;
                s.0 = (s.0 + refill).min(self.capacity);
                s.1 = now;
                if s.0 >= 1.0 {
                    s.0 -= 1.0;
                    return;
                }
                Duration::from_secs_f64((1.0 - s.0) / self.per_second)
            };
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_full_bucket_answers_at_once_then_paces_at_the_refill_rate() {
        let b = Budget::ec2_reads();
        let start = Instant::now();
        for _ in 0..100 {
            b.take().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "the first 100 are free");
        for _ in 0..40 {
            b.take().await;
        }
        let t = start.elapsed().as_secs_f64();
        assert!(
            (1.95..2.1).contains(&t),
            "40 more at 20/s take 2 s, took {t}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_bucket_refills_but_never_past_its_capacity() {
        let b = Budget::new(10, 5);
        for _ in 0..10 {
            b.take().await;
        }
        tokio::time::advance(Duration::from_secs(60)).await;
        let start = Instant::now();
        for _ in 0..10 {
            b.take().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        b.take().await;
        let t = start.elapsed().as_secs_f64();
        assert!(
            (0.19..0.25).contains(&t),
            "the 11th waits for a refill, waited {t}"
        );
    }
}
