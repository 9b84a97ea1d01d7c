// Issue 26, for `npm run bench` (benches/wasm.bench.mjs): `scaffold`, `update`, `decommission` and
// `changes` on the same 1,000- and 10,000-entry files, in one run, by
//   - the native core in process: benches/native.rs, built by cargo here (bench profile = release);
//   - the native CLI process: the release binary (lib.mjs), which starts, reads both files, edits,
//     verifies and writes both with fsync (restored before each run, untimed); its `changes` reads
//     both revisions through git in a throwaway repository;
//   - the WebAssembly build in Node: pkg/node, called with the texts already in memory, its result
//     converted to JavaScript values (what the Backstage actions do).
// Each figure: min and median of several rounds after one untimed run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { benchExecutable, median, releaseBin, root } from './lib.mjs';

const require = createRequire(import.meta.url);
const CALLS = ['scaffold', 'update', 'decommission', 'changes'];
const TODAY = '2026-11-21';

/** Catalog and tfvars texts with `n` entries in the platform's layout (benches/core.rs's). */
export function platformFiles(n) {
  let catalog = 'version: "1.0"\ndomain: delivery\nowner: platform-team\nlast_updated: "2026-01-09"\nmanaged_by: platform-team\nrepositories:\n';
  let tfvars = 'aws_region  = "eu-west-2"\nenvironment = "dev"\n\necr_repositories = {\n';
  for (let i = 0; i < n; i++) {
    const name = `service-${String(i).padStart(6, '0')}`;
    const id = `REGISTRY_${name.toUpperCase().replaceAll('-', '_')}`;
    catalog += `  ${name}:\n    metadata:\n      id: ${id}\n      owner: app-team\n      risk: low\n      environment: dev\n      created_date: "2026-01-05"\n      status: active\n`;
    tfvars += `  "${name}" = {\n    metadata = {\n      id    = "${id}"\n      owner = "app-team"\n      risk  = "low"\n    }\n  }\n`;
  }
  tfvars += '}\n\ntags = {\n  team = "platform"\n}\n';
  return { catalog, tfvars };
}

function stats(ms) {
  return { min: Math.min(...ms), median: median(ms), runs: ms.length };
}

function time(rounds, f) {
  f();
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    f();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms;
}

const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'ignore' });

/** Load time of pkg/node in a fresh Node over a bare Node's, median of `rounds` each, alternating. */
function loadCost(rounds = 9) {
  const pkg = path.join(root, 'pkg/node/ecr_registrar.js');
  const bare = [], loaded = [];
  const spawn = (script) => {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, ['-e', script], { stdio: 'ignore' });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < rounds; i++) {
    bare.push(spawn(''));
    loaded.push(spawn(`require(${JSON.stringify(pkg)}).version()`));
  }
  return { bare: median(bare), loaded: median(loaded) };
}

