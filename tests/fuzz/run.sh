#!/usr/bin/env bash
# Coverage-guided fuzzing of the front ends (CSDL XML and JSON, OpenAPI, reference pages),
# naming, and the runtime's encoders and readers, with cargo-fuzz (libFuzzer). No nightly
# toolchain can be downloaded here: RUSTC_BOOTSTRAP=1 lets the stable toolchain build with
# the sanitizer flags cargo-fuzz passes.
#
#   tests/fuzz/run.sh [MINUTES] [TARGET...]     (default: 10 minutes each, every target;
#                                               FUZZ_SECONDS=N for a shorter smoke run)
#
# Each target starts from its committed corpus (corpus/<target>/: seeds written by us, and what
# earlier runs kept) and adds what it finds there. A crash is saved under artifacts/<target>/
# and ends the run with its input; turn each into a regression test
# (tests/tests/fuzz_regressions.rs). Prints a table: executions, coverage, corpus size.
set -euo pipefail
cd "$(dirname "$0")"
minutes=${1:-10}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(csdl_xml csdl_json openapi docs_page names runtime)
fi
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
mkdir -p logs
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  echo "== $target: $minutes min"
  if ! cargo fuzz run --fuzz-dir . "$target" "corpus/$target" -- \
      -max_total_time="${FUZZ_SECONDS:-$((minutes * 60))}" -max_len=65536 -timeout=30 -rss_limit_mb=4096 \
      -artifact_prefix="artifacts/$target/" -print_final_stats=1 >"logs/$target.log" 2>&1; then
    echo "   CRASH: see logs/$target.log and artifacts/$target/"
    status=1
  fi
done
echo
echo "| target | executions | exec/s | coverage (edges) | features | corpus | crashes |"
echo "|---|---|---|---|---|---|---|"
for target in "${targets[@]}"; do
  log="logs/$target.log"
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  corpus=$(find "corpus/$target" -type f | wc -l)
  crashes=$(find "artifacts/$target" -type f | wc -l)
  echo "| $target | ${runs:-?} | ${speed:-?} | ${cov:-?} | ${ft:-?} | $corpus | $crashes |"
done
exit $status
