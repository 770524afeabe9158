//! One table of key bindings per context. The same tables drive key
//! handling, the footer and the `?` help overlay, so hints always show the
//! real keys.

use crate::i18n::T;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Leave guardroom (asks first when a form has unsaved changes).
    Quit,
    /// Show every binding of the current pane.
    Help,
    NextTab,
    PrevTab,
    /// Switch to the tab with this 1-based number.
    GoTab(u8),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// Start typing a filter for the list.
    Filter,
    New,
    Edit,
    Open,
    /// Cycle the sort column.
    Sort,
    /// Reverse the sort order.
    Reverse,
    /// Back out of the current pane or overlay.
    Back,
    Save,
    NextField,
    PrevField,
    AddVisit,
    Review,
    TogglePromise,
    Yes,
    No,
    LoadDemo,
    StartEmpty,
    KeepFilter,
    StatusFilter,
    CategoryFilter,
    OverdueOnly,
    Inform,
    Investigate,
    Approve,
    Resolve,
    FollowUp,
    CloseCase,
    Escalate,
    Stats,
    NextPeriod,
    PrevPeriod,
    Export,
    ExportList,
    /// Filter by period and client.
    MoreFilters,
    /// From a client's file: register a complaint for this client.
    NewComplaint,
    /// After a conflict: take the other operator's version.
    TakeTheirs,
    /// After a conflict: lay my changes over theirs.
    KeepMine,
    /// Roster grid: move a day (paired: ← / →).
    PrevDay,
    NextDay,
    CopyWeek,
    /// Jump to today.
    Today,
    /// The selected post's screen (guard-post mode).
    PostView,
    /// The attendance audit of a day.
    DayAudit,
    /// One guard's month.
    GuardView,
    /// The monthly attendance summary.
    Summary,
    /// Shift swaps.
    Swaps,
    CheckIn,
    CheckOut,
    Handover,
    Patrol,
    Correct,
    MarkAudited,
    /// Staff: only those whose licence or permit needs attention.
    LicencesDue,
    Delete,
    /// A swap: approve or refuse it.
    Refuse,
    /// Ask for a swap for a guard of the selected cell.
    RequestSwap,
    /// Dorm: tonight's round of room checks.
    NightRound,
    /// Vehicles: log a trip, the month's check, an accident.
    AddTrip,
    MonthCheck,
    Accident,
    /// The monthly department report.
    MonthReport,
    /// Import the tab's records from a CSV file.
    Import,
    /// Export the tab's table as CSV.
    ExportTable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}
const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}
const fn code(c: KeyCode) -> Key {
    Key { code: c, mods: KeyModifiers::NONE }
}

pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub desc: T,
    /// Shown in the footer (the main keys); all show in help.
    pub footer: bool,
}

const fn b(keys: &'static [Key], action: Action, desc: T, footer: bool) -> Binding {
    Binding { keys, action, desc, footer }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Welcome,
    List,
    Filter,
    Detail,
    Form,
    Dialog,
    ComplaintList,
    ComplaintDetail,
    ComplaintStats,
    AuditList,
    AuditDetail,
    OperatorList,
    RosterGrid,
    PostScreen,
    DayAudit,
    GuardMonth,
    Summary,
    Swaps,
    Picker,
    StaffList,
    PostList,
    Report,
    RoomList,
    NightRound,
    Ranking,
    VehicleList,
    TripLog,
    VehicleMonth,
    Overview,
    MonthReport,
    /// CSV import: typing the file's path.
    ImportPath,
    /// CSV import: the preview before importing.
    ImportPreview,
}

