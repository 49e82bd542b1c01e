//! The region of a `cdk synth` stack: `cdk.out/manifest.json` names each stack's template and its environment
//! (`aws://ACCOUNT/REGION`), which is where `Ref: AWS::Region` in that template resolves when it is deployed.

use crate::source::read::{ReadError, Repository, MAX_FILE_BYTES};
use std::path::{Path, PathBuf};

/// The region the CDK manifest beside `template` gives its stack, if the stack has a concrete environment
/// (`unknown-region` is what environment-agnostic stacks say). No manifest is no region; a manifest that is there
/// but cannot be read (a link to a device, a file over the size limit) is an error naming it.
pub fn stack_region(template: &Path) -> Result<Option<String>, (PathBuf, ReadError)> {
    let Some(dir) = template.parent() else { return Ok(None) };
    let manifest = dir.join("manifest.json");
    let bytes = match Repository::holding(dir).read_regular_file(&manifest, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err((manifest, e)),
    };
    Ok(region_in(template, &bytes))
}

fn region_in(template: &Path, manifest: &[u8]) -> Option<String> {
    let name = template.file_name()?.to_str()?;
    let json: serde_json::Value = serde_json::from_slice(manifest).ok()?;
    json.get("artifacts")?.as_object()?.values().find_map(|artifact| {
        let is_stack = artifact.get("type")?.as_str()? == "aws:cloudformation:stack";
        let file = artifact.pointer("/properties/templateFile")?.as_str()?;
        if !is_stack || file != name {
            return None;
        }
        let region = artifact.get("environment")?.as_str()?.strip_prefix("aws://")?.split('/').nth(1)?;
        (!region.is_empty() && region != "unknown-region").then(|| region.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_gives_the_stacks_region() {
        let dir = tempfile::tempdir().unwrap();
        let manifest = r#"{"artifacts": {
            "Chat": {"type": "aws:cloudformation:stack", "environment": "aws://123456789012/us-west-2",
                     "properties": {"templateFile": "Chat.template.json"}},
            "Agnostic": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region",
                     "properties": {"templateFile": "Agnostic.template.json"}}}}"#;
        std::fs::write(dir.path().join("manifest.json"), manifest).unwrap();
        let region = |template: &Path| stack_region(template).map_err(|(path, e)| format!("{}: {e}", path.display()));
        assert_eq!(region(&dir.path().join("Chat.template.json")), Ok(Some("us-west-2".into())));
        assert_eq!(region(&dir.path().join("Agnostic.template.json")), Ok(None));
        assert_eq!(region(&dir.path().join("Other.template.json")), Ok(None));
        assert_eq!(region(Path::new("no/such/dir/Chat.template.json")), Ok(None));
    }
}
