//! Column options read from small entity files written for the test.

use strata_schema::{Dialect, Loaded, Provider, SourceError};
use strata_typeorm::TypeOrm;

/// `entities` (one TypeScript file) loaded for `dialect`.
fn load(entities: &str, dialect: Dialect) -> Result<Loaded, SourceError> {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("entities.ts"), entities).expect("write");
    TypeOrm.load(dir.path(), dialect, "public")
}

const ENTITIES: &str =
    "import { Column, Entity, ManyToOne, PrimaryColumn, UpdateDateColumn } from \"typeorm\";
@Entity()
export class Post {
  @PrimaryColumn({ precision: 3, onUpdate: \"CURRENT_TIMESTAMP(3)\" })
  stamp!: Date;

  @Column({ default: () => \"CURRENT_TIMESTAMP\", onUpdate: \"CURRENT_TIMESTAMP\" })
  touchedAt!: Date;

  @UpdateDateColumn({ onUpdate: \"CURRENT_TIMESTAMP(6)\", precision: 6 })
  updatedAt!: Date;

  @UpdateDateColumn({ precision: 3 })
  savedAt!: Date;

  @Column()
  title!: string;
}
@Entity()
export class Comment {
  @PrimaryColumn()
  id!: number;

  @ManyToOne(() => Post)
  post!: Post;
}
";

/// The ON UPDATE of each column of `table`, by column name.
fn on_updates(loaded: &Loaded, table: &str) -> Vec<(String, Option<String>)> {
    let (_, t) = loaded
        .database
        .tables()
        .find(|(_, t)| t.name == table)
        .expect("table");
    t.columns
        .iter()
        .map(|c| (c.name.clone(), c.on_update.clone()))
        .collect()
}

#[test]
fn on_update_is_read_for_mysql_only() {
    let mysql = load(ENTITIES, Dialect::Mysql).expect("load");
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        on_updates(&mysql, "post"),
        [
            ("stamp".into(), some("CURRENT_TIMESTAMP(3)")),
            ("touchedAt".into(), some("CURRENT_TIMESTAMP")),
            ("updatedAt".into(), some("CURRENT_TIMESTAMP(6)")),
            ("savedAt".into(), some("CURRENT_TIMESTAMP(3)")),
            ("title".into(), None),
        ]
    );
    // A join column copies the referenced column's type, not its ON UPDATE.
    assert_eq!(
        on_updates(&mysql, "comment"),
        [("id".into(), None), ("postStamp".into(), None)]
    );
    assert!(mysql.warnings.is_empty(), "{:?}", mysql.warnings);
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let loaded = load(ENTITIES, dialect).expect("load");
        assert!(
            on_updates(&loaded, "post").iter().all(|(_, u)| u.is_none()),
            "{dialect}"
        );
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }
}

#[test]
fn on_update_must_be_a_string() {
    let text = ENTITIES.replace("onUpdate: \"CURRENT_TIMESTAMP\"", "onUpdate: now");
    let e = load(&text, Dialect::Mysql).expect_err("an error");
    assert_eq!((e.location.line, e.location.column), (7, 59), "{e}");
}
