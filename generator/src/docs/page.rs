//! A Microsoft Graph reference page (markdown) → its machine-readable parts, with byte offsets:
//! front matter, title, namespace, description, base type link, sections, tables, annotated
//! code blocks (`<!-- { "blockType": ... } -->` followed by a fence) and HTTP request lines.
//!
//! The pages are line-oriented, so this reader is too: every part keeps the offset of the line
//! it came from, and problems (annotation JSON that does not parse, a table row with missing
//! cells, a code fence never closed) are reported at their line and column.

use crate::diag::Code;

/// A problem in a page: its kind, message and byte offset.
#[derive(Debug)]
pub struct PageError {
    /// The kind of problem.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// Where (byte offset).
    pub pos: usize,
}

/// A link `[text](target)` in a cell or line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The link text.
    pub text: String,
    /// The target, as written.
    pub target: String,
}

/// One table row.
#[derive(Clone, Debug)]
pub struct Row {
    /// Cells, trimmed, in column order.
    pub cells: Vec<String>,
    /// Offset of the row's line.
    pub pos: usize,
}

/// A table and the section it is in.
#[derive(Clone, Debug)]
pub struct Table {
    /// The heading of the enclosing section (e.g. `Properties`).
    pub section: String,
    /// Header cells.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<Row>,
    /// Offset of the header line.
    pub pos: usize,
}

/// A fenced code block, with the annotation comment right before it, if any.
#[derive(Clone, Debug)]
pub struct CodeBlock {
    /// The info string (`json`, `http`...).
    pub lang: String,
    /// The content.
    pub text: String,
    /// Offset of the opening fence.
    pub pos: usize,
    /// The section it is in.
    pub section: String,
    /// The `<!-- { ... } -->` annotation before it.
    pub annotation: Option<(serde_json::Value, usize)>,
}

/// What a page holds.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// Front matter `key: value` pairs (quotes removed).
    pub front: Vec<(String, String)>,
    /// The first `#` heading.
    pub title: Option<(String, usize)>,
    /// `Namespace: microsoft.graph`.
    pub namespace: Option<String>,
    /// The first paragraph of prose after the title (placeholders removed).
    pub description: Option<String>,
    /// `Inherits from [entity](../resources/entity.md).`
    pub base: Option<(Link, usize)>,
    /// Tables in order.
    pub tables: Vec<Table>,
    /// Fenced code blocks in order.
    pub blocks: Vec<CodeBlock>,
}

impl Page {
    /// The front matter value of `key`.
    pub fn front(&self, key: &str) -> Option<&str> {
        self.front.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Tables of the section whose heading matches `name` (ignoring case).
    pub fn tables_in<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Table> + 'a {
        self.tables.iter().filter(move |t| t.section.eq_ignore_ascii_case(name))
    }

    /// `METHOD /path` lines of the `HTTP request` section's code blocks, with offsets.
    pub fn http_requests(&self) -> Vec<(String, String, usize)> {
        let mut out = Vec::new();
        for b in self.blocks.iter().filter(|b| b.section.eq_ignore_ascii_case("HTTP request")) {
            let mut offset = b.pos;
            for line in b.text.lines() {
                let mut parts = line.split_whitespace();
                if let (Some(m), Some(url)) = (parts.next(), parts.next()) {
                    if ["GET", "POST", "PATCH", "PUT", "DELETE"].contains(&m) && url.starts_with('/') {
                        out.push((m.to_owned(), url.to_owned(), offset));
                    }
                }
                offset += line.len() + 1;
            }
        }
        out
    }
}

/// Whether text is a documentation placeholder (`**TODO: Add Description**`), i.e. absent.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim().trim_matches('*').trim();
    t.is_empty() || t.to_ascii_uppercase().starts_with("TODO")
}

