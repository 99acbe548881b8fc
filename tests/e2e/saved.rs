//! Saved plans (`plan -out`, `apply FILE`, `show`), machine output (`-json`) and
//! `-refresh-only`, through the real binary. SQLite where the dialect does not matter, one
//! PostgreSQL run for a server target.
//!
//! The JSON the binary prints is validated against the JSON Schemas in plan-format.md, read
//! from the document itself, with the small validator at the bottom of this file. The doc is
//! the contract, so the test must not share types with the code that writes the JSON: a field
//! the code adds without documenting it, or a documented field it stops writing, fails here.

use crate::common::{Scratch, output_text};
use serde_json::Value;
use std::process::Output;
use strata_schema::Dialect;

const USERS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\n";
const USERS_AND_TEAMS: &str = "CREATE TABLE users (id integer PRIMARY KEY, name text NOT NULL);\nCREATE TABLE teams (id integer PRIMARY KEY);\n";

/// A scratch whose `schema.sql` holds `schema`.
fn project(dialect: Dialect, tag: &str, schema: &str) -> Scratch {
    let s = Scratch::new(dialect, tag);
    s.write("schema.sql", schema);
    s
}

/// Run `strata COMMAND ARGS -url=… -src=file://schema.sql` (stdin is not a terminal).
fn run(s: &Scratch, args: &[&str]) -> Output {
    let url = format!("-url={}", s.url);
    s.strata()
        .args(args)
        .args([url.as_str(), "-src=file://schema.sql"])
        .output()
        .expect("run strata")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_code(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", output_text(out));
}

/// Tables in the scratch namespace.
fn tables(s: &Scratch) -> i64 {
    match s.dialect {
        Dialect::Sqlite => s.query_i64(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ),
        _ => s.query_i64(&format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = '{}'",
            s.name
        )),
    }
}

/// `plan -detailed-exitcode` exits 0: the database matches the models.
fn assert_converged(s: &Scratch) {
    assert_code(&run(s, &["plan", "-detailed-exitcode"]), 0);
}

#[test]
fn saved_plan_applies_without_a_prompt_and_converges() {
    let s = project(Dialect::Sqlite, "saved_apply", USERS);
    let out = run(&s, &["plan", "-out=plan.json"]);
    assert_code(&out, 0);
    assert!(
        stdout(&out).contains("strata apply plan.json"),
        "{}",
        output_text(&out)
    );
    assert_eq!(tables(&s), 0, "plan -out changes nothing");

    let shown = s.strata().args(["show", "plan.json"]).output().unwrap();
    assert_code(&shown, 0);
    let text = stdout(&shown);
    assert!(text.contains("  + table.main.users  [1/1]"), "{text}");
    assert!(
        text.contains("Plan: 1 to add, 0 to change, 0 to destroy."),
        "{text}"
    );

    let json = s
        .strata()
        .args(["show", "-json", "plan.json"])
        .output()
        .unwrap();
    assert_code(&json, 0);
    let doc: Value = serde_json::from_slice(&json.stdout).expect("show -json is JSON");
    Schemas::from_doc().validate("urn:strata:saved-plan:1", &doc);
    assert_eq!(doc["steps"][0]["address"], "table.main.users");
    assert_eq!(doc["steps"][0]["action"], "create");
    assert!(
        doc["basis"]["state_serial"].is_null(),
        "no state before the first apply"
    );

    // No -auto-approve and no terminal: a saved plan needs neither.
    let applied = run(&s, &["apply", "plan.json"]);
    assert_code(&applied, 0);
    assert!(
        stdout(&applied).contains("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."),
        "{}",
        output_text(&applied)
    );
    assert!(!stdout(&applied).contains("Do you want"), "no prompt");
    assert_eq!(tables(&s), 1);
    assert_converged(&s);

    // -auto-approve with a plan file is accepted; the plan is stale now (state written).
    let again = run(&s, &["apply", "-auto-approve", "plan.json"]);
    assert_code(&again, 5);
}

#[test]
fn saved_plan_is_refused_after_the_database_changed() {
    let s = project(Dialect::Sqlite, "saved_db", USERS);
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);
    s.write("schema.sql", USERS_AND_TEAMS);
    assert_code(&run(&s, &["plan", "-out=plan.json"]), 0);
    s.exec("ALTER TABLE users ADD COLUMN note text");

    let out = run(&s, &["apply", "plan.json"]);
    assert_code(&out, 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "the database changed since the plan was made (live schema fingerprint differs)"
        ),
        "{}",
        output_text(&out)
    );
    assert!(!err.contains("serial"), "the state did not move: {err}");
    assert!(
        err.contains("strata plan -out=plan.json"),
        "says what to do: {err}"
    );
    assert_eq!(tables(&s), 1, "nothing applied");
}

