//! Finding Sequelize models and associations in parsed files: `sequelize.define(name, attrs,
//! options)`, `class X extends Model` + `X.init(attrs, options)`, and the association calls
//! (`A.belongsTo(B, options)`, …) wherever they appear, such as inside `associate(models)`.

use crate::attribute::text;
use crate::decorated::{self, Decorated};
use crate::js::{Call, Declarations, Expr, Pos, Source, Value};
use std::path::{Path, PathBuf};
use strata_schema::SourceError;

/// ModelDef is one model as written: its name, the variable or class naming it in code, its
/// attributes and options objects.
#[derive(Debug, Clone)]
pub struct ModelDef {
    pub name: String,
    pub binding: Option<String>,
    pub attributes: Vec<(String, Expr)>,
    pub options: Option<Expr>,
    pub file: PathBuf,
}

/// AssociationKind is the four Sequelize association methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssociationKind {
    BelongsTo,
    HasOne,
    HasMany,
    BelongsToMany,
}

/// AssociationDef is one association call: `source.kind(target, options)`, with both models as
/// written in code (`Book`, `models.Publisher`).
#[derive(Debug, Clone)]
pub struct AssociationDef {
    pub kind: AssociationKind,
    pub source: Vec<String>,
    pub target: Expr,
    pub options: Option<Expr>,
    pub file: PathBuf,
    pub pos: Pos,
}

/// Found is what one or more files define.
#[derive(Debug, Default)]
pub struct Found {
    pub models: Vec<ModelDef>,
    pub associations: Vec<AssociationDef>,
    /// Options of `new Sequelize(…, { define: {…} })`: defaults for every model.
    pub define_defaults: Option<Expr>,
    /// The foreign keys and associations sequelize-typescript classes declare.
    decorated: Decorated,
    /// Decorators read but ignored.
    pub warnings: Vec<SourceError>,
}

/// A model error at `pos` in `file`.
pub fn located(file: &Path, pos: Pos, message: String) -> SourceError {
    SourceError {
        location: pos.at(file),
        message,
        help: None,
    }
}

/// An object literal's properties, or a located error naming what was found instead.
pub fn object<'e>(
    file: &Path,
    e: &'e Expr,
    what: &str,
) -> Result<&'e [(String, Expr)], SourceError> {
    match &e.value {
        Value::Object(props) => {
            if let Some((_, spread)) = props.iter().find(|(k, _)| k == "...") {
                return Err(located(
                    file,
                    spread.pos,
                    format!("{what}: a spread cannot be read statically"),
                ));
            }
            Ok(props)
        }
        _ => Err(located(
            file,
            e.pos,
            format!(
                "{what} must be an object literal to be read statically, found {}",
                e.describe()
            ),
        )),
    }
}

impl Found {
    /// Add the models and associations of one parsed file.
    pub fn add(&mut self, src: &Source, decls: &Declarations) -> Result<(), SourceError> {
        let file = &src.path;
        let model_classes: Vec<&str> = decls
            .classes
            .iter()
            .filter(|c| c.extends.as_ref().and_then(Expr::name) == Some("Model"))
            .map(|c| c.name.as_str())
            .collect();
        for class in decls.classes.iter().filter(|c| decorated::is_table(c)) {
            let model = self.decorated.model(file, class, &mut self.warnings)?;
            self.models.push(model);
        }
        for call in &decls.calls {
            let method = call.callee.last().map(String::as_str);
            match method {
                Some("define") if call.callee.len() >= 2 => self.define(file, call)?,
                Some("init")
                    if call.callee.len() == 2
                        && model_classes.contains(&call.callee[0].as_str()) =>
                {
                    self.init(file, call)?
                }
                Some("belongsTo") => self.associate(file, call, AssociationKind::BelongsTo)?,
                Some("hasOne") => self.associate(file, call, AssociationKind::HasOne)?,
                Some("hasMany") => self.associate(file, call, AssociationKind::HasMany)?,
                Some("belongsToMany") => {
                    self.associate(file, call, AssociationKind::BelongsToMany)?
                }
                Some("Sequelize") if call.callee.len() == 1 => self.connection(file, call),
                _ => {}
            }
        }
        Ok(())
    }

    /// Add the associations of the decorated classes, once every file is read (a class's
    /// association may rely on another's `@ForeignKey`). sequelize-typescript associates its
    /// models when they are added, before code runs that calls association methods.
    pub fn finish(&mut self) -> Result<(), SourceError> {
        let decorated = self.decorated.associations()?;
        self.associations.splice(0..0, decorated);
        Ok(())
    }

    /// `new Sequelize(…, options)`: its `define` options are every model's defaults. Options
    /// held in a variable (sequelize-cli's `new Sequelize(db, user, password, config)`) cannot
    /// be read: a warning says their `define` is not applied.
    fn connection(&mut self, file: &Path, call: &Call) {
        match call.args.last() {
            Some(
                o @ Expr {
                    value: Value::Object(_),
                    ..
                },
            ) => {
                if let Some(define) = o.get("define") {
                    self.define_defaults = Some(define.clone());
                }
            }
            // A lone argument that is not an object literal is the connection URL.
            Some(o) if call.args.len() > 1 => self.warnings.push(located(
                file,
                o.pos,
                format!(
                    "the options of new Sequelize(…) cannot be read statically ({}): \
                     their global define options, if any, are not applied",
                    o.describe()
                ),
            )),
            _ => {}
        }
    }

    fn define(&mut self, file: &Path, call: &Call) -> Result<(), SourceError> {
        let Some(name) = call.args.first() else {
            return Ok(());
        };
        let Some(model) = name.as_str() else {
            return Err(located(
                file,
                name.pos,
                format!(
                    "the model name must be a string literal to be read statically, found {}",
                    name.describe()
                ),
            ));
        };
        let attributes = match call.args.get(1) {
            Some(a) => object(file, a, "model attributes")?.to_vec(),
            None => Vec::new(),
        };
        self.models.push(ModelDef {
            name: model.to_string(),
            binding: call.bound_to.clone(),
            attributes,
            options: call.args.get(2).cloned(),
            file: file.to_path_buf(),
        });
        Ok(())
    }

    fn init(&mut self, file: &Path, call: &Call) -> Result<(), SourceError> {
        let class = call.callee[0].clone();
        let attributes = match call.args.first() {
            Some(a) => object(file, a, "model attributes")?.to_vec(),
            None => Vec::new(),
        };
        let options = call.args.get(1).cloned();
        let name = match options.as_ref().and_then(|o| o.get("modelName")) {
            Some(n) => text(file, n, "modelName")?,
            None => class.clone(),
        };
        self.models.push(ModelDef {
            name,
            binding: Some(class),
            attributes,
            options,
            file: file.to_path_buf(),
        });
        Ok(())
    }

    fn associate(
        &mut self,
        file: &Path,
        call: &Call,
        kind: AssociationKind,
    ) -> Result<(), SourceError> {
        let Some(target) = call.args.first() else {
            return Err(located(
                file,
                call.pos,
                "an association needs its target model".into(),
            ));
        };
        self.associations.push(AssociationDef {
            kind,
            source: call.callee[..call.callee.len() - 1].to_vec(),
            target: target.clone(),
            options: call.args.get(1).cloned(),
            file: file.to_path_buf(),
            pos: call.pos,
        });
        Ok(())
    }
}
