#!/usr/bin/env bash
# Seed the fuzz corpora (fuzz/corpus/<target>/, gitignored) from the fixtures (saved crashers included) and the
# vendored public corpus (tests/data/corpus). Run from anywhere; copies at run time so no big corpus is committed.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=..
seed() { # target, find-expression...
    local target=$1; shift
    mkdir -p "corpus/$target"
    for dir in "$ROOT/fixtures" "$ROOT/tests/data/corpus"; do
        [ -d "$dir" ] || continue
        find "$dir" -type f \( "$@" \) -size -1024k -print0 | while IFS= read -r -d '' f; do
            cp "$f" "corpus/$target/$(echo "$f" | tr '/' '_')"
        done
    done
}
seed cfn_json -name '*.json' ! -name '*.tf.json' ! -name '*plan*.json' ! -name '*tfplan*'
seed cfn_yaml -name '*.yaml' -o -name '*.yml' -o -name '*.template'
seed yaml_skim -name '*.yaml' -o -name '*.yml'
seed tf_plan -name '*plan*.json' -o -path '*tf-plan*'
seed tf_json -name '*.tf.json'
seed config -name '*ptlint.yaml' -o -name '.ptlint.yaml'
seed hcl -name '*.tf' -o -name '*.tfvars'
for t in cfn_json cfn_yaml yaml_skim tf_plan tf_json config hcl; do
    echo "corpus/$t: $(find "corpus/$t" -type f | wc -l) files"
done
