#!/usr/bin/env python3
"""Generate a tree of real CloudFormation templates for the ptlint benchmark.

Cycles the public aws-cloudformation/aws-cloudformation-templates (Apache-2.0; bench/real/LICENSE.txt and
NOTICE.txt) to N files (default 10,000, about 90 MB), and replaces 5% of them with PT stacks from bench/gen.py
(a CDK `Custom::AWS` or a hand-written custom resource, with an alarm and a budget), so every file is a real
template and some hold what ptlint looks for. Only the generator is kept in the repository, not the tree.

The source is a checkout of the templates repository at the pinned commit: `--src DIR`, or cloned into
bench/real/src on first use (needs network once). Deterministic: the same seed gives byte-identical files.

Usage: python3 bench/gen_real.py [--files N] [--pt-share 0.05] [--seed 7] [--src DIR] [--out bench/trees/real-10000]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (bench/gen.py: the PT stacks)

REPO = "https://github.com/aws-cloudformation/aws-cloudformation-templates"
COMMIT = "142ce6f283d285fa370adb7f9d332d7f46dac5fc"  # 2025-10-08
EXTENSIONS = (".yaml", ".yml", ".json", ".template")


def checkout(src):
    """The templates repository at COMMIT: `src` as given, or a clone made once into bench/real/src."""
    if src:
        return src
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "real", "src")
    if not os.path.isdir(os.path.join(here, ".git")):
        subprocess.run(["git", "clone", "--quiet", REPO, here], check=True)
    subprocess.run(["git", "-C", here, "checkout", "--quiet", COMMIT], check=True)
    return here


def templates(root):
    """Every template of the repository (CloudFormation YAML/JSON), as (relative path, bytes), sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            # Templates only: event samples, package manifests and configs are not what users lint.
            if b"Resources" not in data:
                continue
            found.append((os.path.relpath(path, root), data))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--pt-share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--src", help="a checkout of aws-cloudformation-templates (default: clone into bench/real/src)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "trees", "real-10000"))
    args = ap.parse_args()
    sources = templates(checkout(args.src))
    if not sources:
        ap.error("no templates found in the source checkout")
    r = random.Random(args.seed)
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    pt_slots = set(r.sample(range(args.files), round(args.files * args.pt_share)))
    total = 0
    for i in range(args.files):
        rel, data = sources[i % len(sources)]
        team = f"team-{i % 40:02d}"
        if i in pt_slots:
            json_style = rel.endswith(".json")
            doc = gen.pt_cfn(r, json_style, team)
            text = json.dumps(gen.to_json(doc), indent=1) + "\n" if json_style else "\n".join(gen.to_yaml(doc)) + "\n"
            data = text.encode()
        path = os.path.join(args.out, team, f"copy-{i // len(sources):03d}", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        total += len(data)
    print(f"generated {args.files} files ({len(pt_slots)} with PTs) from {len(sources)} templates, {total} bytes, "
          f"in {args.out}")


if __name__ == "__main__":
    main()
