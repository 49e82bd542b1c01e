#!/usr/bin/env python3
"""Generate a synthetic infrastructure monorepo for the ptlint benchmark.

Writes N files (default 10,000) under bench/tree/: CloudFormation YAML (with short-form tags) and JSON
(cdk synth style), `terraform show -json` plans and cdktf `.tf.json`, a few KB each. About 5% declare a
Bedrock Provisioned Throughput (with utilization alarms and a budget); the rest are ordinary AWS stacks
(S3, Lambda, IAM, DynamoDB, SQS, SNS, API Gateway, ECS...), some with CloudWatch alarms on Lambda errors
or IAM policies that allow bedrock:InvokeModel, most mentioning nothing ptlint looks for.
Deterministic: the same seed gives byte-identical files. With --files-per-dir N, the `.tf.json` files of a
directory are one Terraform module, as a hand-split module is: resource names are unique across its files and
only its first file holds the `terraform` and `provider` blocks, so terraform (and ptlint) accept it.

Usage: python3 bench/gen.py [--files N] [--pt-share 0.05] [--seed 7] [--budget-scope team|service]
                            [--formats cfn_yaml,cfn_json,plan,tfjson] [--files-per-dir N] [--out bench/tree]
       python3 bench/gen.py --flow-yaml BYTES --out FILE   (one CloudFormation YAML template on one line, flow style)
"""

import argparse
import json
import os
import random
import re
import shutil

FORMATS = [("cfn_yaml", 0.35), ("cfn_json", 0.25), ("plan", 0.20), ("tfjson", 0.20)]
MODELS = [
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic.claude-3-haiku-20240307-v1:0:200k",
    "amazon.titan-text-express-v1:0:8k",
    "meta.llama3-1-70b-instruct-v1:0:128k",
    "amazon.titan-embed-text-v1:2:8k",
]
TERMS = ["NoCommitment", "OneMonth", "SixMonths"]
RUNTIMES = ["python3.12", "nodejs20.x", "java21", "provided.al2023"]
BUDGET_SCOPE = "team"
WORDS = "orders billing search catalog payments ledger users auth media export ingest reports events".split()


class Tag:
    """A CloudFormation intrinsic: YAML short form `!Name value`, JSON long form."""

    def __init__(self, name, value):
        self.name, self.value = name, value

    def long_form(self):
        key = "Ref" if self.name == "Ref" else "Fn::" + self.name
        value = self.value
        if self.name == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
        return {key: to_json(value)}


def to_json(value):
    if isinstance(value, Tag):
        return value.long_form()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


PLAIN = re.compile(r"^[A-Za-z0-9_./:-][A-Za-z0-9 _./:@-]*$")


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if PLAIN.match(text) and text.lower() not in ("true", "false", "yes", "no", "null", "on", "off") \
            and not re.match(r"^[0-9.:-]+$", text) and not text.endswith(":") and ": " not in text:
        return text
    return json.dumps(text)


