//! The saved-plan format (plan-format.md): what `plan -out=FILE` writes, what `apply FILE`
//! checks and runs, and what `show -json FILE` prints.
//!
//! This is the encoded form of a [`Plan`], kept apart from the in-memory type (Terraform's
//! `planfile` habit) so the documented format only changes on purpose, with
//! [`FORMAT_VERSION`]. A saved plan carries no checksum: `apply FILE` never runs the file's SQL,
//! it computes a fresh plan under the state lock and runs that only when the saved steps and the
//! four basis fingerprints equal the fresh ones — so a hand-edited plan is refused like a stale
//! one.

use crate::error::Error;
use crate::plan::{Action, Basis, Hazard, Plan, Statement, Step, Verdict};
use crate::state::Drift;
use serde::{Deserialize, Serialize};
use std::path::Path;
use strata_schema::Dialect;

/// The plan format this Strata writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// SavedPlan is a plan as written to a file and printed by `show -json`.
///
/// Unknown fields are refused: a plan is applied exactly, so a field this version does not
/// understand must not be silently ignored (newer formats bump `format_version` instead).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedPlan {
    pub format_version: u32,
    /// The Strata version that made the plan.
    pub strata_version: String,
    pub mode: Mode,
    pub target: SavedTarget,
    /// The env whose state the plan was computed against.
    pub env: String,
    pub basis: SavedBasis,
    /// Live objects left alone because Strata does not manage them.
    pub unmanaged: usize,
    /// Warnings from reading the desired schema.
    pub warnings: Vec<String>,
    /// Managed objects changed outside of Strata since the last apply.
    pub drift: Vec<SavedDrift>,
    /// The steps, in the order apply runs them.
    pub steps: Vec<SavedStep>,
    /// Rules the current rows would break: apply refuses the plan while any remain.
    pub blocking: Vec<String>,
    /// Whether `apply -auto-approve` (without `-allow-destructive`) would run the plan.
    pub policy: Verdict,
    pub summary: Summary,
}

/// Mode is what applying the plan does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Run the steps' DDL, then record the result in state.
    Normal,
    /// Record the live form of drifted objects in state; no DDL.
    RefreshOnly,
}

/// SavedTarget names the database without credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedTarget {
    /// The URL with user and password removed.
    pub url: String,
    pub dialect: Dialect,
}

/// SavedBasis is what the plan was computed from ([`Basis`], encoded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedBasis {
    /// The state's lineage; null when there was no state yet.
    pub state_lineage: Option<String>,
    /// The state's serial; null when there was no state yet.
    pub state_serial: Option<u64>,
    /// blake3 of the normalised desired schema.
    pub desired_fingerprint: String,
    /// blake3 of the normalised live schema.
    pub live_fingerprint: String,
}

/// SavedDrift is one managed object changed outside of Strata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedDrift {
    pub address: String,
    /// What changed, one attribute per line.
    pub changes: Vec<String>,
}

/// SavedStep is one step: also the `change` of a `planned_change` event in the JSON stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedStep {
    pub address: String,
    pub action: Action,
    /// The statements, in order (empty for `adopt`).
    pub sql: Vec<String>,
    pub hazards: Vec<Hazard>,
    /// Human lines describing what changes.
    pub details: Vec<String>,
}

/// Summary counts steps as the plan's last line does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub add: usize,
    pub change: usize,
    pub remove: usize,
    pub adopt: usize,
}

impl Summary {
    /// The counts of `plan`'s steps (a replacement counts as one add and one remove).
    pub fn of(plan: &Plan) -> Summary {
        let (add, change, remove) = plan.summary();
        Summary {
            add,
            change,
            remove,
            adopt: plan.adoptions(),
        }
    }
}

impl From<&Step> for SavedStep {
    fn from(step: &Step) -> SavedStep {
        SavedStep {
            address: step.address.clone(),
            action: step.action,
            sql: step.statements.iter().map(|s| s.sql.clone()).collect(),
            hazards: step.hazards.clone(),
            details: step.details.clone(),
        }
    }
}

impl From<&Drift> for SavedDrift {
    fn from(drift: &Drift) -> SavedDrift {
        SavedDrift {
            address: drift.address.clone(),
            changes: drift.changes.clone(),
        }
    }
}

