//! `MetaData(naming_convention=…)`: the names SQLAlchemy gives constraints and indexes.

use std::collections::BTreeMap;

/// Naming holds a MetaData's convention templates by key (`ix`, `uq`, `ck`, `fk`, `pk`).
#[derive(Debug, Clone)]
pub struct Naming {
    templates: BTreeMap<String, String>,
}

impl Default for Naming {
    /// SQLAlchemy's `DEFAULT_NAMING_CONVENTION`: only indexes are named.
    fn default() -> Naming {
        Naming::new(BTreeMap::from([(
            "ix".to_string(),
            "ix_%(column_0_label)s".to_string(),
        )]))
    }
}

/// Subject is what a name is made from.
pub struct Subject<'a> {
    pub table: &'a str,
    pub columns: &'a [String],
    pub referred_table: Option<&'a str>,
    pub referred_columns: &'a [String],
}

impl Naming {
    /// A convention of exactly the given templates: a `naming_convention` replaces SQLAlchemy's
    /// default one, so without an `ix` entry indexes need explicit names.
    pub fn new(templates: BTreeMap<String, String>) -> Naming {
        Naming { templates }
    }

    /// The name for an object of kind `key` with the explicit `given` name, if any, for a
    /// dialect whose identifiers hold `max` characters.
    /// `Ok(None)`: unnamed, the database picks. `Err`: the convention needs an explicit name,
    /// or an explicit name is too long (SQLAlchemy refuses both).
    pub fn name(
        &self,
        key: &str,
        given: Option<&str>,
        subject: &Subject,
        max: usize,
    ) -> Result<Option<String>, String> {
        let explicit = |g: &str| {
            if g.len() > max {
                Err(format!(
                    "identifier `{g}` exceeds the dialect's {max} characters"
                ))
            } else {
                Ok(Some(g.to_string()))
            }
        };
        let Some(template) = self.templates.get(key) else {
            return given.map_or(Ok(None), explicit);
        };
        let wraps_name = template.contains("%(constraint_name)s");
        match given {
            Some(g) if !wraps_name => explicit(g),
            None if wraps_name => Err(format!(
                "naming convention `{key}` uses %(constraint_name)s, so this constraint needs an explicit name"
            )),
            _ => expand(template, given, subject).map(|n| Some(truncate(n, max))),
        }
    }
}

/// A convention-made name longer than `max` keeps `max - 8` characters, `_`, and the last four
/// hex digits of its md5 (SQLAlchemy's `_truncate_and_render_maxlen_name`).
fn truncate(name: String, max: usize) -> String {
    if name.len() <= max {
        return name;
    }
    let digest = format!("{:x}", md5::compute(&name));
    format!("{}_{}", &name[..max - 8], &digest[digest.len() - 4..])
}

fn expand(template: &str, given: Option<&str>, s: &Subject) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("%(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find(")s")
            .ok_or_else(|| format!("malformed naming convention `{template}`"))?;
        out.push_str(&token(&after[..end], given, s)?);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn token(token: &str, given: Option<&str>, s: &Subject) -> Result<String, String> {
    let labels: Vec<String> = s
        .columns
        .iter()
        .map(|c| format!("{}_{c}", s.table))
        .collect();
    let pick = |items: &[String], rest: &str| -> Option<String> {
        match rest {
            "0N" => Some(items.concat()),
            "0_N" => Some(items.join("_")),
            n => n.parse::<usize>().ok().and_then(|i| items.get(i).cloned()),
        }
    };
    let value = match token {
        "table_name" => Some(s.table.to_string()),
        "constraint_name" => given.map(str::to_string),
        "referred_table_name" => s.referred_table.map(str::to_string),
        _ => {
            let (items, rest) = if let Some(r) = token.strip_prefix("referred_column_") {
                (s.referred_columns, r)
            } else if let Some(r) = token.strip_prefix("column_") {
                (s.columns, r)
            } else {
                return Err(format!("unknown naming-convention token %({token})s"));
            };
            if let Some(n) = rest.strip_suffix("_name") {
                pick(items, n)
            } else if let Some(n) = rest.strip_suffix("_label") {
                pick(&labels, n)
            } else if let Some(n) = rest.strip_suffix("_key") {
                pick(items, n)
            } else {
                None
            }
        }
    };
    value.ok_or_else(|| format!("naming-convention token %({token})s has no value here"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_custom_conventions() {
        let cols = vec!["a".to_string(), "b".to_string()];
        let subject = Subject {
            table: "t",
            columns: &cols,
            referred_table: Some("p"),
            referred_columns: &[],
        };
        let default = Naming::default();
        assert_eq!(
            Naming::new(BTreeMap::new())
                .name("ix", None, &subject, 63)
                .unwrap(),
            None
        );
        assert_eq!(
            default.name("ix", None, &subject, 63).unwrap().as_deref(),
            Some("ix_t_a")
        );
        assert_eq!(default.name("uq", None, &subject, 63).unwrap(), None);
        let custom = Naming::new(BTreeMap::from([
            (
                "uq".to_string(),
                "uq_%(table_name)s_%(column_0_N_name)s".to_string(),
            ),
            (
                "ck".to_string(),
                "ck_%(table_name)s_%(constraint_name)s".to_string(),
            ),
            (
                "fk".to_string(),
                "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s".to_string(),
            ),
        ]));
        assert_eq!(
            custom.name("uq", None, &subject, 63).unwrap().as_deref(),
            Some("uq_t_a_b")
        );
        assert_eq!(
            custom
                .name("ck", Some("pos"), &subject, 63)
                .unwrap()
                .as_deref(),
            Some("ck_t_pos")
        );
        assert!(custom.name("ck", None, &subject, 63).is_err());
        // Observed with SQLAlchemy 2.0.58 on PostgreSQL (tests/fixtures/sqlalchemy/classic).
        let long = vec!["correlation_identifier_from_the_upstream_request_tracker".to_string()];
        let long_subject = Subject {
            table: "audit_log",
            columns: &long,
            referred_table: None,
            referred_columns: &[],
        };
        assert_eq!(
            default
                .name("ix", None, &long_subject, 63)
                .unwrap()
                .as_deref(),
            Some("ix_audit_log_correlation_identifier_from_the_upstream_r_7769")
        );
        assert!(
            default
                .name("ix", Some(&"x".repeat(70)), &long_subject, 63)
                .is_err()
        );
        assert_eq!(
            custom.name("fk", None, &subject, 63).unwrap().as_deref(),
            Some("fk_t_a_p")
        );
    }
}
