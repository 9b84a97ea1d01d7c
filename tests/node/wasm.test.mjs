// The WebAssembly build (pkg/node, from `npm run build`) against the native CLI and the shared
// cases: the same verdicts, messages and edits, byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'pkg/node/ecr_registrar.js');
assert.ok(fs.existsSync(pkg), `run \`npm run build\` first: ${pkg} is missing`);
const core = require(pkg);
const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');
const shared = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/request.json'), 'utf8'));
const { cases } = JSON.parse(fs.readFileSync(path.join(root, 'tests/cases/validate.json'), 'utf8'));

/** The CLI's `validate --format json` for a whole request (exit 1 for invalid is expected). */
function cliValidate(request) {
  const args = ['validate', '--format', 'json'];
  for (const [k, v] of Object.entries(request)) args.push(`--${k}`, v);
  try {
    return JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
}

test('shared validation cases: WebAssembly and CLI give the expected, identical reports', () => {
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const wasm = core.validateRequest(c.request);
    assert.deepEqual(wasm.errors.map((e) => e.code), c.expect.errorCodes, c.name);
    assert.equal(wasm.valid, c.expect.valid, c.name);
    assert.equal(wasm.registryId, c.expect.registryId, c.name);
    assert.deepEqual(cliValidate(c.request), wasm, `${c.name}: the CLI and WebAssembly reports differ`);
  }
});

test('validateField reads exactly as the whole-request errors of that field', () => {
  for (const c of cases) {
    const whole = core.validateRequest(c.request).errors.filter((e) => e.field === 'name');
    assert.deepEqual(core.validateField('name', c.request.name), whole, c.name);
  }
  assert.equal(core.registryId('new-wp-reg2'), 'REGISTRY_NEW_WP_REG2');
});

