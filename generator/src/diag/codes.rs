//! The table of diagnostic codes: one [`Code`] per kind of problem, each with a stable id, a
//! severity and a one-line description.
//!
//! Ids are `E` (error) or `W` (warning) and four digits: two for the phase that reports the
//! problem, two for the problem within it. The number alone identifies a code (no `E` and `W`
//! share one), and an id is never reused, even once its code is gone: append new codes to
//! their phase.
//!
//! | phase | numbers |
//! |---|---|
//! | input files: reading and decoding | `01xx` |
//! | the CSDL reader | `02xx` |
//! | lowering into the model | `03xx` |
//! | reference pages | `04xx` |
//! | Rust naming | `05xx` |
//! | the pipeline as a whole | `06xx` |
//! | selecting what to generate | `07xx` |
//! | the OpenAPI reader | `08xx` |

use std::fmt;

use super::Severity;

/// Defines [`Code`] and its table from rows `Name: Severity "id" "description"`.
macro_rules! codes {
    ($($name:ident: $severity:ident $id:literal $description:literal,)*) => {
        /// A kind of problem, with a stable id (`E0101`, `W0106`), a severity and a description.
        ///
        /// An id is `E` (error) or `W` (warning) and four digits: the phase that reports the
        /// problem (01 input files, 02 the CSDL reader, 03 lowering into the model, 04
        /// reference pages, 05 Rust naming, 06 the run as a whole, 07 selection, 08 the OpenAPI
        /// reader), then the problem. Ids
        /// are never reused.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $(
                #[doc = concat!("`", $id, "`: ", $description, ".")]
                $name,
            )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];

            /// The stable id, e.g. `E0101`.
            pub const fn id(self) -> &'static str {
                match self {
                    $(Code::$name => $id,)*
                }
            }

            /// Whether problems of this kind are errors or warnings.
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$name => Severity::$severity,)*
                }
            }

            /// What the code means, in one line.
            pub const fn description(self) -> &'static str {
                match self {
                    $(Code::$name => $description,)*
                }
            }

            /// The variant's name, e.g. `MalformedXml`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Code::$name => stringify!($name),)*
                }
            }
        }
    };
}

