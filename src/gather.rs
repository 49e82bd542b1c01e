//! The inputs of a run: discovery with each file's config excludes, project context for named files, and
//! reading and parsing the files in parallel.

use crate::discover::{self, Candidate, Excludes, Walk};
use crate::engine::{FatalError, Options};
use crate::finding::{Finding, InputError};
use crate::link::InputFile;
use crate::project::{project_root, Configs};
use crate::source;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Read one candidate: size limit, then [`parse_candidate`]. `Ok(None)` means there is nothing for ptlint in it.
fn read_candidate(
    candidate: &Candidate,
    region: Option<&str>,
    keep_text: bool,
) -> Result<Option<InputFile>, InputError> {
    let path = candidate.display.clone();
    let error = |message: String| InputError { file: path.clone(), line: 0, column: 0, message };
    // Most files of a tree are rejected by the prefilter, so each thread reads into one reused buffer and only
    // the files that pass are copied out: no allocation per rejected file.
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let bytes = BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        let read = source::read::read_regular_file_into(&candidate.path, source::MAX_FILE_BYTES, buffer);
        let result = match read {
            Err(e) => Err(error(e.to_string())),
            Ok(()) if !candidate.explicit && !is_utf16(buffer) && !source::could_matter(buffer) => Ok(None),
            Ok(()) => Ok(Some(buffer.clone())),
        };
        // A rare large file does not pin its size in every thread for the rest of the run.
        if buffer.capacity() > KEPT_BUFFER_BYTES {
            *buffer = Vec::new();
        }
        result
    })?;
    match bytes {
        Some(bytes) => parse_candidate(candidate, bytes, region, keep_text),
        None => Ok(None),
    }
}

/// The first bytes of a zip archive, which is what `terraform plan -out` writes.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The largest read buffer a thread keeps between files.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// A UTF-16 byte order mark: such text hides the prefilter's words until decoded.
fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// Decode and parse one candidate's bytes (from its file, or standard input); UTF-16 is prefiltered once decoded.
fn parse_candidate(
    candidate: &Candidate,
    bytes: Vec<u8>,
    region: Option<&str>,
    keep_text: bool,
) -> Result<Option<InputFile>, InputError> {
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
    // UTF-8 files were prefiltered as they were read ([`read_candidate`]); UTF-16 hides the prefilter's words, so
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
    let document = match source::read_document(&path, &text, region) {
        Err(_) if candidate.explicit && !source::looks_like_template(&path, &text) => return Ok(None),
        other => other?,
    };
    // A report without excerpts needs no text: dropping it here keeps memory to the parsed documents.
    // Excerpts are shown by a renderer that knows only `\n` line ends: a lone `\r` becomes one, in place.
    let text = if keep_text { source::node::lone_cr_as_lf(text).into() } else { std::sync::Arc::from("") };
    Ok(document.map(|document| InputFile { path, text, document }))
}

/// The parsed files of a run: those reported on and those read only for context.
pub(crate) struct Inputs {
    pub files: Vec<InputFile>,
    /// Per file: the index of the config in effect for it.
    pub scope_of: Vec<Option<usize>>,
    /// Per file: whether findings on it are reported (false for project context).
    pub reported: Vec<bool>,
    pub errors: Vec<InputError>,
    /// Whether only named files are reported while their projects were read for context.
    pub partial: bool,
    pub files_seen: usize,
    pub files_parsed: usize,
    /// How many Terraform `.tf` files were parsed (a part of `files_parsed`).
    pub terraform_files_read: usize,
    /// Notes of the HCL reader on the reported files (modules it could not read).
    pub notes: Vec<Finding>,
}

/// One file's read result, the config in effect for it, and whether it is reported on.
type ReadResult = (Result<InputFile, InputError>, Option<usize>, bool);

