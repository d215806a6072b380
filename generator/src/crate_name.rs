//! Package names as cargo and crates.io accept them.

/// Rust keywords, strict and reserved (cargo's `restricted_names::is_keyword`, plus `gen`,
/// reserved since Rust 2024): a library of that name cannot be named in code.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do",
    "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static",
    "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual",
    "where", "while", "yield",
];

/// Crates every Rust program can already name.
const BUILT_IN: &[&str] = &["alloc", "core", "proc_macro", "proc-macro", "std", "test"];

/// File names Windows reserves whatever the extension (compared ignoring case).
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// The longest name crates.io accepts.
const MAX_LEN: usize = 64;

/// Checks a package name for a generated crate the way `cargo new` and crates.io do: not
/// empty; ASCII letters, digits, `-` and `_` only (cargo's manifest allows Unicode XID
/// characters, but `cargo new` and crates.io require ASCII, and so does this); not starting
/// with a digit or `-`; not a Rust keyword; not the name of a built-in crate (`std`, `core`,
/// `alloc`, `proc_macro`, `test`); not a file name Windows reserves (`con`, `nul`, `com1`...);
/// at most 64 characters.
///
/// The error is one sentence: `` `My Crate` is not a valid crate name: ... ``.
pub fn validate_crate_name(name: &str) -> Result<(), String> {
    let invalid = |why: String| Err(format!("`{name}` is not a valid crate name: {why}"));
    let Some(first) = name.chars().next() else {
        return Err("the crate name is empty: a crate needs a name".to_owned());
    };
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        let shown = if c == ' ' { "a space".to_owned() } else { format!("`{}`", c.escape_default()) };
        return invalid(format!("it contains {shown}; only ASCII letters, digits, `-` and `_` are allowed"));
    }
    if first.is_ascii_digit() {
        return invalid("it starts with a digit".to_owned());
    }
    if first == '-' {
        return invalid("it starts with `-`; the first character must be a letter or `_`".to_owned());
    }
    if KEYWORDS.contains(&name) {
        return invalid("it is a Rust keyword".to_owned());
    }
    if BUILT_IN.contains(&name) {
        return invalid("it is the name of a crate built into Rust".to_owned());
    }
    if WINDOWS_RESERVED.contains(&name.to_ascii_lowercase().as_str()) {
        return invalid("it is a file name Windows reserves".to_owned());
    }
    if name.len() > MAX_LEN {
        return invalid(format!("it is {} characters long; crates.io allows at most {MAX_LEN}", name.len()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_checked_like_cargo_new_and_crates_io() {
        let long = "a".repeat(65);
        let max = "a".repeat(64);
        let table: &[(&str, Option<&str>)] = &[
            ("graph-v1", None),
            ("graph_v1", None),
            ("_private", None),
            ("a", None),
            ("Graph", None),
            ("con_sole", None),
            ("test-utils", None),
            ("types", None),
            (&max, None),
            ("", Some("the crate name is empty: a crate needs a name")),
            (
                "My Crate",
                Some(
                    "`My Crate` is not a valid crate name: it contains a space; only ASCII letters, digits, `-` and `_` are allowed",
                ),
            ),
            ("graph.v1", Some("`graph.v1` is not a valid crate name: it contains `.`; only ASCII")),
            ("café", Some("`café` is not a valid crate name: it contains `\\u{e9}`; only ASCII")),
            ("a/b", Some("it contains `/`")),
            ("1password", Some("`1password` is not a valid crate name: it starts with a digit")),
            ("-graph", Some("it starts with `-`")),
            ("fn", Some("`fn` is not a valid crate name: it is a Rust keyword")),
            ("Self", Some("it is a Rust keyword")),
            ("async", Some("it is a Rust keyword")),
            ("gen", Some("it is a Rust keyword")),
            ("std", Some("`std` is not a valid crate name: it is the name of a crate built into Rust")),
            ("core", Some("built into Rust")),
            ("alloc", Some("built into Rust")),
            ("test", Some("built into Rust")),
            ("proc_macro", Some("built into Rust")),
            ("proc-macro", Some("built into Rust")),
            ("nul", Some("`nul` is not a valid crate name: it is a file name Windows reserves")),
            ("CON", Some("Windows reserves")),
            ("com1", Some("Windows reserves")),
            ("LPT9", Some("Windows reserves")),
            (&long, Some("it is 65 characters long; crates.io allows at most 64")),
        ];
        for (name, expected) in table {
            let got = validate_crate_name(name);
            match expected {
                None => assert_eq!(got, Ok(()), "{name:?}"),
                Some(want) => {
                    let got = got.expect_err(name);
                    assert!(got.contains(want), "{name:?}: {got}");
                }
            }
        }
    }

    #[test]
    fn a_layout_crate_with_an_invalid_name_fails_before_reading_any_input() {
        // No inputs at all: the name is checked before "no input files given" could be.
        let layout = crate::Layout::Crate { name: "My Crate".into() };
        match crate::Builder::new().layout(layout).generate() {
            Err(crate::Error::CrateName { name, message }) => {
                assert_eq!(name, "My Crate");
                assert!(message.starts_with("`My Crate` is not a valid crate name: "), "{message}");
            }
            Err(e) => panic!("expected a crate name error, got: {e}"),
            Ok(_) => panic!("generation with an invalid crate name succeeded"),
        }
    }
}
