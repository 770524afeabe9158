//! guardroom's command line: open the TUI, or generate data sets.

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};
use guardroom::config::Config;
use guardroom::domain::DueRule;
use guardroom::i18n::{fill, Lang, T};
use guardroom::server::{self, client::RemoteApi};
use guardroom::service::{generate, Api, Policy, Service, SystemClock};
use guardroom::store::Store;
use guardroom::ui::drafts::DraftStore;
use guardroom::ui::theme::{Theme, ThemeName};
use guardroom::ui::{terminal, App};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(name = "guardroom", version, about = "Client files, visits and more for a security-guard company's business department")]
struct Cli {
    /// Database directory (default: guardroom.db in the user's data directory).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// Language of every screen: zh or en (default: config file, else the locale).
    #[arg(long, global = true)]
    lang: Option<String>,
    /// Connect to the guardroom server on this socket instead of opening the database.
    #[arg(long)]
    connect: Option<PathBuf>,
    /// Colours: dark, light or high_contrast (default: config file, else dark); NO_COLOR or TERM=dumb turns colour off.
    #[arg(long, global = true)]
    theme: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Load the demo data set into the database.
    Demo,
    /// Generate a data set for benchmarks.
    Gen {
        #[arg(long, value_enum, default_value = "large")]
        size: Size,
    },
    /// Show where the database, the log and the config live.
    Paths,
    /// Run the server that owns the database for many operators' sessions.
    Serve {
        /// Socket to listen on (default: `socket` in the config, else guardroom.sock in the data directory).
        #[arg(long)]
        socket: Option<PathBuf>,
    },
    /// The department's monthly report: complaints, visits, attendance, dorm hygiene, vehicles.
    Report {
        /// The month, as 2026-11 (default: this month so far).
        #[arg(long)]
        month: Option<String>,
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// Write the report to this file instead of the terminal.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Import clients, staff, posts or vehicles from a CSV file (UTF-8 or GB18030): a preview first.
    Import {
        /// clients, staff, posts or vehicles.
        kind: String,
        file: PathBuf,
        /// Import the good rows without asking.
        #[arg(long)]
        yes: bool,
        /// Only show the preview; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import nothing if any row has a problem.
        #[arg(long)]
        strict: bool,
    },
    /// Export a table as CSV (UTF-8 with BOM, for Excel and WPS).
    Export {
        /// clients, visits, complaints, staff, posts, assignments, rooms, room-checks,
        /// vehicles, trips, vehicle-checks, accidents, operators or audit.
        table: String,
        /// Default: guardroom-TABLE-YYYYMMDD.csv in the export directory.
        file: Option<PathBuf>,
    },
    /// Manage who may use guardroom (admins only).
    Operator {
        #[command(subcommand)]
        action: OperatorAction,
    },
    /// Draw every tab of the demo data set at 120×36, in Chinese and English, as SVG files in DIR.
    Screenshots {
        #[arg(default_value = "screenshots")]
        dir: PathBuf,
    },
    /// Write a consistent backup of the whole database to FILE (through the server when one runs).
    Backup {
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Replace the database (--db) with a backup, after checking all of it.
    Restore {
        file: PathBuf,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
        /// Only check the backup and show what it holds.
        #[arg(long)]
        check: bool,
    },
    /// Write every record, the audit log and the counters to FILE as JSON lines.
    Dump {
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Load a dump into a new, empty database (--db).
    Load { file: PathBuf },
    /// Rebuild a damaged database (--db) from the newest automatic backup and the journal of changes since.
    Recover,
    /// Show or create the config file.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Print where the config file is read from.
    Path,
    /// Write a commented default config file.
    Init {
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
}

/// Print what a library command said, or fail with its sentence.
fn said(outcome: Result<String, String>) -> anyhow::Result<()> {
    match outcome {
        Ok(text) => {
            println!("{text}");
            Ok(())
        }
        Err(why) => anyhow::bail!("{why}"),
    }
}

#[derive(Subcommand)]
enum OperatorAction {
    /// Add an OS account as an operator with a role.
    Add {
        account: String,
        /// admin, manager, customer_service, sales, legal, captain or post_operator.
        #[arg(long)]
        role: String,
    },
    /// List operators and their roles.
    List,
    /// Change an operator's role.
    SetRole { account: String, role: String },
    /// Stop an account from using guardroom (its history stays).
    Disable { account: String },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormat {
    /// Columns lined up for a terminal or a fixed-width font.
    Text,
    /// For Excel or WPS (UTF-8 with BOM).
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum Size {
    /// 200 clients, 2,000 visits, 2,000 complaints.
    Small,
    /// 10,000 clients, 100,000 visits, 100,000 complaints over 3 years.
    Large,
}

struct Paths {
    db: PathBuf,
    log_dir: PathBuf,
    config: PathBuf,
}

fn paths(cli: &Cli) -> Paths {
    let dirs = directories::ProjectDirs::from("", "", "guardroom");
    let data = dirs.as_ref().map(|d| d.data_dir().to_path_buf()).unwrap_or_else(|| PathBuf::from(".guardroom"));
    let config = dirs.as_ref().map(|d| d.config_dir().join("config.toml")).unwrap_or_else(|| PathBuf::from(".guardroom/config.toml"));
    Paths { db: cli.db.clone().unwrap_or_else(|| data.join("guardroom.db")), log_dir: data, config }
}

/// A database or server socket as drafts name it: its absolute path.
fn identity(path: &std::path::Path) -> String {
    std::fs::canonicalize(path).or_else(|_| std::path::absolute(path)).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// The OS account acting: $USER, else $LOGNAME, else the account database.
fn operator() -> String {
    ["USER", "LOGNAME"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|s| !s.trim().is_empty())
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| format!("uid{}", std::process::id()))
}

fn main() -> ExitCode {
    // A file-size limit (ulimit -f) then fails the write with EFBIG, which
    // is told like a full disk, instead of killing the process mid-save.
    // SAFETY: setting a signal's disposition to "ignore" runs no handler.
    unsafe { libc::signal(libc::SIGXFSZ, libc::SIG_IGN) };
    guardroom::memory::tune();
    let cli = Cli::parse();
    let p = paths(&cli);
    match run(cli, p) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Never eprintln!: after an SSH drop stderr is a hung-up
            // terminal, and a failed print would panic (exit 101).
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "guardroom: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Open the database; when that takes more than two seconds (sled
/// recovering after a crash, an index brought up to date after an upgrade)
/// say so on the terminal, which otherwise shows nothing yet.
fn open_saying_when_slow(db: &std::path::Path, lang: Lang) -> Result<Store, guardroom::store::StoreError> {
    let (done, waiting) = std::sync::mpsc::channel::<()>();
    let line = fill(T::StatusOpeningSlowly.get(lang), &[&db.display().to_string()]);
    let notice = std::thread::spawn(move || {
        if waiting.recv_timeout(std::time::Duration::from_secs(2)) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    });
    let store = Store::open_journaled(db);
    drop(done);
    let _ = notice.join();
    store
}

fn run(cli: Cli, p: Paths) -> anyhow::Result<()> {
    std::fs::create_dir_all(&p.log_dir).with_context(|| format!("cannot create the data directory {}", p.log_dir.display()))?;
    let appender = tracing_appender::rolling::never(&p.log_dir, "guardroom.log");
    let (writer, _guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("GUARDROOM_LOG").unwrap_or_else(|_| "info".into());
    if matches!(cli.command, Some(Command::Serve { .. })) {
        // The server has no screen to protect: it logs to the file and stderr.
        use tracing_subscriber::fmt::writer::MakeWriterExt;
        tracing_subscriber::fmt().with_writer(writer.and(std::io::stderr)).with_ansi(false).with_env_filter(filter).init();
    } else {
        tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).init();
    }

    // Config commands work even when the config file has a mistake.
    if let Some(Command::Config { action }) = &cli.command {
        let lang = cli.lang.as_deref().and_then(Lang::parse).unwrap_or_else(|| Lang::from_locale(|k| std::env::var(k).ok()));
        return match action {
            ConfigAction::Path => said(Ok(p.config.display().to_string())),
            ConfigAction::Init { force } => said(guardroom::config_init::init(&p.config, *force, lang)),
        };
    }
    let config = Config::read(&p.config)?;
    let lang = match cli.lang.as_deref().or(config.lang.as_deref()) {
        Some(s) => Lang::parse(s).with_context(|| format!("unknown language \"{s}\": use zh or en"))?,
        None => Lang::from_locale(|k| std::env::var(k).ok()),
    };
    let _ = guardroom::i18n::RUN_LANG.set(lang);
    let theme_name = match cli.theme.as_deref() {
        Some(s) => ThemeName::parse(s).with_context(|| fill(T::ErrUnknownTheme.get(lang), &[s]))?,
        None => config.theme.unwrap_or_default(),
    };
    let theme = Theme::from_env(theme_name);
    if let Some(Command::Screenshots { dir }) = &cli.command {
        // Always the default look (dark, ISO dates), whatever the config says.
        let files = guardroom::ui::screenshots::run(dir)?;
        println!("{}", fill(T::ScreenshotsWritten.get(lang), &[&files.len().to_string(), &dir.display().to_string()]));
        return Ok(());
    }
    let _ = guardroom::i18n::dates::RUN_DATE_FORMAT.set(config.date_format.unwrap_or_default());
    let auto = guardroom::backup::auto::AutoBackups {
        enabled: config.backups.auto,
        dir: config.backups.dir.clone().unwrap_or_else(|| p.log_dir.join("backups")),
        keep: config.backups.keep,
    };
    if let Some(Command::Paths) = cli.command {
        println!(
            "database: {}\nlog:      {}\nconfig:   {}\nbackups:  {}",
            p.db.display(),
            p.log_dir.join("guardroom.log").display(),
            p.config.display(),
            auto.dir.display()
        );
        return Ok(());
    }
    let socket = config.socket.clone().unwrap_or_else(|| p.log_dir.join("guardroom.sock"));
    // While a server runs it holds the database: the report asks it.
    if let Some(Command::Report { month, format, output }) = &cli.command {
        let remote = match &cli.connect {
            Some(path) => Some(RemoteApi::connect(path)?),
            None if socket.exists() => RemoteApi::connect(&socket).ok(),
            None => None,
        };
        if let Some(remote) = remote {
            return write_report(&remote, month.as_deref(), *format, output.as_deref(), lang);
        }
    }
    use guardroom::backup::cli as backup;
    match &cli.command {
        Some(Command::Backup { file, force }) => {
            return said(backup::backup(file, *force, cli.connect.as_deref(), &socket, &p.db, &auto.dir, lang))
        }
        Some(Command::Restore { file, force, check }) => return said(backup::restore(file, &p.db, *force, *check, lang)),
        Some(Command::Dump { file, force }) => return said(backup::dump(file, &p.db, &auto.dir, *force, lang)),
        Some(Command::Load { file }) => return said(backup::load(file, &p.db, lang)),
        Some(Command::Recover) => return said(backup::recover(&p.db, &auto, lang)),
        _ => {}
    }
    // A session goes through the server when asked to, or when one answers
    // on the configured socket; otherwise it opens the database itself.
    if cli.command.is_none() {
        let remote = match &cli.connect {
            Some(path) => Some(RemoteApi::connect(path)?),
            None if socket.exists() => RemoteApi::connect(&socket).ok(),
            None => None,
        };
        if let Some(remote) = remote {
            tracing::info!(socket = %remote.location(), operator = %remote.operator, "connected to the server");
            terminal::install_panic_report();
            let actor = remote.operator.clone();
            let api: Arc<dyn Api> = Arc::new(remote);
            let mut app = App::new(Arc::clone(&api), lang, theme, &actor);
            app.export_dir = config.export_dir.clone().unwrap_or_else(|| PathBuf::from("."));
            let server = cli.connect.clone().unwrap_or_else(|| socket.clone());
            app.use_drafts(DraftStore::new(&p.log_dir, &actor, &identity(&server)));
            return terminal::run(api, app);
        }
    }
    if let Some(parent) = p.db.parent() {
        std::fs::create_dir_all(parent).ok();
    }
    // With its journal; a damaged database is one sentence and exit code 1.
    let store = open_saying_when_slow(&p.db, lang).map_err(|e| anyhow::anyhow!("{}", backup::open_failure(e, &p.db, &auto.dir, lang)))?;
    tracing::info!(db = %p.db.display(), "database opened");
    let export_dir = config.export_dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let policy = Policy {
        managers: config.managers,
        due: DueRule { working_days: config.complaints.working_days, holidays: config.complaints.holidays },
        duty: guardroom::service::duty::DutyRules {
            min_rest_hours: config.rosters.min_rest_hours,
            grace_minutes: config.rosters.grace_minutes,
        },
    };
    let service = Service::with_policy(store, Box::new(SystemClock), policy);
    // A journal with no backup as its base gets one at once; a session (TUI
    // or server) also takes the daily one when it is due, while it runs.
    // (The server's daily round does both.)
    let first_backup = match cli.command {
        Some(Command::Serve { .. }) => None,
        _ => auto_backup_aside(&service, &auto, cli.command.is_none()),
    };
    let actor = operator();
    // The first OS account to open a new database becomes its admin.
    if service.bootstrap_admin(&actor)? {
        tracing::info!(%actor, "first account made admin");
    }
    match cli.command {
        Some(Command::Demo) => {
            let n = service.load_demo(&actor)?;
            println!(
                "loaded the demo data: {} clients, {} visits, {} complaints, {} staff, {} posts, {} shift assignments, {} dorm rooms, {} vehicles into {}",
                n.clients,
                n.visits,
                n.complaints,
                n.staff,
                n.posts,
                n.assignments,
                n.rooms,
                n.vehicles,
                p.db.display()
            );
        }
        Some(Command::Gen { size }) => {
            let sizes = match size {
                Size::Small => &generate::SMALL_SET,
                Size::Large => &generate::LARGE_SET,
            };
            let started = std::time::Instant::now();
            let mut last = None;
            let made = generate::generate_set(&service, &actor, service.today(), sizes, |p| {
                let (kind, line) = match p {
                    generate::Progress::Clients { clients, visits } => (0, format!("{clients} clients, {visits} visits")),
                    generate::Progress::Assignments(a) => (1, format!("{a} shift assignments")),
                };
                // A new line for each part; the same line while one goes on.
                if last.is_some_and(|k| k != kind) {
                    eprintln!();
                }
                last = Some(kind);
                eprint!("\r{line}");
            })?;
            eprintln!();
            let (r, l) = (&sizes.rosters, &sizes.logistics);
            println!(
                "generated {} dorm rooms with {} room checks and {} vehicles with {} trips",
                l.rooms, made.inspections, l.vehicles, made.trips
            );
            println!(
                "generated {} clients, {} visits, {} complaints, {} staff, {} posts and {} shift assignments in {:.1} s into {}",
                made.clients,
                made.visits,
                sizes.clients.complaints,
                r.staff,
                r.posts,
                made.assignments,
                started.elapsed().as_secs_f64(),
                p.db.display()
            );
        }
        Some(Command::Paths) | Some(Command::Screenshots { .. }) => {}
        Some(Command::Report { month, format, output }) => {
            let guarded = guardroom::service::guard::Guarded::new(service, &actor)
                .map_err(|e| anyhow::anyhow!("{}", guardroom::ui::messages::service_error(&e, lang)))?;
            write_report(&guarded, month.as_deref(), format, output.as_deref(), lang)?;
        }
        // Handled above, before the database is opened.
        Some(
            Command::Backup { .. }
            | Command::Restore { .. }
            | Command::Dump { .. }
            | Command::Load { .. }
            | Command::Recover
            | Command::Config { .. },
        ) => {}
        Some(Command::Import { kind, file, yes, dry_run, strict }) => {
            let opts = guardroom::transfer::cli::ImportOptions { yes, dry_run, strict };
            guardroom::transfer::cli::import(&service, &actor, lang, &kind, &file, &opts)?;
        }
        Some(Command::Export { table, file }) => guardroom::transfer::cli::export(&service, &actor, lang, &table, file, &export_dir)?,
        Some(Command::Operator { action }) => {
            use guardroom::domain::{Choice, Role};
            let role = |r: &str| {
                Role::from_code(r).ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown role \"{r}\": use one of {}",
                        Role::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")
                    )
                })
            };
            let say = |e: guardroom::service::ServiceError| anyhow::anyhow!("{}", guardroom::ui::messages::service_error(&e, lang));
            match action {
                OperatorAction::Add { account, role: r } => {
                    let o = service.set_operator(&actor, &account, role(&r)?, true).map_err(say)?;
                    println!("{} → {}", o.account, o.role.code());
                }
                OperatorAction::SetRole { account, role: r } => {
                    let active = service.operator_for(&account).is_ok();
                    let o = service.set_operator(&actor, &account, role(&r)?, active).map_err(say)?;
                    println!("{} → {}", o.account, o.role.code());
                }
                OperatorAction::Disable { account } => {
                    let current = service.operator_for(&account).map_err(say)?;
                    service.set_operator(&actor, &account, current.role, false).map_err(say)?;
                    println!("{account} disabled");
                }
                OperatorAction::List => {
                    for o in service.operators()? {
                        println!("{:<20} {:<18} {}", o.account, o.role.code(), if o.active { "active" } else { "disabled" });
                    }
                }
            }
        }
        Some(Command::Serve { socket: chosen }) => {
            let path = chosen.unwrap_or(socket);
            let listener = server::bind(&path)?;
            let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
            for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT, signal_hook::consts::SIGHUP] {
                signal_hook::flag::register(sig, Arc::clone(&stop))?;
            }
            tracing::info!(socket = %path.display(), db = %p.db.display(), "serving");
            let daily = {
                let (service, auto, stop) = (Arc::clone(&service), auto.clone(), Arc::clone(&stop));
                std::thread::spawn(move || guardroom::backup::auto::run_daily(service.store(), &auto, &stop))
            };
            server::serve(listener, Arc::clone(&service), Arc::new(server::peer::KernelPeer), Arc::clone(&stop))?;
            std::fs::remove_file(&path).ok();
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            let _ = daily.join();
            if let Some(t) = first_backup {
                let _ = t.join();
            }
            closing_backup(&service, &auto, lang);
            tracing::info!("stopped; the database is flushed on close");
            return Ok(());
        }
        None => {
            // The session acts as this OS account, within its role.
            let guarded = guardroom::service::guard::Guarded::new(Arc::clone(&service), &actor)
                .map_err(|e| anyhow::anyhow!("{}", guardroom::ui::messages::service_error(&e, lang)))?;
            terminal::install_panic_report();
            let api: Arc<dyn Api> = Arc::new(guarded);
            let mut app = App::new(Arc::clone(&api), lang, theme, &actor);
            app.export_dir = export_dir;
            app.use_drafts(DraftStore::new(&p.log_dir, &actor, &identity(&p.db)));
            terminal::run(api, app)?;
            // The terminal is restored: the backup says one line while it runs.
            if let Some(t) = first_backup {
                let _ = t.join();
            }
            closing_backup(&service, &auto, lang);
            return Ok(());
        }
    }
    if let Some(t) = first_backup {
        let _ = t.join();
    }
    Ok(())
}

/// Start an automatic backup on its own thread when the journal needs a
/// base, or (in a TUI session) when the daily one is due.
fn auto_backup_aside(
    service: &Arc<Service>,
    auto: &guardroom::backup::auto::AutoBackups,
    session: bool,
) -> Option<std::thread::JoinHandle<()>> {
    let needs_base = service.store().journal_state().is_some_and(|(_, _, n)| n);
    if !auto.enabled || !(needs_base || (session && auto.due(service.store().path(), chrono::Utc::now()))) {
        return None;
    }
    let (service, auto) = (Arc::clone(service), auto.clone());
    Some(std::thread::spawn(move || match auto.take(service.store()) {
        Ok(s) => tracing::info!(file = %s.path, needs_base, "automatic backup written"),
        Err(e) => tracing::error!(error = %e, "the automatic backup failed"),
    }))
}

/// The backup of a clean quit or stop.
fn closing_backup(service: &Service, auto: &guardroom::backup::auto::AutoBackups, lang: Lang) {
    if !auto.enabled {
        return;
    }
    use std::io::Write as _;
    // After an SSH drop there is no terminal to tell: never fail on that.
    let _ = writeln!(std::io::stderr(), "{}", fill(T::AutoBackupRunning.get(lang), &[&auto.dir.display().to_string()]));
    if let Err(e) = auto.take(service.store()) {
        tracing::error!(error = %e, "the closing backup failed");
        let _ = writeln!(std::io::stderr(), "{}", fill(T::AutoBackupFailed.get(lang), &[&e.message(lang)]));
    }
}

/// "2026-11" as the month's first day.
fn parse_month(text: &str, lang: Lang) -> anyhow::Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("{}", fill(T::RpBadMonth.get(lang), &[text])))
}

fn write_report(
    api: &dyn Api,
    month: Option<&str>,
    format: ReportFormat,
    output: Option<&std::path::Path>,
    lang: Lang,
) -> anyhow::Result<()> {
    let month = match month {
        Some(m) => parse_month(m, lang)?,
        None => api.today(),
    };
    let report = api.month_report(month).map_err(|e| anyhow::anyhow!("{}", guardroom::ui::messages::service_error(&e, lang)))?;
    let bytes = match format {
        ReportFormat::Text => guardroom::report::text(&report, lang).into_bytes(),
        ReportFormat::Csv => guardroom::report::csv(&report, lang)?,
    };
    match output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{}", fill(T::StatusExported.get(lang), &[&path.display().to_string()]));
        }
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    Ok(())
}
