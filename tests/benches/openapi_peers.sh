#!/usr/bin/env bash
# Our generator beside two peers on the same OpenAPI documents, in one run, as a markdown table:
# for each file and each tool, the generation wall time and peak memory, whether generation
# succeeded (else the first line of its error), the output's size in lines of .rs, and whether
# the output passes `cargo check`, timed; then how many files each tool generated and checked,
# and the peers' times over ours.
#
#   tests/benches/openapi_peers.sh [MODULE.yml... | all]
#
# The tools: ours (`codegen generate`, the release binary built here); progenitor
# (`cargo progenitor`, installed from crates.io into target/bench-openapi-peers/tools on the
# first run; it reads OpenAPI 3.0 only); openapi-generator's `rust` generator (the PyPI
# package `openapi-generator-cli`, which bundles the jar, installed the same way; needs Java).
# A tool that cannot be installed or run is reported as "not runnable: REASON" in its cells.
# Each runs with its defaults; JAVA_OPTS reaches openapi-generator's JVM (its YAML parser stops
# at 3 MB by default; JAVA_OPTS=-DmaxYamlCodePoints=99999999 lifts that, and Sites.yml then
# fails its validation instead, on a repeated operationId).
#
# The files: the Microsoft Graph OpenAPI modules named as arguments or in PEERS_FILES (names in
# ../shared/graph/openapi-2023-01/v1.0/, "all" for its 37 modules, "none" for none; default
# five modules from 4 KB to 3.4 MB), plus the files of ../shared/openapi/ named in PEERS_OPENAPI
# (default all of them; "none" for none). The benchmark says SKIPPED and ends when ../shared
# beside the checkout is missing. The default takes about 2 minutes on 2 cores once the peers
# are installed (the first run installs them: some 5 minutes more); "all" was not timed.
#
# How it measures: each command runs once under GNU time (/usr/bin/time, needed) and `timeout`
# (PEERS_TIMEOUT seconds, default 900). Every `cargo check` shares one CARGO_TARGET_DIR
# (target/bench-openapi-peers/target), without incremental state; before the timed check of a
# generated crate, an untimed check of the same manifest over an empty library resolves and
# builds its dependencies, so that the time is the generated crate's own. Our crate is checked
# with its default features (no HTTP transport; the peers' crates depend on reqwest) and the
# workspace's Cargo.lock, as the tests do; the peers' crates resolve their own. An error count is
# the number of `error` diagnostics rustc printed before stopping (a lower bound). The table is
# also written to target/bench-openapi-peers/results.md; progress and the logs' places go to
# stderr.
# Not part of the test suite: timings belong in benchmarks, not tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
graph_dir="../shared/graph/openapi-2023-01/v1.0"
openapi_dir="../shared/openapi"
if [ ! -d ../shared ]; then
  echo "SKIPPED: ../shared (beside the checkout) is missing" >&2
  exit 0
fi
if [ ! -x /usr/bin/time ]; then
  echo "SKIPPED: GNU time (/usr/bin/time) is missing" >&2
  exit 0
fi

bench="$root/target/bench-openapi-peers"
tools="$bench/tools"
work="$bench/work"
limit="${PEERS_TIMEOUT:-900}"
export CARGO_TARGET_DIR="$bench/target"
export CARGO_INCREMENTAL=0
export RUST_BACKTRACE=0
mkdir -p "$tools" "$work"

progress() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }

# --- the files --------------------------------------------------------------------------
default_graph="Compliance.yml Bookings.yml Applications.yml Calendar.yml Sites.yml"
if [ "$#" -gt 0 ]; then graph_sel="$*"; else graph_sel="${PEERS_FILES:-$default_graph}"; fi
openapi_sel="${PEERS_OPENAPI:-all}"
files=()
# `select_files DIR SELECTION GLOB`: appends to `files` the files of DIR the selection names.
select_files() {
  local dir="$1" sel="$2" glob="$3" name
  [ "$sel" = none ] && return 0
  if [ ! -d "$dir" ]; then
    progress "warning: $dir is missing; none of its files is measured"
    return 0
  fi
  if [ "$sel" = all ]; then
    for name in "$dir"/$glob; do [ -f "$name" ] && files+=("$name"); done
  else
    for name in $sel; do
      if [ -f "$dir/$name" ]; then files+=("$dir/$name"); else progress "warning: no $dir/$name; skipped"; fi
    done
  fi
}
select_files "$graph_dir" "$graph_sel" "*.yml"
select_files "$openapi_dir" "$openapi_sel" "*.yaml"
if [ "${#files[@]}" -eq 0 ]; then
  echo "SKIPPED: no input file selected" >&2
  exit 0
fi

