//! Owning the terminal: raw mode, alternate screen and bracketed paste on
//! the way in; restored on every way out (quit, Ctrl-C, SIGTERM, SIGHUP, a
//! terminal that went away, panics), and the event loop itself.

use super::app::App;
use super::scrolling::Scrolling;
use crate::service::Api;
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use ratatui::backend::CrosstermBackend;
use std::io::{stdout, Stdout, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Restores the terminal when dropped, however the loop ends.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        restore();
    }
}

/// Every step is tried and its error ignored: after an SSH drop there is no
/// terminal to write to, and a failing step must not keep the others from
/// running, nor print (printing to a hung-up terminal panics, and a panic
/// while restoring aborts the process).
pub fn restore() {
    let _ = crossterm::terminal::disable_raw_mode();
    let _ = crossterm::execute!(stdout(), DisableBracketedPaste, crossterm::terminal::LeaveAlternateScreen, crossterm::cursor::Show);
}

/// On a panic: restore the terminal, log the panic to the log file, then
/// print the message and a sentence saying what to do (where there is
/// still a terminal to print to).
pub fn install_panic_report() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!(%info, %backtrace, "guardroom panicked");
        previous(info);
        let lang = crate::i18n::RUN_LANG.get().copied().unwrap_or(crate::i18n::Lang::En);
        let _ = writeln!(std::io::stderr(), "{}", crate::i18n::T::CrashMessage.get(lang));
    }));
}

/// Raw mode and the alternate screen (ratatui's `init`, without its panic
/// hook: ours restores without printing).
fn init() -> std::io::Result<Term> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(stdout(), crossterm::terminal::EnterAlternateScreen)?;
    let regions = Scrolling::<CrosstermBackend<Stdout>>::supported(std::env::var("TERM").ok().as_deref());
    ratatui::Terminal::new(Scrolling::new(CrosstermBackend::new(stdout()), regions))
}

/// The terminal, drawn through a backend that scrolls moved rows.
type Term = ratatui::Terminal<Scrolling<CrosstermBackend<Stdout>>>;

pub fn run(api: Arc<dyn Api>, mut app: App) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let (tx, rx) = mpsc::channel();
    if app.loading {
        let api = Arc::clone(&api);
        std::thread::spawn(move || {
            let _ = tx.send(api.preload());
        });
    }
    let _restore = Restore;
    let mut terminal = init()?;
    let _ = crossterm::execute!(stdout(), EnableBracketedPaste);
    let ours = Ours::now();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| event_loop(&api, &mut app, &mut terminal, &stop, &rx, &ours)));
    // Any end but a quit the operator chose (a hang-up, SIGTERM, a lost
    // terminal, a panic) keeps the unsaved forms as drafts for next time.
    if !app.quit {
        app.keep_drafts();
    }
    match outcome {
        // The terminal went away before (or instead of) its SIGHUP: the
        // same quiet end as the hang-up itself, not a failure to report
        // on a terminal that is no longer there.
        Ok(Err(e)) if ours.lost(&e) => {
            tracing::info!(error = %e, "the terminal went away");
            Ok(())
        }
        Ok(result) => Ok(result?),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Which of stdin and stdout were the terminal when the session began.
struct Ours {
    stdin: bool,
    stdout: bool,
}

impl Ours {
    fn now() -> Ours {
        use std::io::IsTerminal as _;
        Ours { stdin: std::io::stdin().is_terminal(), stdout: stdout().is_terminal() }
    }

    /// The terminal is gone: one that was ours no longer answers as a
    /// terminal (a hung-up one refuses every request).
    fn gone(&self) -> bool {
        use std::io::IsTerminal as _;
        (self.stdin && !std::io::stdin().is_terminal()) || (self.stdout && !stdout().is_terminal())
    }

    /// An input or output error that means the terminal went away: EIO
    /// (read or write once the other side closed, as sshd's pty does on
    /// a dropped link) or ENXIO, or any error once it is gone.
    fn lost(&self, e: &std::io::Error) -> bool {
        matches!(e.raw_os_error(), Some(libc::EIO | libc::ENXIO)) || self.gone()
    }
}

fn event_loop(
    api: &Arc<dyn Api>,
    app: &mut App,
    terminal: &mut Term,
    stop: &AtomicBool,
    rx: &mpsc::Receiver<crate::service::Result<usize>>,
    ours: &Ours,
) -> std::io::Result<()> {
    // Diagnostics: with GUARDROOM_CRASH_KEY=F12, F12 panics, so that the
    // restore-and-report path can be checked on a real terminal.
    let crash_key = std::env::var("GUARDROOM_CRASH_KEY").is_ok_and(|v| v == "F12");
    let mut redraw = true;
    let mut was_reconnecting = false;
    // Where each frame is left for the backend that scrolls moved rows.
    let copy = terminal.backend().frame_copy();
    while !app.quit {
        if stop.load(Ordering::Relaxed) {
            tracing::info!("stopped by a signal");
            break;
        }
        // A running import shows how far it got.
        if redraw || app.busy() {
            terminal.draw(|f| {
                app.draw(f);
                copy.keep(f.buffer_mut());
            })?;
            redraw = false;
        }
        if let Ok(result) = rx.try_recv() {
            app.loaded(result);
            redraw = true;
        }
        // The connection to the server dropping or coming back shows at once.
        let reconnecting = api.reconnecting();
        if reconnecting != was_reconnecting {
            was_reconnecting = reconnecting;
            redraw = true;
        }
        // Other sessions' saves (server mode) show without moving anything.
        let changes = api.take_changes();
        if !changes.is_empty() {
            app.others_changed(&changes);
            redraw = true;
        }
        // Drain every pending event, then draw once.
        if !event::poll(Duration::from_millis(100))? {
            // A hung-up terminal reads as "nothing yet" forever: when its
            // SIGHUP does not come (or has not yet), notice it is gone.
            if ours.gone() {
                tracing::info!("the terminal went away");
                break;
            }
        } else {
            loop {
                let ev = event::read()?;
                let before = (app.context(), app.help.is_some(), app.dialog.is_some());
                if crash_key && matches!(&ev, event::Event::Key(k) if k.code == event::KeyCode::F(12)) {
                    panic!("crash requested with F12 (GUARDROOM_CRASH_KEY)");
                }
                app.handle_event(ev);
                redraw = true;
                // A pane or overlay opened or closed: repaint everything, since
                // ratatui's diff can leave a cell behind next to wide characters.
                if (app.context(), app.help.is_some(), app.dialog.is_some()) != before {
                    terminal.clear()?;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Ours;

    #[test]
    fn eio_and_enxio_mean_the_terminal_went_away_other_errors_do_not() {
        // Neither was a terminal here, so only the error itself can tell.
        let ours = Ours { stdin: false, stdout: false };
        assert!(!ours.gone());
        for errno in [libc::EIO, libc::ENXIO] {
            assert!(ours.lost(&std::io::Error::from_raw_os_error(errno)), "{errno}");
        }
        assert!(!ours.lost(&std::io::Error::from_raw_os_error(libc::EACCES)));
        assert!(!ours.lost(&std::io::Error::other("not a system error")));
    }
}
