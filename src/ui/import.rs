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
}

pub struct ImportView {
    pub kind: Kind,
    pub step: Step,
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
    pub fn open(kind: Kind, export_dir: &std::path::Path) -> ImportView {
        let mut path = export_dir.display().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        ImportView { kind, step: Step::Path { path, error: None } }
    }

    pub fn context(&self) -> Context {
        match self.step {
            Step::Path { .. } => Context::ImportPath,
            Step::Preview { .. } => Context::ImportPreview,
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Step::Path { path, .. } = &mut self.step {
            path.extend(text.chars().filter(|c| !crate::domain::text::is_control(*c)).take(4096));
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
                    match read(&p, self.kind, ctx) {
                        Ok(report) => self.step = Step::Preview { path: p, report: Box::new(report), scroll: 0 },
                        Err(e) => *error = Some(e),
                    }
                    Outcome::Stay
                }
                (_, KeyCode::Backspace) => {
                    path.pop();
                    Outcome::Stay
                }
                (_, KeyCode::Char(c)) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                    path.push(c);
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
                    match ctx.api.import_csv(ctx.actor, self.kind, bytes, ImportMode::GoodRows) {
                        Ok(done) if done.imported > 0 => {
                            ctx.status.ok(fill(T::XferImported.get(lang), &[&done.imported.to_string()]));
                            Outcome::Closed(true)
                        }
                        // Something changed since the preview: show how it stands now.
                        Ok(done) => {
                            ctx.status.error(T::XferNothingImported.get(lang));
                            **report = done;
                            *scroll = 0;
                            Outcome::Stay
                        }
                        Err(e) => {
                            ctx.status.error(super::messages::service_error(&e, lang));
                            Outcome::Stay
                        }
                    }
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

/// Read the file and ask for a preview; a sentence when that cannot be done.
fn read(path: &str, kind: Kind, ctx: &mut Ctx) -> Result<ImportReport, String> {
    let lang = ctx.lang;
    let cannot = |e: std::io::Error| fill(T::XferCannotRead.get(lang), &[path, &e.to_string()]);
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(report::file_problem(kind, &crate::transfer::FileProblem::TooLarge { bytes: size }, lang));
    }
    let bytes = std::fs::read(path).map_err(cannot)?;
    let r = ctx.api.import_csv(ctx.actor, kind, bytes, ImportMode::Preview).map_err(|e| super::messages::service_error(&e, lang))?;
    match &r.file {
        Some(p) => Err(report::file_problem(kind, p, lang)),
        None => Ok(r),
    }
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