# --- measuring ----------------------------------------------------------------------------
# `measure LOG CMD...`: runs CMD (output to LOG) under GNU time and `timeout`; sets `secs` (wall
# time), `peak_kb` and `rc` (124 on a timeout). Never fails.
measure() {
  local log="$1" start end
  shift
  start=$(date +%s%N)
  rc=0
  /usr/bin/time -f "%e %M" -o "$log.time" timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1 || rc=$?
  end=$(date +%s%N)
  secs=$(awk -v ns="$((end - start))" 'BEGIN { printf "%.3f", ns / 1e9 }')
  peak_kb=$(tail -n 1 "$log.time" 2>/dev/null | awk '{ print $2 }')
  peak_kb="${peak_kb:-0}"
}
# Seconds as a table shows them: three decimals under one second, else one.
fmt_s() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.3f", s; else printf "%.1f", s }'; }
# Makes text fit in a table cell: one line, no pipes, at most 110 characters.
cell_text() { tr -d '\r' | head -n 1 | sed -e 's/|/\\|/g' -e 's/[[:space:]]\+/ /g' | cut -c1-110; }
# The line of LOG that says what went wrong: a panic's message rather than its place, a Java
# exception's first line (its class without the package), a Rust error, or the last line.
first_error() {
  local log="$1" line
  line=$(grep -m 1 -n -E "panicked at" "$log" 2>/dev/null | cut -d: -f1 || true)
  if [ -n "$line" ]; then
    echo "panic: $(sed -n "$((line + 1))p" "$log")" | cell_text
    return
  fi
  line=$(grep -m 1 -E '^(Exception in thread "[^"]*" )?[A-Za-z0-9_.$]+(Exception|Error): ' "$log" 2>/dev/null || true)
  if [ -n "$line" ]; then
    echo "$line" | sed -E 's/^(Exception in thread "[^"]*" )?([A-Za-z0-9_$]+\.)*//' | cell_text
    return
  fi
  line=$(grep -m 1 -E '^(gen fail|error|Error|ERROR)|\[main\] ERROR' "$log" 2>/dev/null || true)
  if [ -z "$line" ]; then line=$(grep -v '^[[:space:]]*$' "$log" 2>/dev/null | tail -n 1 || true); fi
  echo "${line:-no output}" | cell_text
}
rs_lines() { find "$1" -name '*.rs' -type f -exec cat {} + 2>/dev/null | wc -l; }
# A generated crate under target/ is its own workspace (the checkout's excludes target); when
# cargo finds it inside another workspace all the same, it gets an empty `[workspace]`.
own_workspace() {
  local manifest="$1/Cargo.toml" found
  found=$(cargo locate-project --workspace --message-format plain --manifest-path "$manifest" 2>/dev/null || true)
  if [ "$found" != "$(realpath "$manifest")" ] && ! grep -q '^\[workspace\]' "$manifest"; then
    printf '\n[workspace]\n' >> "$manifest"
  fi
}

# --- the tools ----------------------------------------------------------------------------
tool_names=(ours progenitor openapi-generator)
declare -A broken=() # tool -> why it cannot run
progress "building ours: cargo build --release -p odata-codegen --bin codegen"
if ! cargo build --release --quiet -p odata-codegen --bin codegen >"$work/ours-build.log" 2>&1; then
  broken[ours]="build failed: $(first_error "$work/ours-build.log")"
fi
ours_bin="$root/target/release/codegen"

progenitor_bin="$tools/bin/cargo-progenitor"
if [ ! -x "$progenitor_bin" ]; then
  progress "installing progenitor: cargo install cargo-progenitor --locked --root $tools"
  cargo install cargo-progenitor --locked --root "$tools" >"$tools/progenitor-install.log" 2>&1 || true
fi
if [ ! -x "$progenitor_bin" ]; then
  broken[progenitor]="install failed: $(first_error "$tools/progenitor-install.log")"
fi

export PYTHONPATH="$tools/py${PYTHONPATH:+:$PYTHONPATH}"
oag_bin="$tools/py/bin/openapi-generator-cli"
if [ ! -x "$oag_bin" ]; then
  progress "installing openapi-generator: pip install --target $tools/py openapi-generator-cli"
  python3 -m pip install --quiet --target "$tools/py" openapi-generator-cli >"$tools/pip-install.log" 2>&1 || true
fi
if [ ! -x "$oag_bin" ]; then
  broken[openapi-generator]="install failed: $(first_error "$tools/pip-install.log")"
elif ! java -version >/dev/null 2>&1; then
  broken[openapi-generator]="no Java (java -version fails)"
elif ! "$oag_bin" version >"$work/oag-version.log" 2>&1; then
  broken[openapi-generator]="$(first_error "$work/oag-version.log")"
fi

