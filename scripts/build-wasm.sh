#!/usr/bin/env bash
# Build the WebAssembly packages:
#   pkg/node  the whole core (validation, scaffold), CommonJS, for the Backstage backend;
#   pkg/web   validation only (no YAML/HCL editors), an ES module with an explicit async init,
#             for the wizard in the browser, where size matters.
# wasm-bindgen-cli must match Cargo.lock's wasm-bindgen exactly; scripts/setup.sh installs it.
set -euo pipefail
cd "$(dirname "$0")/.."

build() { # cargo profile, features, wasm-bindgen target, output directory
  cargo build --quiet --locked --lib --target wasm32-unknown-unknown --profile "$1" $2
  rm -rf "$4"
  wasm-bindgen --target "$3" --out-dir "$4" --remove-name-section --remove-producers-section \
    "target/wasm32-unknown-unknown/$1/ecr_registrar.wasm"
  printf 'built %-9s %8s bytes of wasm, %7s gzipped\n' "$4" \
    "$(wc -c < "$4/ecr_registrar_bg.wasm")" "$(gzip -9c "$4/ecr_registrar_bg.wasm" | wc -c)"
}
# The backend build is optimised for speed (scaffold on large files), the browser one for size.
build release "" nodejs pkg/node
# The root package is an ES module; the nodejs target is CommonJS.
printf '{ "type": "commonjs" }\n' > pkg/node/package.json
build wasm-release --no-default-features web pkg/web
