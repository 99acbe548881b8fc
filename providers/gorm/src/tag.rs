//! GORM's tag settings: `schema.ParseTagSetting` splits a `gorm:"…"` tag on `;` (a `\;` escapes
//! the separator) and each part on its first `:` into an upper-cased key and the rest as value;
//! a key without a value is its own value (`primaryKey` → `PRIMARYKEY: PRIMARYKEY`).

/// Settings of one tag (or one tag value split on `,`), keys upper-cased, in GORM's semantics:
/// the last of repeated keys wins. A tag has a handful of keys, so a vector in written order
/// beats a hash map both to build and to search (the reader asks every field for a dozen keys).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// (key, value) in the order keys first appear.
    pairs: Vec<(String, String)>,
}

impl Settings {
    /// `schema.ParseTagSetting(text, sep)`.
    pub fn parse(text: &str, sep: char) -> Settings {
        let mut settings = Settings::default();
        if text.is_empty() {
            return settings;
        }
        // A part ending in `\` continues into the next one, with the separator restored.
        let mut joined: Option<String> = None;
        let mut parts = text.split(sep).peekable();
        while let Some(part) = parts.next() {
            if let Some(stem) = part.strip_suffix('\\')
                && parts.peek().is_some()
            {
                let buf = joined.get_or_insert_with(String::new);
                buf.push_str(stem);
                buf.push(sep);
                continue;
            }
            match joined.take() {
                Some(mut buf) => {
                    buf.push_str(part);
                    settings.add(&buf);
                }
                None => settings.add(part),
            }
        }
        settings
    }

    /// One `key:value` (or bare `key`) part.
    fn add(&mut self, part: &str) {
        let (key, value) = match part.split_once(':') {
            Some((k, v)) => (k.trim().to_uppercase(), Some(v)),
            None => (part.trim().to_uppercase(), None),
        };
        match value {
            Some(v) => self.insert(key, v.to_string()),
            None if !key.is_empty() => self.insert(key.clone(), key),
            None => {}
        }
    }

    fn insert(&mut self, key: String, value: String) {
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key, value)),
        }
    }

    /// Keys in written order, for warnings about unknown ones.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
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
        let repeated = Settings::parse("size:10;SIZE:20;index", ';');
        assert_eq!(repeated.get("SIZE"), Some("20"));
        assert_eq!(repeated.keys().collect::<Vec<_>>(), ["SIZE", "INDEX"]);
    }
}
