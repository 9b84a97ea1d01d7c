// `npm run bench:backend`: what loading this package's module adds to a real Backstage backend
// (issue 11; BENCHMARKS.md). The minimal backend of tests/backstage (backend-defaults, catalog,
// scaffolder) on a throwaway PostgreSQL, started ROUNDS times with the module and ROUNDS times
// without, alternating, each with fresh databases: time from spawn to the scaffolder answering,
// and the process's resident memory 2 s after. Also the module's own import in a bare Node.
// Needs: npm run build; PostgreSQL (scripts/setup.sh).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { installPacked } from '../tests/backstage/pack.mjs';
import { startPostgres } from '../tests/backstage/postgres.mjs';
import { startBackend } from '../tests/backstage/harness.mjs';
import { median } from './lib.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const installed = installPacked('bench-backend-');
const pg = await startPostgres();
const rows = [];
try {
  const runs = { with: { ms: [], rss: [] }, without: { ms: [], rss: [] } };
  for (let i = 0; i < ROUNDS * 2; i++) {
    const module = i % 2 === 0;
    const b = await startBackend({ consumer: installed.consumer, pg, module, prefix: `bench${i}_` });
    await new Promise((r) => setTimeout(r, 2000));
    const r = runs[module ? 'with' : 'without'];
    r.ms.push(b.ms);
    r.rss.push(rssMb(b.pid));
    await b.stop();
  }
  for (const k of ['without', 'with']) {
    rows.push([`backend ${k} the module: spawn to ready (median of ${ROUNDS})`, `${median(runs[k].ms).toFixed(0)} ms`, `RSS 2 s later ${median(runs[k].rss).toFixed(1)} MB`]);
  }
  rows.push([
    'added by the module',
    `${(median(runs.with.ms) - median(runs.without.ms)).toFixed(0)} ms`,
    `${(median(runs.with.rss) - median(runs.without.rss)).toFixed(1)} MB`,
  ]);
  // The module alone: import time and memory in a fresh Node (the WebAssembly core included).
  const probe = `const m0 = process.memoryUsage().rss; const t0 = performance.now();
    const m = await import('ecr-registrar/backstage'); m.createEcrActions();
    console.log(JSON.stringify({ ms: performance.now() - t0, mb: (process.memoryUsage().rss - m0) / 1048576 }));`;
  const alone = Array.from({ length: ROUNDS }, () => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: installed.consumer, encoding: 'utf8' })));
  rows.push([`import('ecr-registrar/backstage') + createEcrActions() in a bare Node (median of ${ROUNDS})`, `${median(alone.map((a) => a.ms)).toFixed(1)} ms`, `+${median(alone.map((a) => a.mb)).toFixed(1)} MB RSS`]);
} finally {
  pg.stop();
  installed.remove();
}
console.log('| measurement | time | memory |\n| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
