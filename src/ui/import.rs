//! CSV import from a tab (Clients, Staff, Posts, Vehicles): a small dialog
//! asks for the file, then a preview shows the counts, the first good rows
//! and every bad row with its line; Enter or y imports the good rows in one
//! transaction, Esc leaves everything as it was. Everything goes through the
//! `Api`, so it works against the server too.

use super::keymap::{self, Action, Context};
use super::pane::Ctx;
use super::text::{truncate, width};
use super::theme::Theme;
use crate::i18n::{fill, Lang, T};
use crate::transfer::{cli::preview_lines, report, ImportMode, ImportReport, Kind, Table, MAX_IMPORT_BYTES};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

/// The longest path the import takes (PATH_MAX on Linux).
const PATH_CHARS: usize = 4096;

pub enum Step {
    /// Typing the path; `error` is what was wrong with the last try.
    Path {
        path: String,
        error: Option<String>,
    },
    Preview {
        path: String,
        report: Box<ImportReport>,
        scroll: usize,
    },
    /// The file being checked, or its rows stored, on a thread of its own
    /// so the screen can show how far it got.
    Working(Job),
}

/// How far a running check or import got, as the service reports it.
#[derive(Default)]
struct Reached {
    /// 0 reading the file, 1 storing the rows.
    stage: AtomicU64,
    done: AtomicU64,
    of: AtomicU64,
}

pub struct Job {
    path: String,
    bytes: u64,
    /// Storing the good rows (else checking the file for the preview).
    storing: bool,
    /// The preview to go back to when storing fails.
    before: Option<Box<ImportReport>>,
    started: std::time::Instant,
    reached: Arc<Reached>,
    done: mpsc::Receiver<crate::service::Result<ImportReport>>,
}

pub struct ImportView {
    pub kind: Kind,
    pub step: Step,
    api: Arc<dyn crate::service::Api>,
}

/// What a key did, for the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Closed; `true` when records were stored (lists read afresh).
    Closed(bool),
    Help,
    Quit,
}

fn kind_title(kind: Kind) -> T {
    match kind {
        Kind::Clients => T::TabClients,
        Kind::Staff => T::TabStaff,
        Kind::Posts => T::TabPosts,
        Kind::Vehicles => T::TabVehicles,
    }
}

impl ImportView {
    /// The path starts as the export directory, where exports were written.
    pub fn open(kind: Kind, export_dir: &std::path::Path, api: Arc<dyn crate::service::Api>) -> ImportView {
        let mut path = export_dir.display().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        ImportView { kind, step: Step::Path { path, error: None }, api }
    }

    pub fn context(&self) -> Context {
        match self.step {
            Step::Path { .. } => Context::ImportPath,
            Step::Preview { .. } | Step::Working(_) => Context::ImportPreview,
        }
    }

    /// A check or an import is running (the screen redraws to show it).
    pub fn busy(&self) -> bool {
        matches!(self.step, Step::Working(_))
    }

    /// Check the file, or store its good rows, on a thread of its own.
    fn start(&mut self, path: String, bytes: Vec<u8>, mode: ImportMode, actor: &str, before: Option<Box<ImportReport>>) {
        let reached = Arc::new(Reached::default());
        let (tx, done) = mpsc::channel();
        let (api, r, kind, actor) = (Arc::clone(&self.api), Arc::clone(&reached), self.kind, actor.to_string());
        let size = bytes.len() as u64;
        std::thread::spawn(move || {
            let progress = move |stage: crate::service::import::Stage, done: u64, of: u64| {
                r.stage.store(u64::from(stage == crate::service::import::Stage::Storing), Ordering::Relaxed);
                r.done.store(done, Ordering::Relaxed);
                r.of.store(of, Ordering::Relaxed);
            };
            // The view may be gone (Esc while checking): nobody to tell.
            let _ = tx.send(api.import_csv(&actor, kind, bytes, mode, &progress));
        });
        let storing = mode != ImportMode::Preview;
        self.step = Step::Working(Job { path, bytes: size, storing, before, started: std::time::Instant::now(), reached, done });
    }

