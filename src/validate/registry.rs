//! The checks `kit validate` reports: ids, names and docs are data (`checks.yaml`,
//! embedded); [`Check`] names them in code. A test keeps the two in step.

use std::sync::OnceLock;

use crate::diag::{Diag, Severity};
use crate::rules_doc::{DocFields, DocSource};

/// The embedded check data.
pub const CHECKS_YAML: &str = include_str!("checks.yaml");

/// Every check, in registry order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Check {
    SchemaType,
    RequiredField,
    UnknownField,
    InvalidFormat,
    SchemaConstraint,
    MissingSchema,
    DuplicateListEntry,
    MissingApiVersion,
    DuplicateKey,
    ValidationRule,
    InvalidValidationRule,
    RuleNotEvaluated,
    RuleTooCostly,
    InvalidName,
    InvalidLabel,
    InvalidAnnotation,
    SelectorMismatch,
    DuplicateName,
    InvalidPort,
    InvalidEnvName,
    UnknownVolume,
    InvalidQuantity,
    RequestExceedsLimit,
    ProbeHandler,
    DuplicateResource,
    TargetPort,
    FieldCombination,
    RequiredValue,
    RemovedApi,
    DeprecatedApi,
}

impl Check {
    pub const ALL: [Check; 30] = [
        Check::SchemaType,
        Check::RequiredField,
        Check::UnknownField,
        Check::InvalidFormat,
        Check::SchemaConstraint,
        Check::MissingSchema,
        Check::DuplicateListEntry,
        Check::MissingApiVersion,
        Check::DuplicateKey,
        Check::ValidationRule,
        Check::InvalidValidationRule,
        Check::RuleNotEvaluated,
        Check::RuleTooCostly,
        Check::InvalidName,
        Check::InvalidLabel,
        Check::InvalidAnnotation,
        Check::SelectorMismatch,
        Check::DuplicateName,
        Check::InvalidPort,
        Check::InvalidEnvName,
        Check::UnknownVolume,
        Check::InvalidQuantity,
        Check::RequestExceedsLimit,
        Check::ProbeHandler,
        Check::DuplicateResource,
        Check::TargetPort,
        Check::FieldCombination,
        Check::RequiredValue,
        Check::RemovedApi,
        Check::DeprecatedApi,
    ];

    /// The check's id in `checks.yaml`.
    pub fn id(self) -> &'static str {
        match self {
            Check::SchemaType => "KIT-SCH001",
            Check::RequiredField => "KIT-SCH002",
            Check::UnknownField => "KIT-SCH003",
            Check::InvalidFormat => "KIT-SCH004",
            Check::SchemaConstraint => "KIT-SCH005",
            Check::MissingSchema => "KIT-SCH006",
            Check::DuplicateListEntry => "KIT-SCH007",
            Check::MissingApiVersion => "KIT-SCH008",
            Check::DuplicateKey => "KIT-SCH009",
            Check::ValidationRule => "KIT-SCH010",
            Check::InvalidValidationRule => "KIT-SCH011",
            Check::RuleNotEvaluated => "KIT-SCH012",
            Check::RuleTooCostly => "KIT-SCH013",
            Check::InvalidName => "KIT-FLD001",
            Check::InvalidLabel => "KIT-FLD002",
            Check::InvalidAnnotation => "KIT-FLD003",
            Check::SelectorMismatch => "KIT-FLD004",
            Check::DuplicateName => "KIT-FLD005",
            Check::InvalidPort => "KIT-FLD006",
            Check::InvalidEnvName => "KIT-FLD007",
            Check::UnknownVolume => "KIT-FLD008",
            Check::InvalidQuantity => "KIT-FLD009",
            Check::RequestExceedsLimit => "KIT-FLD010",
            Check::ProbeHandler => "KIT-FLD011",
            Check::DuplicateResource => "KIT-FLD012",
            Check::TargetPort => "KIT-FLD013",
            Check::FieldCombination => "KIT-FLD014",
            Check::RequiredValue => "KIT-FLD015",
            Check::RemovedApi => "KIT-API002",
            Check::DeprecatedApi => "KIT-API003",
        }
    }

    /// The check's registry entry.
    pub fn rule(self) -> &'static CheckDoc {
        let reg = registry();
        reg.checks
            .iter()
            .find(|c| c.id == self.id())
            .unwrap_or(&reg.fallback)
    }
}

/// One check's docs: the fields every documented rule has; its category is schema,
/// api-server (what the API server refuses), input (what spans the objects of an input,
/// which the server sees one at a time) or api-version.
pub type CheckDoc = DocFields;

pub struct Registry {
    pub checks: Vec<CheckDoc>,
    /// Stands in for an entry missing from the data (a bug the registry test catches).
    fallback: CheckDoc,
}

impl Registry {
    /// A check by id or name.
    pub fn find(&self, key: &str) -> Option<&CheckDoc> {
        let key = key.trim();
        self.checks
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
    }
}

pub fn registry() -> &'static Registry {
    &load().0
}

/// The error from parsing the embedded checks, if any.
pub fn registry_error() -> Option<&'static Diag> {
    load().1.as_ref()
}

fn load() -> &'static (Registry, Option<Diag>) {
    static CELL: OnceLock<(Registry, Option<Diag>)> = OnceLock::new();
    CELL.get_or_init(|| {
        let fallback = CheckDoc {
            id: "KIT-VAL000".into(),
            name: "validation".into(),
            severity: Severity::Error,
            category: "schema".into(),
            summary: "Validation failed".into(),
            why: String::new(),
            fix: String::new(),
            bad: String::new(),
            good: String::new(),
        };
        match parse(CHECKS_YAML) {
            Ok(checks) => (Registry { checks, fallback }, None),
            Err(d) => (
                Registry {
                    checks: Vec::new(),
                    fallback,
                },
                Some(d),
            ),
        }
    })
}

/// Parses check data (the embedded `checks.yaml`, or another text in tests).
pub fn parse(text: &str) -> Result<Vec<CheckDoc>, Diag> {
    let source = DocSource {
        path: "src/validate/checks.yaml",
        code: "kit::validate::registry",
        noun: "check",
    };
    source.parse_list(text, |_, doc| Ok(doc))
}
