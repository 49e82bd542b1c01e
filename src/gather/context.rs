//! What a run reads besides the paths it reports on: the rest of each named path's project (for budgets, alarms and
//! custom models that reach a PT from outside the named paths), and the `.tf` configuration beside a named plan.

use crate::discover::{self, Candidate, SeenConfigs, Walk};
use crate::error::FatalError;
use crate::project::{project_root, Configs};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A path the run reports on, for finding its project: the path, whether it is a directory, and its config.
pub(super) struct Named {
    pub path: PathBuf,
    pub is_dir: bool,
    pub config: Option<usize>,
}

/// The files of the projects the named paths belong to (see [`project_root`]), walked with the same ignore rules
/// and excludes, minus the files in `known` (absolute paths: those the run reads already), and the config files
/// the walks met. A project inside a named directory adds nothing: that directory was walked.
pub(super) fn project_context(
    named: &[Named],
    known: &HashSet<PathBuf>,
    configs: &mut Configs,
    walk: &Walk,
) -> Result<(Vec<Candidate>, SeenConfigs), FatalError> {
    let named_dirs: Vec<PathBuf> = named.iter().filter(|n| n.is_dir).map(|n| discover::absolute(&n.path)).collect();
    let mut roots: Vec<PathBuf> = named
        .iter()
        .filter_map(|n| project_root(&n.path, n.is_dir, configs, n.config))
        .filter(|root| !named_dirs.iter().any(|dir| root.starts_with(dir)))
        .collect();
    roots.sort();
    roots.dedup();
    // A root inside another root adds nothing.
    let outer: Vec<PathBuf> =
        roots.iter().filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o))).cloned().collect();
    if outer.is_empty() {
        return Ok((Vec::new(), SeenConfigs::default()));
    }
    let mut walk = walk.clone();
    for root in &outer {
        if let Some(i) = configs.for_path(root)? {
            walk.excludes.push(configs.excludes(i).clone());
        }
    }
    let (found, _, seen) = discover::discover_with_configs(&outer, &walk);
    let context = found.into_iter().filter(|c| !known.contains(&discover::absolute(&c.path))).collect();
    Ok((context, seen))
}

/// The `.tf` files in the directory of each of these plans, the configuration `terraform plan` ran in, so that the
/// plan's PTs are anchored to its lines however the plan was named. Files in `known` (absolute) are left out.
pub(super) fn plan_configurations(plans: &[&Path], known: &HashSet<PathBuf>) -> Vec<Candidate> {
    let cwd = std::env::current_dir().ok();
    let mut dirs: Vec<PathBuf> =
        plans.iter().map(|plan| plan.parent().map(Path::to_path_buf).unwrap_or_default()).collect();
    dirs.sort();
    dirs.dedup();
    let mut found = Vec::new();
    for dir in dirs {
        let listed = if dir.as_os_str().is_empty() { Path::new(".") } else { dir.as_path() };
        let Ok(entries) = std::fs::read_dir(listed) else { continue };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| dir.join(e.file_name()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "tf"))
            .filter(|path| !known.contains(&discover::absolute(path)))
            .collect();
        files.sort();
        found.extend(files.into_iter().map(|path| Candidate::new(path, false, cwd.as_deref())));
    }
    found
}
