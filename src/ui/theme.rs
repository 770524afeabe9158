//! Colours and text styles in one place: three palettes (dark terminals,
//! light terminals, high contrast). `NO_COLOR`, or a terminal without
//! colours (`TERM=dumb`), drops colour whatever the palette, keeping
//! bold/reverse/underline so selection and marks stay visible; a terminal
//! with only the 16 basic colours gets those, never the 256-colour cube.

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
    /// False under `NO_COLOR` or on a terminal without colours: modifiers only.
    pub color: bool,
    pub name: ThemeName,
    /// The colours the terminal can show, when `color`.
    pub depth: Depth,
}

/// How many colours a terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Depth {
    /// The 16 basic colours (`TERM=xterm`, `linux`, `screen`).
    Basic,
    /// The 256-colour cube (`TERM=*-256color`).
    Indexed,
    /// 24-bit colour (`COLORTERM=truecolor` or `24bit`).
    #[default]
    True,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { color: true, name: ThemeName::Dark, depth: Depth::True }
    }
}

/// What the environment says about colour: `None` for none at all.
///
/// - `NO_COLOR` set and not empty: none (no-color.org).
/// - `TERM` unset, empty, `dumb`, a `vt…` terminal, or a terminfo
///   monochrome variant (`…-m`, `…-mono`): none.
/// - `COLORTERM=truecolor` or `24bit`: 24-bit.
/// - `TERM` naming 256 colours (`…256color…`) or direct colour: 256.
/// - anything else (`xterm`, `linux`, `screen`, `ansi`): the 16 basic ones.
///
/// (terminfo's `colors` is not read: guardroom links no curses library, and
/// these names cover the terminals its operators use.)
pub fn detect(no_color: Option<&str>, term: Option<&str>, colorterm: Option<&str>) -> Option<Depth> {
    if no_color.is_some_and(|v| !v.is_empty()) {
        return None;
    }
    let term = term.unwrap_or("").trim().to_ascii_lowercase();
    if term.is_empty() || term == "dumb" || term.starts_with("vt") || term.ends_with("-m") || term.ends_with("-mono") {
        return None;
    }
    let colorterm = colorterm.unwrap_or("").to_ascii_lowercase();
    if colorterm == "truecolor" || colorterm == "24bit" {
        Some(Depth::True)
    } else if term.contains("256color") || term.contains("direct") {
        Some(Depth::Indexed)
    } else {
        Some(Depth::Basic)
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
        Theme { color, name, depth: Depth::True }
    }

    /// The palette on a terminal showing `depth` colours (`None`: none).
    pub fn with_depth(name: ThemeName, depth: Option<Depth>) -> Theme {
        Theme { color: depth.is_some(), name, depth: depth.unwrap_or_default() }
    }

    /// The palette chosen, with the colours the environment allows (see [`detect`]).
    pub fn from_env(name: ThemeName) -> Theme {
        let var = |k: &str| std::env::var(k).ok();
        Theme::with_depth(name, detect(var("NO_COLOR").as_deref(), var("TERM").as_deref(), var("COLORTERM").as_deref()))
    }

    pub fn with_no_color(name: ThemeName, no_color: Option<&std::ffi::OsStr>) -> Theme {
        Theme { color: no_color.is_none_or(|v| v.is_empty()), name, depth: Depth::True }
    }

    /// A colour the terminal can show: the cube's and 24-bit colours become
    /// their nearest basic ones on a 16-colour terminal (`None`: leave the
    /// terminal's own colour).
    fn adapt(&self, c: Color) -> Option<Color> {
        match (self.depth, c) {
            (Depth::True, c) => Some(c),
            (Depth::Indexed, Color::Rgb(..)) => Some(Color::Indexed(236)),
            (Depth::Indexed, c) => Some(c),
            (Depth::Basic, Color::Indexed(n)) => match n {
                25 => Some(Color::Blue),
                90 | 130 => Some(Color::Magenta),
                160 => Some(Color::Red),
                28 => Some(Color::Green),
                _ => None,
            },
            (Depth::Basic, Color::Rgb(..)) => None,
            (Depth::Basic, c) => Some(c),
        }
    }

    /// Foreground colour when colour is on; always `mods`.
    fn styled(&self, fg: Option<Color>, mods: Modifier) -> Style {
        let s = Style::default().add_modifier(mods);
        match fg.filter(|_| self.color).and_then(|c| self.adapt(c)) {
            Some(c) => s.fg(c),
            None => s,
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
        // A field's ground where the terminal can show a quiet one; else underlined.
        let ground = match self.name {
            ThemeName::Dark if self.color => self.adapt(Color::Rgb(40, 40, 48)),
            ThemeName::Light if self.color && self.depth != Depth::Basic => Some(LIGHT_INPUT_BG),
            _ => None,
        };
        match ground {
            Some(c) => Style::default().bg(c),
            None => Style::default().add_modifier(Modifier::UNDERLINED),
        }
    }
    pub fn tab_active(&self) -> Style {
        let bold = Modifier::BOLD;
        match self.name {
            ThemeName::Dark if self.color => Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(bold),
            ThemeName::Light if self.color => {
                Style::default().fg(Color::White).bg(self.adapt(LIGHT_BLUE).unwrap_or(Color::Blue)).add_modifier(bold)
            }
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
    fn the_terminal_says_how_many_colours_it_has() {
        assert_eq!(detect(None, Some("dumb"), None), None);
        assert_eq!(detect(None, Some("dumb"), Some("truecolor")), None, "a dumb terminal has none whatever COLORTERM says");
        assert_eq!(detect(None, None, None), None);
        assert_eq!(detect(None, Some("vt100"), None), None);
        assert_eq!(detect(None, Some("xterm-mono"), None), None);
        assert_eq!(detect(Some("1"), Some("xterm-256color"), Some("truecolor")), None);
        assert_eq!(detect(Some(""), Some("xterm-256color"), None), Some(Depth::Indexed));
        assert_eq!(detect(None, Some("tmux-256color"), None), Some(Depth::Indexed));
        assert_eq!(detect(None, Some("xterm"), Some("24bit")), Some(Depth::True));
        assert_eq!(detect(None, Some("linux"), None), Some(Depth::Basic));
        assert_eq!(detect(None, Some("screen"), None), Some(Depth::Basic));
    }

    #[test]
    fn sixteen_colours_get_no_cube_or_rgb_colours_in_any_palette() {
        for name in ThemeName::ALL {
            let t = Theme::with_depth(name, Some(Depth::Basic));
            let styles =
                [t.title(), t.header(), t.selected(), t.alert(), t.ok(), t.dim(), t.key(), t.focus(), t.error(), t.input(), t.tab_active()];
            for s in styles {
                for c in [s.fg, s.bg].into_iter().flatten() {
                    assert!(!matches!(c, Color::Indexed(_) | Color::Rgb(..)), "{name:?}: {s:?}");
                }
            }
            // Fields stay marked without their ground colour.
            let input = t.input();
            assert!(input.bg.is_some() || input.add_modifier.contains(Modifier::UNDERLINED), "{name:?}");
        }
        assert_eq!(Theme::with_depth(ThemeName::Light, Some(Depth::Basic)).alert().fg, Some(Color::Red));
        assert_eq!(Theme::with_depth(ThemeName::Dark, Some(Depth::Indexed)).input().bg, Some(Color::Indexed(236)));
    }

    #[test]
    fn no_color_set_to_anything_but_empty_turns_colour_off() {
        use std::ffi::OsStr;
        assert!(!Theme::with_no_color(ThemeName::Light, Some(OsStr::new("1"))).color);
        assert!(Theme::with_no_color(ThemeName::Light, Some(OsStr::new(""))).color);
        assert!(Theme::with_no_color(ThemeName::Dark, None).color);
    }
}
