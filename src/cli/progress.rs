//! Progress lines while a plan is applied, in Terraform's words:
//! `table.public.users: Creating... [1/7]` then `table.public.users: Creation complete after 12ms`.

use crate::plan::Action;
use crate::run::ApplyEvent;
use console::style;

/// The line for one progress event; `actions` are the plan's step actions, by step index.
pub fn line(event: &ApplyEvent, actions: &[Action]) -> String {
    let action = |index: usize| actions.get(index).copied().unwrap_or(Action::Update);
    match event {
        ApplyEvent::StepStarted {
            index,
            total,
            address,
        } => {
            let (doing, _) = words(action(*index));
            format!(
                "{}: {doing}... [{}/{total}]",
                style(address).bold(),
                index + 1
            )
        }
        ApplyEvent::StepDone {
            index,
            address,
            millis,
            ..
        } => {
            let (_, done) = words(action(*index));
            format!(
                "{}: {done} complete after {millis}ms",
                style(address).bold()
            )
        }
    }
}

/// What is happening and what has happened, per action.
fn words(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Create => ("Creating", "Creation"),
        Action::Update => ("Modifying", "Modifications"),
        Action::Replace => ("Replacing", "Replacement"),
        Action::Delete => ("Destroying", "Destruction"),
        Action::Adopt => ("Adopting", "Adoption"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_words() {
        let started = ApplyEvent::StepStarted {
            index: 0,
            total: 7,
            address: "table.public.users".into(),
        };
        let done = ApplyEvent::StepDone {
            index: 1,
            total: 7,
            address: "index.public.users.i".into(),
            millis: 12,
        };
        let actions = [Action::Create, Action::Delete];
        let plain = |e: &ApplyEvent| console::strip_ansi_codes(&line(e, &actions)).to_string();
        assert_eq!(plain(&started), "table.public.users: Creating... [1/7]");
        assert_eq!(
            plain(&done),
            "index.public.users.i: Destruction complete after 12ms"
        );
    }
}
