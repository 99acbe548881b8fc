//! Render a plan for people, as Terraform does: a legend with only the symbols used, one block
//! per step with its symbol, hazards and SQL, and the summary line.

use super::{Action, Plan};
use console::Style;
use std::fmt::Write;

/// Styles for one rendering; all plain when colour is off.
struct Palette {
    create: Style,
    update: Style,
    delete: Style,
    warn: Style,
    dim: Style,
    bold: Style,
}

impl Palette {
    fn new(color: bool) -> Palette {
        let s = |f: fn(Style) -> Style| {
            if color {
                f(Style::new().force_styling(true))
            } else {
                Style::new()
            }
        };
        Palette {
            create: s(|s| s.green()),
            update: s(|s| s.yellow()),
            delete: s(|s| s.red()),
            warn: s(|s| s.red().bold()),
            dim: s(|s| s.dim()),
            bold: s(|s| s.bold()),
        }
    }

    fn action(&self, a: Action) -> &Style {
        match a {
            Action::Create => &self.create,
            Action::Update => &self.update,
            Action::Delete | Action::Replace => &self.delete,
            Action::Adopt => &self.dim,
        }
    }
}

/// The plan as text; `color` adds ANSI styles.
pub fn render(plan: &Plan, color: bool) -> String {
    let p = Palette::new(color);
    let mut out = String::new();
    for w in &plan.warnings {
        let _ = writeln!(out, "{} {w}\n", p.update.apply_to("Warning:"));
    }
    if plan.unmanaged > 0 {
        let _ = writeln!(
            out,
            "{} unmanaged object{} left alone (not in the desired schema, never created or adopted by Strata).\n",
            plan.unmanaged,
            if plan.unmanaged == 1 { "" } else { "s" }
        );
    }
    if !plan.drift.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.bold
                .apply_to("Objects changed outside of Strata since the last apply:")
        );
        for d in &plan.drift {
            let _ = writeln!(
                out,
                "  {} {}",
                p.update.apply_to("  ~"),
                p.bold.apply_to(&d.address)
            );
            for c in &d.changes {
                let _ = writeln!(out, "        {c}");
            }
        }
        out.push_str("The plan below converges them back to the desired schema.\n\n");
    }
    if plan.is_empty() {
        let _ = writeln!(
            out,
            "{}\n\nStrata found no differences between the desired schema and {}.",
            p.bold
                .apply_to("No changes. Your database schema matches the desired schema."),
            plan.target
        );
        let adopt = plan.adoptions();
        if adopt > 0 {
            let _ = writeln!(
                out,
                "{adopt} existing object{} will be adopted into Strata's state on apply (no DDL).",
                if adopt == 1 { "" } else { "s" }
            );
        }
        return out;
    }
    let mut used: Vec<Action> = plan.steps.iter().map(|s| s.action).collect();
    used.sort();
    used.dedup();
    out.push_str("Strata will perform the following actions, in this order. Symbols:\n");
    for a in &used {
        let _ = writeln!(
            out,
            "  {} {}",
            p.action(*a).apply_to(format!("{:>3}", a.symbol())),
            a.legend()
        );
    }
    out.push('\n');
    for (i, step) in plan.steps.iter().enumerate() {
        let style = p.action(step.action);
        let _ = writeln!(
            out,
            "  {} {}  {}",
            style.apply_to(format!("{:>3}", step.action.symbol())),
            p.bold.apply_to(&step.address),
            p.dim.apply_to(format!("[{}/{}]", i + 1, plan.steps.len()))
        );
        if !step.transactional {
            let _ = writeln!(
                out,
                "        {}",
                p.dim.apply_to(
                    "-- runs outside the transaction: the steps before it are committed first"
                )
            );
        }
        for d in &step.details {
            let _ = writeln!(out, "        {d}");
        }
        for h in &step.hazards {
            // What costs data stands out; the operational hazards are there to be read.
            let style = if h.kind.costs_data() {
                &p.warn
            } else {
                &p.update
            };
            let _ = writeln!(
                out,
                "        {} {}",
                style.apply_to(format!("! {}:", h.kind.label())),
                h.message
            );
        }
        for s in &step.statements {
            for line in s.sql.trim().lines() {
                let _ = writeln!(out, "        {}", p.dim.apply_to(line));
            }
        }
        out.push('\n');
    }
    if !plan.blocking.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            p.warn
                .apply_to("This plan cannot succeed on the current data:")
        );
        for b in &plan.blocking {
            let _ = writeln!(out, "  {} {b}", p.warn.apply_to("!"));
        }
        out.push_str("Apply will refuse it until the data (or the models) change.\n\n");
    }
    if let Some(why) = plan
        .policy
        .refusal
        .as_deref()
        .filter(|_| plan.blocking.is_empty())
    {
        let first = why.lines().next().unwrap_or(why);
        let _ = writeln!(out, "{} {first}\n", p.update.apply_to("Policy:"));
    }
    let (add, change, destroy) = plan.summary();
    let adopt = match plan.adoptions() {
        0 => String::new(),
        n => format!(", {n} to adopt"),
    };
    let _ = writeln!(
        out,
        "{} {add} to add, {change} to change, {destroy} to destroy{adopt}.",
        p.bold.apply_to("Plan:")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Change;
    use crate::plan::{Hazard, HazardKind, Statement, Step};
    use strata_schema::{Dialect, Table};

    fn step(address: &str, action: Action, sql: &str) -> Step {
        Step {
            address: address.into(),
            action,
            statements: vec![Statement::new(sql)],
            hazards: vec![],
            details: vec![],
            replaced: None,
            transactional: true,
            change: Change::CreateTable {
                schema: "public".into(),
                to: Table::new("t"),
            },
        }
    }

    #[test]
    fn terraform_like_text_without_colour() {
        let mut drop = step(
            "table.public.old",
            Action::Delete,
            "DROP TABLE \"public\".\"old\"",
        );
        drop.hazards.push(Hazard {
            kind: HazardKind::Destructive,
            message: "drops table old and all its rows".into(),
        });
        let plan = Plan {
            dialect: Dialect::Postgres,
            target: "postgres://x/db".into(),
            warnings: vec!["prisma: schema.prisma:3:5: unknown attribute @foo".into()],
            drift: vec![],
            unmanaged: 0,
            blocking: vec![],
            basis: Default::default(),
            policy: Default::default(),
            steps: vec![
                step(
                    "table.public.users",
                    Action::Create,
                    "CREATE TABLE \"public\".\"users\" ()",
                ),
                drop,
            ],
        };
        let text = render(&plan, false);
        assert!(!text.contains('\u{1b}'), "no ANSI codes without colour");
        assert!(text.contains("  + create\n"));
        assert!(text.contains("  - destroy\n"));
        assert!(
            !text.contains("update in-place"),
            "legend lists only the symbols used"
        );
        assert!(text.contains("  + table.public.users  [1/2]"));
        assert!(text.contains("! DESTRUCTIVE: drops table old"));
        assert!(text.ends_with("Plan: 1 to add, 0 to change, 1 to destroy.\n"));
        assert!(render(&plan, true).contains('\u{1b}'));
        assert!(text.starts_with("Warning: prisma: schema.prisma:3:5: unknown attribute @foo\n"));
    }

    #[test]
    fn empty_plan_says_no_changes() {
        let plan = Plan {
            dialect: Dialect::Sqlite,
            target: "sqlite://a.db".into(),
            steps: vec![],
            warnings: vec![],
            drift: vec![],
            unmanaged: 0,
            blocking: vec![],
            basis: Default::default(),
            policy: Default::default(),
        };
        assert!(render(&plan, false).starts_with("No changes."));
    }
}
