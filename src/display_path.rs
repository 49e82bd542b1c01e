//! Paths as reports show them: relative to the working directory when under it, `/`-separated.

use std::path::Path;

/// A path as reports show it: relative to the working directory when under it, `/`-separated.
pub fn display_path(path: &Path) -> String {
    display_path_from(path, std::env::current_dir().ok().as_deref())
}

/// [`display_path`] against a working directory looked up once by the caller.
pub fn display_path_from(path: &Path, cwd: Option<&Path>) -> String {
    let relative = cwd.and_then(|cwd| path.strip_prefix(cwd).ok()).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_relative_to_the_working_directory() {
        let cwd = Path::new("/work/repo");
        assert_eq!(display_path_from(Path::new("/work/repo/infra/a.yaml"), Some(cwd)), "infra/a.yaml");
        assert_eq!(display_path_from(Path::new("./infra/a.yaml"), Some(cwd)), "infra/a.yaml");
        assert_eq!(display_path_from(Path::new("/elsewhere/a.yaml"), Some(cwd)), "/elsewhere/a.yaml");
        assert_eq!(display_path_from(Path::new("b.json"), None), "b.json");
    }
}
