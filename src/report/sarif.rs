//! `--format sarif` (interim: JSON until the renderer lands).

use crate::engine::Analysis;

pub fn render(analysis: &Analysis) -> String {
    super::json::render(analysis)
}
