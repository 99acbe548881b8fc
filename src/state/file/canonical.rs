//! Canonical JSON: the one text a value has, so equal states are equal bytes and a checksum
//! over that text is meaningful. Field order is the order the format's structs declare, maps are
//! ordered (the model uses `BTreeMap` throughout), indentation is two spaces, and the text ends
//! with a newline.

use serde::Serialize;
use std::io::{BufWriter, Write};

/// The canonical text of `value`, written into a buffer of `capacity` bytes: a state of 5,000
/// tables is a 40 MB text, and growing a buffer to that by doubling held up to twice as much.
pub fn to_text<T: Serialize>(value: &T, capacity: usize) -> String {
    let mut text = Vec::with_capacity(capacity);
    // Serialising the state's plain data cannot fail: every map key in it is a string and it
    // holds no floats, so there is no error to report; serde_json writes UTF-8.
    serde_json::to_writer_pretty(&mut text, value).expect("state data serialises to JSON");
    text.push(b'\n');
    String::from_utf8(text).expect("serde_json writes UTF-8")
}

/// The blake3 checksum (hex) of the canonical text of `value`, hashed as it is written (the
/// text is never held in memory for it), and the text's length in bytes.
pub fn checksum<T: Serialize>(value: &T) -> (String, usize) {
    // serde_json writes many tiny pieces; the buffer hands them to blake3 in large blocks.
    // Writing into a hasher cannot fail, and the state's plain data serialises (see `to_text`).
    let mut writer = BufWriter::new(Counted {
        hasher: blake3::Hasher::new(),
        bytes: 0,
    });
    serde_json::to_writer_pretty(&mut writer, value).expect("state data serialises to JSON");
    writer.write_all(b"\n").expect("hashing cannot fail");
    let counted = writer.into_inner().expect("hashing cannot fail");
    (
        counted.hasher.finalize().to_hex().to_string(),
        counted.bytes,
    )
}

/// Whether `text` is a canonical text whose last member is `"checksum": "<recorded>"` and the
/// checksum of the same text without that member is `recorded`. Hashing the text read is ten
/// times cheaper than writing the decoded state out again; the member is the last one, as the
/// format writes it, so the text it covers is everything else, unchanged.
pub fn text_checksum_matches(text: &str, recorded: &str) -> bool {
    let member = format!(",\n  \"checksum\": \"{recorded}\"\n}}\n");
    let Some(covered) = text.strip_suffix(&member) else {
        return false;
    };
    let mut hasher = blake3::Hasher::new();
    hasher.update(covered.as_bytes());
    hasher.update(b"\n}\n");
    hasher.finalize().to_hex().as_str() == recorded
}

/// Counted hashes what is written to it and counts the bytes.
#[derive(Debug)]
struct Counted {
    hasher: blake3::Hasher,
    bytes: usize,
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hasher.update(buf);
        self.bytes += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
