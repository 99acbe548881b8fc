//! Encode/decode: canonical round trip, checksum, sniffing, refusal messages.

use super::*;
use crate::state::{Managed, Object, State, TargetFingerprint};
use strata_schema::{Column, Dialect, EnumType, Table, Type};

fn sample() -> State {
    let mut state = State::new(
        "dev",
        TargetFingerprint {
            dialect: Dialect::Postgres,
            host: Some("127.0.0.1".into()),
            port: Some(5432),
            database: "app".into(),
        },
    );
    let mut users = Table::new("users");
    users
        .columns
        .push(Column::new("id", Type::parse(Dialect::Postgres, "integer")));
    state.objects.insert(
        "table.public.users".into(),
        Managed::new(
            "table.public.users".into(),
            Object::Table(users.clone()),
            Object::Table(users),
            vec!["enum.public.mood".into()],
        ),
    );
    let mood = EnumType {
        name: "mood".into(),
        values: vec!["sad".into(), "ok".into()],
    };
    state.objects.insert(
        "enum.public.mood".into(),
        Managed::new(
            "enum.public.mood".into(),
            Object::Enum(mood.clone()),
            Object::Enum(mood),
            vec![],
        ),
    );
    state.serial = 3;
    state.record_history("apply", Some("abc".into()), 2);
    state
}

#[test]
fn round_trips_byte_for_byte() {
    let state = sample();
    let text = encode(&state);
    let back = decode(&text, "s.json").expect("decodes");
    assert_eq!(back, state);
    assert_eq!(encode(&back), text);
}

#[test]
fn text_is_canonical() {
    let text = encode(&sample());
    assert!(text.starts_with("{\n  \"format_version\": 1,\n  \"tool_version\": "));
    assert!(text.ends_with("}\n"));
    let checksum_at = text.find("\"checksum\"").expect("has a checksum");
    assert!(text[checksum_at..].lines().count() <= 2, "checksum is last");
    // Maps are written in key order, whatever order they were filled in.
    assert!(text.find("enum.public.mood") < text.find("table.public.users"));
}

#[test]
fn checksum_covers_the_text_without_its_own_member() {
    // What state-format.md tells other tools: drop the checksum member (and the comma before
    // it); blake3 of what remains is the checksum.
    let text = encode(&sample());
    let at = text.find(",\n  \"checksum\": \"").expect("checksum member");
    let recorded = &text[at + 17..text.len() - 4];
    let body = format!("{}\n}}\n", &text[..at]);
    assert_eq!(blake3::hash(body.as_bytes()).to_hex().as_str(), recorded);
}

fn refusal(text: &str) -> String {
    match decode(text, ".strata/dev.state.json") {
        Ok(_) => panic!("decoded a bad state"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn hand_edit_is_refused_by_checksum() {
    let text = encode(&sample()).replace("\"serial\": 3", "\"serial\": 4");
    let message = refusal(&text);
    assert!(message.contains("checksum does not match"), "{message}");
    assert!(
        message.contains(".strata/dev.state.json.backup"),
        "{message}"
    );
    assert!(message.contains("strata state push"), "{message}");
}

#[test]
fn truncated_file_is_refused() {
    let text = encode(&sample());
    let message = refusal(&text[..text.len() / 2]);
    assert!(message.contains("truncated"), "{message}");
    assert!(message.contains(".strata/dev.state.json"), "{message}");
}

#[test]
fn missing_checksum_is_refused() {
    let text = encode(&sample());
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("json");
    value.as_object_mut().expect("object").remove("checksum");
    assert!(refusal(&canonical::to_text(&value, 0)).contains("no checksum"));
}

#[test]
fn non_json_and_unversioned_files_are_refused() {
    assert!(refusal("hello").contains("not valid JSON"));
    assert!(refusal("{\"serial\": 1}").contains("no format_version"));
    assert!(refusal("{\"format_version\": 0}").contains("never written"));
}

#[test]
fn newer_format_is_refused_before_decoding() {
    let text = "{\"format_version\": 7, \"tool_version\": \"9.1.0\", \"shape\": \"unknown\"}";
    let message = refusal(text);
    assert!(
        message.contains("written by Strata 9.1.0, format 7")
            && message.contains(&format!("reads formats up to {FORMAT_VERSION}"))
            && message.contains("upgrade Strata"),
        "{message}"
    );
}

#[test]
fn the_documented_example_is_a_valid_canonical_state() {
    let doc = include_str!("../../../state-format.md");
    let start = doc.find("```json\n").expect("an example") + "```json\n".len();
    let example = &doc[start..start + doc[start..].find("```").expect("end of example")];
    let state = decode(example, "state-format.md").expect("the example decodes");
    assert_eq!(encode(&state), example, "the example is canonical");
    assert!(state.objects.values().any(|m| m.identity.is_some()));
}

/// Borrowed objects (what plans compare) hash as the recorded owned ones do: a difference would
/// make every managed object look drifted or changed.
#[test]
fn borrowed_and_owned_objects_have_one_fingerprint() {
    for managed in sample().objects.values() {
        assert_eq!(
            strata_schema::fingerprint(&managed.live.as_ref()),
            strata_schema::fingerprint(&managed.live)
        );
        assert_eq!(managed.live.as_ref().to_object(), managed.live);
    }
}

/// The buffer `encode` sizes from the checksum pass holds the whole text without growing.
#[test]
fn encoded_text_fits_the_buffer_sized_for_it() {
    let text = encode(&sample());
    assert!(text.capacity() >= text.len());
    assert!(
        text.capacity() - text.len() < 96,
        "{}",
        text.capacity() - text.len()
    );
}

/// A file as Strata writes it is verified on its own text (the fast path); the same content
/// re-indented is still accepted (by writing it out canonically again), and an edit is refused
/// on both paths.
#[test]
fn canonical_text_is_verified_on_its_own_bytes() {
    let state = sample();
    let text = encode(&state);
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    let recorded = file["checksum"].as_str().unwrap();
    assert!(canonical::text_checksum_matches(&text, recorded));
    let edited = text.replacen("\"users\"", "\"userz\"", 1);
    assert!(!canonical::text_checksum_matches(&edited, recorded));
    assert!(refusal(&edited).contains("checksum"));
    let compact = serde_json::to_string(&file).unwrap();
    assert!(!canonical::text_checksum_matches(&compact, recorded));
    assert_eq!(decode(&compact, "s.json").unwrap(), state);
}
