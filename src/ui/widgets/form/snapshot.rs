//! A form's state as plain data, so an unsaved form can outlive the process
//! (a draft kept across an SSH drop) and be put back exactly: what each
//! field held when the form opened (its baseline, which the conflict path
//! compares against) and what was typed since.

use super::{new_textarea, FieldKind, Form, Input};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldState {
    pub id: String,
    /// Text as typed; a choice field's chosen index as digits.
    pub value: String,
    /// The value when the form was opened (or last saved).
    pub initial: String,
    /// The entry picked in a lookup field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picked: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSnapshot {
    pub fields: Vec<FieldState>,
    /// The field that had focus.
    pub focus: String,
}

impl Form {
    pub fn snapshot(&self) -> FormSnapshot {
        let values = self.values();
        let fields = self
            .specs
            .iter()
            .enumerate()
            .map(|(i, s)| FieldState {
                id: s.id.to_string(),
                value: values[i].clone(),
                initial: self.initial.get(i).cloned().unwrap_or_default(),
                picked: self.picked[i],
            })
            .collect();
        FormSnapshot { fields, focus: self.focused_id().to_string() }
    }

    /// Put a snapshot back into a form of the same kind: baseline first,
    /// then the typed values over it. Fields the form no longer has are
    /// left out; a choice out of range keeps the form's own.
    pub fn restore(&mut self, snap: &FormSnapshot) {
        let apply = |form: &mut Form, initial: bool| {
            for f in &snap.fields {
                let Some(i) = form.index(&f.id) else { continue };
                let text = if initial { &f.initial } else { &f.value };
                match &form.specs[i].kind {
                    FieldKind::Choice { options } => {
                        if let Some(c) = text.parse::<usize>().ok().filter(|c| *c < options.len()) {
                            form.inputs[i] = Input::Choice(c);
                        }
                    }
                    _ => {
                        let text: String = text.chars().take(form.specs[i].max()).collect();
                        form.inputs[i] = Input::Text(Box::new(new_textarea(&text)));
                        // A pick stands only if it is still on the list.
                        let picked = f.picked.filter(|p| match &form.specs[i].kind {
                            FieldKind::Lookup { options } => options.iter().any(|o| o.0 == *p),
                            _ => false,
                        });
                        form.picked[i] = if initial { None } else { picked };
                    }
                }
            }
        };
        apply(self, true);
        self.mark_clean();
        apply(self, false);
        self.focus_on(&snap.focus);
    }

    /// The first non-empty one-line text, to say what a draft is about.
    pub fn first_text(&self) -> Option<String> {
        self.specs
            .iter()
            .filter(|s| matches!(s.kind, FieldKind::Text { .. } | FieldKind::Lookup { .. }))
            .map(|s| self.text(s.id))
            .find(|t| !t.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::super::FieldSpec;
    use super::*;

    fn form() -> Form {
        let mut f = Form::new(
            "t".into(),
            vec![
                FieldSpec::text("name", "Name", crate::domain::limits::DATE),
                FieldSpec::choice("tier", "Tier", vec!["a".into(), "b".into(), "c".into()]),
                FieldSpec::lookup("driver", "Driver", vec![(7, "王强".into()), (9, "李明".into())]),
                FieldSpec::multiline("notes", "Notes", crate::domain::limits::client::NOTES, 3),
            ],
        );
        f.set_text("name", "华贸");
        f.set_choice("tier", 1);
        f.mark_clean();
        f
    }

    #[test]
    fn a_snapshot_puts_back_baseline_values_picks_and_focus() {
        let mut f = form();
        f.set_text("name", "华贸中心");
        f.set_choice("tier", 2);
        f.set_picked("driver", 9);
        f.set_text("notes", "第一行\n第二行");
        f.focus_on("notes");
        let snap = f.snapshot();
        let json = serde_json::to_string(&snap).unwrap();
        let mut back = form();
        back.set_text("name", "someone else's");
        back.mark_clean();
        back.restore(&serde_json::from_str(&json).unwrap());
        assert_eq!(back.text("name"), "华贸中心");
        assert_eq!(back.choice("tier"), 2);
        assert_eq!(back.picked("driver"), Some(9));
        assert_eq!(back.text("notes"), "第一行\n第二行");
        assert_eq!(back.focused_id(), "notes");
        assert!(back.is_dirty());
        // The baseline is the draft's, not the form's: what the conflict path compares with.
        let theirs = form();
        assert_eq!(theirs.labels_differing_from_baseline_of(&back), Vec::<String>::new());
        back.mark_clean();
        assert_eq!(back.snapshot().fields[0].initial, "华贸中心");
    }

    #[test]
    fn restoring_ignores_unknown_fields_and_bad_choices_and_keeps_limits() {
        let mut snap = form().snapshot();
        snap.fields.push(FieldState { id: "gone".into(), value: "x".into(), initial: String::new(), picked: None });
        snap.fields[1].value = "99".into();
        snap.fields[0].value = "一二三四五六七八九十十一".into();
        snap.fields[2].picked = Some(1234);
        snap.fields[2].value = "nobody".into();
        let mut f = form();
        f.restore(&snap);
        assert_eq!(f.choice("tier"), 1);
        assert_eq!(f.text("name").chars().count(), crate::domain::limits::DATE.chars(), "cut to the field's limit");
        assert_eq!(f.picked("driver"), None);
        assert_eq!(f.text("driver"), "nobody");
    }
}
