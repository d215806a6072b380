//! Descriptions from metadata → rustdoc that `cargo doc` renders cleanly.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Notes;

/// Cleans one description for rustdoc: wraps bare URLs in `<...>`, escapes what rustdoc would
/// read as markup the service did not mean (square brackets that are not markdown links become
/// intra-doc links, `<...>` that is not a URL autolink becomes an HTML tag, a backtick without
/// its pair opens a code span), and marks code fences as `text` so doctests never try to
/// compile service examples. Inline code spans are kept as written.
pub fn clean(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.replace("\r\n", "\n").split('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                let _ = rest;
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
        } else {
            out.push(clean_line(line.trim_end()));
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

fn clean_line(line: &str) -> String {
    clean_inline(line, false)
}

/// Cleans one line outside code fences. `in_link_text`: the text of a markdown link, where a
/// bare URL needs no wrapping (rustdoc does not lint inside links) and links do not nest.
fn clean_inline(line: &str, in_link_text: bool) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        // A code span stays as written: rustdoc reads nothing inside it.
        if rest.starts_with('`') {
            let ticks = rest.len() - rest.trim_start_matches('`').len();
            let len = match code_span_len(rest, ticks) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    len
                }
                // A backtick run without its pair is text, not the start of code.
                None => {
                    out.push_str(&"\\`".repeat(ticks));
                    ticks
                }
            };
            rest = &rest[len..];
            continue;
        }
        // A markdown link `[text](url)` stays a link; its text is cleaned.
        if rest.starts_with('[') && !in_link_text {
            if let Some(close) = rest.find("](") {
                if let Some(end) = rest[close..].find(')') {
                    let text = &rest[1..close];
                    if !text.contains(['[', ']']) {
                        out.push('[');
                        out.push_str(&clean_inline(text, true));
                        out.push_str(&rest[close..close + end + 1]);
                        rest = &rest[close + end + 1..];
                        continue;
                    }
                }
            }
        }
        // A URL autolink `<https://...>` stays; any other `<` is text, not an HTML tag.
        if rest.starts_with('<') {
            let len = match autolink_len(rest) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    len
                }
                None => {
                    out.push_str("&lt;");
                    1
                }
            };
            rest = &rest[len..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest.find(|c: char| url_ends_at(c) || c == ')' || c == '"').unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            if in_link_text {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            rest = &rest[url.len()..];
            continue;
        }
        let ch = rest.chars().next().expect("non-empty");
        match ch {
            '[' | ']' => {
                out.push('\\');
                out.push(ch);
            }
            _ => out.push(ch),
        }
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// The length of the code span at the start of `text` (which starts with a run of `ticks`
/// backticks): up to the next run of exactly as many, or `None` when the line has none.
fn code_span_len(text: &str, ticks: usize) -> Option<usize> {
    let mut at = ticks;
    while let Some(i) = text[at..].find('`') {
        let start = at + i;
        let run = text[start..].len() - text[start..].trim_start_matches('`').len();
        if run == ticks {
            return Some(start + run);
        }
        at = start + run;
    }
    None
}

/// The length of the URL autolink `<http://...>` or `<https://...>` at the start of `text`.
fn autolink_len(text: &str) -> Option<usize> {
    let url = text.strip_prefix('<')?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return None;
    }
    let end = url.find(url_ends_at)?;
    url[end..].starts_with('>').then_some(end + 2)
}

/// Characters a URL never contains in a description (CommonMark ends an autolink at them).
fn url_ends_at(c: char) -> bool {
    c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '`')
}