/// Removes `**TODO: ...**` placeholders from a description; `None` when nothing is left.
pub fn clean_description(text: &str) -> Option<String> {
    let mut out = text.to_owned();
    while let Some(start) = out.find("**TODO") {
        let end = out[start + 2..].find("**").map(|e| start + 2 + e + 2).unwrap_or(out.len());
        out.replace_range(start..end, "");
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    (!out.is_empty()).then_some(out)
}

/// The links `[text](target)` in a piece of markdown.
pub fn links(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let target_start = &after[close + 2..];
        let Some(end) = target_start.find(')') else { break };
        out.push(Link { text: after[..close].to_owned(), target: target_start[..end].to_owned() });
        rest = &target_start[end + 1..];
    }
    out
}

/// Splits a table line into trimmed cells (`\|` is a literal pipe).
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().strip_prefix('|').unwrap_or(line.trim());
    let inner = inner.strip_suffix('|').filter(|s| !s.ends_with('\\')).unwrap_or(inner);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cur).trim().to_owned()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_owned());
    out
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | ':' | '-' | ' ' | '\t')) && t.contains('-')
}

/// Reads a page. Problems are returned beside what could be read; the reader never stops
/// at the first.
pub fn read(text: &str) -> (Page, Vec<PageError>) {
    // A byte order mark is not content; offsets stay those of the file.
    let bom = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let (page, mut errors) = read_after(&text[bom..]);
    for e in &mut errors {
        e.pos += bom;
    }
    (page, errors)
}

