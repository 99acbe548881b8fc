//! Canonical JSON: the one text a value has, so equal states are equal bytes and a checksum
//! over that text is meaningful. Field order is the order the format's structs declare, maps are
//! ordered (the model uses `BTreeMap` throughout), indentation is two spaces, and the text ends
//! with a newline.

use serde::Serialize;
use std::io::{BufWriter, Write};

/// The canonical text of `value`.
pub fn to_text<T: Serialize>(value: &T) -> String {
    // Serialising the state's plain data cannot fail: every map key in it is a string and it
    // holds no floats, so there is no error to report.
    let mut text = serde_json::to_string_pretty(value).expect("state data serialises to JSON");
    text.push('\n');
    text
}

/// The blake3 checksum (hex) of the canonical text of `value`, hashed as it is written: a
/// state of 5,000 tables is a 40 MB text, which is never held in memory for the checksum.
pub fn checksum<T: Serialize>(value: &T) -> String {
    // serde_json writes many tiny pieces; the buffer hands them to blake3 in large blocks.
    // Writing into a hasher cannot fail, and the state's plain data serialises (see `to_text`).
    let mut writer = BufWriter::new(blake3::Hasher::new());
    serde_json::to_writer_pretty(&mut writer, value).expect("state data serialises to JSON");
    writer.write_all(b"\n").expect("hashing cannot fail");
    let hasher = writer.into_inner().expect("hashing cannot fail");
    hasher.finalize().to_hex().to_string()
}
