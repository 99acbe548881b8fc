use serde::Serialize;

/// Fingerprint is a blake3 hash (hex) of an object's canonical JSON form. Because maps in the
/// model are ordered, equal values always give equal fingerprints.
pub type Fingerprint = String;

/// Fingerprint any serialisable part of the model: a whole database, a schema, one table.
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> Fingerprint {
    // serde_json writes many tiny pieces; the buffer hands them to blake3 in blocks (hashing
    // each piece on its own made fingerprints a tenth of a plan's work).
    let mut writer = std::io::BufWriter::with_capacity(4096, blake3::Hasher::new());
    // Serialising plain data into a hasher cannot fail: the model has no non-string map keys.
    serde_json::to_writer(&mut writer, value).expect("schema model serialises to JSON");
    let hasher = writer.into_inner().expect("hashing cannot fail");
    hasher.finalize().to_hex().to_string()
}
