//! Logs go to a file in the state dir, never to the terminal (the console owns it). The level
//! comes from `--log-level`, else `NEPHOS_LOG` (a full tracing filter), else the config, else
//! `info`. The log dir is 0700 and its files 0600; every line is redacted of credentials
//! ([`redact`]), so even `NEPHOS_LOG=trace` (the SDKs' own debug output) shows no key.

mod redact;

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Start logging to `<dir>/nephos.log.<date>`. Keep the guard alive until exit so the last
/// lines are flushed. Logging that cannot start is not fatal: nephos runs without it.
pub fn init(dir: &Path, flag: Option<&str>, config: Option<&str>) -> Option<WorkerGuard> {
    let filter = match (flag, std::env::var("NEPHOS_LOG").ok()) {
        (Some(level), _) => EnvFilter::try_new(format!("nephos={level}")),
        (None, Some(spec)) if !spec.is_empty() => EnvFilter::try_new(spec),
        _ => EnvFilter::try_new(format!("nephos={}", config.unwrap_or("info"))),
    }
    .unwrap_or_else(|_| EnvFilter::new("nephos=info"));
    crate::private_files::create_dir(dir).ok()?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("nephos")
        .filename_suffix("log")
        .max_log_files(7)
        .build(dir)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    tighten_logs(dir);
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(redact::RedactingMaker(writer))
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// The appender makes its files with the default mode: take group and other access away from
/// every log file (today's included, which it has just opened).
fn tighten_logs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with("nephos") {
            if let Ok(f) = std::fs::File::open(e.path()) {
                let _ = crate::private_files::tighten(&f);
            }
        }
    }
}

/// CPU time the calling thread has used, for debug timings that the machine's load does not
/// inflate the way it does wall time (`CLOCK_THREAD_CPUTIME_ID`).
pub fn thread_cpu_time() -> std::time::Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to fill in.
    let r = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    if r != 0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}
