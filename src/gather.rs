//! The inputs of a run: discovery, the project context of named paths, each file's config (looked up only where
//! it can matter), reading and parsing in parallel, plans anchored to their `.tf`, and each file's link unit.

mod context;
mod read;
#[cfg(test)]
mod tests;
mod units;

use crate::discover::{self, Candidate, Excludes, Walk};
use crate::error::FatalError;
use crate::finding::{Finding, InputError};
use crate::link::InputFile;
use crate::model::Format;
use crate::options::Options;
use crate::project::Configs;
use crate::source;
use context::Named;
use rayon::prelude::*;
pub(crate) use read::SetAside;
use read::Text;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The parsed files of a run: those reported on and those read only for context.
pub(crate) struct Inputs {
    pub files: Vec<InputFile>,
    /// Per file: the index of the config in effect for it.
    pub scope_of: Vec<Option<usize>>,
    /// Per file: whether findings on it are reported (false for project context).
    pub reported: Vec<bool>,
    /// Per file: its link unit (see [`units::link_units`]).
    pub unit_of: Vec<usize>,
    pub errors: Vec<InputError>,
    pub files_seen: usize,
    pub files_parsed: usize,
    /// How many Terraform `.tf` files were parsed (a part of `files_parsed`).
    pub terraform_files_read: usize,
    /// Notes of the HCL reader on the reported files (modules it could not read).
    pub notes: Vec<Finding>,
    /// By file path: the texts not kept in memory, to be read again for excerpts (see [`texts_for_findings`]).
    pub set_aside: HashMap<String, SetAside>,
}

/// One file of the run before parsing: the candidate, its absolute path, and whether it is reported on.
struct Entry {
    candidate: Candidate,
    absolute: PathBuf,
    reported: bool,
}

/// What reading an entry gave: nothing for ptlint, bytes to parse, or an error.
enum Read {
    Nothing,
    Bytes(Vec<u8>),
    Failed(InputError),
}