versions="ours $("$ours_bin" --version 2>/dev/null | awk '{ print $2 }' || true)"
versions+=", progenitor $(cargo install --list --root "$tools" 2>/dev/null | awk '/^cargo-progenitor / { print $2 }' | tr -d ':' || true)"
oag_version=""
if [ -z "${broken[openapi-generator]:-}" ]; then oag_version=$("$oag_bin" version 2>/dev/null | tail -n 1 || true); fi
versions+=", openapi-generator $oag_version"
for tool in "${tool_names[@]}"; do
  [ -n "${broken[$tool]:-}" ] && progress "$tool is not runnable: ${broken[$tool]}"
done

# `generate TOOL FILE DIR NAME`: TOOL's command generating the crate NAME from FILE into DIR.
generate() {
  case "$1" in
    ours) measure "$3.gen.log" "$ours_bin" generate --input "$2" --out "$3" --crate-name "$4" ;;
    progenitor) measure "$3.gen.log" "$progenitor_bin" progenitor -i "$2" -o "$3" -n "$4" -v 0.1.0 ;;
    openapi-generator) measure "$3.gen.log" "$oag_bin" generate -g rust -i "$2" -o "$3" --package-name "$4" ;;
  esac
}

# Results, keyed by "TOOL/FILE".
declare -A gen_cell=() gen_s=() gen_mb=() lines=() check_cell=() check_s=() notes=()
# `run TOOL FILE KEY`: generates FILE with TOOL and checks the output, recording under KEY.
run() {
  local tool="$1" file="$2" key="$3" name dir errors f
  name=$(basename "$file" | sed -e 's/\.[^.]*$//' | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9]\+/-/g' -e 's/^-*//' -e 's/-*$//')
  dir="$work/$tool/$name"
  # Each tool's crate has a name of its own: crates that are their own workspace share build
  # artifacts in one target directory when their names and versions are the same.
  name="${tool%%-*}-$name"
  if [ -n "${broken[$tool]:-}" ]; then
    gen_cell[$key]="not runnable: ${broken[$tool]}"
    check_cell[$key]="—"
    return
  fi
  rm -rf "$dir" "$dir.deps" "$dir".*.log "$dir".*.log.time
  mkdir -p "$work/$tool"
  progress "$tool: generating $(basename "$file")"
  generate "$tool" "$file" "$dir" "$name"
  gen_mb[$key]=$((peak_kb / 1024))
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    gen_cell[$key]="timeout (${limit} s)"
    check_cell[$key]="—"
    return
  fi
  if [ "$rc" -ne 0 ] || [ ! -f "$dir/Cargo.toml" ]; then
    gen_cell[$key]="fail: $(first_error "$dir.gen.log")"
    check_cell[$key]="—"
    notes[$key]="generation log: $dir.gen.log"
    return
  fi
  gen_s[$key]="$secs"
  gen_cell[$key]="$(fmt_s "$secs") s"
  # openapi-generator logs some failures and goes on (a type it gave up on becomes `Object`).
  errors=$(grep -c '\[main\] ERROR' "$dir.gen.log" || true)
  if [ "$errors" -gt 0 ]; then
    notes[$key]="generation succeeded but logged $errors errors, the first: $(grep -m 1 '\[main\] ERROR' "$dir.gen.log" | sed -e 's/^.*\[main\] ERROR [^ ]* - //' | cell_text)"
  fi
  lines[$key]=$(rs_lines "$dir")
  if [ "$tool" = ours ]; then cp "$root/Cargo.lock" "$dir/Cargo.lock"; fi
  own_workspace "$dir"
  # Its dependencies first, untimed: the same manifest over an empty library (a peer's crate
  # resolves its versions there, and keeps that Cargo.lock).
  mkdir -p "$dir.deps/src"
  : > "$dir.deps/src/lib.rs"
  for f in Cargo.toml Cargo.lock build.rs; do
    if [ -f "$dir/$f" ]; then cp "$dir/$f" "$dir.deps/"; fi
  done
  sed -i -e "0,/^name *=.*/s//name = \"$name-deps\"/" "$dir.deps/Cargo.toml"
  progress "$tool: building the dependencies of $(basename "$file")'s crate (untimed)"
  timeout --kill-after=10 "$limit" cargo check --quiet --manifest-path "$dir.deps/Cargo.toml" >"$dir.deps.log" 2>&1 || true
  if [ -f "$dir.deps/Cargo.lock" ]; then cp "$dir.deps/Cargo.lock" "$dir/Cargo.lock"; fi
  progress "$tool: cargo check of $(basename "$file") (${lines[$key]} lines of .rs)"
  measure "$dir.check.log" cargo check --quiet --manifest-path "$dir/Cargo.toml"
  if [ "$rc" -eq 0 ]; then
    check_s[$key]="$secs"
    check_cell[$key]="ok $(fmt_s "$secs") s"
  elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    check_cell[$key]="timeout (${limit} s)"
  else
    errors=$(grep -E '^error' "$dir.check.log" | grep -cvE '^error: (could not compile|aborting due to)' || true)
    check_cell[$key]="fail ($errors errors)"
    notes[$key]="${notes[$key]:+${notes[$key]}; }check: $(first_error "$dir.check.log") (log: $dir.check.log)"
  fi
}

