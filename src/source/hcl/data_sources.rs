//! AWS data sources whose answer is known without credentials: `aws_region` and `aws_partition` answer from
//! the region of the provider configuration they use, as the AWS provider computes them offline.

use super::value::Value;

/// One AWS partition: its name, DNS suffix and reverse DNS prefix.
struct Partition {
    name: &'static str,
    dns_suffix: &'static str,
    reverse_dns_prefix: &'static str,
}

/// The partitions by the region-name prefix that selects them, most specific first. The values are what
/// `data.aws_partition` gave in a plan with hashicorp/aws 5.100.0 for a region of each (us-gov-west-1,
/// cn-north-1, us-iso-east-1, us-isob-east-1, eu-isoe-west-1, us-isof-south-1, eusc-de-east-1, and us-east-1,
/// eu-west-1, ap-southeast-2, mx-central-1 for `aws`): `fixtures/hcl-data-sources/`, which the tests hold them to.
const PARTITIONS: &[(&str, Partition)] = &[
    ("us-gov-", Partition { name: "aws-us-gov", dns_suffix: "amazonaws.com", reverse_dns_prefix: "com.amazonaws" }),
    ("us-isob-", Partition { name: "aws-iso-b", dns_suffix: "sc2s.sgov.gov", reverse_dns_prefix: "gov.sgov.sc2s" }),
    ("us-isof-", Partition { name: "aws-iso-f", dns_suffix: "csp.hci.ic.gov", reverse_dns_prefix: "gov.ic.hci.csp" }),
    ("us-iso-", Partition { name: "aws-iso", dns_suffix: "c2s.ic.gov", reverse_dns_prefix: "gov.ic.c2s" }),
    ("eu-isoe-", Partition { name: "aws-iso-e", dns_suffix: "cloud.adc-e.uk", reverse_dns_prefix: "uk.adc-e.cloud" }),
    ("eusc-", Partition { name: "aws-eusc", dns_suffix: "amazonaws.eu", reverse_dns_prefix: "eu.amazonaws" }),
    ("cn-", Partition { name: "aws-cn", dns_suffix: "amazonaws.com.cn", reverse_dns_prefix: "cn.com.amazonaws" }),
];

/// The prefixes of the commercial (`aws`) partition's regions, as the AWS SDK's partition table matches them
/// (`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`).
const COMMERCIAL: &[&str] = &["us-", "eu-", "ap-", "sa-", "ca-", "me-", "af-", "il-", "mx-"];

const AWS: Partition = Partition { name: "aws", dns_suffix: "amazonaws.com", reverse_dns_prefix: "com.amazonaws" };

/// The partition of a region; `None` for a name no partition claims (the provider gives an empty partition
/// there, and ptlint says it does not know).
fn partition_of(region: &str) -> Option<&'static Partition> {
    if let Some((_, partition)) = PARTITIONS.iter().find(|(prefix, _)| region.starts_with(prefix)) {
        return Some(partition);
    }
    let shaped = region.rsplit_once('-').is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    (shaped && COMMERCIAL.iter().any(|prefix| region.starts_with(prefix))).then_some(&AWS)
}

