//! Indexes of the run's alarms and custom models by what can name a PT (reference in scope, ARN), built once per run.

use super::{same_scope, InputFile};
use crate::model::{Reference, Resolved};
use crate::source::terraform::strip_index;
use std::collections::HashMap;

/// Where a logical ID or Terraform address means the same resource: one file, or the documents that share a
/// [`crate::model::Document::scope`] (one Terraform configuration). Two files are in the same scope exactly when
/// their keys are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Scope<'a> {
    File(usize),
    Shared(&'a str),
}

pub(super) fn scope_of(files: &[InputFile], index: usize) -> Scope<'_> {
    match &files[index].document.scope {
        Some(scope) => Scope::Shared(scope),
        None => Scope::File(index),
    }
}

/// A name in a scope: a logical ID or a Terraform address (with and without its instance index).
type ScopedName<'a> = (Scope<'a>, &'a str);

/// The names a reference or resource address can be looked up by: itself and itself without an instance index.
/// Two addresses that [`super::address_matches`] (or whose stripped forms are equal) share one of these.
fn lookup_names(address: &str) -> impl Iterator<Item = &str> {
    let stripped = strip_index(address);
    std::iter::once(address).chain((stripped != address).then_some(stripped))
}

/// (file, item) pairs under each key, in run order.
fn push<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<(usize, usize)>>, key: K, item: (usize, usize)) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&item) {
        list.push(item);
    }
}

/// Candidate matches from several lookups, in run order and without repeats.
fn sorted(mut found: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    found.sort_unstable();
    found.dedup();
    found
}

/// Alarms by the `ModelId` dimension values that can name a PT.
pub(super) struct AlarmIndex<'a> {
    by_arn: HashMap<&'a str, Vec<(usize, usize)>>,
    by_name: HashMap<ScopedName<'a>, Vec<(usize, usize)>>,
}

impl<'a> AlarmIndex<'a> {
    pub(super) fn new(files: &'a [InputFile]) -> Self {
        let mut index = AlarmIndex { by_arn: HashMap::new(), by_name: HashMap::new() };
        for (fi, file) in files.iter().enumerate() {
            let scope = scope_of(files, fi);
            for (ai, alarm) in file.document.alarms.iter().enumerate() {
                for field in alarm.metrics.iter().filter_map(|m| m.model_id.as_ref()) {
                    match &field.value {
                        Resolved::Known(arn) => push(&mut index.by_arn, arn.as_str(), (fi, ai)),
                        Resolved::Ref(Reference::CfnRef(id) | Reference::CfnGetAtt(id, _)) => {
                            push(&mut index.by_name, (scope, id.as_str()), (fi, ai))
                        }
                        Resolved::Ref(Reference::Terraform { address, .. }) => {
                            for name in lookup_names(address) {
                                push(&mut index.by_name, (scope, name), (fi, ai));
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        index
    }

    /// (file, alarm) pairs that may watch the PT `resource` of file `file` with this ARN: a superset of the
    /// alarms that do, in run order. The caller confirms each with [`super::watches`].
    pub(super) fn candidates(
        &self,
        files: &'a [InputFile],
        file: usize,
        resource: &str,
        arn: Option<&str>,
    ) -> Vec<(usize, usize)> {
        let scope = scope_of(files, file);
        let mut found = Vec::new();
        if let Some(list) = arn.and_then(|arn| self.by_arn.get(arn)) {
            found.extend_from_slice(list);
        }
        for name in lookup_names(resource) {
            if let Some(list) = self.by_name.get(&(scope, name)) {
                found.extend_from_slice(list);
            }
        }
        sorted(found)
    }
}

/// Custom models by their address (with and without an instance index) in their scope.
pub(super) struct CustomModelIndex<'a> {
    by_name: HashMap<ScopedName<'a>, Vec<(usize, usize)>>,
}

impl<'a> CustomModelIndex<'a> {
    pub(super) fn new(files: &'a [InputFile]) -> Self {
        let mut by_name = HashMap::new();
        for (fi, file) in files.iter().enumerate() {
            let scope = scope_of(files, fi);
            for (mi, model) in file.document.custom_models.iter().enumerate() {
                for name in lookup_names(&model.resource) {
                    push(&mut by_name, (scope, name), (fi, mi));
                }
            }
        }
        CustomModelIndex { by_name }
    }

    /// (file, model) pairs in the scope of file `file` that a reference to `address` may name, in run order.
    pub(super) fn candidates(&self, files: &'a [InputFile], file: usize, address: &str) -> Vec<(usize, usize)> {
        let scope = scope_of(files, file);
        let mut found = Vec::new();
        for name in lookup_names(address) {
            if let Some(list) = self.by_name.get(&(scope, name)) {
                found.extend_from_slice(list);
            }
        }
        debug_assert!(found.iter().all(|&(fi, _)| same_scope(files, file, fi)));
        sorted(found)
    }
}
