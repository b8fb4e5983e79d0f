//! Instance lists before the others: the gate a disk or load balancer list waits at.

use std::sync::{Condvar, Mutex};

/// The sandbox's lists run on the user's own cores, beside the console. At 100k instances a
/// start asks for every kind at once, and converting the disks and load balancers (twice the
/// instances' work) made the instances, the rows on screen, arrive last. So a disk or load
/// balancer list waits, once the world is loaded, until no instance list is converting; an
/// instance list counts itself in for as long as it runs.
pub(super) struct InstancesFirst<'a>(&'a (Mutex<usize>, Condvar));

impl<'a> InstancesFirst<'a> {
    pub(super) fn enter(gate: &'a (Mutex<usize>, Condvar)) -> Self {
        *gate.0.lock().expect("gate lock") += 1;
        InstancesFirst(gate)
    }

    /// Wait until no instance list is under way (called holding no store lock).
    pub(super) fn wait(gate: &(Mutex<usize>, Condvar)) {
        let n = gate.0.lock().expect("gate lock");
        drop(gate.1.wait_while(n, |n| *n > 0).expect("gate lock"));
    }
}

impl Drop for InstancesFirst<'_> {
    fn drop(&mut self) {
        let mut n = self.0 .0.lock().expect("gate lock");
        *n -= 1;
        if *n == 0 {
            self.0 .1.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    use super::InstancesFirst;

    #[test]
    fn a_disk_list_waits_until_no_instance_list_runs() {
        let gate = (Mutex::new(0), Condvar::new());
        let passed = AtomicBool::new(false);
        std::thread::scope(|s| {
            let first = InstancesFirst::enter(&gate);
            let second = InstancesFirst::enter(&gate);
            s.spawn(|| {
                InstancesFirst::wait(&gate);
                passed.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(Duration::from_millis(50));
            assert!(!passed.load(Ordering::SeqCst), "two instance lists run");
            drop(first);
            std::thread::sleep(Duration::from_millis(50));
            assert!(!passed.load(Ordering::SeqCst), "one instance list runs");
            drop(second);
        });
        assert!(passed.load(Ordering::SeqCst));
        // With none running it does not wait at all.
        InstancesFirst::wait(&gate);
    }
}
