//! Safety (issue 10): data checks at plan time, blocking diagnostics, and `diff.skip`.

use crate::common::{Scratch, output_text};
use strata_schema::Dialect;

fn run(s: &Scratch, args: &[&str]) -> (i32, String) {
    let out = s.strata().args(args).output().expect("run strata");
    (out.status.code().unwrap_or(-1), output_text(&out))
}

fn with_url<'a>(s: &'a Scratch, url: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    let _ = s;
    let mut all = args.to_vec();
    all.push(url);
    all
}

fn apply_ok(s: &Scratch, src: &str) {
    let url = format!("-url={}", s.url);
    let src = format!("-src=file://{src}");
    let (code, text) = run(
        s,
        &with_url(
            s,
            &url,
            &["apply", "-auto-approve", "-allow-destructive", &src],
        ),
    );
    assert_eq!(code, 0, "{text}");
}

fn plan(s: &Scratch, src: &str) -> (i32, String) {
    let (code, text) = s.plan_exit(src);
    (code.unwrap_or(-1), text)
}

#[test]
fn dropped_columns_show_what_they_hold_on_every_dialect() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::Mysql] {
        let s = Scratch::new(dialect, "drop_counts");
        s.write("a.sql", "CREATE TABLE t (id integer PRIMARY KEY, note varchar(20)); CREATE TABLE gone (id integer PRIMARY KEY);");
        apply_ok(&s, "a.sql");
        s.exec(
            "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL); INSERT INTO gone VALUES (1), (2);",
        );
        s.write("b.sql", "CREATE TABLE t (id integer PRIMARY KEY);");
        let (code, text) = plan(&s, "b.sql");
        assert_eq!(code, 2, "{dialect}: {text}");
        assert!(
            text.contains("note holds 2 non-null value(s) in 3 row(s)"),
            "{dialect}: {text}"
        );
        assert!(
            text.contains("the table holds 2 row(s)"),
            "{dialect}: {text}"
        );
        let url = format!("-url={}", s.url);
        let (code, text) = run(
            &s,
            &with_url(&s, &url, &["apply", "-auto-approve", "-src=file://b.sql"]),
        );
        assert_eq!(
            code, 6,
            "{dialect}: -auto-approve refuses to destroy data: {text}"
        );
        assert!(
            text.contains("-allow-destructive"),
            "{dialect}: says how to allow it: {text}"
        );
        assert_eq!(
            s.query_i64("SELECT count(note) FROM t"),
            2,
            "{dialect}: nothing applied"
        );
        apply_ok(&s, "b.sql");
        assert_eq!(
            s.query_i64("SELECT count(*) FROM t"),
            3,
            "{dialect}: the rows of t stay"
        );
    }
}

#[test]
fn rules_the_data_breaks_block_the_plan_before_anything_runs() {
    for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
        let s = Scratch::new(dialect, "blocking");
        s.write("a.sql", "CREATE TABLE t (id integer PRIMARY KEY, email varchar(50), code varchar(20), n integer);");
        apply_ok(&s, "a.sql");
        s.exec("INSERT INTO t VALUES (1, 'x@y', 'abcdefghijkl', 1), (2, 'x@y', 'ab', NULL), (3, NULL, 'abcdefghijklmnop', 2);");
        s.write(
            "b.sql",
            "CREATE TABLE t (id integer PRIMARY KEY, email varchar(50), code varchar(10), n integer NOT NULL);\nCREATE UNIQUE INDEX t_email_key ON t (email);",
        );
        let (code, text) = plan(&s, "b.sql");
        assert_eq!(code, 2, "{dialect}: {text}");
        assert!(
            text.contains("This plan cannot succeed on the current data"),
            "{dialect}: {text}"
        );
        assert!(
            text.contains("1 row(s) hold NULL in n"),
            "{dialect}: {text}"
        );
        assert!(
            text.contains("1 value(s) appear more than once"),
            "{dialect}: {text}"
        );
        if dialect != Dialect::Sqlite {
            assert!(
                text.contains("2 row(s) hold values longer than 10 characters in code"),
                "{dialect}: {text}"
            );
        }
        let url = format!("-url={}", s.url);
        let (code, text) = run(
            &s,
            &with_url(
                &s,
                &url,
                &[
                    "apply",
                    "-auto-approve",
                    "-allow-destructive",
                    "-src=file://b.sql",
                ],
            ),
        );
        assert_eq!(code, 6, "{dialect}: blocked-by-policy exit code: {text}");
        assert!(text.contains("nothing was applied"), "{dialect}: {text}");
        assert_eq!(
            s.query_i64("SELECT count(*) FROM t"),
            3,
            "{dialect}: untouched"
        );
    }
}

