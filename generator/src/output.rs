//! Generated files in memory, and the only code that writes them to disk: into a directory
//! the generator owns (empty, or holding its [`MANIFEST`]), never over files it did not write.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::lock::{Cause, Lock, LOCK};
use crate::{Diagnostics, Error};

const CARGO_TOML: &str = include_str!("../../templates/Cargo.toml.in");
const README: &str = include_str!("../../templates/README.md.in");

/// What a crate holding the generated code declares in its `Cargo.toml`: the features and
/// dependencies of a generated crate (the generated `Cargo.toml` holds exactly these; a
/// module tree or a build script's output needs them in the including crate).
pub const DEPENDENCIES: &str = include_str!("../../templates/dependencies.toml");

/// The file, in every directory the generator writes, that records what it wrote there.
pub const MANIFEST: &str = ".codegen-manifest";

/// The generated files, by path relative to the output directory (`/`-separated).
///
/// The files include [`MANIFEST`]: one line per other file with a hash of its content. Those
/// of [`crate::Builder::generate`] include [`LOCK`] too: what generated them. A
/// directory holding a manifest is the generator's own; [`Output::write_to`] writes only into
/// such a directory or an empty one, and overwrites or removes only files whose content still
/// has the hash the manifest recorded.
#[derive(Debug)]
pub struct Output {
    files: BTreeMap<String, String>,
    warnings: Diagnostics,
    dependencies: String,
    /// What [`LOCK`] records, when the files include it.
    lock: Option<Lock>,
}

/// How the output on disk differs from what the inputs generate, and why.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Stale {
    /// Why, as far as the [`LOCK`] and the [`MANIFEST`] on disk tell: changed inputs and
    /// options, another generator version, generated files edited by hand.
    pub causes: Vec<Cause>,
    /// Why the causes are not known or not complete (no lock on disk, an unreadable one).
    pub note: Option<String>,
    /// Files whose content differs.
    pub changed: Vec<String>,
    /// Files that should exist and do not.
    pub missing: Vec<String>,
    /// Files the generator wrote earlier (listed in the manifest) that the inputs no longer
    /// produce.
    pub orphaned: Vec<String>,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: the generated output is stale:")?;
        for cause in &self.causes {
            writeln!(f, "  {cause}")?;
        }
        if let Some(note) = &self.note {
            writeln!(f, "note: {note}")?;
        }
        if !self.causes.is_empty() || self.note.is_some() {
            writeln!(f, "the files that differ from what the inputs generate:")?;
        }
        for (what, list) in
            [("changed", &self.changed), ("missing", &self.missing), ("orphaned", &self.orphaned)]
        {
            for file in list {
                writeln!(f, "  {what}: {file}")?;
            }
        }
        Ok(())
    }
}

impl Stale {
    fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.orphaned.is_empty()
    }
}

/// Why a write was refused; nothing was written.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// The output directory.
    pub dir: PathBuf,
    /// The directory is not empty and holds no manifest: these are (the first of) its entries.
    pub not_ours: Vec<String>,
    /// How many entries `not_ours` leaves out.
    pub not_ours_more: usize,
    /// Files the generator wrote and someone changed since, which the run would overwrite.
    pub edited: Vec<String>,
    /// Files the generator wrote and someone changed since, which the run would remove (the
    /// inputs no longer produce them).
    pub edited_orphans: Vec<String>,
    /// Files the generator did not write, at paths the run would write.
    pub foreign: Vec<String>,
    /// Paths the run would write or remove through a symbolic link (never done, even with
    /// [`Overwrite::Force`]: the link could lead outside the directory).
    pub links: Vec<String>,
}

impl Conflicts {
    fn is_empty(&self) -> bool {
        self.not_ours.is_empty()
            && self.edited.is_empty()
            && self.edited_orphans.is_empty()
            && self.foreign.is_empty()
            && self.links.is_empty()
    }

    /// Whether [`Overwrite::Force`] would not help.
    pub fn forcing_does_not_help(&self) -> bool {
        !self.links.is_empty()
    }
}

impl fmt::Display for Conflicts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        if !self.not_ours.is_empty() {
            writeln!(
                f,
                "error: refusing to write into {dir}: it is not empty and codegen did not write it (it has no {MANIFEST}):"
            )?;
            for file in &self.not_ours {
                writeln!(f, "  {file}")?;
            }
            if self.not_ours_more > 0 {
                writeln!(f, "  ... and {} more", self.not_ours_more)?;
            }
            return write!(
                f,
                "codegen writes only into an empty directory or one holding its own output; nothing was written"
            );
        }
        writeln!(f, "error: refusing to write into {dir}: it holds changes codegen did not make:")?;
        for file in &self.edited {
            writeln!(f, "  edited since codegen wrote it: {file}")?;
        }
        for file in &self.edited_orphans {
            writeln!(f, "  edited since codegen wrote it (the inputs no longer produce it): {file}")?;
        }
        for file in &self.foreign {
            writeln!(f, "  not written by codegen: {file}")?;
        }
        for file in &self.links {
            writeln!(f, "  reached through a symbolic link, which codegen never writes through: {file}")?;
        }
        write!(f, "nothing was written")
    }
}