/// Discover, filter by each file's config excludes, add project context for named files, and parse.
pub(crate) fn gather(options: &Options, configs: &mut Configs) -> Result<Inputs, FatalError> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let cli_excludes = Excludes::new(&cwd, &options.exclude).map_err(|message| FatalError {
        file: String::new(),
        line: 0,
        column: 0,
        message,
    })?;
    let mut paths = if options.paths.is_empty() && options.stdin.is_none() {
        vec![PathBuf::from(".")]
    } else {
        options.paths.clone()
    };
    paths.retain(|p| p != Path::new("-"));
    // Excludes of the configs above each root prune the walk; nested configs' excludes are applied below.
    let mut walk = Walk { excludes: vec![cli_excludes], no_ignore: options.no_ignore };
    // Only a directory is walked, so only a directory root's config can prune anything (a named file is checked
    // against its config's excludes below, with every other candidate). Each config's excludes go in once.
    let mut pruning = Vec::new();
    for root in paths.iter().filter(|root| root.is_dir()) {
        if let Some(i) = configs.for_path(root)? {
            if !pruning.contains(&i) {
                pruning.push(i);
                walk.excludes.push(configs.excludes(i).clone());
            }
        }
    }
    let (mut candidates, mut errors, listed) = discover::discover_listing(&paths, &walk);
    // Made absolute once: both look-ups below need it.
    let absolute: Vec<PathBuf> = candidates.par_iter().map(|c| discover::absolute_from(&c.path, &cwd)).collect();
    let listed: Vec<(PathBuf, Option<PathBuf>)> = listed
        .0
        .into_par_iter()
        .map(|(dir, config)| {
            (discover::absolute_from(&dir, &cwd), config.map(|config| discover::absolute_from(&config, &cwd)))
        })
        .collect();
    let scopes = configs.for_absolute_files(&absolute, &listed)?;
    drop(listed);
    let mut kept = Vec::with_capacity(candidates.len());
    for ((candidate, path), scope) in candidates.drain(..).zip(&absolute).zip(scopes) {
        if scope.is_none_or(|i| !configs.excludes(i).matches(path)) {
            kept.push((candidate, scope));
        }
    }
    drop(absolute);
    let mut candidates = kept;
    // `--source DIR`: the `.tf` configuration plans were made from, read as named files.
    let (source_files, source_errors) = discover::discover(&options.sources, &walk);
    errors.extend(source_errors);
    let discovered = candidates.len();
    for candidate in source_files.into_iter().filter(|c| is_terraform_hcl(&c.path)) {
        let scope = configs.for_file(&candidate.path)?;
        candidates.push((Candidate { explicit: true, ..candidate }, scope));
    }
    // Discovery's candidates come sorted and without repeats; only `--source` files can break that.
    if candidates.len() > discovered {
        candidates.sort();
        candidates.dedup_by(|b, a| a.0.path == b.0.path);
    }
    let source_scopes: Vec<String> = options
        .sources
        .iter()
        .map(|dir| format!("hcl:{}", hcl_display(&discover::display_path_from(dir, Some(&cwd)))))
        .collect();
    let stdin = match &options.stdin {
        Some(stdin) if is_terraform_hcl(Path::new(&stdin.name)) => {
            return Err(FatalError {
                file: stdin.name.clone(),
                line: 0,
                column: 0,
                message: "a `.tf` file is read with its module directory, not from standard input; name the file"
                    .into(),
            });
        }
        Some(stdin) => {
            let path = PathBuf::from(&stdin.name);
            candidates.retain(|(c, _)| discover::absolute(&c.path) != discover::absolute(&path));
            let scope = configs.for_path(&path)?;
            Some((Candidate::new(path, true, Some(&cwd)), scope))
        }
        None => None,
    };

    let named: Vec<(PathBuf, Option<usize>)> = candidates
        .iter()
        .filter(|(c, _)| c.explicit)
        .map(|(c, s)| (c.path.clone(), *s))
        .chain(stdin.iter().map(|(c, s)| (c.path.clone(), *s)))
        .collect();
    let mut context = Vec::new();
    if options.project_context && !named.is_empty() {
        context = project_context(&named, &candidates, configs, &walk)?;
    }
    let partial = !context.is_empty();
    let reported_count = candidates.len() + usize::from(stdin.is_some());

    // `.tf` files are read per module directory by the HCL reader, the others one by one in parallel.
    let is_hcl = |c: &&(Candidate, Option<usize>)| is_terraform_hcl(&c.0.path);
    let hcl_reported: Vec<Candidate> = candidates.iter().filter(is_hcl).map(|(c, _)| c.clone()).collect();
    let hcl_context: Vec<Candidate> = context.iter().filter(is_hcl).map(|(c, _)| c.clone()).collect();
    let to_read: Vec<(&Candidate, Option<usize>, bool)> = candidates
        .iter()
        .map(|(c, s)| (c, *s, true))
        .chain(context.iter().map(|(c, s)| (c, *s, false)))
        .filter(|(c, _, _)| !is_terraform_hcl(&c.path))
        .collect();
    let region_of = |scope: Option<usize>| {
        options.region.as_deref().or(scope.and_then(|i| configs.get(i).config.region.as_deref()))
    };
    // Only what was parsed or failed is kept (in discovery order): most candidates of a large tree hold nothing.
    let mut results: Vec<ReadResult> = to_read
        .par_iter()
        .filter_map(|(c, s, r)| {
            read_candidate(c, region_of(*s), !options.without_excerpts).transpose().map(|result| (result, *s, *r))
        })
        .collect();
    if let (Some((candidate, scope)), Some(input)) = (&stdin, &options.stdin) {
        let region = region_of(*scope);
        if let Some(result) =
            parse_candidate(candidate, input.text.clone().into_bytes(), region, !options.without_excerpts).transpose()
        {
            results.push((result, *scope, true));
        }
    }
    let mut inputs = Inputs {
        files: Vec::new(),
        scope_of: Vec::new(),
        reported: Vec::new(),
        errors: Vec::new(),
        partial,
        files_seen: reported_count,
        files_parsed: 0,
        terraform_files_read: 0,
        notes: Vec::new(),
    };
    // The modules of the run's own `.tf` files are reported; the project's other modules are context only.
    let hcl = read_terraform_hcl(&hcl_reported, &options.terraform_inputs, !options.without_excerpts);
    inputs.terraform_files_read = hcl.files_read;
    inputs.files_parsed += hcl.files_read;
    errors.extend(hcl.errors);
    inputs.notes = hcl.notes;
    let mut hcl_files: Vec<(InputFile, bool)> = hcl.files.into_iter().map(|f| (f, true)).collect();
    if !hcl_context.is_empty() {
        let context = read_terraform_hcl(&hcl_context, &options.terraform_inputs, !options.without_excerpts);
        let known: std::collections::HashSet<String> = hcl_files.iter().map(|(f, _)| f.path.clone()).collect();
        hcl_files.extend(context.files.into_iter().filter(|f| !known.contains(&f.path)).map(|f| (f, false)));
    }
    for (file, reported) in hcl_files {
        let scope = configs.for_file(Path::new(&file.path))?;
        inputs.files.push(file);
        inputs.scope_of.push(scope);
        inputs.reported.push(reported);
    }
    for (result, scope, reported) in results {
        match result {
            Ok(mut file) => {
                if reported {
                    errors.append(&mut file.document.errors);
                }
                inputs.files_parsed += usize::from(reported);
                inputs.files.push(file);
                inputs.scope_of.push(scope);
                inputs.reported.push(reported);
            }
            // A broken file the user did not ask about is left to the run that checks it.
            Err(error) if reported => errors.push(error),
            Err(_) => {}
        }
    }
    // Plans move their findings onto the `.tf` lines they were made from (in place: indices stay aligned).
    source::terraform::anchor::anchor_plans(&mut inputs.files, &source_scopes);
    inputs.errors = errors;
    Ok(inputs)
}