const BASE: &str = "CREATE TYPE mood AS ENUM ('ok');
CREATE TABLE c (id integer PRIMARY KEY);
CREATE TABLE a (id integer PRIMARY KEY, x integer, y integer CONSTRAINT a_y_check CHECK (y > 0), d integer);
CREATE INDEX a_x ON a (x);
CREATE TABLE b (id integer PRIMARY KEY, a_id integer CONSTRAINT b_a_fk REFERENCES a (id), c_id integer);
";

/// Plan `BASE` → `to` on PostgreSQL with and without `diff { skip { KEY = true } }` (and
/// `extra` env content): the step `marker` is in the first plan and not in the second, and the
/// unrelated change of another kind is in both. An empty marker means the key has nothing to remove
/// (Strata never drops schemas): both plans are then the same.
fn skip_removes(key: &str, to: &str, marker: &str, extra: &str) {
    let s = Scratch::new(Dialect::Postgres, &format!("skip_{key}"));
    let config = |src: &str, skip: &str| {
        format!(
            "env \"local\" {{\n  url = \"{}\"\n  src = \"file://{src}\"\n{extra}\n{skip}\n}}\n",
            s.url
        )
    };
    s.write("base.sql", BASE);
    s.write("strata.hcl", &config("base.sql", ""));
    let (code, text) = run(&s, &["apply", "-auto-approve"]);
    assert_eq!(code, 0, "{text}");
    // An unrelated change of another kind, which must survive the skip.
    let (other, other_marker) = if key == "add_table" {
        (
            "ALTER TABLE c ADD COLUMN z integer;",
            format!("+ column.{}.c.z", s.name),
        )
    } else {
        (
            "CREATE TABLE other (id integer PRIMARY KEY);",
            format!("+ table.{}.other", s.name),
        )
    };
    s.write("to.sql", &format!("{to}\n{other}"));
    s.write("strata.hcl", &config("to.sql", ""));
    let (_, without) = run(&s, &["plan"]);
    s.write(
        "strata.hcl",
        &config(
            "to.sql",
            &format!("  diff {{\n    skip {{\n      {key} = true\n    }}\n  }}"),
        ),
    );
    let (code, with) = run(&s, &["plan"]);
    assert_eq!(code, 0, "{key}: {with}");
    assert!(
        with.contains(&other_marker),
        "{key}: other changes stay:\n{with}"
    );
    if marker.is_empty() {
        assert_eq!(without, with, "{key}: nothing to skip, nothing changes");
        return;
    }
    let marker = marker.replace("S.", &format!("{}.", s.name));
    assert!(
        without.contains(&marker),
        "{key}: the plan should hold {marker}:\n{without}"
    );
    assert!(
        !with.contains(&marker),
        "{key}: skipped, yet planned:\n{with}"
    );
}

fn base_with(edit: impl Fn(&str) -> String) -> String {
    edit(BASE)
}

macro_rules! skip_tests {
    ($($name:ident: $key:literal, $to:expr, $marker:literal, $extra:literal;)*) => {
        $(
            #[test]
            fn $name() {
                skip_removes($key, &$to, $marker, $extra);
            }
        )*
    };
}