#[test]
fn saved_plan_is_refused_after_the_state_changed() {
    let s = project(Dialect::Sqlite, "saved_state", USERS);
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);
    s.write("schema.sql", USERS_AND_TEAMS);
    assert_code(&run(&s, &["plan", "-out=plan.json"]), 0);
    // Another apply (same models) writes the state: serial 1 -> 2.
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);

    let out = run(&s, &["apply", "plan.json"]);
    assert_code(&out, 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the state was written since (serial 1 → 2)"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn saved_plan_is_refused_after_the_models_changed() {
    let s = project(Dialect::Sqlite, "saved_models", USERS);
    assert_code(&run(&s, &["plan", "-out=plan.json"]), 0);
    s.write("schema.sql", USERS_AND_TEAMS);

    let out = run(&s, &["apply", "plan.json"]);
    assert_code(&out, 5);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the models changed (desired schema fingerprint differs)"),
        "{}",
        output_text(&out)
    );
    assert!(!err.contains("database changed"), "{err}");
    assert_eq!(tables(&s), 0, "nothing applied");
}

#[test]
fn missing_corrupt_edited_and_newer_plan_files_are_clear_errors() {
    let s = project(Dialect::Sqlite, "saved_bad", USERS);
    let error = |args: &[&str], code: i32, needle: &str| {
        let out = run(&s, args);
        assert_code(&out, code);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(needle),
            "stderr lacks {needle:?}\n{}",
            output_text(&out)
        );
        assert!(!err.contains("panicked"), "{err}");
    };
    error(
        &["apply", "nope.json"],
        1,
        "cannot read the saved plan nope.json",
    );
    s.write("garbage.json", "{\"format_version\": 1, \"steps\": [");
    error(
        &["apply", "garbage.json"],
        1,
        "is not a saved Strata plan: it is not JSON",
    );
    s.write("newer.json", "{\"format_version\": 2}");
    error(
        &["apply", "newer.json"],
        1,
        "was saved by a newer Strata (plan format 2",
    );
    s.write("extra.json", "{\"format_version\": 1, \"steps\": []}");
    error(&["show", "extra.json"], 1, "is a corrupt saved plan");

    // Edited SQL: every input still matches, so the steps give it away.
    assert_code(&run(&s, &["plan", "-out=plan.json"]), 0);
    let text = std::fs::read_to_string(s.dir.path().join("plan.json")).unwrap();
    s.write(
        "plan.json",
        &text.replace("\\\"name\\\" TEXT NOT NULL", "\\\"name\\\" TEXT"),
    );
    error(
        &["apply", "plan.json"],
        5,
        "step 1 differs from a fresh plan",
    );
    error(
        &["apply", "-refresh-only", "plan.json"],
        1,
        "drop -refresh-only",
    );
    assert_eq!(tables(&s), 0);
}

#[test]
fn plan_and_apply_json_are_documented_event_lines() {
    let s = project(Dialect::Sqlite, "json_lines", USERS);
    let schemas = Schemas::from_doc();
    let out = run(&s, &["plan", "-json"]);
    assert_code(&out, 0);
    assert_eq!(
        event_types(&schemas, &out),
        ["version", "planned_change", "change_summary"]
    );
    let lines = events(&out);
    assert_eq!(lines[1]["change"]["address"], "table.main.users");
    assert_eq!(lines[2]["changes"]["add"], 1);
    assert_eq!(lines[2]["changes"]["operation"], "plan");

    let out = run(&s, &["apply", "-json", "-auto-approve"]);
    assert_code(&out, 0);
    assert_eq!(
        event_types(&schemas, &out),
        [
            "version",
            "planned_change",
            "change_summary",
            "apply_start",
            "apply_complete",
            "change_summary"
        ]
    );
    assert_eq!(events(&out)[5]["changes"]["operation"], "apply");
    assert_converged(&s);

    // A stale saved plan in JSON mode: the reasons in one diagnostic, exit 5.
    s.write("schema.sql", USERS_AND_TEAMS);
    assert_code(&run(&s, &["plan", "-out=plan.json"]), 0);
    s.exec("CREATE TABLE other (id integer)");
    let out = run(&s, &["apply", "-json", "plan.json"]);
    assert_code(&out, 5);
    assert_eq!(event_types(&schemas, &out), ["version", "diagnostic"]);
    let summary = events(&out)[1]["summary"].as_str().unwrap().to_string();
    assert!(
        summary.contains("live schema fingerprint differs"),
        "{summary}"
    );
}

