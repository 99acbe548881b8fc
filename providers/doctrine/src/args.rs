//! Arguments of one mapping attribute by name: positional arguments take the names of the
//! attribute class's constructor parameters, and names the attribute does not have are
//! reported as warnings at their location.

use crate::value::{Attribute, Value};
use strata_schema::SourceError;

/// Args is one attribute's arguments by parameter name.
pub struct Args<'a> {
    named: Vec<(&'a str, &'a Value)>,
}

/// Constructor parameters of Doctrine's mapping attributes, in order (ORM 2.14 / 3).
fn parameters(mapping: &str) -> Option<&'static [&'static str]> {
    Some(match mapping {
        "Entity" => &["repositoryClass", "readOnly"],
        "MappedSuperclass" => &["repositoryClass"],
        "Embeddable" | "Id" | "HasLifecycleCallbacks" | "Version" => &[],
        "Table" => &["name", "schema", "indexes", "uniqueConstraints", "options"],
        "Column" => &[
            "name",
            "type",
            "length",
            "precision",
            "scale",
            "unique",
            "nullable",
            "insertable",
            "updatable",
            "enumType",
            "options",
            "columnDefinition",
            "generated",
        ],
        "GeneratedValue" => &["strategy"],
        "SequenceGenerator" => &["sequenceName", "allocationSize", "initialValue"],
        "Index" => &["columns", "fields", "name", "flags", "options"],
        "UniqueConstraint" => &["name", "columns", "fields", "options"],
        "JoinColumn" | "InverseJoinColumn" => &[
            "name",
            "referencedColumnName",
            "unique",
            "nullable",
            "onDelete",
            "columnDefinition",
            "fieldName",
            "options",
        ],
        "JoinColumns" => &["value"],
        "JoinTable" => &[
            "name",
            "schema",
            "joinColumns",
            "inverseJoinColumns",
            "options",
        ],
        "ManyToOne" => &["targetEntity", "cascade", "fetch", "inversedBy"],
        "OneToOne" => &[
            "targetEntity",
            "mappedBy",
            "inversedBy",
            "cascade",
            "fetch",
            "orphanRemoval",
        ],
        "OneToMany" => &[
            "mappedBy",
            "targetEntity",
            "cascade",
            "fetch",
            "orphanRemoval",
            "indexBy",
        ],
        "ManyToMany" => &[
            "targetEntity",
            "mappedBy",
            "inversedBy",
            "cascade",
            "fetch",
            "orphanRemoval",
            "indexBy",
        ],
        "Embedded" => &["class", "columnPrefix"],
        "InheritanceType" => &["value"],
        "DiscriminatorColumn" => &[
            "name",
            "type",
            "length",
            "columnDefinition",
            "enumType",
            "options",
        ],
        "DiscriminatorMap" => &["value"],
        "ChangeTrackingPolicy" => &["value"],
        "OrderBy" => &["value"],
        "Cache" => &["usage", "region"],
        "EntityListeners" => &["value"],
        "CustomIdGenerator" => &["class"],
        _ => return None,
    })
}

/// Mapping attributes that never change the schema; read for nothing.
const SCHEMA_NEUTRAL: &[&str] = &[
    "HasLifecycleCallbacks",
    "PrePersist",
    "PostPersist",
    "PreUpdate",
    "PostUpdate",
    "PreRemove",
    "PostRemove",
    "PostLoad",
    "PreFlush",
    "ChangeTrackingPolicy",
    "OrderBy",
    "Cache",
    "EntityListeners",
    "CustomIdGenerator",
    "Version",
    "SequenceGenerator",
    "NamedQueries",
    "NamedQuery",
    "NamedNativeQueries",
    "NamedNativeQuery",
    "SqlResultSetMappings",
    "SqlResultSetMapping",
];

/// True when `mapping` is a Doctrine attribute this reader knows (schema-relevant or not).
pub fn is_known(mapping: &str) -> bool {
    parameters(mapping).is_some() || SCHEMA_NEUTRAL.contains(&mapping)
}

impl<'a> Args<'a> {
    /// Name the arguments of `attr`, warning about names its attribute class does not have.
    pub fn of(attr: &'a Attribute, mapping: &str, warnings: &mut Vec<SourceError>) -> Args<'a> {
        let params = parameters(mapping).unwrap_or(&[]);
        let mut named = Vec::with_capacity(attr.args.len());
        for (i, (name, value)) in attr.args.iter().enumerate() {
            let name = match name {
                Some(n) if n == "value" => params.first().copied().unwrap_or("value"),
                Some(n) => n.as_str(),
                None => match params.get(i) {
                    Some(p) => p,
                    None => {
                        warnings.push(value.pos.error(format!(
                            "{mapping}: unexpected positional argument (ignored)"
                        )));
                        continue;
                    }
                },
            };
            if !params.contains(&name) {
                warnings.push(
                    value
                        .pos
                        .error(format!("{mapping}: unknown argument `{name}` (ignored)")),
                );
                continue;
            }
            named.push((name, value));
        }
        Args { named }
    }

    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.named.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
    }

    pub fn string(&self, name: &str) -> Result<Option<String>, SourceError> {
        self.get(name)
            .filter(|v| !is_null(v))
            .map(|v| v.string(name))
            .transpose()
    }

    pub fn boolean(&self, name: &str) -> Result<Option<bool>, SourceError> {
        self.get(name)
            .filter(|v| !is_null(v))
            .map(|v| v.boolean(name))
            .transpose()
    }

    pub fn integer(&self, name: &str) -> Result<Option<i64>, SourceError> {
        self.get(name)
            .filter(|v| !is_null(v))
            .map(|v| v.integer(name))
            .transpose()
    }
}

fn is_null(v: &Value) -> bool {
    matches!(v.kind, crate::value::ValueKind::Null)
}
