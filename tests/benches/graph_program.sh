#!/usr/bin/env bash
# What a Graph user pays to build a program on the whole Microsoft Graph v1.0 crate, as a table
# (issue 16's benchmark): the generated crate's own debug build, a small program's own build
# (six calls on users, messages, events with a bound action), the rebuild after adding one call
# on a type not used before, peak memory of each, the debug binary's size, the same under the
# README's profile settings, `cargo doc` of the generated crate, and the same crate built with
# one area feature, and a path selection.
#
#   tests/benches/graph_program.sh [METADATA]
#
# METADATA defaults to ../shared/graph/v1.0/metadata.xml beside the checkout. Needs GNU time
# (/usr/bin/time). Takes tens of minutes on 2 cores. Not part of the test suite: timings belong
# in benchmarks, not tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/benches/graph_setup.sh "$@"
work="$PWD/target/bench-graph-program"
mkdir -p "$work"
rm -rf "$work/crate" "$work/program"
"$bin" generate --key-style segment --input "$metadata" --out "$work/crate" --crate-name graph-v1 >/dev/null 2>&1
export CARGO_TARGET_DIR="$work/target"

# `timed NAME CMD...`: runs CMD, records "seconds peak-KB" in $work/NAME.txt.
timed() {
  local name="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.txt" "$@" >/dev/null 2>"$work/$name.log" || {
    cat "$work/$name.log" >&2
    exit 1
  }
}
seconds() { cut -d' ' -f1 "$work/$1.txt"; }
megabytes() { echo $(($(cut -d' ' -f2 "$work/$1.txt") / 1024)); }

# The program: a crate of its own beside the generated one.
mkdir -p "$work/program/src"
cat > "$work/program/Cargo.toml" <<EOF
[package]
name = "graph-program"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
graph-v1 = { path = "../crate", features = ["reqwest"] }
tokio = { version = "1", features = ["rt", "macros"] }

[workspace]
EOF
cp Cargo.lock "$work/program/Cargo.lock"
write_program() {
  cat > "${2:-$work/program}/src/main.rs" <<EOF
use graph_v1::{Client, Error, Event, ReqwestTransport};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let client = Client::builder("https://graph.microsoft.com/v1.0", ReqwestTransport::new())
        .bearer_token(std::env::var("GRAPH_TOKEN").unwrap_or_default())
        .build();
    let users = client.users().list().top(5).await?;
    println!("{} users", users.value.len());
    let me = client.me().get().await?;
    println!("{:?}", me.display_name());
    let messages = client.me().messages().list().top(10).await?;
    println!("{} messages", messages.value.len());
    let event = Event { subject: Some("Review".to_owned()), ..Event::default() };
    let created = client.me().events().create(&event).await?;
    let id = created.id.clone().unwrap_or_default();
    client.me().events().by_id(id.as_str()).accept(Some(true), Some("see you")).await?;
    $1
    Ok(())
}
EOF
}

# 1. The generated crate: dependencies, then its own build from clean (incremental, as
# `cargo run` builds by default).
cargo build --quiet --manifest-path "$work/crate/Cargo.toml" --features reqwest >/dev/null 2>&1
cargo clean --quiet --manifest-path "$work/crate/Cargo.toml" -p graph-v1
timed crate cargo build --quiet --manifest-path "$work/crate/Cargo.toml" --features reqwest
rlib=$(find "$work/target/debug/deps" -name 'libgraph_v1-*.rlib' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f1)

# 2. The program's own build from clean (everything it depends on is built), then the
# rebuild after one more call.
write_program ""
cargo build --quiet --manifest-path "$work/program/Cargo.toml" >/dev/null 2>&1 || true
cargo clean --quiet --manifest-path "$work/program/Cargo.toml" -p graph-program
timed program cargo build --quiet --manifest-path "$work/program/Cargo.toml"
binary=$(stat -c %s "$work/target/debug/graph-program")
write_program 'let groups = client.groups().list().top(3).await?; println!("{} groups", groups.value.len());'
timed one_call cargo build --quiet --manifest-path "$work/program/Cargo.toml"

# 2b. The same program with the profile settings the README recommends (debug information
# kept out of the binary, in split files; line tables only for the generated crate): the
# generated crate's build under them, the program's own build, the binary, the rebuild.
rm -rf "$work/tuned"
cp -r "$work/program" "$work/tuned"
sed -i 's/^name = "graph-program"/name = "graph-program-tuned"/' "$work/tuned/Cargo.toml"
cat >> "$work/tuned/Cargo.toml" <<EOF

[profile.dev]
split-debuginfo = "unpacked"

