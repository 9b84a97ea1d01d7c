// The entity provider (`ecr-registrar/catalog`) in the real backend the tests assemble
// (tests/backstage/*), listing moto (tests/aws/emulator.mjs) through the paging, fault-injecting
// proxy with the AWS SDK for JavaScript: three targets (the default credentials and two assumed
// roles), the governance catalog read through Backstage's UrlReader from a local HTTP server.
// Entities appear, change when a tag changes, disappear when a repository is deleted; a target
// whose credentials are refused keeps its entities while the others change, and recovers on the
// next run; the entities equal the CLI's `sync` for the same AWS state. Runs are triggered through
// the scheduler's REST API; the provider's bad config stops the backend with the key named.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startPostgres } from '../backstage/postgres.mjs';
import { startBackend } from '../backstage/harness.mjs';
import { bin, installPacked, root, tree } from './helpers.mjs';
import * as core from '../../js/dist/core.js';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { readCatalogSettings, readEntityLocations } from '../../js/dist/backstage/catalog/index.js';
import { readRepoSettings } from '../../js/dist/backstage/mcp/index.js';
import { ACCOUNT, REGION, assumeRole, ecr, startMoto, startProxy } from '../aws/emulator.mjs';

const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
const TASK = 'ecr-registrar:catalog-sync';
const PROD = '222222222222';
const STAGING = '333333333333';
const roles = { prod: `arn:aws:iam::${PROD}:role/ecr-sync`, staging: `arn:aws:iam::${STAGING}:role/ecr-sync` };
const targets = [
  { environment: 'dev', region: REGION, account: ACCOUNT },
  { environment: 'prod', region: REGION, roleArn: roles.prod, externalId: 'ecr-registrar' },
  { environment: 'staging', region: REGION, roleArn: roles.staging },
];

let moto;
let proxy;
let pg;
let installed;
let backend;
let files; // the governance catalog's server
const keys = {};

