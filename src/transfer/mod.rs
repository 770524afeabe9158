//! Moving tables in and out as CSV, for clerks who keep lists in Excel or WPS.
//!
//! `decode` turns a file's bytes into text (UTF-8 with or without BOM, or
//! GB18030), `columns` knows each importable kind's columns in both
//! languages, `csv_in` reads rows into drafts with the line they start on,
//! `csv_out` writes every table the store holds, and `report` says what
//! went wrong in the user's language. The checks across records and the one
//! transaction that stores the good rows live in `service::import`.

pub mod cli;
pub mod columns;
pub mod csv_in;
pub mod csv_out;
pub mod decode;
pub mod report;

use crate::domain::fleet::MayNotDrive;
use crate::domain::{Invalid, Right};
use serde::{Deserialize, Serialize};

/// Files larger than this are refused with a sentence asking to split them:
/// about 50,000 client rows, read, checked and stored in one transaction
/// within a few seconds and a bounded amount of memory.
pub const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;
/// Good rows shown in a preview.
pub const PREVIEW_ROWS: usize = 8;

/// The record kinds a CSV file can bring in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Kind {
    Clients,
    Staff,
    Posts,
    Vehicles,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Clients, Kind::Staff, Kind::Posts, Kind::Vehicles];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Clients => "clients",
            Kind::Staff => "staff",
            Kind::Posts => "posts",
            Kind::Vehicles => "vehicles",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Table::from_name(s).and_then(Table::importable)
    }

    /// The right that editing this kind of record needs.
    pub fn right(self) -> Right {
        match self {
            Kind::Clients => Right::EditClients,
            Kind::Staff | Kind::Posts => Right::EditRosters,
            Kind::Vehicles => Right::DormVehicles,
        }
    }

    pub fn table(self) -> Table {
        match self {
            Kind::Clients => Table::Clients,
            Kind::Staff => Table::Staff,
            Kind::Posts => Table::Posts,
            Kind::Vehicles => Table::Vehicles,
        }
    }
}

/// Every table that can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Table {
    Clients,
    Visits,
    Complaints,
    Staff,
    Posts,
    /// Shift assignments with their attendance (排班与考勤).
    Assignments,
    Rooms,
    RoomChecks,
    Vehicles,
    Trips,
    VehicleChecks,
    Accidents,
    Operators,
    Audit,
}

impl Table {
    pub const ALL: [Table; 14] = [
        Table::Clients,
        Table::Visits,
        Table::Complaints,
        Table::Staff,
        Table::Posts,
        Table::Assignments,
        Table::Rooms,
        Table::RoomChecks,
        Table::Vehicles,
        Table::Trips,
        Table::VehicleChecks,
        Table::Accidents,
        Table::Operators,
        Table::Audit,
    ];

    /// The name on the command line and in default file names.
    pub fn name(self) -> &'static str {
        match self {
            Table::Clients => "clients",
            Table::Visits => "visits",
            Table::Complaints => "complaints",
            Table::Staff => "staff",
            Table::Posts => "posts",
            Table::Assignments => "assignments",
            Table::Rooms => "rooms",
            Table::RoomChecks => "room-checks",
            Table::Vehicles => "vehicles",
            Table::Trips => "trips",
            Table::VehicleChecks => "vehicle-checks",
            Table::Accidents => "accidents",
            Table::Operators => "operators",
            Table::Audit => "audit",
        }
    }

    /// A table by its name or a common other name (roster, attendance…).
    pub fn from_name(s: &str) -> Option<Table> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        let alias = match s.as_str() {
            "client" => "clients",
            "visit" => "visits",
            "complaint" => "complaints",
            "post" => "posts",
            "roster" | "rosters" | "attendance" | "assignment" | "shifts" => "assignments",
            "room" | "dorm" | "dorms" => "rooms",
            "room-check" | "inspections" => "room-checks",
            "vehicle" => "vehicles",
            "trip" => "trips",
            "vehicle-check" | "checks" => "vehicle-checks",
            "accident" => "accidents",
            "operator" => "operators",
            "audit-log" | "log" => "audit",
            other => other,
        };
        Table::ALL.into_iter().find(|t| t.name() == alias)
    }

    pub fn importable(self) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == self)
    }

    /// The right reading this table needs.
    pub fn right(self) -> Right {
        match self {
            Table::Clients | Table::Visits => Right::ReadClients,
            Table::Complaints => Right::ReadComplaints,
            Table::Staff | Table::Posts | Table::Assignments => Right::ReadRosters,
            Table::Rooms | Table::RoomChecks | Table::Vehicles | Table::Trips | Table::VehicleChecks | Table::Accidents => {
                Right::DormVehicles
            }
            Table::Operators => Right::ManageOperators,
            Table::Audit => Right::ReadAudit,
        }
    }
}

