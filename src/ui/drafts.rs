//! Drafts: the forms that held unsaved input when a session ended without
//! a quit (an SSH drop's SIGHUP, a SIGTERM, a panic), kept in a small JSON
//! file in the data directory, one file per operator account and database,
//! and offered again at the next start.
//!
//! A draft keeps which form it was (the tab, the record and the version the
//! edit started from) and every field's baseline and typed value, so a
//! reopened edit of a record someone changed since goes through the same
//! conflict path as any other edit: nothing is silently overwritten.

use super::widgets::form::FormSnapshot;
use crate::i18n::Lang;
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The file's format; a file of another format is left alone.
pub const FORMAT: u32 = 1;

/// Which form, with what it needs to be opened again. `version` is the
/// record's version when the edit started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Target {
    NewClient,
    EditClient { id: u64, version: u64 },
    NewVisit { client_id: u64 },
    Review { id: u64, version: u64 },
    RegisterComplaint,
    EditComplaint { id: u64, version: u64 },
    ComplaintStep { id: u64, version: u64, step: String },
    NewStaff,
    EditStaff { id: u64, version: u64 },
    NewPost,
    EditPost { id: u64, version: u64 },
    NewOperator,
    OperatorRole { account: String },
    NewVehicle,
    EditVehicle { id: u64, version: u64 },
    Trip { vehicle_id: u64, editing: Option<(u64, u64)> },
    VehicleCheck { vehicle_id: u64, month: NaiveDate, editing: Option<(u64, u64)> },
    Accident { vehicle_id: u64 },
    NewRoom,
    EditRoom { id: u64, version: u64 },
    Handover { post_id: u64, date: NaiveDate, shift: u16 },
    Patrol { post_id: u64, date: NaiveDate },
}

