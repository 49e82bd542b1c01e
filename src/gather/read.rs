//! Reading one candidate file: its bytes under the size limit and the prefilter, then decoding and parsing them.

use crate::discover::Candidate;
use crate::finding::InputError;
use crate::link::InputFile;
use crate::source;
use std::hash::BuildHasher;
use std::path::PathBuf;

/// Read one candidate's bytes: size limit, then the prefilter (named files skip it). `Ok(None)` means there is
/// nothing for ptlint in it. No config is needed for this, so the configs of the many files it turns away are
/// never looked up.
pub(super) fn read_prefiltered(candidate: &Candidate) -> Result<Option<Vec<u8>>, InputError> {
    let path = candidate.display.clone();
    let error = |message: String| InputError { file: path.clone(), line: 0, column: 0, message };
    // Most files of a tree are rejected by the prefilter, so each thread reads into one reused buffer and only
    // the files that pass leave it: no allocation per rejected file.
    source::read::with_thread_buffer(|buffer| {
        match source::read::read_regular_file_into(&candidate.path, source::MAX_FILE_BYTES, buffer) {
            Err(e) => Err(error(e.to_string())),
            Ok(()) if !candidate.explicit && !is_utf16(buffer) && !source::could_matter(buffer) => Ok(None),
            // A buffer the file fills exactly (a fresh one: the read reserves the file's size) is handed over rather
            // than copied, and the next file is read into a new one; one left larger by an earlier file is copied,
            // so the bytes held until parsing are never more than the file.
            Ok(()) if buffer.capacity() == buffer.len() => Ok(Some(std::mem::take(buffer))),
            Ok(()) => Ok(Some(buffer.clone())),
        }
    })
}

/// The first bytes of a zip archive, which is what `terraform plan -out` writes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// A UTF-16 byte order mark: such text hides the prefilter's words until decoded.
fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// What becomes of a parsed file's text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    /// Dropped: the report shows no excerpts.
    Drop,
    /// Kept in the file (standard input, which cannot be read again).
    Keep,
    /// Dropped, with what it takes to read it again ([`SetAside`]) if a finding needs an excerpt of it.
    SetAside,
}

/// The text of a parsed file that the report may show excerpts of, not held in memory meanwhile: where to read it
/// again and what it was (length and hash), so an excerpt is shown only from the very text its spans point into.
/// Most files of a large run have no findings; holding every text was the human report's memory (issue 26).
#[derive(Debug)]
pub(crate) struct SetAside {
    path: PathBuf,
    len: usize,
    hash: u64,
}

impl SetAside {
    pub(super) fn new(path: PathBuf, text: &str) -> SetAside {
        SetAside { path, len: text.len(), hash: text_hash(text) }
    }

    /// The text again, read as it was for parsing (same reader, size limit, decoding and line ends); `None` if the
    /// file cannot be read or no longer holds the text that was parsed (the finding is then shown without excerpt).
    pub(crate) fn read_again(&self) -> Option<String> {
        let bytes = source::read::read_regular_file(&self.path, source::MAX_FILE_BYTES).ok()?;
        let text = source::node::lone_cr_as_lf(source::decode_vec(bytes).ok()?);
        (text.len() == self.len && text_hash(&text) == self.hash).then_some(text)
    }
}

/// A hash of a text that is the same for the same text within a run (a fixed seed).
fn text_hash(text: &str) -> u64 {
    foldhash::quality::FixedState::with_seed(0x7074_6c69_6e74).hash_one(text)
}

/// Decode and parse one candidate's bytes (from its file, or standard input); UTF-16 is prefiltered once decoded.
/// With [`Text::SetAside`], the file comes without its text and with how to read it again.
pub(super) fn parse_candidate(
    candidate: &Candidate,
    bytes: Vec<u8>,
    region: Option<&str>,
    keep: Text,
) -> Result<Option<(InputFile, Option<SetAside>)>, InputError> {
    let path = candidate.display.clone();
    if bytes.starts_with(ZIP_MAGIC) {
        if !candidate.explicit {
            return Ok(None);
        }
        return Err(InputError {
            file: path,
            line: 0,
            column: 0,
            message: "this is a binary Terraform plan; run `terraform show -json PLAN > plan.json` and scan plan.json"
                .into(),
        });
    }
    // UTF-8 files were prefiltered as they were read ([`read_prefiltered`]); UTF-16 hides the prefilter's words, so
    // such files are checked once decoded.
    let utf16 = is_utf16(&bytes);
    let text = source::decode_vec(bytes).map_err(|e| InputError {
        file: path.clone(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    if !candidate.explicit && utf16 && !source::could_matter(text.as_bytes()) {
        return Ok(None);
    }
    let read = if candidate.explicit { source::read_named_document } else { source::read_document };
    let document = match read(&path, &text, region) {
        Err(_) if candidate.explicit && !source::looks_like_template(&path, &text) => return Ok(None),
        other => other?,
    };
    // A report without excerpts needs no text: dropping it here keeps memory to the parsed documents. The human
    // report needs the texts of the files with findings only, known after the rules ran: the others are not kept.
    // Excerpts are shown by a renderer that knows only `\n` line ends: a lone `\r` becomes one, in place.
    let Some(document) = document else { return Ok(None) };
    let (text, set_aside) = match keep {
        Text::Drop => (std::sync::Arc::from(""), None),
        Text::Keep => (source::node::lone_cr_as_lf(text).into(), None),
        Text::SetAside => {
            let set_aside = SetAside::new(candidate.path.clone(), &source::node::lone_cr_as_lf(text));
            (std::sync::Arc::from(""), Some(set_aside))
        }
    };
    Ok(Some((InputFile { path, text, document }, set_aside)))
}
