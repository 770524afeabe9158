//! `guardroom import` and `guardroom export` on an open database: a preview
//! first, a question on a terminal, a progress bar on stderr, and exit
//! status 1 when nothing could be imported because of problems.

use super::{report, ImportMode, Kind, Table, MAX_IMPORT_BYTES};
use crate::cells::{fit, truncate, width};
use crate::i18n::{fill, Lang, T};
use crate::service::guard::Guarded;
use crate::service::import::Stage;
use crate::service::{Api, Service};
use anyhow::bail;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub struct ImportOptions {
    pub yes: bool,
    pub dry_run: bool,
    pub strict: bool,
}

fn say_error(e: &crate::service::ServiceError, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!("{}", crate::ui::messages::service_error(e, lang))
}

/// Acting as `actor`, who must be an operator with the right for `right`.
fn check_right(service: &Arc<Service>, actor: &str, right: crate::domain::Right, lang: Lang) -> anyhow::Result<()> {
    let guarded = Guarded::new(Arc::clone(service), actor).map_err(|e| say_error(&e, lang))?;
    if !guarded.can(right) {
        let role = service.operator_for(actor).map_err(|e| say_error(&e, lang))?.role;
        return Err(say_error(&crate::service::ServiceError::Forbidden { role, right }, lang));
    }
    Ok(())
}

/// A bar on stderr while a large file is read and stored (only on a terminal).
fn progress_bar(lang: Lang) -> impl FnMut(Stage, u64, u64) {
    let on = std::io::stderr().is_terminal();
    let mut last = (Stage::Reading, u64::MAX);
    move |stage, done, of| {
        if !on || of == 0 {
            return;
        }
        let pct = done * 100 / of;
        if (stage, pct) == last {
            return;
        }
        last = (stage, pct);
        let label = match stage {
            Stage::Reading => T::XferReading.get(lang),
            Stage::Storing => T::KeyImportConfirm.get(lang),
        };
        let filled = (pct / 5) as usize;
        eprint!("\r[{}{}] {pct:>3}% {label}", "#".repeat(filled), " ".repeat(20 - filled.min(20)));
        if done >= of {
            eprintln!();
        }
    }
}

fn read_file(path: &Path, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let cannot =
        |e: std::io::Error| anyhow::anyhow!("{}", fill(T::XferCannotRead.get(lang), &[&path.display().to_string(), &e.to_string()]));
    // Refused before reading: a huge file never reaches memory.
    let size = std::fs::metadata(path).map_err(cannot)?.len();
    if size > MAX_IMPORT_BYTES {
        bail!("{}", report::file_problem(Kind::Clients, &super::FileProblem::TooLarge { bytes: size }, lang));
    }
    std::fs::read(path).map_err(cannot)
}

/// The preview as lines: the summary, the first good rows, every bad row.
pub fn preview_lines(r: &super::ImportReport, lang: Lang) -> Vec<String> {
    let mut out = vec![report::summary(r, lang)];
    if r.file.is_some() {
        return out;
    }
    if !r.preview.is_empty() {
        out.push(String::new());
        out.push(T::XferPreviewGood.get(lang).into());
        // Up to six columns, each at most 16 cells wide, so a row fits a terminal.
        let cols = r.header.len().min(6);
        let widths: Vec<usize> = (0..cols)
            .map(|i| {
                r.preview
                    .iter()
                    .map(|row| row.get(i).map(|c| width(c)).unwrap_or(0))
                    .chain([width(&r.header[i])])
                    .max()
                    .unwrap_or(0)
                    .min(16)
            })
            .collect();
        let line = |cells: &[String]| {
            let shown: Vec<String> = (0..cols)
                .map(|i| fit(&truncate(&cells.get(i).map(|c| c.replace('\n', " ")).unwrap_or_default(), widths[i]), widths[i]))
                .collect();
            format!("  {}", shown.join(" │ ")).trim_end().to_string()
        };
        out.push(line(&r.header));
        for row in &r.preview {
            out.push(line(row));
        }
    }
    if !r.bad.is_empty() {
        out.push(String::new());
        out.push(T::XferPreviewBad.get(lang).into());
        out.extend(report::bad_lines(r, lang).into_iter().map(|l| format!("  {l}")));
    }
    out
}

