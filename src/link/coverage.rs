//! Which cost budgets cover which PTs, found through an index on the tags budgets filter by, never budget by PT.

use super::{covers_tags, is_cost_budget, RunBudget};
use crate::model::BudgetFilter;
use std::collections::HashMap;
use std::sync::Arc;

/// The cost budgets that cover one PT, by index into the run's budgets: those that cover every PT of the run
/// alike (no filter, or a filter that does not look at the PT, such as `Service = Amazon Bedrock`), and those the
/// PT's tags or region select. PTs with equal tags and region form one group and share one list, so a run with
/// thousands of PTs and budgets stores each list once instead of one per PT.
#[derive(Debug, Clone, Default)]
pub struct CoveringBudgets {
    /// Budgets that cover every PT of the run: the same list for all PTs.
    pub shared: Arc<[usize]>,
    /// The PT's coverage group (PTs with equal tags and region), numbered from 0 in order of first appearance.
    pub group: usize,
    /// Budgets this group's tags or region select, ascending and disjoint from `shared`.
    pub selected: Arc<[usize]>,
}

impl CoveringBudgets {
    /// How many budgets cover the PT.
    pub fn len(&self) -> usize {
        self.shared.len() + self.selected.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every covering budget, ascending (the order budgets were found in).
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (mut a, mut b) = (self.shared.iter().copied().peekable(), self.selected.iter().copied().peekable());
        std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x < y => a.next(),
            (Some(_), Some(_)) | (None, _) => b.next(),
            (Some(_), None) => a.next(),
        })
    }
}

/// A tag a covered PT must carry: key and value, or key alone (any value).
type TagNeed<'a> = (&'a str, Option<&'a str>);

/// What PTs of one coverage group have in common: their tags, sorted, and their region.
type GroupKey<'a> = (Vec<(&'a str, &'a str)>, Option<String>);

/// Finds each PT's covering budgets in time proportional to the budgets that could match, not to all budgets.
pub(super) struct CoverageIndex<'a> {
    budgets: &'a [RunBudget],
    shared: Arc<[usize]>,
    /// Budgets whose filter looks at the PT, under each tag a covered PT must carry.
    by_tag: HashMap<TagNeed<'a>, Vec<usize>>,
    /// Budgets whose filter looks at the PT but requires no tag (a region filter, a `Not`): checked per group.
    unindexed: Vec<usize>,
    /// Groups seen so far, by sorted tags and region.
    groups: HashMap<GroupKey<'a>, (usize, Arc<[usize]>)>,
}

impl<'a> CoverageIndex<'a> {
    pub(super) fn new(budgets: &'a [RunBudget]) -> Self {
        let mut shared = Vec::new();
        let mut by_tag: HashMap<TagNeed<'a>, Vec<usize>> = HashMap::new();
        let mut unindexed = Vec::new();
        for (i, run_budget) in budgets.iter().enumerate() {
            if !is_cost_budget(&run_budget.budget) {
                continue;
            }
            match &run_budget.budget.filter {
                None => shared.push(i),
                // Such a filter gives the same answer for every PT: ask it once.
                Some(filter) if !looks_at_pt(filter) => {
                    if covers_tags(filter, &[], None) {
                        shared.push(i);
                    }
                }
                Some(filter) => match required_tags(filter) {
                    Some(needs) => {
                        for need in needs {
                            let list = by_tag.entry(need).or_default();
                            if list.last() != Some(&i) {
                                list.push(i);
                            }
                        }
                    }
                    None => unindexed.push(i),
                },
            }
        }
        CoverageIndex { budgets, shared: shared.into(), by_tag, unindexed, groups: HashMap::new() }
    }

    /// The budgets covering a PT with these tags in this region.
    pub(super) fn covering(&mut self, tags: &'a [(String, String)], region: Option<&str>) -> CoveringBudgets {
        let mut key_tags: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        key_tags.sort_unstable();
        key_tags.dedup();
        let key = (key_tags, region.map(str::to_string));
        let next = self.groups.len();
        let (group, selected) = match self.groups.get(&key) {
            Some(found) => found.clone(),
            None => {
                let selected: Arc<[usize]> = self.select(tags, region).into();
                self.groups.insert(key, (next, selected.clone()));
                (next, selected)
            }
        };
        CoveringBudgets { shared: self.shared.clone(), group, selected }
    }