def to_yaml(value, indent=0):
    pad = "  " * indent
    lines = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, Tag) and not isinstance(v.value, (dict, list)):
                lines.append(f"{pad}{k}: !{v.name} {scalar(v.value)}")
            elif isinstance(v, Tag):
                lines.append(f"{pad}{k}: !{v.name} {json.dumps(to_json(v.value))}")
            elif isinstance(v, (dict, list)) and v:
                lines.append(f"{pad}{k}:")
                lines.extend(to_yaml(v, indent + 1))
            elif isinstance(v, (dict, list)):
                lines.append(f"{pad}{k}: {'{}' if isinstance(v, dict) else '[]'}")
            else:
                lines.append(f"{pad}{k}: {scalar(v)}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                sub = to_yaml(item, indent + 1)
                sub[0] = f"{pad}- " + sub[0].lstrip()
                lines.extend(sub)
            elif isinstance(item, Tag):
                lines.append(f"{pad}- !{item.name} {scalar(item.value)}")
            else:
                lines.append(f"{pad}- {scalar(item)}")
    return lines


# ---------- ordinary CloudFormation resources ----------

def cfn_bucket(r, name):
    return {"Type": "AWS::S3::Bucket", "Properties": {
        "BucketName": Tag("Sub", f"{name.lower()}-${{AWS::AccountId}}-${{AWS::Region}}"),
        "VersioningConfiguration": {"Status": "Enabled"},
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": Tag("Ref", "DataKey")}}]},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                           "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
        "LifecycleConfiguration": {"Rules": [{"Id": "expire-old", "Status": "Enabled",
                                              "ExpirationInDays": r.choice([30, 90, 365])}]},
        "Tags": [{"Key": "team", "Value": r.choice(WORDS)}, {"Key": "env", "Value": "prod"}]}}


def cfn_role(r, name, bedrock=False):
    actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
               "dynamodb:GetItem", "dynamodb:PutItem", "s3:GetObject"]
    statements = [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
    if bedrock:
        statements.append({"Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                           "Resource": Tag("Sub", "arn:aws:bedrock:${AWS::Region}::foundation-model/*")})
    return {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "ManagedPolicyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
        "Policies": [{"PolicyName": f"{name}-inline", "PolicyDocument": {"Version": "2012-10-17",
                                                                          "Statement": statements}}]}}


def cfn_function(r, name, role):
    return {"Type": "AWS::Lambda::Function", "Properties": {
        "FunctionName": Tag("Sub", f"${{AWS::StackName}}-{name.lower()}"),
        "Runtime": r.choice(RUNTIMES), "Handler": "index.handler", "MemorySize": r.choice([128, 256, 512, 1024]),
        "Timeout": r.choice([10, 30, 60, 300]), "Role": Tag("GetAtt", f"{role}.Arn"),
        "Code": {"S3Bucket": Tag("Ref", "ArtifactBucket"), "S3Key": f"lambda/{name.lower()}-{r.randrange(10**8):08x}.zip"},
        "Environment": {"Variables": {"TABLE_NAME": Tag("Ref", "Table"), "LOG_LEVEL": "INFO",
                                      "POWERTOOLS_SERVICE_NAME": name.lower()}},
        "TracingConfig": {"Mode": "Active"}}}


def cfn_table(r, name):
    return {"Type": "AWS::DynamoDB::Table", "Properties": {
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
        "SSESpecification": {"SSEEnabled": True}}}


def cfn_queue(r, name):
    return {"Type": "AWS::SQS::Queue", "Properties": {
        "VisibilityTimeout": r.choice([30, 120, 900]), "MessageRetentionPeriod": 1209600,
        "KmsMasterKeyId": "alias/aws/sqs",
        "RedrivePolicy": {"deadLetterTargetArn": Tag("GetAtt", "DeadLetterQueue.Arn"), "maxReceiveCount": 5}}}


def cfn_topic(r, name):
    return {"Type": "AWS::SNS::Topic", "Properties": {
        "TopicName": Tag("Sub", f"${{AWS::StackName}}-{name.lower()}"),
        "Subscription": [{"Endpoint": f"{r.choice(WORDS)}-oncall@example.com", "Protocol": "email"}]}}


def cfn_api(r, name):
    return {"Type": "AWS::ApiGateway::RestApi", "Properties": {
        "Name": Tag("Sub", f"${{AWS::StackName}}-{name.lower()}"), "EndpointConfiguration": {"Types": ["REGIONAL"]},
        "Description": "Public API for the service; throttled at the stage"}}


def cfn_alarm_lambda(r, name, fn):
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "AlarmDescription": f"{fn} errors", "Namespace": "AWS/Lambda", "MetricName": "Errors",
        "Dimensions": [{"Name": "FunctionName", "Value": Tag("Ref", fn)}], "Statistic": "Sum", "Period": 300,
        "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "AlarmActions": [Tag("Ref", "AlertTopic")]}}


def ordinary_cfn(r, alarm, bedrock):
    svc = r.choice(WORDS).capitalize()
    resources = {"DataKey": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True, "KeyPolicy": {
        "Version": "2012-10-17", "Statement": [{"Sid": "root", "Effect": "Allow",
                                                "Principal": {"AWS": Tag("Sub", "arn:aws:iam::${AWS::AccountId}:root")},
                                                "Action": "kms:*", "Resource": "*"}]}}},
                 "ArtifactBucket": cfn_bucket(r, f"{svc}Artifacts"), "Table": cfn_table(r, svc),
                 "AlertTopic": cfn_topic(r, "alerts")}
    functions = []
    for i in range(r.randint(1, 4)):
        fn = f"{svc}{r.choice(['Handler', 'Worker', 'Api', 'Sync'])}{i}"
        resources[f"{fn}Role"] = cfn_role(r, fn, bedrock and i == 0)
        resources[fn] = cfn_function(r, fn, f"{fn}Role")
        functions.append(fn)
    extras = [cfn_queue, cfn_api, cfn_bucket]
    for i in range(r.randint(0, 3)):
        resources[f"{svc}Extra{i}"] = r.choice(extras)(r, f"{svc}Extra{i}")
    if alarm:
        for fn in functions:
            resources[f"{fn}ErrorsAlarm"] = cfn_alarm_lambda(r, svc, fn)
    return {"AWSTemplateFormatVersion": "2010-09-09", "Description": f"{svc} service stack",
            "Parameters": {"Env": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "staging", "prod"]}},
            "Resources": resources,
            "Outputs": {"TableName": {"Value": Tag("Ref", "Table")},
                        "TopicArn": {"Value": Tag("Ref", "AlertTopic"), "Export": {"Name": Tag("Sub", "${AWS::StackName}-topic")}}}}


def budget_filter(team):
    """Team budgets filter on the team's cost-allocation tag; `--budget-scope service` makes them account-wide."""
    if BUDGET_SCOPE == "service":
        return {"Service": ["Amazon Bedrock"]}
    return {"TagKeyValue": [f"user:team${team}"]}


def pt_cfn(r, json_style, team):
    doc = ordinary_cfn(r, alarm=True, bedrock=True)
    model, term, units = r.choice(MODELS), r.choice(TERMS), r.randint(1, 4)
    res = doc["Resources"]
    if json_style:
        create = json.dumps({"service": "Bedrock", "action": "createProvisionedModelThroughput", "parameters": {
            "modelId": model, "provisionedModelName": "inference", "modelUnits": units, "commitmentDuration": term,
            "tags": [{"key": "team", "value": team}]},
            "physicalResourceId": {"responsePath": "provisionedModelArn"}})
        res["InferenceThroughput"] = {"Type": "Custom::AWS", "Properties": {
            "ServiceToken": Tag("GetAtt", "AWS679f53fac002430cb0da5b7982bd22872D164C4C.Arn"), "Create": create,
            "InstallLatestAwsSdk": False}}
    else:
        res["InferenceThroughput"] = {"Type": "Custom::BedrockProvisionedThroughput", "Properties": {
            "ServiceToken": Tag("GetAtt", "ProvisionerFunction.Arn"), "ModelId": model,
            "ModelUnits": units, "CommitmentDuration": term, "ProvisionedModelName": Tag("Sub", "inference-${Env}"),
            "Tags": [{"Key": "team", "Value": team}]}}
    res["ThroughputIdleAlarm"] = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "Namespace": "AWS/Bedrock", "MetricName": "InputTokenCount", "Statistic": "Sum", "Period": 86400,
        "EvaluationPeriods": 1, "Threshold": 1000000, "ComparisonOperator": "LessThanThreshold",
        "Dimensions": [{"Name": "ModelId", "Value": Tag("Ref", "InferenceThroughput")}],
        "AlarmActions": [Tag("Ref", "AlertTopic")]}}
    res["HostingBudget"] = {"Type": "AWS::Budgets::Budget", "Properties": {"Budget": {
        "BudgetName": "bedrock-hosting", "BudgetType": "COST", "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": r.choice([5000, 20000, 60000]), "Unit": "USD"},
        "CostFilters": budget_filter(team)}}}
    return doc


def flow_scalar(value):
    text = scalar(value)
    # A `:` inside a plain scalar is legal in flow style, but quoting it keeps every YAML reader on the same page.
    return json.dumps(text) if ":" in text and not text.startswith('"') else text


def to_flow(value):
    """YAML flow style on one line: `{Key: value, List: [a, b]}`, intrinsics in short form where the value is a scalar."""
    if isinstance(value, Tag):
        if isinstance(value.value, (dict, list)):
            return to_flow(to_json(value))
        return f"!{value.name} {flow_scalar(value.value)}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow_scalar(k)}: {to_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_flow(v) for v in value) + "]"
    return flow_scalar(value)


def flow_yaml(r, target_bytes):
    """One template on one line (`Resources: {...}`): a PT with its alarm and budget, then ordinary resources
    until the line is `target_bytes` long. Its spans sit ever further from the start of the line."""
    resources = pt_cfn(r, False, "team-00")["Resources"]
    size = len(to_flow(resources))
    i = 0
    while size < target_bytes:
        extra = ordinary_cfn(r, alarm=True, bedrock=False)["Resources"]
        for name, body in extra.items():
            key = f"{name}{i}"
            resources[key] = body
            size += len(key) + len(to_flow(body)) + 4
        i += 1
    return "Resources: " + to_flow(resources) + "\n"


# ---------- ordinary Terraform resources ----------

def tf_resources(r, alarm, bedrock, pt, team):
    """(type, name, values) triples: the same shapes serve plans and .tf.json."""
    svc = r.choice(WORDS)
    out = [("aws_kms_key", "data", {"enable_key_rotation": True, "description": f"{svc} data key",
                                    "deletion_window_in_days": 30}),
           ("aws_s3_bucket", "artifacts", {"bucket": f"{svc}-artifacts-{r.randrange(10**6)}", "force_destroy": False,
                                           "tags": {"team": svc, "env": "prod"}}),
           ("aws_dynamodb_table", "main", {"name": f"{svc}-main", "billing_mode": "PAY_PER_REQUEST", "hash_key": "pk",
                                           "range_key": "sk", "attribute": [{"name": "pk", "type": "S"},
                                                                            {"name": "sk", "type": "S"}],
                                           "point_in_time_recovery": [{"enabled": True}]}),
           ("aws_sns_topic", "alerts", {"name": f"{svc}-alerts", "kms_master_key_id": "alias/aws/sns"})]
    for i in range(r.randint(1, 4)):
        name = f"{svc}_{r.choice(['handler', 'worker', 'api', 'sync'])}_{i}"
        actions = ["logs:CreateLogStream", "logs:PutLogEvents", "dynamodb:GetItem", "s3:GetObject"]
        if bedrock and i == 0:
            actions.append("bedrock:InvokeModel")
        out.append(("aws_iam_role", name, {"name": name, "assume_role_policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"Service": "lambda.amazonaws.com"}}]})}))
        out.append(("aws_iam_role_policy", name, {"name": f"{name}-inline", "policy": json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]})}))
        out.append(("aws_lambda_function", name, {
            "function_name": name, "runtime": r.choice(RUNTIMES), "handler": "index.handler",
            "memory_size": r.choice([128, 256, 512]), "timeout": r.choice([10, 30, 60]),
            "s3_bucket": f"{svc}-artifacts", "s3_key": f"lambda/{name}-{r.randrange(10**8):08x}.zip",
            "environment": [{"variables": {"TABLE_NAME": f"{svc}-main", "LOG_LEVEL": "INFO"}}],
            "tracing_config": [{"mode": "Active"}]}))
        if alarm:
            out.append(("aws_cloudwatch_metric_alarm", f"{name}_errors", {
                "alarm_name": f"{name}-errors", "namespace": "AWS/Lambda", "metric_name": "Errors",
                "dimensions": {"FunctionName": name}, "statistic": "Sum", "period": 300, "evaluation_periods": 1,
                "threshold": 1, "comparison_operator": "GreaterThanOrEqualToThreshold"}))
    for i in range(r.randint(0, 3)):
        out.append(("aws_sqs_queue", f"{svc}_q{i}", {"name": f"{svc}-q{i}", "visibility_timeout_seconds": 60,
                                                     "message_retention_seconds": 1209600, "sqs_managed_sse_enabled": True}))
    if pt:
        model, term, units = r.choice(MODELS), r.choice(TERMS), r.randint(1, 4)
        out.append(("aws_bedrock_provisioned_model_throughput", "inference", {
            "provisioned_model_name": f"{svc}-inference", "model_arn": f"arn:aws:bedrock:us-east-1::foundation-model/{model}",
            "model_units": units, "commitment_duration": term, "tags": {"team": team}}))
        out.append(("aws_cloudwatch_metric_alarm", "inference_idle", {
            "alarm_name": f"{svc}-inference-idle", "namespace": "AWS/Bedrock", "metric_name": "InputTokenCount",
            "statistic": "Sum", "period": 86400, "evaluation_periods": 1, "threshold": 1000000,
            "comparison_operator": "LessThanThreshold", "dimensions": {"ModelId": f"{svc}-inference"}}))
        out.append(("aws_budgets_budget", "hosting", {
            "name": f"{svc}-bedrock-hosting", "budget_type": "COST", "limit_amount": str(r.choice([5000, 20000, 60000])),
            "limit_unit": "USD", "time_unit": "MONTHLY",
            "cost_filter": [{"name": k, "values": v} for k, v in budget_filter(team).items()]}))
    return out


def plan_doc(r, resources):
    planned = [{"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n,
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": v,
                "sensitive_values": {}} for t, n, v in resources]
    changes = [{"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n,
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": None, "after": v, "after_unknown": {"arn": True, "id": True},
                           "before_sensitive": False, "after_sensitive": {}}} for t, n, v in resources]
    config = [{"address": f"{t}.{n}", "mode": "managed", "type": t, "name": n, "provider_config_key": "aws",
               "expressions": {k: {"constant_value": val} for k, val in v.items() if not isinstance(val, (dict, list))},
               "schema_version": 0} for t, n, v in resources]
    return {"format_version": "1.2", "terraform_version": "1.9.5",
            "planned_values": {"root_module": {"resources": planned}}, "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                                          "expressions": {"region": {"constant_value": "us-east-1"}}}},
                              "root_module": {"resources": config}},
            "timestamp": "2025-01-15T10:00:00Z", "applyable": True, "complete": True, "errored": False}


def tfjson_doc(r, resources, suffix="", settings=True):
    """A cdktf-style `.tf.json`. `suffix` goes on every resource name and `settings=False` leaves out the
    `terraform` and `provider` blocks: several files of one directory are one module, which terraform refuses if
    two of them declare the same resource, backend or default provider."""
    block = {}
    for t, n, v in resources:
        block.setdefault(t, {})[n + suffix] = v
    doc = {"//": {"metadata": {"backend": "s3", "stackName": "service", "version": "0.20.0"}}}
    if settings:
        doc["terraform"] = {"required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}},
                            "backend": {"s3": {"bucket": "tf-state", "key": "service.tfstate", "region": "us-east-1"}}}
        doc["provider"] = {"aws": [{"region": "us-east-1"}]}
    doc["resource"] = block
    return doc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--pt-share", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--budget-scope", choices=["team", "service"], default="team",
                    help="team: each PT's budget filters on its team tag; service: every budget covers all Bedrock")
    ap.add_argument("--formats", default=",".join(f for f, _ in FORMATS),
                    help="comma-separated subset of " + ",".join(f for f, _ in FORMATS) + " (weights kept relative)")
    ap.add_argument("--flow-yaml", type=int, metavar="BYTES",
                    help="write one one-line flow-style YAML template of about BYTES bytes to --out (a file)")
    ap.add_argument("--files-per-dir", type=int, default=0, metavar="N",
                    help="put N files in each directory (named for their service) instead of one per directory")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "tree"))
    args = ap.parse_args()
    global BUDGET_SCOPE
    BUDGET_SCOPE = args.budget_scope
    r = random.Random(args.seed)
    if args.flow_yaml:
        text = flow_yaml(r, args.flow_yaml)
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"generated one {len(text.encode())}-byte line of flow-style YAML in {args.out}")
        return
    formats = [(f, w) for f, w in FORMATS if f in args.formats.split(",")]
    if not formats:
        ap.error(f"--formats names none of {', '.join(f for f, _ in FORMATS)}")
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    n_pt = round(args.files * args.pt_share)
    pt_slots = set(r.sample(range(args.files), n_pt))
    total = 0
    modules = set()  # directories that already hold a .tf.json (--files-per-dir): the module's settings are there
    for i in range(args.files):
        fmt = r.choices([f for f, _ in formats], [w for _, w in formats])[0]
        pt = i in pt_slots
        alarm = pt or r.random() < 0.15
        bedrock = pt or r.random() < 0.05
        team, svc = f"team-{i % 40:02d}", f"svc-{i:05d}"
        if fmt == "cfn_yaml":
            path = f"{team}/{svc}/infra/template.yaml"
            doc = pt_cfn(r, False, team) if pt else ordinary_cfn(r, alarm, bedrock)
            text = "\n".join(to_yaml(doc)) + "\n"
        elif fmt == "cfn_json":
            path = f"{team}/{svc}/cdk.out/{svc.capitalize()}Stack.template.json"
            doc = pt_cfn(r, True, team) if pt else ordinary_cfn(r, alarm, bedrock)
            text = json.dumps(to_json(doc), indent=1) + "\n"
        elif fmt == "plan":
            path = f"{team}/{svc}/terraform/plan.json"
            text = json.dumps(plan_doc(r, tf_resources(r, alarm, bedrock, pt, team)))
        elif args.files_per_dir > 0:
            # The .tf.json files of a directory are one Terraform module, as in a hand-split module (main.tf.json,
            # storage.tf.json, ...): resource names unique across its files (suffixed with the file's number) and
            # the `terraform`/`provider` settings in its first file only, so the module is one terraform accepts.
            group = f"{team}/grp-{(i // 40) // args.files_per_dir:05d}"
            first = group not in modules
            modules.add(group)
            doc = tfjson_doc(r, tf_resources(r, alarm, bedrock, pt, team), suffix=f"_{i:05d}", settings=first)
            text = json.dumps(doc, indent=2) + "\n"
        else:
            path = f"{team}/{svc}/terraform/main.tf.json"
            text = json.dumps(tfjson_doc(r, tf_resources(r, alarm, bedrock, pt, team)), indent=2) + "\n"
        if args.files_per_dir > 0:
            # The same files, N to a directory: team-NN/grp-NNNNN/svc-NNNNN.<kind>.
            name = {"cfn_yaml": f"{svc}.yaml", "cfn_json": f"{svc.capitalize()}Stack.template.json",
                    "plan": f"{svc}.plan.json", "tfjson": f"{svc}.tf.json"}[fmt]
            path = f"{team}/grp-{(i // 40) // args.files_per_dir:05d}/{name}"
        full = os.path.join(args.out, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
    print(f"generated {args.files} files ({n_pt} with PTs), {total} bytes, in {args.out}")


if __name__ == "__main__":
    main()