/** Every figure of issue 26: `{ rows: [{call, n, core, cli, wasm}], load }`. */
export function compareCore({ sizes = [1_000, 10_000], rounds = (n) => (n >= 10_000 ? 9 : 15) } = {}) {
  const wasm = require(path.join(root, 'pkg/node/ecr_registrar.js'));
  if (!fs.existsSync(releaseBin)) throw new Error(`${releaseBin} is missing: cargo build --release --locked --features aws (or set ECR_REGISTRAR_BIN)`);
  const native = benchExecutable('native');
  const paths = wasm.requestPaths('dev');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-core-bench-'));
  const rows = [];
  try {
    for (const n of sizes) {
      const r = typeof rounds === 'function' ? rounds(n) : rounds;
      const files = platformFiles(n);
      const mid = `service-${String(n >> 1).padStart(6, '0')}`;
      const calls = {
        scaffold: { name: 'payments-api', owner: 'platform-team', requester: 'daniel-deans', domain: 'delivery', environment: 'dev', risk: 'low' },
        update: { name: mid, environment: 'dev', owner: 'sre-team' },
        decommission: { name: mid, environment: 'dev' },
        today: TODAY,
        catalogPath: paths.catalog,
        tfvarsPath: paths.tfvars,
      };
      const head = wasm.scaffold(calls.scaffold, files, TODAY);
      const revisions = {
        base: { [paths.catalog]: files.catalog, [paths.tfvars]: files.tfvars },
        head: { [paths.catalog]: head.catalog.text, [paths.tfvars]: head.tfvars.text },
        changedPaths: [paths.catalog, paths.tfvars],
      };

      // The native core: one process times every call.
      const dir = fs.mkdtempSync(path.join(tmp, `in-${n}-`));
      fs.writeFileSync(path.join(dir, 'base.catalog'), files.catalog);
      fs.writeFileSync(path.join(dir, 'base.tfvars'), files.tfvars);
      fs.writeFileSync(path.join(dir, 'head.catalog'), head.catalog.text);
      fs.writeFileSync(path.join(dir, 'head.tfvars'), head.tfvars.text);
      fs.writeFileSync(path.join(dir, 'calls.json'), JSON.stringify(calls));
      const core = JSON.parse(execFileSync(native, [dir, String(r)], { encoding: 'utf8' }));

      // The CLI process, on a platform repository of its own; `changes` in a git repository.
      const repo = fs.mkdtempSync(path.join(tmp, `repo-${n}-`));
      const cat = path.join(repo, paths.catalog), tf = path.join(repo, paths.tfvars);
      fs.mkdirSync(path.dirname(cat), { recursive: true });
      fs.mkdirSync(path.dirname(tf), { recursive: true });
      const cliRun = (args) => {
        const ms = [];
        for (let i = 0; i <= r; i++) {
          fs.writeFileSync(cat, files.catalog);
          fs.writeFileSync(tf, files.tfvars);
          const t0 = process.hrtime.bigint();
          execFileSync(releaseBin, args, { stdio: 'ignore' });
          if (i > 0) ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        return ms;
      };
      const today = ['--today', TODAY];
      const cli = {
        scaffold: cliRun(['scaffold', '--repo', repo, '--name', 'payments-api', '--owner', 'platform-team', '--requester', 'daniel-deans', '--domain', 'delivery', '--environment', 'dev', '--risk', 'low', ...today]),
        update: cliRun(['update', '--repo', repo, '--name', mid, '--environment', 'dev', '--owner', 'sre-team', ...today]),
        decommission: cliRun(['decommission', '--repo', repo, '--name', mid, '--environment', 'dev', ...today]),
      };
      fs.writeFileSync(cat, files.catalog);
      fs.writeFileSync(tf, files.tfvars);
      git(repo, 'init', '-q');
      git(repo, 'add', '-A');
      git(repo, 'commit', '-q', '-m', 'base');
      fs.writeFileSync(cat, head.catalog.text);
      fs.writeFileSync(tf, head.tfvars.text);
      git(repo, 'commit', '-q', '-a', '-m', 'head');
      cli.changes = time(r, () => execFileSync(releaseBin, ['changes', '--repo', repo, '--base', 'HEAD~1', '--format', 'json'], { stdio: 'ignore' }));

      // WebAssembly in Node, the texts already in memory.
      const run = {
        scaffold: () => wasm.scaffold(calls.scaffold, files, TODAY),
        update: () => wasm.update(calls.update, files, TODAY),
        decommission: () => wasm.decommission(calls.decommission, files, TODAY),
        changes: () => wasm.changes(revisions),
      };
      for (const call of CALLS) {
        const out = run[call]();
        if (call === 'changes' ? !out.guard.ok || out.changes.length !== 1 : !out.changed) throw new Error(`${call} on ${n} entries: not the edit measured`);
        rows.push({ call, n, core: stats(core[call]), cli: stats(cli[call]), wasm: stats(time(r, run[call])) });
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { rows, load: loadCost() };
}

const f1 = (x) => x.toFixed(1);

/** The comparison as Markdown tables, the ratios of medians. */
export function coreTable({ rows, load }) {
  const lines = [
    '| call | entries | native core min / median | CLI process min / median | WebAssembly in Node min / median | wasm / core | wasm / CLI |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.call} | ${r.n.toLocaleString('en')} | ${f1(r.core.min)} / ${f1(r.core.median)} ms | ${f1(r.cli.min)} / ${f1(r.cli.median)} ms | ${f1(r.wasm.min)} / ${f1(r.wasm.median)} ms | ${(r.wasm.median / r.core.median).toFixed(2)}× | ${(r.wasm.median / r.cli.median).toFixed(2)}× |`,
    );
  }
  const sizes = [...new Set(rows.map((r) => r.n))].sort((a, b) => a - b);
  if (sizes.length >= 2) {
    const [small, big] = [sizes[0], sizes[sizes.length - 1]];
    lines.push('', `| growth ${big.toLocaleString('en')} / ${small.toLocaleString('en')} entries (medians) | native core | CLI process | WebAssembly (target ≤ 12×) |`, '| --- | --- | --- | --- |');
    for (const call of CALLS) {
      const at = (n) => rows.find((r) => r.call === call && r.n === n);
      const g = (k) => `${(at(big)[k].median / at(small)[k].median).toFixed(1)}×`;
      if (at(small) && at(big)) lines.push(`| ${call} | ${g('core')} | ${g('cli')} | ${g('wasm')} |`);
    }
  }
  lines.push('', `Loading pkg/node: ${f1(load.loaded)} ms against ${f1(load.bare)} ms for a bare Node (median of 9 each): +${f1(load.loaded - load.bare)} ms (target ≤ +40 ms).`);
  return lines.join('\n');
}
