//! The diff as people and tools read it: Markdown for a pull-request description, JSON, and a
//! one-line summary.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::compare::{Change, Semver, Subject};
use super::direction::{Direction, Usage};
use super::model::{Contract, QKey, local_of};
use super::rules::{Class, Kind};

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The input as named (path, or `HEAD:path`).
    pub origin: String,
    /// Schema `version` attributes by namespace.
    pub versions: BTreeMap<String, Vec<String>>,
}

/// A message or document that types are reached from.
#[derive(Debug, Clone, Serialize)]
pub struct MessageInfo {
    /// Which way it travels.
    pub direction: Direction,
    /// `request`, `response`, `fault X`, `document`.
    pub roles: BTreeSet<String>,
}

/// Number of changes per class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking for both.
    pub breaking_both: usize,
    /// Breaking for senders.
    pub breaking_senders: usize,
    /// Breaking for receivers.
    pub breaking_receivers: usize,
    /// Compatible.
    pub compatible: usize,
    /// Docs only.
    pub docs_only: usize,
}

impl Counts {
    fn of(changes: &[Change]) -> Counts {
        let mut c = Counts::default();
        for ch in changes {
            *c.slot(ch.class) += 1;
        }
        c
    }

    fn slot(&mut self, class: Class) -> &mut usize {
        match class {
            Class::BreakingBoth => &mut self.breaking_both,
            Class::BreakingSenders => &mut self.breaking_senders,
            Class::BreakingReceivers => &mut self.breaking_receivers,
            Class::Compatible => &mut self.compatible,
            Class::DocsOnly => &mut self.docs_only,
        }
    }

    /// The count of one class.
    pub fn get(&self, class: Class) -> usize {
        let mut c = *self;
        *c.slot(class)
    }

    /// All breaking changes.
    pub fn breaking(&self) -> usize {
        self.breaking_both + self.breaking_senders + self.breaking_receivers
    }

    /// All changes.
    pub fn total(&self) -> usize {
        self.breaking() + self.compatible + self.docs_only
    }
}

/// The result of comparing two contracts.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// The old contract.
    pub old: Side,
    /// The new contract.
    pub new: Side,
    /// Semver impact on the generated crate: the highest of the changes.
    pub semver: Semver,
    /// Changes per class.
    pub counts: Counts,
    /// Messages and documents of either contract, by group (`operation X`, `document Y`).
    pub messages: BTreeMap<String, MessageInfo>,
    /// Every change, in model order.
    pub changes: Vec<Change>,
    /// The Rust items of the new contract's named types, by `{namespace}Name` (for headings).
    #[serde(skip)]
    type_rust: BTreeMap<QKey, String>,
    /// The Rust modules of the namespaces (for headings).
    #[serde(skip)]
    modules: BTreeMap<String, String>,
}

fn side(origin: &str, c: &Contract) -> Side {
    Side {
        origin: origin.to_owned(),
        versions: c
            .namespaces
            .iter()
            .filter(|(_, i)| !i.versions.is_empty())
            .map(|(ns, i)| (ns.clone(), i.versions.iter().cloned().collect()))
            .collect(),
    }
}

impl DiffReport {
    /// Compares two models (see [`super::model_of`]) named `old_origin` and `new_origin`.
    pub fn from_models(
        old_origin: &str,
        new_origin: &str,
        old: &Contract,
        new: &Contract,
    ) -> DiffReport {
        let changes = super::compare::compare(old, new);
        Self::new(old_origin, new_origin, old, new, changes)
    }

