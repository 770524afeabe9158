//! What every tab shares with the app: the context it acts in, and what it
//! can ask of the app (a question, the help overlay, quitting).

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
    ApproveComplaint,
    CloseComplaint,
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
}
