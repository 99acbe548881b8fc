//! Machine output (`plan -json`, `apply -json`): one JSON object per line on stdout, as
//! Terraform's `-json` UI does, documented in plan-format.md. Every line carries `type`,
//! `@level`, `@message` (what a person would have read) and `@timestamp`; the rest depends on the
//! type. A step is described exactly as in a saved plan ([`SavedStep`]), so a program reads one
//! shape whether it watches a run or opens a plan file.

use super::saved::{FORMAT_VERSION, Mode, SavedDrift, SavedStep, Summary};
use crate::error::Error;
use crate::plan::{Action, Plan};
use crate::run::ApplyEvent;
use miette::Diagnostic;
use serde::Serialize;

/// Stream writes the event lines of one command.
#[derive(Debug, Default)]
pub struct Stream {
    /// The step that started and has not completed: the one named by `apply_errored` if the
    /// apply fails.
    running: Option<Hook>,
}

/// Line is one output line: the common fields, then the event's.
#[derive(Serialize)]
struct Line {
    #[serde(rename = "@level")]
    level: Level,
    #[serde(rename = "@message")]
    message: String,
    #[serde(rename = "@timestamp")]
    timestamp: String,
    #[serde(flatten)]
    event: Event,
}

#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Level {
    Info,
    Warn,
    Error,
}

/// Severity is a diagnostic's, spelled as Terraform's.
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Warning,
    Error,
}

/// Event is what happened, tagged by `type`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    /// First line: who writes the stream, and its format version.
    Version {
        strata: &'static str,
        format_version: u32,
    },
    /// A managed object changed outside of Strata.
    Drift {
        drift: SavedDrift,
    },
    /// A step of the plan.
    PlannedChange {
        change: SavedStep,
    },
    /// The counts after a plan (`operation` plan or refresh) or an apply.
    ChangeSummary {
        changes: Changes,
        unmanaged: usize,
    },
    ApplyStart {
        hook: Hook,
    },
    ApplyComplete {
        hook: Hook,
        elapsed_ms: u128,
    },
    ApplyErrored {
        hook: Hook,
    },
    /// An error or a warning.
    Diagnostic {
        severity: Severity,
        summary: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        detail: Option<String>,
    },
}

/// Changes are a summary plus the operation it sums up.
#[derive(Serialize)]
struct Changes {
    #[serde(flatten)]
    summary: Summary,
    operation: Operation,
}

/// Operation is what a `change_summary` counts.
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// Steps planned.
    Plan,
    /// Drifted objects a refresh-only plan would record (all counts are zero).
    Refresh,
    /// Steps applied.
    Apply,
}

/// Hook names the step an apply event is about.
#[derive(Debug, Clone, Serialize)]
struct Hook {
    address: String,
    action: Action,
    /// 1-based position in the plan.
    step: usize,
    total: usize,
}

impl Stream {
    fn emit(&self, level: Level, message: String, event: Event) {
        let line = Line {
            level,
            message,
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            event,
        };
        // Plain data: serialising cannot fail.
        println!(
            "{}",
            serde_json::to_string(&line).expect("an event line serialises")
        );
    }

    /// The first line.
    pub fn version(&self) {
        let strata = env!("CARGO_PKG_VERSION");
        self.emit(
            Level::Info,
            format!("Strata {strata}"),
            Event::Version {
                strata,
                format_version: FORMAT_VERSION,
            },
        );
    }

    /// A plan: its warnings, drift, steps (none for a refresh-only plan) and summary.
    pub fn plan(&self, plan: &Plan, mode: Mode) {
        for warning in &plan.warnings {
            self.warning(warning);
        }
        for drift in &plan.drift {
            self.emit(
                Level::Info,
                format!("{}: changed outside of Strata", drift.address),
                Event::Drift {
                    drift: SavedDrift::from(drift),
                },
            );
        }
        let (summary, operation) = match mode {
            Mode::Normal => {
                for step in &plan.steps {
                    self.emit(
                        Level::Info,
                        format!("{}: plan to {}", step.address, step.action),
                        Event::PlannedChange {
                            change: SavedStep::from(step),
                        },
                    );
                }
                (Summary::of(plan), Operation::Plan)
            }
            Mode::RefreshOnly => (Summary::default(), Operation::Refresh),
        };
        self.summary(summary, operation, plan.unmanaged);
    }

    /// A `change_summary` line.
    pub fn summary(&self, summary: Summary, operation: Operation, unmanaged: usize) {
        let Summary {
            add,
            change,
            remove,
            adopt,
        } = summary;
        let message = match operation {
            Operation::Plan => {
                format!(
                    "Plan: {add} to add, {change} to change, {remove} to destroy, {adopt} to adopt."
                )
            }
            Operation::Refresh => "Refresh-only plan: no changes to the database.".to_string(),
            Operation::Apply => format!(
                "Apply complete! Resources: {add} added, {change} changed, {remove} destroyed, {adopt} adopted."
            ),
        };
        self.emit(
            Level::Info,
            message,
            Event::ChangeSummary {
                changes: Changes { summary, operation },
                unmanaged,
            },
        );
    }

    /// A step started or completed; `actions` are the plan's step actions, by index.
    pub fn progress(&mut self, event: &ApplyEvent, actions: &[Action]) {
        let hook = |index: usize, total: usize, address: &str| Hook {
            address: address.to_string(),
            action: actions.get(index).copied().unwrap_or(Action::Update),
            step: index + 1,
            total,
        };
        match event {
            ApplyEvent::StepStarted {
                index,
                total,
                address,
            } => {
                let hook = hook(*index, *total, address);
                self.running = Some(hook.clone());
                self.emit(
                    Level::Info,
                    format!("{address}: {} started", hook.action),
                    Event::ApplyStart { hook },
                );
            }
            ApplyEvent::StepDone {
                index,
                total,
                address,
                millis,
            } => {
                let hook = hook(*index, *total, address);
                self.running = None;
                self.emit(
                    Level::Info,
                    format!("{address}: {} complete after {millis}ms", hook.action),
                    Event::ApplyComplete {
                        hook,
                        elapsed_ms: *millis,
                    },
                );
            }
        }
    }

    /// A warning diagnostic.
    pub fn warning(&self, warning: &str) {
        self.emit(
            Level::Warn,
            format!("Warning: {warning}"),
            Event::Diagnostic {
                severity: Severity::Warning,
                summary: warning.to_string(),
                detail: None,
            },
        );
    }

    /// An error diagnostic, after an `apply_errored` line for the step that was running.
    pub fn error(&mut self, summary: &str, detail: Option<String>) {
        if let Some(hook) = self.running.take() {
            self.emit(
                Level::Error,
                format!("{}: {} errored", hook.address, hook.action),
                Event::ApplyErrored { hook },
            );
        }
        self.emit(
            Level::Error,
            format!("Error: {summary}"),
            Event::Diagnostic {
                severity: Severity::Error,
                summary: summary.to_string(),
                detail,
            },
        );
    }

    /// An error the command ends with.
    pub fn failed(&mut self, err: &Error) {
        self.error(&err.to_string(), err.help().map(|h| h.to_string()));
    }
}