impl Context {
    pub fn title(self) -> T {
        match self {
            Context::Welcome => T::CtxWelcome,
            Context::List => T::CtxList,
            Context::Filter => T::CtxFilter,
            Context::Detail => T::CtxDetail,
            Context::Form | Context::Dialog => T::CtxForm,
            Context::ComplaintList => T::CtxComplaintList,
            Context::ComplaintDetail => T::CtxComplaintDetail,
            Context::ComplaintStats => T::CtxComplaintStats,
            Context::AuditList => T::CtxAuditList,
            Context::AuditDetail => T::CtxAuditDetail,
            Context::OperatorList => T::CtxOperatorList,
            Context::RosterGrid => T::CtxRosterGrid,
            Context::PostScreen => T::CtxPostScreen,
            Context::DayAudit => T::CtxDayAudit,
            Context::GuardMonth => T::CtxGuardMonth,
            Context::Summary => T::CtxSummary,
            Context::Swaps => T::CtxSwaps,
            Context::Picker => T::CtxPicker,
            Context::StaffList => T::CtxStaffList,
            Context::PostList => T::CtxPostList,
            Context::Report => T::CtxReport,
            Context::RoomList => T::CtxRoomList,
            Context::NightRound => T::CtxNightRound,
            Context::Ranking => T::CtxRanking,
            Context::VehicleList => T::CtxVehicleList,
            Context::TripLog => T::CtxTripLog,
            Context::VehicleMonth => T::CtxVehicleMonth,
            Context::Overview => T::CtxOverview,
            Context::MonthReport => T::CtxMonthReport,
            Context::ImportPath | Context::ImportPreview => T::CtxImport,
        }
    }
}

const MOVE: &[Key] = &[code(KeyCode::Up), code(KeyCode::Down), k('k'), k('j')];
const PAGE: &[Key] = &[code(KeyCode::PageUp), code(KeyCode::PageDown), ctrl('b'), ctrl('f')];
const ENDS: &[Key] = &[code(KeyCode::Home), code(KeyCode::End), k('g'), k('G')];
/// Tab / Shift-Tab cycle the tabs; the digits go straight to one.
const TABS: &[Key] =
    &[code(KeyCode::Tab), code(KeyCode::BackTab), k('1'), k('2'), k('3'), k('4'), k('5'), k('6'), k('7'), k('8'), k('9'), k('0')];
const DAYS: &[Key] = &[code(KeyCode::Left), code(KeyCode::Right), k('h'), k('l')];
const WEEKS: &[Key] = &[k(']'), k('[')];

