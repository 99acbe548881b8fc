use super::{load, table};
use strata_schema::{
    Check, Dialect::Mysql, Generated, Identity, IndexKey, LobSize, ReferentialAction, Type,
};

/// What GORM's AutoMigrate sends to MySQL for a model with gorm.Model and a unique email.
#[test]
fn gorm_migration() {
    let db = load(
        Mysql,
        "app",
        "CREATE TABLE `users` (`id` bigint unsigned AUTO_INCREMENT,`created_at` datetime(3) NULL,`deleted_at` datetime(3) NULL,\
`name` longtext,`email` varchar(191),`age` tinyint unsigned,`active` boolean DEFAULT true,\
PRIMARY KEY (`id`),INDEX `idx_users_deleted_at` (`deleted_at`),CONSTRAINT `uni_users_email` UNIQUE (`email`))",
    );
    let users = table(&db, "app", "users");
    let id = users.column("id").unwrap();
    assert_eq!(
        (id.ty.clone(), id.identity.clone(), id.nullable),
        (
            Type::Integer {
                bytes: 8,
                unsigned: true
            },
            Some(Identity::AutoIncrement),
            false
        )
    );
    assert_eq!(
        users.column("created_at").unwrap().ty,
        Type::DateTime { precision: Some(3) }
    );
    assert_eq!(
        users.column("name").unwrap().ty,
        Type::Text {
            size: LobSize::Long
        }
    );
    assert_eq!(
        users.column("age").unwrap().ty,
        Type::Integer {
            bytes: 1,
            unsigned: true
        }
    );
    assert_eq!(users.column("active").unwrap().ty, Type::Boolean);
    assert_eq!(
        users.column("active").unwrap().default.as_deref(),
        Some("true")
    );
    let [deleted, email] = users.indexes.as_slice() else {
        panic!("{:#?}", users.indexes)
    };
    assert_eq!(
        (deleted.name.as_str(), deleted.unique),
        ("idx_users_deleted_at", false)
    );
    assert_eq!(
        (email.name.as_str(), email.unique, email.constraint),
        ("uni_users_email", true, true)
    );
}

