//! The terminal: raw mode and the alternate screen on the way in, and the same undone on every
//! way out: normal return, error, panic (a hook), SIGTERM, SIGHUP, SIGINT and SIGQUIT (the app
//! loop quits). SIGTSTP gives the terminal back before the process stops; SIGCONT takes it again.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Restores the terminal when dropped.
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

pub fn enter(mouse: bool) -> io::Result<(Term, Guard)> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        hook(info);
    }));
    take(mouse)?;
    let guard = Guard;
    let term = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    Ok((term, guard))
}

fn take(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, cursor::Hide)?;
    if mouse {
        execute!(out, EnableMouseCapture)?;
    }
    Ok(())
}

/// SIGTSTP or ctrl-z: give the terminal back, then stop as SIGTSTP's default would (the shell
/// sees a stopped job). Returns once the process is continued (`fg`).
pub fn suspend() {
    restore();
    // SAFETY: plain libc calls on a zeroed `sigaction`. SIGTSTP's handler (tokio's) is swapped for
    // the default just long enough to stop on it, then put back exactly as it was.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut ours: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGTSTP, &default, &mut ours) != 0 {
            tracing::error!("cannot suspend: {}", io::Error::last_os_error());
            return;
        }
        libc::raise(libc::SIGTSTP);
        libc::sigaction(libc::SIGTSTP, &ours, std::ptr::null_mut());
    }
}

/// Take the terminal again after a stop: the shell has put it back in cooked mode (whatever
/// this process thought), so raw mode is set afresh.
pub fn resume(mouse: bool) -> io::Result<()> {
    if ACTIVE.load(Ordering::SeqCst) {
        // Stopped by SIGSTOP, not by us: crossterm still believes raw mode is on.
        let _ = disable_raw_mode();
    }
    take(mouse)
}

/// Undo `enter`; safe to call more than once and from a panic.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

pub fn set_mouse(on: bool) {
    let mut out = io::stdout();
    let _ = if on {
        execute!(out, EnableMouseCapture)
    } else {
        execute!(out, DisableMouseCapture)
    };
}

/// OSC 52: ask the terminal to put `text` on the clipboard. It travels over SSH; inside tmux it
/// is also sent wrapped for passthrough (tmux needs `set-clipboard on` or `allow-passthrough on`).
pub fn copy_osc52(text: &str) {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout();
    let _ = write!(out, "\x1b]52;c;{b64}\x07");
    if std::env::var_os("TMUX").is_some() {
        let _ = write!(out, "\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\");
    }
    let _ = out.flush();
}