    /// Move on once a running check or import is done; called before
    /// every frame. `Some` when the view should close.
    pub fn poll(&mut self, ctx: &mut Ctx) -> Option<Outcome> {
        let Step::Working(job) = &mut self.step else { return None };
        let lang = ctx.lang;
        let result = match job.done.try_recv() {
            Ok(r) => r,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => Err(crate::service::ServiceError::Store(T::XferStopped.get(lang).into())),
        };
        let path = std::mem::take(&mut job.path);
        let (storing, before) = (job.storing, job.before.take());
        match (storing, result) {
            (false, Ok(r)) => {
                self.step = match &r.file {
                    Some(p) => Step::Path { error: Some(report::file_problem(self.kind, p, lang)), path },
                    None => Step::Preview { path, report: Box::new(r), scroll: 0 },
                }
            }
            (false, Err(e)) => self.step = Step::Path { path, error: Some(super::messages::service_error(&e, lang)) },
            (true, Ok(done)) if done.imported > 0 => {
                ctx.status.ok(fill(T::XferImported.get(lang), &[&done.imported.to_string()]));
                return Some(Outcome::Closed(true));
            }
            // Something changed since the preview: show how it stands now.
            (true, Ok(done)) => {
                ctx.status.error(T::XferNothingImported.get(lang));
                self.step = Step::Preview { path, report: Box::new(done), scroll: 0 };
            }
            (true, Err(e)) => {
                ctx.status.error(super::messages::service_error(&e, lang));
                self.step = match before {
                    Some(report) => Step::Preview { path, report, scroll: 0 },
                    None => Step::Path { path, error: None },
                };
            }
        }
        None
    }