/// How [`Output::write_to_with`] treats files it does not own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Overwrite {
    /// Refuse to write (changing nothing) into a directory that is neither empty nor the
    /// generator's own, or when a file it would overwrite or remove was changed since it was
    /// written or was not written by it.
    #[default]
    Never,
    /// Write anyway (also over a malformed manifest): overwrite generated files that were
    /// edited and files at paths the output needs. Files the generator did not write, or that
    /// were edited since, are still never removed, and nothing is written through a symbolic
    /// link.
    Force,
}

/// Why a file of the output was left as it is on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// A `Cargo.toml` the generator did not write (a crate's own): always kept.
    UsersCargoToml,
    /// A generated `Cargo.toml` that was edited since: it is the user's from now on (always).
    EditedCargoToml,
    /// An edited file the inputs no longer produce (with [`Overwrite::Force`]): no longer the
    /// generator's.
    EditedOrphan,
}

/// Summary of a write.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Files whose content changed (or that are new).
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files written by an earlier run that the inputs no longer produce, removed.
    pub removed: usize,
    /// Files that were edited or not written by codegen, overwritten (only with
    /// [`Overwrite::Force`]).
    pub overwritten: Vec<String>,
    /// Files left in place although the output has or had them, and why.
    pub kept: Vec<(String, Kept)>,
    /// Whether the directory held no output of the generator before (it was missing, empty,
    /// or taken over with [`Overwrite::Force`]).
    pub first: bool,
}

impl Output {
    pub(crate) fn new(
        mut files: BTreeMap<String, String>,
        warnings: Diagnostics,
        dependencies: String,
    ) -> Self {
        files.remove(MANIFEST);
        let manifest = Manifest::of(&files).render();
        files.insert(MANIFEST.to_owned(), manifest);
        Output { files, warnings, dependencies, lock: None }
    }

    /// Records that the files include `lock` (rendered as [`LOCK`]).
    pub(crate) fn with_lock(mut self, lock: Lock) -> Self {
        self.lock = Some(lock);
        self
    }

    /// The `[features]` and `[dependencies]` the crate that holds this code must declare
    /// (what a generated `Cargo.toml` declares): [`DEPENDENCIES`] with the runtime embedded,
    /// the runtime crate and what generated code names itself otherwise.
    pub fn dependencies(&self) -> &str {
        &self.dependencies
    }

