//! The netrc tokens, as Python's `netrc` (3.11+) reads them: words
//! separated by white space; `"quoted words"` that may hold spaces; a
//! backslash takes the next character literally, quoted or not. Comments
//! are the parser's business (a `#` word where a keyword is expected).

/// A token and the line it starts on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) text: String,
    pub(super) line: usize,
    /// Written in quotes (so never a keyword or a comment).
    pub(super) quoted: bool,
}

/// Reads tokens from netrc text.
#[derive(Clone)]
pub(super) struct Lexer<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            chars: text.chars().peekable(),
            line: 1,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next();
        if c == Some('\n') {
            self.line += 1;
        }
        c
    }

    /// The next token; `None` at the end of the text.
    pub(super) fn next_token(&mut self) -> Option<Token> {
        while self.chars.peek().is_some_and(|c| c.is_whitespace()) {
            self.bump();
        }
        let line = self.line;
        let quoted = *self.chars.peek()? == '"';
        if quoted {
            self.bump();
        }
        let mut text = String::new();
        while let Some(&c) = self.chars.peek() {
            if quoted && c == '"' {
                self.bump();
                break;
            }
            if !quoted && c.is_whitespace() {
                break;
            }
            self.bump();
            if c == '\\' {
                if let Some(next) = self.bump() {
                    text.push(next);
                }
            } else {
                text.push(c);
            }
        }
        Some(Token { text, line, quoted })
    }

    /// Skips what is left of the current line (a comment).
    pub(super) fn skip_line(&mut self) {
        while self.chars.peek().is_some_and(|&c| c != '\n') {
            self.bump();
        }
    }

    /// Skips the rest of the current line and the lines after it up to and
    /// including the first empty (or white-space only) one: a macdef body.
    pub(super) fn skip_macro_body(&mut self) {
        self.skip_line();
        self.bump();
        loop {
            let mut blank = true;
            loop {
                match self.bump() {
                    None => return,
                    Some('\n') => break,
                    Some(c) => blank &= c.is_whitespace(),
                }
            }
            if blank {
                return;
            }
        }
    }
}