    /// Builds the report of `changes` between `old` and `new`.
    fn new(
        old_origin: &str,
        new_origin: &str,
        old: &Contract,
        new: &Contract,
        changes: Vec<Change>,
    ) -> DiffReport {
        let mut messages: BTreeMap<String, MessageInfo> = BTreeMap::new();
        for usage in [Usage::of(old), Usage::of(new)] {
            for r in usage.roots {
                let m = messages.entry(r.group.clone()).or_insert(MessageInfo {
                    direction: Direction::NONE,
                    roles: BTreeSet::new(),
                });
                m.direction = m.direction.union(r.direction);
                m.roles.insert(r.role.clone());
            }
        }
        let mut type_rust = BTreeMap::new();
        let mut modules = BTreeMap::new();
        for c in [old, new] {
            for (ns, info) in &c.namespaces {
                if let Some(m) = &info.rust_module {
                    modules.insert(ns.clone(), m.clone());
                }
            }
            for (k, t) in &c.types {
                if let Some(r) = &t.rust {
                    type_rust.insert(k.clone(), r.clone());
                }
            }
        }
        DiffReport {
            old: side(old_origin, old),
            new: side(new_origin, new),
            semver: changes
                .iter()
                .map(|c| c.semver)
                .max()
                .unwrap_or(Semver::None),
            counts: Counts::of(&changes),
            messages,
            changes,
            type_rust,
            modules,
        }
    }

    /// Whether any change breaks old code.
    pub fn is_breaking(&self) -> bool {
        self.counts.breaking() > 0
    }

