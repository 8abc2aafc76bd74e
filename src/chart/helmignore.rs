//! `.helmignore`: the files of a chart directory Helm leaves out (`pkg/ignore`).
//!
//! One rule a line; `#` comments; `!` negates; a trailing `/` matches directories only; a
//! rule with a `/` matches the whole relative path, one without matches the base name; `**`
//! and a malformed pattern are errors, as in Helm. Patterns are Go's `filepath.Match` (`*`,
//! `?`, `[...]`). Helm also always ignores hidden files under `templates/` (`templates/.?*`).
//! A negated rule ignores every path it does not match (Helm's own reading, kept), so a file
//! of only `!x` lines leaves out even Chart.yaml.

/// The rules of one `.helmignore` (plus Helm's default).
pub struct Rules {
    patterns: Vec<Pattern>,
}

struct Pattern {
    rule: String,
    negate: bool,
    must_dir: bool,
    kind: MatchOn,
}

enum MatchOn {
    /// A leading `/`: the path from the chart's root.
    Rooted,
    /// A rule with a `/`: the whole relative path.
    Path,
    /// The base name.
    Base,
}

impl Rules {
    /// Parses a `.helmignore` text (Helm's default rule added), or Helm's error for a line
    /// it refuses, with the line's number.
    pub fn parse(text: &str) -> Result<Rules, (usize, &'static str)> {
        let mut r = Rules {
            patterns: Vec::new(),
        };
        r.add("templates/.?*").map_err(|e| (0, e))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (i, line) in text.lines().enumerate() {
            r.add(line).map_err(|e| (i + 1, e))?;
        }
        Ok(r)
    }

    fn add(&mut self, rule: &str) -> Result<(), &'static str> {
        let rule = rule.trim();
        if rule.is_empty() || rule.starts_with('#') {
            return Ok(());
        }
        if rule.contains("**") {
            return Err("double-star (**) syntax is not supported");
        }
        if go_match(rule, "abc").is_none() {
            return Err("syntax error in pattern");
        }
        let (negate, rule) = match rule.strip_prefix('!') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(r) => (true, r),
            None => (false, rule),
        };
        let (kind, rule) = if let Some(r) = rule.strip_prefix('/') {
            (MatchOn::Rooted, r)
        } else if rule.contains('/') {
            (MatchOn::Path, rule)
        } else {
            (MatchOn::Base, rule)
        };
        self.patterns.push(Pattern {
            rule: rule.to_string(),
            negate,
            must_dir,
            kind,
        });
        Ok(())
    }

    /// Helm's `Rules.Ignore` for one path (relative, with `/`).
    pub fn ignore(&self, path: &str, is_dir: bool) -> bool {
        if path.is_empty() || path == "." || path == "./" {
            return false;
        }
        for p in &self.patterns {
            let target = match p.kind {
                MatchOn::Rooted | MatchOn::Path => path,
                MatchOn::Base => path.rsplit('/').next().unwrap_or(path),
            };
            let matched = go_match(&p.rule, target).unwrap_or(false);
            if p.negate {
                if p.must_dir && !is_dir {
                    return true;
                }
                if !matched {
                    return true;
                }
                continue;
            }
            if p.must_dir && !is_dir {
                continue;
            }
            if matched {
                return true;
            }
        }
        false
    }

    /// Whether a file is left out: it, or a directory above it, is ignored (Helm skips an
    /// ignored directory whole, as the chart loader's walk does).
    #[cfg(test)]
    pub fn ignores_file(&self, rel: &str) -> bool {
        let mut at = 0;
        while let Some(i) = rel[at..].find('/') {
            let dir = &rel[..at + i];
            if self.ignore(dir, true) {
                return true;
            }
            at += i + 1;
        }
        self.ignore(rel, false)
    }
}