impl SavedPlan {
    /// Encode `plan`, computed for `env`. A refresh-only plan keeps the drift and no steps: that
    /// is all applying it does.
    pub fn new(plan: &Plan, env: &str, mode: Mode) -> SavedPlan {
        let (steps, summary) = match mode {
            Mode::Normal => (
                plan.steps.iter().map(SavedStep::from).collect(),
                Summary::of(plan),
            ),
            Mode::RefreshOnly => (Vec::new(), Summary::default()),
        };
        SavedPlan {
            format_version: FORMAT_VERSION,
            strata_version: env!("CARGO_PKG_VERSION").to_string(),
            mode,
            target: SavedTarget {
                url: without_credentials(&plan.target),
                dialect: plan.dialect,
            },
            env: env.to_string(),
            basis: SavedBasis {
                state_lineage: plan.basis.state_lineage.clone(),
                state_serial: plan.basis.state_serial,
                desired_fingerprint: plan.basis.desired.clone(),
                live_fingerprint: plan.basis.live.clone(),
            },
            unmanaged: plan.unmanaged,
            warnings: plan.warnings.clone(),
            drift: plan.drift.iter().map(SavedDrift::from).collect(),
            steps,
            blocking: plan.blocking.clone(),
            policy: plan.policy.clone(),
            summary,
        }
    }

    /// A [`Plan`] to render. Only for display: the steps carry no schema change, so it cannot
    /// be applied (apply always runs a fresh plan).
    pub fn to_plan(&self) -> Plan {
        Plan {
            dialect: self.target.dialect,
            target: self.target.url.clone(),
            steps: self
                .steps
                .iter()
                .map(|s| Step {
                    action: s.action,
                    statements: s.sql.iter().map(Statement::new).collect(),
                    hazards: s.hazards.clone(),
                    details: s.details.clone(),
                    ..Step::adopt(&s.address)
                })
                .collect(),
            warnings: self.warnings.clone(),
            drift: self
                .drift
                .iter()
                .map(|d| Drift {
                    address: d.address.clone(),
                    changes: d.changes.clone(),
                })
                .collect(),
            unmanaged: self.unmanaged,
            policy: self.policy.clone(),
            blocking: self.blocking.clone(),
            basis: Basis {
                state_lineage: self.basis.state_lineage.clone(),
                state_serial: self.basis.state_serial,
                desired: self.basis.desired_fingerprint.clone(),
                live: self.basis.live_fingerprint.clone(),
            },
        }
    }

    /// The plan as the file's text: pretty JSON and a final newline.
    pub fn encode(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .expect("a saved plan is plain data and always serialises");
        text.push('\n');
        text
    }

    /// Read a saved plan. The version is sniffed first, so a plan from a newer Strata gets its
    /// own message rather than a confusing field error.
    pub fn decode(text: &str, file: &Path) -> Result<SavedPlan, Error> {
        let remake = format!(
            "Make a new plan with `strata plan -out={}`.",
            file.display()
        );
        let sniffed: Sniff = serde_json::from_str(text).map_err(|e| {
            Error::Plan(format!(
                "{} is not a saved Strata plan: it is not JSON ({e}). {remake}",
                file.display()
            ))
        })?;
        match sniffed.format_version {
            None => Err(Error::Plan(format!(
                "{} is not a saved Strata plan: it has no numeric format_version. {remake}",
                file.display()
            ))),
            Some(v) if v > u64::from(FORMAT_VERSION) => Err(Error::Plan(format!(
                "{} was saved by a newer Strata (plan format {v}; Strata {} reads up to format {FORMAT_VERSION}). Apply it with the Strata that made it, or make a new plan with this one: `strata plan -out={}`.",
                file.display(),
                env!("CARGO_PKG_VERSION"),
                file.display()
            ))),
            Some(_) => serde_json::from_str(text).map_err(|e| {
                Error::Plan(format!(
                    "{} is a corrupt saved plan ({e}); it may have been truncated or edited by hand. {remake}",
                    file.display()
                ))
            }),
        }
    }

