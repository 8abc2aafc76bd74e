//! The lexer: template text → items, as Go's `text/template/parse/lex.go` cuts it.
//!
//! Text runs until `{{`; an action runs until `}}`. A left delimiter written `{{- ` trims the
//! white space (space, tab, CR, LF) before it, a right one written ` -}}` the white space after
//! it. Comments (`{{/* ... */}}`) produce nothing. Every item keeps its byte position.

/// What an item is.
///
/// Text-bearing items borrow from the template (no allocation per item): a lexed template
/// of a large chart is hundreds of thousands of items.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tok<'a> {
    /// Plain text between actions (already trimmed).
    Text(&'a str),
    LeftDelim,
    RightDelim,
    /// `.Field` (the name without the dot).
    Field(&'a str),
    /// `$name` (with the `$`), or `$` alone.
    Variable(&'a str),
    /// A bare word: a function name, or a keyword when it is one.
    Ident(&'a str),
    Keyword(Keyword),
    /// `.` alone.
    Dot,
    /// A number's text (parsed by the parser, as Go's does).
    Number(&'a str),
    /// A character constant's text (`'a'`).
    Char(&'a str),
    /// A string constant's quoted text (checked; [`string_value`] gives its value).
    Str(&'a str),
    Bool(bool),
    Nil,
    Pipe,
    LeftParen,
    RightParen,
    /// `:=`
    Declare,
    /// `=`
    Assign,
    /// `,` (only in `range $i, $v :=`)
    Comma,
    /// Spaces inside an action (they separate arguments).
    Space,
    Eof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    Block,
    Break,
    Continue,
    Define,
    Else,
    End,
    If,
    Range,
    Template,
    With,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Item<'a> {
    pub tok: Tok<'a>,
    /// Byte offset in the template text.
    pub pos: usize,
}

/// A lexing error: its byte offset and Go's message.
#[derive(Clone, Debug, PartialEq)]
pub struct LexError {
    pub pos: usize,
    pub message: String,
}

const LEFT: &str = "{{";
/// The searcher for [`LEFT`], built once: building one at each search cost more than the
/// search between two actions.
static LEFT_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(LEFT));
const RIGHT: &str = "}}";

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// Cuts `text` into items.
pub fn lex(text: &str) -> Result<Vec<Item<'_>>, LexError> {
    // About a dozen items per action: sized once, the vector is not copied as it grows.
    let actions = LEFT_FINDER.find_iter(text.as_bytes()).count();
    let mut lx = Lexer {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        items: Vec::with_capacity(actions.saturating_mul(12).saturating_add(2)),
        paren_depth: 0,
        trim_next_text: false,
    };
    lx.run()?;
    Ok(lx.items)
}

struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    items: Vec<Item<'a>>,
    paren_depth: usize,
    /// The previous action ended with ` -}}`: trim the next text's leading white space.
    trim_next_text: bool,
}

impl<'a> Lexer<'a> {
    fn emit(&mut self, tok: Tok<'a>, pos: usize) {
        self.items.push(Item { tok, pos });
    }

    fn err<T>(&self, pos: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            pos,
            message: message.into(),
        })
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            // Text up to the next left delimiter.
            let start = self.pos;
            let rest = &self.text[start..];
            let (end, found) = match LEFT_FINDER.find(rest.as_bytes()) {
                Some(i) => (start + i, true),
                None => (self.text.len(), false),
            };
            let mut text_end = end;
            let mut trim_left = false;
            if found {
                let after = end + LEFT.len();
                if self.bytes.get(after) == Some(&b'-')
                    && self.bytes.get(after + 1).is_some_and(|c| is_space(*c))
                {
                    trim_left = true;
                    while text_end > start && is_space(self.bytes[text_end - 1]) {
                        text_end -= 1;
                    }
                }
            }
            let mut text_start = start;
            if self.trim_next_text {
                while text_start < text_end && is_space(self.bytes[text_start]) {
                    text_start += 1;
                }
                self.trim_next_text = false;
            }
            if text_end > text_start {
                self.emit(Tok::Text(&self.text[text_start..text_end]), text_start);
            }
            if !found {
                self.emit(Tok::Eof, self.text.len());
                return Ok(());
            }
            self.pos = end + LEFT.len();
            if trim_left {
                self.pos += 1; // the '-'; the space is skipped as an action space
            }
            self.left_delim(end)?;
        }
    }

    /// After `{{` (and its trim marker): a comment, or an action.
    fn left_delim(&mut self, delim_pos: usize) -> Result<(), LexError> {
        // A comment may follow the delimiter after the trim marker's single space.
        let mut p = self.pos;
        if p > delim_pos + LEFT.len() {
            // skip the space after "{{-"
            p += 1;
        }
        if self.text[p..].starts_with("/*") {
            let body = p + 2;
            let Some(close) = self.text[body..].find("*/") else {
                return self.err(delim_pos, "unclosed comment");
            };
            let mut after = body + close + 2;
            let mut trim_right = false;
            if self.bytes.get(after).is_some_and(|c| is_space(*c))
                && self.text[after + 1..].starts_with("-}}")
            {
                trim_right = true;
                after += 1 + 1;
            }
            if !self.text[after..].starts_with(RIGHT) {
                return self.err(delim_pos, "comment ends before closing delimiter");
            }
            self.pos = after + RIGHT.len();
            if trim_right {
                self.trim_next_text = true;
            }
            return Ok(());
        }
        self.emit(Tok::LeftDelim, delim_pos);
        self.paren_depth = 0;
        self.inside_action()
    }

    fn at_right_delim(&self) -> Option<(bool, usize)> {
        // " -}}" trims; "}}" does not.
        let rest = &self.text[self.pos..];
        if rest.starts_with(RIGHT) {
            return Some((false, RIGHT.len()));
        }
        if rest.len() >= 4 && is_space(self.bytes[self.pos]) && rest[1..].starts_with("-}}") {
            return Some((true, 4));
        }
        None
    }

    fn inside_action(&mut self) -> Result<(), LexError> {
        loop {
            if let Some((trim, len)) = self.at_right_delim() {
                if self.paren_depth > 0 {
                    return self.err(self.pos, "unclosed left paren");
                }
                let at = if trim { self.pos + 1 } else { self.pos };
                self.emit(Tok::RightDelim, at);
                self.pos += len;
                self.trim_next_text = trim;
                return Ok(());
            }
            let start = self.pos;
            let Some(&c) = self.bytes.get(self.pos) else {
                return self.err(start, "unclosed action");
            };
            match c {
                b'\r' | b'\n' | b' ' | b'\t' => {
                    while self.pos < self.bytes.len() && is_space(self.bytes[self.pos]) {
                        if matches!(self.at_right_delim(), Some((true, _))) {
                            break; // " -}}" starts here
                        }
                        self.pos += 1;
                    }
                    if self.pos > start {
                        self.emit(Tok::Space, start);
                    }
                }
                b'=' => {
                    self.pos += 1;
                    self.emit(Tok::Assign, start);
                }
                b':' => {
                    if self.bytes.get(self.pos + 1) != Some(&b'=') {
                        return self.err(start, "expected :=");
                    }
                    self.pos += 2;
                    self.emit(Tok::Declare, start);
                }
                b'|' => {
                    self.pos += 1;
                    self.emit(Tok::Pipe, start);
                }
                b'"' => self.quote(start)?,
                b'`' => self.raw_quote(start)?,
                b'$' => {
                    self.pos += 1;
                    let name_end = self.scan_alnum(self.pos);
                    let name = &self.text[start..name_end];
                    self.pos = name_end;
                    self.emit(Tok::Variable(name), start);
                }
                b'\'' => self.char_const(start)?,
                b'.' => {
                    // A number like .5, a field, or dot.
                    if self
                        .bytes
                        .get(self.pos + 1)
                        .is_some_and(|d| d.is_ascii_digit())
                    {
                        self.number(start)?;
                    } else {
                        self.pos += 1;
                        let name_end = self.scan_alnum(self.pos);
                        if name_end == self.pos {
                            self.emit(Tok::Dot, start);
                        } else {
                            let name = &self.text[self.pos..name_end];
                            self.pos = name_end;
                            self.emit(Tok::Field(name), start);
                        }
                    }
                }
                b'+' | b'-' | b'0'..=b'9' => self.number(start)?,
                b'(' => {
                    self.pos += 1;
                    self.paren_depth += 1;
                    self.emit(Tok::LeftParen, start);
                }
                b')' => {
                    self.pos += 1;
                    if self.paren_depth == 0 {
                        return self.err(start, "unexpected right paren");
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RightParen, start);
                }
                b',' => {
                    self.pos += 1;
                    self.emit(Tok::Comma, start);
                }
                _ if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                    let end = self.scan_alnum(self.pos);
                    if end == self.pos {
                        let ch = self.text[self.pos..].chars().next().unwrap_or('?');
                        return self
                            .err(start, format!("unrecognized character in action: {ch:?}"));
                    }
                    let word = &self.text[start..end];
                    self.pos = end;
                    let tok = match word {
                        "block" => Tok::Keyword(Keyword::Block),
                        "break" => Tok::Keyword(Keyword::Break),
                        "continue" => Tok::Keyword(Keyword::Continue),
                        "define" => Tok::Keyword(Keyword::Define),
                        "else" => Tok::Keyword(Keyword::Else),
                        "end" => Tok::Keyword(Keyword::End),
                        "if" => Tok::Keyword(Keyword::If),
                        "range" => Tok::Keyword(Keyword::Range),
                        "template" => Tok::Keyword(Keyword::Template),
                        "with" => Tok::Keyword(Keyword::With),
                        "true" => Tok::Bool(true),
                        "false" => Tok::Bool(false),
                        "nil" => Tok::Nil,
                        _ => Tok::Ident(word),
                    };
                    self.emit(tok, start);
                    // A field chained onto an identifier or a closing paren: `x.y`.
                }
                _ => {
                    let ch = self.text[self.pos..].chars().next().unwrap_or('?');
                    return self.err(start, format!("unrecognized character in action: {ch:?}"));
                }
            }
        }
    }

    /// The end of a run of letters, digits and `_` (Unicode letters and digits included).
    fn scan_alnum(&self, from: usize) -> usize {
        // ASCII names (nearly all of them) byte by byte; a non-ASCII letter goes on by chars.
        let mut from = from.min(self.bytes.len());
        while self
            .bytes
            .get(from)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            from += 1;
        }
        if self.bytes.get(from).is_none_or(u8::is_ascii) {
            return from;
        }
        let mut end = from;
        for (i, ch) in self.text[from..].char_indices() {
            if ch == '_' || ch.is_alphanumeric() {
                end = from + i + ch.len_utf8();
            } else {
                break;
            }
        }
        end
    }

    fn number(&mut self, start: usize) -> Result<(), LexError> {
        let b = self.bytes;
        let mut p = start;
        if matches!(b.get(p), Some(b'+' | b'-')) {
            p += 1;
        }
        let mut digits: &[u8] = b"0123456789_";
        if b.get(p) == Some(&b'0') {
            match b.get(p + 1) {
                Some(b'x' | b'X') => {
                    p += 2;
                    digits = b"0123456789abcdefABCDEF_";
                }
                Some(b'o' | b'O') => {
                    p += 2;
                    digits = b"01234567_";
                }
                Some(b'b' | b'B') => {
                    p += 2;
                    digits = b"01_";
                }
                _ => {}
            }
        }
        let hex = digits.len() > 12;
        while b.get(p).is_some_and(|c| digits.contains(c)) {
            p += 1;
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            while b.get(p).is_some_and(|c| digits.contains(c)) {
                p += 1;
            }
        }
        if digits.len() == 11 && matches!(b.get(p), Some(b'e' | b'E')) {
            p += 1;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            while b.get(p).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
                p += 1;
            }
        }
        if hex && matches!(b.get(p), Some(b'p' | b'P')) {
            p += 1;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            while b.get(p).is_some_and(|c| c.is_ascii_digit() || *c == b'_') {
                p += 1;
            }
        }
        if b.get(p) == Some(&b'i') {
            p += 1;
        }
        // The number must end at a separator.
        if b.get(p)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
        {
            let end = self.scan_alnum(p).max(p + 1);
            return self.err(
                start,
                format!(
                    "bad number syntax: {:?}",
                    &self.text[start..end.min(self.text.len())]
                ),
            );
        }
        if p == start || (p == start + 1 && matches!(b[start], b'+' | b'-')) {
            return self.err(
                start,
                format!(
                    "bad number syntax: {:?}",
                    &self.text[start..p.max(start + 1).min(self.text.len())]
                ),
            );
        }
        self.pos = p;
        self.emit(Tok::Number(&self.text[start..p]), start);
        Ok(())
    }

    fn quote(&mut self, start: usize) -> Result<(), LexError> {
        let mut p = start + 1;
        loop {
            match self.bytes.get(p) {
                None | Some(b'\n') => return self.err(start, "unterminated quoted string"),
                Some(b'\\') => {
                    if self.bytes.get(p + 1).is_none_or(|c| *c == b'\n') {
                        return self.err(start, "unterminated quoted string");
                    }
                    p += 2;
                }
                Some(b'"') => break,
                Some(_) => p += 1,
            }
        }
        let quoted = &self.text[start..=p];
        if quoted.contains('\\') {
            unquote(quoted).map_err(|m| LexError {
                pos: start,
                message: m,
            })?;
        }
        self.pos = p + 1;
        self.emit(Tok::Str(quoted), start);
        Ok(())
    }

    fn raw_quote(&mut self, start: usize) -> Result<(), LexError> {
        let Some(len) = self.text[start + 1..].find('`') else {
            return self.err(start, "unterminated raw quoted string");
        };
        let end = start + 1 + len;
        self.pos = end + 1;
        self.emit(Tok::Str(&self.text[start..=end]), start);
        Ok(())
    }

    fn char_const(&mut self, start: usize) -> Result<(), LexError> {
        let mut p = start + 1;
        loop {
            match self.bytes.get(p) {
                None | Some(b'\n') => return self.err(start, "unterminated character constant"),
                Some(b'\\') => p += 2,
                Some(b'\'') => break,
                Some(_) => p += 1,
            }
        }
        self.pos = p + 1;
        self.emit(Tok::Char(&self.text[start..=p]), start);
        Ok(())
    }
}