codes! {
    // 01: input files, reading and decoding.
    UnsupportedEncoding: Error "E0101" "the file is in an encoding the generator does not read (UTF-32, EBCDIC, Windows-1252, or another encoding its XML declaration names)",
    InvalidEncoding: Error "E0102" "the file's bytes are not valid in its encoding (UTF-8 or UTF-16)",
    BinaryInput: Error "E0103" "the file is binary, not text",
    NoInputs: Error "E0104" "no input files were given",
    UnrecognisedInput: Error "E0105" "an input named on its own is neither CSDL (XML or JSON), an OpenAPI document nor a reference page",
    SkippedInput: Warning "W0106" "an input is neither CSDL (XML or JSON), an OpenAPI document nor a reference page (markdown that is not a reference page, or a file a directory brought); it is skipped",
    // 02: the CSDL reader.
    MalformedXml: Error "E0201" "the XML is not well-formed (syntax, character references, elements never closed, text outside the root)",
    NotCsdl: Error "E0202" "the XML document is not CSDL: its root is neither `edmx:Edmx` nor `Schema`",
    MissingAttribute: Error "E0203" "a CSDL element lacks a required attribute; the element is skipped",
    MalformedJson: Error "E0204" "a CSDL JSON document is not well-formed JSON (syntax, a member written twice in one object)",
    WrongJsonKind: Error "E0205" "a CSDL JSON member has the wrong kind of value, no `$Kind` or an unknown one; it is skipped",
    // 03: lowering into the model.
    DuplicateDeclaration: Error "E0301" "a type is declared more than once",
    AliasConflict: Error "E0302" "one alias names two namespaces",
    UnknownType: Error "E0303" "a type reference names no declared type and no Edm primitive type",
    NestedCollection: Error "E0304" "a type reference is a collection of collections, which is not a CSDL type",
    WrongTypeKind: Error "E0305" "a type is of the wrong kind for its place (a navigation property's or entity set's target, a base type, an enumeration's or type definition's underlying type)",
    BaseTypeCycle: Error "E0306" "base types form a cycle",
    InvalidEnumValue: Error "E0307" "an enumeration member's value is not an integer, or a flags member's is negative",
    MalformedOperation: Error "E0308" "a function has no return type, or a bound operation no binding parameter",
    UnresolvedImport: Error "E0309" "an action or function import names no unbound action or function",
    MissingKey: Error "E0310" "an entity type without a key is held by an entity set or a collection-valued containment navigation property, whose members are addressed by key",
    UnknownAnnotationTarget: Warning "W0311" "an annotation target names nothing in the model; its annotations are ignored",
    UnresolvedReference: Error "E0312" "the document an `edmx:Reference` names is neither an input nor in a reference directory, and the model uses a type of a namespace it includes",
    LenientType: Warning "W0313" "lenient mode: a type reference names no declared type; its values are read as untyped JSON (a base type: dropped)",
    InvalidName: Error "E0314" "a name is not a CSDL SimpleIdentifier (a namespace: SimpleIdentifiers joined by dots), so it could not be written safely in code or URLs",
    DuplicateMember: Error "E0315" "a name is declared twice in one scope (a type's properties, an enumeration's members, an operation's parameters, an entity container's children)",
    InvalidKey: Error "E0316" "a key names no property, or one that is not a single-valued, non-nullable primitive, enumeration or type definition property",
    LenientName: Warning "W0317" "lenient mode: a name is not a CSDL SimpleIdentifier (it starts with a digit, or is longer than 128 characters) but holds only letters, digits and `_`; it is kept",
    // 04: reference pages.
    UnclosedBlock: Error "E0401" "a page's front matter, code fence or HTML comment is never closed",
    InvalidAnnotationJson: Error "E0402" "a page's `<!-- { ... } -->` annotation is not valid JSON",
    MalformedTable: Error "E0403" "a page's table row has fewer cells than the header",
    DuplicateDocumentation: Warning "W0404" "a type or operation is documented more than once; one is used",
    SkippedTable: Warning "W0405" "a page's Properties table lacks the `Property` or `Type` column; it is skipped",
    UndocumentedType: Warning "W0406" "a page does not document a parameter's type; one is assumed",
    MissingPage: Warning "W0407" "a type is linked but no input page documents it; it is generated as an open placeholder",
    InconsistentPage: Warning "W0408" "a page's JSON representation and its tables disagree",
    MetadataMismatch: Warning "W0409" "a page and the CSDL metadata it annotates disagree (a type, property or operation the metadata lacks, a different type)",
    // 05: Rust naming.
    NameCollision: Warning "W0501" "two names of the inputs become the same Rust name; the later one gets a numbered suffix",
    HiddenAtRoot: Warning "W0502" "a type of the service namespace is not re-exported at the root of the generated code, where a root item has its name",
    // 06: the pipeline as a whole.
    NoTypes: Error "E0601" "the inputs declare no types, so there is nothing to generate",
    MalformedModel: Error "E0602" "a model given to `Builder::generate_from` refers to nodes that do not exist or has a template that is not a path",
    MixedInputs: Error "E0603" "OpenAPI documents are given together with CSDL or reference pages, which make another kind of model",
    InvalidPagingRule: Error "E0604" "a paging rule is not one (neither or both of `next_link` and `cursor`, `cursor` without `cursor_parameter`, a pointer that is not a JSON pointer to a property)",
    UnusedPagingRule: Warning "W0605" "a paging rule matches no operation's result (no object result with that property and one array property, or the `items` named)",
    // 07: selecting what to generate.
    InvalidSelection: Error "E0701" "a selection pattern does not parse (a path pattern not starting with `/`, an unknown HTTP method, a type glob with `/`)",
    UnmatchedSelection: Warning "W0702" "a selection pattern matches nothing, so it keeps or removes nothing",
    EmptySelection: Error "E0703" "the selection keeps no type, so there is nothing to generate",
    // 08: the OpenAPI reader.
    MalformedDocument: Error "E0801" "the YAML or JSON of an OpenAPI document is not well-formed (syntax, a key written twice in one object)",
    UnsupportedDocument: Error "E0802" "the document is not OpenAPI 3.0 or 3.1 (Swagger 2.0, another version, no `openapi` version, not an object)",
    WrongKeywordType: Error "E0803" "an OpenAPI keyword has a value of the wrong type (`properties` not an object, `$ref` not a string, a status that is not one)",
    DanglingReference: Error "E0804" "a `$ref` names nothing in the documents given",
    RemoteReference: Error "E0805" "a `$ref` names a remote document, which is never fetched",
    ReferenceCycle: Error "E0806" "`$ref`s or `allOf` parts lead back to themselves",
    DuplicateOperationId: Warning "W0807" "two operations have the same `operationId`; the later one gets a numbered suffix",
    SkippedParameter: Warning "W0808" "a parameter the generated client cannot send (a header or cookie name that is not an HTTP token, an unknown `in`) is left out",
    UndeclaredPathParameter: Warning "W0809" "a path template and the operation's path parameters disagree (a name not declared is taken as a string, a parameter not in the template left out)",
    InvalidPathTemplate: Error "E0810" "a path is not one the client can address as written: it does not start with `/`, has a `.` or `..` segment, or holds a `?`, `#` or control character",
}

