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
    /// Bumped by every message, so the app can tell whether a key said anything.
    pub serial: u64,
}

impl Default for Status {
    fn default() -> Self {
        Status { text: String::new(), tone: Tone::Info, serial: 0 }
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
        self.serial += 1;
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.tone = Tone::Info;
    }
}
