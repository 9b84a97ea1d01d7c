// Issue 21, item 4, across the boundaries: the WebAssembly exports' thrown errors (pkg/node, from
// `npm run build`) and the CLI's text and `--format json` errors never repeat a byte of the file
// they could not read. Every input carries a unique marker in a key, a value, a comment or next to
// broken syntax; the thrown message and every field of the error must be free of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = path.join(root, 'pkg/node/ecr_registrar.js');
assert.ok(fs.existsSync(pkg), `run \`npm run build\` first: ${pkg} is missing`);
const core = require(pkg);
const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');

const M = 'SECRETMARKER7f3a';
const request = { name: 'payments-api', owner: 'platform-team', environment: 'dev', risk: 'low' };

/** Everything a caller of `f` could show of what it threw (message and own fields), or null. */
function thrown(f) {
  try {
    f();
    return null;
  } catch (e) {
    return `${e.message}\n${JSON.stringify({ ...e })}`;
  }
}

const yamls = [
  `owners: ${M}\n`,
  `${M}: 1\n`,
  `# ${M}\nowners: [a, b\n`,
  `sync:\n  describeLimit: ${M}\n`,
  `riskTiers:\n  ${M}:\n    mutability: 5\n`,
  `aws_secret_access_key: ${M}\n`,
  `key: "${M}\n`,
  `repositories:\n  a: [${M}\n`,
  `repositories: ${M}\n`,
];
const hcls = [`${M}\n`, `x = = "${M}"\n`, `ecr_repositories = "${M}"\n`, `# ${M}\nx = {\n`];
const jsons = [
  `{"repositories": [{"repositoryName": {"${M}": 1}}]}`,
  `{"repositories": "${M}"}`,
  `{"${M}"`,
  `["${M}"]`,
];

test('the WebAssembly exports throw errors without the input', () => {
  const leaks = [];
  let errors = 0;
  const check = (what, f) => {
    const shown = thrown(f);
    if (shown !== null) errors++;
    if (shown?.includes(M)) leaks.push(`${what}: ${shown}`);
  };
  for (const y of yamls) {
    check(`configFromYaml ${JSON.stringify(y)}`, () => core.configFromYaml(y));
    check(`scaffold catalog ${JSON.stringify(y)}`, () =>
      core.scaffold(request, { catalog: y, tfvars: 'ecr_repositories = {}\n' }, '2026-11-21'),
    );
  }
  for (const h of hcls) {
    check(`scaffold tfvars ${JSON.stringify(h)}`, () =>
      core.scaffold(request, { catalog: null, tfvars: h }, '2026-11-21'),
    );
  }
  for (const j of jsons) {
    check(`renderEntities ${JSON.stringify(j)}`, () =>
      core.renderEntities(j, null, { region: 'eu-west-2', now: '2026-11-21T00:00:00Z' }),
    );
  }
  // A config handed over as an object: its values are not repeated (its keys are the caller's own
  // and are named, escaped).
  for (const config of [{ owners: M }, { sync: { describeLimit: M } }, { riskTiers: M }, { riskTiers: { low: M } }]) {
    check(`config object ${JSON.stringify(config)}`, () => core.validateRequest(request, config));
  }
  assert.deepEqual(leaks, []);
  assert.ok(errors >= 20, `only ${errors} errors`);
});

test('the CLI prints parse errors without the input, in text and in JSON', (t) => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'no-echo-'));
  t.after(() => fs.rmSync(repo, { recursive: true, force: true }));
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  const leaks = [];
  for (const y of yamls.slice(0, 7)) {
    fs.writeFileSync(path.join(repo, 'registrar.yaml'), y);
    for (const format of ['text', 'json']) {
      const args = ['scaffold', '--repo', repo, '--format', format, '--dry-run'];
      for (const [k, v] of Object.entries(request)) args.push(`--${k}`, v);
      const r = spawnSync(bin, args, { encoding: 'utf8' });
      assert.equal(r.status, 2, `${y}: ${r.stderr}${r.stdout}`);
      if (format === 'json') assert.equal(JSON.parse(r.stdout).error.code, 'invalid_config');
      if (`${r.stdout}${r.stderr}`.includes(M)) leaks.push(`${format} ${JSON.stringify(y)}: ${r.stderr}${r.stdout}`);
    }
  }
  assert.deepEqual(leaks, []);
});
