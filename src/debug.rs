//! Debug output as in ftplib: level 1 shows commands (password masked),
//! replies and the welcome; level 2 also every raw line sent and received;
//! above 2 also each line of a text transfer.

use std::fmt;

/// Where debug lines go when the caller gave no sink: standard error.
pub type DebugSink = Box<dyn FnMut(&str) + Send>;

/// The session's debug settings.
#[derive(Default)]
pub struct Debug {
    level: i32,
    sink: Option<DebugSink>,
}

impl fmt::Debug for Debug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Debug")
            .field("level", &self.level)
            .field("sink", &self.sink.is_some())
            .finish()
    }
}

impl Debug {
    /// The current level (0 = silent).
    pub fn level(&self) -> i32 {
        self.level
    }

    /// Sets the level; negative values count as 0.
    pub fn set_level(&mut self, level: i32) {
        self.level = level.max(0);
    }

    /// Sends debug lines to `sink` (`None`: standard error).
    pub fn set_sink(&mut self, sink: Option<DebugSink>) {
        self.sink = sink;
    }

    /// Emits the line built by `make` when the level is at least `min`.
    pub fn emit(&mut self, min: i32, make: impl FnOnce() -> String) {
        if self.level < min {
            return;
        }
        let line = make();
        match self.sink.as_mut() {
            Some(sink) => sink(&line),
            None => eprintln!("{line}"),
        }
    }
}
