//! Canonical JSON: the one text a value has, so equal states are equal bytes and a checksum
//! over that text is meaningful. Field order is the order the format's structs declare, maps are
//! ordered (the model uses `BTreeMap` throughout), indentation is two spaces, and the text ends
//! with a newline.

use serde::Serialize;

/// The canonical text of `value`.
pub fn to_text<T: Serialize>(value: &T) -> String {
    // Serialising the state's plain data cannot fail: every map key in it is a string and it
    // holds no floats, so there is no error to report.
    let mut text = serde_json::to_string_pretty(value).expect("state data serialises to JSON");
    text.push('\n');
    text
}

/// The blake3 checksum (hex) of a canonical text.
pub fn checksum(text: &str) -> String {
    blake3::hash(text.as_bytes()).to_hex().to_string()
}