    pub fn paste(&mut self, text: &str) {
        if let Step::Path { path, .. } = &mut self.step {
            crate::ui::pane::append_text(path, text, PATH_CHARS);
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> Outcome {
        let action = keymap::lookup(self.context(), &key);
        if action == Some(Action::Quit) {
            return Outcome::Quit;
        }
        match &mut self.step {
            Step::Path { path, error } => match (action, key.code) {
                (Some(Action::Back), _) => {
                    ctx.status.info(T::XferCancelled.get(ctx.lang));
                    Outcome::Closed(false)
                }
                (Some(Action::Help), _) => Outcome::Help,
                (Some(Action::Open), _) => {
                    let p = path.trim().to_string();
                    match read(&p, self.kind, ctx.lang) {
                        Ok(bytes) => self.start(p, bytes, ImportMode::Preview, ctx.actor, None),
                        Err(e) => *error = Some(e),
                    }
                    Outcome::Stay
                }
                (_, KeyCode::Backspace) => {
                    path.pop();
                    Outcome::Stay
                }
                (_, KeyCode::Char(c)) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                    crate::ui::pane::append_text(path, &c.to_string(), PATH_CHARS);
                    Outcome::Stay
                }
                _ => Outcome::Stay,
            },
            Step::Preview { path, report, scroll } => match action {
                Some(Action::Back) => {
                    ctx.status.info(T::XferCancelled.get(ctx.lang));
                    Outcome::Closed(false)
                }
                Some(Action::Help) => Outcome::Help,
                Some(Action::Up) => {
                    *scroll = scroll.saturating_sub(1);
                    Outcome::Stay
                }
                Some(Action::Down) => {
                    *scroll += 1;
                    Outcome::Stay
                }
                Some(Action::PageUp) => {
                    *scroll = scroll.saturating_sub(10);
                    Outcome::Stay
                }
                Some(Action::PageDown) => {
                    *scroll += 10;
                    Outcome::Stay
                }
                Some(Action::Yes) if report.good > 0 => {
                    let lang = ctx.lang;
                    let bytes = match std::fs::read(path.as_str()) {
                        Ok(b) => b,
                        Err(e) => {
                            ctx.status.error(fill(T::XferCannotRead.get(lang), &[path, &e.to_string()]));
                            return Outcome::Stay;
                        }
                    };
                    let (p, before) = (path.clone(), report.clone());
                    self.start(p, bytes, ImportMode::GoodRows, ctx.actor, Some(before));
                    Outcome::Stay
                }
                _ => Outcome::Stay,
            },
            // Checking can be left (its answer is dropped); storing cannot
            // be stopped halfway, so keys wait for it.
            Step::Working(job) => match action {
                Some(Action::Back) if !job.storing => {
                    ctx.status.info(T::XferCancelled.get(ctx.lang));
                    Outcome::Closed(false)
                }
                _ => Outcome::Stay,
            },
        }
    }

    /// Drawn over the tab; returns where the caret goes while typing the path.
    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) -> Option<Position> {
        let title = fill(T::XferDialogTitle.get(lang), &[kind_title(self.kind).get(lang)]);
        match &self.step {
            Step::Path { path, error } => {
                let r = super::widgets::centered(area, area.width.saturating_sub(8).min(100), 8);
                super::widgets::clear_for_overlay(r, buf);
                let block = Block::default().borders(Borders::ALL).title(format!(" {title} ")).border_style(theme.focus());
                let inner = block.inner(r);
                block.render(r, buf);
                let label = T::XferDialogPath.get(lang);
                let room = (inner.width as usize).saturating_sub(width(label) + 1);
                // The end of a long path is what is being typed: show that.
                let shown: String = {
                    let mut s = path.as_str();
                    while width(s) > room {
                        let mut cs = s.chars();
                        cs.next();
                        s = cs.as_str();
                    }
                    s.to_string()
                };
                let mut lines = vec![Line::from(format!("{label}{shown}")), Line::styled(T::XferDialogHint.get(lang), theme.dim())];
                if let Some(e) = error {
                    lines.push(Line::from(""));
                    lines.push(Line::styled(e.clone(), theme.error()));
                }
                Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }).render(inner, buf);
                Some(Position { x: inner.x + (width(label) + width(&shown)) as u16, y: inner.y })
            }
            Step::Working(job) => {
                let r = super::widgets::centered(area, area.width.saturating_sub(8).min(100), 7);
                super::widgets::clear_for_overlay(r, buf);
                let block = Block::default().borders(Borders::ALL).title(format!(" {title} ")).border_style(theme.focus());
                let inner = block.inner(r);
                block.render(r, buf);
                let stage = job.reached.stage.load(Ordering::Relaxed);
                let (done, of) = (job.reached.done.load(Ordering::Relaxed), job.reached.of.load(Ordering::Relaxed));
                let doing = if stage == 1 { T::XferStoring } else { T::XferReading };
                let w = inner.width as usize;
                buf.set_string(inner.x, inner.y, truncate(doing.get(lang), w), theme.header());
                let secs = job.started.elapsed().as_secs().to_string();
                let kb = job.bytes.div_ceil(1024).to_string();
                let on = fill(T::XferWorkingOn.get(lang), &[&job.path, &kb, &secs]);
                buf.set_string(inner.x, inner.y + 1, truncate(&on, w), theme.dim());
                // The bar: how far, when the service says; else a block
                // moving to and fro (an answer from the server comes whole).
                let bar_w = w.saturating_sub(6).max(1);
                let bar = if of > 0 {
                    let filled = ((done.min(of) as f64 / of as f64) * bar_w as f64).round() as usize;
                    format!("{}{} {:>3}%", "█".repeat(filled), "░".repeat(bar_w - filled), done.min(of) * 100 / of)
                } else {
                    let step = (job.started.elapsed().as_millis() / 120) as usize % (2 * bar_w.max(2) - 2).max(1);
                    let at = if step < bar_w { step } else { 2 * bar_w - 2 - step };
                    format!("{}█{}", "░".repeat(at), "░".repeat(bar_w.saturating_sub(at + 1)))
                };
                buf.set_string(inner.x, inner.y + 3, truncate(&bar, w), theme.title());
                let hint = if job.storing { T::XferStoringHint } else { T::XferCheckingHint };
                buf.set_string(inner.x, inner.y + 4, truncate(hint.get(lang), w), theme.dim());
                None
            }
            Step::Preview { report, scroll, .. } => {
                let r = Rect { x: area.x + 1, y: area.y, width: area.width.saturating_sub(2), height: area.height };
                super::widgets::clear_for_overlay(r, buf);
                let block = Block::default().borders(Borders::ALL).title(format!(" {title} ")).border_style(theme.focus());
                let inner = block.inner(r);
                block.render(r, buf);
                let body: Vec<String> = preview_lines(report, lang);
                let room = inner.height.saturating_sub(2) as usize;
                let start = (*scroll).min(body.len().saturating_sub(room));
                for (i, l) in body.iter().skip(start).take(room).enumerate() {
                    let style =
                        if report.bad.is_empty() || i + start < body.len() - report.bad.len() { theme.input() } else { theme.error() };
                    buf.set_string(inner.x, inner.y + i as u16, truncate(l, inner.width as usize), style);
                }
                let ask = if report.good > 0 {
                    fill(T::XferPreviewAsk.get(lang), &[&report.good.to_string()])
                } else {
                    T::XferPreviewNone.get(lang).to_string()
                };
                buf.set_string(inner.x, inner.y + inner.height.saturating_sub(1), truncate(&ask, inner.width as usize), theme.key());
                None
            }
        }
    }
}