/// What an import does besides reading the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportMode {
    /// Read and check only.
    Preview,
    /// Store every good row (in one transaction); bad rows are left out.
    GoodRows,
    /// Store every row, or none when any row is bad.
    AllOrNothing,
}

/// Why the file as a whole cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileProblem {
    /// Nothing in it, not even a header.
    Empty,
    /// A header but no rows.
    NoRows,
    TooLarge {
        bytes: u64,
    },
    /// Neither UTF-8 nor GB18030.
    Encoding,
    /// Saved as "Unicode text" (UTF-16), which is not CSV.
    Utf16,
    /// Columns missing (field ids), not known (as written) or written twice.
    Header {
        missing: Vec<String>,
        unknown: Vec<String>,
        twice: Vec<String>,
    },
}

/// Why one row cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    /// A field refused by the form's own rules (field id as in `columns`).
    Field {
        field: String,
        reason: Invalid,
    },
    /// Not one of a choice field's values.
    Choice {
        field: String,
        value: String,
    },
    /// A number that is not in guardroom's form (KH-0001…).
    NumberForm {
        value: String,
        example: String,
    },
    /// A number already given in this database (numbers are never reused).
    NumberUsed(String),
    /// The same number or plate on an earlier line of the file.
    Twice {
        value: String,
        first_line: u64,
    },
    PlateTaken(String),
    /// No client has this number or name.
    UnknownClient(String),
    /// More than one client has this name: use the number.
    AmbiguousClient(String),
    UnknownStaff(String),
    AmbiguousStaff(String),
    /// A designated driver without a valid permit.
    Driver {
        who: String,
        why: MayNotDrive,
    },
    /// A row with more or fewer cells than the header.
    Cells {
        found: usize,
        expected: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    /// The line of the file the row starts on (1 is the header).
    pub line: u64,
    pub problems: Vec<Problem>,
}

/// What an import read, found and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub kind: Kind,
    /// Set when the file cannot be read at all; nothing else is then filled.
    pub file: Option<FileProblem>,
    /// "UTF-8", "UTF-8 BOM" or "GB18030".
    pub encoding: String,
    /// The header as written in the file.
    pub header: Vec<String>,
    /// Data rows read.
    pub rows: usize,
    pub good: usize,
    /// The first good rows, cells as in the file.
    pub preview: Vec<Vec<String>>,
    /// Every bad row, in file order.
    pub bad: Vec<BadRow>,
    /// Records stored (0 for a preview, or when nothing could be stored).
    pub imported: usize,
}

impl ImportReport {
    pub fn new(kind: Kind) -> ImportReport {
        ImportReport {
            kind,
            file: None,
            encoding: String::new(),
            header: vec![],
            rows: 0,
            good: 0,
            preview: vec![],
            bad: vec![],
            imported: 0,
        }
    }

    pub fn failed(kind: Kind, problem: FileProblem) -> ImportReport {
        ImportReport { file: Some(problem), ..ImportReport::new(kind) }
    }
}
