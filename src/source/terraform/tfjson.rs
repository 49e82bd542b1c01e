//! Terraform's JSON syntax recognised in a `.json` file; `.tf.json` files are read as modules by the HCL reader
//! (`source/hcl/json_syntax.rs`), with their `.tf` siblings.

use crate::source::node::Node;

/// Does this JSON document use Terraform's JSON syntax?
pub fn is_tf_json(root: &Node) -> bool {
    root.as_object().is_some_and(|entries| {
        entries.iter().any(|(k, _)| {
            matches!(k.name.as_str(), "resource" | "data" | "variable" | "provider" | "terraform" | "module" | "locals")
        })
    })
}