    /// The budgets whose filter looks at the PT and covers these tags and region, ascending.
    fn select(&self, tags: &[(String, String)], region: Option<&str>) -> Vec<usize> {
        let mut candidates = self.unindexed.clone();
        for (k, v) in tags {
            for need in [(k.as_str(), Some(v.as_str())), (k.as_str(), None)] {
                if let Some(list) = self.by_tag.get(&need) {
                    candidates.extend_from_slice(list);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&i| self.budgets[i].budget.filter.as_ref().is_some_and(|f| covers_tags(f, tags, region)));
        candidates
    }
}

/// Whether a filter's answer can depend on the PT: it tests a tag or the region (see [`super::covers`]).
fn looks_at_pt(filter: &BudgetFilter) -> bool {
    match filter {
        BudgetFilter::All(parts) | BudgetFilter::Any(parts) => parts.iter().any(looks_at_pt),
        BudgetFilter::Not(inner) => looks_at_pt(inner),
        BudgetFilter::Tag { .. } => true,
        BudgetFilter::Dimension { key, .. } => key == "region",
    }
}

/// Tags of which a PT must carry at least one for the filter to cover it; `None` when no tag is required.
fn required_tags(filter: &BudgetFilter) -> Option<Vec<TagNeed<'_>>> {
    match filter {
        BudgetFilter::Tag { key, values } if values.is_empty() => Some(vec![(key.as_str(), None)]),
        BudgetFilter::Tag { key, values } => Some(values.iter().map(|v| (key.as_str(), Some(v.as_str()))).collect()),
        // Every part must hold, so what any one part requires is required.
        BudgetFilter::All(parts) => parts.iter().find_map(required_tags),
        // One part must hold, so one of the parts' requirements is.
        BudgetFilter::Any(parts) => {
            parts.iter().map(required_tags).collect::<Option<Vec<_>>>().map(|lists| lists.concat())
        }
        BudgetFilter::Not(_) | BudgetFilter::Dimension { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Budget;

    fn tag(key: &str, values: &[&str]) -> BudgetFilter {
        BudgetFilter::Tag { key: key.into(), values: values.iter().map(|v| v.to_string()).collect() }
    }

    fn dim(key: &str, values: &[&str]) -> BudgetFilter {
        BudgetFilter::Dimension { key: key.into(), values: values.iter().map(|v| v.to_string()).collect() }
    }

    fn budget(name: &str, budget_type: Option<&str>, filter: Option<BudgetFilter>) -> RunBudget {
        RunBudget {
            budget: Budget {
                resource: name.into(),
                span: Default::default(),
                name: None,
                budget_type: budget_type.map(str::to_string),
                limit: None,
                limit_unit: None,
                time_unit: None,
                filter,
            },
            file: "budgets.json".into(),
        }
    }

    fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Every shape of filter the index treats differently, each checked against asking every budget.
    #[test]
    fn the_index_finds_exactly_the_budgets_covers_accepts() {
        let budgets = vec![
            budget("none", None, None),
            budget("usage", Some("USAGE"), None),
            budget("service", Some("COST"), Some(dim("service", &["Amazon Bedrock"]))),
            budget("other-service", None, Some(dim("service", &["Amazon EC2"]))),
            budget("team-a", None, Some(tag("team", &["a"]))),
            budget("team-ab", None, Some(tag("team", &["a", "b"]))),
            budget("has-team", None, Some(tag("team", &[]))),
            budget("region", None, Some(dim("region", &["us-east-1"]))),
            budget("not-team-a", None, Some(BudgetFilter::Not(Box::new(tag("team", &["a"]))))),
            budget(
                "all",
                None,
                Some(BudgetFilter::All(vec![dim("service", &["Amazon Bedrock"]), tag("env", &["prod"])])),
            ),
            budget("any", None, Some(BudgetFilter::Any(vec![tag("team", &["c"]), tag("env", &["dev"])]))),
            budget(
                "any-region",
                None,
                Some(BudgetFilter::Any(vec![tag("team", &["c"]), dim("region", &["eu-west-1"])])),
            ),
            budget("any-empty", None, Some(BudgetFilter::Any(Vec::new()))),
            budget("all-empty", None, Some(BudgetFilter::All(Vec::new()))),
        ];
        let pts = [
            tags(&[]),
            tags(&[("team", "a")]),
            tags(&[("team", "b"), ("env", "prod")]),
            tags(&[("team", "c")]),
            tags(&[("env", "dev"), ("team", "a")]),
            tags(&[("team", "a"), ("env", "dev")]),
            tags(&[("Team", "a")]),
        ];
        let mut index = CoverageIndex::new(&budgets);
        let mut groups = Vec::new();
        for region in [None, Some("us-east-1"), Some("eu-west-1")] {
            for pt in &pts {
                let found = index.covering(pt, region);
                let expected: Vec<usize> = (0..budgets.len())
                    .filter(|&i| {
                        is_cost_budget(&budgets[i].budget)
                            && budgets[i].budget.filter.as_ref().is_none_or(|f| covers_tags(f, pt, region))
                    })
                    .collect();
                assert_eq!(found.iter().collect::<Vec<_>>(), expected, "tags {pt:?} region {region:?}");
                assert_eq!(found.len(), expected.len());
                groups.push(found.group);
            }
        }
        assert_eq!(&*index.shared, &[0, 2, 13], "no filter, Service = Amazon Bedrock, an empty All");
        // The same tags in another order are one group; each region is its own.
        assert_eq!(groups[4], groups[5]);
        assert_eq!(groups.iter().max(), Some(&(3 * (pts.len() - 1) - 1)));
    }

    #[test]
    fn covering_lists_merge_in_budget_order() {
        let covering = CoveringBudgets { shared: vec![0, 3, 7].into(), group: 0, selected: vec![1, 2, 8, 9].into() };
        assert_eq!(covering.iter().collect::<Vec<_>>(), vec![0, 1, 2, 3, 7, 8, 9]);
        assert_eq!(covering.len(), 7);
        assert!(!covering.is_empty());
        assert!(CoveringBudgets::default().is_empty());
    }

    #[test]
    fn required_tags_narrow_the_index_to_the_tags_a_filter_needs() {
        let region = BudgetFilter::Dimension { key: "region".into(), values: vec!["us-east-1".into()] };
        assert_eq!(required_tags(&tag("team", &[])), Some(vec![("team", None)]));
        assert_eq!(required_tags(&tag("team", &["a", "b"])), Some(vec![("team", Some("a")), ("team", Some("b"))]));
        assert_eq!(
            required_tags(&BudgetFilter::All(vec![region.clone(), tag("env", &["prod"])])),
            Some(vec![("env", Some("prod"))])
        );
        assert_eq!(
            required_tags(&BudgetFilter::Any(vec![tag("team", &["a"]), tag("env", &[])])),
            Some(vec![("team", Some("a")), ("env", None)])
        );
        assert_eq!(required_tags(&BudgetFilter::Any(vec![tag("team", &["a"]), region.clone()])), None);
        assert_eq!(required_tags(&BudgetFilter::Not(Box::new(tag("team", &["a"])))), None);
        assert_eq!(required_tags(&region), None);
    }
}
