#!/usr/bin/env bash
# Fuzz the editors and validators with cargo-fuzz (libFuzzer), each target for SECONDS (default 30).
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: catalog tfvars validate lifecycle
#   FUZZ_RUNS=N scripts/fuzz.sh                N executions each from a fixed seed instead: the
#                                              same inputs every time (what the test command runs)
# Seeds are the fixtures' inputs; any input taking over 1 s is a failure (libFuzzer's -timeout),
# as is a crash or a failed property. Exit non-zero on any finding; the input is in fuzz/artifacts.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 allows them on the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
targets=("${@:-catalog}")
[[ $# -gt 0 ]] || targets=(catalog tfvars validate lifecycle)

command -v cargo-fuzz >/dev/null || cargo install --quiet --locked cargo-fuzz --version 0.13.2
export RUSTC_BOOTSTRAP=1
cargo fuzz build --sanitizer none -O >/dev/null

seeds() { # target -> seed directories
  case $1 in
    catalog) find tests/fixtures/catalog -name 'input.yaml' -printf '%h\n' ;;
    tfvars) find tests/fixtures/tfvars -name 'input.tfvars' -printf '%h\n' ;;
    lifecycle) echo tests/fixtures ;;
    validate) echo tests/cases ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  corpus="fuzz/corpus/$t"
  [[ -n ${FUZZ_RUNS:-} ]] && corpus="fuzz/corpus-seeded/$t"
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  log=$(mktemp)
  # -close_fd_mask=3: the targets print nothing; keep libFuzzer's own summary on stderr.
  if [[ -n ${FUZZ_RUNS:-} ]]; then
    # A fresh corpus of its own each time, so that the run depends only on the seeds and the code
    # (the time-bounded runs keep growing fuzz/corpus).
    rm -rf "$corpus"; mkdir -p "$corpus"
    budget=(-runs="$FUZZ_RUNS" -seed=1)
  else
    budget=(-max_total_time="$seconds")
  fi
  if cargo fuzz run --sanitizer none -O "$t" "$corpus" $(seeds "$t") -- \
      "${budget[@]}" -timeout=1 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED; status=1
    grep -E "panicked|ERROR|Test unit written|timeout" "$log" | head -20
  fi
  runs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log")
  printf 'fuzz %-10s %s: %s executions, corpus %s inputs\n' "$t" "$result" "${runs:-?}" "$(ls "$corpus" | wc -l)"
  rm -f "$log"
done
exit $status