static WELCOME: &[Binding] = &[
    b(&[k('d')], Action::LoadDemo, T::KeyDemo, true),
    b(&[k('e')], Action::StartEmpty, T::KeyEmpty, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, true),
    b(&[k('n')], Action::New, T::KeyNew, true),
    b(&[code(KeyCode::Enter), k('o')], Action::Open, T::KeyOpen, true),
    b(&[k('e')], Action::Edit, T::KeyEdit, true),
    b(&[k('v')], Action::AddVisit, T::KeyAddVisit, false),
    b(&[k('s')], Action::Sort, T::KeySort, true),
    b(&[k('S')], Action::Reverse, T::KeyReverse, false),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClear, false),
    b(&[k('I')], Action::Import, T::KeyImport, true),
    b(&[k('w')], Action::ExportTable, T::KeyExportTable, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static COMPLAINT_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, true),
    b(&[k('n')], Action::New, T::KeyRegister, true),
    b(&[code(KeyCode::Enter), k('o')], Action::Open, T::KeyOpen, true),
    b(&[k('f')], Action::StatusFilter, T::KeyStatusFilter, true),
    b(&[k('c')], Action::CategoryFilter, T::KeyCategoryFilter, false),
    b(&[k('!')], Action::OverdueOnly, T::KeyOverdueOnly, true),
    b(&[k('d')], Action::MoreFilters, T::KeyMoreFilters, false),
    b(&[k('t')], Action::Stats, T::KeyStats, true),
    b(&[k('w')], Action::ExportList, T::KeyExportList, false),
    b(&[k('s')], Action::Sort, T::KeySort, false),
    b(&[k('S')], Action::Reverse, T::KeyReverse, false),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClearFilters, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static COMPLAINT_DETAIL: &[Binding] = &[
    b(PAGE, Action::PageUp, T::KeyScroll, false),
    b(MOVE, Action::Up, T::KeyScroll, false),
    b(&[k('i')], Action::Inform, T::KeyInform, true),
    b(&[k('g')], Action::Investigate, T::KeyInvestigate, true),
    b(&[k('a')], Action::Approve, T::KeyApprove, true),
    b(&[k('r')], Action::Resolve, T::KeyResolve, true),
    b(&[k('f')], Action::FollowUp, T::KeyFollowUp, true),
    b(&[k('c')], Action::CloseCase, T::KeyCloseCase, true),
    b(&[k('x')], Action::Escalate, T::KeyEscalate, true),
    b(&[k('e')], Action::Edit, T::KeyEdit, true),
    b(&[k('w')], Action::Export, T::KeyExportForm, true),
    b(&[code(KeyCode::Esc), code(KeyCode::Backspace)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static FILTER: &[Binding] = &[
    b(&[code(KeyCode::Enter), code(KeyCode::Down)], Action::KeepFilter, T::KeyKeep, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClear, true),
    b(&[ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static DETAIL: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(PAGE, Action::PageUp, T::KeyScroll, false),
    b(&[k('e'), code(KeyCode::Enter)], Action::Edit, T::KeyEdit, true),
    b(&[k('v')], Action::AddVisit, T::KeyAddVisit, true),
    b(&[k('r')], Action::Review, T::KeyReview, true),
    b(&[k(' '), k('x')], Action::TogglePromise, T::KeyPromise, true),
    b(&[k('t')], Action::NewComplaint, T::KeyNewComplaint, true),
    b(&[code(KeyCode::Esc), code(KeyCode::Backspace)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static FORM: &[Binding] = &[
    b(&[ctrl('s')], Action::Save, T::KeySave, true),
    b(&[code(KeyCode::Tab)], Action::NextField, T::KeyNextField, true),
    b(&[code(KeyCode::BackTab)], Action::PrevField, T::KeyPrevField, true),
    b(&[code(KeyCode::Left), code(KeyCode::Right)], Action::Up, T::KeyPick, true),
    b(&[code(KeyCode::Enter)], Action::NextField, T::KeyNewline, false),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[code(KeyCode::F(1))], Action::Help, T::KeyHelp, true),
    b(&[code(KeyCode::F(5))], Action::TakeTheirs, T::KeyTakeTheirs, false),
    b(&[code(KeyCode::F(6))], Action::KeepMine, T::KeyKeepMine, false),
    b(&[ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static DIALOG: &[Binding] = &[b(&[k('y')], Action::Yes, T::KeyYes, true), b(&[k('n'), code(KeyCode::Esc)], Action::No, T::KeyNo, true)];

static COMPLAINT_STATS: &[Binding] = &[
    b(&[k(']'), k('['), k('p')], Action::NextPeriod, T::KeyPeriod, true),
    b(&[code(KeyCode::Esc), k('t')], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static AUDIT_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, true),
    b(&[k('f')], Action::StatusFilter, T::KeyKindFilter, true),
    b(&[k('d')], Action::MoreFilters, T::KeyWhoDates, true),
    b(&[code(KeyCode::Enter), k('o')], Action::Open, T::KeyOpen, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClearFilters, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static AUDIT_DETAIL: &[Binding] = &[
    b(&[code(KeyCode::Esc), code(KeyCode::Backspace)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static OPERATOR_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(&[k('n')], Action::New, T::KeyNew, true),
    b(&[k('e'), code(KeyCode::Enter)], Action::Edit, T::KeyEdit, true),
    b(&[k('d')], Action::TogglePromise, T::KeyToggleActive, true),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static ROSTER_GRID: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(DAYS, Action::PrevDay, T::KeyDay, true),
    b(WEEKS, Action::NextPeriod, T::KeyWeek, true),
    b(&[code(KeyCode::Enter)], Action::Open, T::KeyAssign, true),
    b(&[k('c')], Action::CopyWeek, T::KeyCopyWeek, true),
    b(&[k('t')], Action::Today, T::KeyToday, false),
    b(&[k('p')], Action::PostView, T::KeyPostView, true),
    b(&[k('a')], Action::DayAudit, T::KeyDayAudit, true),
    b(&[k('g')], Action::GuardView, T::KeyGuardView, false),
    b(&[k('m')], Action::Summary, T::KeySummary, false),
    b(&[k('w')], Action::RequestSwap, T::KeyRequestSwap, true),
    b(&[k('x')], Action::Swaps, T::KeySwaps, true),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static POST_SCREEN: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyChooseGuard, true),
    b(&[code(KeyCode::Left), code(KeyCode::Right)], Action::PrevDay, T::KeyShift, true),
    b(&[k('i')], Action::CheckIn, T::KeyCheckIn, true),
    b(&[k('o')], Action::CheckOut, T::KeyCheckOut, true),
    b(&[k('h')], Action::Handover, T::KeyHandover, true),
    b(&[k('r')], Action::Patrol, T::KeyPatrol, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, false),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static DAY_AUDIT: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(DAYS, Action::PrevDay, T::KeyDay, true),
    b(&[k('c'), code(KeyCode::Enter)], Action::Correct, T::KeyCorrect, true),
    b(&[k('A')], Action::MarkAudited, T::KeyMarkAudited, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static GUARD_MONTH: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyScroll, false),
    b(WEEKS, Action::NextPeriod, T::KeyMonth, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static SUMMARY: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(WEEKS, Action::NextPeriod, T::KeyMonth, true),
    b(&[k('w')], Action::Export, T::KeyExportList, true),
    b(&[code(KeyCode::Enter)], Action::Open, T::KeyGuardView, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static SWAPS: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(&[k('y')], Action::Approve, T::KeyApproveSwap, true),
    b(&[k('n')], Action::Refuse, T::KeyRefuseSwap, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static ROOM_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, true),
    b(&[k('n')], Action::New, T::KeyNew, true),
    b(&[k('e'), code(KeyCode::Enter)], Action::Edit, T::KeyEdit, true),
    b(&[k('r')], Action::NightRound, T::KeyNightRound, true),
    b(&[k('m')], Action::Summary, T::KeyRanking, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClearFilters, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static NIGHT_ROUND: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(&[code(KeyCode::Enter)], Action::Open, T::KeyCheckRoom, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static RANKING: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyScroll, true),
    b(WEEKS, Action::NextPeriod, T::KeyMonth, true),
    b(&[k('w')], Action::Export, T::KeyExportList, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static VEHICLE_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, false),
    b(&[k('n')], Action::New, T::KeyNew, true),
    b(&[k('e')], Action::Edit, T::KeyEdit, true),
    b(&[code(KeyCode::Enter)], Action::Open, T::KeyTrips, true),
    b(&[k('t')], Action::AddTrip, T::KeyAddTrip, true),
    b(&[k('c')], Action::MonthCheck, T::KeyMonthCheck, true),
    b(&[k('x')], Action::Accident, T::KeyAccident, true),
    b(&[k('m')], Action::Summary, T::KeyVehicleMonth, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClearFilters, false),
    b(&[k('I')], Action::Import, T::KeyImport, true),
    b(&[k('w')], Action::ExportTable, T::KeyExportTable, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static OVERVIEW: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[code(KeyCode::Enter), k('o')], Action::Open, T::KeyOpenPile, true),
    b(&[k('m')], Action::MonthReport, T::KeyMonthReport, true),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, true),
];

static MONTH_REPORT: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyScroll, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(WEEKS, Action::NextPeriod, T::KeyMonth, true),
    b(&[k('w')], Action::Export, T::KeyExportList, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static TRIP_LOG: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(WEEKS, Action::NextPeriod, T::KeyMonth, true),
    b(&[k('e'), code(KeyCode::Enter)], Action::Edit, T::KeyCorrectTrip, true),
    b(&[k('t')], Action::AddTrip, T::KeyAddTrip, true),
    b(&[k('c')], Action::MonthCheck, T::KeyMonthCheck, true),
    b(&[k('x')], Action::Accident, T::KeyAccident, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static VEHICLE_MONTH: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, false),
    b(WEEKS, Action::NextPeriod, T::KeyMonth, true),
    b(&[k('w')], Action::Export, T::KeyExportList, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static REPORT: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyScroll, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

/// Shown in help only: the picker takes typed text itself.
static PICKER: &[Binding] = &[
    b(&[code(KeyCode::Up), code(KeyCode::Down)], Action::Up, T::KeyMove, true),
    b(&[code(KeyCode::Enter)], Action::Open, T::KeyPickToggle, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyBack, true),
];

static STAFF_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, true),
    b(&[k('n')], Action::New, T::KeyNew, true),
    b(&[k('e'), code(KeyCode::Enter)], Action::Edit, T::KeyEdit, true),
    b(&[k('!')], Action::LicencesDue, T::KeyLicencesDue, true),
    b(&[k('m')], Action::GuardView, T::KeyGuardView, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClearFilters, false),
    b(&[k('I')], Action::Import, T::KeyImport, true),
    b(&[k('w')], Action::ExportTable, T::KeyExportTable, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static POST_LIST: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyMove, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(ENDS, Action::Home, T::KeyEnds, false),
    b(&[k('/')], Action::Filter, T::KeyFilter, true),
    b(&[k('n')], Action::New, T::KeyNew, true),
    b(&[k('e'), code(KeyCode::Enter)], Action::Edit, T::KeyEdit, true),
    b(&[k('p')], Action::PostView, T::KeyPostView, true),
    b(&[k('D')], Action::Delete, T::KeyDelete, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyClearFilters, false),
    b(&[k('I')], Action::Import, T::KeyImport, true),
    b(&[k('w')], Action::ExportTable, T::KeyExportTable, false),
    b(TABS, Action::NextTab, T::KeyTabs, false),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[k('q'), ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static IMPORT_PATH: &[Binding] = &[
    b(&[code(KeyCode::Enter)], Action::Open, T::KeyPreview, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyCancel, true),
    b(&[code(KeyCode::F(1))], Action::Help, T::KeyHelp, true),
    b(&[ctrl('c')], Action::Quit, T::KeyQuit, false),
];

static IMPORT_PREVIEW: &[Binding] = &[
    b(MOVE, Action::Up, T::KeyScroll, true),
    b(PAGE, Action::PageUp, T::KeyPage, false),
    b(&[code(KeyCode::Enter), k('y')], Action::Yes, T::KeyImportConfirm, true),
    b(&[code(KeyCode::Esc)], Action::Back, T::KeyCancel, true),
    b(&[k('?')], Action::Help, T::KeyHelp, true),
    b(&[ctrl('c')], Action::Quit, T::KeyQuit, false),
];

/// The right an action needs, so screens can hide or grey what the
/// operator's role cannot do (the service refuses it anyway).
pub fn needed_right(ctx: Context, action: Action) -> Option<crate::domain::Right> {
    use crate::domain::Right;
    match (ctx, action) {
        (Context::List | Context::Detail, Action::New | Action::Edit | Action::AddVisit | Action::Review | Action::TogglePromise) => {
            Some(Right::EditClients)
        }
        (Context::Detail, Action::NewComplaint) => Some(Right::HandleComplaints),
        (Context::ComplaintList, Action::New) => Some(Right::HandleComplaints),
        (
            Context::ComplaintDetail,
            Action::Inform | Action::Resolve | Action::FollowUp | Action::CloseCase | Action::Escalate | Action::Edit,
        ) => Some(Right::HandleComplaints),
        (Context::ComplaintDetail, Action::Investigate) => Some(Right::Investigate),
        (Context::ComplaintDetail, Action::Approve) => Some(Right::Approve),
        (Context::OperatorList, Action::New | Action::Edit | Action::TogglePromise) => Some(Right::ManageOperators),
        (Context::RosterGrid, Action::Open | Action::CopyWeek | Action::RequestSwap) => Some(Right::EditRosters),
        (Context::StaffList | Context::PostList, Action::New | Action::Edit | Action::Delete) => Some(Right::EditRosters),
        (Context::PostScreen, Action::CheckIn | Action::CheckOut | Action::Handover | Action::Patrol) => Some(Right::WorkPost),
        (Context::DayAudit, Action::Correct | Action::MarkAudited) => Some(Right::AuditAttendance),
        (Context::Swaps, Action::Approve | Action::Refuse) => Some(Right::AuditAttendance),
        (Context::List, Action::Import) => Some(Right::EditClients),
        (Context::StaffList | Context::PostList, Action::Import) => Some(Right::EditRosters),
        (Context::RoomList | Context::VehicleList | Context::TripLog | Context::NightRound, _) => Some(Right::DormVehicles),
        _ => None,
    }
}

pub fn bindings(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Welcome => WELCOME,
        Context::List => LIST,
        Context::Filter => FILTER,
        Context::Detail => DETAIL,
        Context::Form => FORM,
        Context::Dialog => DIALOG,
        Context::ComplaintList => COMPLAINT_LIST,
        Context::ComplaintDetail => COMPLAINT_DETAIL,
        Context::ComplaintStats => COMPLAINT_STATS,
        Context::AuditList => AUDIT_LIST,
        Context::AuditDetail => AUDIT_DETAIL,
        Context::OperatorList => OPERATOR_LIST,
        Context::RosterGrid => ROSTER_GRID,
        Context::PostScreen => POST_SCREEN,
        Context::DayAudit => DAY_AUDIT,
        Context::GuardMonth => GUARD_MONTH,
        Context::Summary => SUMMARY,
        Context::Swaps => SWAPS,
        Context::Picker => PICKER,
        Context::StaffList => STAFF_LIST,
        Context::PostList => POST_LIST,
        Context::Report => REPORT,
        Context::RoomList => ROOM_LIST,
        Context::NightRound => NIGHT_ROUND,
        Context::Ranking => RANKING,
        Context::VehicleList => VEHICLE_LIST,
        Context::TripLog => TRIP_LOG,
        Context::VehicleMonth => VEHICLE_MONTH,
        Context::Overview => OVERVIEW,
        Context::MonthReport => MONTH_REPORT,
        Context::ImportPath => IMPORT_PATH,
        Context::ImportPreview => IMPORT_PREVIEW,
    }
}

/// Bindings that name a pair of directions (↑/↓, PgUp/PgDn, Home/End) map
/// their second key to the opposite action.
fn paired(action: Action, index: usize) -> Action {
    let second = index % 2 == 1;
    match (action, second) {
        (Action::Up, true) => Action::Down,
        (Action::PageUp, true) => Action::PageDown,
        (Action::Home, true) => Action::End,
        (Action::NextTab, true) if index == 1 => Action::PrevTab,
        // 1…9, then 0 (the Overview).
        (Action::NextTab, _) if index >= 2 => Action::GoTab(((index - 1) % 10) as u8),
        (Action::NextPeriod, true) => Action::PrevPeriod,
        (Action::PrevDay, true) => Action::NextDay,
        _ => action,
    }
}

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    if key.code != ev.code {
        return false;
    }
    // Shift is part of the character itself ('G', '?').
    let mods = if matches!(ev.code, KeyCode::Char(_) | KeyCode::BackTab) { ev.modifiers - KeyModifiers::SHIFT } else { ev.modifiers };
    key.mods == mods
}

pub fn lookup(ctx: Context, ev: &KeyEvent) -> Option<Action> {
    for binding in bindings(ctx) {
        if binding.action == Action::Up && ctx == Context::Form {
            // In forms ←/→ are handled by the choice field itself.
            continue;
        }
        for (i, key) in binding.keys.iter().enumerate() {
            if matches(key, ev) {
                return Some(match binding.action {
                    Action::Up | Action::PageUp | Action::Home | Action::NextTab | Action::NextPeriod | Action::PrevDay => {
                        paired(binding.action, i)
                    }
                    a => a,
                });
            }
        }
    }
    None
}

pub fn key_label(key: &Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if key.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// "↑/↓/k/j" for a binding.
pub fn keys_label(binding: &Binding) -> String {
    binding.keys.iter().map(key_label).collect::<Vec<_>>().join("/")
}

/// Short form for the footer: the first key, or the first pair.
pub fn footer_label(binding: &Binding) -> String {
    match binding.action {
        Action::Up | Action::PageUp | Action::Home | Action::NextPeriod | Action::PrevDay if binding.keys.len() >= 2 => {
            format!("{}/{}", key_label(&binding.keys[0]), key_label(&binding.keys[1]))
        }
        _ => key_label(&binding.keys[0]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn pairs_map_to_opposite_directions() {
        assert_eq!(lookup(Context::List, &ev(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(lookup(Context::List, &ev(KeyCode::Char('k'), KeyModifiers::NONE)), Some(Action::Up));
        assert_eq!(lookup(Context::List, &ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::End));
        assert_eq!(lookup(Context::List, &ev(KeyCode::PageDown, KeyModifiers::NONE)), Some(Action::PageDown));
        assert_eq!(lookup(Context::List, &ev(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PrevTab));
        assert_eq!(lookup(Context::List, &ev(KeyCode::Char('1'), KeyModifiers::NONE)), Some(Action::GoTab(1)));
        assert_eq!(lookup(Context::ComplaintList, &ev(KeyCode::Char('2'), KeyModifiers::NONE)), Some(Action::GoTab(2)));
        assert_eq!(lookup(Context::List, &ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
    }

    #[test]
    fn form_keys_leave_typing_alone() {
        assert_eq!(lookup(Context::Form, &ev(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(lookup(Context::Form, &ev(KeyCode::Char('s'), KeyModifiers::CONTROL)), Some(Action::Save));
        assert_eq!(lookup(Context::Form, &ev(KeyCode::Left, KeyModifiers::NONE)), None);
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for ctx in [
            Context::Welcome,
            Context::List,
            Context::Filter,
            Context::Detail,
            Context::Form,
            Context::Dialog,
            Context::ComplaintList,
            Context::ComplaintDetail,
            Context::ComplaintStats,
            Context::AuditList,
            Context::AuditDetail,
            Context::OperatorList,
            Context::RosterGrid,
            Context::PostScreen,
            Context::DayAudit,
            Context::GuardMonth,
            Context::Summary,
            Context::Swaps,
            Context::Picker,
            Context::StaffList,
            Context::PostList,
            Context::Report,
            Context::RoomList,
            Context::NightRound,
            Context::Ranking,
            Context::VehicleList,
            Context::TripLog,
            Context::VehicleMonth,
            Context::Overview,
            Context::MonthReport,
            Context::ImportPath,
            Context::ImportPreview,
        ] {
            let mut seen = Vec::new();
            for b in bindings(ctx) {
                for key in b.keys {
                    assert!(!seen.contains(key), "{ctx:?}: {} bound twice", key_label(key));
                    seen.push(*key);
                }
            }
        }
    }
}
