//! GORM's tag settings: `schema.ParseTagSetting` splits a `gorm:"…"` tag on `;` (a `\;` escapes
//! the separator) and each part on its first `:` into an upper-cased key and the rest as value;
//! a key without a value is its own value (`primaryKey` → `PRIMARYKEY: PRIMARYKEY`).

use std::collections::HashMap;

/// Settings of one tag (or one tag value split on `,`), keys upper-cased, in GORM's semantics:
/// the last of repeated keys wins.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    values: HashMap<String, String>,
    /// Keys in written order, for warnings about unknown ones.
    pub keys: Vec<String>,
}

impl Settings {
    /// `schema.ParseTagSetting(text, sep)`.
    pub fn parse(text: &str, sep: char) -> Settings {
        let mut settings = Settings::default();
        let mut names: Vec<String> = text.split(sep).map(str::to_string).collect();
        let mut i = 0;
        while i < names.len() {
            let j = i;
            while names[j].ends_with('\\') && i + 1 < names.len() {
                i += 1;
                let next = std::mem::take(&mut names[i]);
                names[j].pop();
                names[j].push(sep);
                names[j].push_str(&next);
            }
            let mut parts = names[j].split(':');
            let key = parts.next().unwrap_or("").trim().to_uppercase();
            let rest: Vec<&str> = parts.collect();
            if !rest.is_empty() {
                settings.insert(key, rest.join(":"));
            } else if !key.is_empty() {
                settings.insert(key.clone(), key);
            }
            i += 1;
        }
        settings
    }

    fn insert(&mut self, key: String, value: String) {
        if !self.keys.contains(&key) {
            self.keys.push(key.clone());
        }
        self.values.insert(key, value);
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    pub fn has(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// A key present with a non-empty value (GORM's `TagSettings[k] != ""`).
    pub fn set(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| !v.is_empty())
    }

    /// `utils.CheckTruth` of the key: present, non-empty and not `false`.
    pub fn truthy(&self, key: &str) -> bool {
        self.get(key)
            .is_some_and(|v| !v.is_empty() && !v.eq_ignore_ascii_case("false"))
    }
}

/// Every key GORM v2 reads from a `gorm:` tag (schema, migrator and callbacks). Keys that do
/// not change the DDL are accepted without effect; anything else is reported.
pub const KNOWN_KEYS: &[&str] = &[
    "COLUMN",
    "TYPE",
    "SIZE",
    "PRECISION",
    "SCALE",
    "PRIMARYKEY",
    "PRIMARY_KEY",
    "UNIQUE",
    "UNIQUEINDEX",
    "INDEX",
    "DEFAULT",
    "NOT NULL",
    "NOTNULL",
    "AUTOINCREMENT",
    "AUTOINCREMENTINCREMENT",
    "AUTOCREATETIME",
    "AUTOUPDATETIME",
    "CHECK",
    "COMMENT",
    "-",
    "->",
    "<-",
    "SERIALIZER",
    "EMBEDDED",
    "EMBEDDEDPREFIX",
    "FOREIGNKEY",
    "REFERENCES",
    "CONSTRAINT",
    "MANY2MANY",
    "JOINFOREIGNKEY",
    "JOINREFERENCES",
    "POLYMORPHIC",
    "POLYMORPHICTYPE",
    "POLYMORPHICID",
    "POLYMORPHICVALUE",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_like_gorm() {
        let s = Settings::parse(
            "column:shelfCode;primaryKey;default:'a:b';check:x\\;y;not null",
            ';',
        );
        assert_eq!(s.get("COLUMN"), Some("shelfCode"));
        assert_eq!(s.get("PRIMARYKEY"), Some("PRIMARYKEY"));
        assert_eq!(s.get("DEFAULT"), Some("'a:b'"));
        assert_eq!(s.get("CHECK"), Some("x;y"));
        assert!(s.has("NOT NULL"));
        let c = Settings::parse("OnUpdate:CASCADE,OnDelete:SET NULL", ',');
        assert_eq!(c.get("ONDELETE"), Some("SET NULL"));
        assert!(!Settings::parse("autoIncrement:false", ';').truthy("AUTOINCREMENT"));
    }
}
