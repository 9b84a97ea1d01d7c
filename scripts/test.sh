#!/usr/bin/env bash
# Every test and quality gate, as CI runs it (.ci/run calls this script).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

step() { printf '\n==> %s\n' "$*"; }
start=$SECONDS

step "cargo fmt --check"
cargo fmt --all -- --check

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

step "Rust tests (unit, fixtures, properties, CLI, shared cases)"
cargo test --locked --features cli
step "Rust tests, validation only (the browser's feature set)"
cargo test --locked --no-default-features --lib --test conformance

step "WebAssembly exports: wasm-bindgen-test in Node"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --locked --target wasm32-unknown-unknown --test wasm

step "Node: TypeScript declarations (tsc); oracles (HashiCorp HCL parser and formatter, PyYAML); WebAssembly == CLI; Backstage actions, module, template and field; headless Chromium; sync against moto"
cargo build --locked --features aws
npm run build
npm test

step "Fuzzing: catalog, tfvars, validator, lifecycle (cargo fuzz, fixed seed and run count; longer runs in BENCHMARKS.md)"
FUZZ_RUNS=${FUZZ_RUNS:-100000} scripts/fuzz.sh

step "all checks passed in $((SECONDS - start)) s"
