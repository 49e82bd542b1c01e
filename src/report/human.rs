//! `--format human` (interim: JSON until the renderer lands).

use crate::engine::Analysis;

pub fn render(analysis: &Analysis, _color: bool) -> String {
    super::json::render(analysis)
}
