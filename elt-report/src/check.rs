//! Checks beyond the schema: what the XSD accepts but the agency refuses or counts wrongly.
//!
//! [`check`] returns every finding, not the first. Rules (the `rule` of a [`Finding`]):
//!
//! | rule | severity | what |
//! |---|---|---|
//! | `month.exists` | error | `redovisningsmanad` is a real month (`01`–`12`) |
//! | `day.exists` | error | each `dag` exists in that month (no 30 February) |
//! | `time.of-day` | error | each `Klockslag` is a time of day, `00.00`–`23.59`; `24.00` is allowed only as `tomTid`, meaning midnight at the end of the day |
//! | `row.order` | error | `fromTid` is before `tomTid`; a shift over midnight is two rows (… – `24.00` on one day, `00.00` – … on the next) |
//! | `time.nonexistent` | error | no time in the hour skipped on the spring switch day (02.00–02.59 on the last Sunday of March) |
//! | `time.repeated-hour` | warning | a time in the hour repeated on the autumn switch day (02.00–02.59 on the last Sunday of October) is counted as its first occurrence (see [`crate::hours`]) |
//! | `row.overlap` | error | no two rows overlap in real time (whatever their kind) |
//! | `period.order` | error | each `berakningsperiod` starts no later than it ends (`fromDag` ≤ `tomDag`; a one-day period has both the same) |
//! | `id.format`, `id.date`, `id.check-digit`, `id.organisation-group`, `id.kind` | error | the identity numbers of the person with assistance, the assistant, the provider and another employer follow Skatteverket's rules (see [`crate::ids`]) |
//! | `assistant.is-person` | error | the assistant is not the person with assistance |
//!
//! Paths are element paths with 1-based positions, such as
//! `/Tidredovisning/tidrapport/rapportRad[3]/tomTid`.

use std::fmt;

use elt_types::tidredovisning::{
    AnordnareChoice, AssistentPersonnummerOrSamordningsnummer, Tidredovisning, TidredovisningChoice,
};
use serde::Serialize;

use crate::hours::{self, Local};
use crate::ids::{IdError, Organisationsnummer, Personnummer};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; the report can still be sent.
    Warning,
    /// The report is wrong: fix it before signing.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Warning => "warning",
            Self::Error => "error",
        })
    }
}

/// One thing [`check`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The element, e.g. `/Tidredovisning/tidrapport/rapportRad[3]/tomTid`.
    pub path: String,
    /// The rule's name, e.g. `row.order`.
    pub rule: &'static str,
    /// What is wrong, with the values involved.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} [{}] {}",
            self.severity, self.path, self.rule, self.message
        )
    }
}

struct Findings(Vec<Finding>);

impl Findings {
    fn error(&mut self, path: impl Into<String>, rule: &'static str, message: impl Into<String>) {
        self.0.push(Finding {
            severity: Severity::Error,
            path: path.into(),
            rule,
            message: message.into(),
        });
    }
    fn warning(&mut self, path: impl Into<String>, rule: &'static str, message: impl Into<String>) {
        self.0.push(Finding {
            severity: Severity::Warning,
            path: path.into(),
            rule,
            message: message.into(),
        });
    }
    fn id(&mut self, path: impl Into<String>, e: IdError) {
        let rule = e.rule();
        self.error(path, rule, e.to_string());
    }
}

const ROOT: &str = "/Tidredovisning";

/// Every finding in `report`, in document order (rows' overlaps after the rows).
pub fn check(report: &Tidredovisning) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    identities(report, &mut f);
    periods(report, &mut f);
    rows(report, &mut f);
    f.0
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

fn identities(report: &Tidredovisning, f: &mut Findings) {
    let person_path = format!("{ROOT}/personSomHarAssistans/personnummer");
    let person = report.person_som_har_assistans.personnummer.get();
    match Personnummer::from_schema(person) {
        Ok(p) if p.is_samordningsnummer() => f.id(
            &person_path,
            IdError::Kind {
                text: person.clone(),
                found: "samordningsnummer",
                expected: "personnummer (the element is personnummer)",
            },
        ),
        Ok(_) => {}
        Err(e) => f.id(&person_path, e),
    }

    let (assistant, path, want_coordination) =
        match &report.assistent.personnummer_or_samordningsnummer {
            AssistentPersonnummerOrSamordningsnummer::Personnummer(p) => {
                (p.get(), format!("{ROOT}/assistent/personnummer"), false)
            }
            AssistentPersonnummerOrSamordningsnummer::Samordningsnummer(s) => {
                (s.get(), format!("{ROOT}/assistent/samordningsnummer"), true)
            }
        };
    match Personnummer::from_schema(assistant) {
        Ok(p) if p.is_samordningsnummer() != want_coordination => {
            let (found, expected) = if want_coordination {
                (
                    "personnummer",
                    "samordningsnummer (day + 60; the element is samordningsnummer)",
                )
            } else {
                (
                    "samordningsnummer",
                    "personnummer (the element is personnummer; use samordningsnummer for day + 60)",
                )
            };
            f.id(
                &path,
                IdError::Kind {
                    text: assistant.clone(),
                    found,
                    expected,
                },
            );
        }
        Ok(_) => {}
        Err(e) => f.id(&path, e),
    }
    if assistant == person {
        f.error(
            &path,
            "assistant.is-person",
            format!("the assistant ({assistant}) is the person with assistance; a person cannot be their own assistant in a time report"),
        );
    }

    if let TidredovisningChoice::Assistansanordnare(a) = &report.choice {
        let path = format!("{ROOT}/assistansanordnare/organisationsnummer");
        if let Err(e) = Organisationsnummer::from_schema(a.organisationsnummer.get()) {
            f.id(path, e);
        }
        if let AnordnareChoice::AnnanArbetsgivare(other) = &a.choice {
            let path = format!("{ROOT}/assistansanordnare/annanArbetsgivare/organisationsnummer");
            if let Err(e) = Organisationsnummer::from_schema(other.organisationsnummer.get()) {
                f.id(path, e);
            }
        }
    }
}

