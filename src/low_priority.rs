//! Work that must not hold up what the user sees: a thread made for it lowers its own priority
//! (nice 10), so on a busy machine the console's threads get the cores first. At 100k rows a
//! start keeps both cores of a small machine busy for a few hundred milliseconds; the prices
//! and the sandbox's disks are not on screen yet then, the instances are.

/// Lower the calling thread's priority. A thread cannot raise it again (without privilege), so
/// only threads made for one piece of work call this, never the runtime's own. On Linux
/// `setpriority` with a thread id applies to that thread alone; elsewhere this does nothing.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain integer arguments; a failure leaves the priority as it was.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 10);
    }
}

/// Run `work` on a thread of its own at lower priority; `None` if no thread could be made.
pub fn spawn<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<std::thread::JoinHandle<T>> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            lower_this_thread();
            work()
        })
        .ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn a_spawned_thread_runs_at_lower_priority_and_its_caller_does_not() {
        let nice = || {
            // SAFETY: as above; getpriority for the calling thread.
            unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
        };
        let before = nice();
        let inside = super::spawn("test", nice).unwrap().join().unwrap();
        assert!(inside > before, "{inside} after {before}");
        assert_eq!(nice(), before);
    }
}
