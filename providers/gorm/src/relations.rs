//! GORM's relationships (`schema/relationship.go`): belongs-to / has-one / has-many guessed
//! from field names and `foreignKey` / `references` tags, many2many join tables, and the
//! foreign-key constraints `ParseConstraint` derives from them — on the right table, with
//! `fk_<owner table>_<relation>` names, `constraint:` actions and the belongs-to dedup rule.

use crate::go_types::Kind;
use crate::inflection;
use crate::naming;
use crate::schema::{Model, Models, RelationField};
use crate::tag::Settings;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use strata_schema::{ForeignKey, ReferentialAction, SourceError};

/// A field of a model, by struct name and field position.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldRef {
    model: String,
    index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Guess,
    Belongs,
    Has,
}

/// A resolved belongs-to or has relation.
struct Resolved {
    has: bool,
    /// (primary key, foreign key) pairs.
    refs: Vec<(FieldRef, FieldRef)>,
}

/// Foreign keys per table name, and the join tables as models.
#[derive(Default)]
pub struct Relations {
    pub foreign_keys: Vec<(String, ForeignKey)>,
    pub join_tables: Vec<Model>,
    /// (table, constraint name) of `foreign_keys` and the join tables' names, so that both
    /// sides of a many2many add them once without rescanning the lists.
    seen_keys: HashSet<(String, String)>,
    seen_joins: HashSet<String>,
}

