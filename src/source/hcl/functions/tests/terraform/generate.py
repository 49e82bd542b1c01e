#!/usr/bin/env python3
"""Record what terraform itself answers for each expression in expressions.hcl, into answers.json.

Run from this directory with terraform on PATH (no providers or network needed):
    python3 generate.py
Each line of expressions.hcl is one expression. Terraform evaluates every one as
`try(jsonencode(EXPR), "!error")` in an output of an empty configuration; "!error" marks an expression terraform
rejects. The test `terraform_agrees` in ../terraform.rs evaluates the same expressions with ptlint.

Each line of unknowns.hcl uses `terraform_data.u.id`, which terraform knows only after apply; terraform plans
them (the built-in `terraform_data` resource needs no provider download) and unknowns.json records, for each, the
planned value and which parts of it are unknown (`after` and `after_unknown` of `terraform show -json`).
"""
import json
import os
import subprocess
import tempfile

ENV = dict(os.environ, TF_CLI_CONFIG_FILE=os.devnull, TF_IN_AUTOMATION="1")


def run(work, *args):
    done = subprocess.run(["terraform", *args], cwd=work, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"terraform {' '.join(args)} failed:\n{done.stderr}")
    return done


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "expressions.hcl"), encoding="utf-8") as f:
    expressions = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]

with tempfile.TemporaryDirectory() as work:
    body = ",\n".join(f'    try(jsonencode({e}), "!error")' for e in expressions)
    with open(os.path.join(work, "main.tf"), "w", encoding="utf-8") as f:
        f.write(f"output \"answers\" {{\n  value = [\n{body}\n  ]\n}}\n")
    version = json.loads(run(work, "version", "-json").stdout)["terraform_version"]
    run(work, "init", "-input=false", "-no-color")
    run(work, "apply", "-input=false", "-auto-approve", "-no-color")
    answers = json.loads(run(work, "output", "-json", "answers").stdout)

records = []
for e, a in zip(expressions, answers):
    if a is None:
        raise SystemExit(f"no answer for {e!r}")
    records.append({"expression": e, "error": True} if a == "!error" else {"expression": e, "terraform": json.loads(a)})
with open(os.path.join(here, "answers.json"), "w", encoding="utf-8") as f:
    json.dump({"terraform_version": version, "answers": records}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(records)} answers from terraform {version}")

with open(os.path.join(here, "unknowns.hcl"), encoding="utf-8") as f:
    unknown_expressions = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]

with tempfile.TemporaryDirectory() as work:
    body = ",\n".join(f"    {e}" for e in unknown_expressions)
    with open(os.path.join(work, "main.tf"), "w", encoding="utf-8") as f:
        f.write('resource "terraform_data" "u" {\n  input = "a"\n}\n')
        f.write(f"output \"answers\" {{\n  value = [\n{body}\n  ]\n}}\n")
    run(work, "init", "-input=false", "-no-color")
    run(work, "plan", "-input=false", "-no-color", "-out=plan")
    change = json.loads(run(work, "show", "-json", "plan").stdout)["output_changes"]["answers"]

records = [
    {"expression": e, "after": after, "after_unknown": unknown}
    for e, after, unknown in zip(unknown_expressions, change["after"], change["after_unknown"])
]
with open(os.path.join(here, "unknowns.json"), "w", encoding="utf-8") as f:
    json.dump({"terraform_version": version, "answers": records}, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"{len(records)} planned values with unknowns from terraform {version}")