/// Read the file to check; a sentence when that cannot be done.
fn read(path: &str, kind: Kind, lang: Lang) -> Result<Vec<u8>, String> {
    let cannot = |e: std::io::Error| fill(T::XferCannotRead.get(lang), &[path, &e.to_string()]);
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(report::file_problem(kind, &crate::transfer::FileProblem::TooLarge { bytes: size }, lang));
    }
    std::fs::read(path).map_err(cannot)
}

/// Export the tab's table to the export directory; says where on the status line.
pub fn export(table: Table, ctx: &mut Ctx) {
    let lang = ctx.lang;
    let path = crate::transfer::cli::default_path(ctx.export_dir, table, ctx.api.today());
    let result = ctx
        .api
        .export_csv(table, lang)
        .map_err(|e| super::messages::service_error(&e, lang))
        .and_then(|bytes| std::fs::write(&path, bytes).map_err(|e| fill(T::StatusExportFailed.get(lang), &[&e.to_string()])));
    match result {
        Ok(()) => ctx.status.ok(fill(T::StatusExported.get(lang), &[&path.display().to_string()])),
        Err(e) => ctx.status.error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{Service, SystemClock};
    use crate::ui::status::Status;

    fn view(dir: &std::path::Path) -> ImportView {
        let api: Arc<dyn crate::service::Api> = Service::new(crate::store::Store::open(dir).unwrap(), Box::new(SystemClock));
        ImportView::open(Kind::Clients, dir, api)
    }

    fn screen(v: &ImportView) -> String {
        let area = Rect::new(0, 0, 90, 20);
        let mut buf = Buffer::empty(area);
        v.render(&mut buf, area, &Theme::default(), Lang::En);
        (0..area.height).map(|y| (0..area.width).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect()
    }

    #[test]
    fn a_running_import_shows_how_far_it_got_then_its_outcome() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = view(dir.path());
        let (tx, done) = mpsc::channel();
        let reached = Arc::new(Reached::default());
        let report = ImportReport { good: 400, rows: 400, ..ImportReport::new(Kind::Clients) };
        let job = Job {
            path: "clients.csv".into(),
            bytes: 40_960,
            storing: true,
            before: Some(Box::new(report.clone())),
            started: std::time::Instant::now(),
            reached: Arc::clone(&reached),
            done,
        };
        v.step = Step::Working(job);
        assert!(v.busy());
        reached.stage.store(1, Ordering::Relaxed);
        reached.done.store(100, Ordering::Relaxed);
        reached.of.store(400, Ordering::Relaxed);
        let s = screen(&v);
        assert!(s.contains("Storing the imported records") && s.contains(" 25%") && s.contains("clients.csv (40 KB)"), "{s}");
        // Keys wait while rows are stored: nothing can stop it halfway.
        let mut status = Status::default();
        let api = v.api.clone();
        let mut ctx = Ctx { api: api.as_ref(), lang: Lang::En, actor: "li", status: &mut status, export_dir: dir.path() };
        let esc = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
        assert_eq!(v.handle_key(esc, &mut ctx), Outcome::Stay);
        assert_eq!(v.poll(&mut ctx), None, "still running");
        tx.send(Ok(ImportReport { imported: 400, ..report })).unwrap();
        assert_eq!(v.poll(&mut ctx), Some(Outcome::Closed(true)));
        assert!(status.text.contains("Imported 400 records"), "{}", status.text);
    }

    #[test]
    fn checking_a_real_file_runs_aside_and_lands_on_the_preview() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.csv");
        std::fs::write(&file, "Name\n华贸\n恒达\n").unwrap();
        let mut v = view(dir.path());
        let mut status = Status::default();
        let api = v.api.clone();
        let mut ctx = Ctx { api: api.as_ref(), lang: Lang::En, actor: "li", status: &mut status, export_dir: dir.path() };
        v.step = Step::Path { path: file.display().to_string(), error: None };
        v.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), &mut ctx);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while v.busy() && std::time::Instant::now() < deadline {
            assert!(screen(&v).contains("Reading and checking the file"));
            v.poll(&mut ctx);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        match &v.step {
            Step::Preview { report, .. } => assert_eq!((report.rows, report.good), (2, 2)),
            _ => panic!("no preview:\n{}", screen(&v)),
        }
    }
}