/// The value of `attribute` of the data source `kind`, when ptlint knows it: `argument` evaluates an argument
/// written in the block (`None` when it is not written), `provider_region` is the region of the provider
/// configuration the block uses. `None` when the answer needs AWS (an account ID, a model's details).
pub fn answer(
    kind: &str,
    attribute: &str,
    argument: &dyn Fn(&str) -> Option<Result<Value, String>>,
    provider_region: Option<&str>,
) -> Option<Result<Value, String>> {
    // The region the data source reads in: its own `region` argument (provider 6), else the provider's.
    let region = || -> Option<Result<Value, String>> {
        argument("region").or_else(|| provider_region.map(|r| Ok(Value::string(r))))
    };
    match (kind, attribute) {
        // `name` (provider 5) or `region` (provider 6) selects a region; with neither, the provider's.
        ("aws_region", "name" | "id" | "region") => argument("name").or_else(region),
        ("aws_partition", "partition" | "id" | "dns_suffix" | "reverse_dns_prefix") => {
            let region = match region()? {
                Ok(Value::String(region)) => region,
                other => return Some(other),
            };
            let partition = partition_of(&region)?;
            let value = match attribute {
                "dns_suffix" => partition.dns_suffix,
                "reverse_dns_prefix" => partition.reverse_dns_prefix,
                _ => partition.name,
            };
            Some(Ok(Value::string(value)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<Result<Value, String>> {
        None
    }

    #[test]
    fn a_region_is_the_providers_or_the_one_the_block_names() {
        let answer_of = |attribute: &str, argument: &dyn Fn(&str) -> Option<Result<Value, String>>| {
            answer("aws_region", attribute, argument, Some("us-west-2"))
        };
        assert_eq!(answer_of("name", &none), Some(Ok(Value::string("us-west-2"))));
        assert_eq!(answer_of("id", &none), Some(Ok(Value::string("us-west-2"))));
        assert_eq!(answer_of("region", &none), Some(Ok(Value::string("us-west-2"))));
        let named = |name: &str| (name == "name").then(|| Ok(Value::string("eu-central-1")));
        assert_eq!(answer_of("name", &named), Some(Ok(Value::string("eu-central-1"))));
        let regional = |name: &str| (name == "region").then(|| Ok(Value::string("ap-south-1")));
        assert_eq!(answer_of("id", &regional), Some(Ok(Value::string("ap-south-1"))));
        // Not known without AWS: the description, the endpoint; and nothing without a region.
        assert_eq!(answer_of("description", &none), None);
        assert_eq!(answer_of("endpoint", &none), None);
        assert_eq!(answer("aws_region", "name", &none, None), None);
        assert_eq!(answer("aws_caller_identity", "account_id", &none, Some("us-east-1")), None);
    }

    #[test]
    fn partitions_follow_the_region() {
        let partition = |region: &str, attribute: &str| match answer("aws_partition", attribute, &none, Some(region)) {
            Some(Ok(Value::String(text))) => Some(text),
            _ => None,
        };
        assert_eq!(partition("us-east-1", "partition").as_deref(), Some("aws"));
        assert_eq!(partition("mx-central-1", "id").as_deref(), Some("aws"));
        assert_eq!(partition("us-gov-west-1", "partition").as_deref(), Some("aws-us-gov"));
        assert_eq!(partition("us-gov-west-1", "dns_suffix").as_deref(), Some("amazonaws.com"));
        assert_eq!(partition("cn-northwest-1", "partition").as_deref(), Some("aws-cn"));
        assert_eq!(partition("cn-north-1", "dns_suffix").as_deref(), Some("amazonaws.com.cn"));
        assert_eq!(partition("cn-north-1", "reverse_dns_prefix").as_deref(), Some("cn.com.amazonaws"));
        assert_eq!(partition("us-iso-east-1", "partition").as_deref(), Some("aws-iso"));
        assert_eq!(partition("us-isob-east-1", "partition").as_deref(), Some("aws-iso-b"));
        assert_eq!(partition("us-isof-south-1", "partition").as_deref(), Some("aws-iso-f"));
        assert_eq!(partition("eu-isoe-west-1", "dns_suffix").as_deref(), Some("cloud.adc-e.uk"));
        assert_eq!(partition("eusc-de-east-1", "partition").as_deref(), Some("aws-eusc"));
        // A name no partition claims is not guessed.
        assert_eq!(partition("xx-made-up-1", "partition"), None);
        assert_eq!(partition("us-east", "partition"), None);
        assert_eq!(answer("aws_partition", "partition", &none, None), None);
    }
}

#[cfg(test)]
mod against_terraform {
    use super::*;

    fn none(_: &str) -> Option<Result<Value, String>> {
        None
    }

    /// Every answer for every region of `fixtures/hcl-data-sources/outputs.json`, as terraform planned it.
    #[test]
    fn answers_are_what_terraform_planned() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/hcl-data-sources/outputs.json");
        let text = std::fs::read_to_string(path).expect("read outputs.json");
        let outputs: serde_json::Value = serde_json::from_str(&text).expect("outputs.json is JSON");
        let mut checked = 0;
        for (name, output) in outputs.as_object().expect("an object") {
            if name == "named" {
                let argument = |arg: &str| (arg == "name").then(|| Ok(Value::string("eu-central-1")));
                for attribute in ["name", "id"] {
                    let got = answer("aws_region", attribute, &argument, Some("us-east-1"));
                    assert_eq!(got, Some(Ok(Value::from_json(&output[attribute]))), "named.{attribute}");
                }
                continue;
            }
            let region = output["region"].as_str().expect("a region");
            for (kind, object) in [("aws_partition", "partition"), ("aws_region", "aws_region")] {
                for (attribute, planned) in output[object].as_object().expect("data source values") {
                    if matches!(attribute.as_str(), "description" | "endpoint") {
                        assert_eq!(answer(kind, attribute, &none, Some(region)), None, "{region} {attribute}");
                        continue;
                    }
                    let got = answer(kind, attribute, &none, Some(region));
                    assert_eq!(got, Some(Ok(Value::from_json(planned))), "{kind}.{attribute} in {region}");
                    checked += 1;
                }
            }
        }
        assert!(checked >= 13 * 6, "every region's answers were checked ({checked})");
    }
}
