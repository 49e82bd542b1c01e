//! What the policy step reads: a facts document, as a JSON value or as ptlint's own facts, one PT at a time.

use crate::facts::FactsDocument;
use serde_json::{Map, Value};

/// A facts document the rules can run over. Built-in rules see one batch of PTs at a time and messages read one PT,
/// so the whole document is converted to JSON only when a user rule asks for it.
pub trait PolicyInput: Sync {
    /// How many PTs the document holds.
    fn throughput_count(&self) -> usize;
    /// One PT's facts, as the whole document would show them.
    fn throughput(&self, index: usize) -> Result<Value, serde_json::Error>;
    /// The document without its PTs (version, policy thresholds).
    fn context(&self) -> Result<Map<String, Value>, serde_json::Error>;
    /// The whole document as JSON text.
    fn document_text(&self) -> Result<String, serde_json::Error>;
}

impl PolicyInput for Value {
    fn throughput_count(&self) -> usize {
        self.get("throughputs").and_then(Value::as_array).map_or(0, Vec::len)
    }

    fn throughput(&self, index: usize) -> Result<Value, serde_json::Error> {
        Ok(self.get("throughputs").and_then(|list| list.get(index)).cloned().unwrap_or(Value::Null))
    }

    fn context(&self) -> Result<Map<String, Value>, serde_json::Error> {
        Ok(self
            .as_object()
            .map(|doc| doc.iter().filter(|(k, _)| *k != "throughputs").map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default())
    }

    fn document_text(&self) -> Result<String, serde_json::Error> {
        Ok(self.to_string())
    }
}

impl PolicyInput for FactsDocument {
    fn throughput_count(&self) -> usize {
        self.throughputs.len()
    }

    fn throughput(&self, index: usize) -> Result<Value, serde_json::Error> {
        self.throughputs.get(index).map_or(Ok(Value::Null), serde_json::to_value)
    }

    fn context(&self) -> Result<Map<String, Value>, serde_json::Error> {
        let mut context = Map::new();
        context.insert("version".into(), serde_json::to_value(self.version)?);
        context.insert("policy".into(), serde_json::to_value(&self.policy)?);
        if let Some(credits) = &self.credits {
            context.insert("credits".into(), serde_json::to_value(credits)?);
        }
        Ok(context)
    }

    fn document_text(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::PolicyFacts;

    fn document() -> FactsDocument {
        FactsDocument {
            version: 1,
            policy: PolicyFacts {
                min_observed_days: [("one_month", 14)].into(),
                hours_per_month: 730.into(),
                budget_hours: 744.into(),
                as_of: "2024-10-04".into(),
            },
            throughputs: Vec::new(),
            credits: None,
        }
    }

    #[test]
    fn facts_and_their_json_value_read_the_same() {
        let facts = document();
        let value = serde_json::to_value(&facts).unwrap();
        assert_eq!(facts.throughput_count(), value.throughput_count());
        assert_eq!(facts.context().unwrap(), value.context().unwrap());
        assert_eq!(facts.document_text().unwrap(), value.document_text().unwrap());
        assert_eq!(facts.throughput(0).unwrap(), Value::Null);
        assert_eq!(value.throughput(0).unwrap(), Value::Null);
        // The context is the whole document but its PTs.
        let mut whole = facts.context().unwrap();
        whole.insert("throughputs".into(), Value::Array(Vec::new()));
        assert_eq!(Value::Object(whole), value);
    }
}
