//! Unit tests of matching, classification and exact Decimal totals.

use super::base::translate;
use super::*;
use std::str::FromStr;

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// A priced PT: `monthly` and `committed` as decimal strings, or `None` for an unpriced one.
fn pt(resource: &str, units: u32, term: Commitment, monthly: Option<&str>, committed: Option<&str>) -> Figures {
    Figures {
        file: "stack.yaml".to_string(),
        line: 3,
        resource: resource.to_string(),
        model: Some("amazon.titan-text-lite-v1:0:4k".to_string()),
        model_units: Some(units),
        commitment: Some(term),
        region: Some("us-east-1".to_string()),
        hourly_rate: monthly.map(|m| dec(m) / dec("730") / Decimal::from(units)),
        monthly_cost: monthly.map(dec),
        commitment_total: committed.map(dec),
        unpriced_reason: monthly.is_none().then(|| "no rate for it".to_string()),
        unpriced_supply: None,
    }
}

fn entry<'a>(diff: &'a CostDiff, resource: &str) -> &'a Entry {
    diff.entries.iter().find(|e| e.resource() == resource).unwrap()
}

#[test]
fn every_kind_of_change_with_exact_totals() {
    use Commitment::*;
    let before = vec![
        pt("Grown", 2, NoCommitment, Some("10366.00"), Some("0")),
        pt("Gone", 1, NoCommitment, Some("5183.00"), Some("0")),
        pt("Same", 1, OneMonth, Some("4672.00"), Some("4672.00")),
        pt("Termed", 1, OneMonth, Some("13432.00"), Some("13432.00")),
    ];
    let after = vec![
        pt("Grown", 4, NoCommitment, Some("20732.00"), Some("0")),
        pt("Same", 1, OneMonth, Some("4672.00"), Some("4672.00")),
        pt("Termed", 1, SixMonths, Some("10804.00"), Some("64824.00")),
        pt("Fresh", 1, NoCommitment, Some("14965.00"), Some("0")),
    ];
    let diff = CostDiff::compare("base".into(), before, after);
    assert_eq!(entry(&diff, "Grown").change, Change::Changed);
    assert_eq!(entry(&diff, "Grown").aspects, vec![Aspect::ModelUnits]);
    assert_eq!(entry(&diff, "Grown").monthly_change(), Some(dec("10366.00")));
    assert_eq!(entry(&diff, "Gone").change, Change::Removed);
    assert_eq!(entry(&diff, "Gone").monthly_change(), Some(dec("-5183.00")));
    assert_eq!(entry(&diff, "Same").change, Change::Unchanged);
    assert_eq!(entry(&diff, "Termed").aspects, vec![Aspect::Commitment]);
    assert_eq!(entry(&diff, "Termed").monthly_change(), Some(dec("-2628.00")));
    assert_eq!(entry(&diff, "Termed").commitment_change(), Some(dec("51392.00")));
    assert_eq!(entry(&diff, "Fresh").change, Change::Added);

    let t = diff.totals();
    assert_eq!(t.monthly_before, dec("33653.00"));
    assert_eq!(t.monthly_after, dec("51173.00"));
    assert_eq!(t.monthly_change, dec("17520.00"));
    assert_eq!(t.monthly_change, t.monthly_after - t.monthly_before);
    assert_eq!(t.added_monthly, dec("25331.00"));
    assert_eq!(t.removed_monthly, dec("7811.00"));
    assert_eq!(t.commitment_before, dec("18104.00"));
    assert_eq!(t.commitment_after, dec("69496.00"));
    assert_eq!(t.commitment_change, dec("51392.00"));
    assert_eq!((t.added, t.removed, t.changed, t.unchanged), (1, 1, 2, 1));
    assert_eq!((t.unpriced_before, t.unpriced_after, t.unknown_change), (0, 0, 0));
}

#[test]
fn a_rename_is_a_removal_plus_an_addition() {
    let before = vec![pt("OldName", 1, Commitment::NoCommitment, Some("5183.00"), Some("0"))];
    let after = vec![pt("NewName", 1, Commitment::NoCommitment, Some("5183.00"), Some("0"))];
    let diff = CostDiff::compare("base".into(), before, after);
    let changes: Vec<(&str, Change)> = diff.entries.iter().map(|e| (e.resource(), e.change)).collect();
    assert_eq!(changes, vec![("NewName", Change::Added), ("OldName", Change::Removed)]);
    assert_eq!(diff.totals().monthly_change, Decimal::ZERO);
}