#[test]
fn apply_json_names_the_step_that_failed() {
    let s = project(Dialect::Sqlite, "json_errored", USERS);
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);
    // Another tool holds the name the SQLite rebuild uses, so its CREATE TABLE fails mid-step
    // (no data check can see that coming).
    s.exec("CREATE TABLE _strata_new_users (x integer)");
    s.write(
        "schema.sql",
        "CREATE TABLE users (id integer PRIMARY KEY, name integer NOT NULL);\n",
    );
    let out = run(&s, &["apply", "-json", "-auto-approve"]);
    assert_code(&out, 1);
    assert_eq!(
        event_types(&Schemas::from_doc(), &out),
        [
            "version",
            "planned_change",
            "change_summary",
            "apply_start",
            "apply_errored",
            "diagnostic"
        ]
    );
    let lines = events(&out);
    assert_eq!(lines[4]["hook"]["address"], "table.main.users");
    assert!(
        lines[5]["summary"]
            .as_str()
            .unwrap()
            .contains("already exists"),
        "{}",
        lines[5]
    );
}

#[test]
fn apply_json_without_approval_is_refused() {
    let s = project(Dialect::Sqlite, "json_refused", USERS);
    let out = run(&s, &["apply", "-json"]);
    assert_code(&out, 1);
    assert_eq!(
        event_types(&Schemas::from_doc(), &out),
        ["version", "diagnostic"]
    );
    let diagnostic = &events(&out)[1];
    assert_eq!(diagnostic["severity"], "error");
    assert!(
        diagnostic["summary"]
            .as_str()
            .unwrap()
            .contains("-auto-approve"),
        "{diagnostic}"
    );
    assert!(out.stderr.is_empty(), "{}", output_text(&out));
    assert_eq!(tables(&s), 0);
}

#[test]
fn refresh_only_records_drift_without_ddl() {
    let s = project(Dialect::Sqlite, "refresh_only", USERS);
    assert_code(&run(&s, &["apply", "-auto-approve"]), 0);
    s.exec("ALTER TABLE users ADD COLUMN note text");

    let out = run(&s, &["plan", "-refresh-only", "-detailed-exitcode"]);
    assert_code(&out, 2);
    let text = stdout(&out);
    assert!(text.contains("~ table.main.users"), "{text}");
    assert!(text.contains("refresh-only plan"), "{text}");
    assert!(
        !text.contains("DROP") && !text.contains("[1/"),
        "no steps: {text}"
    );

    let out = run(&s, &["plan", "-refresh-only", "-json"]);
    assert_code(&out, 0);
    assert_eq!(
        event_types(&Schemas::from_doc(), &out),
        ["version", "drift", "change_summary"]
    );
    assert_eq!(events(&out)[2]["changes"]["operation"], "refresh");

    // Without a terminal it needs approval like any apply.
    assert_code(&run(&s, &["apply", "-refresh-only"]), 1);
    assert_code(&run(&s, &["plan", "-refresh-only", "-out=refresh.json"]), 0);
    let applied = run(&s, &["apply", "refresh.json"]);
    assert_code(&applied, 0);
    assert!(
        stdout(&applied).contains("Refresh complete!"),
        "{}",
        output_text(&applied)
    );
    assert_eq!(
        s.query_i64("SELECT count(*) FROM pragma_table_info('users') WHERE name = 'note'"),
        1,
        "no DDL ran"
    );
    assert_code(
        &run(&s, &["plan", "-refresh-only", "-detailed-exitcode"]),
        0,
    );
    // The recorded live form now has the column; the models do not: a normal plan drops it.
    let out = run(&s, &["plan"]);
    assert!(
        stdout(&out).contains("column.main.users.note"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn postgres_saved_plan_runs_unchanged_and_refuses_once_the_database_moved() {
    let s = project(Dialect::Postgres, "saved_pg", USERS);
    // Trust authentication ignores the password; the plan file must not hold it, nor the user.
    let with_password = s.url.replace("postgres@", "postgres:s3cret@");
    let planned = s
        .strata()
        .args(["plan", "-out=first.json", "-src=file://schema.sql"])
        .arg(format!("-url={with_password}"))
        .output()
        .unwrap();
    assert_code(&planned, 0);
    let file = std::fs::read_to_string(s.dir.path().join("first.json")).unwrap();
    assert!(
        !file.contains("s3cret") && !file.contains("postgres@"),
        "{file}"
    );
    let shown = s
        .strata()
        .args(["show", "-json", "first.json"])
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&shown.stdout).expect("show -json is JSON");
    Schemas::from_doc().validate("urn:strata:saved-plan:1", &doc);
    assert_eq!(doc["target"]["dialect"], "postgres");
    assert_code(&run(&s, &["apply", "first.json"]), 0);
    assert_eq!(tables(&s), 1);
    assert_converged(&s);

    s.write("schema.sql", USERS_AND_TEAMS);
    assert_code(&run(&s, &["plan", "-out=second.json"]), 0);
    s.exec("ALTER TABLE users ADD COLUMN note text");
    let out = run(&s, &["apply", "second.json"]);
    assert_code(&out, 5);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("live schema fingerprint differs"),
        "{}",
        output_text(&out)
    );
    assert_eq!(tables(&s), 1);
}

#[test]
fn documented_example_matches_the_schema_and_the_reader() {
    let doc = std::fs::read_to_string(doc_path()).unwrap();
    let example = block_after(&doc, "### Example").expect("plan-format.md has an example");
    let value: Value = serde_json::from_str(&example).expect("the example is JSON");
    Schemas::from_doc().validate("urn:strata:saved-plan:1", &value);

    // Strata reads the example and prints it back unchanged.
    let s = Scratch::new(Dialect::Sqlite, "doc_example");
    s.write("example.json", &example);
    let out = s
        .strata()
        .args(["show", "-json", "example.json"])
        .output()
        .unwrap();
    assert_code(&out, 0);
    let back: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back, value);
    let text = s.strata().args(["show", "example.json"]).output().unwrap();
    assert!(
        stdout(&text).contains("<= table.public.teams"),
        "{}",
        output_text(&text)
    );

    // The stream example lines are valid events too.
    let schemas = Schemas::from_doc();
    let stream = doc
        .split("A `plan -json` of one new table:")
        .nth(1)
        .and_then(|rest| rest.split("```").nth(1))
        .expect("plan-format.md has a stream example");
    for line in stream.lines().filter(|l| l.starts_with('{')) {
        schemas.validate("urn:strata:event:1", &serde_json::from_str(line).unwrap());
    }
}