    /// Read a saved plan from `file`.
    pub fn read(file: &Path) -> Result<SavedPlan, Error> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            Error::Io(format!(
                "cannot read the saved plan {}: {e}. Make one with `strata plan -out={}`.",
                file.display(),
                file.display()
            ))
        })?;
        SavedPlan::decode(&text, file)
    }

    /// Write the plan to `file`.
    pub fn write(&self, file: &Path) -> Result<(), Error> {
        std::fs::write(file, self.encode()).map_err(|e| {
            Error::Io(format!(
                "cannot write the plan to {}: {e}. Check that the directory exists and is writable.",
                file.display()
            ))
        })
    }
}

/// `url` without user or password: a plan file travels (CI artifacts, reviews), and the same
/// database reached with other credentials is the same target.
fn without_credentials(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.has_authority() => {
            let _ = parsed.set_password(None);
            let _ = parsed.set_username("");
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Sniff is the one field read before anything else.
#[derive(Deserialize)]
struct Sniff {
    format_version: Option<u64>,
}

/// Why a saved plan no longer matches a fresh plan of the same mode, one reason per moved
/// input; empty when it can be applied.
pub fn staleness(saved: &SavedPlan, fresh: &SavedPlan) -> Vec<String> {
    let mut reasons = Vec::new();
    if saved.target != fresh.target {
        reasons.push(format!(
            "it was made for {} ({}), but this run targets {} ({})",
            saved.target.url, saved.target.dialect, fresh.target.url, fresh.target.dialect
        ));
    }
    if saved.env != fresh.env {
        reasons.push(format!(
            "it was made for env {:?}, but this run uses env {:?}",
            saved.env, fresh.env
        ));
    }
    let (was, now) = (&saved.basis, &fresh.basis);
    match (&was.state_lineage, &now.state_lineage) {
        (None, Some(lineage)) => reasons.push(format!(
            "a state was written since (lineage {lineage}, serial {})",
            now.state_serial.unwrap_or_default()
        )),
        (Some(_), None) => reasons.push("the state was removed since".to_string()),
        (Some(a), Some(b)) if a != b => reasons.push(format!(
            "the state was replaced by another lineage ({a} → {b})"
        )),
        _ if was.state_serial != now.state_serial => reasons.push(format!(
            "the state was written since (serial {} → {})",
            serial(was.state_serial),
            serial(now.state_serial)
        )),
        _ => {}
    }
    if was.desired_fingerprint != now.desired_fingerprint {
        reasons.push("the models changed (desired schema fingerprint differs)".to_string());
    }
    if was.live_fingerprint != now.live_fingerprint {
        reasons.push(
            "the database changed since the plan was made (live schema fingerprint differs)"
                .to_string(),
        );
    }
    if reasons.is_empty()
        && let Some(step) = first_step_difference(&saved.steps, &fresh.steps)
    {
        reasons.push(step);
    }
    reasons
}

fn serial(serial: Option<u64>) -> String {
    serial.map_or_else(|| "none".to_string(), |s| s.to_string())
}

/// Where the saved steps stop matching the fresh ones (address, action or SQL). Only checked
/// when every input matches: then a difference means another Strata version planned it, or
/// the file was edited.
fn first_step_difference(saved: &[SavedStep], fresh: &[SavedStep]) -> Option<String> {
    let same = |a: &SavedStep, b: &SavedStep| {
        a.address == b.address && a.action == b.action && a.sql == b.sql
    };
    if let Some(i) = saved.iter().zip(fresh).position(|(a, b)| !same(a, b)) {
        return Some(format!(
            "step {} differs from a fresh plan (saved: {} {}; now: {} {}), so the file was edited or made by another Strata version",
            i + 1,
            saved[i].action.symbol(),
            saved[i].address,
            fresh[i].action.symbol(),
            fresh[i].address
        ));
    }
    (saved.len() != fresh.len()).then(|| {
        format!(
            "it has {} steps, but a fresh plan has {}",
            saved.len(),
            fresh.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::HazardKind;

    fn plan() -> Plan {
        let mut create = Step::adopt("table.main.users");
        create.action = Action::Create;
        create.statements = vec![Statement::new("CREATE TABLE \"users\" (\"id\" integer)")];
        create.hazards = vec![Hazard {
            kind: HazardKind::TableRewrite,
            message: "rewrites".into(),
        }];
        Plan {
            dialect: Dialect::Sqlite,
            target: "sqlite:///tmp/db.sqlite".into(),
            steps: vec![Step::adopt("table.main.kept"), create],
            warnings: vec!["w".into()],
            drift: vec![Drift {
                address: "table.main.kept".into(),
                changes: vec!["column a: type int -> text".into()],
            }],
            unmanaged: 2,
            policy: Default::default(),
            blocking: Vec::new(),
            basis: Basis {
                state_lineage: Some("L".into()),
                state_serial: Some(3),
                desired: "d".into(),
                live: "l".into(),
            },
        }
    }

    #[test]
    fn target_url_has_no_credentials() {
        let mut p = plan();
        p.target = "postgres://app:xxxxx@db.example.com:5432/app?search_path=s".into();
        let saved = SavedPlan::new(&p, "default", Mode::Normal);
        assert_eq!(
            saved.target.url,
            "postgres://db.example.com:5432/app?search_path=s"
        );
        p.target = "sqlite::memory:".into();
        assert_eq!(
            SavedPlan::new(&p, "default", Mode::Normal).target.url,
            "sqlite::memory:"
        );
    }

    #[test]
    fn round_trips_through_text_and_back_to_a_plan() {
        let saved = SavedPlan::new(&plan(), "default", Mode::Normal);
        let decoded = SavedPlan::decode(&saved.encode(), Path::new("p.json")).unwrap();
        assert_eq!(decoded, saved);
        let again = SavedPlan::new(&decoded.to_plan(), "default", Mode::Normal);
        assert_eq!(again, saved);
        assert_eq!(saved.summary.add, 1);
        assert_eq!(saved.summary.adopt, 1);
    }

    #[test]
    fn refresh_only_keeps_drift_and_no_steps() {
        let saved = SavedPlan::new(&plan(), "default", Mode::RefreshOnly);
        assert!(saved.steps.is_empty());
        assert_eq!(saved.drift.len(), 1);
        assert_eq!(saved.summary.add, 0);
    }

    #[test]
    fn refuses_newer_corrupt_and_foreign_files() {
        let file = Path::new("p.json");
        let err = |text: &str| SavedPlan::decode(text, file).unwrap_err().to_string();
        assert!(err("{\"format_version\": 99}").contains("newer Strata"));
        assert!(err("{\"format_version\": 1, \"steps\": []}").contains("corrupt saved plan"));
        assert!(err("{\"serial\": 1}").contains("no numeric format_version"));
        assert!(err("PK\u{3}\u{4}").contains("not JSON"));
        let mut text = SavedPlan::new(&plan(), "default", Mode::Normal).encode();
        text.truncate(text.len() / 2);
        assert!(err(&text).contains("not JSON"), "{}", err(&text));
    }

    #[test]
    fn says_what_moved() {
        let saved = SavedPlan::new(&plan(), "default", Mode::Normal);
        assert!(staleness(&saved, &saved).is_empty());
        let mut fresh = saved.clone();
        fresh.basis.state_serial = Some(4);
        fresh.basis.live_fingerprint = "x".into();
        assert_eq!(
            staleness(&saved, &fresh),
            [
                "the state was written since (serial 3 → 4)",
                "the database changed since the plan was made (live schema fingerprint differs)"
            ]
        );
        let mut fresh = saved.clone();
        fresh.basis.desired_fingerprint = "x".into();
        assert_eq!(
            staleness(&saved, &fresh),
            ["the models changed (desired schema fingerprint differs)"]
        );
        let mut fresh = saved.clone();
        fresh.steps[1].sql[0].push_str(", \"b\" text");
        assert!(staleness(&saved, &fresh)[0].starts_with("step 2 differs"));
        let mut fresh = saved.clone();
        fresh.steps.pop();
        assert_eq!(
            staleness(&saved, &fresh),
            ["it has 2 steps, but a fresh plan has 1"]
        );
        let mut fresh = saved.clone();
        fresh.basis.state_lineage = Some("M".into());
        assert_eq!(
            staleness(&saved, &fresh),
            ["the state was replaced by another lineage (L → M)"]
        );
    }
}