function serveCatalog() {
  const text = fs.readFileSync(path.join(root, 'examples/platform', CATALOG));
  const server = http.createServer((req, res) => {
    if (req.url !== '/ecr-catalog.yaml') return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/yaml' }).end(text);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => server.close(r)) })));
}

const config = (endpoint, catalogUrl, more = '') => `backend:
  reading: { allow: [{ host: '${new URL(catalogUrl).host}' }] }
ecrRegistrar:
  catalog:
    targets: ${JSON.stringify(targets)}
    endpoint: ${endpoint}
    governanceCatalog: ${catalogUrl}/ecr-catalog.yaml
    schedule: { frequency: { hours: 1 }, timeout: { minutes: 5 }, initialDelay: { seconds: 1 } }
${more}`;

before(async () => {
  moto = await startMoto();
  proxy = await startProxy(moto.url);
  keys.prod = await assumeRole(moto.url, roles.prod);
  keys.staging = await assumeRole(moto.url, roles.staging);
  const create = (key, name, tags = []) => ecr(moto.url, 'CreateRepository', { repositoryName: name, tags }, key ? { key } : {});
  await create(null, 'ledger-sync');
  await create(null, 'svc-tagged', [{ Key: 'owner', Value: 'sre-team' }]);
  await create(keys.prod, 'checkout-web');
  await create(keys.prod, 'old-service');
  await create(keys.staging, 'search-indexer');
  await create(keys.staging, 'scratch');
  files = await serveCatalog();
  installed = installPacked('catalog-');
  pg = await startPostgres();
  backend = await startBackend({
    consumer: installed.consumer,
    pg,
    args: ['--with-ecr-catalog'],
    extraConfig: config(proxy.url, files.url),
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true' },
    ready: async (b) => (await fetch(`${b}/api/catalog/entities/by-name/resource/default/ecr-dev-ledger-sync`)).ok,
  });
});

after(async () => {
  await backend?.stop();
  pg?.stop();
  installed?.remove();
  await files?.stop();
  await proxy?.stop();
  moto?.stop();
});

/** Every entity the provider manages, by name, without what the catalog adds. */
async function provided() {
  const res = await fetch(`${backend.base}/api/catalog/entities`);
  assert.equal(res.status, 200);
  const out = {};
  for (const e of await res.json()) {
    if (!e.metadata.annotations?.['backstage.io/managed-by-location']?.startsWith('ecr-registrar:')) continue;
    out[`${e.kind}:${e.metadata.name}`] = e;
  }
  return out;
}

/** Trigger a run and wait until `done(entities)` holds (bounded). */
async function runUntil(done, what) {
  const res = await fetch(`${backend.base}/api/catalog/.backstage/scheduler/v1/tasks/${encodeURIComponent(TASK)}/trigger`, { method: 'POST' });
  assert.ok(res.ok || res.status === 409, `trigger: ${res.status}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const entities = await provided();
    if (done(entities)) return entities;
    if (Date.now() > deadline) assert.fail(`${what}: not reached in 60 s; entities: ${Object.keys(entities).join(', ')}\n${backend.log().split('\n').filter((l) => /ecr-registrar/.test(l)).slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The entity as the core rendered it: without what the catalog and the provider add. */
function plain(e) {
  const { uid, etag, namespace, ...metadata } = e.metadata;
  const annotations = { ...metadata.annotations };
  for (const k of ['backstage.io/managed-by-location', 'backstage.io/managed-by-origin-location', 'platform/last-sync']) delete annotations[k];
  void uid, etag, namespace;
  return { apiVersion: e.apiVersion, kind: e.kind, metadata: { ...metadata, annotations }, spec: e.spec };
}

function cli(args, env) {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { PATH: process.env.PATH, HOME: os.tmpdir(), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true', ...env }, encoding: 'utf8', maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      resolve({ status: error ? error.code : 0, stdout, stderr }),
    );
  });
}

test('the entities appear for every target, with the catalog’s owners, and equal the CLI’s sync', async () => {
  const entities = await runUntil((e) => ['dev-ledger-sync', 'dev-svc-tagged', 'prod-checkout-web', 'prod-old-service', 'staging-search-indexer', 'staging-scratch'].every((n) => e[`Resource:ecr-${n}`]) && e['System:container-registry'] && e['Domain:delivery'], 'first run');
  assert.equal(entities['Resource:ecr-prod-checkout-web'].spec.owner, 'app-team', 'owner from the governance catalog (UrlReader)');
  assert.equal(entities['Resource:ecr-dev-svc-tagged'].spec.owner, 'sre-team', 'owner from the AWS tag');
  assert.equal(entities['Resource:ecr-prod-checkout-web'].metadata.annotations['amazonaws.com/ecr-repository-arn'], `arn:aws:ecr:${REGION}:${PROD}:repository/checkout-web`);
  assert.equal(entities['Resource:ecr-registry-prod'].metadata.annotations['backstage.io/managed-by-location'], `ecr-registrar:ecr-registrar:prod:${REGION}:${PROD}`);
  // One task for the whole backend: scope global, on the configured schedule.
  const { tasks } = await (await fetch(`${backend.base}/api/catalog/.backstage/scheduler/v1/tasks`)).json();
  const task = tasks.find((t) => t.taskId === TASK);
  assert.equal(task?.scope, 'global', JSON.stringify(tasks.map((t) => t.taskId)));
  assert.equal(task.settings.cadence, 'PT1H');

  // The CLI over the same AWS state, the same targets and the same catalog.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-provider-cli-'));
  fs.cpSync(path.join(root, 'examples/platform'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'registrar.yaml'), `sync:\n  targets: ${JSON.stringify(targets)}\n`);
  const r = await cli(['sync', '--repo', dir, '--now', '2026-11-23T10:00:00Z'], { AWS_ENDPOINT_URL: proxy.url, AWS_REGION: REGION });
  assert.equal(r.status, 0, r.stderr);
  const written = tree(dir, 'utf8');
  const cliEntities = Object.entries(written)
    .filter(([f]) => f.startsWith('catalog/'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS()))
    .filter((e) => e.kind !== 'Location');
  const byName = Object.fromEntries(cliEntities.map((e) => [`${e.kind}:${e.metadata.name}`, e]));
  assert.deepEqual(Object.keys(entities).sort(), Object.keys(byName).sort());
  for (const [k, e] of Object.entries(entities)) assert.deepEqual(plain(e), plain(byName[k]), k);
});

test('a tag change changes the entity, a deleted repository disappears, a refused target keeps its entities and recovers', async () => {
  const arn = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/svc-tagged`;
  await ecr(moto.url, 'TagResource', { resourceArn: arn, tags: [{ Key: 'owner', Value: 'payments-team' }] });
  await ecr(moto.url, 'DeleteRepository', { repositoryName: 'old-service', force: true }, { key: keys.prod });
  await ecr(moto.url, 'DeleteRepository', { repositoryName: 'scratch', force: true }, { key: keys.staging });
  // The staging role's credentials are refused from now on: every call of that account fails.
  // And dev's listing is throttled four times, more than the SDK's default 3 attempts allow: the
  // provider's 8 (as the CLI's) get through.
  proxy.state.throttled = {};
  proxy.state.faults = { expired: { [`${STAGING}:*`]: Infinity }, throttle: { [`${ACCOUNT}:DescribeRepositories`]: 4 } };
  try {
    const entities = await runUntil((e) => e['Resource:ecr-dev-svc-tagged']?.spec.owner === 'payments-team' && !e['Resource:ecr-prod-old-service'], 'tag change and deletion');
    assert.deepEqual(proxy.state.throttled, { [`${ACCOUNT}/${REGION}`]: 4 });
    assert.ok(proxy.state.callsBy[`${STAGING}/${REGION}`]?.DescribeRepositories > 0 || Object.keys(proxy.state.callsBy[`${STAGING}/${REGION}`] ?? {}).length > 0, 'staging was asked');
    assert.ok(entities['Resource:ecr-staging-scratch'], 'the refused target keeps its previous entities');
    assert.ok(entities['Resource:ecr-staging-search-indexer']);
    assert.ok(entities['Resource:ecr-registry-staging']);
    assert.match(backend.log(), /ecr-registrar:staging:eu-west-2:333333333333: could not list ECR, its entities are kept/);
  } finally {
    proxy.state.faults = {};
  }
  // The next run lists staging again: its deleted repository goes, its registry counts one.
  const recovered = await runUntil((e) => !e['Resource:ecr-staging-scratch'] && e['Resource:ecr-registry-staging']?.metadata.annotations['platform/repo-count'] === '1', 'recovery');
  assert.ok(recovered['Resource:ecr-staging-search-indexer']);
});

test('bad config is refused at startup, naming the key', async () => {
  const bad = config(proxy.url, files.url).replace(`"region":"${REGION}","roleArn":"${roles.staging}"`, `"region":"europe","roleArn":"${roles.staging}"`);
  assert.notEqual(bad, config(proxy.url, files.url));
  // Backstage logs the failed startup and keeps the process up (its uncaught-exception handler):
  // "ready" here is that log line.
  const refused = await startBackend({
    consumer: installed.consumer,
    pg,
    prefix: 'bad_config_',
    args: ['--with-ecr-catalog'],
    extraConfig: bad,
    waitMs: 60_000,
    ready: async (_, log) => /Backend startup failed/.test(log),
  });
  try {
    assert.match(refused.log(), /Module 'ecr-registrar' for plugin 'catalog' startup failed; caused by Error: Invalid config ecrRegistrar\.catalog: `ecrRegistrar\.catalog\.targets\[2\]`: `region` is not an AWS region/);
    assert.equal((await fetch(`${refused.base}/api/catalog/entities/by-name/resource/default/ecr-dev-ledger-sync`)).status, 404);
  } finally {
    await refused.stop();
  }
});

test('renderEstate (the provider’s renderer) writes the CLI’s bytes for the same listings; an unlisted target only loses its own file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-estate-'));
  fs.cpSync(path.join(root, 'examples/platform'), dir, { recursive: true });
  const registrar = `sync:\n  targets: ${JSON.stringify(targets)}\n`;
  fs.writeFileSync(path.join(dir, 'registrar.yaml'), registrar);
  const listing = (account, names) =>
    JSON.stringify({ repositories: names.map((n) => ({ repositoryName: n, registryId: account, repositoryArn: `arn:aws:ecr:${REGION}:${account}:repository/${n}`, tags: [{ Key: 'owner', Value: 'sre-team' }] })) });
  const texts = [listing(ACCOUNT, ['ledger-sync', 'a']), listing(PROD, ['checkout-web']), listing(STAGING, ['search-indexer', 'b/c'])];
  const slugs = ['dev', 'prod', 'staging'];
  const args = slugs.flatMap((s, i) => {
    const f = path.join(dir, `${s}.json`);
    fs.writeFileSync(f, texts[i]);
    return ['--listing', `${s}=${f}`];
  });
  const r = await cli(['sync', '--repo', dir, '--now', '2026-11-23T10:00:00Z', ...args], {});
  assert.equal(r.status, 0, r.stderr);
  const written = tree(dir, 'utf8');
  const config = core.configFromYaml(registrar);
  const catalog = written[CATALOG];
  const all = core.renderEstate(texts, catalog, '2026-11-23T10:00:00Z', config);
  assert.equal(all.files.length, 6);
  for (const f of all.files) assert.equal(f.text, written[f.path], f.path);
  const partial = core.renderEstate([texts[0], null, texts[2]], catalog, '2026-11-23T10:00:00Z', config);
  assert.deepEqual(partial.files.map((f) => f.path), all.files.map((f) => f.path).filter((p) => !p.endsWith('-prod.yaml')));
  for (const f of partial.files) assert.equal(f.text, written[f.path], f.path);
  assert.throws(() => core.renderEstate([texts[0]], catalog, '2026-11-23T10:00:00Z', config), /1 listing\(s\) for 3 target\(s\)/);
  assert.throws(() => core.renderEstate([null, null, null], catalog, '2026-11-23T10:00:00Z', config), /no target to sync/);
});

test('the config examples of the README and docs/backstage.md are read as they say', () => {
  const blocks = (file) => [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((y) => y.includes('ecrRegistrar:'));
  const examples = [...blocks('README.md'), ...blocks('docs/backstage.md')];
  assert.equal(examples.length, 4);
  for (const text of examples) {
    const config = new ConfigReader(parse(text.replace('${MCP_TOKEN}', 'token')));
    if (config.has('ecrRegistrar.catalog')) {
      const s = readCatalogSettings(config);
      assert.ok(s.targets.length >= 2);
      assert.deepEqual(s.schedule.frequency, { minutes: 30 });
      assert.match(s.governanceCatalog, /^https:\/\/github\.com\/.*ecr-catalog\.yaml$/);
    }
    if (config.has('ecrRegistrar.actions')) assert.match(readRepoSettings(config).repository, /^https:\/\/github\.com\//);
    if (config.has('ecrRegistrar.entityLocations')) assert.match(readEntityLocations(config)[0].href, /^https:\/\/github\.com\/.*\/catalog\/ecr\/$/);
    // Appended to create-app's sources, which an example that replaced them would drop.
    if (config.has('backend.actions')) assert.deepEqual(config.getStringArray('backend.actions.pluginSources'), ['auth', 'catalog', 'scaffolder', 'ecr-registrar']);
  }
  // And what it refuses, naming the key.
  const refuse = (catalog, re) => assert.throws(() => readCatalogSettings(new ConfigReader({ ecrRegistrar: { catalog } })), re);
  refuse({ targets: [] }, /`ecrRegistrar\.catalog\.targets` must be a non-empty list/);
  refuse({ targets: [{ environment: 'qa', region: REGION }] }, /`ecrRegistrar\.catalog\.targets\[0\]`: `environment` is not one of `environments`/);
  refuse({ targets: [{ environment: 'dev', region: REGION, externalId: 'x' }] }, /targets\[0\]`: externalId is only used with roleArn/);
  refuse({ targets: [{ environment: 'dev', region: REGION }], maxAttempts: 0 }, /`ecrRegistrar\.catalog\.maxAttempts` must be a whole number from 1 to 20/);
  refuse({ targets: [{ environment: 'dev', region: REGION }], schedul: {} }, /`ecrRegistrar\.catalog\.schedul` is not a known key/);
  refuse({ targets: [{ environment: 'dev', region: REGION }], schedule: { frequency: 'often' } }, /`ecrRegistrar\.catalog\.schedule`/);
  refuse({ targets: [{ environment: 'dev', region: REGION }], settings: { sync: { targets: [] } } }, /give the targets as `ecrRegistrar\.catalog\.targets`/);
});
