//! The status line: one message, with how it should look.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Ok,
    Error,
}

#[derive(Debug, Clone)]
pub struct Status {
    pub text: String,
    pub tone: Tone,
}

impl Default for Status {
    fn default() -> Self {
        Status { text: String::new(), tone: Tone::Info }
    }
}

impl Status {
    pub fn info(&mut self, s: impl Into<String>) {
        self.set(s.into(), Tone::Info);
    }
    pub fn ok(&mut self, s: impl Into<String>) {
        self.set(s.into(), Tone::Ok);
    }
    pub fn error(&mut self, s: impl Into<String>) {
        let text = s.into();
        tracing::info!(message = %text, "error shown to the operator");
        self.set(text, Tone::Error);
    }
    fn set(&mut self, text: String, tone: Tone) {
        self.text = text;
        self.tone = tone;
    }
}
