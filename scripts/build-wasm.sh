#!/usr/bin/env bash
# Build the WebAssembly packages: pkg/node (CommonJS, for the Backstage backend) and pkg/web (ES
# module with an explicit async init, for the wizard). wasm-bindgen-cli must match Cargo.lock's
# wasm-bindgen exactly; scripts/setup.sh installs that version.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --locked --lib --target wasm32-unknown-unknown --profile wasm-release
wasm=target/wasm32-unknown-unknown/wasm-release/ecr_registrar.wasm
for target in nodejs web; do
  out=pkg/${target/nodejs/node}
  rm -rf "$out"
  wasm-bindgen --target "$target" --out-dir "$out" --remove-name-section --remove-producers-section "$wasm"
done
# The root package is an ES module; the nodejs target is CommonJS.
printf '{ "type": "commonjs" }\n' > pkg/node/package.json
printf 'built pkg/node and pkg/web (%s bytes of wasm, %s gzipped)\n' \
  "$(wc -c < pkg/web/ecr_registrar_bg.wasm)" "$(gzip -9c pkg/web/ecr_registrar_bg.wasm | wc -c)"
