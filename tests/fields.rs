//! Text fields drawn by display width: long Chinese, mixed and emoji values
//! with the caret at the start, middle and end. The caret must stay inside
//! the field, on the cell after the character before it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use guardroom::domain::limits;
use guardroom::ui::theme::Theme;
use guardroom::ui::widgets::form::{FieldSpec, Form};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const LONG_ZH: &str = "上海华贸中心物业管理有限公司浦东新区分公司第二园区东门岗亭";
const MIXED: &str = "KH-0001 华贸 Center 门岗 A2 夜班 night shift 巡逻";
const EMOJI: &str = "值班👮‍♂️交接🚓完成✅备注📋没问题👍";

/// Draw a one-field form 30 cells wide; returns the screen with the caret
/// drawn as `▏` before the cell it sits on, plus its position.
fn draw(value: &str, moves: &[KeyCode], multiline: bool) -> (String, (u16, u16)) {
    let spec = if multiline {
        FieldSpec::multiline("v", "值", limits::visit::PURPOSE, 3)
    } else {
        FieldSpec::text("v", "值", limits::visit::PURPOSE)
    };
    let mut f = Form::new("t".into(), vec![spec]);
    f.set_text("v", value);
    for m in moves {
        f.handle_key(KeyEvent::new(*m, KeyModifiers::NONE));
    }
    let area = Rect::new(0, 0, 30, if multiline { 7 } else { 5 });
    let mut buf = Buffer::empty(area);
    let caret = f.render_buf(&mut buf, area, &Theme { color: false, ..Theme::default() }, "").expect("focused field has a caret");
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if (x, y) == (caret.x, caret.y) {
                out.push('▏');
            }
            if skip > 0 {
                // The second cell of a double-width character.
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            out.push_str(sym);
        }
        out.push('\n');
    }
    (out, (caret.x, caret.y))
}

fn home() -> Vec<KeyCode> {
    vec![KeyCode::Home]
}

fn middle(n: usize) -> Vec<KeyCode> {
    std::iter::once(KeyCode::Home).chain(std::iter::repeat_n(KeyCode::Right, n)).collect()
}

#[test]
fn single_line_values_keep_the_caret_in_view() {
    let cases: [(&str, &str); 3] = [("long_zh", LONG_ZH), ("mixed", MIXED), ("emoji", EMOJI)];
    for (name, value) in cases {
        for (pos, moves) in [("start", home()), ("middle", middle(value.chars().count() / 2)), ("end", vec![])] {
            let (screen, (x, y)) = draw(value, &moves, false);
            // The value area starts after the label column and ends before the border.
            assert!((5..29).contains(&x), "{name} {pos}: caret x {x} outside the field");
            assert_eq!(y, 1, "{name} {pos}");
            insta::assert_snapshot!(format!("single_{name}_{pos}"), screen);
        }
    }
}

#[test]
fn multi_line_values_wrap_by_width_and_keep_the_caret_in_view() {
    let value = format!("{LONG_ZH}\n{MIXED}\n{EMOJI}");
    for (pos, moves) in [
        ("start", vec![KeyCode::Up, KeyCode::Up, KeyCode::Home]),
        ("middle", vec![KeyCode::Up, KeyCode::Home, KeyCode::Right, KeyCode::Right]),
        ("end", vec![]),
    ] {
        let (screen, (x, y)) = draw(&value, &moves, true);
        assert!((5..29).contains(&x), "{pos}: caret x {x}");
        assert!((1..4).contains(&y), "{pos}: caret y {y}");
        insta::assert_snapshot!(format!("multi_{pos}"), screen);
    }
}

#[test]
fn typing_chinese_moves_the_caret_two_cells() {
    let mut f = Form::new("t".into(), vec![FieldSpec::text("v", "值", limits::dorm::ROOM)]);
    let area = Rect::new(0, 0, 30, 5);
    let caret = |f: &Form| {
        let mut buf = Buffer::empty(area);
        f.render_buf(&mut buf, area, &Theme { color: false, ..Theme::default() }, "").unwrap()
    };
    let x0 = caret(&f).x;
    f.handle_key(KeyEvent::new(KeyCode::Char('保'), KeyModifiers::NONE));
    assert_eq!(caret(&f).x, x0 + 2);
    f.handle_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    assert_eq!(caret(&f).x, x0 + 3);
    // The length limit is in characters and holds for pastes too.
    f.paste(&"安".repeat(50));
    assert_eq!(f.text("v").chars().count(), 20);
}

#[test]
fn a_long_reason_wraps_under_its_field_instead_of_losing_its_end() {
    let mut f =
        Form::new("t".into(), vec![FieldSpec::text("phone", "电话", limits::PHONE), FieldSpec::text("name", "姓名", limits::PHONE)]);
    let why = "Not a phone number: 11 mobile digits, or a landline like 021-64381234.";
    f.set_errors(vec![("phone".into(), why.into())]);
    let area = Rect::new(0, 0, 40, 10);
    let mut buf = Buffer::empty(area);
    f.render_buf(&mut buf, area, &Theme { color: false, ..Theme::default() }, "");
    let text: String = (0..area.height)
        .map(|y| (0..area.width).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>().trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("64381234."), "the example at the end is shown: {text}");
    assert!(text.contains('名'), "the next field still shows below: {text}");
}
