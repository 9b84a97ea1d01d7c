#!/usr/bin/env bash
# Build the WebAssembly packages:
#   pkg/node  the whole core (validation, scaffold), CommonJS, for the Backstage backend;
#   pkg/web   validation only (no YAML/HCL editors), an ES module with an explicit async init,
#             for the wizard in the browser, where size matters.
# wasm-bindgen-cli must match Cargo.lock's wasm-bindgen exactly; wasm-opt is binaryen's (Debian's
# `binaryen` package); scripts/setup.sh installs both. Without wasm-opt the packages still build,
# unoptimised, with a warning.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the module uses beyond the MVP (rustc's defaults for wasm32-unknown-unknown), for wasm-opt.
WASM_FEATURES=(--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
  --enable-bulk-memory --enable-reference-types --enable-multivalue)

# wasm-bindgen's glue copies a string argument into the module's memory without checking that it
# is one: a number, boolean or object has no `length`, the copy is given NaN, and the module traps
# ("memory access out of bounds", issue 21 item 8). Every string argument of every export passes
# through passStringToWasm0: it now throws a TypeError with code invalid_argument first. The build
# fails if the glue no longer has the function (a new wasm-bindgen: look again). A string with a
# lone surrogate is refused the same way: the copy would make it U+FFFD (another text than the one
# given), where an object argument's JSON would fail to parse.
# The largest text any export takes is a listing (crate::MAX_LISTING_BYTES, 64 MiB); a string with
# more UTF-16 units than that has more UTF-8 bytes too. Refused before it is copied into the
# module (the copy alone of 64 MiB took a third of a second: the hostile suite's F9).
MAX_STRING_UNITS=$((64 << 20))
guard_strings() {
  local glue=$1 head='function passStringToWasm0(arg, malloc, realloc) {'
  grep -qF "$head" "$glue" || { echo "error: $glue has no passStringToWasm0 to guard" >&2; exit 1; }
  perl -0pi -e 's/\Q'"$head"'\E/'"$head"'\n    if (typeof arg !== "string") throw Object.assign(new TypeError(`expected a string argument, not \${arg === null ? "null" : typeof arg}`), { code: "invalid_argument" });\n    if (typeof arg.isWellFormed === "function" \&\& !arg.isWellFormed()) throw Object.assign(new TypeError("a string argument with a lone surrogate is not text"), { code: "invalid_argument" });\n    if (arg.length > '"$MAX_STRING_UNITS"') throw Object.assign(new RangeError(`a string argument of \${arg.length} characters; the largest any call takes is '"$MAX_STRING_UNITS"'`), { code: "too_large" });/' "$glue"
  grep -q 'expected a string argument' "$glue" || { echo "error: could not guard $glue" >&2; exit 1; }
}

# Exports whose string (or request object) arguments are short by nature get a tighter bound,
# checked before the copy: a 64 Mi-character name cost entityName 580 ms to copy and return (the
# hostile suite's F9 residue), and validateRequest's object was stringified in full before the core
# measured it. `export:argument-index:max UTF-16 units` (an object argument: the characters of its
# JSON, as the core reads it). 1 MiB answers any input of up to 1 MB, as issue 21 asks; configs keep
# MAX_CONFIG_BYTES; a field's name 1 Ki.
BOUNDS=(entityName:0:1048576 registryId:0:1048576 alreadyRequested:0:1048576
  alreadyRequested:1:1048576 alreadyRequested:2:1048576 validateField:0:1024 validateField:1:1048576
  validateRequest:0:1048576 configFromYaml:0:262144)
