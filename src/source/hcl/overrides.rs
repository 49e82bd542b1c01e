//! Override files (`override.tf`, `*_override.tf` and their `.tf.json`) merged into the module's primary blocks
//! as terraform merges them (https://developer.hashicorp.com/terraform/language/files/override): an argument
//! replaces the base's, a nested block type replaces every base block of that type, locals merge value by value,
//! and an override of a block the primary files do not declare is an error.

use super::declarations::{Decl, ModuleSource};
use super::parse::{labels, SourceFile};
use crate::finding::InputError;
use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span as _;
use std::collections::BTreeSet;

/// Merge one override file (parsed at offsets after the primary files') into the module, in file order.
pub fn merge_file(module: &mut ModuleSource, mut file: SourceFile, errors: &mut Vec<InputError>) {
    let file_index = module.files.len();
    let body = std::mem::take(&mut file.body);
    let overlay = file.overlay();
    let mut touched: BTreeSet<usize> = BTreeSet::new();
    let not_declared = |what: String| {
        format!(
            "{what} is not declared in the module's primary files, so there is nothing to override \
             (terraform refuses it)"
        )
    };
    for block in body.into_blocks() {
        let kind = block.ident.as_str().to_string();
        let names: Vec<String> = labels(&block).into_iter().map(str::to_string).collect();
        let decl: Option<&mut Decl> = match (kind.as_str(), names.as_slice()) {
            ("resource" | "data", [resource_type, name]) => {
                let key = (kind == "data", resource_type.clone(), name.clone());
                module.resource_index.get(&key).copied().and_then(|i| module.resources.get_mut(i)).map(|r| &mut r.decl)
            }
            ("variable", [name]) => module.variables.get_mut(name),
            ("output", [name]) => module.outputs.get_mut(name),
            ("module", [name]) => module.calls.iter_mut().find(|c| &c.name == name).map(|c| &mut c.decl),
            ("provider", [name]) if name == "aws" => {
                let alias = block.body.get_attribute("alias").and_then(|a| a.value.as_str().map(str::to_string));
                module.aws_providers.get_mut(&alias.unwrap_or_default())
            }
            ("locals", []) => {
                for attribute in block.body.into_attributes() {
                    let name = attribute.key.as_str().to_string();
                    match module.locals.get_mut(&name) {
                        Some(slot) => *slot = (file_index, attribute),
                        None => {
                            let span = file.span(attribute.key.span());
                            errors.push(file.error_at(span, not_declared(format!("local `{name}`"))));
                        }
                    }
                }
                continue;
            }
            // Other providers and the `terraform` block decide nothing ptlint reads.
            ("provider" | "terraform", _) => continue,
            _ => continue,
        };
        let Some(decl) = decl else {
            let what = std::iter::once(kind.clone())
                .chain(names.iter().map(|n| format!("\"{n}\"")))
                .collect::<Vec<_>>()
                .join(" ");
            errors.push(file.error_at(file.block_span(&block), not_declared(format!("`{what}`"))));
            continue;
        };
        decl.overridden_at = super::parse::header_range(&block);
        touched.insert(decl.file);
        merge_body(&mut decl.block.body, block.body);
    }
    // A module call's source may itself be overridden.
    for call in &mut module.calls {
        if call.decl.overridden_at.is_some() {
            call.source =
                call.decl.block.body.get_attribute("source").and_then(|a| a.value.as_str().map(str::to_string));
        }
    }
    for index in touched {
        if let Some(base) = module.files.get_mut(index) {
            base.add_overlay(overlay.clone());
        }
    }
    module.files.push(file);
}

/// Terraform's merge of an override body into a base body: each argument replaces the base's argument of that
/// name; the nested blocks of each type the override has replace all the base's blocks of that type.
fn merge_body(base: &mut Body, over: Body) {
    let replaced: BTreeSet<String> = over.blocks().map(|b| b.ident.as_str().to_string()).collect();
    for ident in &replaced {
        base.remove_blocks(ident);
    }
    for structure in over {
        match structure {
            Structure::Attribute(attribute) => {
                base.remove_attribute(attribute.key.as_str());
                base.push(attribute);
            }
            Structure::Block(block) => base.push(block),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        hcl_edit::parser::parse_body(text).expect("valid HCL")
    }

    #[test]
    fn arguments_replace_and_block_types_replace_all_of_their_kind() {
        let mut base = body("a = 1\nb = 2\nq { x = 1 }\nq { x = 2 }\nk { y = 1 }\n");
        merge_body(&mut base, body("b = 3\nq { x = 9 }\n"));
        let text = base.to_string();
        assert!(text.contains("a = 1") && text.contains("b = 3") && !text.contains("b = 2"), "{text}");
        assert_eq!(base.get_blocks("q").count(), 1, "{text}");
        assert!(text.contains("x = 9") && text.contains("y = 1"), "{text}");
    }

    /// An override of a block the primary files do not declare is terraform's error, at the override block.
    #[test]
    fn overriding_what_is_not_declared_is_an_input_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).expect("write");
        write("main.tf", "resource \"aws_x\" \"a\" {\n  n = 1\n}\n");
        write("override.tf", "resource \"aws_x\" \"a\" {\n  n = 2\n}\n\nresource \"aws_x\" \"b\" {\n  n = 3\n}\n");
        write("z_override.tf.json", r#"{"locals": {"missing": 1}}"#);
        let mut project = super::super::module::Project::default();
        let index = project.load(dir.path(), ".");
        let messages: Vec<(String, u32, u32)> =
            project.errors.iter().map(|e| (e.file.clone(), e.line, e.column)).collect();
        assert_eq!(messages, [("override.tf".to_string(), 5, 1), ("z_override.tf.json".to_string(), 1, 13)]);
        assert!(project.errors[0].message.contains("`resource \"aws_x\" \"b\"` is not declared"));
        // The declared block took the override's value, which resolves to its place in override.tf.
        let module = &project.modules[index];
        let decl = &module.resources[0].decl;
        let value = decl.block.body.get_attribute("n").expect("n");
        assert_eq!(value.value.to_string().trim(), "2");
        let file = module.file(decl.file).expect("file");
        let range = hcl_edit::Span::span(&value.value);
        assert_eq!(file.path_of(&range), "override.tf");
        assert_eq!((file.span(range).line, file.span(value.value.span()).column), (2, 7));
    }
}