#[test]
fn the_same_resource_in_another_file_is_another_pt() {
    let before = vec![pt("Chat", 1, Commitment::NoCommitment, Some("5183.00"), Some("0"))];
    let mut moved = pt("Chat", 1, Commitment::NoCommitment, Some("5183.00"), Some("0"));
    moved.file = "other.yaml".to_string();
    let diff = CostDiff::compare("base".into(), before, vec![moved]);
    let t = diff.totals();
    assert_eq!((t.added, t.removed), (1, 1));
}

#[test]
fn unknown_prices_are_counted_never_taken_as_zero() {
    use Commitment::NoCommitment;
    let before = vec![
        pt("Mystery", 1, NoCommitment, None, None),
        pt("Steady", 1, NoCommitment, None, None),
        pt("Priced", 1, NoCommitment, Some("5183.00"), Some("0")),
    ];
    let after = vec![
        pt("Mystery", 2, NoCommitment, None, None),
        pt("Steady", 1, NoCommitment, None, None),
        pt("Priced", 2, NoCommitment, Some("10366.00"), Some("0")),
        pt("Unknown", 1, NoCommitment, None, None),
    ];
    let diff = CostDiff::compare("base".into(), before, after);
    assert_eq!(entry(&diff, "Mystery").monthly_change(), None);
    assert_eq!(entry(&diff, "Unknown").monthly_change(), None);
    // Nothing priced changed, so the change is known to be zero even though the price is not.
    assert_eq!(entry(&diff, "Steady").monthly_change(), Some(Decimal::ZERO));
    let t = diff.totals();
    assert_eq!(t.monthly_change, dec("5183.00"));
    assert_eq!((t.unpriced_before, t.unpriced_after, t.unknown_change), (2, 3, 2));
    assert_eq!(t.monthly_before, dec("5183.00"));
    assert_eq!(t.monthly_after, dec("10366.00"));
}

#[test]
fn a_price_becoming_unknown_is_an_unknown_change() {
    let before = vec![pt("Chat", 1, Commitment::NoCommitment, Some("5183.00"), Some("0"))];
    let mut after = pt("Chat", 1, Commitment::NoCommitment, None, None);
    after.model = Some("cohere.command-r-plus-v1:0".to_string());
    let diff = CostDiff::compare("base".into(), before, vec![after]);
    assert_eq!(diff.entries[0].aspects, vec![Aspect::Model]);
    let t = diff.totals();
    assert_eq!((t.monthly_change, t.unknown_change), (Decimal::ZERO, 1));
}

#[test]
fn a_new_rate_alone_is_a_price_change() {
    let before = vec![pt("Chat", 1, Commitment::NoCommitment, Some("5183.00"), Some("0"))];
    let after = vec![pt("Chat", 1, Commitment::NoCommitment, Some("4380.00"), Some("0"))];
    let diff = CostDiff::compare("base".into(), before, after);
    assert_eq!(diff.entries[0].aspects, vec![Aspect::Price]);
    assert_eq!(diff.totals().monthly_change, dec("-803.00"));
}

#[test]
fn committed_amounts_are_zero_without_commitment_and_unknown_without_price() {
    assert_eq!(committed(Some(dec("5183.00")), None), Some(Decimal::ZERO));
    assert_eq!(committed(Some(dec("4672.00")), Some(dec("4672.00"))), Some(dec("4672.00")));
    assert_eq!(committed(None, None), None);
}

#[test]
fn base_paths_are_put_in_the_heads_terms() {
    assert_eq!(translate("before/stack.yaml", "before", "after"), "after/stack.yaml");
    assert_eq!(translate("before/sub/a.yaml", "before/", "after"), "after/sub/a.yaml");
    assert_eq!(translate("old.yaml", "old.yaml", "new.yaml"), "new.yaml");
    assert_eq!(translate("/tmp/x/infra/a.yaml", "/tmp/x", ""), "infra/a.yaml");
    assert_eq!(translate("a.yaml", ".", "infra"), "infra/a.yaml");
    assert_eq!(translate("elsewhere/a.yaml", "before", "after"), "elsewhere/a.yaml");
    assert_eq!(translate("/tmp/x/./a.yaml", "/tmp/x", ""), "a.yaml");
    // A root is a whole path component, never a string prefix.
    assert_eq!(translate("before2/a.yaml", "before", "after"), "before2/a.yaml");
}

#[test]
fn base_spec_reads_git_refs_and_paths() {
    assert_eq!(BaseSpec::parse("git:origin/main"), BaseSpec::Git("origin/main".into()));
    assert_eq!(BaseSpec::parse("base/"), BaseSpec::Path("base/".into()));
}
