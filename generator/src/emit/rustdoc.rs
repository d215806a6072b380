//! Descriptions from metadata → rustdoc that `cargo doc` renders cleanly.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Notes;

/// Cleans one description for rustdoc: wraps bare URLs in `<...>`, escapes square brackets
/// that are not markdown links (rustdoc would read them as intra-doc links), and marks code
/// fences as `text` so doctests never try to compile service examples.
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
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while !rest.is_empty() {
        // A markdown link `[text](url)` stays as it is.
        if rest.starts_with('[') {
            if let Some(close) = rest.find("](") {
                if let Some(end) = rest[close..].find(')') {
                    let link = &rest[..close + end + 1];
                    if !link[1..close].contains(['[', ']']) {
                        out.push_str(link);
                        rest = &rest[close + end + 1..];
                        continue;
                    }
                }
            }
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == ')' || c == '"')
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            let already_wrapped = out.ends_with('<') || out.ends_with('(');
            if already_wrapped {
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

    #[test]
    fn descriptions_are_cleaned_for_rustdoc() {
        let cases: &[(&str, &[&str])] = &[
            ("See https://aka.ms/x.", &["See <https://aka.ms/x>."]),
            ("Already <https://a.b/c> wrapped", &["Already <https://a.b/c> wrapped"]),
            ("Values [a, b] allowed", &["Values \\[a, b\\] allowed"]),
            ("A [link](https://x.y/z) stays", &["A [link](https://x.y/z) stays"]),
            ("Code:\n```json\n{\"a\": [1]}\n```", &["Code:", "```text", "{\"a\": [1]}", "```"]),
            ("unclosed\n```\nx", &["unclosed", "```text", "x", "```"]),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{input:?}");
        }
    }
}
