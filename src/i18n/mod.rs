//! User-facing strings: one key per message, one entry per language. The
//! `texts!` macro takes exactly two literals per key, so a missing
//! translation fails to compile.

pub mod dates;
mod labels;
mod strings;

pub use labels::{invalid_text, weekday, Label};
pub use strings::T;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the locale variables (LC_ALL, LC_MESSAGES, LANG): Chinese when
    /// the locale is Chinese, English otherwise.
    pub fn from_locale(get: impl Fn(&str) -> Option<String>) -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Some(v) = get(var).filter(|v| !v.is_empty()) {
                return if v.to_ascii_lowercase().starts_with("zh") { Lang::Zh } else { Lang::En };
            }
        }
        Lang::En
    }
}

/// The language of this run, for the few places without an app at hand
/// (the panic message).
pub static RUN_LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// Fill `{0}`, `{1}`… in a template.
/// One pass over the template, so `{1}` inside an argument (user text) is
/// left as it is.
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| after[..close].parse::<usize>().ok().map(|i| (i, close))) {
            Some((i, close)) if i < args.len() => {
                out.push_str(args[i]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| move |k: &str| pairs.iter().find(|p| p.0 == k).map(|p| p.1.to_string());
        assert_eq!(Lang::from_locale(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
        assert_eq!(Lang::from_locale(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_locale(env(&[])), Lang::En);
        assert_eq!(Lang::parse("ZH"), Some(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn fill_places_arguments() {
        assert_eq!(fill("{0} 已被 {1} 修改", &["KH-0001", "李娜"]), "KH-0001 已被 李娜 修改");
        assert_eq!(fill("{0} by {1}", &["A{1}", "li"]), "A{1} by li", "user text is not filled again");
        assert_eq!(fill("{x} {9} {0}", &["a"]), "{x} {9} a");
    }
}
