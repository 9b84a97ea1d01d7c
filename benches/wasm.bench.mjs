// `npm run bench`: the WebAssembly targets of issue 3, measured in Node and in headless Chromium,
// and those of issue 26: `scaffold`, `update`, `decommission` and `changes` on 1,000- and
// 10,000-entry files, each by the native core in process (benches/native.rs, built here by
// cargo), the native CLI process (the release binary: start, read, edit, verify, write with fsync;
// `changes` also runs git) and the WebAssembly build in Node (pkg/node, the texts already in
// memory), in one run, with the ratios. Prints tables (and JSON with --json); min and median of
// several rounds. `--core` runs only the issue-26 comparison. Record results in BENCHMARKS.md with
// the machine, the date and the load. Nothing here asserts a time: benchmarks, not tests.
// Needs: npm run build; cargo build --release --locked --features aws (or ECR_REGISTRAR_BIN).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { openPage, root } from '../tests/browser/harness.mjs';
import { compareCore, coreTable } from './core.mjs';
import { median } from './lib.mjs';

const rows = [];
const row = (what, value, unit, target) => {
  rows.push({ what, value: Number(value.toFixed(3)), unit, target, met: target === undefined ? undefined : value <= target });
};

const onlyCore = process.argv.includes('--core');
let ua = '';

if (!onlyCore) {
  const require = createRequire(import.meta.url);
  const node = require(path.join(root, 'pkg/node/ecr_registrar.js'));
  const web = await import(path.join(root, 'pkg/web/ecr_registrar.js'));
  web.initSync({ module: fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm')) });

  // Size of the browser module.
  const wasm = fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm'));
  const gz = zlib.gzipSync(wasm, { level: 9 }).length;
  row('pkg/web wasm, gzip -9', gz / 1024, 'KiB', 100 * 1000 / 1024);
  row('pkg/web wasm, raw', wasm.length / 1024, 'KiB');

  // validateField: 100,000 calls per round, median of 7 rounds, per call.
  function perCall(validateField, value, calls = 100_000, rounds = 7) {
    const times = [];
    for (let r = 0; r < rounds; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) validateField('name', value);
      times.push(Number(process.hrtime.bigint() - t0) / calls / 1000);
    }
    return median(times);
  }
  row('validateField, valid name, Node (pkg/web)', perCall(web.validateField, 'payments-api'), 'µs', 2);
  row('validateField, valid name, Node (pkg/node)', perCall(node.validateField, 'payments-api'), 'µs', 2);
  row('validateField, invalid name, Node (pkg/web)', perCall(web.validateField, 'Payments_API-', 20_000), 'µs');
}

// Issue 26: the core natively, as a process, and in WebAssembly (benches/core.mjs).
const core = compareCore();

if (!onlyCore) {
  // Chromium, a fresh browser per round: compile + instantiate from bytes already fetched (the
  // target), and the same including the fetch from 127.0.0.1 (what a first page load sees).
  let page, close;
  for (const [label, query, target] of [['from bytes', '?preload', 30], ['with fetch', '', undefined]]) {
    const inst = [];
    for (let i = 0; i < 7; i++) {
      ({ page, close } = await openPage(query));
      inst.push(await page.evaluate(() => window.instantiateMs));
      await close();
    }
    row(`instantiate pkg/web ${label}, Chromium`, median(inst), 'ms', target);
  }
  ({ page, close } = await openPage());
  for (const [label, value, calls] of [['valid', 'payments-api', 100_000], ['invalid', 'Payments_API-', 20_000]]) {
    const us = await page.evaluate(([v, calls]) => {
      const times = [];
      for (let r = 0; r < 7; r++) {
        const t0 = performance.now();
        for (let i = 0; i < calls; i++) window.core.validateField('name', v);
        times.push(((performance.now() - t0) * 1000) / calls);
      }
      return times.sort((a, b) => a - b)[3];
    }, [value, calls]);
    row(`validateField, ${label} name, Chromium`, us, 'µs', label === 'valid' ? 2 : undefined);
  }
  ua = await page.evaluate(() => navigator.userAgent);
  await close();
}

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ node: process.version, chromium: ua, rows, core }, null, 2));
} else {
  console.log(`node ${process.version}; ${ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? 'no browser (--core)'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (const r of rows) {
    const target = r.target === undefined ? '' : `target ≤ ${r.target.toFixed(r.unit === 'KiB' ? 1 : 0)} ${r.unit}: ${r.met ? 'met' : 'MISSED'}`;
    console.log(`${r.what.padEnd(46)} ${String(r.value).padStart(9)} ${r.unit.padEnd(4)} ${target}`);
  }
  console.log(`\n${coreTable(core)}`);
}