/// Discover, add the project context of named paths, look up configs and apply their excludes, parse, anchor plans
/// and assign link units.
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
    let mut named = Vec::new();
    let mut known_files = Vec::with_capacity(paths.len());
    for root in &paths {
        // One look-up of what the path is (`is_dir` and `is_file` follow links, as `metadata` does), which
        // discovery is told too.
        let kind = std::fs::metadata(root).map(|m| (m.is_dir(), m.is_file()));
        known_files.push(kind.as_ref().ok().map(|(_, is_file)| *is_file));
        let Ok((is_dir, is_file)) = kind else { continue };
        if !is_dir && !is_file {
            continue;
        }
        let config = configs.for_path_of_kind(root, is_dir, &cwd)?;
        if let (true, Some(i)) = (is_dir, config) {
            if !pruning.contains(&i) {
                pruning.push(i);
                walk.excludes.push(configs.excludes(i).clone());
            }
        }
        named.push(Named { path: root.clone(), is_dir, config });
    }
    // The configurations plans were made from belong to the run's projects too.
    for dir in options.sources.iter().filter(|dir| dir.is_dir()) {
        let config = configs.for_path(dir)?;
        named.push(Named { path: dir.clone(), is_dir: true, config });
    }
    let (mut candidates, mut errors, mut seen) = discover::discover_known(&paths, &known_files, &walk);
    // `--source DIR`: the `.tf` configuration plans were made from, read as named files.
    let (source_files, source_errors) = discover::discover(&options.sources, &walk);
    errors.extend(source_errors);
    let discovered = candidates.len();
    candidates.extend(
        source_files.into_iter().filter(|c| is_terraform_hcl(&c.path)).map(|c| Candidate { explicit: true, ..c }),
    );
    // Discovery's candidates come sorted and without repeats; only `--source` files can break that.
    if candidates.len() > discovered {
        candidates.sort();
        candidates.dedup_by(|b, a| a.path == b.path);
    }
    let source_scopes: Vec<String> = options
        .sources
        .iter()
        .map(|dir| format!("hcl:{}", hcl_display(&discover::display_path_from(dir, Some(&cwd)))))
        .collect();
    let stdin = match &options.stdin {
        Some(stdin) if is_terraform_hcl(Path::new(&stdin.name)) && !stdin.name.ends_with(".tf.json") => {
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
            candidates.retain(|c| discover::absolute(&c.path) != discover::absolute(&path));
            let config = configs.for_path(&path)?;
            named.push(Named { path: path.clone(), is_dir: false, config });
            Some((Candidate::new(path, true, Some(&cwd)), config))
        }
        None => None,
    };
    let mut entries: Vec<Entry> = candidates
        .into_par_iter()
        .map(|candidate| Entry { absolute: discover::absolute_from(&candidate.path, &cwd), candidate, reported: true })
        .collect();
    if options.project_context && !named.is_empty() {
        let mut known: HashSet<PathBuf> = entries.iter().map(|e| e.absolute.clone()).collect();
        known.extend(named.iter().map(|n| discover::absolute(&n.path)));
        let (context, context_seen) = context::project_context(&named, &known, configs, &walk)?;
        entries.extend(context.into_iter().map(|candidate| Entry {
            absolute: discover::absolute_from(&candidate.path, &cwd),
            candidate,
            reported: false,
        }));
        seen.0.extend(context_seen.0);
    }

    // Each file's config as far as the configs the walks met say (no system call): a file one of them excludes is
    // confirmed by looking (a nearer config an ignore file hid from the walk would win), and left unread.
    let seen: Vec<PathBuf> = seen.0.iter().map(|config| discover::absolute_from(config, &cwd)).collect();
    let all: Vec<PathBuf> = entries.iter().map(|e| e.absolute.clone()).collect();
    let mut scope_of = configs.nearest_seen(&all, &seen)?;
    drop(all);
    let excluded_by =
        |configs: &Configs, scope: Option<usize>, path: &Path| scope.is_some_and(|i| configs.excludes(i).matches(path));
    let flagged: Vec<usize> =
        (0..entries.len()).filter(|&i| excluded_by(configs, scope_of[i], &entries[i].absolute)).collect();
    let flagged_absolute: Vec<PathBuf> = flagged.iter().map(|&i| entries[i].absolute.clone()).collect();
    for (i, scope) in flagged.iter().copied().zip(configs.for_absolute_files(&flagged_absolute)?) {
        scope_of[i] = scope;
    }
    let mut excluded: Vec<bool> =
        entries.iter().zip(&scope_of).map(|(e, scope)| excluded_by(configs, *scope, &e.absolute)).collect();

    // Read and prefilter every file that is not Terraform HCL (those are read per module directory below). The
    // prefilter needs no config, so exact config look-ups are made only for the files that can matter.
    let reads: Vec<Read> = entries
        .par_iter()
        .zip(&excluded)
        .map(|(e, excluded)| {
            if *excluded || is_terraform_hcl(&e.candidate.path) {
                return Read::Nothing;
            }
            match read::read_prefiltered(&e.candidate) {
                Ok(None) => Read::Nothing,
                Ok(Some(bytes)) => Read::Bytes(bytes),
                Err(error) => Read::Failed(error),
            }
        })
        .collect();
    // Exact look-ups for what can matter, reported files first (config indices follow the order files need them).
    let matters: Vec<bool> = (0..entries.len())
        .map(|i| {
            let e = &entries[i];
            let named_or_hcl = e.candidate.explicit || is_terraform_hcl(&e.candidate.path);
            !excluded[i] && (named_or_hcl || !matches!(reads[i], Read::Nothing))
        })
        .collect();
    for reported in [true, false] {
        let pick: Vec<usize> = (0..entries.len()).filter(|&i| entries[i].reported == reported && matters[i]).collect();
        let absolute: Vec<PathBuf> = pick.iter().map(|&i| entries[i].absolute.clone()).collect();
        for (i, scope) in pick.into_iter().zip(configs.for_absolute_files(&absolute)?) {
            scope_of[i] = scope;
            excluded[i] = excluded_by(configs, scope, &entries[i].absolute);
        }
    }
    let files_seen =
        entries.iter().zip(&excluded).filter(|(e, x)| e.reported && !**x).count() + usize::from(stdin.is_some());

    // Parse what passed, in discovery order, reported files before context.
    let region_of = |scope: Option<usize>| {
        options.region.as_deref().or(scope.and_then(|i| configs.get(i).config.region.as_deref()))
    };
    let keep_text = !options.without_excerpts;
    let text = if keep_text { Text::SetAside } else { Text::Drop };
    let mut order: Vec<usize> = (0..entries.len()).filter(|&i| !excluded[i]).collect();
    order.sort_by_key(|&i| !entries[i].reported);
    let mut reads: Vec<Option<Read>> = reads.into_iter().map(Some).collect();
    let to_parse: Vec<(usize, Read)> = order
        .iter()
        .filter_map(|&i| match reads[i].take() {
            Some(Read::Nothing) | None => None,
            Some(read) => Some((i, read)),
        })
        .collect();
    // `.tf` files are read per module directory by the HCL reader: the run's own, then the rest as context, with
    // the configuration beside each reported plan (so that its PTs are anchored to it however the plan was named).
    let hcl = |reported: bool| -> Vec<Candidate> {
        order
            .iter()
            .filter(|&&i| entries[i].reported == reported && is_terraform_hcl(&entries[i].candidate.path))
            .map(|&i| entries[i].candidate.clone())
            .collect()
    };
    let (hcl_reported, mut hcl_context) = (hcl(true), hcl(false));
    type Parsed = (InputFile, Option<SetAside>);
    let parse_all = || -> Vec<(Result<Parsed, InputError>, Option<usize>, bool)> {
        to_parse
            .into_par_iter()
            .filter_map(|(i, read)| {
                let (e, scope) = (&entries[i], scope_of[i]);
                let result = match read {
                    Read::Bytes(bytes) => read::parse_candidate(&e.candidate, bytes, region_of(scope), text),
                    Read::Failed(error) => Err(error),
                    Read::Nothing => Ok(None),
                };
                result.transpose().map(|result| (result, scope, e.reported))
            })
            .collect()
    };
    // The run's own modules are read while the other files are parsed: neither waits for the other's last file.
    let read_hcl = || read_terraform_hcl(&hcl_reported, &options.terraform_inputs, keep_text);
    // Both through rayon, never a thread of our own that waits for rayon: a run inside a rayon pool (a caller's
    // own par_iter) would otherwise block every worker in the join while the reader waits for a free one.
    let (mut results, hcl) = rayon::join(parse_all, read_hcl);
    if let (Some((candidate, scope)), Some(input)) = (&stdin, &options.stdin) {
        let region = region_of(*scope);
        // Standard input cannot be read again: its text is kept when excerpts are shown.
        let stdin_text = if keep_text { Text::Keep } else { Text::Drop };
        if let Some(result) =
            read::parse_candidate(candidate, input.text.clone().into_bytes(), region, stdin_text).transpose()
        {
            results.push((result, *scope, true));
        }
    }

    let plans: Vec<&Path> = results
        .iter()
        .filter_map(|(result, _, reported)| match result {
            Ok((file, _)) if *reported && file.document.format == Format::TerraformPlan => Some(Path::new(&file.path)),
            _ => None,
        })
        .collect();
    if !plans.is_empty() {
        let known: HashSet<PathBuf> = entries.iter().map(|e| e.absolute.clone()).collect();
        for candidate in context::plan_configurations(&plans, &known) {
            let scope = configs.for_file(&candidate.path)?;
            if scope.is_none_or(|i| !configs.excludes(i).matches(&candidate.path)) {
                hcl_context.push(candidate);
            }
        }
    }
    let mut inputs = Inputs {
        files: Vec::new(),
        scope_of: Vec::new(),
        reported: Vec::new(),
        unit_of: Vec::new(),
        errors: Vec::new(),
        files_seen,
        files_parsed: 0,
        terraform_files_read: 0,
        notes: Vec::new(),
        set_aside: HashMap::new(),
    };
    // The modules of the run's own `.tf` files are reported; the project's other modules are context only.
    inputs.terraform_files_read = hcl.files_read;
    inputs.files_parsed += hcl.files_read + hcl.json_files_read;
    errors.extend(hcl.errors);
    inputs.notes = hcl.notes;
    let mut hcl_files: Vec<(InputFile, bool)> = hcl.files.into_iter().map(|f| (f, true)).collect();
    if !hcl_context.is_empty() {
        let context = read_terraform_hcl(&hcl_context, &options.terraform_inputs, keep_text);
        let known: HashSet<String> = hcl_files.iter().map(|(f, _)| f.path.clone()).collect();
        hcl_files.extend(context.files.into_iter().filter(|f| !known.contains(&f.path)).map(|f| (f, false)));
    }
    // `.tf` documents come first; `.tf.json` ones take their place among the other files, in discovery order.
    let mut others: Vec<(InputFile, Option<usize>, bool)> = Vec::new();
    for (file, reported) in hcl_files {
        let scope = configs.for_file(Path::new(&file.path))?;
        if file.path.ends_with(".json") {
            others.push((file, scope, reported));
            continue;
        }
        inputs.files.push(file);
        inputs.scope_of.push(scope);
        inputs.reported.push(reported);
    }
    let json_count = others.len();
    for (result, scope, reported) in results {
        match result {
            Ok((mut file, set_aside)) => {
                if let Some(set_aside) = set_aside {
                    inputs.set_aside.entry(file.path.clone()).or_insert(set_aside);
                }
                if reported {
                    errors.append(&mut file.document.errors);
                }
                inputs.files_parsed += usize::from(reported);
                others.push((file, scope, reported));
            }
            // A broken file the user did not ask about is left to the run that checks it.
            Err(error) if reported => errors.push(error),
            Err(_) => {}
        }
    }
    if json_count > 0 {
        others.sort_by(|a, b| (!a.2, Path::new(&a.0.path)).cmp(&(!b.2, Path::new(&b.0.path))));
    }
    for (file, scope, reported) in others {
        inputs.files.push(file);
        inputs.scope_of.push(scope);
        inputs.reported.push(reported);
    }
    // Plans move their findings onto the `.tf` lines they were made from (in place: indices stay aligned), and the
    // `.tf` files a reported plan landed on are reported with it.
    let anchored = source::terraform::anchor::anchor_plans(&mut inputs.files, &source_scopes);
    for (plan, sources) in &anchored {
        if inputs.reported[*plan] {
            for &source in sources {
                inputs.reported[source] = true;
            }
        }
    }
    inputs.unit_of = units::link_units(&inputs.files, &anchored, &inputs.scope_of, configs);
    inputs.errors = errors;
    Ok(inputs)
}

