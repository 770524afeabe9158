//! sled's unfinished snapshot files, removed before it opens.
//!
//! sled 0.34 writes a snapshot of its page table to `snap.<lsn>.generating`,
//! syncs it and renames it to `snap.<lsn>`; the rename is what makes it
//! count. At open it reads the newest file whose name starts with `snap.`,
//! and only an older suffix (`.in___motion`) is left out, so a process
//! killed while writing one leaves a database sled refuses: "Read corrupted
//! data at file offset None", the failure sled's open reports describe
//! (spacejam/sled#1527, #1533). Until the rename the previous snapshot and
//! the log it starts from are untouched, so removing the unfinished file
//! gives sled exactly the database it had before it began writing.

use std::fs::File;
use std::path::Path;

/// Remove `snap.*.generating` from the database directory at `path`, unless
/// another handle has the database open: then one may be being written now.
pub(super) fn remove_unfinished(path: &Path) {
    // sled holds an exclusive lock on its data file while it is open; this
    // one is held while removing and let go (dropped) before sled takes it.
    let Ok(data) = File::open(path.join("db")) else { return };
    if data.try_lock().is_err() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with("snap.") && name.ends_with(".generating")) {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => tracing::warn!(file = %name, "removed a snapshot sled had not finished writing when it stopped"),
            Err(e) => tracing::warn!(file = %name, error = %e, "could not remove an unfinished snapshot"),
        }
    }
}
