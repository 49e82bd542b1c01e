//! Link units: the files whose budgets cover each other's PTs (`docs/scope.md`). One CloudFormation template, one
//! cdk.out assembly (its stacks), one Terraform root module with the modules it calls (and the plans made from it),
//! joined further only by a config's `link_scopes`.

use crate::config::path_in_scope;
use crate::discover::relative_to;
use crate::link::InputFile;
use crate::model::Format;
use crate::project::Configs;
use std::collections::HashMap;

/// The link unit of each file, numbered from 0 in order of first appearance. `anchored` pairs each plan with the
/// `.tf` files it was anchored to; `scope_of` gives each file's config, whose `link_scopes` may join units.
pub(super) fn link_units(
    files: &[InputFile],
    anchored: &[(usize, Vec<usize>)],
    scope_of: &[Option<usize>],
    configs: &Configs,
) -> Vec<usize> {
    let mut keys: Vec<String> = files.iter().map(natural_key).collect();
    // A plan belongs with the configuration it was made from, wherever that is (`--source`).
    for (plan, sources) in anchored {
        if let Some(&source) = sources.first() {
            keys[*plan] = keys[source].clone();
        }
    }
    let mut ids: HashMap<String, usize> = HashMap::new();
    let natural: Vec<usize> = keys
        .into_iter()
        .map(|key| {
            let next = ids.len();
            *ids.entry(key).or_insert(next)
        })
        .collect();
    let mut units = Joins::new(ids.len());
    // One node per named set of each config; a unit with a file in the set joins it.
    let mut sets: HashMap<(usize, &str), usize> = HashMap::new();
    for (at, (file, scope)) in files.iter().zip(scope_of).enumerate() {
        let Some(index) = *scope else { continue };
        let loaded = configs.get(index);
        if loaded.config.link_scopes.is_empty() {
            continue;
        }
        let Some(relative) = relative_to(&file.path, &loaded.dir) else { continue };
        for (name, paths) in &loaded.config.link_scopes {
            if paths.iter().any(|path| path_in_scope(path, &relative)) {
                let node = *sets.entry((index, name.as_str())).or_insert_with(|| units.add());
                units.join(node, natural[at]);
            }
        }
    }
    // Renumber by first appearance, so the numbers say nothing of how the sets were joined.
    let mut renumbered: HashMap<usize, usize> = HashMap::new();
    natural
        .iter()
        .map(|&unit| {
            let root = units.find(unit);
            let next = renumbered.len();
            *renumbered.entry(root).or_insert(next)
        })
        .collect()
}

/// The unit a file forms on its own: its Terraform root module (the HCL reader's scope; for a plan or `.tf.json`,
/// the root module of its directory), its cdk.out assembly, or the file.
fn natural_key(file: &InputFile) -> String {
    let path = file.path.as_str();
    // A plan, and a `.tf.json` (one configuration per directory), belong with the root module of their directory,
    // named as the HCL reader names it.
    let module_of_dir = || {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        format!("hcl:{}", if dir.is_empty() { "." } else { dir })
    };
    if matches!(file.document.format, Format::TerraformPlan | Format::TerraformJson) {
        return module_of_dir();
    }
    if let Some(scope) = &file.document.scope {
        return scope.clone();
    }
    match cdk_assembly(path) {
        Some(assembly) => format!("cdk:{assembly}"),
        None => format!("file:{path}"),
    }
}

/// The `cdk.out` directory a path lies in (the outermost one), as the path spells it.
fn cdk_assembly(path: &str) -> Option<&str> {
    let mut end = 0;
    for part in path.split('/') {
        end += part.len();
        if part == "cdk.out" {
            return Some(&path[..end]);
        }
        end += 1;
    }
    None
}

/// Union-find over unit numbers.
struct Joins {
    parent: Vec<usize>,
}

impl Joins {
    fn new(n: usize) -> Joins {
        Joins { parent: (0..n).collect() }
    }

    fn add(&mut self) -> usize {
        self.parent.push(self.parent.len());
        self.parent.len() - 1
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdk_assemblies_are_found_in_the_path() {
        assert_eq!(cdk_assembly("app/cdk.out/Stack.template.json"), Some("app/cdk.out"));
        assert_eq!(cdk_assembly("cdk.out/assembly-Prod/Stack.template.json"), Some("cdk.out"));
        assert_eq!(cdk_assembly("app/cdk.output/Stack.template.json"), None);
        assert_eq!(cdk_assembly("stacks/chat.yaml"), None);
    }

    fn input(path: &str, format: Format, scope: Option<&str>) -> InputFile {
        let mut document = crate::model::Document::empty(format);
        document.scope = scope.map(str::to_string);
        InputFile { path: path.into(), text: "".into(), document }
    }

    #[test]
    fn each_format_forms_its_unit() {
        let files = [
            input("infra/main.tf", Format::TerraformHcl, Some("hcl:infra")),
            input("infra/modules/pt/pt.tf", Format::TerraformHcl, Some("hcl:infra")),
            input("infra/plan.json", Format::TerraformPlan, None),
            input("infra/extra.tf.json", Format::TerraformJson, Some("tf-json:infra")),
            input("other/plan.json", Format::TerraformPlan, None),
            input("plan.json", Format::TerraformPlan, None),
            input("main.tf", Format::TerraformHcl, Some("hcl:.")),
            input("stacks/a.yaml", Format::CloudFormationYaml, None),
            input("stacks/b.yaml", Format::CloudFormationYaml, None),
            input("app/cdk.out/A.template.json", Format::CloudFormationJson, None),
            input("app/cdk.out/assembly-Prod/B.template.json", Format::CloudFormationJson, None),
        ];
        let configs = Configs::new(None).unwrap();
        let units = link_units(&files, &[], &[None; 11], &configs);
        assert_eq!(units, [0, 0, 0, 0, 1, 2, 2, 3, 4, 5, 5]);
        // A plan anchored to a configuration elsewhere (`--source`) joins that configuration.
        let anchored = [(4, vec![6])];
        let units = link_units(&files, &anchored, &[None; 11], &configs);
        assert_eq!((units[4], units[5], units[6]), (1, 1, 1));
    }

    #[test]
    fn joins_take_the_smaller_root() {
        let mut joins = Joins::new(4);
        joins.join(3, 1);
        let set = joins.add();
        joins.join(set, 2);
        joins.join(2, 3);
        assert_eq!((0..5).map(|x| joins.find(x)).collect::<Vec<_>>(), [0, 1, 1, 1, 1]);
    }
}
