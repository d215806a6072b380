//! Diagnostics: located errors and warnings, collected rather than thrown.
//!
//! Front ends record every problem they find in a [`Diagnostics`] accumulator and keep going,
//! so one run reports all of them. A [`SourceMap`] turns the byte offsets the readers see into
//! the `file:line:col` locations users read. Every diagnostic has a [`Code`] from the one
//! table in [`codes`], which also decides whether it is an error or a warning.

mod codes;

use std::fmt;

pub use codes::Code;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation went on; the output may lack or simplify something.
    Warning,
    /// Generation cannot produce correct output.
    Error,
}

/// A place in an input file, 1-based.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// One problem found in the inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The kind of problem; it decides the severity.
    pub code: Code,
    /// Where the problem is, when it has a place in a file.
    pub location: Option<Location>,
    /// What is wrong, in one line.
    pub message: String,
    /// Further places that explain the problem (e.g. the first declaration of a duplicate).
    pub notes: Vec<(Location, String)>,
}

impl Diagnostic {
    /// Error or warning, as the code says.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: error[E0101]: message`, then one indented line per note.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        let severity = match self.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}[{}]: {}", self.code.id(), self.message)?;
        for (location, note) in &self.notes {
            write!(f, "\n  {location}: note: {note}")?;
        }
        Ok(())
    }
}

/// An accumulator of diagnostics, passed through every phase.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error; `code` must be an error code.
    pub fn error(&mut self, code: Code, location: Option<Location>, message: impl Into<String>) {
        debug_assert_eq!(code.severity(), Severity::Error, "{code} is a warning, recorded as an error");
        self.push(code, location, message.into(), Vec::new());
    }

    /// Records a warning; `code` must be a warning code.
    pub fn warning(&mut self, code: Code, location: Option<Location>, message: impl Into<String>) {
        debug_assert_eq!(code.severity(), Severity::Warning, "{code} is an error, recorded as a warning");
        self.push(code, location, message.into(), Vec::new());
    }

    /// Records a diagnostic with notes pointing at related places; the code decides whether
    /// it is an error or a warning.
    pub fn push(
        &mut self,
        code: Code,
        location: Option<Location>,
        message: String,
        notes: Vec<(Location, String)>,
    ) {
        self.list.push(Diagnostic { code, location, message, notes });
    }

    /// Ends a phase: once an error is recorded, later phases would only report its
    /// consequences, so the run stops with everything recorded so far, sorted
    /// ([`crate::Error::Invalid`]); otherwise it goes on.
    pub fn propagate(&mut self) -> Result<(), crate::Error> {
        if !self.has_errors() {
            return Ok(());
        }
        let mut all = std::mem::take(self);
        all.sort();
        Err(crate::Error::Invalid(all))
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.list.iter().any(|d| d.severity() == Severity::Error)
    }

    /// All diagnostics in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.list.iter()
    }

    /// The number of diagnostics.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Moves everything recorded in `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.list.extend(other.list);
    }

    /// Sorts by location so that output reads top to bottom, file by file.
    /// Diagnostics without a location come first; the sort is stable.
    pub fn sort(&mut self) {
        self.list.sort_by(|a, b| a.location.cmp(&b.location));
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.list {
            writeln!(f, "{d}")?;
        }
        let errors = self.list.iter().filter(|d| d.severity() == Severity::Error).count();
        let warnings = self.list.len() - errors;
        write!(f, "{errors} error(s), {warnings} warning(s)")
    }
}

/// Maps byte offsets of one file to lines and columns.
#[derive(Clone, Debug)]
pub struct SourceMap {
    name: String,
    text: std::sync::Arc<str>,
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)` every [`CHECKPOINT`] bytes (at character
    /// boundaries): a column is counted from the nearest one, so locating is not quadratic in
    /// the length of a line (OData V2 documents are often one line).
    checkpoints: Vec<(usize, usize)>,
}

/// The distance between [`SourceMap`]'s character checkpoints, in bytes.
const CHECKPOINT: usize = 4096;

impl SourceMap {
    /// Indexes `text`, which is known to users as `name`.
    pub fn new(name: &str, text: std::sync::Arc<str>) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        let mut checkpoints = vec![(0, 0)];
        let mut at = 0;
        while at + CHECKPOINT < text.len() {
            let mut next = at + CHECKPOINT;
            while !text.is_char_boundary(next) {
                next -= 1;
            }
            let chars = checkpoints.last().map_or(0, |c| c.1) + text[at..next].chars().count();
            checkpoints.push((next, chars));
            at = next;
        }
        SourceMap { name: name.to_owned(), text, line_starts, checkpoints }
    }

    /// The file name used in locations.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many characters come before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(at, _)| at <= offset) - 1;
        let (at, chars) = self.checkpoints[i];
        chars + self.text[at..offset].chars().count()
    }

    /// The location of byte `offset` (clamped to the end of the file; inside a character, that
    /// character's).
    pub fn locate(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(start);
        Location { file: self.name.clone(), line: line as u32 + 1, column: column as u32 + 1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_map_counts_lines_and_characters_from_one() {
        let map = SourceMap::new("f.xml", "ab\nçd\n".into());
        assert_eq!(map.locate(0).to_string(), "f.xml:1:1");
        assert_eq!(map.locate(3).to_string(), "f.xml:2:1");
        // `ç` is two bytes but one column.
        assert_eq!(map.locate(5).to_string(), "f.xml:2:2");
        assert_eq!(map.locate(999).to_string(), "f.xml:3:1");
        // Inside a character: that character's column.
        assert_eq!(map.locate(4).to_string(), "f.xml:2:1");
        // A long line with characters of several bytes: counted from checkpoints, the same.
        let line: String = "aé€😀".repeat(3000);
        let map = SourceMap::new("g", format!("x\n{line}").into());
        for offset in [2, 3, 5, 8, 4096, 4099, 10_001, line.len() + 1] {
            let offset = (offset..).find(|&o| line.is_char_boundary(o - 2)).unwrap();
            let expected = line[..offset - 2].chars().count() + 1;
            assert_eq!(map.locate(offset).column as usize, expected, "{offset}");
        }
    }

    #[test]
    fn diagnostics_render_as_file_line_col_lines() {
        let mut d = Diagnostics::default();
        let at = Location { file: "a.xml".into(), line: 3, column: 7 };
        d.error(Code::UnknownType, Some(at.clone()), "unknown type `x.y`");
        assert!(d.has_errors());
        assert_eq!(d.to_string(), "a.xml:3:7: error[E0303]: unknown type `x.y`\n1 error(s), 0 warning(s)");
        let mut d = Diagnostics::default();
        let first = Location { line: 1, ..at.clone() };
        d.push(Code::MetadataMismatch, Some(at), "differs".into(), vec![(first, "declared here".into())]);
        d.warning(Code::SkippedInput, None, "skipped");
        assert!(!d.has_errors());
        assert_eq!(
            d.to_string(),
            "a.xml:3:7: warning[W0409]: differs\n  a.xml:1:7: note: declared here\n\
             warning[W0106]: skipped\n0 error(s), 2 warning(s)"
        );
    }

    #[test]
    #[should_panic(expected = "W0106 is a warning, recorded as an error")]
    #[cfg(debug_assertions)]
    fn a_warning_code_cannot_be_recorded_as_an_error() {
        Diagnostics::default().error(Code::SkippedInput, None, "skipped");
    }
}
