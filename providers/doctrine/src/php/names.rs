//! Name resolution as PHP does it: through the file's namespace and `use` imports, so
//! `#[ORM\Column]`, `#[Column]` and `#[\Doctrine\ORM\Mapping\Column]` all read the same. Both
//! readers resolve through this, so they cannot disagree on a name.

/// Names is the file's current namespace and imports.
#[derive(Default)]
pub struct Names {
    pub namespace: String,
    /// Imports: alias and target. A file has a handful, so a list beats a map; aliases
    /// compare ignoring case, as PHP class names do.
    uses: Vec<(String, String)>,
}

/// Type names that are not classes; a declared type spelled as one of these is kept in lower
/// case instead of being resolved.
const PRIMITIVES: &[&str] = &[
    "int", "integer", "string", "bool", "boolean", "float", "double", "array", "mixed", "object",
    "iterable", "callable", "null", "void", "self", "static", "false", "true", "never",
];

impl Names {
    /// Enter `namespace`: its imports start empty.
    pub fn enter(&mut self, namespace: &str) {
        self.namespace = namespace.to_string();
        self.uses.clear();
    }

    /// `use {prefix}{target} [as alias];` (`prefix` ends with `\` in a group use).
    pub fn import(&mut self, prefix: &str, target: &str, alias: Option<&str>) {
        let target = format!("{prefix}{}", target.trim_start_matches('\\'));
        let alias = alias.unwrap_or_else(|| super::short(&target)).to_string();
        match self
            .uses
            .iter_mut()
            .find(|(a, _)| a.eq_ignore_ascii_case(&alias))
        {
            Some(found) => *found = (alias, target),
            None => self.uses.push((alias, target)),
        }
    }

    /// Resolve a class name: fully qualified, through an import, or relative to the current
    /// namespace.
    pub fn resolve(&self, name: &str) -> String {
        if let Some(abs) = name.strip_prefix('\\') {
            return abs.to_string();
        }
        let (first, rest) = match name.split_once('\\') {
            Some((f, r)) => (f, Some(r)),
            None => (name, None),
        };
        let found = self
            .uses
            .iter()
            .find(|(a, _)| a.eq_ignore_ascii_case(first));
        match (found, rest) {
            (Some((_, target)), Some(rest)) => join(target, rest),
            (Some((_, target)), None) => target.clone(),
            (None, _) if self.namespace.is_empty() => name.to_string(),
            (None, _) => join(&self.namespace, name),
        }
    }

    /// A declared class name qualified with the current namespace.
    pub fn declared(&self, short_name: &str) -> String {
        if self.namespace.is_empty() {
            short_name.to_string()
        } else {
            join(&self.namespace, short_name)
        }
    }

    /// A type written as one name: a primitive in lower case, or a resolved class name.
    pub fn type_name(&self, text: &str) -> String {
        match PRIMITIVES.iter().find(|p| p.eq_ignore_ascii_case(text)) {
            Some(primitive) => primitive.to_string(),
            None => self.resolve(text),
        }
    }
}

/// `namespace\\name`, built directly: names are resolved for every attribute and type.
fn join(namespace: &str, name: &str) -> String {
    let mut out = String::with_capacity(namespace.len() + 1 + name.len());
    out.push_str(namespace);
    out.push('\\');
    out.push_str(name);
    out
}

/// The single type of a union (`Foo|null` is `?Foo`); `None` when more than one remains.
/// Parts that are not single names (`None`) do not count, as in the tree reader's view.
pub fn union_type(parts: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let mut found = parts.into_iter().flatten().filter(|t| t != "null");
    let first = found.next()?;
    found.next().is_none().then_some(first)
}