    /// The files: relative path → content (the manifest included).
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// Warnings found while generating.
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }

    /// The generated files other than the manifest.
    fn generated(&self) -> impl Iterator<Item = (&String, &String)> {
        self.files.iter().filter(|(rel, _)| rel.as_str() != MANIFEST)
    }

    /// Writes the files into `dir` with [`Overwrite::Never`].
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<Written, Error> {
        self.write_to_with(dir, Overwrite::Never)
    }

    /// Writes the files into `dir`, touching only files whose content changed, and removes
    /// files an earlier run wrote that the inputs no longer produce. Everything is checked
    /// before anything is written: a refused write ([`Error::Conflict`]) changes nothing.
    ///
    /// The new tree is built beside `dir` (in `.NAME.codegen-new`: new files written, unchanged
    /// ones and files codegen did not write hard-linked, so they keep their identity and
    /// times) and then exchanged with `dir` in one step (Linux's `renameat2` with
    /// `RENAME_EXCHANGE`; elsewhere two renames, which a later run completes if they were
    /// interrupted). A run killed at any moment leaves the previous tree or the new one,
    /// never a mix; the next run clears what it left beside `dir`. Directories codegen wrote
    /// nothing into (a `target/` inside a crate) are moved into the new tree after the
    /// exchange rather than linked file by file.
    pub fn write_to_with(&self, dir: impl AsRef<Path>, overwrite: Overwrite) -> Result<Written, Error> {
        self.write_steps(dir.as_ref(), overwrite, usize::MAX)
    }

    /// [`Output::write_to_with`], stopping (as if the process were killed) after `steps`
    /// file operations.
    fn write_steps(&self, dir: &Path, overwrite: Overwrite, mut steps: usize) -> Result<Written, Error> {
        let mut step = || {
            steps = steps.saturating_sub(1);
            steps > 0
        };
        let swap = Swap::beside(dir)?;
        swap.recover()?;
        let plan = self.plan(dir, overwrite)?;
        let mut summary = Written { kept: plan.kept.clone(), first: plan.first, ..Written::default() };
        // Nothing to change: leave the directory (and every file's identity) as it is.
        let unchanged = self.generated().all(|(rel, text)| {
            plan.keeps(rel) || std::fs::read(dir.join(rel)).is_ok_and(|on_disk| on_disk == text.as_bytes())
        });
        let manifest = {
            let mut last = Manifest::of_iter(self.generated().filter(|(rel, _)| !plan.keeps(rel)));
            last.entries.sort();
            last.render()
        };
        if unchanged
            && plan.remove.is_empty()
            && std::fs::read_to_string(dir.join(MANIFEST)).is_ok_and(|m| m == manifest)
        {
            summary.unchanged = self.generated().filter(|(rel, _)| !plan.keeps(rel)).count();
            return Ok(summary);
        }
        let new = swap.start()?;
        // The generated files: unchanged ones linked, the others written.
        for (rel, text) in self.generated() {
            if plan.keeps(rel) {
                continue;
            }
            if !step() {
                return Ok(summary);
            }
            let (from, to) = (dir.join(rel), new.join(rel));
            create_parent(&to)?;
            if std::fs::read(&from).is_ok_and(|on_disk| on_disk == text.as_bytes())
                && link_or_copy(&from, &to).is_ok()
            {
                summary.unchanged += 1;
            } else {
                std::fs::write(&to, text).map_err(|source| Error::Io { path: to.clone(), source })?;
                summary.changed += 1;
            }
        }
        // Everything else in the directory but what the run removes: linked, or (a directory
        // holding nothing of the output) moved once the trees are exchanged.
        let mut output_dirs: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        for rel in self.files.keys().chain(plan.remove.iter()) {
            let mut at = rel.as_str();
            while let Some((parent, _)) = at.rsplit_once('/') {
                output_dirs.insert(parent.to_owned());
                at = parent;
            }
        }
        let mut moved = Vec::new();
        let mut pending = vec![String::new()];
        while let Some(sub) = pending.pop() {
            for name in all_entries(&dir.join(&sub))? {
                let is_dir = name.ends_with('/');
                let rel = format!("{sub}{}", name.trim_end_matches('/'));
                let generated = self.files.contains_key(&rel) && !plan.keeps(&rel);
                if generated || rel == MANIFEST || plan.remove.contains(&rel) {
                    continue;
                }
                if is_dir && !through_link(dir, &rel) {
                    if output_dirs.contains(&rel) {
                        pending.push(format!("{rel}/"));
                    } else {
                        moved.push(rel);
                    }
                    continue;
                }
                if !step() {
                    return Ok(summary);
                }
                let to = new.join(&rel);
                create_parent(&to)?;
                link_or_copy(&dir.join(&rel), &to)
                    .map_err(|source| Error::Io { path: to.clone(), source })?;
            }
        }
        summary.removed = plan.remove.iter().filter(|rel| dir.join(rel).exists()).count();
        std::fs::write(new.join(MANIFEST), &manifest)
            .map_err(|source| Error::Io { path: new.join(MANIFEST), source })?;
        if !step() {
            return Ok(summary);
        }
        swap.exchange(&moved)?;
        summary.overwritten = plan.overwritten;
        Ok(summary)
    }

    /// Decides what a write does, or refuses it.
    fn plan(&self, dir: &Path, overwrite: Overwrite) -> Result<Plan, Error> {
        let force = overwrite == Overwrite::Force;
        let mut conflicts = Conflicts { dir: dir.to_owned(), ..Conflicts::default() };
        if through_link(dir, MANIFEST) {
            conflicts.links.push(MANIFEST.to_owned());
            return Err(Error::Conflict(Box::new(conflicts)));
        }
        let previous = match Manifest::read(dir) {
            // A manifest that cannot be trusted is none, when forced.
            Err(Error::Manifest { .. }) if force => None,
            read => read?,
        };
        let mut plan = Plan { first: previous.is_none(), ..Plan::default() };
        if previous.is_none() && !force {
            let entries = dir_entries(dir)?;
            if !entries.is_empty() {
                const SHOWN: usize = 10;
                conflicts.not_ours_more = entries.len().saturating_sub(SHOWN);
                conflicts.not_ours = entries.into_iter().take(SHOWN).collect();
                return Err(Error::Conflict(Box::new(conflicts)));
            }
        }
        let previous = previous.unwrap_or_default();
        for (rel, text) in self.generated() {
            if through_link(dir, rel) {
                conflicts.links.push(rel.clone());
                continue;
            }
            let Some(on_disk) = read_existing(&dir.join(rel))? else { continue };
            if on_disk == text.as_bytes() {
                continue;
            }
            let now = hash(&on_disk);
            if previous.has(rel, now) {
                continue;
            }
            if is_users_cargo_toml(rel, &on_disk, &previous) {
                let why = if previous.lists(rel) { Kept::EditedCargoToml } else { Kept::UsersCargoToml };
                plan.kept.push((rel.clone(), why));
                plan.disowned.push(rel.clone());
                continue;
            }
            if previous.lists(rel) {
                conflicts.edited.push(rel.clone());
            } else {
                conflicts.foreign.push(rel.clone());
            }
            plan.overwritten.push(rel.clone());
        }
        for rel in previous.paths() {
            if self.files.contains_key(rel) {
                continue;
            }
            if through_link(dir, rel) {
                conflicts.links.push(rel.to_owned());
                continue;
            }
            let Some(on_disk) = read_existing(&dir.join(rel))? else { continue };
            if previous.has(rel, hash(&on_disk)) {
                plan.remove.push(rel.to_owned());
            } else {
                conflicts.edited_orphans.push(rel.to_owned());
                plan.kept.push((rel.to_owned(), Kept::EditedOrphan));
                plan.disowned.push(rel.to_owned());
            }
        }
        if (!force || conflicts.forcing_does_not_help()) && !conflicts.is_empty() {
            return Err(Error::Conflict(Box::new(conflicts)));
        }
        plan.previous = previous;
        Ok(plan)
    }

    /// Why writing into `dir` (without [`Overwrite::Force`]) would be refused, if it would.
    pub fn conflicts(&self, dir: impl AsRef<Path>) -> Result<Option<Conflicts>, Error> {
        match self.plan(dir.as_ref(), Overwrite::Never) {
            Ok(_) => Ok(None),
            Err(Error::Conflict(c)) => Ok(Some(*c)),
            Err(e) => Err(e),
        }
    }

    /// Compares the files with `dir` without writing: what differs from what a write would
    /// leave there (a `Cargo.toml` that is not what codegen wrote, which a write keeps, is not
    /// compared). When they differ, [`Stale::causes`] says why, from the [`LOCK`] on disk (the
    /// inputs, options and generator version it was generated with) and the [`MANIFEST`]
    /// (files edited since); a missing or unreadable lock is no error, only a [`Stale::note`].
    pub fn check(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        let mut stale = Stale::default();
        let previous = Manifest::read(dir)?.unwrap_or_default();
        let users = read_existing(&dir.join(CARGO_TOML_FILE))?
            .is_some_and(|bytes| is_users_cargo_toml(CARGO_TOML_FILE, &bytes, &previous));
        let kept = |rel: &str| rel == CARGO_TOML_FILE && users;
        let mut expected = Manifest::of_iter(self.generated().filter(|(rel, _)| !kept(rel)));
        expected.entries.sort();
        let expected = expected.render();
        for (rel, text) in &self.files {
            let text = if rel == MANIFEST { &expected } else { text };
            if kept(rel) {
                continue;
            }
            match read_existing(&dir.join(rel))? {
                Some(existing) if existing == text.as_bytes() => {}
                Some(_) => stale.changed.push(rel.clone()),
                None => stale.missing.push(rel.clone()),
            }
        }
        for rel in previous.paths() {
            if !self.files.contains_key(rel) && dir.join(rel).exists() {
                stale.orphaned.push(rel.to_owned());
            }
        }
        if stale.is_empty() {
            return Ok(());
        }
        self.explain(dir, &previous, &kept, &mut stale)?;
        Err(Error::Stale(stale))
    }

    /// Fills in why the output in `dir` is stale.
    fn explain(
        &self,
        dir: &Path,
        previous: &Manifest,
        kept: &dyn Fn(&str) -> bool,
        stale: &mut Stale,
    ) -> Result<(), Error> {
        let mut edited = Vec::new();
        for rel in previous.paths() {
            if kept(rel) {
                continue;
            }
            if let Some(on_disk) = read_existing(&dir.join(rel))? {
                if !previous.has(rel, hash(&on_disk)) {
                    edited.push(Cause::EditedByHand(rel.to_owned()));
                }
            }
        }
        if let Some(now) = &self.lock {
            let unknown = "what changed in the inputs and options is not known";
            match read_existing(&dir.join(LOCK))? {
                None => {
                    stale.note = Some(format!(
                        "the output has no {LOCK} (an older codegen wrote it, or none did), so {unknown}"
                    ))
                }
                Some(bytes) => {
                    let trusted = previous.has(LOCK, hash(&bytes));
                    let parsed = String::from_utf8(bytes)
                        .map_err(|_| "it is not UTF-8".to_owned())
                        .and_then(|text| Lock::parse(&text));
                    match parsed {
                        Err(why) => {
                            stale.note = Some(format!(
                                "{LOCK} cannot be read ({why}), so it is treated as missing and {unknown}"
                            ))
                        }
                        Ok(_) if !trusted => {
                            stale.note = Some(format!(
                                "{LOCK} is not what codegen wrote (it is not in {MANIFEST} with this content), so it is not trusted and {unknown}"
                            ))
                        }
                        Ok(was) => {
                            stale.causes = was.diff(now);
                            if stale.causes.is_empty() && edited.is_empty() {
                                stale.note = Some(if now.is_from_model() || was.is_from_model() {
                                    format!("the output is generated from a model given to `Builder::generate_from`, whose changes {LOCK} does not record")
                                } else {
                                    format!("{LOCK} records the same generator version, inputs and options, and no generated file was edited: this build of codegen generates differently (a development build?)")
                                });
                            }
                        }
                    }
                }
            }
        }
        stale.causes.extend(edited);
        Ok(())
    }
}

