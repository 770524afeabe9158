//! `guardroom screenshots DIR`: every tab of the demo data set, and a few
//! files and forms, drawn at 120×36 in Chinese and in English and written as
//! SVG pictures for the README. The clock is fixed on the demo's reference
//! day, so running it again on the same code gives the same bytes.

use super::app::{App, TabId};
use super::theme::Theme;
use crate::i18n::Lang;
use crate::service::{Api, FixedClock, Service};
use crate::store::Store;
use anyhow::Context as _;
use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::Terminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const WIDTH: u16 = 120;
pub const HEIGHT: u16 = 36;

/// The account shown in the tab bar.
const ACTOR: &str = "kefu";

/// One picture: its file stem (`clients`, `complaints-form`…), language and frame.
pub struct Shot {
    pub name: String,
    pub lang: Lang,
    pub buffer: Buffer,
    pub cursor: Option<Position>,
}

impl Shot {
    pub fn file_name(&self) -> String {
        let lang = match self.lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        format!("{}.{lang}.svg", self.name)
    }
}

/// A database at `db` holding the demo set, its clock stopped on the
/// demo's reference day (the day its dates are written for) at 09:30.
pub fn demo_service(db: &Path) -> anyhow::Result<Arc<Service>> {
    let store = Store::open(db).map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).single().context("the demo's reference time")?;
    let service = Service::new(store, Box::new(FixedClock(now)));
    service.bootstrap_admin(ACTOR).map_err(|e| anyhow::anyhow!("{e}"))?;
    service.load_demo(ACTOR).map_err(|e| anyhow::anyhow!("{e}"))?;
    service.preload().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(service)
}

/// A tab's file stem: its name in lower case (`clients`, `vehicles`).
pub fn tab_name(tab: TabId) -> String {
    format!("{tab:?}").to_lowercase()
}

/// A fresh app on `tab`, as an operator who has just switched to it.
fn app_on(api: &Arc<dyn Api>, lang: Lang, tab: TabId) -> App {
    let mut app = App::new(Arc::clone(api), lang, Theme::default(), ACTOR);
    app.tab = tab;
    app
}

/// Draw the app, press `keys` (drawing after each, as the terminal loop
/// does), and keep the last frame.
pub fn render(app: &mut App, keys: &[KeyCode]) -> (Buffer, Option<Position>) {
    let mut term = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test backend cannot fail");
    term.draw(|f| app.draw(f)).expect("a test backend cannot fail");
    for k in keys {
        app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        term.draw(|f| app.draw(f)).expect("a test backend cannot fail");
    }
    // The caret shows only where a form waits for typing (the backend keeps
    // its last position while hidden).
    let cursor = term.get_cursor_position().ok().filter(|_| app.context() == super::keymap::Context::Form);
    (term.backend().buffer().clone(), cursor)
}

/// The screen as text, a line per row, as read on screen: a wide
/// character's blank second cell is dropped.
pub fn screen_lines(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let s = buf[(x, y)].symbol();
                line.push_str(s);
                x += crate::cells::width(s).max(1) as u16;
            }
            line
        })
        .collect()
}

/// Views inside tabs worth a picture of their own: (name, tab, keys).
fn extras() -> Vec<(&'static str, TabId, Vec<KeyCode>)> {
    vec![
        ("clients-file", TabId::Clients, vec![KeyCode::Enter]),
        ("complaints-file", TabId::Complaints, vec![KeyCode::Enter]),
        ("complaints-form", TabId::Complaints, vec![KeyCode::Char('n')]),
        ("clients-help", TabId::Clients, vec![KeyCode::Char('?')]),
    ]
}

/// Every picture, in a stable order: each tab, then the extras, per language.
pub fn shots(api: &Arc<dyn Api>) -> Vec<Shot> {
    let mut out = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for tab in TabId::ALL {
            let (buffer, cursor) = render(&mut app_on(api, lang, tab), &[]);
            out.push(Shot { name: tab_name(tab), lang, buffer, cursor });
        }
        for (name, tab, keys) in extras() {
            let (buffer, cursor) = render(&mut app_on(api, lang, tab), &keys);
            out.push(Shot { name: name.into(), lang, buffer, cursor });
        }
    }
    out
}

/// Write the pictures into `out` (created if missing); returns the files.
pub fn write(out: &Path, shots: &[Shot]) -> anyhow::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut files = Vec::new();
    for s in shots {
        let path = out.join(s.file_name());
        std::fs::write(&path, super::svg::to_svg(&s.buffer, s.cursor)).with_context(|| format!("cannot write {}", path.display()))?;
        files.push(path);
    }
    Ok(files)
}

/// The command: a demo database in a temporary directory, every picture
/// into `out`. The database is opened by the relative name `guardroom.db`
/// from inside that directory, so the pictures show that name rather than
/// a temporary path that changes each run; times are shown in UTC, the
/// zone the fixed clock is written in, so they do not depend on where it runs.
pub fn run(out: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let out = std::path::absolute(out).with_context(|| format!("cannot resolve {}", out.display()))?;
    let tmp = tempfile::tempdir().context("cannot create a temporary directory for the demo database")?;
    let back = std::env::current_dir().ok();
    std::env::set_current_dir(tmp.path()).context("cannot enter the temporary directory")?;
    std::env::set_var("TZ", "UTC");
    let result = (|| {
        let service = demo_service(Path::new("guardroom.db"))?;
        let api: Arc<dyn Api> = service;
        let shots = shots(&api);
        drop(api);
        write(&out, &shots)
    })();
    if let Some(dir) = back {
        std::env::set_current_dir(dir).ok();
    }
    result
}
