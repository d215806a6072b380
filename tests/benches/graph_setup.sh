# Sourced by the Graph benchmarks from the checkout's root, with their arguments: sets
# `metadata` (the first argument, default ../shared/graph/v1.0/metadata.xml beside the
# checkout; the benchmark says SKIPPED and ends when it is missing) and `bin` (the release
# codegen binary, built here).
metadata="${1:-../shared/graph/v1.0/metadata.xml}"
if [ ! -f "$metadata" ]; then
  echo "SKIPPED: $metadata is missing" >&2
  exit 0
fi
cargo build --release --quiet --bin codegen
bin="target/release/codegen"
