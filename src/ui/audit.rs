//! The Audit tab (admins and managers): every change, who and when, field
//! by field.

use crate::domain::limits;
use crate::domain::AuditEntry;
use crate::i18n::{fill, Lang, T};
use crate::service::audit::{AuditPage, AuditQuery};
use crate::service::Api;
use crate::ui::keymap::{Action, Context};
use crate::ui::messages::{audit_field, audit_value, service_error};
use crate::ui::pane::{edit_filter, Ctx, FilterEdit, TabRequest};
use crate::ui::text::{self, safe, truncate};
use crate::ui::theme::Theme;
use crate::ui::widgets::table::{self, Cell, Column, Nav, TableView};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};
use std::sync::{mpsc, Arc};

const KINDS: [&str; 8] = ["client", "visit", "complaint", "operator", "staff", "post", "postday", "swap"];

pub struct AuditTab {
    pub query: AuditQuery,
    pub filtering: bool,
    pub page: AuditPage,
    pub nav: Nav,
    pub height: usize,
    pub stale: bool,
    pub detail: Option<AuditEntry>,
    /// Why this operator cannot see the trail, if it cannot.
    pub refused: Option<String>,
    /// The operator and dates filter form, while open.
    pub form: Option<crate::ui::widgets::form::Form>,
    /// Where a filtered search of the trail runs aside, so typing never
    /// waits for a scan of a long history.
    pub api: Option<Arc<dyn Api>>,
    /// The search running aside: the query it answers and where its page arrives.
    searching: Option<(AuditQuery, mpsc::Receiver<crate::service::Result<AuditPage>>)>,
}

impl Default for AuditTab {
    fn default() -> Self {
        AuditTab {
            query: AuditQuery { limit: 100, ..Default::default() },
            filtering: false,
            page: AuditPage::default(),
            nav: Nav::default(),
            height: 20,
            stale: true,
            detail: None,
            refused: None,
            form: None,
            api: None,
            searching: None,
        }
    }
}

fn kind_text(kind: &str, lang: Lang) -> String {
    match kind {
        "client" => T::AuditKindClient.get(lang).into(),
        "visit" => T::AuditKindVisit.get(lang).into(),
        "complaint" => T::AuditKindComplaint.get(lang).into(),
        "operator" => T::AuditKindOperator.get(lang).into(),
        "staff" => T::AuditKindStaff.get(lang).into(),
        "post" => T::AuditKindPost.get(lang).into(),
        "postday" => T::AuditKindPostDay.get(lang).into(),
        "swap" => T::AuditKindSwap.get(lang).into(),
        other => other.into(),
    }
}

fn action_text(e: &AuditEntry, lang: Lang) -> &'static str {
    match e.action {
        crate::domain::AuditAction::Create => T::AuditCreate.get(lang),
        crate::domain::AuditAction::Update => T::AuditUpdate.get(lang),
        crate::domain::AuditAction::Delete => T::AuditDelete.get(lang),
    }
}

fn when(e: &AuditEntry) -> String {
    crate::i18n::dates::show_time(e.at.with_timezone(&chrono::Local).naive_local())
}

impl AuditTab {
    pub fn context(&self) -> Context {
        if self.form.is_some() {
            Context::Form
        } else if self.filtering {
            Context::Filter
        } else if self.detail.is_some() {
            Context::AuditDetail
        } else {
            Context::AuditList
        }
    }

    /// Filtered searches run aside through `api`.
    pub fn searching_with(api: Arc<dyn Api>) -> AuditTab {
        AuditTab { api: Some(api), ..Default::default() }
    }

    /// A filtered search is running aside.
    pub fn searching(&self) -> bool {
        self.searching.is_some()
    }

    pub fn prepare(&mut self, ctx: &mut Ctx, height: usize) {
        self.height = height.max(1);
        if let Some((q, rx)) = &self.searching {
            match rx.try_recv() {
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => self.searching = None,
                Ok(result) => {
                    // A page for filters typed over since is dropped; the
                    // search for the current ones starts below.
                    let current = q.same_filters(&self.query);
                    self.searching = None;
                    if current {
                        self.apply(result, ctx.lang);
                    }
                }
            }
        }
        let Some((offset, limit)) = self.nav.fetch_window(self.height, (self.page.offset, self.page.rows.len()), self.stale) else {
            return;
        };
        let q = AuditQuery { offset, limit, ..self.query.clone() };
        match &self.api {
            Some(api) if q.filtered() => {
                let (tx, rx) = mpsc::channel();
                let api = Arc::clone(api);
                let query = q.clone();
                std::thread::spawn(move || {
                    let _ = tx.send(api.audit(&query));
                });
                self.searching = Some((q, rx));
            }
            _ => {
                let result = ctx.api.audit(&q);
                self.apply(result, ctx.lang);
            }
        }
    }