    /// Whether anything changed at all.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// The report as pretty JSON.
    pub fn to_json(&self) -> String {
        // Every field is a plain string, number, bool, list or string-keyed map.
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// `elt-types: major — 3 breaking for senders, 2 docs only (A → B)`.
    pub fn summary_line(&self) -> String {
        format!(
            "elt-types: {} — {} ({} → {})",
            self.semver.label(),
            self.counts_text(),
            self.old.origin,
            self.new.origin
        )
    }

    fn counts_text(&self) -> String {
        if self.changes.is_empty() {
            return "no change".into();
        }
        let parts: Vec<String> = Class::ALL
            .iter()
            .filter(|c| self.counts.get(**c) > 0)
            .map(|c| format!("{} {}", self.counts.get(*c), c.label()))
            .collect();
        parts.join(", ")
    }

    /// The report as Markdown for a pull-request description.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(
            md,
            "# Contract changes: `{}` → `{}`\n",
            self.old.origin, self.new.origin
        );
        if self.changes.is_empty() {
            let _ = writeln!(
                md,
                "**No change.** The two contracts mean the same: same operations, elements, types, facets and documentation. \
                 Semver impact on `elt-types`: none."
            );
            return md;
        }
        let c = &self.counts;
        let verdict = match (
            c.breaking_both > 0 || (c.breaking_senders > 0 && c.breaking_receivers > 0),
            c.breaking_senders > 0,
            c.breaking_receivers > 0,
        ) {
            (true, _, _) => "Breaking for senders and receivers",
            (false, true, _) => "Breaking for senders",
            (false, false, true) => "Breaking for receivers",
            _ if c.compatible > 0 => "Compatible",
            _ => "Documentation only",
        };
        let meaning = match verdict {
            "Breaking for senders and receivers" => {
                "Code built on the old contract may send what the new one rejects, and reject what the service now sends."
            }
            "Breaking for senders" => {
                "Code built on the old contract may send what the new one rejects."
            }
            "Breaking for receivers" => {
                "Code built on the old contract may reject what the service now sends."
            }
            "Compatible" => {
                "Code built on the old contract keeps working; regenerating adds or adjusts items."
            }
            _ => "Nothing that is sent or parsed changes.",
        };
        let _ = writeln!(
            md,
            "**{verdict}. Semver impact on `elt-types`: {}.** {} {}: {}. {meaning}\n",
            self.semver.label(),
            self.counts.total(),
            if self.counts.total() == 1 {
                "change"
            } else {
                "changes"
            },
            self.counts_text()
        );
        md.push_str(
            "| Impact | Where | Change | Rule | Rust | Semver |\n|---|---|---|---|---|---|\n",
        );
        let mut order: Vec<&Change> = self.changes.iter().collect();
        order.sort_by_key(|c| c.class);
        for c in &order {
            let rust = if c.rust.is_empty() {
                "—".to_owned()
            } else {
                c.rust
                    .iter()
                    .map(|r| r.describe())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} |",
                cell(c.class.label()),
                cell(&where_(c)),
                cell(&c.summary),
                cell(
                    &c.rules
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                cell(&rust),
                c.semver.label()
            );
        }
        self.by_message(&mut md);
        self.by_subject(&mut md);
        self.rules(&mut md);
        md
    }

    /// Subjects with changes, grouped under each operation and document that reaches them.
    fn by_message(&self, md: &mut String) {
        let mut groups: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in &self.changes {
            for g in &c.messages {
                groups.entry(g.as_str()).or_default().push(c);
            }
        }
        if groups.is_empty() {
            return;
        }
        md.push_str("\n## By operation and document\n");
        // Operations first, then documents.
        let mut ordered: Vec<(&str, Vec<&Change>)> = groups.into_iter().collect();
        ordered.sort_by_key(|(g, _)| (!g.starts_with("operation "), *g));
        for (g, changes) in &ordered {
            let info = self.messages.get(*g);
            let dir = info.map(|i| i.direction.label()).unwrap_or("unused");
            let (word, name) = g.split_once(' ').unwrap_or(("", *g));
            let _ = writeln!(md, "\n### {} `{name}` ({dir})\n", capitalize(word));
            let mut by_subject: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
            for c in changes {
                let label = match &c.subject {
                    Subject::Operation { .. } => {
                        let part = c
                            .path
                            .first()
                            .cloned()
                            .unwrap_or_else(|| "operation".into());
                        format!("WSDL {part}")
                    }
                    s => format!("{} `{}`", subject_word(s), subject_name(s)),
                };
                by_subject.entry(label).or_default().push(*c);
            }
            for (label, cs) in by_subject {
                let _ = writeln!(md, "- {label}: {}", class_counts(&cs));
            }
        }
    }

    /// Every change, under the operation, element or type it is in.
    fn by_subject(&self, md: &mut String) {
        md.push_str("\n## By operation and type\n");
        let mut subjects: BTreeMap<(u8, &Subject), Vec<&Change>> = BTreeMap::new();
        for c in &self.changes {
            let rank = match c.subject {
                Subject::Namespace { .. } | Subject::Wsdl { .. } => 0,
                Subject::Service { .. } | Subject::Binding { .. } => 1,
                Subject::Operation { .. } => 2,
                Subject::Element { .. } => 3,
                Subject::Type { .. } => 4,
            };
            subjects.entry((rank, &c.subject)).or_default().push(c);
        }
        for changes in subjects.values_mut() {
            changes.sort_by_key(|c| c.class);
        }
        for ((_, subject), changes) in subjects {
            let heading = match subject {
                Subject::Type { key } => match self.type_rust.get(key) {
                    Some(r) => format!("Type `{}` → `{r}`", local_of(key)),
                    None => format!("Type `{}`", local_of(key)),
                },
                Subject::Element { key } => format!("Element `{}`", local_of(key)),
                Subject::Namespace { uri } => match self.modules.get(uri) {
                    Some(m) => format!("Schema `{uri}` → module `{m}`"),
                    None => format!("Schema `{uri}`"),
                },
                Subject::Wsdl { namespace } => format!("WSDL `{namespace}`"),
                Subject::Service { name } => format!("Service `{name}`"),
                Subject::Binding { name } => format!("Binding `{name}`"),
                Subject::Operation { name } => format!("Operation `{name}`"),
            };
            let heading = match changes.first().and_then(|c| c.at.as_ref()) {
                Some(at) => format!("{heading} (`{at}`)"),
                None => heading,
            };
            let _ = writeln!(md, "\n### {heading}\n");
            if let Some(first) = changes.first() {
                let line = match (&first.subject, first.messages.is_empty()) {
                    (Subject::Type { .. } | Subject::Element { .. }, true) => {
                        "Not used by any message or document.".to_owned()
                    }
                    (Subject::Type { .. } | Subject::Element { .. }, false) => format!(
                        "{} (in {}).",
                        capitalize(first.direction.label()),
                        first
                            .messages
                            .iter()
                            .map(|m| {
                                let (w, n) = m.split_once(' ').unwrap_or(("", m));
                                format!("{w} `{n}`")
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    _ => String::new(),
                };
                if !line.is_empty() {
                    let _ = writeln!(md, "{line}\n");
                }
            }
            for c in changes {
                let at = match (c.path.is_empty(), &c.field_at) {
                    (true, _) => String::new(),
                    (false, None) => format!("at `{}`: ", c.path.join(" › ")),
                    (false, Some(place)) => format!("at `{}` (`{place}`): ", c.path.join(" › ")),
                };
                let _ = writeln!(
                    md,
                    "- **{}** ({}): {at}{}.",
                    c.class.label(),
                    c.rules
                        .iter()
                        .map(|r| format!("`{r}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    c.summary
                );
                if let (Some(o), Some(n)) = (&c.old, &c.new)
                    && c.kind == Kind::Documentation
                {
                    let _ = writeln!(md, "  - was: {}\n  - now: {}", quote(o), quote(n));
                }
                if let Some(a) = &c.absorbed_by {
                    let _ = writeln!(md, "  - Old readers accept it: {a}.");
                }
                for r in &c.rust {
                    let _ = writeln!(md, "  - Rust: {}.", r.describe());
                }
            }
        }
    }

    fn rules(&self, md: &mut String) {
        let mut seen: BTreeMap<&str, Kind> = BTreeMap::new();
        for c in &self.changes {
            for r in &c.rules {
                seen.insert(r.as_str(), c.kind);
            }
        }
        md.push_str("\n## Rules applied\n\n");
        for (rule, kind) in seen {
            let _ = writeln!(md, "- `{rule}`: {}.", kind.description());
        }
        md.push_str(
            "\nCompared: services, ports, bindings, operations, global elements, types, facets, enumerations, \
             namespaces and documentation. Formatting, declaration order, prefixes and comments are not changes. \
             `sender.` rules break code that sends (requests, the signed documents), `receiver.` rules break code \
             that parses (responses, faults), `both.` rules break every client.\n",
        );
    }
}

fn where_(c: &Change) -> String {
    let mut s = format!(
        "{} `{}`",
        subject_word(&c.subject),
        subject_name(&c.subject)
    );
    if !c.path.is_empty() {
        let _ = write!(s, " › {}", c.path.join(" › "));
    }
    s
}

fn subject_word(s: &Subject) -> &'static str {
    match s {
        Subject::Namespace { .. } => "schema",
        Subject::Wsdl { .. } => "WSDL",
        Subject::Service { .. } => "service",
        Subject::Binding { .. } => "binding",
        Subject::Operation { .. } => "operation",
        Subject::Element { .. } => "element",
        Subject::Type { .. } => "type",
    }
}

fn subject_name(s: &Subject) -> &str {
    match s {
        Subject::Namespace { uri } => uri,
        Subject::Wsdl { namespace } => namespace,
        Subject::Service { name } | Subject::Binding { name } | Subject::Operation { name } => name,
        Subject::Element { key } | Subject::Type { key } => local_of(key),
    }
}

fn class_counts(cs: &[&Change]) -> String {
    let mut counts: BTreeMap<Class, usize> = BTreeMap::new();
    for c in cs {
        *counts.entry(c.class).or_default() += 1;
    }
    counts
        .iter()
        .map(|(c, n)| format!("{n} {}", c.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A table cell: pipes escaped, on one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn quote(s: &str) -> String {
    format!("“{}”", s.replace(['\n', '\r'], " "))
}

/// How to print a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Markdown for a pull-request description.
    #[default]
    Markdown,
    /// JSON for tools.
    Json,
    /// One line.
    Summary,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            "summary" => Ok(Format::Summary),
            other => Err(format!(
                "unknown format `{other}`: use markdown, json or summary"
            )),
        }
    }
}

/// When a diff should fail (for CI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// Any breaking change.
    Breaking,
    /// Any change at all, documentation included.
    Any,
    /// Never.
    #[default]
    Never,
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "breaking" => Ok(FailOn::Breaking),
            "any" => Ok(FailOn::Any),
            "never" => Ok(FailOn::Never),
            other => Err(format!(
                "unknown --fail-on `{other}`: use breaking, any or never"
            )),
        }
    }
}

impl FailOn {
    /// Whether `report` should fail the run.
    pub fn triggered(self, report: &DiffReport) -> bool {
        match self {
            FailOn::Breaking => report.is_breaking(),
            FailOn::Any => report.has_changes(),
            FailOn::Never => false,
        }
    }
}

impl DiffReport {
    /// The report in `format`, ending with a newline.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Markdown => self.to_markdown(),
            Format::Json => self.to_json() + "\n",
            Format::Summary => self.summary_line() + "\n",
        }
    }
}