/// `#[doc = " line"]` attributes, one per line (prettyplease prints them as `///`).
pub fn attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// The doc lines of a node: description, long description, then `facts` (each a paragraph).
pub fn lines(notes: &Notes, facts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let para = |text: Vec<String>, out: &mut Vec<String>| {
        if text.iter().all(|l| l.trim().is_empty()) {
            return;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(text);
    };
    if let Some(d) = &notes.description {
        para(clean(d), &mut out);
    }
    if let Some(d) = &notes.long_description {
        para(clean(d), &mut out);
    }
    for f in facts {
        para(vec![f.clone()], &mut out);
    }
    for (title, text) in &notes.examples {
        // Examples are shown, never compiled: a `text` fence.
        let mut block = vec![format!("{title}:"), String::new(), "```text".to_owned()];
        block.extend(text.trim_end().lines().map(str::to_owned));
        block.push("```".to_owned());
        para(block, &mut out);
    }
    out
}

/// `#[deprecated(note = "...")]` when the notes say so.
pub fn deprecated(notes: &Notes) -> TokenStream {
    let Some(d) = &notes.deprecation else {
        return TokenStream::new();
    };
    let mut note = d.description.clone().unwrap_or_else(|| "deprecated by the service".to_owned());
    if let Some(date) = &d.removal_date {
        note.push_str(&format!(" (to be removed on {date})"));
    }
    quote! { #[deprecated(note = #note)] }
}

#[cfg(test)]
mod tests {
    use super::clean;

    /// Asserts that each input cleans to the wanted lines.
    fn check(cases: &[(&str, &[&str])]) {
        for (input, want) in cases {
            assert_eq!(clean(input), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{input:?}");
        }
    }

    #[test]
    fn bare_urls_become_autolinks() {
        check(&[
            ("See https://aka.ms/x.", &["See <https://aka.ms/x>."]),
            ("Already <https://a.b/c> wrapped", &["Already <https://a.b/c> wrapped"]),
            ("(see http://a.b/c)", &["(see <http://a.b/c>)"]),
            ("(https://a.b/c)", &["(<https://a.b/c>)"]),
            ("at https://a.b/<id>", &["at <https://a.b/>&lt;id>"]),
        ]);
    }

    #[test]
    fn square_brackets_outside_markdown_links_are_escaped() {
        check(&[
            ("Values [a, b] allowed", &["Values \\[a, b\\] allowed"]),
            ("A [link](https://x.y/z) stays", &["A [link](https://x.y/z) stays"]),
            ("[a] then [b](c.md)", &["\\[a\\] then [b](c.md)"]),
        ]);
    }

    #[test]
    fn angle_brackets_that_are_not_url_autolinks_are_escaped() {
        check(&[
            ("in the format <server>:<port>", &["in the format &lt;server>:&lt;port>"]),
            ("login.microsoftonline.com/<tenant-id>/v2", &["login.microsoftonline.com/&lt;tenant-id>/v2"]),
            ("where 4 <= X <= 16", &["where 4 &lt;= X &lt;= 16"]),
            ("<b>bold</b><br/>", &["&lt;b>bold&lt;/b>&lt;br/>"]),
            ("<!-- note -->", &["&lt;!-- note -->"]),
            ("unclosed <https://a.b/c and more", &["unclosed &lt;<https://a.b/c> and more"]),
            ("<mailto:a@b.c>", &["&lt;mailto:a@b.c>"]),
        ]);
    }

    #[test]
    fn code_spans_are_kept_as_written() {
        check(&[
            ("Use `<tenant-id>` here", &["Use `<tenant-id>` here"]),
            ("`a[0]` and `https://a.b/c`", &["`a[0]` and `https://a.b/c`"]),
            ("``a ` b`` then <x>", &["``a ` b`` then &lt;x>"]),
        ]);
    }

    #[test]
    fn backticks_without_a_pair_are_escaped() {
        check(&[
            ("include: ^ _ ` { | }", &["include: ^ _ \\` { | }"]),
            ("`a` and ``b", &["`a` and \\`\\`b"]),
        ]);
    }

    #[test]
    fn markdown_link_text_is_escaped_but_its_urls_stay_bare() {
        check(&[
            ("[https://a.b](https://a.b)", &["[https://a.b](https://a.b)"]),
            ("[<id> page](p.md)", &["[&lt;id> page](p.md)"]),
        ]);
    }

    #[test]
    fn code_fences_become_text_blocks_kept_as_written() {
        check(&[
            (
                "Code:\n```json\n{\"a\": [1], \"b\": \"<x>\"}\n```",
                &["Code:", "```text", "{\"a\": [1], \"b\": \"<x>\"}", "```"],
            ),
            ("unclosed\n```\nx", &["unclosed", "```text", "x", "```"]),
        ]);
    }
}
