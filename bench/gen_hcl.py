#!/usr/bin/env python3
"""Generate a repository of N files of which a share are Terraform `.tf` (for bench/hcl.sh).

Module directories hold four `.tf` files each (main, variables, outputs, versions), as real modules do; one in
twenty directories declares Bedrock Provisioned Throughput (with count, for_each, locals and a local module);
the rest declare unrelated AWS resources. The other files are YAML, JSON and source files without PTs.
"""
import argparse
import os
import random

GENERIC = '''resource "aws_s3_bucket" "b{i}" {{
  bucket = "${{var.prefix}}-{i}"
  tags   = merge(local.tags, {{ Name = "b{i}" }})
}}
resource "aws_iam_role" "r{i}" {{
  name               = "role-{i}"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [] }})
}}
locals {{
  tags = {{ team = "t{i}", env = var.env }}
}}
'''

VARIABLES = '''variable "prefix" {{
  type    = string
  default = "p{i}"
}}
variable "env" {{
  type    = string
  default = "dev"
}}
variable "teams" {{
  type    = map(object({{ units = optional(number, 1), term = optional(string) }}))
  default = {{ a = {{}}, b = {{ units = 2, term = "OneMonth" }} }}
}}
'''

BEDROCK = '''resource "aws_bedrock_provisioned_model_throughput" "team" {{
  for_each               = var.teams
  provisioned_model_name = "team-${{each.key}}-{i}"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1:0:8k"
  model_units            = each.value.units
  commitment_duration    = each.value.term
}}
resource "aws_cloudwatch_metric_alarm" "idle" {{
  for_each            = aws_bedrock_provisioned_model_throughput.team
  alarm_name          = "idle-${{each.key}}"
  namespace           = "AWS/Bedrock"
  metric_name         = "Invocations"
  comparison_operator = "LessThanThreshold"
  threshold           = 1
  evaluation_periods  = 24
  period              = 3600
  statistic           = "Sum"
  dimensions = {{
    ModelId = each.value.provisioned_model_arn
  }}
}}
'''


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--tf-share", type=float, default=0.10)
    args = parser.parse_args()
    random.seed(7)
    tf_files = int(args.files * args.tf_share)
    dirs = tf_files // 4
    written = 0
    for d in range(dirs):
        path = os.path.join(args.out, "infra", f"m{d:04d}")
        os.makedirs(path, exist_ok=True)
        main_tf = (BEDROCK if d % 20 == 0 else "") + GENERIC
        files = {
            "main.tf": main_tf.format(i=d),
            "variables.tf": VARIABLES.format(i=d),
            "outputs.tf": 'output "bucket" {{\n  value = aws_s3_bucket.b{i}.id\n}}\n'.format(i=d),
            "versions.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n',
        }
        for name, text in files.items():
            with open(os.path.join(path, name), "w") as f:
                f.write(text)
            written += 1
    other = args.files - written
    for n in range(other):
        path = os.path.join(args.out, "app", f"d{n // 100:03d}")
        os.makedirs(path, exist_ok=True)
        kind = n % 3
        name, text = [
            (f"c{n}.yaml", f"service: s{n}\nreplicas: {n % 5}\nimage: repo/app:{n}\n"),
            (f"c{n}.json", '{"name": "pkg%d", "version": "1.0.%d", "private": true}\n' % (n, n)),
            (f"m{n}.py", f"def f{n}(x):\n    return x * {n}\n"),
        ][kind]
        with open(os.path.join(path, name), "w") as f:
            f.write(text)
    print(f"{args.files} files, {written} .tf in {dirs} module directories ({dirs // 20 + (1 if dirs % 20 else 0)} with Bedrock PTs)")


if __name__ == "__main__":
    main()