    fn apply(&mut self, result: crate::service::Result<AuditPage>, lang: Lang) {
        match result {
            Ok(page) => {
                self.page = page;
                self.stale = false;
                self.refused = None;
                self.nav.fetched(self.page.total, self.height);
            }
            Err(e) => {
                self.stale = false;
                self.refused = Some(service_error(&e, lang));
            }
        }
    }

    fn selected(&self) -> Option<&AuditEntry> {
        self.nav.selected.checked_sub(self.page.offset).and_then(|i| self.page.rows.get(i))
    }

    fn refilter(&mut self) {
        self.stale = true;
        self.nav.home();
    }

    pub fn handle_action(&mut self, action: Action, _ctx: &mut Ctx) -> TabRequest {
        if self.detail.is_some() {
            match action {
                Action::Back => self.detail = None,
                Action::Help => return TabRequest::Help(Context::AuditDetail),
                Action::Quit => return TabRequest::Quit,
                _ => {}
            }
            return TabRequest::None;
        }
        let page = self.height.max(1);
        match action {
            Action::Up => self.nav.up(1),
            Action::Down => self.nav.down(1),
            Action::PageUp => self.nav.up(page),
            Action::PageDown => self.nav.down(page),
            Action::Home => self.nav.home(),
            Action::End => self.nav.end(),
            Action::Filter => self.filtering = true,
            Action::StatusFilter => {
                // Cycle the record kind: all → client → visit → complaint → operator → all.
                let i = self.query.kind.as_ref().and_then(|k| KINDS.iter().position(|x| x == k));
                self.query.kind = match i {
                    None => Some(KINDS[0].into()),
                    Some(i) => KINDS.get(i + 1).map(|k| k.to_string()),
                };
                self.refilter();
            }
            Action::Back => {
                self.query = AuditQuery { limit: 100, ..Default::default() };
                self.refilter();
            }
            Action::Open => self.detail = self.selected().cloned(),
            Action::MoreFilters => self.form = Some(filter_form(_ctx.lang, &self.query)),
            Action::Help => return TabRequest::Help(Context::AuditList),
            Action::Quit => return TabRequest::Quit,
            _ => {}
        }
        TabRequest::None
    }

    pub fn filter_key(&mut self, key: KeyEvent, action: Option<Action>) -> TabRequest {
        match edit_filter(&mut self.query.text, key, action) {
            FilterEdit::Keep => self.filtering = false,
            FilterEdit::Clear => {
                self.filtering = false;
                self.refilter();
            }
            FilterEdit::Changed => self.refilter(),
            FilterEdit::Quit => return TabRequest::Quit,
            FilterEdit::Nothing => {}
        }
        TabRequest::None
    }

    pub fn form_key(&mut self, key: KeyEvent, ctx: &mut Ctx) -> TabRequest {
        let Some(form) = self.form.as_mut() else { return TabRequest::None };
        match crate::ui::pane::form_outcome(form, key) {
            crate::ui::pane::FormOutcome::Request(r) => r,
            crate::ui::pane::FormOutcome::Save => {
                let mut errors = Vec::new();
                let mut date = |id: &str| {
                    let s = form.text(id);
                    if s.trim().is_empty() {
                        return None;
                    }
                    let d = crate::domain::validate::parse_date(&s);
                    if d.is_none() {
                        errors.push(crate::domain::FieldError::new(id, crate::domain::Invalid::Date));
                    }
                    d
                };
                let (from, to) = (date("from"), date("to"));
                if errors.is_empty() {
                    let who = form.text("who").trim().to_string();
                    self.query.who = (!who.is_empty()).then_some(who);
                    self.query.from = from;
                    self.query.to = to;
                    self.form = None;
                    self.refilter();
                } else {
                    form.set_errors(crate::ui::messages::field_messages(&errors, ctx.lang));
                }
                TabRequest::None
            }
            crate::ui::pane::FormOutcome::Close => {
                self.form = None;
                TabRequest::None
            }
            _ => TabRequest::None,
        }
    }

    pub fn table_height(area: Rect) -> usize {
        area.height.saturating_sub(2) as usize
    }