/// Go's `filepath.Match` (with `/` as the separator); `None` for a malformed pattern.
pub fn go_match(pattern: &str, name: &str) -> Option<bool> {
    // Every rule is tried on every file of the chart, and most rules are a name or `*` and a
    // suffix (`*.orig`, `.git/`): those are matched without splitting into characters.
    const META: [char; 4] = ['*', '?', '[', '\\'];
    if !pattern.contains(META) {
        return Some(pattern == name);
    }
    if let Some(suffix) = pattern.strip_prefix('*').filter(|s| !s.contains(META)) {
        // `*` matches any run of characters but `/`.
        return Some(
            name.strip_suffix(suffix)
                .is_some_and(|head| !head.contains('/')),
        );
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_from(&p, &n)
}

fn match_from(p: &[char], n: &[char]) -> Option<bool> {
    let (mut pi, mut ni) = (0, 0);
    // Backtracking point for the last `*`: (pattern index after it, name index).
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi + 1, ni));
                    pi += 1;
                    continue;
                }
                '?' if ni < n.len() && n[ni] != '/' => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' if ni < n.len() => {
                    let (ok, next) = class(p, pi, n[ni])?;
                    if ok && n[ni] != '/' {
                        pi = next;
                        ni += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() && ni < n.len() && p[pi + 1] == n[ni] => {
                    pi += 2;
                    ni += 1;
                    continue;
                }
                '\\' if pi + 1 >= p.len() => return None,
                c if c != '?' && c != '[' && c != '\\' && ni < n.len() && c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Some(true);
        }
        // Mismatch: let the last star take one more character (never a separator).
        match star {
            Some((sp, sn)) if sn < n.len() && n[sn] != '/' => {
                star = Some((sp, sn + 1));
                pi = sp;
                ni = sn + 1;
            }
            _ => {
                // Validate the rest of the pattern, as Go reports bad patterns.
                if p[pi.min(p.len())..].contains(&'[') {
                    let mut i = pi;
                    while i < p.len() {
                        if p[i] == '[' {
                            class(p, i, 'a')?;
                        }
                        i += 1;
                    }
                }
                return Some(false);
            }
        }
    }
}

/// A `[...]` class at `p[at]`: whether `c` is in it, and the index after it.
fn class(p: &[char], at: usize, c: char) -> Option<(bool, usize)> {
    let mut i = at + 1;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let ch = *p.get(i)?;
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            ch
        };
        i += 1;
        let mut hi = lo;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|x| *x != ']') {
            i += 1;
            hi = if p.get(i) == Some(&'\\') {
                i += 1;
                *p.get(i)?
            } else {
                *p.get(i)?
            };
            i += 1;
        }
        if lo <= c && c <= hi {
            matched = true;
        }
    }
    Some((matched != negated, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The shortcuts for a plain name and `*suffix` agree with the general matcher.
        #[test]
        fn shortcuts_agree_with_the_general_matcher(
            star in proptest::bool::ANY,
            rest in "[ab./]{0,4}",
            name in "[ab./]{0,6}",
        ) {
            let pattern = if star { format!("*{rest}") } else { rest };
            let p: Vec<char> = pattern.chars().collect();
            let n: Vec<char> = name.chars().collect();
            proptest::prop_assert_eq!(go_match(&pattern, &name), match_from(&p, &n));
        }
    }

    #[test]
    fn go_filepath_match() {
        assert_eq!(go_match("*.txt", "a.txt"), Some(true));
        assert_eq!(go_match("*.txt", "d/a.txt"), Some(false));
        assert_eq!(go_match("a?c", "abc"), Some(true));
        assert_eq!(go_match("[a-c]x", "bx"), Some(true));
        assert_eq!(go_match("[^a-c]x", "bx"), Some(false));
        assert_eq!(go_match("ci/*", "ci/x.yaml"), Some(true));
        assert_eq!(go_match("[", "a"), None);
    }

    #[test]
    fn helmignore_rules() {
        let r = Rules::parse("# comment\n.git/\n*.tmp\nci/\n/secret.txt\n").expect("rules");
        assert!(r.ignores_file("x.tmp"));
        assert!(r.ignores_file("deep/x.tmp"));
        assert!(r.ignores_file("ci/values.yaml"));
        assert!(r.ignores_file(".git/config"));
        assert!(r.ignores_file("secret.txt"));
        assert!(!r.ignores_file("files/secret.txt"));
        assert!(!r.ignores_file("templates/deploy.yaml"));
        assert!(r.ignores_file("templates/.hidden"));

        // Helm's negation: a path the rule does not match is ignored, and the rules are read
        // in order (`*.log` has ignored keep.log before `!keep.log` is read).
        let r = Rules::parse("*.log\n!keep.log\n").expect("rules");
        assert!(r.ignores_file("Chart.yaml"));
        assert!(r.ignores_file("keep.log"));
        let r = Rules::parse("!keep.log\n").expect("rules");
        assert!(r.ignores_file("values.yaml"));
        assert!(!r.ignores_file("keep.log"));

        let err = |text| Rules::parse(text).err();
        assert_eq!(
            err("a\nfiles/**\n"),
            Some((2, "double-star (**) syntax is not supported"))
        );
        assert_eq!(err("[\n"), Some((1, "syntax error in pattern")));
    }
}