/// The stdout lines of a `-json` run, each parsed.
fn events(out: &Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l:?}")))
        .collect()
}

/// The `type` of each line, after validating every line against the event schema.
fn event_types(schemas: &Schemas, out: &Output) -> Vec<String> {
    events(out)
        .iter()
        .map(|e| {
            schemas.validate("urn:strata:event:1", e);
            e["type"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

fn doc_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plan-format.md")
}

/// The first fenced block after the line `marker`.
fn block_after(doc: &str, marker: &str) -> Option<String> {
    let rest = &doc[doc.find(marker)? + marker.len()..];
    let open = rest.find("```")?;
    let body = &rest[open..];
    let body = &body[body.find('\n')? + 1..];
    Some(body[..body.find("```")?].to_string())
}

/// Schemas are the JSON Schemas of plan-format.md, by `$id`, and a validator for the subset of
/// JSON Schema 2020-12 they use: type, const, enum, properties, required,
/// additionalProperties: false, items, oneOf, minimum, minLength, maxLength and `$ref` (local
/// `#/$defs/…` or another schema's `$id#/$defs/…`). A keyword outside that subset fails the
/// test, so the doc cannot quietly rely on something this check ignores.
struct Schemas(Vec<Value>);

impl Schemas {
    fn from_doc() -> Schemas {
        let doc = std::fs::read_to_string(doc_path()).expect("read plan-format.md");
        let schemas = ["<!-- schema: saved-plan -->", "<!-- schema: event -->"]
            .iter()
            .map(|m| {
                let block = block_after(&doc, m).unwrap_or_else(|| panic!("no {m} block"));
                serde_json::from_str(&block).unwrap_or_else(|e| panic!("{m} is not JSON: {e}"))
            })
            .collect();
        Schemas(schemas)
    }

    fn root(&self, id: &str) -> &Value {
        self.0
            .iter()
            .find(|s| s["$id"] == id)
            .unwrap_or_else(|| panic!("no schema with $id {id}"))
    }

    /// Panic with every violation if `value` does not match the schema `id`.
    fn validate(&self, id: &str, value: &Value) {
        let mut errors = Vec::new();
        self.check(id, self.root(id), value, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "{value}\ndoes not match {id}:\n{}",
            errors.join("\n")
        );
    }

    fn resolve(&self, base: &str, reference: &str) -> (String, &Value) {
        let (id, pointer) = reference.split_once('#').expect("$ref has a #");
        let id = if id.is_empty() { base } else { id };
        let target = self
            .root(id)
            .pointer(pointer)
            .unwrap_or_else(|| panic!("unresolved $ref {reference}"));
        (id.to_string(), target)
    }

    fn check(&self, base: &str, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = schema.as_object().expect("a schema is an object");
        for (keyword, arg) in schema {
            match keyword.as_str() {
                "$schema" | "$id" | "title" | "$defs" => {}
                "$ref" => {
                    let (id, target) = self.resolve(base, arg.as_str().unwrap());
                    self.check(&id, target, value, at, errors);
                }
                "type" => {
                    let allowed: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        other => other
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|t| t.as_str().unwrap())
                            .collect(),
                    };
                    if !allowed.iter().any(|t| has_type(value, t)) {
                        errors.push(format!("{at}: {value} is not of type {arg}"));
                    }
                }
                "const" if value != arg => errors.push(format!("{at}: {value} is not {arg}")),
                "enum" if !arg.as_array().unwrap().contains(value) => {
                    errors.push(format!("{at}: {value} is not one of {arg}"))
                }
                "const" | "enum" => {}
                "minimum" => {
                    if value.as_f64().is_some_and(|v| v < arg.as_f64().unwrap()) {
                        errors.push(format!("{at}: {value} < {arg}"));
                    }
                }
                "minLength" | "maxLength" => {
                    let len = value.as_str().map(|s| s.chars().count() as u64);
                    let limit = arg.as_u64().unwrap();
                    let bad = if keyword == "minLength" {
                        len.is_some_and(|l| l < limit)
                    } else {
                        len.is_some_and(|l| l > limit)
                    };
                    if bad {
                        errors.push(format!("{at}: {value} breaks {keyword} {limit}"));
                    }
                }
                "required" => {
                    for name in arg.as_array().unwrap() {
                        let name = name.as_str().unwrap();
                        if value.is_object() && value.get(name).is_none() {
                            errors.push(format!("{at}: missing {name}"));
                        }
                    }
                }
                "properties" => {
                    let Some(fields) = value.as_object() else {
                        continue;
                    };
                    for (name, sub) in arg.as_object().unwrap() {
                        if let Some(v) = fields.get(name) {
                            self.check(base, sub, v, &format!("{at}.{name}"), errors);
                        }
                    }
                }
                "additionalProperties" => {
                    assert_eq!(arg, &Value::Bool(false), "only additionalProperties: false");
                    let known = schema.get("properties").and_then(Value::as_object);
                    for name in value.as_object().map(|o| o.keys()).into_iter().flatten() {
                        if !known.is_some_and(|k| k.contains_key(name)) {
                            errors.push(format!("{at}: undocumented field {name}"));
                        }
                    }
                }
                "items" => {
                    for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                        self.check(base, arg, item, &format!("{at}[{i}]"), errors);
                    }
                }
                "oneOf" => {
                    let matching = arg
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|sub| {
                            let mut sub_errors = Vec::new();
                            self.check(base, sub, value, at, &mut sub_errors);
                            sub_errors.is_empty()
                        })
                        .count();
                    if matching != 1 {
                        errors.push(format!("{at}: matches {matching} of oneOf, not exactly 1"));
                    }
                }
                other => panic!("plan-format.md uses {other}, which this validator does not check"),
            }
        }
    }
}

fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown JSON Schema type {other}"),
    }
}

#[test]
fn the_validator_rejects_what_the_doc_forbids() {
    let schemas = Schemas::from_doc();
    let ok = serde_json::json!({"@level":"info","@message":"m","@timestamp":"2026-11-21T22:04:10.565725Z","type":"version","strata":"0.1.0","format_version":1});
    schemas.validate("urn:strata:event:1", &ok);
    for bad in [
        serde_json::json!({"@level":"info","@message":"m","@timestamp":"2026-11-21T22:04:10.565725Z","type":"version","strata":"0.1.0","format_version":1,"extra":true}),
        serde_json::json!({"@level":"info","@message":"m","@timestamp":"2026-11-21T22:04:10.565725Z","type":"version","strata":"0.1.0"}),
        serde_json::json!({"@level":"loud","@message":"m","@timestamp":"2026-11-21T22:04:10.565725Z","type":"version","strata":"0.1.0","format_version":1}),
        serde_json::json!({"@level":"info","@message":"m","@timestamp":"2026-11-21T22:04:10.565725Z","type":"nope"}),
    ] {
        let result = std::panic::catch_unwind(|| schemas.validate("urn:strata:event:1", &bad));
        assert!(result.is_err(), "accepted {bad}");
    }
}