/// What a write will do.
#[derive(Default)]
struct Plan {
    /// The manifest found in the directory (empty when there was none).
    previous: Manifest,
    /// Paths of the output left as they are on disk, and why.
    kept: Vec<(String, Kept)>,
    /// Whether the directory held no manifest.
    first: bool,
    /// Files of the previous manifest that are no longer the generator's (edited orphans).
    disowned: Vec<String>,
    /// Files to remove.
    remove: Vec<String>,
    /// Files overwritten although edited or foreign.
    overwritten: Vec<String>,
}

impl Plan {
    fn keeps(&self, rel: &str) -> bool {
        self.kept.iter().any(|(k, _)| k == rel)
    }
}

/// The content of a [`MANIFEST`]: `(path, hash)` pairs. A path may appear twice while a run
/// replaces it (old and new content).
#[derive(Clone, Debug, Default)]
struct Manifest {
    entries: Vec<(String, u64)>,
}

const MANIFEST_HEADER: &str = "\
# Written by codegen: the files it generated in this directory, each with a hash of its content
# (64-bit FNV-1a). codegen overwrites or removes a file only while it still has that hash, and
# writes only into a directory that holds this file or is empty. Do not edit.
";

impl Manifest {
    fn of(files: &BTreeMap<String, String>) -> Manifest {
        Manifest::of_iter(files.iter())
    }