test('the validation-only web build (explicit async init) gives the same reports as the whole core', async () => {
  const web = await import(pathToFileURL(path.join(root, 'pkg/web/ecr_registrar.js')).href);
  await web.default({ module_or_path: fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm')) });
  for (const c of cases) {
    assert.deepEqual(web.validateRequest(c.request), core.validateRequest(c.request), c.name);
    assert.deepEqual(web.validateField('name', c.request.name), core.validateField('name', c.request.name), c.name);
  }
  assert.equal(web.scaffold, undefined, 'the web build carries no editors');
});

test('the web build reuses the memory it frees (its own allocator) and reads a 1 MB config', async () => {
  const web = await import(pathToFileURL(path.join(root, 'pkg/web/ecr_registrar.js')).href);
  const wasm = web.initSync({ module: fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm')) });
  const base = core.defaultConfig();
  const { request } = cases[0];
  // A fresh config per call (2,000 owners, ~40 KB of JSON): each builds a validator, and the cache
  // of eight drops the oldest. Freed blocks must serve later calls: the memory settles.
  const call = (i) =>
    web.validateRequest(request, { ...base, owners: [...base.owners, ...Array.from({ length: 2000 }, (_, j) => `team-${i}-${j}`)] });
  for (let i = 100; i < 150; i++) call(i);
  const settled = wasm.memory.buffer.byteLength;
  for (let i = 150; i < 650; i++) call(i);
  const grown = wasm.memory.buffer.byteLength - settled;
  assert.ok(grown <= 1 << 20, `500 more calls grew the memory by ${grown} bytes (from ${settled})`);

  const big = { ...base, owners: Array.from({ length: 40_000 }, (_, j) => `owner-${j}-of-a-large-platform`) };
  assert.ok(JSON.stringify(big).length > 1_000_000);
  assert.deepEqual(web.validateRequest(request, big), core.validateRequest(request, big));
  assert.deepEqual(web.validateRequest({ ...request, owner: 'owner-39999-of-a-large-platform' }, big).errors, []);
});

function caseDirs(kind) {
  const dir = path.join(root, 'tests/fixtures', kind);
  return fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(dir, d.name));
}
const readOpt = (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : null);

test('every editor fixture gives the same bytes (or the same error code) through WebAssembly', () => {
  let checked = 0;
  for (const [kind, ext, key] of [['catalog', 'yaml', 'catalog'], ['tfvars', 'tfvars', 'tfvars']]) {
    for (const dir of caseDirs(kind)) {
      const files = { catalog: null, tfvars: null };
      files[key] = readOpt(path.join(dir, `input.${ext}`));
      const expected = readOpt(path.join(dir, `expected.${ext}`));
      const code = readOpt(path.join(dir, 'error'));
      const name = `${kind}/${path.basename(dir)}`;
      if (expected !== null) {
        const out = core.scaffold(shared.request, files, shared.today);
        assert.equal(out[key].text, expected, name);
        assert.equal(out[key].changed, files[key] !== expected, name);
      } else {
        assert.throws(() => core.scaffold(shared.request, files, shared.today), (e) => {
          assert.ok(e instanceof Error, name);
          assert.equal(e.code, code.trim(), `${name}: ${e.message}`);
          return true;
        });
      }
      checked++;
    }
  }
  assert.ok(checked >= 40, `only ${checked} fixtures`);
});

test('scaffold on the example platform repo: WebAssembly output equals what the CLI writes', () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-wasm-'));
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  fs.mkdirSync(path.join(repo, 'envs/test')); // its Terraform root, no tfvars yet: the file is created
  const catalogPath = path.join(repo, 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml');
  for (const env of ['dev', 'staging', 'prod', 'test']) {
    const request = { name: `orders-${env}`, owner: 'app-team', environment: env, risk: 'medium', requester: 'kim-lee' };
    const tfPath = path.join(repo, `envs/${env}/terraform.tfvars`);
    const files = { catalog: readOpt(catalogPath), tfvars: readOpt(tfPath) };
    const wasm = core.scaffold(request, files, shared.today);
    const args = ['scaffold', '--repo', repo, '--today', shared.today, '--format', 'json'];
    for (const [k, v] of Object.entries(request)) args.push(`--${k}`, v);
    const cli = JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
    assert.equal(cli.registryId, wasm.registryId);
    assert.equal(cli.planCommand, wasm.planCommand);
    assert.equal(fs.readFileSync(catalogPath, 'utf8'), wasm.catalog.text, env);
    assert.equal(fs.readFileSync(tfPath, 'utf8'), wasm.tfvars.text, env);
  }
  fs.rmSync(repo, { recursive: true, force: true });
});

test('bad input throws an Error that names the problem; defaults and version', () => {
  assert.throws(() => core.validateRequest('payments'), /invalid request/);
  assert.throws(() => core.validateRequest({ name: 'a', colour: 'red' }), /colour/);
  assert.throws(() => core.scaffold({ ...shared.request }, { catalog: 7 }, shared.today), /invalid files/);
  assert.throws(() => core.scaffold(shared.request, null, 'tomorrow'), (e) => e.code === 'invalid_argument');
  assert.deepEqual(core.defaultConfig().environments, ['dev', 'test', 'staging', 'prod']);
  assert.match(core.version(), /^\d+\.\d+\.\d+$/);
});

test('large texts read directly (issue 26) give exactly what the JSON path gives, errors included', () => {
  // `files` and `revisions` as plain objects of strings are read without JSON; an object JSON
  // writes the same way but that is not plain (another prototype) takes the JSON path.
  const viaJson = (o) => Object.assign(Object.create({ inherited: true }), o);
  const outcome = (f) => {
    try {
      return { ok: f() };
    } catch (e) {
      return { message: e.message, code: e.code, file: e.file, line: e.line };
    }
  };
  const catalog = readOpt(path.join(root, 'examples/platform/docs/20-contracts/resource-catalogs/ecr-catalog.yaml'));
  const tfvars = readOpt(path.join(root, 'examples/platform/envs/dev/terraform.tfvars'));
  const cases = [
    { catalog, tfvars },
    { catalog: `${catalog}# ÷ café — ✓ 😀 "quoted" \\ back\ttab\n`, tfvars: `# naïve 😀\n${tfvars}` },
    { catalog: `${catalog}# control \u0001\r\n`, tfvars },
    { catalog: `${catalog}# lone \ud800 surrogate\n`, tfvars },
    { catalog, tfvars: `${tfvars}# lone \udfff\n` },
    { catalog: null, tfvars },
    { catalog: undefined, tfvars: null },
    { catalog },
    {},
    { catalog: 7, tfvars },
    { catalog, tfvars, extra: 'x' },
    { catalog, tfvars: ['x'] },
  ];
  for (const [i, files] of cases.entries()) {
    const fast = outcome(() => core.scaffold(shared.request, files, shared.today));
    assert.deepEqual(fast, outcome(() => core.scaffold(shared.request, viaJson(files), shared.today)), `files case ${i}`);
  }
  // Non-ASCII text crosses intact both ways; a lone surrogate is refused as JSON refuses it.
  const out = core.scaffold(shared.request, cases[1], shared.today);
  assert.ok(out.catalog.text.endsWith(cases[1].catalog.slice(catalog.length)));
  assert.ok(out.tfvars.text.startsWith('# naïve 😀\n'));
  assert.match(outcome(() => core.scaffold(shared.request, cases[3], shared.today)).message, /invalid files/);

  const CAT = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
  const TF = 'envs/dev/terraform.tfvars';
  const head = core.scaffold(shared.request, { catalog, tfvars }, shared.today);
  const revs = (base, head, more = {}) => ({ base, head, changedPaths: [CAT, TF], ...more });
  const revCases = [
    revs({ [CAT]: catalog, [TF]: tfvars }, { [CAT]: head.catalog.text, [TF]: head.tfvars.text }),
    revs({ [CAT]: catalog }, { [CAT]: `${head.catalog.text}# é 😀\n` }),
    revs({ [CAT]: catalog }, { [CAT]: `${head.catalog.text}# \udbff\n` }),
    revs({ [CAT]: catalog, [TF]: 3 }, { [CAT]: catalog }),
    revs({ [CAT]: catalog }, { [CAT]: catalog }, { changedPaths: 'all' }),
    revs({ [CAT]: catalog }, { [CAT]: catalog }, { colour: 'red' }),
    revs({ [CAT]: catalog }, { [CAT]: catalog }, { headTree: [{ path: CAT, mode: '100644', kind: 'blob' }] }),
    { base: { [CAT]: catalog }, changedPaths: [CAT] },
  ];
  for (const [i, revisions] of revCases.entries()) {
    const fast = outcome(() => core.changes(revisions));
    const json = outcome(() => core.changes(viaJson({ ...revisions, base: viaJson(revisions.base), head: revisions.head && viaJson(revisions.head) })));
    assert.deepEqual(fast, json, `revisions case ${i}`);
  }
});

/** The members of `export type NAME = "a" | "b";` in a generated declaration file. */
function union(dts, name) {
  const m = dts.match(new RegExp(`^export type ${name} = (.*);$`, 'm'));
  assert.ok(m, `${name} is not a string union in the declarations`);
  return m[1].split(' | ').map((s) => JSON.parse(s));
}

test('the generated TypeScript code unions are the enums: stableCodes(), the CLI and both builds agree', () => {
  const codes = core.stableCodes();
  const cli = JSON.parse(execFileSync(bin, ['codes', '--format', 'json'], { encoding: 'utf8' }));
  assert.deepEqual(cli, codes);
  for (const build of ['node', 'web']) {
    const dts = fs.readFileSync(path.join(root, `pkg/${build}/ecr_registrar.d.ts`), 'utf8');
    for (const [type, list] of [['ErrorCode', codes.errorCodes], ['FieldCode', codes.fieldCodes], ['PolicyCode', codes.policyCodes], ['GuardCode', codes.guardCodes]]) {
      assert.deepEqual(union(dts, type), list.map((c) => c.code), `${build}: ${type}`);
    }
    // The field names validateField knows: an unknown one is reported with exactly this list.
    const known = core.validateField('colour', 'x')[0].message.match(/known fields are (.*)$/)[1].split(', ');
    assert.deepEqual(union(dts, 'FieldName'), known, `${build}: FieldName`);
  }
});

test('an unpaired UTF-16 surrogate is refused as no text, alike for a field and a whole request', async () => {
  // Through the module the actions use (js/src/core.ts), which guards every export.
  const core = await import('../../js/dist/core.js');
  for (const call of [
    () => core.validateField('description', 'a\uD800b'),
    () => core.validateField('name', 'pay\uDC00'),
    () => core.validateRequest({ name: 'payments-api', owner: 'app-team', environment: 'dev', risk: 'low', description: 'a\uD800b' }),
  ]) {
    assert.throws(call, (e) => e.code === 'invalid_argument' && /unpaired UTF-16 surrogate/.test(e.message));
  }
  // A well-formed astral character is text.
  assert.deepEqual(core.validateField('description', 'images \u{1F433}'), []);
});
