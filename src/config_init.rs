//! `guardroom config init`: the default config file, every key explained in
//! English and Chinese. What it sets is exactly what an absent file means
//! (a test reads it back), and every commented-out example parses.

use crate::i18n::{fill, Lang, T};
use std::path::Path;

/// The commented default config file.
pub fn default_text() -> String {
    let rest = crate::domain::DEFAULT_MIN_REST_HOURS;
    let grace = crate::domain::DEFAULT_GRACE_MINUTES;
    format!(
        r#"# guardroom configuration · guardroom 配置文件
# Every key may be left out; a line starting with # is a comment: remove the # to use it.
# 每项设置都可以省略；以 # 开头的行是注释，去掉 # 即生效。
# A mistake in this file is reported when guardroom starts, never ignored.
# 本文件有误时 guardroom 启动即指出，不会忽略。

# Language of every screen: "zh" or "en" (default: the locale, e.g. LANG=zh_CN.UTF-8; --lang overrides).
# 界面语言："zh" 或 "en"（默认按系统区域设置，如 LANG=zh_CN.UTF-8；命令行 --lang 优先）。
# lang = "zh"

# Colours; the NO_COLOR environment variable turns them off whatever is set here.
# 配色；设置环境变量 NO_COLOR 时一律不用颜色。
# theme = "dark"   # dark, light or high_contrast

# How dates are shown ("iso": 2026-11-23).
# 日期显示格式（"iso"：2026-11-23）。
# date_format = "iso"

# OS accounts that may approve fee deductions and compensation (核决权限), besides the manager role.
# 除经理角色外，可以批准扣服务费和赔偿的系统账号（核决权限）。
managers = []
# managers = ["zhangjl"]

# Where exported forms and CSV files go (default: the current directory).
# 导出的登记表和 CSV 文件存放的目录（默认：当前目录）。
# export_dir = "/srv/guardroom/exports"

# The server's socket: guardroom connects by itself when a server answers there,
# and `guardroom backup` asks that server to write the backup
# (default: guardroom.sock in the data directory).
# 服务器套接字：有服务器应答时 guardroom 自动连接，guardroom backup 也由该服务器写备份
# （默认：数据目录下的 guardroom.sock）。
# socket = "/run/guardroom/guardroom.sock"

[complaints]
# true: count the 3 days a complaint is due in working days, skipping weekends and the holidays below.
# true：投诉 3 天期限按工作日计算，跳过周末和下列节假日；false：按自然日。
working_days = false
# Holidays, as "YYYY-MM-DD".
# 节假日，格式 "YYYY-MM-DD"。
holidays = []
# holidays = ["2026-10-01", "2026-10-02"]

[rosters]
# Least rest between two shifts of one guard, in hours (0 to 24).
# 同一保安两个班次之间至少休息的小时数（0 到 24）。
min_rest_hours = {rest}
# Minutes after a shift's start before a check-in counts as late.
# 班次开始后超过多少分钟签到算迟到。
grace_minutes = {grace}

[backups]
# Automatic backups: daily, when the TUI quits and when the server stops; `guardroom recover`
# rebuilds a damaged database from the newest one plus the journal of changes since.
# 自动备份：每天一次、退出界面时和服务器停止时；数据库损坏时 guardroom recover 用最新备份加其后的更改日志重建。
auto = true
# How many to keep, newest first.
# 保留最新的几份。
keep = 7
# Where they go (default: backups in the data directory).
# 备份目录（默认：数据目录下的 backups）。
# dir = "/srv/guardroom/backups"
"#
    )
}

/// Write the default config to `path`; an existing file is kept unless `force`.
/// Returns the sentence to print.
pub fn init(path: &Path, force: bool, lang: Lang) -> Result<String, String> {
    let shown = path.display().to_string();
    if path.exists() && !force {
        return Err(fill(T::CfgExists.get(lang), &[&shown]));
    }
    let io = |e: std::io::Error| crate::backup::BackupError::io(path, e).message(lang);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    // Written aside and renamed, so a full disk never leaves half a config.
    let tmp = crate::backup::temp_beside(path, "tmp");
    std::fs::write(&tmp, default_text()).and_then(|()| std::fs::rename(&tmp, path)).map_err(|e| {
        std::fs::remove_file(&tmp).ok();
        io(e)
    })?;
    Ok(fill(T::CfgWritten.get(lang), &[&shown]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_default_file_means_the_defaults() {
        assert_eq!(Config::parse(&default_text()).unwrap(), Config::default());
    }

    #[test]
    fn every_commented_example_parses_and_takes_effect() {
        // theme and date_format are read by the theming work; here only
        // the keys this version knows are switched on.
        let text: String = default_text()
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") && !rest.starts_with("theme") && !rest.starts_with("date_format") => rest.to_string(),
                _ => l.to_string(),
            })
            .filter(|l| l != "managers = []" && l != "holidays = []")
            .collect::<Vec<_>>()
            .join("\n");
        let c = Config::parse(&text).unwrap();
        assert_eq!(c.lang.as_deref(), Some("zh"));
        assert_eq!(c.managers, ["zhangjl"]);
        assert_eq!(c.complaints.holidays.len(), 2);
        assert!(c.export_dir.is_some() && c.socket.is_some() && c.backups.dir.is_some());
    }

    #[test]
    fn init_keeps_an_existing_file_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/config.toml");
        init(&path, false, Lang::En).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), default_text());
        std::fs::write(&path, "lang = \"en\"\n").unwrap();
        let refused = init(&path, false, Lang::En).unwrap_err();
        assert!(refused.contains("--force"), "{refused}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "lang = \"en\"\n", "kept as it was");
        init(&path, true, Lang::Zh).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), default_text());
        assert_eq!(std::fs::read_dir(path.parent().unwrap()).unwrap().count(), 1, "no temporary file left");
    }
}