    fn of_iter<'a>(files: impl Iterator<Item = (&'a String, &'a String)>) -> Manifest {
        Manifest { entries: files.map(|(rel, text)| (rel.clone(), hash(text.as_bytes()))).collect() }
    }

    fn has(&self, rel: &str, hash: u64) -> bool {
        self.entries.iter().any(|(r, h)| r == rel && *h == hash)
    }

    fn lists(&self, rel: &str) -> bool {
        self.entries.iter().any(|(r, _)| r == rel)
    }

    /// Every path, once, in order.
    fn paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.entries.iter().map(|(r, _)| r.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    fn render(&self) -> String {
        let mut out = MANIFEST_HEADER.to_owned();
        for (rel, hash) in &self.entries {
            out.push_str(&format!("{hash:016x} {rel}\n"));
        }
        out
    }

    /// The manifest in `dir`, if any. An entry that is not a plain relative path inside the
    /// directory is an error: the manifest decides what is removed, so it must never reach
    /// outside.
    fn read(dir: &Path) -> Result<Option<Manifest>, Error> {
        let path = dir.join(MANIFEST);
        let Some(bytes) = read_existing(&path)? else { return Ok(None) };
        let bad = |line: usize, message: String| Error::Manifest { path: path.clone(), line, message };
        let text = String::from_utf8(bytes).map_err(|_| bad(1, "not UTF-8".to_owned()))?;
        let mut manifest = Manifest::default();
        for (i, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (hash, rel) =
                line.split_once(' ').ok_or_else(|| bad(i + 1, "expected `<hash> <path>`".into()))?;
            let hash = u64::from_str_radix(hash, 16)
                .ok()
                .filter(|_| hash.len() == 16)
                .ok_or_else(|| bad(i + 1, format!("`{hash}` is not a 16-digit hexadecimal hash")))?;
            if !is_plain_relative(rel) {
                return Err(bad(i + 1, format!("`{rel}` is not a relative path inside the directory")));
            }
            manifest.entries.push((rel.to_owned(), hash));
        }
        Ok(Some(manifest))
    }
}

/// The crate manifest a crate layout writes: kept whenever it is not what codegen wrote.
const CARGO_TOML_FILE: &str = "Cargo.toml";

/// Whether `rel`, holding `on_disk`, is a crate manifest that is not what codegen wrote. A
/// crate's manifest is where its owner adds dependencies and settings: once it is not
/// codegen's, it is theirs, and writes keep it (and `check` does not compare it).
fn is_users_cargo_toml(rel: &str, on_disk: &[u8], previous: &Manifest) -> bool {
    rel == CARGO_TOML_FILE && !previous.has(rel, hash(on_disk))
}

/// Whether `rel` under `dir`, or a directory on the way to it, is a symbolic link.
fn through_link(dir: &Path, rel: &str) -> bool {
    let mut path = dir.to_owned();
    for component in rel.split('/') {
        path.push(component);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    false
}

/// `a/b.rs`: `/`-separated normal components, none empty, `.` or `..`, no drive or root.
fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && rel.split('/').all(|c| !c.is_empty() && c != "." && c != ".." && !c.contains(['\\', ':', '\0']))
}

