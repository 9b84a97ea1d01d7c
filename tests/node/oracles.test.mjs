// Independent oracles for the editors' output: HashiCorp's own HCL parser (@cdktf/hcl2json) and
// formatter (@cdktf/hcl-tools) for tfvars, PyYAML for the catalog. They check the committed
// fixtures (which the Rust tests assert byte for byte against the editors) and fresh output of the
// real CLI on copies of the example platform repo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, regId, root, withCatalogEntry } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json');
const { format } = require('@cdktf/hcl-tools');

const fixtures = path.join(root, 'tests/fixtures');
const shared = JSON.parse(fs.readFileSync(path.join(fixtures, 'request.json'), 'utf8'));
const req = shared.request;

function readOpt(p) {
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null;
}

function caseDirs(kind) {
  return fs
    .readdirSync(path.join(fixtures, kind), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(fixtures, kind, d.name));
}

/** hcl2json of the old file with the entry added last to ecr_repositories. */
function withTfvarsEntry(old, r) {
  const out = structuredClone(old);
  out.ecr_repositories ??= {};
  out.ecr_repositories[r.name] = { metadata: { id: regId(r.name), owner: r.owner, risk: r.risk } };
  return out;
}

function pyyaml(files) {
  const out = execFileSync('python3', [path.join(root, 'tests/oracles/pyyaml_load.py'), ...files], {
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

test('every tfvars fixture parses with HashiCorp HCL to the old file plus the entry', async () => {
  let checked = 0;
  for (const dir of caseDirs('tfvars')) {
    const expected = readOpt(path.join(dir, 'expected.tfvars'));
    if (expected === null) continue;
    const input = readOpt(path.join(dir, 'input.tfvars'));
    const before = input === null ? {} : await parse('input.tfvars', input);
    const after = await parse('expected.tfvars', expected);
    if (input === expected) {
      assert.deepEqual(after, before, path.basename(dir));
    } else {
      // hcl2json sorts object keys, so entry order is checked by the Rust property tests instead.
      assert.deepEqual(after, withTfvarsEntry(before, req), path.basename(dir));
    }
    checked++;
  }
  assert.ok(checked >= 12, `only ${checked} fixtures checked`);
});

test('fmt-clean tfvars fixtures stay fmt-clean under HashiCorp\'s formatter', async () => {
  let clean = 0;
  for (const dir of caseDirs('tfvars')) {
    const expected = readOpt(path.join(dir, 'expected.tfvars'));
    const input = readOpt(path.join(dir, 'input.tfvars'));
    if (expected === null) continue;
    if (input !== null && (await format(input)) !== input) continue;
    assert.equal(await format(expected), expected, `${path.basename(dir)} is not fmt-clean after the edit`);
    clean++;
  }
  assert.ok(clean >= 6, `only ${clean} fmt-clean fixtures`);
});

test('every catalog fixture loads in PyYAML as the old catalog plus the entry', () => {
  const cases = caseDirs('catalog').filter((d) => fs.existsSync(path.join(d, 'expected.yaml')));
  const inputs = cases.filter((d) => fs.existsSync(path.join(d, 'input.yaml')));
  const before = pyyaml(inputs.map((d) => path.join(d, 'input.yaml')));
  const after = pyyaml(inputs.map((d) => path.join(d, 'expected.yaml')));
  // The created file is the standard header plus the entry.
  const [created] = pyyaml([path.join(fixtures, 'catalog/missing-file/expected.yaml')]);
  assert.deepEqual(Object.keys(created.repositories), [req.name]);
  inputs.forEach((dir, i) => {
    const name = path.basename(dir);
    if (name === 'already-present') {
      assert.deepEqual(after[i], before[i], name);
    } else if (before[i] === null) {
      // An empty file, or one with only comments, becomes what a missing file would.
      assert.deepEqual(after[i], created, name);
    } else {
      assert.deepEqual(after[i], withCatalogEntry(before[i], req, shared.today), name);
      assert.equal(Object.keys(after[i].repositories).at(-1), req.name, `${name}: entry is last`);
    }
  });
  assert.ok(inputs.length >= 14, `only ${inputs.length} catalog fixtures`);
});

// Day-2 fixtures (tests/fixtures.rs writes them from each layout's `expected`): the update sets
// owner and risk of the shared request's entry, the decommission removes it from tfvars and marks
// it in the catalog. The oracles must read exactly that, and fmt-clean stays fmt-clean.
const DAY2 = '2026-11-23';

test('day-2 tfvars fixtures parse with HashiCorp HCL as the entry updated or removed, and stay fmt-clean', async () => {
  let checked = 0;
  for (const dir of caseDirs('tfvars')) {
    const expected = readOpt(path.join(dir, 'expected.tfvars'));
    const update = readOpt(path.join(dir, 'update.tfvars'));
    const removed = readOpt(path.join(dir, 'decommission.tfvars'));
    if (expected === null || update === null || removed === null) continue;
    const name = path.basename(dir);
    const before = await parse('expected.tfvars', expected);
    const want = structuredClone(before);
    want.ecr_repositories[req.name] = { metadata: { ...before.ecr_repositories[req.name].metadata, owner: 'app-team', risk: 'high' } };
    assert.deepEqual(await parse('update.tfvars', update), want, `${name}: update`);
    const gone = structuredClone(before);
    delete gone.ecr_repositories[req.name];
    assert.deepEqual(await parse('decommission.tfvars', removed), gone, `${name}: decommission`);
    if ((await format(expected)) === expected) {
      assert.equal(await format(update), update, `${name}: update is not fmt-clean`);
      assert.equal(await format(removed), removed, `${name}: decommission is not fmt-clean`);
    }
    checked++;
  }
  assert.ok(checked >= 12, `only ${checked} day-2 tfvars fixtures`);
});

test('day-2 catalog fixtures load in PyYAML as the entry updated or decommissioned', () => {
  const cases = caseDirs('catalog').filter((d) => fs.existsSync(path.join(d, 'update.yaml')));
  const before = pyyaml(cases.map((d) => path.join(d, 'expected.yaml')));
  const updated = pyyaml(cases.map((d) => path.join(d, 'update.yaml')));
  const retired = pyyaml(cases.map((d) => path.join(d, 'decommission.yaml')));
  cases.forEach((dir, i) => {
    const name = path.basename(dir);
    const set = (fields) => {
      const out = structuredClone(before[i]);
      out.last_updated = DAY2;
      Object.assign(out.repositories[req.name].metadata, fields);
      return out;
    };
    assert.deepEqual(updated[i], set({ owner: 'app-team', risk: 'high' }), `${name}: update`);
    assert.deepEqual(retired[i], set({ status: 'decommissioned', decommissioned_date: DAY2 }), `${name}: decommission`);
    assert.deepEqual(Object.keys(retired[i].repositories), Object.keys(before[i].repositories), `${name}: entry order`);
  });
  assert.ok(cases.length >= 14, `only ${cases.length} day-2 catalog fixtures`);
});

test('the real CLI on the example platform repo: HCL, fmt and PyYAML agree', async () => {
  assert.ok(fs.existsSync(bin), `build the CLI first (cargo build --features cli): ${bin} is missing`);
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-oracle-'));
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  fs.mkdirSync(path.join(repo, 'envs/test')); // a new environment's Terraform root, without tfvars yet
  const catalogPath = path.join(repo, 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml');
  const requests = [
    { name: 'orders-api', owner: 'app-team', environment: 'dev', risk: 'medium', requester: 'kim-lee' },
    { name: 'orders-worker', owner: 'app-team', environment: 'dev', risk: 'low' },
    { name: 'fraud-model', owner: 'security-team', environment: 'staging', risk: 'high', domain: 'security' },
    { name: 'edge-proxy', owner: 'sre-team', environment: 'prod', risk: 'high' },
    { name: 'load-tester', owner: 'sre-team', environment: 'test', risk: 'low' },
    { name: 'load-tester-2', owner: 'sre-team', environment: 'test', risk: 'low' },
  ];
  for (const r of requests) {
    const tfPath = path.join(repo, `envs/${r.environment}/terraform.tfvars`);
    const tfBefore = readOpt(tfPath);
    const [catBefore] = pyyaml([catalogPath]);
    if (tfBefore !== null) assert.equal(await format(tfBefore), tfBefore, `${tfPath} should start fmt-clean`);
    const args = ['scaffold', '--repo', repo, '--today', shared.today, '--format', 'json'];
    for (const k of ['name', 'owner', 'environment', 'risk', 'requester', 'domain']) {
      if (r[k]) args.push(`--${k}`, r[k]);
    }
    const report = JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
    assert.equal(report.changed, true);
    const tfAfter = fs.readFileSync(tfPath, 'utf8');
    const beforeJson = tfBefore === null ? {} : await parse('before.tfvars', tfBefore);
    assert.deepEqual(await parse('after.tfvars', tfAfter), withTfvarsEntry(beforeJson, r), r.name);
    assert.equal(await format(tfAfter), tfAfter, `${r.name}: tfvars not fmt-clean`);
    const [catAfter] = pyyaml([catalogPath]);
    assert.deepEqual(catAfter, withCatalogEntry(catBefore, r, shared.today), r.name);
  }
  fs.rmSync(repo, { recursive: true, force: true });
});

test('generated fmt-clean tfvars layouts stay fmt-clean after the real CLI edits them', async () => {
  assert.ok(fs.existsSync(bin), `build the CLI first: ${bin} is missing`);
  let seed = 20261121;
  const rand = (n) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const keys = ['a', 'region', 'environment', 'cluster_name_long', 'x1', 'node_group_sizes', 'tags_extra'];
  const values = ['"v"', '3', 'true', '["a", "}"]', '{ min = 1, max = 4 }', '"${var.x}"', 'null'];
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-fmt-'));
  const tfPath = path.join(repo, 'envs/dev/terraform.tfvars');
  fs.mkdirSync(path.dirname(tfPath), { recursive: true });
  let checked = 0;
  for (let i = 0; i < 120; i++) {
    const lines = [];
    const n = rand(6);
    const at = rand(n + 1);
    const used = new Set();
    for (let j = 0; j <= n; j++) {
      if (j === at) {
        lines.push(rand(2) ? 'ecr_repositories = {}' : 'ecr_repositories = {}' + (rand(2) ? ' # none yet' : ''));
        continue;
      }
      let k = keys[rand(keys.length)];
      while (used.has(k)) k += '_x';
      used.add(k);
      lines.push(`${k} = ${values[rand(values.length)]}` + (rand(3) === 0 ? ' # note' : ''));
      if (rand(5) === 0) lines.push('');
    }
    const input = await format(lines.join('\n') + '\n');
    fs.writeFileSync(tfPath, input);
    fs.rmSync(path.join(repo, 'docs'), { recursive: true, force: true });
    execFileSync(bin, ['scaffold', '--repo', repo, '--name', 'payments-api', '--owner', 'platform-team',
      '--environment', 'dev', '--risk', 'low', '--today', shared.today], { encoding: 'utf8' });
    const out = fs.readFileSync(tfPath, 'utf8');
    assert.equal(await format(out), out, `not fmt-clean after the edit; input was:\n${input}`);
    assert.deepEqual(await parse('o.tfvars', out), withTfvarsEntry(await parse('i.tfvars', input), req));
    checked++;
  }
  assert.equal(checked, 120);
  fs.rmSync(repo, { recursive: true, force: true });
});
