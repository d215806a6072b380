#!/usr/bin/env bash
# Generation and compile cost of the whole Microsoft Graph v1.0 crate, as a table:
# generation wall time and peak memory (best of N runs), and `cargo check` of the generated
# crate (a cold check of the crate itself, its dependencies already built; then a check
# after touching one file), with the runtime embedded and with the runtime crate as a
# dependency (`--runtime`).
#
#   tests/benches/graph_v1.sh [METADATA] [RUNS]
#
# METADATA defaults to ../shared/graph/v1.0/metadata.xml beside the checkout. Needs GNU time
# (/usr/bin/time). Not part of the test suite: timings belong in benchmarks, not tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${2:-3}"
source tests/benches/graph_setup.sh "$@"
work="target/bench-graph-v1"
mkdir -p "$work"

best_s="" best_kb=""
for _ in $(seq "$runs"); do
  rm -rf "$work/crate"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" generate --key-style segment --input "$metadata" --out "$work/crate" --crate-name graph-v1 >/dev/null 2>&1
  read -r s kb < "$work/time.txt"
  if [ -z "$best_s" ] || awk "BEGIN{exit !($s < $best_s)}"; then best_s="$s"; fi
  if [ -z "$best_kb" ] || [ "$kb" -lt "$best_kb" ]; then best_kb="$kb"; fi
done
files=$(find "$work/crate" -type f | wc -l)
bytes=$(du -sb "$work/crate" | cut -f1)

cp Cargo.lock "$work/crate/Cargo.lock"
export CARGO_TARGET_DIR="$work/target"
# Dependencies first, so the timings below are the generated crate's own.
cargo check --quiet --manifest-path "$work/crate/Cargo.toml" >/dev/null 2>&1 || true
touch "$work/crate/src/lib.rs"
/usr/bin/time -f "%e %M" -o "$work/check.txt" cargo check --quiet --manifest-path "$work/crate/Cargo.toml"
read -r check_s check_kb < "$work/check.txt"

# The same crate depending on the runtime crate instead of embedding it.
rm -rf "$work/crate-dep"
"$bin" generate --key-style segment --input "$metadata" --out "$work/crate-dep" --crate-name graph-v1-dep \
  --runtime "{ path = \"$PWD/templates\" }" >/dev/null 2>&1
cp Cargo.lock "$work/crate-dep/Cargo.lock"
cargo check --quiet --manifest-path "$work/crate-dep/Cargo.toml" >/dev/null 2>&1 || true
touch "$work/crate-dep/src/lib.rs"
/usr/bin/time -f "%e %M" -o "$work/check-dep.txt" cargo check --quiet --manifest-path "$work/crate-dep/Cargo.toml"
read -r dep_s dep_kb < "$work/check-dep.txt"

printf '| %-44s | %14s |\n' "Graph v1.0 ($(basename "$metadata"))" "measured"
printf '|%s|%s|\n' "----------------------------------------------" "----------------"
printf '| %-44s | %12s s |\n' "generate: wall time (best of $runs)" "$best_s"
printf '| %-44s | %11s MB |\n' "generate: peak memory (best of $runs)" "$((best_kb / 1024))"
printf '| %-44s | %14s |\n' "generated files" "$files"
printf '| %-44s | %11s MB |\n' "generated size" "$((bytes / 1024 / 1024))"
printf '| %-44s | %12s s |\n' "cargo check of the crate (after a touch)" "$check_s"
printf '| %-44s | %11s MB |\n' "cargo check: peak memory" "$((check_kb / 1024))"
printf '| %-44s | %12s s |\n' "same, runtime crate as a dependency" "$dep_s"
printf '| %-44s | %11s MB |\n' "same: peak memory" "$((dep_kb / 1024))"