# --- the run ------------------------------------------------------------------------------
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for file in "${files[@]}"; do
  for tool in "${tool_names[@]}"; do
    run "$tool" "$file" "$tool/$file"
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the table ----------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
{
  echo "OpenAPI generators side by side ($versions); $(nproc) cores, load average $load_start at the start, $load_end at the end."
  echo
  echo "| file | size KB | ours gen s | ours check | progenitor gen | progenitor check | openapi-generator gen | openapi-generator check |"
  echo "|---|---:|---|---|---|---|---|---|"
  for file in "${files[@]}"; do
    row="| $(basename "$file") | $(($(stat -c %s "$file") / 1024))"
    for tool in "${tool_names[@]}"; do
      row+=" | ${gen_cell[$tool/$file]} | ${check_cell[$tool/$file]}"
    done
    echo "$row |"
  done
  echo
  echo "Generation peak memory and output size (MB of RSS / lines of .rs):"
  echo
  echo "| file | ours | progenitor | openapi-generator |"
  echo "|---|---|---|---|"
  for file in "${files[@]}"; do
    row="| $(basename "$file")"
    for tool in "${tool_names[@]}"; do
      if [ -n "${gen_s[$tool/$file]:-}" ]; then
        row+=" | ${gen_mb[$tool/$file]} MB / ${lines[$tool/$file]} lines"
      elif [ -n "${gen_mb[$tool/$file]:-}" ]; then
        row+=" | ${gen_mb[$tool/$file]} MB / —"
      else
        row+=" | —"
      fi
    done
    echo "$row |"
  done
  echo
  for tool in "${tool_names[@]}"; do
    generated=0 checked=0
    for file in "${files[@]}"; do
      [ -n "${gen_s[$tool/$file]:-}" ] && generated=$((generated + 1))
      [ -n "${check_s[$tool/$file]:-}" ] && checked=$((checked + 1))
    done
    echo "- $tool: generated $generated/${#files[@]}, cargo check ok $checked/${#files[@]}${broken[$tool]:+ (not runnable: ${broken[$tool]})}"
  done
  for peer in progenitor openapi-generator; do
    per_file="" sum_peer=0 sum_ours=0 log_sum=0 both=0
    for file in "${files[@]}"; do
      p="${gen_s[$peer/$file]:-}" o="${gen_s[ours/$file]:-}"
      if [ -z "$p" ] || [ -z "$o" ]; then continue; fi
      both=$((both + 1))
      per_file+="${per_file:+, }$(basename "$file") $(ratio "$p" "$o")×"
      sum_peer=$(awk -v a="$sum_peer" -v b="$p" 'BEGIN { print a + b }')
      sum_ours=$(awk -v a="$sum_ours" -v b="$o" 'BEGIN { print a + b }')
      log_sum=$(awk -v a="$log_sum" -v p="$p" -v o="$o" 'BEGIN { if (o > 0) print a + log(p / o); else print a }')
    done
    if [ "$both" -eq 0 ]; then
      echo "- generation time, $peer / ours: no file both generated"
    else
      geo=$(awk -v s="$log_sum" -v n="$both" 'BEGIN { printf "%.1f", exp(s / n) }')
      echo "- generation time, $peer / ours, on the $both files both generated: total $(ratio "$sum_peer" "$sum_ours")×, geometric mean ${geo}× ($per_file)"
    fi
    per_file="" both=0
    for file in "${files[@]}"; do
      p="${check_s[$peer/$file]:-}" o="${check_s[ours/$file]:-}"
      if [ -z "$p" ] || [ -z "$o" ]; then continue; fi
      both=$((both + 1))
      per_file+="${per_file:+, }$(basename "$file") $(ratio "$p" "$o")×"
    done
    [ "$both" -gt 0 ] && echo "- cargo check time, $peer / ours, on the $both files both checked: $per_file"
  done
  has_notes=""
  for file in "${files[@]}"; do
    for tool in "${tool_names[@]}"; do
      [ -n "${notes[$tool/$file]:-}" ] || continue
      [ -z "$has_notes" ] && { echo; echo "Failures:"; echo; has_notes=1; }
      echo "- $(basename "$file"), $tool: ${notes[$tool/$file]}"
    done
  done
  true
} | tee "$bench/results.md"