bound_exports() {
  local glue=$1 entry name index max
  cat >> "$glue" <<'JS'
// An argument read once: a string as it is; anything else as the JSON.stringify text the core
// would read, counted as it is written and stopped past `max` characters or 4,096 values, then
// parsed back into plain data for the core. Getters, toJSON and proxies are read this once (a
// second read could differ), arrays longer than 4,096 and typed arrays stop the count before
// JSON enumerates them, and escapes count in the text's length.
function __ecrOnce(call, value, index, max) {
    const noText = () => Object.assign(new TypeError("a string argument with a lone surrogate is not text"), { code: "invalid_argument" });
    const tooLarge = (what) => Object.assign(new RangeError(`${call}: argument ${index + 1} ${what}; it takes at most ${max}`), { code: "too_large" });
    if (typeof value === "string") {
        if (typeof value.isWellFormed === "function" && !value.isWellFormed()) throw noText();
        if (value.length > max) throw tooLarge(`has ${value.length} characters`);
        return value;
    }
    if (value === null || typeof value !== "object") return value;
    const stop = {};
    let n = 0, values = 0, many = false;
    let text;
    try {
        text = JSON.stringify(value, function (key, v) {
            if (typeof key.isWellFormed === "function" && !key.isWellFormed()) throw noText();
            if (++values > 4096 || ((Array.isArray(v) || ArrayBuffer.isView(v)) && v.length > 4096)) { many = true; throw stop; }
            n += key.length + 1;
            const s = typeof v === "string" ? v : v instanceof String ? String(v) : null;
            if (s !== null) {
                if (typeof s.isWellFormed === "function" && !s.isWellFormed()) throw noText();
                n += s.length;
            }
            if (n > max) throw stop;
            return v;
        });
    } catch (e) {
        if (e !== stop) throw e;
        throw tooLarge(many ? "holds more than 4096 values" : `has more than ${max} characters`);
    }
    if (text === undefined) return value;
    if (text.length > max) throw tooLarge(`has more than ${max} characters`);
    return JSON.parse(text);
}
JS
  for entry in "${BOUNDS[@]}"; do
    IFS=: read -r name index max <<< "$entry"
    grep -qE "^(export )?function $name\(" "$glue" || continue
    perl -0pi -e 's/^((?:export )?function '"$name"'\(([^)]*)\) \{\n)/my @p = split m{,\s*}, $2; "$1    $p['"$index"'] = __ecrOnce(\"'"$name"'\", $p['"$index"'], '"$index"', '"$max"');\n"/me' "$glue"
  done
}

# Panic locations name their source files; from crates.io's sources they would carry this
# machine's cargo home (/root/.cargo/registry/src/index.crates.io-…/): remapped to the crate's own
# path, the modules are the same bytes on every machine (and pkg/web 55 B smaller gzipped).
REMAP=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [[ -d $dir ]] && REMAP+=" --remap-path-prefix=$dir="
done

build() { # cargo profile, features, wasm-bindgen target, output directory, extra RUSTFLAGS, wasm-opt flags
  RUSTFLAGS="${RUSTFLAGS:-}$REMAP $5" \
    cargo build --quiet --locked --lib --target wasm32-unknown-unknown --profile "$1" $2
  local wasm="target/wasm32-unknown-unknown/$1/ecr_registrar.wasm"
  # wasm-opt runs before wasm-bindgen: binaryen 108 (Debian 12) rewrites the export of
  # wasm-bindgen's externref table to the function table, and the module no longer loads.
  if [[ -n $6 ]] && command -v wasm-opt >/dev/null; then
    mkdir -p "target/wasm-opt/$1"
    local -a opt_flags
    read -ra opt_flags <<< "$6"
    wasm-opt "${opt_flags[@]}" "${WASM_FEATURES[@]}" "$wasm" -o "target/wasm-opt/$1/ecr_registrar.wasm"
    wasm="target/wasm-opt/$1/ecr_registrar.wasm"
  elif [[ -n $6 ]]; then
    echo "warning: wasm-opt not found (scripts/setup.sh installs binaryen): $4 is not optimised" >&2
  fi
  rm -rf "$4"
  wasm-bindgen --target "$3" --out-dir "$4" --remove-name-section --remove-producers-section "$wasm"
  guard_strings "$4/ecr_registrar.js"
  bound_exports "$4/ecr_registrar.js"
  printf 'built %-9s %8s bytes of wasm, %7s gzipped\n' "$4" \
    "$(wc -c < "$4/ecr_registrar_bg.wasm")" "$(gzip -9c "$4/ecr_registrar_bg.wasm" | wc -c)"
}
# The backend build is optimised for speed (scaffold, update, decommission, changes on large
# files): opt-level 3 and WebAssembly SIMD (Node has it since 16.4), which the memchr searches of
# the editors use. The browser one is optimised for size, without SIMD (older Safari lacks it).
# What each step buys: BENCHMARKS.md, issue 26.
build release "" nodejs pkg/node "-C target-feature=+simd128" "${NODE_WASM_OPT-}"
# The root package is an ES module; the nodejs target is CommonJS.
printf '{ "type": "commonjs" }\n' > pkg/node/package.json
build wasm-release --no-default-features web pkg/web "" "${WEB_WASM_OPT--Oz --converge}"
