//! `ptlint cost` (interim).

use crate::cli::CostFormat;
use crate::engine::Analysis;

pub fn render(analysis: &Analysis, _format: CostFormat) -> String {
    super::json::render(analysis)
}
