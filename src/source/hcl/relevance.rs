//! Which `.tf` directories and unread modules could hold a PT: the prefilter's side of the HCL reader.

use super::instance::Instance;
use super::{declarations, module, DirCandidate};
use std::path::PathBuf;

/// Whether a module ptlint does not read could hold a PT, so saying it was not read helps: its source or
/// name says Bedrock, or `terraform init` downloaded it and its files pass the prefilter. A registry module
/// for a VPC or an EKS add-on is left unmentioned.
pub(super) fn unread_module_matters(instance: &Instance<'_>, call: &declarations::CallDecl, source: &str) -> bool {
    let bedrock = |text: &str| text.to_ascii_lowercase().contains("bedrock");
    if bedrock(source) || bedrock(&call.name) {
        return true;
    }
    let key = module_key(&instance.prefix, &call.name);
    downloaded_module_dir(&instance.ev.root_dir, &key).is_some_and(|dir| tree_could_matter(&dir))
}

/// `module.a[0].module.b.` + `c` -> `a.b.c`, the key `terraform init` records a downloaded module under.
fn module_key(prefix: &str, name: &str) -> String {
    let mut parts: Vec<String> = prefix
        .split("module.")
        .filter(|p| !p.is_empty())
        .map(|p| crate::source::terraform::strip_index(p.trim_end_matches('.')).to_string())
        .collect();
    parts.push(name.to_string());
    parts.join(".")
}

/// Where `terraform init` put a module (`.terraform/modules/modules.json` of the root module), if it did.
fn downloaded_module_dir(root: &std::path::Path, key: &str) -> Option<PathBuf> {
    let manifest = root.join(".terraform/modules/modules.json");
    let text = crate::source::read::read_regular_text(&manifest, crate::source::MAX_FILE_BYTES).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("Modules")?.as_array()?.iter().find_map(|m| {
        let dir = m.get("Dir")?.as_str()?;
        (m.get("Key")?.as_str()? == key).then(|| root.join(dir))
    })
}

/// Files looked at in a downloaded module's tree; no real module comes near.
const MAX_TREE_FILES: usize = 5_000;

/// Whether any `.tf` or `.tf.json` file in a directory tree passes the prefilter.
fn tree_could_matter(dir: &std::path::Path) -> bool {
    ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .max_depth(Some(16))
        .build()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_some_and(|t| t.is_file()) && module::is_config_file(&e.file_name().to_string_lossy())
        })
        .take(MAX_TREE_FILES)
        .any(|e| {
            std::fs::metadata(e.path()).is_ok_and(|m| m.len() <= crate::source::MAX_FILE_BYTES)
                && crate::source::read::read_regular_file(e.path(), crate::source::MAX_FILE_BYTES)
                    .is_ok_and(|bytes| crate::source::could_matter(&bytes))
        })
}

/// The directories worth evaluating among a run's `.tf` files: those with a file the user named, a file the
/// prefilter lets through (it mentions a PT, custom model, alarm dimension or budget), or a file that calls a
/// local module (whose resources may matter). Files are read here only to be scanned; parsing comes later.
pub fn select_dirs(
    files: &[(PathBuf, bool)],
    display: impl Fn(&std::path::Path) -> String + Sync,
) -> Vec<DirCandidate> {
    use rayon::prelude::*;
    let wanted: Vec<PathBuf> = files
        .par_iter()
        .filter(|(path, explicit)| {
            // A directory `terraform init` downloaded modules for may call one that holds a PT.
            let downloaded = || path.parent().is_some_and(|d| d.join(".terraform/modules/modules.json").is_file());
            *explicit
                || crate::source::read::with_thread_buffer(|bytes| {
                    match crate::source::read::read_regular_file_into(path, crate::source::MAX_FILE_BYTES, bytes) {
                        Ok(()) => {
                            crate::source::could_matter(bytes)
                                || calls_module(bytes)
                                || memchr::memmem::find(bytes, b"module ").is_some() && downloaded()
                        }
                        // A file over the size limit is not read here; its directory is loaded, which reports it,
                        // as any other input over the limit is reported.
                        Err(crate::source::read::ReadError::TooLarge { size: Some(_), .. }) => true,
                        Err(_) => false,
                    }
                })
        })
        .map(|(path, _)| path.parent().map(std::path::Path::to_path_buf).unwrap_or_default())
        .collect();
    let mut dirs: Vec<PathBuf> = wanted;
    dirs.sort();
    dirs.dedup();
    dirs.into_iter()
        .map(|dir| {
            let shown = display(&dir);
            let shown = if shown.is_empty() { ".".to_string() } else { shown };
            let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
            DirCandidate { dir, display: shown }
        })
        .collect()
}

/// Whether a file may call a module that matters: a local one (`source = "./..."` or `"../..."`), which is read,
/// or any mention of Bedrock (a registry or git module such as `aws-ia/bedrock/aws` may hold PTs, and the run
/// says that it was not read).
fn calls_module(bytes: &[u8]) -> bool {
    let has = |needle: &[u8]| memchr::memmem::find(bytes, needle).is_some();
    has(b"\"./") || has(b"\"../") || mentions_bedrock(bytes)
}

/// Whether `bedrock` is in the bytes in any case, with memchr's SIMD search over lowercased chunks (a byte-by-byte
/// comparison of every window was a tenth of a large tree's run).
fn mentions_bedrock(bytes: &[u8]) -> bool {
    const WORD: &[u8] = b"bedrock";
    let finder = memchr::memmem::Finder::new(WORD);
    crate::source::any_lowercased_chunk(bytes, WORD.len() - 1, |lower| finder.find(lower).is_some())
}

#[cfg(test)]
mod prefilter_tests {
    use super::calls_module;

    #[test]
    fn a_directory_is_read_for_a_local_module_or_any_mention_of_bedrock() {
        assert!(calls_module(b"module \"a\" {\n  source = \"./modules/pt\"\n}"));
        assert!(calls_module(b"module \"a\" {\n  source = \"../common\"\n}"));
        // A registry module that may hold PTs: read, so the run can say it was not followed.
        assert!(calls_module(b"module \"pt\" {\n  source = \"aws-ia/Bedrock/aws\"\n}"));
        assert!(!calls_module(b"module \"vpc\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n}"));
        assert!(!calls_module(b"resource \"aws_s3_bucket\" \"b\" {}"));
    }

    #[test]
    fn bedrock_is_found_in_any_case_and_across_chunk_boundaries() {
        use super::mentions_bedrock;
        assert!(mentions_bedrock(b"source = \"aws-ia/BeDrOcK/aws\""));
        assert!(!mentions_bedrock(b"bedroc k"));
        assert!(!mentions_bedrock(b""));
        // The word straddling the 16 KiB chunk boundary at every split, and at the very end.
        for split in 1..7 {
            let mut bytes = vec![b'x'; 16 * 1024 - split];
            bytes.extend_from_slice(b"BEDROCK");
            bytes.extend_from_slice(&[b'y'; 100]);
            assert!(mentions_bedrock(&bytes), "split {split}");
            bytes.truncate(16 * 1024 - split + 6);
            assert!(!mentions_bedrock(&bytes), "cut {split}");
        }
    }
}