fn periods(report: &Tidredovisning, f: &mut Findings) {
    for (i, p) in report.berakningsperiod.iter().enumerate() {
        let (from, to) = (p.from_dag.value, p.tom_dag.value);
        if from > to {
            f.error(
                format!("{ROOT}/berakningsperiod[{}]/tomDag", i + 1),
                "period.order",
                format!("the period ends ({to}) before it starts ({from}); fromDag must not be after tomDag"),
            );
        }
    }
}

fn rows(report: &Tidredovisning, f: &mut Findings) {
    let month_text = report.redovisningsmanad.get();
    let month = match hours::month_start(month_text) {
        Ok(m) => Some(hours::MonthZone::new(m)),
        Err(message) => {
            f.error(format!("{ROOT}/redovisningsmanad"), "month.exists", message);
            None
        }
    };
    let mut placed = Vec::new();
    for (i, row) in report.tidrapport.rapport_rad.iter().enumerate() {
        let base = format!("{ROOT}/tidrapport/rapportRad[{}]", i + 1);
        let dag = *row.dag.get();
        let mut ok = true;
        if let Some(m) = month.as_ref().map(|z| z.start())
            && !(1..=i64::from(m.days_in_month())).contains(&dag)
        {
            f.error(
                format!("{base}/dag"),
                "day.exists",
                format!(
                    "day {dag} does not exist in {month_text}, which has {} days",
                    m.days_in_month()
                ),
            );
            ok = false;
        }
        let from = hours::clock(row.from_tid.get(), false);
        let to = hours::clock(row.tom_tid.get(), true);
        if let Err(message) = &from {
            f.error(format!("{base}/fromTid"), "time.of-day", message.clone());
        }
        if let Err(message) = &to {
            f.error(format!("{base}/tomTid"), "time.of-day", message.clone());
        }
        if let (Ok(a), Ok(b)) = (&from, &to)
            && b <= a
        {
            let (ft, tt) = (row.from_tid.get(), row.tom_tid.get());
            let message = if b < a {
                format!(
                    "the row ends ({tt}) before it starts ({ft}); a shift over midnight is two rows: {ft}–24.00 on day {dag} and 00.00–{tt} on day {}",
                    dag.saturating_add(1)
                )
            } else {
                format!("the row starts and ends at {ft}; fromTid must be before tomTid")
            };
            f.error(format!("{base}/tomTid"), "row.order", message);
            ok = false;
        }
        let (Some(m), true, Ok(_), Ok(_)) = (&month, ok, &from, &to) else {
            continue;
        };
        let Some(p) = hours::place(m, row) else {
            continue;
        };
        for (local, name, text) in [
            (p.start_local, "fromTid", row.from_tid.get()),
            (p.end_local, "tomTid", row.tom_tid.get()),
        ] {
            match local {
                Local::Unique => {}
                Local::Gap => f.error(
                    format!("{base}/{name}"),
                    "time.nonexistent",
                    format!(
                        "{text} on {} does not exist: the clocks go from 02.00 to 03.00 that night (summer time begins); write 03.00 instead of 02.00, and no time from 02.00 to 02.59",
                        p.date
                    ),
                ),
                Local::Fold => f.warning(
                    format!("{base}/{name}"),
                    "time.repeated-hour",
                    format!(
                        "{text} on {} happens twice (the clocks go from 03.00 back to 02.00 that night); it is counted as the first time, in summer time",
                        p.date
                    ),
                ),
            }
        }
        placed.push((i, p));
    }
    // Overlaps: sort by start; each row against the later ones that start before it ends.
    placed.sort_by_key(|(i, p)| (p.start, *i));
    for (k, (i, p)) in placed.iter().enumerate() {
        for (j, q) in &placed[k + 1..] {
            if q.start >= p.end {
                break;
            }
            let (first, second) = if i < j { (i, j) } else { (j, i) };
            let rr = &report.tidrapport.rapport_rad;
            let describe = |n: usize| {
                let r = &rr[n];
                format!(
                    "rapportRad[{}] (day {}, {}–{})",
                    n + 1,
                    r.dag.get(),
                    r.from_tid.get(),
                    r.tom_tid.get()
                )
            };
            f.error(
                format!("{ROOT}/tidrapport/rapportRad[{}]", second + 1),
                "row.overlap",
                format!("{} overlaps {}", describe(*second), describe(*first)),
            );
        }
    }
}
