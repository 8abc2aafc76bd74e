//! Reading documented rules: `kit lint`'s `rules.yaml` and `kit validate`'s `checks.yaml`
//! are both a YAML list of entries with an id, a name, a severity, a category, docs and a
//! bad and a good example. [`parse_list`] reads what they share; each registry reads its
//! own fields from the entry node.

use std::path::PathBuf;

use crate::diag::{Diag, Severity};
use crate::model::Node;
use crate::source::{FileId, SourceFile};

/// Which data is read, for the file name and the error messages.
pub struct DocSource {
    /// The data's path in the repository, e.g. `src/lint/rules.yaml`.
    pub path: &'static str,
    /// The error's code, e.g. `kit::lint::registry`.
    pub code: &'static str,
    /// What one entry is called, e.g. `rule`.
    pub noun: &'static str,
}

/// The fields every documented rule has (all a validation check has).
#[derive(Debug)]
pub struct DocFields {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub category: String,
    pub summary: String,
    pub why: String,
    pub fix: String,
    pub bad: String,
    pub good: String,
}

/// A scalar field of an entry as text; empty where it is absent.
pub fn text(item: &Node, key: &str) -> String {
    item.get(key)
        .and_then(Node::scalar_text)
        .unwrap_or_default()
}

impl DocSource {
    /// An error about the data.
    pub fn error(&self, msg: String) -> Diag {
        Diag::error(self.code, msg)
    }

    /// Reads `text` as a list of entries, calling `each` with every entry's node and shared
    /// fields, in order; the first error (from the YAML, the shared fields or `each`) stops.
    pub fn parse_list<T>(
        &self,
        data: &str,
        mut each: impl FnMut(&Node, DocFields) -> Result<T, Diag>,
    ) -> Result<Vec<T>, Diag> {
        let file = SourceFile::new(PathBuf::from(self.path), self.path.into(), data);
        let docs = crate::load::yaml::parse_documents(&file, FileId(u32::MAX))?;
        let file_name = self.path.rsplit('/').next().unwrap_or(self.path);
        let list = docs.first().and_then(Node::as_seq).ok_or_else(|| {
            self.error(format!(
                "{file_name} must be a list of {noun}s",
                noun = self.noun
            ))
        })?;
        let mut out = Vec::new();
        for item in list {
            let id = text(item, "id");
            let severity = match text(item, "severity").as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                other => {
                    return Err(
                        self.error(format!("{} {id}: unknown severity `{other}`", self.noun))
                    )
                }
            };
            let fields = DocFields {
                name: text(item, "name"),
                severity,
                category: text(item, "category"),
                summary: text(item, "summary"),
                why: text(item, "why").trim_end().to_string(),
                fix: text(item, "fix").trim_end().to_string(),
                bad: text(item, "bad"),
                good: text(item, "good"),
                id,
            };
            out.push(each(item, fields)?);
        }
        Ok(out)
    }
}

/// Implements [`crate::report::RuleDoc`] for a struct with the fields `id`, `name`,
/// `summary`, `why`, `fix`, `category` (all `String`) and `severity`.
macro_rules! impl_rule_doc {
    ($ty:ty) => {
        impl $crate::report::RuleDoc for $ty {
            fn id(&self) -> &str {
                &self.id
            }
            fn name(&self) -> &str {
                &self.name
            }
            fn summary(&self) -> &str {
                &self.summary
            }
            fn why(&self) -> &str {
                &self.why
            }
            fn fix(&self) -> &str {
                &self.fix
            }
            fn category(&self) -> &str {
                &self.category
            }
            fn severity(&self) -> $crate::diag::Severity {
                self.severity
            }
        }
    };
}
pub(crate) use impl_rule_doc;

impl_rule_doc!(DocFields);

#[cfg(test)]
mod tests {
    fn error(result: Result<impl Sized, crate::diag::Diag>) -> (&'static str, String) {
        match result {
            Ok(_) => panic!("parsed"),
            Err(d) => (d.code, d.message),
        }
    }

    #[test]
    fn errors_name_the_registry() {
        assert_eq!(
            error(crate::lint::registry::parse("a: 1\n")),
            (
                "kit::lint::registry",
                "rules.yaml must be a list of rules".to_string()
            )
        );
        assert_eq!(
            error(crate::validate::registry::parse("a: 1\n")),
            (
                "kit::validate::registry",
                "checks.yaml must be a list of checks".to_string()
            )
        );
        assert_eq!(
            error(crate::lint::registry::parse(
                "- {id: KIT-X, severity: loud}\n"
            )),
            (
                "kit::lint::registry",
                "rule KIT-X: unknown severity `loud`".to_string()
            )
        );
        assert_eq!(
            error(crate::validate::registry::parse(
                "- {id: KIT-X, severity: loud}\n"
            )),
            (
                "kit::validate::registry",
                "check KIT-X: unknown severity `loud`".to_string()
            )
        );
        assert_eq!(
            error(crate::lint::registry::parse(
                "- {id: KIT-X, severity: info}\n"
            )),
            (
                "kit::lint::registry",
                "rule KIT-X has no check function in CHECKS".to_string()
            )
        );
    }
}
