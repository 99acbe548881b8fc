//! Django model fields → the column type each backend creates (`data_types` of the
//! PostgreSQL, MySQL and SQLite backends of Django 5.2), plus the CHECKs some fields carry.

use strata_schema::Dialect;
use strata_sqlalchemy::python::ast::Expr;

/// FieldKind is what a field declaration becomes in the database.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// A column of this Django field class.
    Column,
    /// `ForeignKey` / `OneToOneField` (`unique` for the latter): an `<name>_id` column.
    Relation { one_to_one: bool },
    /// `ManyToManyField`: a join table, no column.
    ManyToMany,
}

/// Field classes that are relations.
pub fn kind_of(class: &str) -> Option<FieldKind> {
    Some(match class {
        "ForeignKey" => FieldKind::Relation { one_to_one: false },
        "OneToOneField" => FieldKind::Relation { one_to_one: true },
        "ManyToManyField" => FieldKind::ManyToMany,
        c if column_type(c, &Args::SAMPLE, Dialect::Sqlite).is_ok() => FieldKind::Column,
        _ => return None,
    })
}

/// Args are the options of a field that decide its type.
#[derive(Debug, Default, Clone)]
pub struct Args {
    pub max_length: Option<i64>,
    pub max_digits: Option<i64>,
    pub decimal_places: Option<i64>,
}

impl Args {
    /// Args with every size given, to ask whether a class is a known field at all.
    const SAMPLE: Args = Args {
        max_length: Some(1),
        max_digits: Some(1),
        decimal_places: Some(0),
    };

    pub fn of(call: &Expr) -> Args {
        let int = |k: &str| call.kwarg(k).and_then(Expr::as_int);
        Args {
            max_length: int("max_length"),
            max_digits: int("max_digits"),
            decimal_places: int("decimal_places"),
        }
    }
}

/// True for the auto fields (implicit or explicit primary keys numbered by the database).
pub fn is_auto(class: &str) -> bool {
    matches!(class, "AutoField" | "BigAutoField" | "SmallAutoField")
}

/// The type a foreign key pointing at a field of class `class` gets (`rel_db_type`): auto
/// fields are referenced by their plain integer type.
pub fn related_type(class: &str, args: &Args, dialect: Dialect) -> Result<String, String> {
    match class {
        "AutoField" => column_type("IntegerField", args, dialect),
        "BigAutoField" => column_type("BigIntegerField", args, dialect),
        "SmallAutoField" => column_type("SmallIntegerField", args, dialect),
        "PositiveIntegerField" | "PositiveBigIntegerField" | "PositiveSmallIntegerField" => {
            column_type(class, args, dialect)
        }
        other => column_type(other, args, dialect),
    }
}

/// The column type Django's backend creates for a field class.
pub fn column_type(class: &str, args: &Args, dialect: Dialect) -> Result<String, String> {
    use Dialect::*;
    let length = |default: i64| args.max_length.unwrap_or(default);
    Ok(match (class, dialect) {
        ("AutoField" | "IntegerField", _) => "integer".into(),
        ("BigAutoField", Sqlite) => "integer".into(),
        ("BigAutoField" | "BigIntegerField", _) => "bigint".into(),
        ("SmallAutoField", Sqlite) => "integer".into(),
        ("SmallAutoField" | "SmallIntegerField", _) => "smallint".into(),
        ("PositiveIntegerField", Postgres) => "integer".into(),
        ("PositiveIntegerField", Mysql) => "integer UNSIGNED".into(),
        ("PositiveIntegerField", Sqlite) => "integer unsigned".into(),
        ("PositiveBigIntegerField", Postgres) => "bigint".into(),
        ("PositiveBigIntegerField", Mysql) => "bigint UNSIGNED".into(),
        ("PositiveBigIntegerField", Sqlite) => "bigint unsigned".into(),
        ("PositiveSmallIntegerField", Postgres) => "smallint".into(),
        ("PositiveSmallIntegerField", Mysql) => "smallint UNSIGNED".into(),
        ("PositiveSmallIntegerField", Sqlite) => "smallint unsigned".into(),
        ("CharField", _) => format!(
            "varchar({})",
            args.max_length.ok_or("CharField needs max_length")?
        ),
        ("SlugField", _) => format!("varchar({})", length(50)),
        ("EmailField", _) => format!("varchar({})", length(254)),
        ("URLField", _) => format!("varchar({})", length(200)),
        ("FileField" | "ImageField" | "FilePathField", _) => format!("varchar({})", length(100)),
        ("TextField", Mysql) => "longtext".into(),
        ("TextField", _) => "text".into(),
        ("BooleanField", Postgres) => "boolean".into(),
        ("BooleanField", _) => "bool".into(),
        ("DateTimeField", Postgres) => "timestamp with time zone".into(),
        ("DateTimeField", Mysql) => "datetime(6)".into(),
        ("DateTimeField", Sqlite) => "datetime".into(),
        ("DateField", _) => "date".into(),
        ("TimeField", Mysql) => "time(6)".into(),
        ("TimeField", _) => "time".into(),
        ("DurationField", Postgres) => "interval".into(),
        ("DurationField", _) => "bigint".into(),
        ("FloatField", Sqlite) => "real".into(),
        ("FloatField", _) => "double precision".into(),
        ("DecimalField", Sqlite) => "decimal".into(),
        ("DecimalField", _) => format!(
            "numeric({}, {})",
            args.max_digits.ok_or("DecimalField needs max_digits")?,
            args.decimal_places
                .ok_or("DecimalField needs decimal_places")?
        ),
        ("JSONField", Postgres) => "jsonb".into(),
        ("JSONField", Mysql) => "json".into(),
        ("JSONField", Sqlite) => "text".into(),
        ("UUIDField", Postgres | Mysql) => "uuid".into(),
        ("UUIDField", Sqlite) => "char(32)".into(),
        ("BinaryField", Postgres) => "bytea".into(),
        ("BinaryField", Mysql) => "longblob".into(),
        ("BinaryField", Sqlite) => "BLOB".into(),
        ("GenericIPAddressField", Postgres) => "inet".into(),
        ("GenericIPAddressField", _) => "char(39)".into(),
        (other, _) => return Err(format!("unknown Django field `{other}`")),
    })
}

/// The CHECK a field class adds to its column (`db_check`), with `q` the quoted column.
pub fn column_check(class: &str, q: &str, dialect: Dialect) -> Option<String> {
    match class {
        "PositiveIntegerField" | "PositiveBigIntegerField" | "PositiveSmallIntegerField" => {
            Some(format!("{q} >= 0"))
        }
        "JSONField" if dialect == Dialect::Sqlite => {
            Some(format!("(JSON_VALID({q}) OR {q} IS NULL)"))
        }
        _ => None,
    }
}

/// The PostgreSQL operator class of the `_like` index for a varchar / text column.
pub fn like_opclass(type_sql: &str) -> Option<&'static str> {
    if type_sql.starts_with("varchar") {
        Some("varchar_pattern_ops")
    } else if type_sql == "text" {
        Some("text_pattern_ops")
    } else {
        None
    }
}
