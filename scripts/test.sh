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

step "the core builds for wasm32-unknown-unknown"
cargo check --locked --lib --target wasm32-unknown-unknown

step "Rust tests (unit, fixtures, properties, CLI)"
cargo test --locked --features cli

step "Node: HashiCorp HCL parser and formatter, PyYAML, on fixtures and real CLI output"
cargo build --locked --features cli
npm test

step "all checks passed in $((SECONDS - start)) s"
