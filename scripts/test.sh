#!/usr/bin/env bash
# Every test and quality gate, as CI runs it (.ci/run calls this script with no argument).
#   scripts/test.sh                 every stage, in order: lint rust wasm node fuzz
#   scripts/test.sh <stage> ...     only those stages (scripts/test.sh --help lists them)
# scripts/setup.sh runs first whatever the stages: it installs what is missing and is quick when
# nothing is.
set -euo pipefail
cd "$(dirname "$0")/.."

stages=(lint rust wasm node fuzz)

usage() {
  cat <<'EOF'
usage: scripts/test.sh [stage ...]

With no stage, runs every stage in this order, exactly as CI does (.ci/run).

stages:
  lint   cargo fmt --check; no two modules import each other (scripts/module-cycles.py);
         clippy -D warnings for the default, cli, aws and validation-only feature sets and
         for wasm32 (whole core and validation only)
  rust   the Rust tests with --features cli (unit, integration, doctests), then the
         validation-only feature set (the browser's)
  wasm   the WebAssembly exports under wasm-bindgen-test in Node
  node   cargo build --features aws, npm run build (WebAssembly, tsc), npm test (the Node and
         browser tests, the Backstage backend, sync against moto)
  fuzz   cargo fuzz on the editors and validators, fixed seed (FUZZ_RUNS, default 100000)

One test, one file, fixtures: CONTRIBUTING.md.
EOF
}

selected=()
for arg in "$@"; do
  case $arg in
    -h | --help) usage; exit 0 ;;
    lint | rust | wasm | node | fuzz) selected+=("$arg") ;;
    *) printf 'scripts/test.sh: unknown stage %q\n\n' "$arg" >&2; usage >&2; exit 2 ;;
  esac
done
[[ ${#selected[@]} -gt 0 ]] || selected=("${stages[@]}")

step() { printf '\n==> %s\n' "$*"; }

stage_lint() {
  step "cargo fmt --check"
  cargo fmt --all -- --check

  step "no two modules import each other"
  python3 scripts/module-cycles.py

  step "clippy (core)"
  cargo clippy --locked --all-targets -- -D warnings
  step "clippy (cli)"
  cargo clippy --locked --all-targets --features cli -- -D warnings
  step "clippy (aws: sync lists ECR through aws-sdk-ecr)"
  cargo clippy --locked --all-targets --features aws -- -D warnings

  step "clippy (validation only: the browser's feature set)"
  cargo clippy --locked --all-targets --no-default-features -- -D warnings
  step "clippy (wasm32: the core, the WebAssembly layer and its tests; whole and validation only)"
  cargo clippy --locked --target wasm32-unknown-unknown --lib --test wasm -- -D warnings
  cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --lib --test wasm -- -D warnings
}

stage_rust() {
  step "Rust tests (unit, fixtures, properties, CLI, shared cases)"
  cargo test --locked --features cli
  step "Rust tests, validation only (the browser's feature set)"
  cargo test --locked --no-default-features --lib --test conformance
}

stage_wasm() {
  step "WebAssembly exports: wasm-bindgen-test in Node"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --locked --target wasm32-unknown-unknown --test wasm
}

stage_node() {
  step "Node: TypeScript declarations (tsc); oracles (HashiCorp HCL parser and formatter, PyYAML); WebAssembly == CLI; Backstage actions, module, template and field; headless Chromium; sync against moto"
  cargo build --locked --features aws
  npm run build
  npm test
}

stage_fuzz() {
  step "Fuzzing: catalog, tfvars, validator, lifecycle (cargo fuzz, fixed seed and run count; longer runs in BENCHMARKS.md)"
  FUZZ_RUNS=${FUZZ_RUNS:-100000} scripts/fuzz.sh
}

scripts/setup.sh
start=$SECONDS
for s in "${stages[@]}"; do
  for want in "${selected[@]}"; do
    [[ $s == "$want" ]] && { "stage_$s"; break; }
  done
done

if [[ $# -eq 0 ]]; then
  step "all checks passed in $((SECONDS - start)) s"
else
  step "stage(s) ${selected[*]} passed in $((SECONDS - start)) s"
fi
