//! The region of a `cdk synth` stack: `cdk.out/manifest.json` names each stack's template and its environment
//! (`aws://ACCOUNT/REGION`), which is where `Ref: AWS::Region` in that template resolves when it is deployed.

use std::path::Path;

/// The region the CDK manifest beside `template` gives its stack, if the stack has a concrete environment
/// (`unknown-region` is what environment-agnostic stacks say).
pub fn stack_region(template: &Path) -> Option<String> {
    let name = template.file_name()?.to_str()?;
    let manifest = template.parent()?.join("manifest.json");
    let text = std::fs::read_to_string(manifest).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
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
        assert_eq!(stack_region(&dir.path().join("Chat.template.json")).as_deref(), Some("us-west-2"));
        assert_eq!(stack_region(&dir.path().join("Agnostic.template.json")), None);
        assert_eq!(stack_region(&dir.path().join("Other.template.json")), None);
        assert_eq!(stack_region(Path::new("no/such/dir/Chat.template.json")), None);
    }
}