impl Target {
    /// The record the form edits, and its version then.
    pub fn edited(&self) -> Option<(u64, u64)> {
        match *self {
            Target::EditClient { id, version }
            | Target::Review { id, version }
            | Target::EditComplaint { id, version }
            | Target::ComplaintStep { id, version, .. }
            | Target::EditStaff { id, version }
            | Target::EditPost { id, version }
            | Target::EditVehicle { id, version }
            | Target::EditRoom { id, version } => Some((id, version)),
            Target::Trip { editing, .. } | Target::VehicleCheck { editing, .. } => editing,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The tab, by its file-stem name (`clients`, `vehicles`).
    pub tab: String,
    pub target: Target,
    /// The form's title and its first filled-in line, to say what it is.
    pub title: String,
    pub about: String,
    pub form: FormSnapshot,
    /// The language the title is in (files kept before it was noted: unknown).
    #[serde(default)]
    pub lang: Option<Lang>,
}

impl Draft {
    /// "Edit client KH-0001 · 上海华贸中心物业管理有限公司"; in another
    /// language than the one it was kept in, the tab's name stands for the
    /// title: "客户 · 上海华贸中心物业管理有限公司".
    pub fn description(&self, lang: Lang) -> String {
        let head = match TabId::named(&self.tab) {
            Some(tab) if self.lang != Some(lang) => tab.title().get(lang).to_string(),
            _ => self.title.clone(),
        };
        let about = crate::ui::text::safe(self.about.trim());
        if about.is_empty() || head.contains(&about) {
            head
        } else {
            format!("{head} · {about}")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFile {
    pub format: u32,
    pub account: String,
    /// The database (its path) or server (its socket) the drafts belong to.
    pub database: String,
    /// Local time of the stop.
    pub saved_at: NaiveDateTime,
    pub drafts: Vec<Draft>,
}

/// Where one operator's drafts for one database live.
#[derive(Debug, Clone)]
pub struct DraftStore {
    pub path: PathBuf,
    pub account: String,
    pub database: String,
}

impl DraftStore {
    /// `dir/drafts/ACCOUNT@HASH.json`, HASH naming the database, so two
    /// databases or two accounts never see each other's drafts.
    pub fn new(data_dir: &Path, account: &str, database: &str) -> DraftStore {
        let safe: String = account.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '_' }).collect();
        let hash = crc32fast::hash(database.as_bytes());
        DraftStore {
            path: data_dir.join("drafts").join(format!("{safe}@{hash:08x}.json")),
            account: account.to_string(),
            database: database.to_string(),
        }
    }

    /// Write the drafts (or remove the file when there are none): a
    /// temporary file, synced, renamed over the old one, and the directory
    /// synced, so the file is either the old one or the whole new one.
    pub fn save(&self, saved_at: NaiveDateTime, drafts: &[Draft]) -> std::io::Result<()> {
        if drafts.is_empty() {
            return self.clear();
        }
        let file =
            DraftFile { format: FORMAT, account: self.account.clone(), database: self.database.clone(), saved_at, drafts: drafts.to_vec() };
        let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let tmp = self.path.with_extension("json.tmp");
        {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            // Drafts hold client data: the operator's eyes only.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
            let mut f = opts.open(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// The drafts kept for this account and database; none when there is no
    /// file, and none (with a log line) when it cannot be read.
    pub fn load(&self) -> Option<DraftFile> {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot read the drafts");
                return None;
            }
        };
        match serde_json::from_slice::<DraftFile>(&bytes) {
            Ok(f) if f.format == FORMAT && f.account == self.account && f.database == self.database && !f.drafts.is_empty() => Some(f),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "the drafts file cannot be read; it is left as it is");
                None
            }
        }
    }

    pub fn clear(&self) -> std::io::Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The app's side: where drafts go, and those of the last session still
/// to be offered.
#[derive(Default)]
pub struct Drafts {
    pub store: Option<DraftStore>,
    offered: Vec<Draft>,
    offered_at: Option<NaiveDateTime>,
    /// Offered, but could not be reopened: kept for the next start.
    held: Vec<Draft>,
}

impl Drafts {
    /// Drafts of the last session not yet reopened or discarded.
    pub fn offered(&self) -> &[Draft] {
        &self.offered
    }
}

/// A reopened draft edits on from the version it started from, so a change
/// made since meets the usual conflict when it is saved; the form says so
/// at once.
pub fn edit_from(form: &mut super::widgets::form::Form, version: &mut u64, then: u64, lang: crate::i18n::Lang) {
    if *version != then {
        form.notice = Some(T::DraftChangedSince.get(lang).into());
    }
    *version = then;
}

/// The last step of reopening a draft in a list tab whose form is
/// `(form, Some((id, version)))` when it edits a record: `selected` is the
/// record the list shows selected now and `open` opens the form for it (or
/// a new one). An edit needs its record still there, and goes on from the
/// draft's version.
pub fn reopen_form<'a>(
    target: &Target,
    selected: Option<u64>,
    ctx: &mut Ctx,
    open: impl FnOnce(&mut Ctx) -> Option<&'a mut (super::widgets::form::Form, Option<(u64, u64)>)>,
) -> bool {
    let edited = target.edited();
    if edited.is_some_and(|(id, _)| selected != Some(id)) {
        ctx.status.error(T::DraftRecordGone.get(ctx.lang));
        return false;
    }
    match (open(ctx), edited) {
        (Some((form, Some((_, version)))), Some((_, then))) => {
            edit_from(form, version, then, ctx.lang);
            true
        }
        (Some(_), None) => true,
        _ => false,
    }
}

use super::app::{App, TabId};
use super::pane::{Ctx, Pending};
use super::widgets::dialog::Confirm;
use crate::i18n::{fill, T};
use crossterm::event::{KeyCode, KeyEvent};

impl App {
    /// Every tab's form holding unsaved input, as drafts.
    pub fn unsaved_forms(&self) -> Vec<Draft> {
        let mut out = Vec::new();
        for tab in TabId::ALL {
            let found = match tab {
                TabId::Overview | TabId::Audit => None,
                TabId::Clients => self.clients.draft(),
                TabId::Complaints => self.complaints.draft(),
                TabId::Rosters => self.rosters.draft(),
                TabId::Staff => self.staff.draft(),
                TabId::Posts => self.posts.draft(),
                TabId::Dorm => self.dorm.draft(),
                TabId::Vehicles => self.vehicles.draft(),
                TabId::Operators => self.operators.draft(),
            };
            if let Some((target, form)) = found.filter(|(_, f)| f.is_dirty()) {
                out.push(Draft {
                    tab: super::screenshots::tab_name(tab),
                    target,
                    title: form.title.clone(),
                    about: form.first_text().unwrap_or_default(),
                    form: form.snapshot(),
                    lang: Some(self.lang),
                });
            }
        }
        out
    }

    /// The session ends without a quit the operator chose (a hang-up, a
    /// SIGTERM, a lost terminal, a panic): keep every unsaved form, and
    /// the drafts still waiting to be offered. Returns how many were kept.
    pub fn keep_drafts(&self) -> usize {
        let Some(store) = &self.drafts.store else { return 0 };
        let mut drafts: Vec<Draft> = self.drafts.held.iter().chain(&self.drafts.offered).cloned().collect();
        drafts.extend(self.unsaved_forms());
        let at = self.api.local_now();
        match store.save(at, &drafts) {
            Ok(()) => {
                tracing::info!(drafts = drafts.len(), path = %store.path.display(), "unsaved forms kept as drafts");
                drafts.len()
            }
            Err(e) => {
                tracing::error!(path = %store.path.display(), error = %e, "cannot keep the unsaved forms as drafts");
                0
            }
        }
    }

    /// Use `store` for drafts, and offer those the last session left.
    pub fn use_drafts(&mut self, store: DraftStore) {
        if let Some(file) = store.load() {
            self.drafts.offered = file.drafts;
            self.drafts.offered_at = Some(file.saved_at);
        }
        self.drafts.store = Some(store);
        self.offer_next_draft();
    }

    fn offer_next_draft(&mut self) {
        let (Some(d), None) = (self.drafts.offered.first(), &self.dialog) else { return };
        let at = self.drafts.offered_at.map(crate::i18n::dates::show_time).unwrap_or_default();
        let question = fill(T::DraftOffer.get(self.lang), &[&d.description(self.lang), &at]);
        self.dialog = Some(Confirm { question, answers: T::DraftAnswers.get(self.lang).into(), on_yes: Pending::ReopenDraft });
    }

    /// A key on the draft offer: Enter (or y) reopens it, Esc, d (or n)
    /// discards it; others wait.
    pub(crate) fn draft_offer_key(&mut self, key: KeyEvent) {
        let reopen = match key.code {
            KeyCode::Enter | KeyCode::Char('y') => true,
            KeyCode::Esc | KeyCode::Char('d') | KeyCode::Char('n') => false,
            _ => return,
        };
        self.dialog = None;
        if self.drafts.offered.is_empty() {
            return;
        }
        let draft = self.drafts.offered.remove(0);
        if reopen && !self.reopen_draft(&draft) {
            // Not lost: offered again next time, where d discards it.
            self.drafts.held.push(draft);
        } else if !reopen {
            self.status.info(T::DraftDiscarded.get(self.lang));
        }
        if let (Some(store), Some(at)) = (&self.drafts.store, self.drafts.offered_at) {
            let rest: Vec<Draft> = self.drafts.held.iter().chain(&self.drafts.offered).cloned().collect();
            if let Err(e) = store.save(at, &rest) {
                tracing::error!(path = %store.path.display(), error = %e, "cannot update the drafts file");
            }
        }
        self.offer_next_draft();
    }

    /// Open the draft's form in its tab, as it was typed.
    fn reopen_draft(&mut self, draft: &Draft) -> bool {
        let Some(tab) = TabId::named(&draft.tab).filter(|t| self.tab_allowed(*t)) else {
            self.status.error(T::DraftRecordGone.get(self.lang));
            return false;
        };
        if self.screen == super::app::Screen::Welcome {
            let _ = self.api.preload();
            self.screen = super::app::Screen::Main;
        }
        self.go_to_tab(tab);
        let mut ctx =
            Ctx { api: self.api.as_ref(), lang: self.lang, actor: &self.actor, status: &mut self.status, export_dir: &self.export_dir };
        let t = &draft.target;
        let opened = match tab {
            TabId::Clients => self.clients.reopen(t, &mut ctx),
            TabId::Complaints => self.complaints.reopen(t, &mut ctx),
            TabId::Rosters => self.rosters.reopen(t, &draft.form, &mut ctx),
            TabId::Staff => self.staff.reopen(t, &mut ctx),
            TabId::Posts => self.posts.reopen(t, &mut ctx),
            TabId::Dorm => self.dorm.reopen(t, &mut ctx),
            TabId::Vehicles => self.vehicles.reopen(t, &mut ctx),
            TabId::Operators => self.operators.reopen(t, &mut ctx),
            TabId::Overview | TabId::Audit => false,
        };
        match self.form_mut().filter(|_| opened) {
            Some(form) => {
                form.restore(&draft.form);
                self.status.ok(T::DraftReopened.get(self.lang));
                true
            }
            None => {
                self.status.error(T::DraftRecordGone.get(self.lang));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::widgets::form::{FieldSpec, Form};

    fn at() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(14, 5, 0).unwrap()
    }

    fn draft() -> Draft {
        let mut f = Form::new("Edit client KH-0001".into(), vec![FieldSpec::text("name", "Name", crate::domain::limits::client::NAME)]);
        f.set_text("name", "上海华贸中心");
        f.mark_clean();
        f.set_text("name", "上海华贸中心物业");
        Draft {
            tab: "clients".into(),
            target: Target::EditClient { id: 1, version: 3 },
            title: f.title.clone(),
            about: f.first_text().unwrap(),
            form: f.snapshot(),
            lang: Some(Lang::En),
        }
    }

    #[test]
    fn drafts_are_saved_and_loaded_per_account_and_database() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::new(dir.path(), "li na/../x", "/srv/g.db");
        assert!(store.path.starts_with(dir.path().join("drafts")), "{}", store.path.display());
        assert!(store.load().is_none());
        store.save(at(), &[draft()]).unwrap();
        let back = store.load().unwrap();
        assert_eq!(back.drafts, vec![draft()]);
        assert_eq!(back.saved_at, at());
        // No temporary file is left behind, and only the owner may read it.
        let names: Vec<_> = std::fs::read_dir(store.path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "{names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&store.path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        // Another account or another database sees nothing.
        assert!(DraftStore::new(dir.path(), "wang", "/srv/g.db").load().is_none());
        assert!(DraftStore::new(dir.path(), "li na/../x", "/srv/other.db").load().is_none());
        // Saving none removes the file.
        store.save(at(), &[]).unwrap();
        assert!(!store.path.exists());
        store.clear().unwrap();
    }

    #[test]
    fn a_damaged_or_foreign_file_offers_nothing_and_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let store = DraftStore::new(dir.path(), "li", "/srv/g.db");
        store.save(at(), &[draft()]).unwrap();
        let text = std::fs::read_to_string(&store.path).unwrap();
        std::fs::write(&store.path, &text[..text.len() / 2]).unwrap();
        assert!(store.load().is_none());
        assert!(store.path.exists(), "kept for a person to look at");
        std::fs::write(&store.path, text.replace("\"format\": 1", "\"format\": 99")).unwrap();
        assert!(store.load().is_none(), "a newer format is not guessed at");
    }

    #[test]
    fn the_description_names_the_form_and_what_was_typed() {
        assert_eq!(draft().description(Lang::En), "Edit client KH-0001 · 上海华贸中心物业");
        let mut d = draft();
        d.about = "\x1b[31mKH-0001".into();
        assert!(!d.description(Lang::En).contains('\x1b'));
    }

    #[test]
    fn a_draft_offered_in_another_language_is_named_by_its_tab_in_that_language() {
        assert_eq!(draft().description(Lang::Zh), format!("{} · 上海华贸中心物业", T::TabClients.get(Lang::Zh)));
        // A file kept before drafts noted their language.
        let old: Draft = serde_json::from_str(&serde_json::to_string(&draft()).unwrap().replace(",\"lang\":\"en\"", "")).unwrap();
        assert_eq!(old.lang, None);
        assert!(old.description(Lang::Zh).starts_with(T::TabClients.get(Lang::Zh)));
    }

    #[test]
    fn a_target_names_the_record_and_version_it_edits() {
        assert_eq!(Target::EditClient { id: 1, version: 3 }.edited(), Some((1, 3)));
        assert_eq!(Target::Trip { vehicle_id: 1, editing: Some((5, 2)) }.edited(), Some((5, 2)));
        assert_eq!(Target::NewClient.edited(), None);
    }
}
