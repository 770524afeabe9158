//! The config file (TOML, in the user's config directory).

use chrono::NaiveDate;
use std::path::{Path, PathBuf};

#[derive(serde::Deserialize, Default, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// zh or en.
    pub lang: Option<String>,
    /// OS accounts with the manager's right to approve deductions.
    #[serde(default)]
    pub managers: Vec<String>,
    #[serde(default)]
    pub complaints: ComplaintsConfig,
    #[serde(default)]
    pub rosters: RostersConfig,
    /// Where exported forms and CSV files go (default: the current directory).
    pub export_dir: Option<PathBuf>,
    /// The server's socket (default: guardroom.sock in the data directory).
    pub socket: Option<PathBuf>,
    /// Colours: dark (default), light or high_contrast; NO_COLOR still wins.
    pub theme: Option<crate::ui::theme::ThemeName>,
    /// How dates are shown: iso (default, 2026-11-23), zh (2026年11月23日) or dmy (23.11.2026).
    pub date_format: Option<crate::i18n::dates::DateFormat>,
    #[serde(default)]
    pub backups: BackupsConfig,
}

/// Automatic backups (see `backup::auto`).
#[derive(serde::Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BackupsConfig {
    /// Take them: daily, on a clean quit and when the server stops.
    pub auto: bool,
    /// Where they go (default: `backups` in the data directory).
    pub dir: Option<PathBuf>,
    /// How many to keep, newest first (at least 1).
    pub keep: usize,
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig { auto: true, dir: None, keep: 7 }
    }
}

#[derive(serde::Deserialize, Default, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ComplaintsConfig {
    /// Count the 3 days in working days (skipping weekends and holidays).
    #[serde(default)]
    pub working_days: bool,
    /// Holidays as "YYYY-MM-DD" strings.
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
}

#[derive(serde::Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RostersConfig {
    /// Least rest between two shifts of one guard, in hours.
    pub min_rest_hours: u8,
    /// Minutes after a shift's start before a check-in counts as late.
    pub grace_minutes: u16,
}

impl Default for RostersConfig {
    fn default() -> Self {
        RostersConfig { min_rest_hours: crate::domain::DEFAULT_MIN_REST_HOURS, grace_minutes: crate::domain::DEFAULT_GRACE_MINUTES }
    }
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, toml::de::Error> {
        let c: Config = toml::from_str(text)?;
        // The roster rules look two days either side of a shift: a longer
        // rest could not be checked.
        if c.rosters.min_rest_hours > 24 {
            return Err(serde::de::Error::custom("rosters.min_rest_hours must be between 0 and 24"));
        }
        if c.backups.keep == 0 {
            return Err(serde::de::Error::custom("backups.keep must be at least 1"));
        }
        Ok(c)
    }

    /// The config file, if there is one; a broken one is reported, never ignored.
    pub fn read(path: &Path) -> anyhow::Result<Config> {
        match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text)
                .map_err(|e| anyhow::anyhow!("the config file {} has an error ({}); correct it or remove it", path.display(), e.message())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => anyhow::bail!("the config file {} could not be read ({e}); check its permissions", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_example_parses() {
        let readme = include_str!("../README.md");
        let start = readme.find("```toml\n").expect("a toml example in the README") + 8;
        let end = start + readme[start..].find("```").unwrap();
        let c = Config::parse(&readme[start..end]).unwrap();
        assert_eq!(c.lang.as_deref(), Some("zh"));
        assert_eq!(c.managers, ["zhangjl"]);
        assert!(!c.complaints.working_days);
        assert_eq!(c.complaints.holidays.len(), 2);
        assert_eq!((c.rosters.min_rest_hours, c.rosters.grace_minutes), (8, 10));
        assert_eq!(c.theme, Some(crate::ui::theme::ThemeName::Dark));
        assert_eq!(c.date_format, Some(crate::i18n::dates::DateFormat::Iso));
        assert_eq!(c.backups, BackupsConfig { auto: true, dir: Some("/srv/guardroom/backups".into()), keep: 14 });
    }

    #[test]
    fn backups_default_to_on_keeping_seven() {
        assert_eq!(Config::parse("").unwrap().backups, BackupsConfig { auto: true, dir: None, keep: 7 });
        assert!(!Config::parse("[backups]\nauto = false").unwrap().backups.auto);
        assert!(Config::parse("[backups]\nkeep = 0").is_err(), "keeping none would delete every backup");
        assert!(Config::parse("[backups]\nkept = 3").is_err());
    }

    #[test]
    fn unknown_keys_are_errors_not_silence() {
        assert!(Config::parse("manager = [\"x\"]").is_err());
        assert!(Config::parse("[rosters]\nmin_rest = 8").is_err());
        assert!(Config::parse("[rosters]\nmin_rest_hours = 30").is_err(), "more rest than the rules can check");
        assert_eq!(Config::parse("[rosters]\ngrace_minutes = 5").unwrap().rosters.min_rest_hours, 8, "unset keys keep their defaults");
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn theme_and_date_format() {
        use crate::i18n::dates::DateFormat;
        use crate::ui::theme::ThemeName;
        let c = Config::parse("theme = \"high_contrast\"\ndate_format = \"zh\"").unwrap();
        assert_eq!((c.theme, c.date_format), (Some(ThemeName::HighContrast), Some(DateFormat::Zh)));
        assert_eq!(Config::parse("theme = \"light\"").unwrap().theme, Some(ThemeName::Light));
        assert_eq!(Config::parse("date_format = \"dmy\"").unwrap().date_format, Some(DateFormat::Dmy));
        let c = Config::parse("").unwrap();
        assert_eq!((c.theme, c.date_format), (None, None), "unset: the defaults (dark, iso) apply");
        // A misspelt value is an error naming the values that work, never silently dark.
        let e = Config::parse("theme = \"solarized\"").unwrap_err().message().to_string();
        assert!(e.contains("high_contrast") && e.contains("light"), "{e}");
        let e = Config::parse("date_format = \"us\"").unwrap_err().message().to_string();
        assert!(e.contains("iso") && e.contains("zh"), "{e}");
    }
}