fn read_after(text: &str) -> (Page, Vec<PageError>) {
    let mut page = Page::default();
    let mut errors = Vec::new();
    // (offset, line) pairs.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        lines.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    let mut i = 0;
    if lines.first().is_some_and(|(_, l)| l.trim() == "---") {
        let close = lines.iter().skip(1).position(|(_, l)| l.trim() == "---");
        match close {
            Some(c) => {
                for (_, l) in &lines[1..=c] {
                    if let Some((k, v)) = l.split_once(':') {
                        page.front.push((k.trim().to_owned(), v.trim().trim_matches('"').to_owned()));
                    }
                }
                i = c + 2;
            }
            None => errors.push(PageError {
                code: Code::UnclosedBlock,
                message: "the front matter (`---`) is never closed".into(),
                pos: 0,
            }),
        }
    }
    let mut section = String::new();
    let mut pending: Option<(serde_json::Value, usize)> = None;
    let mut description: Vec<&str> = Vec::new();
    let mut in_description = false;
    while i < lines.len() {
        let (pos, line) = lines[i];
        let trimmed = line.trim_start();
        // Fenced code block.
        if let Some(info) = trimmed.strip_prefix("```") {
            let fence_indent = line.len() - trimmed.len();
            let mut body = String::new();
            let mut j = i + 1;
            let mut closed = false;
            while j < lines.len() {
                let l = lines[j].1;
                if l.trim_start().starts_with("```") && l.len() - l.trim_start().len() <= fence_indent + 3 {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
                j += 1;
            }
            if !closed {
                errors.push(PageError {
                    code: Code::UnclosedBlock,
                    message: "this code fence is never closed".into(),
                    pos: pos + fence_indent,
                });
            }
            page.blocks.push(CodeBlock {
                lang: info.trim().to_ascii_lowercase(),
                text: body,
                pos,
                section: section.clone(),
                annotation: pending.take(),
            });
            in_description = false;
            i = j + 1;
            continue;
        }
        // HTML comment, possibly over several lines.
        if let Some(after) = trimmed.strip_prefix("<!--") {
            let start = pos + (line.len() - trimmed.len());
            let mut content = String::new();
            let mut j = i;
            let mut rest = after;
            let closed = loop {
                if let Some(end) = rest.find("-->") {
                    content.push_str(&rest[..end]);
                    break true;
                }
                content.push_str(rest);
                content.push('\n');
                j += 1;
                if j >= lines.len() {
                    break false;
                }
                rest = lines[j].1;
            };
            if !closed {
                errors.push(PageError {
                    code: Code::UnclosedBlock,
                    message: "this HTML comment is never closed".into(),
                    pos: start,
                });
            }
            let body = content.trim();
            if body.starts_with('{') {
                match serde_json::from_str::<serde_json::Value>(body) {
                    Ok(v) => pending = Some((v, start)),
                    Err(e) => {
                        // Point at the JSON error inside the comment.
                        let json_start = start + 4 + content.find('{').unwrap_or(0);
                        let err_pos = json_start + offset_of(body, e.line(), e.column());
                        errors.push(PageError {
                            code: Code::InvalidAnnotationJson,
                            message: format!("the annotation is not valid JSON: {e}"),
                            pos: err_pos,
                        });
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if let Some(h) = heading(trimmed) {
            section = h.to_owned();
            if page.title.is_none() && trimmed.starts_with("# ") {
                page.title = Some((h.to_owned(), pos));
                in_description = true;
            } else {
                in_description = false;
            }
            i += 1;
            continue;
        }
        // Table: a header line, a separator line, rows.
        if trimmed.starts_with('|') && lines.get(i + 1).is_some_and(|(_, l)| is_separator(l)) {
            let header = cells(trimmed);
            let mut rows = Vec::new();
            let mut j = i + 2;
            while j < lines.len() && lines[j].1.trim_start().starts_with('|') {
                let (rpos, rline) = lines[j];
                let row = cells(rline);
                if row.len() < header.len() {
                    errors.push(PageError {
                        code: Code::MalformedTable,
                        message: format!(
                            "this table row has {} cell(s) but the header has {} ({})",
                            row.len(),
                            header.len(),
                            header.join(" | ")
                        ),
                        pos: rpos,
                    });
                }
                rows.push(Row { cells: row, pos: rpos });
                j += 1;
            }
            page.tables.push(Table { section: section.clone(), header, rows, pos });
            in_description = false;
            i = j;
            continue;
        }
        if let Some(ns) = trimmed.strip_prefix("Namespace:") {
            page.namespace = Some(ns.trim().to_owned());
        } else if trimmed.starts_with("Inherits from") {
            if let Some(link) = links(trimmed).into_iter().next() {
                page.base = Some((link, pos));
            }
        } else if in_description && !trimmed.starts_with("[!") && !trimmed.starts_with('>') {
            if trimmed.is_empty() {
                if !description.is_empty() {
                    in_description = false;
                }
            } else {
                description.push(trimmed);
            }
        }
        i += 1;
    }
    page.description = clean_description(&description.join(" "));
    (page, errors)
}

/// `## Properties` → `Properties`.
fn heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
        Some(line[hashes..].trim())
    } else {
        None
    }
}

/// The byte offset of 1-based (line, column) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return offset + column.saturating_sub(1).min(l.len());
        }
        offset += l.len();
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_on_unescaped_pipes() {
        assert_eq!(cells("|a|b \\| c| d |"), ["a", "b | c", "d"]);
        assert_eq!(cells("||String|desc|"), ["", "String", "desc"]);
    }

    #[test]
    fn placeholders_are_absent_text() {
        assert!(is_placeholder("**TODO: Add Description**"));
        assert_eq!(
            clean_description("**TODO: Add Description** Inherited from x"),
            Some("Inherited from x".into())
        );
        assert_eq!(clean_description("**TODO: Add Description**"), None);
    }

    #[test]
    fn reads_sections_tables_and_annotated_blocks() {
        let text = "---\ntitle: \"t\"\n---\n# thing resource type\n\nNamespace: a.b\n\nA thing.\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|id|String|The id.|\n\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"a.b.thing\" } -->\n```json\n{}\n```\n";
        let (page, errors) = read(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(page.front("title"), Some("t"));
        assert_eq!(page.namespace.as_deref(), Some("a.b"));
        assert_eq!(page.description.as_deref(), Some("A thing."));
        let t = page.tables_in("properties").next().unwrap();
        assert_eq!(t.rows[0].cells, ["id", "String", "The id."]);
        assert_eq!(page.blocks[0].annotation.as_ref().unwrap().0["@odata.type"], "a.b.thing");
    }
}
