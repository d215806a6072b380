//! Module tree → formatted source files: one file per module (a crate or a module tree), one
//! file with inline modules for `include!`, or, for a build script, inline modules whose
//! bodies are `include!`d from one file per module.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Module};

/// Formats a token stream that holds a whole file.
fn format(tokens: TokenStream, what: &str) -> String {
    match syn::parse2::<syn::File>(tokens) {
        // prettyplease prints `#[doc = ".."]` as `///` comments, where a bare carriage return
        // (a description or name holding one) is not allowed: it is written as `\r`. Nowhere
        // else can one occur (literals are printed escaped).
        Ok(file) => prettyplease::unparse(&file).replace('\r', "\\r"),
        // The emitter built tokens that are not a valid file: a generator bug.
        Err(e) => panic!("internal error: generated tokens for {what} do not parse: {e}"),
    }
}

fn inner_doc(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #![doc = #lines] )* }
}

fn declarations(module: &Module) -> TokenStream {
    let decls = module.children.iter().map(|(name, child)| {
        let name = ident(name);
        let vis = child.public.then(|| quote! { pub });
        let allow = child.allow_deprecated.then(|| quote! { #[allow(deprecated)] });
        let cfg = child.feature.map(|f| quote! { #[cfg(feature = #f)] });
        let more = &child.cfg;
        quote! { #cfg #more #allow #vis mod #name; }
    });
    quote! { #(#decls)* }
}

/// Renders `root` as files: the root module goes to `root_file` (e.g. `mod.rs` or
/// `src/lib.rs`), children beside it. Every file starts with `header`.
pub fn render_files(root: &Module, root_file: &str, header: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let dir = match root_file.rfind('/') {
        Some(i) => root_file[..i + 1].to_owned(),
        None => String::new(),
    };
    render_into(root, root_file.to_owned(), &dir, header, &mut out);
    out
}

fn render_into(module: &Module, file: String, dir: &str, header: &str, out: &mut BTreeMap<String, String>) {
    let text = match module.verbatim {
        Some(text) => text.to_owned(),
        None => {
            let doc = inner_doc(&module.doc);
            let attrs = &module.inner_attrs;
            let decls = declarations(module);
            let items = &module.items;
            format(quote! { #doc #attrs #decls #items }, &file)
        }
    };
    out.insert(file, format!("{header}\n#![cfg_attr(rustfmt, rustfmt::skip)]\n{text}"));
    for (name, child) in &module.children {
        if child.module.children.is_empty() {
            render_into(&child.module, format!("{dir}{name}.rs"), dir, header, out);
        } else {
            let child_dir = format!("{dir}{name}/");
            render_into(&child.module, format!("{child_dir}mod.rs"), &child_dir, header, out);
        }
    }
}

/// Renders `root` as one file of inline modules, for `include!`. The root's own doc is
/// dropped: an included file cannot carry inner attributes.
pub fn render_single(root: &Module, header: &str) -> String {
    let body = inline_items(root);
    format!("{header}\n{}", format(body, "the single-file output"))
}

fn inline_items(module: &Module) -> TokenStream {
    let children = module.children.iter().map(|(name, child)| {
        let name = ident(name);
        let vis = child.public.then(|| quote! { pub });
        let inner = match child.module.verbatim {
            Some(text) => {
                let file = syn::parse_file(text)
                    .unwrap_or_else(|e| panic!("internal error: template does not parse: {e}"));
                let attrs = &file.attrs;
                let items = &file.items;
                quote! { #(#attrs)* #(#items)* }
            }
            None => {
                let doc = inner_doc(&child.module.doc);
                let attrs = &child.module.inner_attrs;
                let nested = inline_items(&child.module);
                quote! { #doc #attrs #nested }
            }
        };
        let allow = child.allow_deprecated.then(|| quote! { #[allow(deprecated)] });
        let cfg = child.feature.map(|f| quote! { #[cfg(feature = #f)] });
        let more = &child.cfg;
        quote! { #cfg #more #allow #vis mod #name { #inner } }
    });
    let items = &module.items;
    quote! { #(#children)* #items }
}

/// Renders `root` for a build script's `$OUT_DIR`: the root file (what the user `include!`s,
/// returned first) and one file per module under `dir/`, laid out as [`render_files`] lays out
/// a module tree (`dir/graph/mod.rs`, `dir/graph/user.rs`), by path relative to `dir/`.
///
/// Each module is an inline `mod name { ... }` whose body is
/// `include!(concat!(env!("OUT_DIR"), "/dir/..."))`: a `mod name;` declaration inside an
/// included file would be looked up beside the crate's own source file. An included file cannot
/// carry inner attributes, so a module's docs and inner attributes stay in the braces of its
/// inline `mod`, in its parent's file; the root's own doc is dropped, as [`render_single`]
/// drops it. Every file starts with `header`.
pub fn render_included(root: &Module, dir: &str, header: &str) -> (String, BTreeMap<String, String>) {
    let mut files = BTreeMap::new();
    let body = included_items(root, dir, "", header, &mut files);
    (format!("{header}\n{}", format(body, "the root of the build script's output")), files)
}

/// The items of `module`'s file: its children as inline modules that include their files
/// (written into `files`, under `prefix`), then its own items.
fn included_items(
    module: &Module,
    dir: &str,
    prefix: &str,
    header: &str,
    files: &mut BTreeMap<String, String>,
) -> TokenStream {
    let mut children = Vec::new();
    for (name, child) in &module.children {
        let (file, child_prefix) = if child.module.children.is_empty() {
            (format!("{prefix}{name}.rs"), String::new())
        } else {
            (format!("{prefix}{name}/mod.rs"), format!("{prefix}{name}/"))
        };
        let (attrs, text) = match child.module.verbatim {
            Some(text) => verbatim_parts(text),
            None => {
                let doc = inner_doc(&child.module.doc);
                let attrs = &child.module.inner_attrs;
                let body = included_items(&child.module, dir, &child_prefix, header, files);
                (quote! { #doc #attrs }, format(body, &file))
            }
        };
        let path = format!("/{dir}/{file}");
        files.insert(file, format!("{header}\n{text}"));
        let name = ident(name);
        let vis = child.public.then(|| quote! { pub });
        let allow = child.allow_deprecated.then(|| quote! { #[allow(deprecated)] });
        let cfg = child.feature.map(|f| quote! { #[cfg(feature = #f)] });
        children.push(quote! {
            #cfg #allow #vis mod #name {
                #attrs
                include!(concat!(env!("OUT_DIR"), #path));
            }
        });
    }
    let items = &module.items;
    quote! { #(#children)* #items }
}

/// A verbatim source split for [`render_included`]: its inner attributes (the `//!` docs the
/// runtime's sources open with), and the rest of its text as written, comments included. A
/// source with inner attributes after other text is rendered from its items instead.
fn verbatim_parts(text: &str) -> (TokenStream, String) {
    let file =
        syn::parse_file(text).unwrap_or_else(|e| panic!("internal error: template does not parse: {e}"));
    if file.attrs.is_empty() {
        return (TokenStream::new(), text.to_owned());
    }
    let attrs = &file.attrs;
    let attrs = quote! { #(#attrs)* };
    let start: usize =
        text.split_inclusive('\n').take_while(|l| l.trim_start().starts_with("//!")).map(str::len).sum();
    let rest = &text[start..];
    match syn::parse_file(rest) {
        Ok(parsed) if parsed.attrs.is_empty() && parsed.items.len() == file.items.len() => {
            (attrs, rest.to_owned())
        }
        _ => {
            let items = syn::File { shebang: None, attrs: Vec::new(), items: file.items };
            (attrs, prettyplease::unparse(&items))
        }
    }
}