#[test]
fn mysql_columns_keys_and_options() {
    let db = load(
        Mysql,
        "app",
        r#"SET NAMES utf8mb4;
SET FOREIGN_KEY_CHECKS = 0;
CREATE TABLE orgs (id int(11) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE `people` (
  `id` int NOT NULL AUTO_INCREMENT,
  `org_id` int(11) unsigned DEFAULT NULL,
  `email` varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL COMMENT 'login',
  `kind` enum('staff','guest') NOT NULL DEFAULT 'guest',
  `flag` tinyint(1) NOT NULL DEFAULT 0,
  `bio` text,
  `first` varchar(50),
  `last` varchar(50),
  `full` varchar(101) AS (concat(`first`, ' ', `last`)) VIRTUAL,
  `score` decimal(8,2) unsigned,
  `ratio` double,
  `age` int CHECK (`age` >= 0),
  PRIMARY KEY (`id`),
  UNIQUE KEY `people_email` (`email`(100)),
  KEY `people_name` (`last` DESC, `first`),
  FULLTEXT KEY `people_bio` (`bio`),
  CONSTRAINT `people_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE SET NULL ON UPDATE CASCADE,
  CHECK (`score` < 1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='everyone';
CREATE INDEX people_kind ON people (kind) USING BTREE COMMENT 'by kind';
ALTER TABLE people ADD COLUMN nick varchar(20) AFTER email, ADD COLUMN rowver int FIRST;
ALTER TABLE people ADD UNIQUE KEY people_nick (nick);
USE other;
CREATE TABLE notes (id int PRIMARY KEY, person int, FOREIGN KEY (person) REFERENCES app.people (id));
"#,
    );
    let people = table(&db, "app", "people");
    let col = |n: &str| people.column(n).unwrap();
    assert_eq!(
        col("org_id").ty,
        Type::Integer {
            bytes: 4,
            unsigned: true
        }
    );
    assert_eq!(col("org_id").default.as_deref(), Some("NULL"));
    assert_eq!(
        (
            col("email").collation.as_deref(),
            col("email").comment.as_deref()
        ),
        (Some("utf8mb4_bin"), Some("login"))
    );
    assert_eq!(
        col("kind").ty,
        Type::Enum {
            values: vec!["staff".into(), "guest".into()]
        }
    );
    assert_eq!(col("flag").ty, Type::Boolean);
    assert_eq!(
        col("full").generated,
        Some(Generated {
            expr: "concat(`first`, ' ', `last`)".into(),
            stored: false
        })
    );
    assert_eq!(
        col("score").ty,
        Type::Decimal {
            precision: Some(8),
            scale: Some(2),
            unsigned: true
        }
    );
    assert_eq!(col("ratio").ty, Type::Float { bytes: 8 });
    let order: Vec<&str> = people.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(&order[..4], ["rowver", "id", "org_id", "email"]);
    assert_eq!(order[4], "nick");
    // MariaDB names an unnamed column-level check after its column.
    assert_eq!(
        people.checks,
        vec![
            Check {
                name: "age".into(),
                expr: "`age` >= 0".into()
            },
            Check {
                name: String::new(),
                expr: "`score` < 1000".into()
            }
        ]
    );
    let by_name = |n: &str| people.indexes.iter().find(|i| i.name == n).unwrap();
    assert_eq!(
        (
            by_name("people_email").parts[0].length,
            by_name("people_email").unique
        ),
        (Some(100), true)
    );
    assert_eq!(
        by_name("people_email").parts[0].key,
        IndexKey::Column("email".into())
    );
    assert!(by_name("people_name").parts[0].desc);
    assert_eq!(by_name("people_bio").method.as_deref(), Some("FULLTEXT"));
    assert_eq!(
        (
            by_name("people_kind").method.as_deref(),
            by_name("people_kind").comment.as_deref()
        ),
        (Some("BTREE"), Some("by kind"))
    );
    assert!(by_name("people_nick").unique);
    let fk = &people.foreign_keys[0];
    assert_eq!(
        (fk.name.as_str(), fk.on_delete, fk.on_update),
        (
            "people_org",
            ReferentialAction::SetNull,
            ReferentialAction::Cascade
        )
    );
    assert_eq!(people.options["engine"], "InnoDB");
    assert_eq!(people.options["charset"], "utf8mb4");
    assert_eq!(people.options["collation"], "utf8mb4_unicode_ci");
    assert_eq!(people.comment.as_deref(), Some("everyone"));
    assert_eq!(table(&db, "app", "orgs").options["engine"], "InnoDB");
    let notes = table(&db, "other", "notes");
    assert_eq!(notes.foreign_keys[0].ref_schema.as_deref(), Some("app"));
}

#[test]
fn on_update_is_read_from_columns_and_added_columns() {
    let db = load(
        Mysql,
        "app",
        "CREATE TABLE posts (
  id int PRIMARY KEY,
  updated_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
ALTER TABLE posts ADD COLUMN touched timestamp NULL ON UPDATE now();",
    );
    let posts = table(&db, "app", "posts");
    let on_update = |n: &str| posts.column(n).unwrap().on_update.as_deref();
    assert_eq!(on_update("updated_at"), Some("CURRENT_TIMESTAMP(6)"));
    assert_eq!(on_update("created_at"), None);
    assert_eq!(on_update("touched"), Some("now()"));
}

/// Every spelling reaches the model type of MariaDB's COLUMN_TYPE for it.
#[test]
fn type_spellings_match_the_catalog() {
    let cases = [
        ("INT", "int(11)"),
        ("INTEGER UNSIGNED", "int(10) unsigned"),
        ("BOOL", "tinyint(1)"),
        ("BOOLEAN", "tinyint(1)"),
        ("TINYINT", "tinyint(4)"),
        ("MEDIUMINT", "mediumint(9)"),
        ("BIGINT(20) UNSIGNED", "bigint(20) unsigned"),
        ("DOUBLE", "double"),
        ("DOUBLE PRECISION", "double"),
        ("REAL", "double"),
        ("FLOAT", "float"),
        ("DECIMAL", "decimal(10,0)"),
        ("NUMERIC(8,2)", "decimal(8,2)"),
        ("CHAR(36)", "char(36)"),
        ("BINARY(16)", "binary(16)"),
        ("VARBINARY(255)", "varbinary(255)"),
        ("DATETIME(6)", "datetime(6)"),
        ("TIMESTAMP", "timestamp"),
        ("MEDIUMBLOB", "mediumblob"),
        ("TINYTEXT", "tinytext"),
        ("SET('a','b')", "set('a','b')"),
        ("ENUM('it''s','x')", "enum('it''s','x')"),
        ("BIT(1)", "bit(1)"),
        ("UUID", "uuid"),
    ];
    for (written, catalog) in cases {
        let db = load(Mysql, "app", &format!("CREATE TABLE t (c {written});"));
        let ty = &table(&db, "app", "t").columns[0].ty;
        assert_eq!(ty, &Type::parse(Mysql, catalog), "{written}");
    }
}
