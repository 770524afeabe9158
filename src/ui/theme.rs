//! Colours and text styles in one place: three palettes (dark terminals,
//! light terminals, high contrast). `NO_COLOR` drops colour whatever the
//! palette, keeping bold/reverse/underline so selection and marks stay visible.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// Which palette: `theme = "dark" | "light" | "high_contrast"` in the config,
/// or `--theme` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    /// For dark backgrounds (the usual terminal).
    #[default]
    Dark,
    /// For white or light backgrounds: no yellow, cyan or light grey text.
    Light,
    /// Black and white with bold and reverse; red only for alerts.
    HighContrast,
}

impl ThemeName {
    pub const ALL: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast];

    pub fn code(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high_contrast",
        }
    }

    /// Accepts the config spelling, and `high-contrast` as typed on a command line.
    pub fn parse(s: &str) -> Option<ThemeName> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        ThemeName::ALL.into_iter().find(|t| t.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// False under `NO_COLOR`: modifiers only.
    pub color: bool,
    pub name: ThemeName,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true, name: ThemeName::Dark }
    }
}

// The light palette uses the 256-colour cube (every terminal guardroom
// targets has it): the 16 named colours are tuned for dark backgrounds in
// many terminals, and their yellow, cyan and green are unreadable on white.
const LIGHT_BLUE: Color = Color::Indexed(25); // #005faf
const LIGHT_PURPLE: Color = Color::Indexed(90); // #870087
const LIGHT_RED: Color = Color::Indexed(160); // #d70000
const LIGHT_GREEN: Color = Color::Indexed(28); // #008700
const LIGHT_BROWN: Color = Color::Indexed(130); // #af5f00
const LIGHT_GREY_TEXT: Color = Color::Indexed(240); // #585858, dark enough on white
const LIGHT_INPUT_BG: Color = Color::Indexed(254); // #e4e4e4

impl Theme {
    pub fn new(name: ThemeName, color: bool) -> Theme {
        Theme { color, name }
    }

    /// The palette chosen, with colour unless `NO_COLOR` is set (to anything
    /// but the empty string, as no-color.org asks).
    pub fn from_env(name: ThemeName) -> Theme {
        Theme::with_no_color(name, std::env::var_os("NO_COLOR").as_deref())
    }

    pub fn with_no_color(name: ThemeName, no_color: Option<&std::ffi::OsStr>) -> Theme {
        Theme { color: no_color.is_none_or(|v| v.is_empty()), name }
    }

    /// Foreground colour when colour is on; always `mods`.
    fn styled(&self, fg: Option<Color>, mods: Modifier) -> Style {
        let s = Style::default().add_modifier(mods);
        match fg {
            Some(c) if self.color => s.fg(c),
            _ => s,
        }
    }

    /// One colour per palette (`None`: the terminal's own text colour).
    fn pick(&self, dark: Color, light: Color, high: Option<Color>) -> Option<Color> {
        match self.name {
            ThemeName::Dark => Some(dark),
            ThemeName::Light => Some(light),
            ThemeName::HighContrast => high,
        }
    }

    pub fn title(&self) -> Style {
        self.styled(self.pick(Color::Cyan, LIGHT_BLUE, None), Modifier::BOLD)
    }
    pub fn header(&self) -> Style {
        let mods = if self.name == ThemeName::HighContrast { Modifier::BOLD | Modifier::UNDERLINED } else { Modifier::BOLD };
        self.styled(self.pick(Color::Yellow, LIGHT_PURPLE, None), mods)
    }
    pub fn selected(&self) -> Style {
        let mods = if self.name == ThemeName::HighContrast { Modifier::REVERSED | Modifier::BOLD } else { Modifier::REVERSED };
        Style::default().add_modifier(mods)
    }
    pub fn alert(&self) -> Style {
        self.styled(self.pick(Color::Red, LIGHT_RED, Some(Color::Red)), Modifier::BOLD)
    }
    pub fn ok(&self) -> Style {
        let mods = if self.name == ThemeName::HighContrast { Modifier::BOLD } else { Modifier::empty() };
        self.styled(self.pick(Color::Green, LIGHT_GREEN, None), mods)
    }
    pub fn dim(&self) -> Style {
        match self.name {
            // High contrast never fades text: it is simply plain.
            ThemeName::HighContrast => Style::default(),
            _ if !self.color => Style::default().add_modifier(Modifier::DIM),
            _ => self.styled(self.pick(Color::DarkGray, LIGHT_GREY_TEXT, None), Modifier::empty()),
        }
    }
    pub fn key(&self) -> Style {
        self.styled(self.pick(Color::Cyan, LIGHT_BLUE, None), Modifier::BOLD)
    }
    pub fn focus(&self) -> Style {
        let mods = if self.name == ThemeName::HighContrast { Modifier::BOLD | Modifier::UNDERLINED } else { Modifier::BOLD };
        self.styled(self.pick(Color::Yellow, LIGHT_BROWN, None), mods)
    }
    pub fn error(&self) -> Style {
        let mods = if self.name == ThemeName::HighContrast { Modifier::BOLD } else { Modifier::empty() };
        self.styled(self.pick(Color::Red, LIGHT_RED, Some(Color::Red)), mods)
    }
    pub fn input(&self) -> Style {
        match self.name {
            ThemeName::Dark if self.color => Style::default().bg(Color::Rgb(40, 40, 48)),
            ThemeName::Light if self.color => Style::default().bg(LIGHT_INPUT_BG),
            _ => Style::default().add_modifier(Modifier::UNDERLINED),
        }
    }
    pub fn tab_active(&self) -> Style {
        let bold = Modifier::BOLD;
        match self.name {
            ThemeName::Dark if self.color => Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(bold),
            ThemeName::Light if self.color => Style::default().fg(Color::White).bg(LIGHT_BLUE).add_modifier(bold),
            _ => Style::default().add_modifier(bold | Modifier::REVERSED),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_as_written_in_the_config_and_on_the_command_line() {
        assert_eq!(ThemeName::parse("high-contrast"), Some(ThemeName::HighContrast));
        assert_eq!(ThemeName::parse(" Light "), Some(ThemeName::Light));
        assert_eq!(ThemeName::parse("solarized"), None);
        for t in ThemeName::ALL {
            assert_eq!(ThemeName::parse(t.code()), Some(t));
        }
    }

    #[test]
    fn no_color_set_to_anything_but_empty_turns_colour_off() {
        use std::ffi::OsStr;
        assert!(!Theme::with_no_color(ThemeName::Light, Some(OsStr::new("1"))).color);
        assert!(Theme::with_no_color(ThemeName::Light, Some(OsStr::new(""))).color);
        assert!(Theme::with_no_color(ThemeName::Dark, None).color);
    }
}