    pub fn render(&self, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
        if let Some(why) = &self.refused {
            Paragraph::new(why.clone()).wrap(Wrap { trim: true }).style(theme.alert()).render(area, buf);
            return;
        }
        if let Some(e) = &self.detail {
            return render_detail(e, buf, area, theme, lang);
        }
        let mut line = vec![];
        if self.filtering || !self.query.text.is_empty() {
            line.push(Span::styled(T::FilterPrompt.get(lang), theme.key()));
            line.push(Span::styled(safe(&self.query.text), theme.input()));
            line.push(Span::raw("  "));
        }
        if let Some(k) = &self.query.kind {
            line.push(Span::styled(format!("{} ", kind_text(k, lang)), theme.focus()));
        }
        if let Some(w) = &self.query.who {
            line.push(Span::styled(format!("{} ", safe(w)), theme.focus()));
        }
        if self.query.from.is_some() || self.query.to.is_some() {
            let d = |x: Option<chrono::NaiveDate>| x.map(crate::i18n::dates::show).unwrap_or_else(|| "…".into());
            line.push(Span::styled(format!("{} → {}", d(self.query.from), d(self.query.to)), theme.focus()));
        }
        let more = if self.page.more { "+" } else { "" };
        let count = if self.searching.is_some() {
            T::AuditSearching.get(lang).to_string()
        } else {
            fill(T::AuditCount.get(lang), &[&format!("{}{more}", self.page.total)])
        };
        Paragraph::new(Line::from(line)).render(Rect { height: 1, ..area }, buf);
        buf.set_string(area.x + area.width.saturating_sub(text::width(&count) as u16), area.y, &count, theme.dim());
        // Kind and action columns fit their longest word in this language.
        let widest =
            |words: &[String], title: T| words.iter().map(|w| text::width(w)).max().unwrap_or(0).max(text::width(title.get(lang))) as u16;
        let kinds: Vec<String> = KINDS.iter().map(|k| kind_text(k, lang)).collect();
        let actions: Vec<String> = [T::AuditCreate, T::AuditUpdate, T::AuditDelete].iter().map(|t| t.get(lang).to_string()).collect();
        let c = |t: T, width: u16, priority: u8| Column { title: t.get(lang).into(), width, min: 16, priority };
        let cols = vec![
            c(T::AuditColTime, crate::i18n::dates::width() + 6, 9),
            c(T::AuditColWho, 12, 8),
            c(T::AuditColKind, widest(&kinds, T::AuditColKind), 5),
            c(T::AuditColRecord, 0, 9),
            c(T::AuditColAction, widest(&actions, T::AuditColAction), 6),
            c(T::AuditColFields, 24, 3),
        ];
        let start = self.nav.top;
        let rows: Vec<Vec<Cell>> = (start..(start + Self::table_height(area)).min(self.nav.len))
            .filter_map(|i| i.checked_sub(self.page.offset).and_then(|j| self.page.rows.get(j)))
            .map(|e| {
                let fields: Vec<String> = e.changes.iter().map(|c| audit_field(&e.kind, &c.field, lang)).collect();
                vec![
                    Cell::new(when(e)),
                    Cell::new(e.who.clone()),
                    Cell::new(kind_text(&e.kind, lang)),
                    Cell::new(e.label.clone()),
                    Cell::new(action_text(e, lang)),
                    Cell::new(truncate(&fields.join(", "), 60)),
                ]
            })
            .collect();
        let view = TableView { columns: &cols, sort: None, rows: &rows, first: start, selected: Some(self.nav.selected) };
        table::render(buf, Rect { y: area.y + 1, height: area.height - 1, ..area }, theme, &view);
    }
}

fn render_detail(e: &AuditEntry, buf: &mut Buffer, area: Rect, theme: &Theme, lang: Lang) {
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", when(e)), theme.key()),
        Span::styled(format!("{} {} {} {}", safe(&e.who), action_text(e, lang), kind_text(&e.kind, lang), safe(&e.label)), theme.title()),
    ])];
    for c in &e.changes {
        let v = |s: &str| if s.is_empty() { "—".to_string() } else { safe(&audit_value(&e.kind, &c.field, s, lang)) };
        lines.push(Line::styled(format!("{}:", audit_field(&e.kind, &c.field, lang)), theme.header()));
        lines.push(Line::from(vec![Span::styled("  − ", theme.dim()), Span::raw(v(&c.before))]));
        lines.push(Line::from(vec![Span::styled("  + ", theme.ok()), Span::raw(v(&c.after))]));
    }
    Paragraph::new(lines).wrap(Wrap { trim: false }).render(area, buf);
}

/// Operator and dates, for the trail.
fn filter_form(lang: Lang, q: &AuditQuery) -> crate::ui::widgets::form::Form {
    use crate::ui::widgets::form::{FieldSpec, Form};
    let specs = vec![
        FieldSpec::text("who", T::AuditColWho.get(lang), limits::ACCOUNT).hint(T::CHintOptional.get(lang)),
        FieldSpec::text("from", T::AuditFieldFrom.get(lang), limits::DATE).hint(T::CHintOptional.get(lang)),
        FieldSpec::text("to", T::AuditFieldTo.get(lang), limits::DATE).hint(T::CHintOptional.get(lang)),
    ];
    let mut f = Form::new(T::AuditFormFilters.get(lang).into(), specs);
    let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    f.set_text("who", q.who.as_deref().unwrap_or(""));
    f.set_text("from", &d(q.from));
    f.set_text("to", &d(q.to));
    f.confirm_discard = false;
    f.mark_clean();
    f
}
