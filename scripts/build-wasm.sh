#!/usr/bin/env bash
# Build the WebAssembly packages:
#   pkg/node  the whole core (validation, scaffold), CommonJS, for the Backstage backend;
#   pkg/web   validation only (no YAML/HCL editors), an ES module with an explicit async init,
#             for the wizard in the browser, where size matters.
# wasm-bindgen-cli must match Cargo.lock's wasm-bindgen exactly; scripts/setup.sh installs it.
set -euo pipefail
cd "$(dirname "$0")/.."
out_dir=target/wasm32-unknown-unknown/wasm-release

build() { # features, wasm-bindgen target, output directory
  cargo build --quiet --locked --lib --target wasm32-unknown-unknown --profile wasm-release $1
  rm -rf "$3"
  wasm-bindgen --target "$2" --out-dir "$3" --remove-name-section --remove-producers-section \
    "$out_dir/ecr_registrar.wasm"
  printf 'built %-9s %8s bytes of wasm, %7s gzipped\n' "$3" \
    "$(wc -c < "$3/ecr_registrar_bg.wasm")" "$(gzip -9c "$3/ecr_registrar_bg.wasm" | wc -c)"
}
build "" nodejs pkg/node
# The root package is an ES module; the nodejs target is CommonJS.
printf '{ "type": "commonjs" }\n' > pkg/node/package.json
build --no-default-features web pkg/web