/// The value of a string constant the lexer accepted: a raw string loses its carriage
/// returns (as Go's), an interpreted one is unquoted.
pub fn string_value(quoted: &str) -> Result<String, String> {
    if let Some(raw) = quoted.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Ok(raw.replace('\r', ""));
    }
    match quoted.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Ok(inner.to_string()),
        _ => unquote(quoted),
    }
}

/// Go's `strconv.Unquote` of a double-quoted string.
pub fn unquote(quoted: &str) -> Result<String, String> {
    let inner = quoted
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| "invalid syntax".to_string())?;
    let mut out = String::new();
    let mut chars = inner.chars().peekable();
    let mut pending: Vec<u8> = Vec::new();
    let flush = |pending: &mut Vec<u8>, out: &mut String| {
        if !pending.is_empty() {
            // `\xff`-style escapes may spell bytes that are not UTF-8: a Go string keeps them.
            out.push_str(&crate::gotmpl::value::go_string_from_bytes(pending));
            pending.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush(&mut pending, &mut out);
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            return Err("invalid syntax".into());
        };
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            '\'' => return Err("invalid syntax".into()),
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = (0..n).filter_map(|_| chars.next()).collect();
                let v = u32::from_str_radix(&hex, 16).map_err(|_| "invalid syntax".to_string())?;
                if hex.len() != n {
                    return Err("invalid syntax".into());
                }
                if e == 'x' {
                    pending.push(v as u8);
                    continue;
                }
                flush(&mut pending, &mut out);
                out.push(char::from_u32(v).ok_or_else(|| "invalid syntax".to_string())?);
            }
            '0'..='7' => {
                let mut v = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    let d = chars
                        .next()
                        .and_then(|c| c.to_digit(8))
                        .ok_or_else(|| "invalid syntax".to_string())?;
                    v = v * 8 + d;
                }
                if v > 255 {
                    return Err("invalid syntax".into());
                }
                pending.push(v as u8);
                continue;
            }
            _ => return Err("invalid syntax".into()),
        }
        flush(&mut pending, &mut out);
    }
    flush(&mut pending, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok<'_>> {
        lex(s)
            .unwrap_or_default()
            .into_iter()
            .map(|i| i.tok)
            .filter(|t| *t != Tok::Space)
            .collect()
    }

    #[test]
    fn trims_around_markers() {
        assert_eq!(
            toks("a  \n{{- .X -}}\n  b"),
            vec![
                Tok::Text("a"),
                Tok::LeftDelim,
                Tok::Field("X"),
                Tok::RightDelim,
                Tok::Text("b"),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn comments_vanish() {
        assert_eq!(
            toks("a {{- /* c */ -}} b{{/* x */}}"),
            vec![Tok::Text("a"), Tok::Text("b"), Tok::Eof]
        );
    }

    #[test]
    fn negative_number_is_not_a_trim_marker() {
        assert_eq!(
            toks("{{-3}}"),
            vec![Tok::LeftDelim, Tok::Number("-3"), Tok::RightDelim, Tok::Eof]
        );
    }

    #[test]
    fn strings_and_fields() {
        assert_eq!(
            toks(r#"{{ include "a\tb" .Values.x | quote }}"#),
            vec![
                Tok::LeftDelim,
                Tok::Ident("include"),
                Tok::Str(r#""a\tb""#),
                Tok::Field("Values"),
                Tok::Field("x"),
                Tok::Pipe,
                Tok::Ident("quote"),
                Tok::RightDelim,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn string_values() {
        assert_eq!(string_value(r#""a\tb\x41""#).as_deref(), Ok("a\tbA"));
        assert_eq!(string_value("\"plain\"").as_deref(), Ok("plain"));
        assert_eq!(string_value("`a\r\nb`").as_deref(), Ok("a\nb"));
        assert!(lex(r#"{{ "bad \q" }}"#).is_err());
    }

    #[test]
    fn names_run_over_unicode_letters_and_digits() {
        assert_eq!(
            toks("{{ .Values.café_1.naïve $größe x٣ }}"),
            vec![
                Tok::LeftDelim,
                Tok::Field("Values"),
                Tok::Field("café_1"),
                Tok::Field("naïve"),
                Tok::Variable("$größe"),
                Tok::Ident("x٣"),
                Tok::RightDelim,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn unclosed_action() {
        assert!(lex("{{ .Values.nope").is_err());
    }
}