[profile.dev.package.graph-v1]
debug = "line-tables-only"
EOF
write_program "" "$work/tuned"
cargo build --quiet --manifest-path "$work/tuned/Cargo.toml" >/dev/null 2>&1 || true
cargo clean --quiet --manifest-path "$work/tuned/Cargo.toml" -p graph-v1
timed tuned_crate cargo build --quiet --manifest-path "$work/tuned/Cargo.toml" -p graph-v1
cargo clean --quiet --manifest-path "$work/tuned/Cargo.toml" -p graph-program-tuned
timed tuned cargo build --quiet --manifest-path "$work/tuned/Cargo.toml"
tuned_binary=$(stat -c %s "$work/target/debug/graph-program-tuned")
write_program 'let groups = client.groups().list().top(3).await?; println!("{} groups", groups.value.len());' "$work/tuned"
timed tuned_one_call cargo build --quiet --manifest-path "$work/tuned/Cargo.toml"

# 3. `cargo check` and `cargo doc` of the generated crate.
touch "$work/crate/src/lib.rs"
timed check cargo check --quiet --manifest-path "$work/crate/Cargo.toml"
timed doc cargo doc --no-deps --quiet --manifest-path "$work/crate/Cargo.toml"
rm -rf "$work/target/doc"

# 4. The same crate with per-area features, built with one area (`users`), and a crate of
# the synchronization API alone (a path selection).
rm -rf "$work/areas" "$work/selection"
"$bin" generate --key-style segment --input "$metadata" --out "$work/areas" --crate-name graph-v1 --area-features >/dev/null 2>&1
cp Cargo.lock "$work/areas/Cargo.lock"
cargo build --quiet --manifest-path "$work/areas/Cargo.toml" --no-default-features --features users >/dev/null 2>&1
cargo clean --quiet --manifest-path "$work/areas/Cargo.toml" -p graph-v1
timed area cargo build --quiet --manifest-path "$work/areas/Cargo.toml" --no-default-features --features users
"$bin" generate --key-style segment --input "$metadata" --out "$work/selection" --crate-name graph-sync \
  --include-path '/servicePrincipals/**/synchronization/**' >/dev/null 2>&1
cp Cargo.lock "$work/selection/Cargo.lock"
cargo build --quiet --manifest-path "$work/selection/Cargo.toml" >/dev/null 2>&1
cargo clean --quiet --manifest-path "$work/selection/Cargo.toml" -p graph-sync
timed selection cargo build --quiet --manifest-path "$work/selection/Cargo.toml"
selection_files=$(find "$work/selection/src" -name '*.rs' | wc -l)
selection_rlib=$(find "$work/target/debug/deps" -name 'libgraph_sync-*.rlib' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f1)

row() { printf '| %-52s | %14s |\n' "$1" "$2"; }
row "Graph v1.0 ($(basename "$metadata")), debug builds" "measured"
printf '|%s|%s|\n' "------------------------------------------------------" "----------------"
row "generated crate: own build (from clean)" "$(seconds crate) s"
row "generated crate: peak memory" "$(megabytes crate) MB"
row "generated crate: rlib size" "$((rlib / 1024 / 1024)) MB"
row "program crate: own build (from clean)" "$(seconds program) s"
row "program crate: peak memory" "$(megabytes program) MB"
row "program: debug binary size" "$((binary / 1024 / 1024)) MB"
row "rebuild after one more call (groups)" "$(seconds one_call) s"
row "rebuild: peak memory" "$(megabytes one_call) MB"
row "README's profile settings: generated crate's build" "$(seconds tuned_crate) s"
row "  its peak memory" "$(megabytes tuned_crate) MB"
row "  program crate: own build" "$(seconds tuned) s"
row "  program crate: peak memory" "$(megabytes tuned) MB"
row "  program: debug binary size" "$((tuned_binary / 1024 / 1024)) MB"
row "  rebuild after one more call" "$(seconds tuned_one_call) s"
row "  rebuild: peak memory" "$(megabytes tuned_one_call) MB"
row "cargo check of the generated crate (after a touch)" "$(seconds check) s"
row "cargo doc of the generated crate" "$(seconds doc) s"
row "cargo doc: peak memory" "$(megabytes doc) MB"
row "one area (--area-features, users): own build" "$(seconds area) s"
row "one area: peak memory" "$(megabytes area) MB"
row "selection /servicePrincipals/**/synchronization/**: build" "$(seconds selection) s"
row "selection: peak memory" "$(megabytes selection) MB"
row "selection: files / rlib size" "$selection_files / $((selection_rlib / 1024 / 1024)) MB"
