//! ptlint: find Bedrock Provisioned Throughput in IaC, price it, and check it against policy.
