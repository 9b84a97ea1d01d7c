// `npm run bench:bounded` (issue 21, item 8): every WebAssembly export that takes a large input,
// on the inputs of `cargo bench --bench bounded` (about 1 MB each, hostile shapes included), each
// answered or refused within 100 ms. benches/bounded.rs builds the inputs and, with BOUNDED_WASM,
// writes each call's arguments as JavaScript passes them; this times them in pkg/node (the
// Backstage backend's build), the texts already in memory, the result converted to JavaScript
// values. Each row: 7 runs (1 when the first is over 1 s) after one untimed run, min and median.
// Exits 1 when a median is over the bound, as the native bench does. Record results in
// BENCHMARKS.md with the machine, the date and the load. Needs: npm run build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { benchExecutable, median, root } from './lib.mjs';

const BOUND_MS = 100;
const RUNS = 7;
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
const wasm = createRequire(import.meta.url)(path.join(root, 'pkg/node/ecr_registrar.js'));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-bounded-'));
let calls;
try {
  const file = path.join(dir, 'calls.json');
  execFileSync(benchExecutable('bounded'), [], { env: { ...process.env, BOUNDED_WASM: file }, stdio: ['ignore', 'ignore', 'inherit'] });
  calls = JSON.parse(fs.readFileSync(file, 'utf8'));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** What a call answered, in the native table's words. */
function answer(f) {
  try {
    const out = f();
    if (Array.isArray(out)) return `${out.length} problems`;
    if (out?.guard) return `${out.changes.length} changes, ${out.guard.problems.length} guard problems`;
    if (out?.problems) return `${out.problems.length} problems`;
    if (out?.files) return `${out.files.length} files`;
    if (out?.owners) return `read (${out.owners.length} owners)`;
    if (typeof out === 'string') return `${Buffer.byteLength(out)} bytes`;
    return out?.changed === false ? 'unchanged' : 'edited';
  } catch (e) {
    return `refused (${e.code ?? e.message})`;
  }
}

const f1 = (x) => x.toFixed(1);
console.log(`| export: input | size | answer | min of ${RUNS} | median |`);
console.log('| --- | --- | --- | --- | --- |');
let over = 0;
for (const { what, size, call, args } of calls) {
  if (filter && !what.includes(filter)) continue;
  const f = () => wasm[call](...args);
  let said = answer(f);
  const ms = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    said = answer(f);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (ms[0] > 1000) break;
  }
  const flag = median(ms) > BOUND_MS ? ' **over**' : '';
  if (flag) over++;
  console.log(`| ${what} | ${Math.floor(size / 1024)} KB | ${said} | ${f1(Math.min(...ms))} ms | ${f1(median(ms))} ms${flag} |`);
}
const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
console.log(`\nnode ${process.version}; load average ${load}`);
if (over > 0) {
  console.error(`${over} row(s) over the bound of ${BOUND_MS} ms`);
  process.exit(1);
}