impl fmt::Display for Code {
    /// The id, e.g. `E0101`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// The ids of codes that were removed: a new code never gets one of them (nor its number).
    const RETIRED: &[&str] = &[];

    #[test]
    fn ids_are_unique_and_numbered_by_phase() {
        let mut ids = BTreeSet::new();
        let mut numbers: BTreeSet<&str> = RETIRED.iter().map(|id| &id[1..]).collect();
        for code in Code::ALL {
            let id = code.id();
            assert!(ids.insert(id), "{id} is used twice");
            assert!(!RETIRED.contains(&id), "{id} is retired");
            assert!(numbers.insert(&id[1..]), "{id}: the number is taken, by another code or a retired one");
            assert_eq!(id.len(), 5, "{id}");
            assert!(id[1..].bytes().all(|b| b.is_ascii_digit()), "{id}");
            let phase: u32 = id[1..3].parse().unwrap();
            assert!((1..=8).contains(&phase), "{id}: no phase {phase}");
        }
        // The table is in id order, so that a new code goes at the end of its phase.
        let in_order: Vec<&str> = Code::ALL.iter().map(|c| &c.id()[1..]).collect();
        let mut sorted = in_order.clone();
        sorted.sort();
        assert_eq!(in_order, sorted);
    }

    #[test]
    fn ids_start_with_the_severity() {
        for code in Code::ALL {
            let prefix = match code.severity() {
                Severity::Error => 'E',
                Severity::Warning => 'W',
            };
            assert!(code.id().starts_with(prefix), "{} is {:?}", code.id(), code.severity());
        }
    }

    #[test]
    fn every_code_is_in_all_once() {
        // `ALL` and the enum come from the same rows of `codes!`; each row once.
        let distinct: BTreeSet<Code> = Code::ALL.iter().copied().collect();
        assert_eq!(distinct.len(), Code::ALL.len());
        for code in Code::ALL {
            let description = code.description();
            assert!(!description.is_empty() && !description.contains('\n'), "{code}");
            assert!(!description.ends_with('.'), "{code}: the description is a phrase, without a period");
        }
    }

    /// The `.rs` files under `dir`, recursively.
    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    #[test]
    fn every_code_is_reported_somewhere() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&src, &mut files);
        let diag = src.join("diag");
        let outside: Vec<&str> = files
            .iter()
            .filter(|(path, _)| !Path::new(path).starts_with(&diag) && Path::new(path) != src.join("diag.rs"))
            .map(|(_, text)| text.as_str())
            .collect();
        assert!(outside.len() > 10, "{} source files", outside.len());
        for code in Code::ALL {
            let needle = format!("Code::{}", code.name());
            let mut used = false;
            for text in &outside {
                for (i, _) in text.match_indices(&needle) {
                    if text[i + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                        continue; // a longer name
                    }
                    used = true;
                    // `diags.error(Code::X, ...)` takes error codes, `warning(...)` warnings.
                    let before = text[..i].trim_end();
                    let recorded_as = if before.ends_with(".error(") {
                        Some(Severity::Error)
                    } else if before.ends_with(".warning(") {
                        Some(Severity::Warning)
                    } else {
                        None
                    };
                    if let Some(severity) = recorded_as {
                        assert_eq!(severity, code.severity(), "{} is recorded as a {severity:?}", code.id());
                    }
                }
            }
            assert!(used, "{} ({needle}) is reported nowhere in generator/src", code.id());
        }
    }

    /// The README's table of codes, as `the_readme_lists_every_code` expects it.
    fn readme_table() -> String {
        let mut table = String::from("| code | name | meaning |\n|---|---|---|\n");
        for code in Code::ALL {
            table.push_str(&format!("| `{}` | `{}` | {} |\n", code.id(), code.name(), code.description()));
        }
        table
    }

    #[test]
    fn the_readme_lists_every_code() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
        let readme = std::fs::read_to_string(&path).unwrap();
        let table = readme_table();
        assert!(
            readme.contains(&table),
            "README.md must list the diagnostic codes as generator/src/diag/codes.rs has them:\n\n{table}"
        );
    }
}
