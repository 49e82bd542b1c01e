//! Which cost budgets cover which PTs, found through an index on where budgets reach, never budget by PT.

use super::{covers, is_cost_budget, Reach, RunBudget};
use crate::model::BudgetFilter;
use std::collections::HashMap;
use std::sync::Arc;

/// The cost budgets that cover one PT, by index into the run's budgets. PTs that share a link unit, tags, region and
/// ARN, and are alike governed or not by the config, form one group and share one list, so a run with thousands of
/// PTs stores each list once instead of one per PT.
#[derive(Debug, Clone, Default)]
pub struct CoveringBudgets {
    /// The PT's coverage group, numbered from 0 in order of first appearance.
    pub group: usize,
    /// The budgets covering this group's PTs, ascending (the order budgets were found in).
    pub selected: Arc<[usize]>,
}

impl CoveringBudgets {
    /// How many budgets cover the PT.
    pub fn len(&self) -> usize {
        self.selected.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every covering budget, ascending (the order budgets were found in).
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.selected.iter().copied()
    }
}

/// What PTs of one coverage group have in common: link unit and governed, sorted tags, region and ARN.
type GroupKey<'a> = ((usize, bool), Vec<(&'a str, &'a str)>, Option<String>, Option<String>);

/// Finds each PT's covering budgets in time proportional to the budgets that can reach it, not to all budgets.
pub(super) struct CoverageIndex<'a> {
    budgets: &'a [RunBudget],
    /// Cost budgets by where they reach.
    by_reach: HashMap<Reach, Vec<usize>>,
    /// Cost budgets whose filter names PTs by ARN (`RESOURCE_ID`), under each ARN: they reach those PTs anywhere.
    by_arn: HashMap<&'a str, Vec<usize>>,
    /// Groups seen so far.
    groups: HashMap<GroupKey<'a>, (usize, Arc<[usize]>)>,
}

impl<'a> CoverageIndex<'a> {
    pub(super) fn new(budgets: &'a [RunBudget]) -> Self {
        let mut by_reach: HashMap<Reach, Vec<usize>> = HashMap::new();
        let mut by_arn: HashMap<&'a str, Vec<usize>> = HashMap::new();
        for (i, run_budget) in budgets.iter().enumerate() {
            if !is_cost_budget(&run_budget.budget) {
                continue;
            }
            by_reach.entry(run_budget.reach).or_default().push(i);
            if let Some(filter) = &run_budget.budget.filter {
                let mut arns = Vec::new();
                named_arns(filter, &mut arns);
                arns.sort_unstable();
                arns.dedup();
                for arn in arns {
                    by_arn.entry(arn).or_default().push(i);
                }
            }
        }
        CoverageIndex { budgets, by_reach, by_arn, groups: HashMap::new() }
    }

    /// The budgets covering a PT with these tags, region and ARN, in link unit `reach.0`, governed by the config
    /// whose budgets are linked when `reach.1`.
    pub(super) fn covering(
        &mut self,
        tags: &'a [(String, String)],
        region: Option<&str>,
        arn: Option<&str>,
        reach: (usize, bool),
    ) -> CoveringBudgets {
        let mut key_tags: Vec<(&str, &str)> = tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        key_tags.sort_unstable();
        key_tags.dedup();
        let key = (reach, key_tags, region.map(str::to_string), arn.map(str::to_string));
        let next = self.groups.len();
        let (group, selected) = match self.groups.get(&key) {
            Some(found) => found.clone(),
            None => {
                let selected: Arc<[usize]> = self.select(tags, region, arn, reach).into();
                self.groups.insert(key, (next, selected.clone()));
                (next, selected)
            }
        };
        CoveringBudgets { group, selected }
    }

    /// The budgets that reach such a PT and whose filter covers it, ascending.
    fn select(
        &self,
        tags: &[(String, String)],
        region: Option<&str>,
        arn: Option<&str>,
        reach: (usize, bool),
    ) -> Vec<usize> {
        let (unit, governed) = reach;
        let mut candidates: Vec<usize> = Vec::new();
        let mut add = |list: Option<&Vec<usize>>| candidates.extend(list.into_iter().flatten().copied());
        add(self.by_reach.get(&Reach::Unit(unit)));
        if governed {
            add(self.by_reach.get(&Reach::Governed));
        }
        add(arn.and_then(|arn| self.by_arn.get(arn)));
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|&i| self.budgets[i].budget.filter.as_ref().is_none_or(|f| covers(f, tags, region, arn)));
        candidates
    }
}