/// `.tf` and `.tfvars` files are read per module directory by the HCL reader, not one by one.
fn is_terraform_hcl(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tfvars")
}

/// A directory as the HCL reader names it: `.` for the working directory.
fn hcl_display(display: &str) -> String {
    let trimmed = display.trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        ".".to_string()
    } else {
        trimmed.to_string()
    }
}

/// What the HCL reader produced, as the run's files, input errors and notes.
struct HclRead {
    files: Vec<InputFile>,
    errors: Vec<InputError>,
    notes: Vec<Finding>,
    files_read: usize,
}

/// Evaluate the module directories of the run's `.tf` files.
fn read_terraform_hcl(candidates: &[Candidate], inputs: &source::hcl::Inputs, keep_text: bool) -> HclRead {
    // A `.tfvars` file counts only when named (a pre-commit hook passing a changed tfvars): its directory is
    // then evaluated with it.
    let files: Vec<(PathBuf, bool)> = candidates
        .iter()
        .filter(|c| c.explicit || c.path.extension().is_some_and(|e| e == "tf"))
        .map(|c| (c.path.clone(), c.explicit))
        .collect();
    let cwd = std::env::current_dir().ok();
    let dirs = source::hcl::select_dirs(&files, |dir| hcl_display(&discover::display_path_from(dir, cwd.as_deref())));
    if dirs.is_empty() {
        return HclRead { files: Vec::new(), errors: Vec::new(), notes: Vec::new(), files_read: 0 };
    }
    let output = source::hcl::read(&dirs, inputs);
    let notes = output
        .notes
        .into_iter()
        .map(|note| {
            let mut finding = crate::suppress::meta_finding(
                "module-not-read",
                &note.file,
                &note.resource,
                note.message,
                "ptlint reads local modules (`./` and `../` sources); for other sources, check the plan: \
                 `terraform show -json PLAN > plan.json`",
            );
            finding.span = note.span;
            finding
        })
        .collect();
    HclRead {
        files: output
            .files
            .into_iter()
            .map(|(path, text, document)| {
                let text = if keep_text { text } else { std::sync::Arc::from("") };
                InputFile { path, text, document }
            })
            .collect(),
        errors: output.errors,
        notes,
        files_read: output.files_read,
    }
}

