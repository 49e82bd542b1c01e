//! Positions in text written out from another file (a `.tf.json` as HCL) mapped back to that file.

use std::ops::Range;

/// Where a run of the written-out text came from in the JSON text. Runs of equal length map byte for byte;
/// others (glue such as `resource` or ` = `) map their ends to the ends of the JSON range they stand for.
#[derive(Debug, Clone)]
pub(super) struct Segment {
    pub(super) from: Range<usize>,
    pub(super) to: Range<usize>,
}

/// Positions in the written-out text -> positions in the JSON text.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    /// Sorted by `from.start`, not overlapping.
    pub(super) segments: Vec<Segment>,
}

impl SpanMap {
    fn find(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.from.start <= offset);
        i.checked_sub(1).and_then(|i| self.segments.get(i)).filter(|s| offset <= s.from.end)
    }

    fn map(segment: &Segment, offset: usize) -> usize {
        if segment.from.len() == segment.to.len() {
            segment.to.start + (offset - segment.from.start)
        } else if offset >= segment.from.end {
            segment.to.end
        } else {
            segment.to.start
        }
    }

    /// The JSON offset where a range starting at `offset` starts.
    pub fn start(&self, offset: usize) -> usize {
        if let Some(segment) = self.find(offset) {
            return Self::map(segment, offset);
        }
        let next = self.segments.partition_point(|s| s.from.start <= offset);
        self.segments.get(next).or(self.segments.last()).map_or(0, |s| s.to.start)
    }

    /// The JSON offset where a range ending at `offset` ends.
    pub fn end(&self, offset: usize) -> usize {
        if let Some(segment) = self.find(offset) {
            return Self::map(segment, offset);
        }
        let next = self.segments.partition_point(|s| s.from.start <= offset);
        next.checked_sub(1).and_then(|i| self.segments.get(i)).map_or(0, |s| s.to.end)
    }
}
