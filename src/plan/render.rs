//! Render a plan for people, as Terraform does (placeholder).

use super::Plan;

/// The plan as text; `color` adds ANSI styles.
pub fn render(plan: &Plan, _color: bool) -> String {
    if plan.is_empty() {
        "No changes. Your database schema matches the desired schema.\n".into()
    } else {
        let (a, c, d) = plan.summary();
        format!("Plan: {a} to add, {c} to change, {d} to destroy.\n")
    }
}