/// Give the files that findings point into their text for excerpts, read again from disk where it was set aside
/// ([`SetAside`]), and drop the texts of the others (the HCL reader's, kept since it read them per module), so
/// the report holds only what it shows.
pub(crate) fn texts_for_findings(files: &mut [InputFile], findings: &[Finding], set_aside: &HashMap<String, SetAside>) {
    let wanted: HashSet<&str> = findings.iter().map(|f| f.file.as_str()).collect();
    files.par_iter_mut().for_each(|file| {
        if !wanted.contains(file.path.as_str()) {
            if !file.text.is_empty() {
                file.text = std::sync::Arc::from("");
            }
            return;
        }
        if let Some(text) = set_aside.get(&file.path).and_then(SetAside::read_again) {
            file.text = text.into();
        }
    });
}

/// `.tf`, `.tf.json` and `.tfvars` files are read per module directory by the HCL reader, not one by one.
fn is_terraform_hcl(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.ends_with(".tf") || name.ends_with(".tf.json") || name.ends_with(".tfvars")
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
    json_files_read: usize,
}

/// Evaluate the module directories of the run's `.tf` files.
fn read_terraform_hcl(candidates: &[Candidate], inputs: &source::hcl::Inputs, keep_text: bool) -> HclRead {
    // A `.tfvars` file counts only when named (a pre-commit hook passing a changed tfvars): its directory is
    // then evaluated with it.
    let files: Vec<(PathBuf, bool)> = candidates
        .iter()
        .filter(|c| c.explicit || source::hcl::module::is_config_file(&c.path.to_string_lossy()))
        .map(|c| (c.path.clone(), c.explicit))
        .collect();
    let cwd = std::env::current_dir().ok();
    let dirs = source::hcl::select_dirs(&files, |dir| hcl_display(&discover::display_path_from(dir, cwd.as_deref())));
    if dirs.is_empty() {
        return HclRead { files: Vec::new(), errors: Vec::new(), notes: Vec::new(), files_read: 0, json_files_read: 0 };
    }
    let output = source::hcl::read(&dirs, inputs);
    let notes = output
        .notes
        .into_iter()
        .map(|note| {
            let (name, help) = match note.kind {
                source::hcl::NoteKind::ModuleNotRead => (
                    "module-not-read",
                    "ptlint reads local modules (`./` and `../` sources); for other sources, check the plan: \
                     `terraform show -json PLAN > plan.json`",
                ),
                source::hcl::NoteKind::InstancesUnknown => (
                    "instances-unknown",
                    "give the variables it depends on a value (`--var NAME=VALUE`, `--var-file FILE`, \
                     terraform.tfvars or `TF_VAR_NAME`), or check the plan: `terraform show -json PLAN > plan.json`",
                ),
            };
            let mut finding = crate::suppress::meta_finding(name, &note.file, &note.resource, note.message, help);
            finding.span = note.span;
            if note.warning {
                finding.level = crate::finding::Level::Warning;
            }
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
        json_files_read: output.json_files_read,
    }
}