skip_tests! {
    skip_add_schema: "add_schema", format!("{BASE}CREATE TABLE elsewhere.t (id integer PRIMARY KEY);"), "+ schema.elsewhere", "";
    skip_drop_schema: "drop_schema", base_with(str::to_string), "", "";
    skip_add_table: "add_table", format!("{BASE}CREATE TABLE n (id integer PRIMARY KEY);"), "+ table.S.n", "";
    skip_drop_table: "drop_table", base_with(|b| b.replace("CREATE TABLE b (id integer PRIMARY KEY, a_id integer CONSTRAINT b_a_fk REFERENCES a (id), c_id integer);", "")), "- table.S.b", "";
    skip_modify_table: "modify_table", format!("{BASE}COMMENT ON TABLE a IS 'alpha';"), "~ table.S.a", "";
    skip_add_column: "add_column", base_with(|b| b.replace(", d integer)", ", d integer, w integer)")), "+ column.S.a.w", "";
    skip_drop_column: "drop_column", base_with(|b| b.replace(", d integer)", ")")), "- column.S.a.d", "";
    skip_modify_column: "modify_column", base_with(|b| b.replace("(id integer PRIMARY KEY, x integer,", "(id integer PRIMARY KEY, x bigint,")), "~ column.S.a.x", "";
    skip_rename_column: "rename_column", base_with(|b| b.replace(", d integer)", ", d2 integer)")), "~ column.S.a.d2", "  rename {\n    column = \"a.d2\"\n    from = \"d\"\n  }";
    skip_add_index: "add_index", format!("{BASE}CREATE INDEX a_y ON a (y);"), "+ index.S.a.a_y", "";
    skip_drop_index: "drop_index", base_with(|b| b.replace("CREATE INDEX a_x ON a (x);", "")), "- index.S.a.a_x", "";
    skip_add_foreign_key: "add_foreign_key", base_with(|b| b.replace("c_id integer)", "c_id integer CONSTRAINT b_c_fk REFERENCES c (id))")), "+ fk.S.b.b_c_fk", "";
    skip_drop_foreign_key: "drop_foreign_key", base_with(|b| b.replace(" CONSTRAINT b_a_fk REFERENCES a (id)", "")), "- fk.S.b.b_a_fk", "";
    skip_add_check: "add_check", base_with(|b| b.replace("x integer,", "x integer CONSTRAINT a_x_check CHECK (x <> 0),")), "+ check.S.a.a_x_check", "";
    skip_drop_check: "drop_check", base_with(|b| b.replace(" CONSTRAINT a_y_check CHECK (y > 0)", "")), "- check.S.a.a_y_check", "";
    skip_add_type: "add_type", format!("{BASE}CREATE TYPE mood2 AS ENUM ('x');"), "+ enum.S.mood2", "";
    skip_drop_type: "drop_type", base_with(|b| b.replace("CREATE TYPE mood AS ENUM ('ok');", "")), "- enum.S.mood", "";
    skip_modify_type: "modify_type", base_with(|b| b.replace("ENUM ('ok')", "ENUM ('ok', 'meh')")), "~ enum.S.mood", "";
}

#[test]
fn target_and_exclude_make_partial_plans_with_their_dependencies() {
    let s = Scratch::new(Dialect::Postgres, "target");
    s.write("a.sql", "CREATE TABLE posts (id integer PRIMARY KEY, title text); CREATE TABLE tags (id integer PRIMARY KEY);");
    apply_ok(&s, "a.sql");
    s.write(
        "b.sql",
        "CREATE TABLE authors (id integer PRIMARY KEY);
         CREATE TABLE posts (id integer PRIMARY KEY, title text, author_id integer REFERENCES authors (id));
         CREATE TABLE tags (id integer PRIMARY KEY, label text);
         CREATE TABLE extra (id integer PRIMARY KEY);",
    );
    let url = format!("-url={}", s.url);
    let name = &s.name;
    let (code, text) = run(
        &s,
        &[
            "plan",
            &url,
            "-src=file://b.sql",
            &format!("-target=table.{name}.posts"),
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("partial plan"), "{text}");
    assert!(
        text.contains(&format!("+ column.{name}.posts.author_id")),
        "{text}"
    );
    assert!(
        text.contains(&format!("+ table.{name}.authors")),
        "the dependency comes along: {text}"
    );
    assert!(
        !text.contains(&format!(".{name}.tags")) && !text.contains(&format!("table.{name}.extra")),
        "{text}"
    );

    let (code, text) = run(
        &s,
        &[
            "plan",
            &url,
            "-src=file://b.sql",
            &format!("-exclude=table.{name}.authors"),
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains(&format!("table.{name}.authors")), "{text}");
    assert!(
        !text.contains(&format!("fk.{name}.posts")),
        "what needs the excluded table goes too: {text}"
    );
    assert!(
        text.contains(&format!("+ column.{name}.tags.label"))
            && text.contains(&format!("+ table.{name}.extra")),
        "{text}"
    );
}