/// The files of the projects the named files belong to (see [`crate::project::project_root`]), walked with
/// the same ignore rules and excludes, minus the files already in the run. They go through the prefilter.
fn project_context(
    named: &[(PathBuf, Option<usize>)],
    candidates: &[(Candidate, Option<usize>)],
    configs: &mut Configs,
    walk: &Walk,
) -> Result<Vec<(Candidate, Option<usize>)>, FatalError> {
    let mut roots: Vec<PathBuf> =
        named.iter().filter_map(|(path, scope)| project_root(path, configs, *scope)).collect();
    roots.sort();
    roots.dedup();
    // A root inside another root adds nothing.
    let outer: Vec<PathBuf> =
        roots.iter().filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o))).cloned().collect();
    if outer.is_empty() {
        return Ok(Vec::new());
    }
    let mut walk = walk.clone();
    for root in &outer {
        if let Some(i) = configs.for_path(root)? {
            walk.excludes.push(configs.excludes(i).clone());
        }
    }
    let known: std::collections::HashSet<PathBuf> = candidates
        .iter()
        .map(|(c, _)| discover::absolute(&c.path))
        .chain(named.iter().map(|(p, _)| discover::absolute(p)))
        .collect();
    let (found, _) = discover::discover(&outer, &walk);
    let mut context = Vec::new();
    for candidate in found {
        if known.contains(&discover::absolute(&candidate.path)) {
            continue;
        }
        let scope = configs.for_file(&candidate.path)?;
        if scope.is_none_or(|i| !configs.excludes(i).matches(&candidate.path)) {
            context.push((candidate, scope));
        }
    }
    Ok(context)
}
