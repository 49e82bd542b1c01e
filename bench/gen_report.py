#!/usr/bin/env python3
"""Generate the inputs that time the human report against the JSON report (issue 22, item 5).

Writes under OUT (default bench/report-tree/): prettyN/big.plan.json (N PTs in one pretty-printed plan),
yamlN/template.yaml (N PTs in one CloudFormation template) for N in 1,000, 2,000 and 4,000, and
oneline/big.plan.json (245 PTs among 6,860 padding resources in one 15 MB line: 490 findings).

Usage: python3 bench/gen_report.py [--out bench/report-tree]
       then, per directory: /usr/bin/time -f '%e s %M KiB' ptlint check . --format human|json
"""

import argparse
import json
import os

PROVIDER = {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}},
            "root_module": {}}
MODEL = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"


def pt(i):
    return {"address": f"aws_bedrock_provisioned_model_throughput.p{i}", "mode": "managed",
            "type": "aws_bedrock_provisioned_model_throughput", "name": f"p{i}",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": None, "after": {
                "model_arn": MODEL, "model_units": 1, "provisioned_model_name": f"p{i}",
                "commitment_duration": None}, "after_unknown": {}}}


def padding(i):
    return {"address": f"aws_s3_bucket.b{i}", "mode": "managed", "type": "aws_s3_bucket", "name": f"b{i}",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": None,
                       "after": {"bucket": f"b{i}", "tags": {f"k{j}": "v" * 40 for j in range(40)}},
                       "after_unknown": {}}}


def plan(changes):
    return {"format_version": "1.2", "terraform_version": "1.11.0", "resource_changes": changes,
            "configuration": PROVIDER}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="bench/report-tree")
    out = parser.parse_args().out
    for n in (1000, 2000, 4000):
        os.makedirs(f"{out}/pretty{n}", exist_ok=True)
        with open(f"{out}/pretty{n}/big.plan.json", "w") as f:
            json.dump(plan([pt(i) for i in range(n)]), f, indent=2)
        os.makedirs(f"{out}/yaml{n}", exist_ok=True)
        lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Resources:"]
        for i in range(n):
            lines += [f"  Pt{i}:", "    Type: Custom::ProvisionedThroughput", "    Properties:",
                      "      ServiceToken: arn:aws:lambda:us-east-1:1:function:p",
                      f"      ProvisionedModelName: pt{i}", f"      ModelId: {MODEL}", "      ModelUnits: 1"]
        with open(f"{out}/yaml{n}/template.yaml", "w") as f:
            f.write("\n".join(lines) + "\n")
    os.makedirs(f"{out}/oneline", exist_ok=True)
    changes = []
    for i in range(245):
        changes.append(pt(i))
        changes.extend(padding(i * 100 + k) for k in range(28))
    with open(f"{out}/oneline/big.plan.json", "w") as f:
        json.dump(plan(changes), f, separators=(",", ":"))


if __name__ == "__main__":
    main()