fn columns(list: Option<&str>) -> Vec<String> {
    list.map(|l| {
        l.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// Resolve every relation field of every model.
pub fn resolve(models: &mut Models) -> Result<Relations, SourceError> {
    let mut out = Relations::default();
    let mut names: Vec<String> = models.keys().cloned().collect();
    names.sort();
    // First pass: guess belongs-to / has relations (and copy key types onto foreign keys),
    // remembering them for the dedup rule.
    let mut resolved: Vec<(String, RelationField, Option<Resolved>)> = Vec::new();
    for name in &names {
        for rel in models[name].relations.clone() {
            if !models.contains_key(&rel.target) {
                continue;
            }
            let r = if rel.settings.set("POLYMORPHIC") || rel.settings.set("MANY2MANY") {
                None
            } else {
                let start = if rel.many { Level::Has } else { Level::Guess };
                Some(guess(models, name, &rel, start).ok_or_else(|| SourceError {
                    location: rel.at.clone(),
                    message: format!(
                        "GORM finds no foreign key for relation {}.{} to {}",
                        name, rel.name, rel.target
                    ),
                    help: Some(format!(
                        "declare `{}ID` on one side, or name it with a `foreignKey:` tag",
                        if rel.many { name } else { rel.name.as_str() }
                    )),
                })?)
            };
            if let Some(r) = &r {
                copy_key_types(models, &r.refs);
            }
            resolved.push((name.clone(), rel, r));
        }
    }
    // Relations by (owner, target), for the dedup rule's look-up of the way back.
    let mut by_pair: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for (i, (owner, rel, _)) in resolved.iter().enumerate() {
        by_pair
            .entry((owner.as_str(), rel.target.as_str()))
            .or_default()
            .push(i);
    }
    for (name, rel, r) in &resolved {
        if rel.settings.set("POLYMORPHIC") {
            polymorphic_types(models, name, rel);
            continue;
        }
        if let Some(join_tag) = rel.settings.get("MANY2MANY").filter(|t| !t.is_empty()) {
            many2many(models, name, rel, join_tag, &mut out)?;
            continue;
        }
        let Some(r) = r else { continue };
        let back = by_pair
            .get(&(rel.target.as_str(), name.as_str()))
            .map_or(&[][..], Vec::as_slice);
        if !r.has && deduplicated(back.iter().map(|&i| &resolved[i]), name, rel, r) {
            continue;
        }
        let Some(mut fk) = constraint(models, name, rel, &naming::to_db_name(&rel.name))? else {
            continue;
        };
        let foreign_model = &r.refs[0].1.model;
        let primary_model = &r.refs[0].0.model;
        fk.columns = r
            .refs
            .iter()
            .map(|(_, f)| models[&f.model].fields[f.index].db_name.clone())
            .collect();
        fk.ref_columns = r
            .refs
            .iter()
            .map(|(p, _)| models[&p.model].fields[p.index].db_name.clone())
            .collect();
        fk.ref_table = models[primary_model].table.clone();
        out.foreign_keys
            .push((models[foreign_model].table.clone(), fk));
    }
    Ok(out)
}

/// `guessRelation`, following GORM's order of guesses (has before belongs-to, except for a
/// struct that refers to itself); the embedded variants never apply to package structs.
fn guess(models: &Models, owner: &str, rel: &RelationField, level: Level) -> Option<Resolved> {
    let next = |models: &Models| match level {
        Level::Guess => guess(models, owner, rel, Level::Belongs),
        Level::Belongs => guess(models, owner, rel, Level::Has),
        Level::Has => None,
    };
    let gl = match level {
        Level::Guess if owner == rel.target => Level::Belongs,
        Level::Guess => Level::Has,
        l => l,
    };
    let (primary, foreign) = if gl == Level::Belongs {
        (rel.target.as_str(), owner)
    } else {
        (owner, rel.target.as_str())
    };
    let (pm, fm) = (&models[primary], &models[foreign]);
    let foreign_keys = columns(rel.settings.get("FOREIGNKEY"));
    let references = columns(rel.settings.get("REFERENCES"));
    let mut foreign_fields = Vec::new();
    if !foreign_keys.is_empty() {
        for key in &foreign_keys {
            let ff = fm.look_up(key);
            let pf = pm.look_up(key);
            let same = references.contains(key);
            if ff.is_none()
                || (pf.is_some() && owner == primary && primary != foreign && !same && !rel.many)
            {
                return next(models);
            }
            foreign_fields.extend(ff);
        }
    } else {
        let candidates: Vec<usize> = if references.is_empty() {
            pm.primary_fields()
        } else {
            references.iter().filter_map(|r| pm.look_up(r)).collect()
        };
        for &p in &candidates {
            let pname = &pm.fields[p].name;
            let look = if gl == Level::Belongs {
                format!("{}{pname}", rel.name)
            } else {
                format!("{}{pname}", pm.name)
            };
            let mut names = vec![look.clone()];
            if candidates.len() == 1 {
                let stem = look.strip_suffix(pname.as_str()).unwrap_or(&look);
                names.push(format!("{stem}ID"));
                names.push(format!("{stem}Id"));
                names.push(naming::to_db_name(&format!("{stem}ID")));
            }
            if let Some(f) = names.iter().find_map(|n| fm.look_up(n)) {
                foreign_fields.push(f);
            }
        }
    }
    if foreign_fields.is_empty() {
        return next(models);
    }
    let primary_fields: Vec<usize> = if !references.is_empty() {
        let found: Vec<usize> = references.iter().filter_map(|r| pm.look_up(r)).collect();
        if found.len() != references.len() {
            return next(models);
        }
        found
    } else if foreign_fields.len() == 1 && pm.prioritized_primary().is_some() {
        pm.prioritized_primary().into_iter().collect()
    } else if pm.primary_fields().len() == foreign_fields.len() {
        pm.primary_fields()
    } else {
        return next(models);
    };
    if primary_fields.len() < foreign_fields.len() {
        return next(models);
    }
    Some(Resolved {
        has: gl == Level::Has,
        refs: foreign_fields
            .iter()
            .zip(&primary_fields)
            .map(|(&f, &p)| {
                (
                    FieldRef {
                        model: primary.to_string(),
                        index: p,
                    },
                    FieldRef {
                        model: foreign.to_string(),
                        index: f,
                    },
                )
            })
            .collect(),
    })
}

/// "Use same data type for foreign keys": a foreign key takes its primary key's data type
/// (unless that spells out auto-increment or a key) and, when it has none, its size.
fn copy_key_types(models: &mut Models, refs: &[(FieldRef, FieldRef)]) {
    for (p, f) in refs {
        let primary = models[&p.model].fields[p.index].clone();
        let Some(m) = models.get_mut(&f.model) else {
            continue;
        };
        let foreign = &mut m.fields[f.index];
        if copyable(&primary.kind) {
            foreign.kind = primary.kind.clone();
        }
        foreign.go_kind = primary.go_kind.clone();
        if foreign.size == 0 {
            foreign.size = primary.size;
        }
    }
}

fn copyable(kind: &Kind) -> bool {
    match kind {
        Kind::Custom(t) => {
            let t = t.to_lowercase();
            !t.contains("auto_increment") && !t.contains("primary key")
        }
        _ => true,
    }
}

/// A polymorphic relation creates no constraint; its `<Name>ID` column takes the owner's key
/// type.
fn polymorphic_types(models: &mut Models, owner: &str, rel: &RelationField) {
    let poly = rel.settings.get("POLYMORPHIC").unwrap_or("");
    let Some(p) = models[owner].prioritized_primary() else {
        return;
    };
    let id_name = format!("{poly}ID");
    if let Some(f) = models[&rel.target]
        .fields
        .iter()
        .position(|f| f.name == id_name)
    {
        copy_key_types(
            models,
            &[(
                FieldRef {
                    model: owner.to_string(),
                    index: p,
                },
                FieldRef {
                    model: rel.target.clone(),
                    index: f,
                },
            )],
        );
    }
}

/// The dedup rule of `ParseConstraint`: a belongs-to is dropped when the referenced struct has
/// a relation back to this one with the same keys (its has-one / has-many constraint wins).
/// `back` holds the relations of `rel.target` to `owner`.
fn deduplicated<'r>(
    mut back: impl Iterator<Item = &'r (String, RelationField, Option<Resolved>)>,
    owner: &str,
    rel: &RelationField,
    r: &Resolved,
) -> bool {
    back.any(|(other_owner, other, other_r)| {
        !(other_owner == owner && other.name == rel.name)
            && other_r
                .as_ref()
                .is_some_and(|o| o.refs.len() == r.refs.len() && o.refs == r.refs)
    })
}

/// `ParseConstraint`'s name and actions from the `constraint:` tag; `None` for `constraint:-`.
fn constraint(
    models: &Models,
    owner: &str,
    rel: &RelationField,
    relation_name: &str,
) -> Result<Option<ForeignKey>, SourceError> {
    constraint_on(&models[owner].table, rel, relation_name)
}

fn constraint_on(
    table: &str,
    rel: &RelationField,
    relation_name: &str,
) -> Result<Option<ForeignKey>, SourceError> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let text = rel.settings.get("CONSTRAINT").unwrap_or("");
    if text == "-" {
        return Ok(None);
    }
    let settings = Settings::parse(text, ',');
    let name_re = NAME.get_or_init(|| Regex::new(r"^[\w-]+$").expect("valid regex"));
    let name = match text.find(',') {
        Some(i) if name_re.is_match(&text[..i]) => text[..i].to_string(),
        _ => naming::format_name("fk", table, relation_name),
    };
    let action = |key: &str| -> Result<ReferentialAction, SourceError> {
        let Some(v) = settings.get(key) else {
            return Ok(ReferentialAction::NoAction);
        };
        match v.trim().to_uppercase().as_str() {
            "CASCADE" => Ok(ReferentialAction::Cascade),
            "SET NULL" => Ok(ReferentialAction::SetNull),
            "SET DEFAULT" => Ok(ReferentialAction::SetDefault),
            "RESTRICT" => Ok(ReferentialAction::Restrict),
            "NO ACTION" | "" => Ok(ReferentialAction::NoAction),
            other => Err(SourceError {
                location: rel.at.clone(),
                message: format!("unknown referential action `{other}` in `constraint:`"),
                help: Some("use CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION".into()),
            }),
        }
    };
    Ok(Some(ForeignKey {
        name,
        columns: Vec::new(),
        ref_schema: None,
        ref_table: String::new(),
        ref_columns: Vec::new(),
        on_delete: action("ONDELETE")?,
        on_update: action("ONUPDATE")?,
        deferrable: Default::default(),
    }))
}

/// `buildMany2ManyRelation`: the join table with one key column per referenced key of each
/// side (named `<Model><Key>` unless `joinForeignKey` / `joinReferences` say otherwise), all of
/// them the composite primary key, and one constraint per side named after the join table.
fn many2many(
    models: &Models,
    owner: &str,
    rel: &RelationField,
    join_tag: &str,
    out: &mut Relations,
) -> Result<(), SourceError> {
    let table = naming::join_table_name(join_tag);
    let (om, tm) = (&models[owner], &models[&rel.target]);
    let pick = |m: &Model, keys: Vec<String>| -> Result<Vec<usize>, SourceError> {
        if keys.is_empty() {
            return Ok(m.primary_fields());
        }
        keys.iter()
            .map(|k| {
                m.look_up(k).ok_or_else(|| SourceError {
                    location: rel.at.clone(),
                    message: format!("invalid foreign key: {k}"),
                    help: None,
                })
            })
            .collect()
    };
    let own = pick(om, columns(rel.settings.get("FOREIGNKEY")))?;
    let refs = pick(tm, columns(rel.settings.get("REFERENCES")))?;
    let join_fks = columns(rel.settings.get("JOINFOREIGNKEY"));
    let join_refs = columns(rel.settings.get("JOINREFERENCES"));
    let mut join = Model {
        name: join_tag.to_string(),
        table: table.clone(),
        fields: Vec::new(),
        relations: Vec::new(),
    };
    let mut own_names = Vec::new();
    let mut key_field = |source: &Model, index: usize, go_name: String| {
        let mut f = source.fields[index].clone();
        f.db_name = naming::to_db_name(&go_name);
        f.name = go_name;
        f.primary_key = true;
        f.auto_increment = false;
        f.unique = false;
        f.tag = String::new();
        f.settings = Settings::default();
        join.fields.push(f);
    };
    for (i, &o) in own.iter().enumerate() {
        let go_name = join_fks
            .get(i)
            .map(|n| naming::title(n))
            .unwrap_or_else(|| naming::title(owner) + &om.fields[o].name);
        own_names.push(go_name.clone());
        key_field(om, o, go_name);
    }
    for (i, &r) in refs.iter().enumerate() {
        let mut go_name = join_refs
            .get(i)
            .map(|n| naming::title(n))
            .unwrap_or_else(|| tm.name.clone() + &tm.fields[r].name);
        if own_names.contains(&go_name) {
            go_name = if rel.name != tm.name {
                inflection::singular(&rel.name) + &tm.fields[r].name
            } else {
                go_name + "Reference"
            };
        }
        key_field(tm, r, go_name);
    }
    let own_columns: Vec<String> = join.fields[..own.len()]
        .iter()
        .map(|f| f.db_name.clone())
        .collect();
    let ref_columns: Vec<String> = join.fields[own.len()..]
        .iter()
        .map(|f| f.db_name.clone())
        .collect();
    let ref_name = if owner == rel.target {
        rel.name.clone()
    } else {
        rel.target.clone()
    };
    let sides = [
        (owner.to_string(), own_columns, &own, om),
        (ref_name, ref_columns, &refs, tm),
    ];
    for (side_name, cols, keys, model) in sides {
        if let Some(mut fk) = constraint_on(&table, rel, &naming::to_db_name(&side_name))? {
            fk.columns = cols;
            fk.ref_table = model.table.clone();
            fk.ref_columns = keys
                .iter()
                .map(|&k| model.fields[k].db_name.clone())
                .collect();
            if out.seen_keys.insert((table.clone(), fk.name.clone())) {
                out.foreign_keys.push((table.clone(), fk));
            }
        }
    }
    if out.seen_joins.insert(table) {
        out.join_tables.push(join);
    }
    Ok(())
}
