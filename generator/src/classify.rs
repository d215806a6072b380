//! Which front end reads an input file, and which files are not inputs at all.

use crate::{csdl, docs, openapi};

/// What a decoded input file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// OData CSDL, XML or JSON.
    Csdl,
    /// An OpenAPI (or Swagger) document, YAML or JSON.
    OpenApi,
    /// A Microsoft Graph reference page.
    Page,
    /// Markdown that is not a reference page (a README, an overview).
    OtherMarkdown,
    /// Neither CSDL nor markdown.
    Unknown,
}

/// The format of `text`, the file known as `name`.
pub(crate) fn classify(name: &str, text: &str) -> Format {
    if csdl::detect(text) {
        Format::Csdl
    } else if openapi::detect(name, text) {
        Format::OpenApi
    } else if docs::detect(name, text) {
        if is_reference_page(&docs::page::read(text).0) {
            Format::Page
        } else {
            Format::OtherMarkdown
        }
    } else {
        Format::Unknown
    }
}

/// What a reference page has and other markdown lacks: a `Namespace:` line, a reference
/// `doc_type` in its front matter (`resourcePageType`, `apiPageType`, `enumPageType`), or a
/// code block annotated as a resource, request or response.
pub(crate) fn is_reference_page(page: &docs::page::Page) -> bool {
    let doc_type = page.front("doc_type").unwrap_or_default().trim_matches(['"', '\'', ' ']);
    let reference_doc_type = ["resourcePageType", "apiPageType", "enumPageType"]
        .iter()
        .any(|t| doc_type.to_ascii_lowercase().starts_with(&t.to_ascii_lowercase()));
    let annotated = page.blocks.iter().any(|b| {
        b.annotation.as_ref().is_some_and(|(a, _)| {
            ["resource", "request", "response"].iter().any(|t| a["blockType"].as_str() == Some(t))
        })
    });
    page.namespace.is_some() || reference_doc_type || annotated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_without_namespace_doc_type_or_annotations_is_not_a_reference_page() {
        assert_eq!(classify("README.md", "# My crate\n\nSome prose.\n"), Format::OtherMarkdown);
        let overview = "---\ntitle: \"Overview\"\ndoc_type: conceptualPageType\n---\n# Overview\n";
        assert_eq!(classify("docs/overview.md", overview), Format::OtherMarkdown);
    }

    #[test]
    fn a_namespace_line_reference_doc_type_or_resource_annotation_makes_a_reference_page() {
        assert_eq!(classify("a.md", "# widget resource type\n\nNamespace: contoso.shop\n"), Format::Page);
        assert_eq!(classify("a.md", "---\ndoc_type: \"apiPageType\"\n---\n# widget: get\n"), Format::Page);
        let annotated = "# widget\n\n<!-- { \"blockType\": \"resource\" } -->\n```json\n{}\n```\n";
        assert_eq!(classify("a.md", annotated), Format::Page);
    }

    #[test]
    fn csdl_is_recognised_before_markdown_and_other_text_is_unknown() {
        assert_eq!(classify("a.xml", "<edmx:Edmx Version=\"4.0\"/>"), Format::Csdl);
        assert_eq!(classify("a.txt", "hello"), Format::Unknown);
    }
}
