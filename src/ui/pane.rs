//! What every tab shares with the app: the context it acts in, and what it
//! can ask of the app (a question, the help overlay, quitting).

use crate::domain::limits;
use crate::domain::text::is_control;
use crate::i18n::Lang;
use crate::service::Api;
use crate::ui::keymap::Context;
use crate::ui::status::Status;

pub struct Ctx<'a> {
    pub api: &'a dyn Api,
    pub lang: Lang,
    pub actor: &'a str,
    pub status: &'a mut Status,
    pub export_dir: &'a std::path::Path,
}

/// What a yes to a question does; the question carries it (a dangerous step
/// travels with the question that guards it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    DiscardForm,
    Quit,
    /// Mark a done promise open again (its completion date is cleared).
    ReopenPromise,
    CloseComplaint,
    /// Disable or enable the selected operator.
    ToggleOperator,
    /// Delete the selected post (and its future assignments).
    DeletePost,
    /// Mark the day shown in the attendance audit as audited.
    MarkAudited,
    /// Copy last week's roster into this week's empty cells.
    CopyWeek,
    /// Check a guard out well before the shift ends.
    CheckOutEarly,
    /// Reopen the draft offered at start (Enter), or discard it (Esc/d).
    ReopenDraft,
}

/// What a key in an open form means for the tab that owns it.
pub enum FormOutcome {
    Request(TabRequest),
    /// Esc on an unchanged form: close it.
    Close,
    Save,
    /// A lookup field picked an entry: (field id, picked id).
    Picked(&'static str, u64),
    TakeTheirs,
    KeepMine,
}

/// Route a key to the open form; the parts every tab handles alike are
/// decided here (help, quit, asking before discarding typed input).
pub fn form_outcome(form: &mut crate::ui::widgets::form::Form, key: crossterm::event::KeyEvent) -> FormOutcome {
    use crate::ui::widgets::form::FormEvent;
    match form.handle_key(key) {
        FormEvent::Consumed => FormOutcome::Request(TabRequest::None),
        FormEvent::Picked(field, id) => FormOutcome::Picked(field, id),
        FormEvent::Help => FormOutcome::Request(TabRequest::Help(Context::Form)),
        FormEvent::Quit => FormOutcome::Request(TabRequest::Quit),
        FormEvent::Cancel if form.is_dirty() && form.confirm_discard => FormOutcome::Request(TabRequest::ConfirmDiscard),
        FormEvent::Cancel => FormOutcome::Close,
        FormEvent::Save => FormOutcome::Save,
        FormEvent::TakeTheirs => FormOutcome::TakeTheirs,
        FormEvent::KeepMine => FormOutcome::KeepMine,
    }
}

/// What a tab asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TabRequest {
    None,
    /// Ask before discarding the open form.
    ConfirmDiscard,
    /// Ask `question`; a yes sends `Pending` back to the tab.
    Confirm(String, Pending),
    Help(Context),
    Quit,
    /// Open the complaint register for this client (from the client's file).
    RegisterComplaint(u64),
    /// Go back to the Clients tab (where a register form was opened from).
    BackToClients,
    /// Open one of the Overview's piles as the filtered list in its tab.
    OpenPile(crate::service::overview::Item),
}

/// What a key does to a filter being typed.
pub enum FilterEdit {
    /// Enter: keep the filter and go back to the list.
    Keep,
    /// Esc: clear it and go back.
    Clear,
    Quit,
    /// The text changed (typed or erased).
    Changed,
    Nothing,
}

/// Apply a key to filter text (at most 100 characters): the one editing
/// rule every list's filter follows.
pub fn edit_filter(text: &mut String, key: crossterm::event::KeyEvent, action: Option<crate::ui::keymap::Action>) -> FilterEdit {
    use crate::ui::keymap::Action;
    use crossterm::event::{KeyCode, KeyModifiers};
    match action {
        Some(Action::KeepFilter) => FilterEdit::Keep,
        Some(Action::Back) => {
            text.clear();
            FilterEdit::Clear
        }
        Some(Action::Quit) => FilterEdit::Quit,
        _ => match key.code {
            KeyCode::Backspace if !text.is_empty() => {
                text.pop();
                FilterEdit::Changed
            }
            KeyCode::Char(c)
                if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && !is_control(c)
                    && text.chars().count() < limits::FILTER.chars() =>
            {
                text.push(c);
                FilterEdit::Changed
            }
            _ => FilterEdit::Nothing,
        },
    }
}

/// Add pasted text to a one-line entry (a filter, a path): control
/// characters are dropped and the whole stays within `max` characters, however
/// often or much is pasted.
pub fn append_text(text: &mut String, added: &str, max: usize) {
    let room = max.saturating_sub(text.chars().count());
    text.extend(added.chars().filter(|c| !is_control(*c)).take(room));
}

/// Write an export under a name not used yet (never overwriting an
/// earlier one) and say where it went.
pub fn write_export(ctx: &mut Ctx, name: &str, bytes: &[u8]) {
    // Never overwrite an earlier export: add -2, -3… before the extension.
    let mut path = ctx.export_dir.join(name);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut n = 2;
    while path.exists() {
        path = ctx.export_dir.join(format!("{stem}-{n}.{ext}"));
        n += 1;
    }
    match std::fs::write(&path, bytes) {
        // Say where it is in full: "./x.csv" helps nobody find it.
        Ok(()) => {
            let shown = path.canonicalize().unwrap_or(path);
            ctx.status.ok(crate::i18n::fill(crate::i18n::T::StatusExported.get(ctx.lang), &[&shown.display().to_string()]))
        }
        Err(e) => {
            ctx.status.error(crate::i18n::fill(crate::i18n::T::StatusExportFailed.get(ctx.lang), &[&format!("{}: {e}", path.display())]))
        }
    }
}
