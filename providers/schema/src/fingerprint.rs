use serde::Serialize;

/// Fingerprint is a blake3 hash (hex) of an object's canonical JSON form. Because maps in the
/// model are ordered, equal values always give equal fingerprints.
pub type Fingerprint = String;

/// Fingerprint any serialisable part of the model: a whole database, a schema, one table.
pub fn fingerprint<T: Serialize + ?Sized>(value: &T) -> Fingerprint {
    let mut hasher = blake3::Hasher::new();
    // Serialising plain data into a hasher cannot fail: the model has no non-string map keys.
    serde_json::to_writer(&mut hasher, value).expect("schema model serialises to JSON");
    hasher.finalize().to_hex().to_string()
}
