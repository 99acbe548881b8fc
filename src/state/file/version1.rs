//! Format 1, the current one. The file type is separate from the in-memory [`State`] (whose
//! fields it carries) so the format can change without the state changing, and so the fields
//! only the file has (`format_version`, `checksum`) never reach the rest of Strata.

use super::canonical;
use crate::state::{HistoryEntry, Managed, State, TargetFingerprint};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// File is a format 1 state file, fields in the order they are written. Objects and history
/// are borrowed from the state when it is written (a copy of 5,000 tables' records was ≈38 MB)
/// and owned when it is read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct File<'a> {
    /// Always 1 here; first, so readers can sniff it.
    format_version: u64,
    tool_version: String,
    lineage: String,
    serial: u64,
    env: String,
    target: TargetFingerprint,
    objects: Cow<'a, BTreeMap<String, Managed>>,
    #[serde(default)]
    history: Cow<'a, [HistoryEntry]>,
    /// blake3 of the canonical text of this file without this field; last, after what it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    checksum: Option<String>,
}

impl File<'_> {
    fn from_state(state: &State) -> File<'_> {
        File {
            format_version: 1,
            tool_version: state.tool_version.clone(),
            lineage: state.lineage.clone(),
            serial: state.serial,
            env: state.env.clone(),
            target: state.target.clone(),
            objects: Cow::Borrowed(&state.objects),
            history: Cow::Borrowed(&state.history),
            checksum: None,
        }
    }

    fn into_state(self) -> State {
        State {
            lineage: self.lineage,
            serial: self.serial,
            tool_version: self.tool_version,
            env: self.env,
            target: self.target,
            objects: self.objects.into_owned(),
            history: self.history.into_owned(),
        }
    }
}

/// The canonical format 1 text of `state`, checksum included.
pub fn encode(state: &State) -> String {
    let mut file = File::from_state(state);
    // The checksum covers the file without its own member, which is not written while `None`.
    let (checksum, bytes) = canonical::checksum(&file);
    file.checksum = Some(checksum);
    // The member adds `,\n  "checksum": "<64 hex digits>"` to what was hashed.
    canonical::to_text(&file, bytes + 96)
}

/// Decode format 1 text whose version was already sniffed; the error is the reason it is
/// refused.
pub fn decode(text: &str) -> Result<State, String> {
    let mut file: File = serde_json::from_str(text)
        .map_err(|e| format!("it is not a valid format 1 state ({e})"))?;
    // Taken out, the checksum is not part of the text it is compared with (and no copy of the
    // whole file is needed to leave it out).
    let Some(recorded) = file.checksum.take() else {
        return Err("it has no checksum, so its content cannot be trusted".into());
    };
    // A file exactly as Strata wrote it is verified on its own text; anything else (say,
    // re-indented by hand) by writing its content out canonically again.
    if canonical::text_checksum_matches(text, &recorded) {
        return Ok(file.into_state());
    }
    let (actual, _) = canonical::checksum(&file);
    if recorded != actual {
        return Err(format!(
            "its checksum does not match its content (recorded {}, computed {}), so it was edited by hand or damaged",
            short(&recorded),
            short(&actual)
        ));
    }
    Ok(file.into_state())
}

/// The first 12 characters of a checksum: enough to tell two apart in a message.
fn short(checksum: &str) -> &str {
    checksum.get(..12).unwrap_or(checksum)
}