/// The ARNs a filter requires a covered PT to have (`RESOURCE_ID` values outside any `Not`).
fn named_arns<'a>(filter: &'a BudgetFilter, out: &mut Vec<&'a str>) {
    match filter {
        BudgetFilter::All(parts) | BudgetFilter::Any(parts) => parts.iter().for_each(|p| named_arns(p, out)),
        BudgetFilter::Dimension { key, values } if key == "resource_id" => {
            out.extend(values.iter().map(String::as_str).filter(|v| v.starts_with("arn:")))
        }
        BudgetFilter::Not(_) | BudgetFilter::Tag { .. } | BudgetFilter::Dimension { .. } => {}
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

    fn budget(name: &str, budget_type: Option<&str>, filter: Option<BudgetFilter>, reach: Reach) -> RunBudget {
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
            reach,
        }
    }

    fn tags(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const ARN: &str = "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc";

    /// Every shape of filter and reach, each checked against asking every budget whether it reaches the PT and
    /// covers it.
    #[test]
    fn the_index_finds_exactly_the_budgets_that_reach_and_cover() {
        let (one, two) = (Reach::Unit(0), Reach::Unit(1));
        let budgets = vec![
            budget("none", None, None, one),
            budget("usage", Some("USAGE"), None, one),
            budget("service", Some("COST"), Some(dim("service", &["Amazon Bedrock"])), two),
            budget("other-service", None, Some(dim("service", &["Amazon EC2"])), one),
            budget("team-a", None, Some(tag("team", &["a"])), one),
            budget("team-ab", None, Some(tag("team", &["a", "b"])), two),
            budget("has-team", None, Some(tag("team", &[])), Reach::Governed),
            budget("region", None, Some(dim("region", &["us-east-1"])), one),
            budget("not-team-a", None, Some(BudgetFilter::Not(Box::new(tag("team", &["a"])))), Reach::Governed),
            budget("arn", None, Some(dim("resource_id", &[ARN])), Reach::Unit(7)),
            budget(
                "arn-or-team-c",
                None,
                Some(BudgetFilter::Any(vec![dim("resource_id", &[ARN]), tag("team", &["c"])])),
                Reach::Unit(7),
            ),
            budget("not-arn", None, Some(BudgetFilter::Not(Box::new(dim("resource_id", &[ARN])))), Reach::Unit(7)),
            budget("account", None, None, Reach::Governed),
        ];
        let pts = [tags(&[]), tags(&[("team", "a")]), tags(&[("team", "c"), ("env", "prod")]), tags(&[("Team", "a")])];
        let mut index = CoverageIndex::new(&budgets);
        let mut seen = 0;
        for reach in [(0, false), (0, true), (1, false), (7, false)] {
            for region in [None, Some("us-east-1")] {
                for arn in [None, Some(ARN)] {
                    for pt in &pts {
                        let found = index.covering(pt, region, arn, reach);
                        let expected: Vec<usize> = (0..budgets.len())
                            .filter(|&i| {
                                let b = &budgets[i];
                                let reaches = match b.reach {
                                    Reach::Unit(u) => u == reach.0,
                                    Reach::Governed => reach.1,
                                };
                                let by_arn = arn.is_some() && b.budget.resource.starts_with("arn");
                                is_cost_budget(&b.budget)
                                    && (reaches || by_arn)
                                    && b.budget.filter.as_ref().is_none_or(|f| covers(f, pt, region, arn))
                            })
                            .collect();
                        assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{pt:?} {region:?} {arn:?} {reach:?}");
                        assert_eq!(found.len(), expected.len());
                        seen += usize::from(!expected.is_empty());
                    }
                }
            }
        }
        assert!(seen > 40, "most cases are covered by something ({seen})");
        // A budget naming the ARN covers that PT from another unit; a PT without that ARN it does not reach.
        let far = index.covering(&pts[2], None, Some(ARN), (3, false));
        assert_eq!(
            far.iter().map(|b| budgets[b].budget.resource.as_str()).collect::<Vec<_>>(),
            ["arn", "arn-or-team-c"]
        );
        assert!(index.covering(&pts[2], None, None, (3, false)).is_empty(), "team c alone does not reach unit 3");
        // The same tags in another order are one group; another unit is another group.
        let ab = index.covering(&pts[2], None, None, (0, false)).group;
        let swapped = tags(&[("env", "prod"), ("team", "c")]);
        assert_eq!(index.covering(&swapped, None, None, (0, false)).group, ab);
        assert_ne!(index.covering(&pts[2], None, None, (1, false)).group, ab);
    }

    #[test]
    fn only_arns_outside_a_not_reach_across_units() {
        let both = BudgetFilter::All(vec![dim("service", &["Amazon Bedrock"]), dim("resource_id", &[ARN, "x"])]);
        let not = BudgetFilter::Not(Box::new(dim("resource_id", &["arn:aws:bedrock:other"])));
        let mut arns = Vec::new();
        named_arns(&both, &mut arns);
        named_arns(&not, &mut arns);
        assert_eq!(arns, [ARN], "a value that is not an ARN, and one under Not, name no PT");
    }
}
