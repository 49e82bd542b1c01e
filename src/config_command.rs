//! `ptlint config [PATH]`: the config in effect for a path (nearest `.ptlint.yaml`, or `--config`) and its file.

use crate::cli::{ConfigArgs, ConfigFormat};
use crate::discover::display_path;
use crate::engine::FatalError;
use crate::project::Configs;
use std::path::PathBuf;

/// The report: the file the config came from (or that there is none, so defaults apply) and its settings.
pub fn render(args: &ConfigArgs) -> Result<String, FatalError> {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !path.exists() {
        return Err(FatalError {
            file: display_path(&path),
            line: 0,
            column: 0,
            message: "no such file or directory".into(),
        });
    }
    let mut configs = Configs::new(args.config.as_deref())?;
    let found = configs.for_path(&path)?.map(|i| configs.get(i));
    let file = found.map(|l| display_path(&l.path));
    let config = found.map(|l| l.config.clone()).unwrap_or_default();
    let error = |e: String| FatalError { file: String::new(), line: 0, column: 0, message: e };
    match args.format {
        ConfigFormat::Json => {
            let value = serde_json::json!({ "path": display_path(&path), "file": file, "config": config });
            let mut text = serde_json::to_string_pretty(&value).map_err(|e| error(e.to_string()))?;
            text.push('\n');
            Ok(text)
        }
        ConfigFormat::Yaml => {
            let header = match &file {
                Some(file) => format!("# config for {}: {file}\n", display_path(&path)),
                None => {
                    format!("# config for {}: no .ptlint.yaml at or above it; defaults apply\n", display_path(&path))
                }
            };
            let body = serde_yaml::to_string(&config).map_err(|e| error(e.to_string()))?;
            Ok(header + &body)
        }
    }
}