/// 64-bit FNV-1a: a change detector for files (not a defence against someone forging content).
/// Fully specified (offset basis and prime) and computed byte by byte, it is the same on every
/// platform and with every Rust version, unlike `std`'s `DefaultHasher`.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The file's bytes, or `None` when it does not exist.
fn read_existing(path: &Path) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { path: path.to_owned(), source }),
    }
}

/// The names of the entries of `dir` but `.git`, sorted, directories with a trailing `/` (none
/// when it does not exist): a fresh `git init` is still an empty directory.
fn dir_entries(dir: &Path) -> Result<Vec<String>, Error> {
    let mut names = all_entries(dir)?;
    names.retain(|n| n != ".git/" && n != ".git");
    Ok(names)
}

/// The names of every entry of `dir`, sorted, directories with a trailing `/`.
fn all_entries(dir: &Path) -> Result<Vec<String>, Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path: dir.to_owned(), source }),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: dir.to_owned(), source })?;
        let mut name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            name.push('/');
        }
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// Creates the parent directories of `path`.
fn create_parent(path: &Path) -> Result<(), Error> {
    match path.parent() {
        Some(parent) => {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io { path: parent.to_owned(), source })
        }
        None => Ok(()),
    }
}

/// A hard link at `to` to the file (or symbolic link) `from`, else a copy of it.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) => std::fs::copy(from, to).map(|_| ()),
    }
}

/// The directories beside an output directory that a write builds its new tree in and
/// exchanges with it: `.NAME.codegen-new` (with a marker file while it is being built) and,
/// where directories cannot be exchanged in one step, `.NAME.codegen-old`.
struct Swap {
    dir: PathBuf,
    new: PathBuf,
    old: PathBuf,
}

/// The file that marks a new tree still being built (never part of a finished one).
const BUILDING: &str = ".codegen-building";

impl Swap {
    fn beside(dir: &Path) -> Result<Swap, Error> {
        // An output directory reached through a symbolic link: the link stays, the directory
        // it names is replaced.
        // So is one written as `.` or `..` (it has no name of its own).
        let resolved;
        let linked = std::fs::symlink_metadata(dir).is_ok_and(|meta| meta.file_type().is_symlink());
        let dir = if linked || (dir.file_name().is_none() && dir.exists()) {
            resolved = std::fs::canonicalize(dir).map_err(Self::io(dir))?;
            resolved.as_path()
        } else {
            dir
        };
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| Error::Io {
            path: dir.to_owned(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "the output directory has no name"),
        })?;
        let parent = dir.parent().unwrap_or(Path::new(""));
        Ok(Swap {
            dir: dir.to_owned(),
            new: parent.join(format!(".{name}.codegen-new")),
            old: parent.join(format!(".{name}.codegen-old")),
        })
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
        move |source| Error::Io { path: path.to_owned(), source }
    }

    /// Completes or undoes what an interrupted write left: a new tree still being built is
    /// removed (it holds only new files and links); where `dir` is missing (two renames
    /// interrupted), the finished new tree takes its place, else the old tree goes back; an
    /// old tree left beside `dir` gives back the directories a write moves after the
    /// exchange, then is removed.
    fn recover(&self) -> Result<(), Error> {
        if self.new.join(BUILDING).exists() {
            std::fs::remove_dir_all(&self.new).map_err(Self::io(&self.new))?;
        }
        if !self.dir.exists() {
            for tree in [&self.new, &self.old] {
                if tree.exists() {
                    std::fs::rename(tree, &self.dir).map_err(Self::io(&self.dir))?;
                    break;
                }
            }
        }
        // Where both are left, the new tree (finished) is `dir` and these are old ones.
        for old in [&self.new, &self.old] {
            if old.exists() {
                let generated = Manifest::read(old).ok().flatten().unwrap_or_default();
                self.move_back(old, "", &generated)?;
                std::fs::remove_dir_all(old).map_err(Self::io(old))?;
            }
        }
        Ok(())
    }

    /// Moves the directories under `old/prefix` that `dir` lacks and that hold nothing the
    /// old tree's manifest `generated` lists (directories codegen did not write into, moved
    /// after an exchange) into `dir`; descends where both have the directory.
    fn move_back(&self, old: &Path, prefix: &str, generated: &Manifest) -> Result<(), Error> {
        for name in all_entries(&old.join(prefix))? {
            let Some(name) = name.strip_suffix('/') else { continue };
            let rel = format!("{prefix}{name}");
            let (from, to) = (old.join(&rel), self.dir.join(&rel));
            if to.is_dir() {
                self.move_back(old, &format!("{rel}/"), generated)?;
            } else if !to.exists() && !generated.paths().iter().any(|g| g.starts_with(&format!("{rel}/"))) {
                std::fs::rename(&from, &to).map_err(Self::io(&to))?;
            }
        }
        Ok(())
    }

    /// An empty new tree, marked as being built.
    fn start(&self) -> Result<&Path, Error> {
        std::fs::create_dir_all(&self.new).map_err(Self::io(&self.new))?;
        std::fs::write(self.new.join(BUILDING), b"").map_err(Self::io(&self.new))?;
        Ok(&self.new)
    }

    /// Puts the finished new tree in place of `dir`, moves the directories `moved` (relative
    /// paths) from the old tree into it, and removes the old tree.
    fn exchange(&self, moved: &[String]) -> Result<(), Error> {
        std::fs::remove_file(self.new.join(BUILDING)).map_err(Self::io(&self.new))?;
        // The new directory takes the old one's permissions.
        if let Ok(meta) = std::fs::metadata(&self.dir) {
            std::fs::set_permissions(&self.new, meta.permissions()).map_err(Self::io(&self.new))?;
        }
        let old = if !self.dir.exists() {
            std::fs::rename(&self.new, &self.dir).map_err(Self::io(&self.dir))?;
            return Ok(());
        } else if exchange_directories(&self.new, &self.dir) {
            &self.new
        } else {
            std::fs::rename(&self.dir, &self.old).map_err(Self::io(&self.old))?;
            std::fs::rename(&self.new, &self.dir).map_err(Self::io(&self.dir))?;
            &self.old
        };
        for rel in moved {
            let to = self.dir.join(rel);
            create_parent(&to)?;
            std::fs::rename(old.join(rel), &to).map_err(Self::io(&to))?;
        }
        std::fs::remove_dir_all(old).map_err(Self::io(old))
    }
}

