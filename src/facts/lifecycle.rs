//! Lifecycle facts of one PT: its model's state on the run's date (`--as-of`), from the lifecycle table.

use crate::evidence::date_of_day;
use crate::link::LinkedThroughput;
use crate::model::{ModelKind, PlanAction, Throughput};
use crate::pricing::lifecycle::{Lifecycle, LifecycleState};
use serde::Serialize;

/// What the lifecycle table says about a PT's model (for a custom model, its base model) on the run's date.
#[derive(Debug, Clone, Serialize)]
pub struct LifecycleFacts {
    /// `active`, `legacy`, `end_of_life`, or `unknown` (the table has no dates for the model, or it is not known).
    pub state: &'static str,
    /// The run's date (`YYYY-MM-DD`) the state is judged on.
    pub as_of: String,
    /// The day the model is Legacy from: the table's date, or six months before end of life (`legacy_derived`).
    pub legacy_date: Option<String>,
    /// Whether `legacy_date` is derived from the end of life ("at least 6 months" Legacy before it).
    pub legacy_derived: bool,
    /// `legacy_date` for a message: the date, with "at the latest" when it is derived.
    pub legacy_since: Option<String>,
    pub end_of_life_date: Option<String>,
    /// The lifecycle source and when its copy was recorded; `null` when the table has no entry.
    pub source: Option<String>,
    /// What the source leaves uncertain about the model.
    pub note: Option<String>,
    /// This run buys the PT: a template or `.tf` PT, or one a plan creates or replaces (a plan's no-op or update
    /// is an existing PT).
    pub new_purchase: bool,
    /// The PT exists already and its model is Legacy: it keeps running until end of life (a warning, not a refusal).
    pub existing_on_legacy: bool,
}

/// Whether the run creates the PT (anything but a plan's no-op, update or read of an existing one).
fn is_new_purchase(action: Option<PlanAction>) -> bool {
    !matches!(action, Some(PlanAction::NoOp | PlanAction::Update | PlanAction::Read | PlanAction::Delete))
}

/// The lifecycle facts of one PT on `day` (days since 1970-01-01).
pub fn facts(pt: &Throughput, linked: &LinkedThroughput, table: &Lifecycle, day: i64) -> LifecycleFacts {
    let new_purchase = is_new_purchase(pt.plan_action);
    let model = linked.base_model.as_deref().or(linked.model.as_deref());
    // An imported model cannot have a PT at all (PT008); an unknown model has no lifecycle to judge.
    let judged = model
        .filter(|_| matches!(linked.model_kind, ModelKind::Foundation | ModelKind::Custom))
        .and_then(|m| table.judge(m, day));
    let mut facts = LifecycleFacts {
        state: LifecycleState::Unknown.as_str(),
        as_of: date_of_day(day),
        legacy_date: None,
        legacy_derived: false,
        legacy_since: None,
        end_of_life_date: None,
        source: None,
        note: None,
        new_purchase,
        existing_on_legacy: false,
    };
    if let Some(judged) = judged {
        facts.state = judged.state.as_str();
        facts.legacy_date = judged.legacy_date.clone();
        facts.legacy_derived = judged.legacy_derived;
        facts.legacy_since = judged.legacy_date.as_ref().map(|date| match judged.legacy_derived {
            true => format!("{date} at the latest, six months before end of life"),
            false => date.clone(),
        });
        facts.end_of_life_date = judged.entry.end_of_life.clone();
        facts.source = Some(format!("{}, recorded {}", judged.entry.source, judged.entry.recorded));
        facts.note = judged.entry.note.clone();
        facts.existing_on_legacy = judged.state == LifecycleState::Legacy && !new_purchase;
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plan_that_keeps_or_updates_a_pt_is_an_existing_one() {
        assert!(is_new_purchase(None));
        assert!(is_new_purchase(Some(PlanAction::Create)));
        assert!(is_new_purchase(Some(PlanAction::Replace)));
        assert!(!is_new_purchase(Some(PlanAction::NoOp)));
        assert!(!is_new_purchase(Some(PlanAction::Update)));
    }
}
