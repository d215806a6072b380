//! Integration tests of the workspace (see `tests/`), and a living build-script example:
//! `build.rs` runs the generator library on a fixture, and the result is included here.

/// Types generated at build time from `fixtures/models/inheritance` by `build.rs`.
pub mod from_build_script {
    include!(concat!(env!("OUT_DIR"), "/inheritance.rs"));
}

/// Fixture discovery shared by the integration tests.
pub mod fixtures {
    use std::path::{Path, PathBuf};

    /// The tests crate's directory.
    pub fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// The case directories under `fixtures/<group>`, sorted.
    pub fn cases(group: &str) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures").join(group))
            .expect("fixtures directory")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        dirs
    }

    /// A builder over every `*.xml` file of a case, named `<case>/<file>` in diagnostics so
    /// snapshots do not depend on where the checkout lives.
    pub fn builder(case: &Path) -> codegen::Builder {
        let mut files: Vec<PathBuf> = std::fs::read_dir(case)
            .expect("case directory")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
        let mut b = codegen::Builder::new().source_label(format!("fixture {case_name}"));
        for f in files {
            let name = format!("{case_name}/{}", f.file_name().unwrap().to_string_lossy());
            b = b.input_text(name, std::fs::read_to_string(&f).expect("fixture file"));
        }
        b
    }

    /// `../shared/<rel>` when the shared data sits beside the checkout; otherwise prints why
    /// the caller skips and returns `None`.
    pub fn shared(rel: &str) -> Option<PathBuf> {
        let path = root().join("..").join("..").join("shared").join(rel);
        if path.exists() {
            Some(path)
        } else {
            eprintln!("SKIPPED: {} is missing (it sits beside the checkout in CI only)", path.display());
            None
        }
    }
}