/// `guardroom import KIND FILE`.
pub fn import(service: &Arc<Service>, actor: &str, lang: Lang, kind: &str, file: &Path, opts: &ImportOptions) -> anyhow::Result<()> {
    let Some(kind) = Kind::from_name(kind) else {
        let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        bail!("{}", fill(T::XferNotImportable.get(lang), &[kind, &names.join(", ")]));
    };
    check_right(service, actor, kind.right(), lang)?;
    let bytes = read_file(file, lang)?;
    let r = service.import_csv(actor, kind, &bytes, ImportMode::Preview, &mut progress_bar(lang)).map_err(|e| say_error(&e, lang))?;
    if let Some(p) = &r.file {
        bail!("{}", report::file_problem(kind, p, lang));
    }
    for l in preview_lines(&r, lang) {
        println!("{l}");
    }
    if opts.dry_run {
        return Ok(());
    }
    if opts.strict && !r.bad.is_empty() {
        bail!("{}", fill(T::XferStrictRefused.get(lang), &[&r.bad.len().to_string()]));
    }
    if r.good == 0 {
        bail!("{}", T::XferNothingImported.get(lang));
    }
    if !opts.yes {
        if !std::io::stdin().is_terminal() {
            bail!("{}", T::XferNeedYes.get(lang));
        }
        print!("{}", fill(T::XferAsk.get(lang), &[&r.good.to_string()]));
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "是") {
            println!("{}", T::XferCancelled.get(lang));
            return Ok(());
        }
    }
    let mode = if opts.strict { ImportMode::AllOrNothing } else { ImportMode::GoodRows };
    let done = service.import_csv(actor, kind, &bytes, mode, &mut progress_bar(lang)).map_err(|e| say_error(&e, lang))?;
    if done.imported == 0 {
        // The database changed since the preview: say what is wrong now.
        for l in report::bad_lines(&done, lang) {
            println!("  {l}");
        }
        bail!("{}", T::XferNothingImported.get(lang));
    }
    println!("{}", fill(T::XferImported.get(lang), &[&done.imported.to_string()]));
    Ok(())
}

/// Where an export goes when no file is named: `guardroom-TABLE-YYYYMMDD.csv`
/// in the export directory.
pub fn default_path(dir: &Path, table: Table, today: chrono::NaiveDate) -> PathBuf {
    dir.join(format!("guardroom-{}-{}.csv", table.name(), today.format("%Y%m%d")))
}

/// `guardroom export TABLE [FILE]`: written to a temporary file beside the
/// target and moved into place, so a failed export leaves no half file.
pub fn export(service: &Arc<Service>, actor: &str, lang: Lang, table: &str, file: Option<PathBuf>, dir: &Path) -> anyhow::Result<()> {
    let Some(table) = Table::from_name(table) else {
        let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        bail!("{}", fill(T::XferUnknownTable.get(lang), &[table, &names.join(", ")]));
    };
    check_right(service, actor, table.right(), lang)?;
    let contracts = service.operator_for(actor).map(|o| o.role.may(crate::domain::Right::ReadContracts)).unwrap_or(false);
    let path = file.unwrap_or_else(|| default_path(dir, table, service.today()));
    let cannot = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!("{}", fill(T::XferCannotWrite.get(lang), &[&path.display().to_string(), &e.to_string()]))
    };
    let tmp = path.with_extension("csv.partial");
    let n = (|| {
        let f = std::fs::File::create(&tmp).map_err(|e| cannot(&e))?;
        let mut w = std::io::BufWriter::new(f);
        let n = super::csv_out::write_table(service.store(), table, lang, contracts, &mut w).map_err(|e| cannot(&e))?;
        w.into_inner().map_err(|e| cannot(&e.into_error()))?.sync_all().map_err(|e| cannot(&e))?;
        std::fs::rename(&tmp, &path).map_err(|e| cannot(&e))?;
        Ok::<usize, anyhow::Error>(n)
    })()
    .inspect_err(|_| {
        std::fs::remove_file(&tmp).ok();
    })?;
    println!("{}", fill(T::XferExported.get(lang), &[&n.to_string(), &path.display().to_string()]));
    Ok(())
}
