#!/usr/bin/env bash
# Install what the demo and the tests need on a fresh machine of this kind (Debian, rustup, Node,
# Python). Idempotent: every step checks first, so a warm machine pays a few seconds at most.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*"; }

# Rust: formatter, linter and the WebAssembly target (the core must build for wasm32).
installed_components=$(rustup component list --installed 2>/dev/null || true)
for c in rustfmt clippy; do
  grep -q "^$c" <<<"$installed_components" || { say "rustup component add $c"; rustup component add "$c"; }
done
rustup target list --installed | grep -qx wasm32-unknown-unknown \
  || { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }

[[ ${1:-} == --rust-only ]] && exit 0

# cargo-fuzz for the fuzz targets (libFuzzer builds from C++ sources with the machine's g++).
command -v cargo-fuzz >/dev/null || { say "cargo install cargo-fuzz (under a minute, once)"; cargo install --quiet --locked cargo-fuzz --version 0.13.2; }

# wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version (no --locked: the registry lacks a
# pinned transitive version). It also provides wasm-bindgen-test-runner.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [[ $have != "$want" ]]; then
  say "cargo install wasm-bindgen-cli --version $want (a few minutes, once)"
  cargo install --quiet wasm-bindgen-cli --version "$want"
fi

# Node packages (HashiCorp's HCL parser and formatter, Backstage's test utilities, playwright-core,
# TypeScript), pinned by the lock file.
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "npm ci"
  # --ignore-scripts: nothing the project uses needs an install script, and they would build
  # better-sqlite3 (a backend-test-utils dependency the tests never load) from C for minutes.
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# PyYAML: the platform's own tooling reads the catalog with it; the oracle tests do too.
python3 -c 'import yaml' 2>/dev/null || { say "pip install pyyaml"; python3 -m pip install --quiet pyyaml; }
# moto server: the real ECR emulator the sync tests run against.
python3 -c 'import moto.server, flask' 2>/dev/null \
  || { say "pip install moto[server]"; python3 -m pip install --quiet --disable-pip-version-check "moto[server]"; }

# jq: the example GitHub workflows use it (GitHub's runners have it); their test runs their steps.
if ! command -v jq >/dev/null; then
  say "apt-get install jq"
  sudo_=""; [[ $(id -u) == 0 ]] || sudo_=sudo
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq jq >/dev/null
fi

# binaryen's wasm-opt: `npm run build` shrinks the browser's module with it (scripts/build-wasm.sh).
if ! command -v wasm-opt >/dev/null; then
  say "apt-get install binaryen"
  sudo_=""; [[ $(id -u) == 0 ]] || sudo_=sudo
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq binaryen >/dev/null
fi

# Debian's PostgreSQL for the Backstage backend test (a throwaway cluster on 127.0.0.1 per run).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "apt-get install postgresql"
  sudo_=""; [[ $(id -u) == 0 ]] || sudo_=sudo
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq postgresql >/dev/null
fi

# Debian's Chromium for the browser test (driven by playwright-core; no browser download).
if ! command -v chromium >/dev/null; then
  say "apt-get install chromium"
  sudo_=""; [[ $(id -u) == 0 ]] || sudo_=sudo
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium >/dev/null
fi
