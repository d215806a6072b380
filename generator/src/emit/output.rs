//! Module tree → formatted source files: one file per module, or one file with inline
//! modules for `include!` from a build script.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, Module};

/// Formats a token stream that holds a whole file.
fn format(tokens: TokenStream, what: &str) -> String {
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => prettyplease::unparse(&file),
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