/// Exchanges two directories in one step, where the system can (Linux's `renameat2` with
/// `RENAME_EXCHANGE`); `false` when it cannot (then nothing changed).
#[cfg(target_os = "linux")]
fn exchange_directories(a: &Path, b: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let (Ok(a), Ok(b)) =
        (std::ffi::CString::new(a.as_os_str().as_bytes()), std::ffi::CString::new(b.as_os_str().as_bytes()))
    else {
        return false;
    };
    // SAFETY: both paths are NUL-terminated strings that live across the call.
    unsafe {
        libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange_directories(_: &Path, _: &Path) -> bool {
    false
}

/// Writes `text` to `path` unless it already holds exactly that; returns whether it wrote.
/// The new content is written to a temporary file beside `path` and renamed over it, so a
/// reader never sees a half-written file.
pub(crate) fn write_if_changed(path: &Path, text: &str) -> Result<bool, Error> {
    if std::fs::read_to_string(path).is_ok_and(|existing| existing == text) {
        return Ok(false);
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".codegen-tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))?;
    Ok(true)
}

/// The `Cargo.toml` of a generated crate; `areas` are its per-area features (none: the crate
/// has none).
pub(crate) fn cargo_toml(name: &str, runtime: &crate::Runtime, areas: &[String]) -> String {
    let mut dependencies = dependencies(runtime);
    if !areas.is_empty() {
        let list: Vec<String> = areas.iter().map(|a| format!("\"{a}\"")).collect();
        let mut block = String::from(
            "[features]\n\
             # The areas of the service: each enables one member of its root (an entity set, a\n\
             # singleton, an import) and what that needs. `full`, the default, enables them all and\n\
             # the types no area uses: `default-features = false, features = [\"...\"]` compiles less.\n\
             default = [\"full\"]\n",
        );
        block.push_str(&format!("full = [{}]\n", list.join(", ")));
        for area in areas {
            block.push_str(&format!("{area} = []\n"));
        }
        dependencies = dependencies.replacen("[features]\n", &block, 1);
    }
    CARGO_TOML.replace("{{name}}", name).replace("{{dependencies}}", &dependencies)
}

/// What a crate holding generated code declares: with the runtime embedded, the runtime's
/// own features and dependencies ([`DEPENDENCIES`]); with the runtime crate, that dependency,
/// the crates generated code names itself, and features that turn on the runtime's.
pub(crate) fn dependencies(runtime: &crate::Runtime) -> String {
    match runtime {
        crate::Runtime::Embedded => DEPENDENCIES.to_owned(),
        crate::Runtime::Crate { dependency, .. } => format!(
            "[features]\n\
             # A ready-made transport on reqwest (rustls TLS) and tokio's timer.\n\
             reqwest = [\"codegen-runtime/reqwest\"]\n\
             # Every digit of `Edm.Decimal` values sent as JSON numbers (serde_json keeps numbers as text).\n\
             arbitrary-precision = [\"codegen-runtime/arbitrary-precision\"]\n\
             # `extra` maps keep the order the service wrote (serde_json's `preserve_order`).\n\
             preserve-order = [\"codegen-runtime/preserve-order\"]\n\
             \n\
             [dependencies]\n\
             codegen-runtime = {dependency}\n\
             serde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\n"
        ),
    }
}

/// The `README.md` of a generated crate; `example` is a markdown section (or empty).
pub(crate) fn readme(name: &str, header: &str, example: &str) -> String {
    let source = header.trim_start_matches("// ");
    README.replace("{{name}}", name).replace("{{generated}}", source).replace("{{example}}\n", example)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        let files = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        Output::new(files, Diagnostics::default(), DEPENDENCIES.to_owned())
    }

    fn tree(dir: &Path) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![dir.to_owned()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                    out.insert(rel, std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        out
    }

    #[test]
    fn generated_crates_declare_the_runtime_crates_features_and_dependencies() {
        let runtime = include_str!("../../templates/Cargo.toml");
        assert!(
            runtime.contains(DEPENDENCIES.trim()),
            "templates/Cargo.toml's [features] and [dependencies] differ from templates/dependencies.toml"
        );
    }

    #[test]
    fn a_run_stopped_at_any_step_leaves_the_old_tree_or_the_new_one_which_the_next_run_owns() {
        let old = output(&[("lib.rs", "old lib"), ("a.rs", "a"), ("gone/b.rs", "b")]);
        let new = output(&[("lib.rs", "new lib"), ("a.rs", "a"), ("c.rs", "c")]);
        for steps in 0..8 {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("out");
            old.write_to(&dir).unwrap();
            // Files codegen did not write, beside and below its own: carried into the new tree.
            std::fs::write(dir.join("notes.txt"), "mine").unwrap();
            std::fs::create_dir_all(dir.join("target/debug")).unwrap();
            std::fs::write(dir.join("target/debug/x"), "built").unwrap();
            let mine = |mut files: BTreeMap<String, String>| {
                files.insert("notes.txt".into(), "mine".into());
                files.insert("target/debug/x".into(), "built".into());
                files
            };
            new.write_steps(&dir, Overwrite::Never, steps).unwrap();
            let now = tree(&dir);
            assert!(
                now == mine(old.files().clone()) || now == mine(new.files().clone()),
                "after {steps} steps: {now:?}"
            );
            // Whatever was done, both the new and the old output can be written over it
            // without --force, and each then leaves exactly its own files (and the user's).
            let again = tmp.path().join("again");
            for (rel, text) in &now {
                let path = again.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            new.write_to(&dir).unwrap_or_else(|e| panic!("after {steps} steps: {e}"));
            assert_eq!(tree(&dir), mine(new.files().clone()), "after {steps} steps");
            old.write_to(&again).unwrap_or_else(|e| panic!("back after {steps} steps: {e}"));
            assert_eq!(tree(&again), mine(old.files().clone()), "back after {steps} steps");
            // Nothing is left beside the output.
            let beside: Vec<_> =
                std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
            assert_eq!(beside.len(), 2, "{beside:?}");
        }
    }

    #[test]
    fn an_interrupted_exchange_is_completed_or_undone_by_the_next_run() {
        let old = output(&[("lib.rs", "old lib")]);
        let new = output(&[("lib.rs", "new lib")]);
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        // Killed between the two renames of the fallback exchange: `dir` missing, the finished
        // new tree and the old one beside it.
        old.write_to(tmp.path().join(".out.codegen-old")).unwrap();
        std::fs::create_dir_all(tmp.path().join(".out.codegen-old/target")).unwrap();
        new.write_to(tmp.path().join(".out.codegen-new")).unwrap();
        new.write_to(&dir).unwrap();
        assert_eq!(tree(&dir).get("lib.rs").map(String::as_str), Some("new lib"));
        assert!(dir.join("target").is_dir(), "the user's directory is given back");
        assert!(
            !tmp.path().join(".out.codegen-old").exists() && !tmp.path().join(".out.codegen-new").exists()
        );
    }

    #[test]
    fn manifest_lists_every_file_but_itself_with_its_hash() {
        let out = output(&[("b.rs", "b"), ("a/x.rs", "x")]);
        let manifest = &out.files()[MANIFEST];
        assert!(manifest.starts_with('#'));
        let entries: Vec<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(entries, [format!("{:016x} a/x.rs", hash(b"x")), format!("{:016x} b.rs", hash(b"b"))]);
    }

    #[test]
    fn manifest_paths_must_stay_inside_the_directory() {
        for bad in ["../x", "/etc/passwd", "a/../../x", "a//b", "./a", "c:\\x", ""] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
        for good in ["a.rs", "src/graph/mod.rs", ".codegen-manifest", "Cargo.toml"] {
            assert!(is_plain_relative(good), "{good}");
        }
    }
}
