// `sync` against a real ECR emulator: moto server on 127.0.0.1 behind a proxy that pages like AWS
// and injects faults (tests/aws/emulator.mjs); the real CLI (built with the `aws` feature) lists it.
// Every rendered entity must pass Backstage's own @backstage/catalog-model validators, and the
// WebAssembly renderEntities must write the same bytes as the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, root, runWorkflowStep, tree } from './helpers.mjs';
import { parseAllDocuments } from 'yaml';
import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  domainEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { ACCOUNT, REGION, assumeRole, createRepositories, ecr, freePort, startMoto, startProxy } from '../aws/emulator.mjs';
import * as core from '../../js/dist/core.js';

const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
const ENTITIES = 'catalog/resources/ecr-registry.yaml';
const N = 1050; // more than one 1,000-repository page

let moto;
let proxy;
const names = Array.from({ length: N }, (_, i) => `svc-${String(i).padStart(4, '0')}`).concat(['ledger-sync', 'team-a/web']);
const ownerTag = (name) => (name === 'team-a/web' ? 'app-team' : name.endsWith('7') ? 'sre-team' : null);

before(async () => {
  moto = await startMoto();
  await createRepositories(moto.url, names, (n) => (ownerTag(n) ? [{ Key: 'owner', Value: ownerTag(n) }] : []));
  proxy = await startProxy(moto.url);
});
after(async () => {
  await proxy?.stop();
  moto?.stop();
});

function repo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-sync-'));
  fs.cpSync(path.join(root, 'examples/platform'), dir, { recursive: true });
  return dir;
}


/** Run the CLI asynchronously (the proxy lives in this process). */
function cli(args, env = {}) {
  const base = { PATH: process.env.PATH, HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'home-')), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true' };
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...base, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ status: error ? error.code : 0, stdout, stderr });
    });
  });
}
const live = (dir, ...more) => cli(['sync', '--repo', dir, '--now', '2026-11-21T18:00:00Z', ...more], { AWS_ENDPOINT_URL: proxy.url, AWS_REGION: REGION });

const policies = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const kindValidators = {
  Resource: resourceEntityV1alpha1Validator,
  System: systemEntityV1alpha1Validator,
  Domain: domainEntityV1alpha1Validator,
  Location: locationEntityV1alpha1Validator,
};
async function assertBackstageValid(text, file) {
  for (const doc of parseAllDocuments(text)) {
    assert.equal(doc.errors.length, 0, `${file}: ${doc.errors}`);
    const entity = doc.toJS();
    const checked = await policies.enforce(entity);
    assert.ok(checked, `${file}: ${entity.metadata?.name} rejected by the policies`);
    assert.equal(await kindValidators[entity.kind].check(entity), true, `${file}: ${entity.kind} ${entity.metadata.name}`);
  }
}

test('> 1,000 repositories across pages, with tags and owners, pass Backstage’s validators', async () => {
  proxy.state.pages.length = 0;
  proxy.state.calls = {};
  const dir = repo();
  const r = await live(dir, '--format', 'json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.report.repoCount, names.length);
  assert.deepEqual(out.report.synced, ['ledger-sync']);
  assert.deepEqual(out.report.ghosts, ['checkout-web', 'search-indexer']);
  assert.equal(out.report.orphans.length, names.length - 1);
  assert.deepEqual(proxy.state.pages, [1000, 1000], 'two pages of at most 1,000');
  assert.equal(proxy.state.calls.ListTagsForResource, names.length);

  const files = tree(dir, 'utf8');
  for (const f of out.files.map((x) => x.path)) await assertBackstageValid(files[f], f);
  const docs = parseAllDocuments(files[ENTITIES]).map((d) => d.toJS());
  const byName = Object.fromEntries(docs.map((d) => [d.metadata.name, d]));
  const registry = byName['ecr-registry'];
  assert.equal(registry.metadata.annotations['platform/repo-count'], String(names.length));
  assert.match(registry.metadata.description, /^Master AWS ECR Registry\. Manages 1052 repositories:\n- ledger-sync \(dev\)\n- svc-0000 \(unassigned\)/);
  assert.match(registry.metadata.description, /\n- … and 952 more$/);
  // Owners: catalog first, then the AWS owner tag, then the default.
  assert.equal(byName['ecr-ledger-sync'].spec.owner, 'database-team');
  assert.deepEqual(byName['ecr-ledger-sync'].metadata.tags, ['env-dev', 'risk-low']);
  assert.equal(byName['ecr-team-a-web'].spec.owner, 'app-team');
  assert.equal(byName['ecr-svc-0007'].spec.owner, 'sre-team');
  assert.equal(byName['ecr-svc-0008'].spec.owner, 'platform-team');
  assert.equal(byName['ecr-svc-0008'].metadata.annotations['amazonaws.com/ecr-repository-arn'], `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/svc-0008`);
  assert.deepEqual(byName['ecr-svc-0008'].spec.dependencyOf, ['resource:ecr-registry']);

  // A second run over the same state changes nothing on disk, even with a later time.
  const again = await cli(['sync', '--repo', dir, '--now', '2026-11-22T09:00:00Z'], { AWS_ENDPOINT_URL: proxy.url, AWS_REGION: REGION });
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /entities are up to date/);
  assert.deepEqual(tree(dir, 'utf8'), files);
});

test('--check: exit 0 on a clean tree, 1 on drift, and writes nothing', async () => {
  const dir = repo();
  assert.equal((await live(dir, '--no-tags')).status, 0);
  const clean = tree(dir, 'utf8');
  const ok = await live(dir, '--no-tags', '--check');
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  await ecr(moto.url, 'CreateRepository', { repositoryName: 'zz-drift' });
  try {
    const drift = await live(dir, '--no-tags', '--check');
    assert.equal(drift.status, 1, drift.stdout);
    assert.match(drift.stdout, /would change: catalog\/resources\/ecr-registry\.yaml/);
    assert.deepEqual(tree(dir, 'utf8'), clean);
  } finally {
    await ecr(moto.url, 'DeleteRepository', { repositoryName: 'zz-drift', force: true });
  }
});

test('retries that succeed: throttling, 5xx and a dropped connection', async () => {
  const dir = repo();
  proxy.state.calls = {};
  proxy.state.faults = { throttle: { DescribeRepositories: 2 }, error5xx: { ListTagsForResource: 3 }, drop: { DescribeRepositories: 1 } };
  const r = await live(dir);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(proxy.state.calls.DescribeRepositories >= 5, JSON.stringify(proxy.state.calls));
  assert.equal(proxy.state.calls.ListTagsForResource, names.length + 3);
  proxy.state.faults = {};
});

test('persistent failure part-way leaves the existing files untouched', async () => {
  const dir = repo();
  assert.equal((await live(dir, '--no-tags')).status, 0);
  const before = tree(dir, 'utf8');
  await ecr(moto.url, 'CreateRepository', { repositoryName: 'zz-new' });
  try {
    proxy.state.faults = { error5xx: { ListTagsForResource: Infinity } };
    const r = await live(dir, '--max-attempts', '2');
    assert.equal(r.status, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /ListTagsForResource/);
    assert.deepEqual(tree(dir, 'utf8'), before);
    proxy.state.faults = { deny: { ListTagsForResource: Infinity } };
    const denied = await live(dir, '--max-attempts', '2');
    assert.equal(denied.status, 3);
    assert.match(denied.stderr, /permission ecr:ListTagsForResource/);
    proxy.state.faults = { deny: { DescribeRepositories: Infinity } };
    const denied2 = await live(dir, '--no-tags');
    assert.match(denied2.stderr, /permission ecr:DescribeRepositories/);
    assert.deepEqual(tree(dir, 'utf8'), before);
  } finally {
    proxy.state.faults = {};
    await ecr(moto.url, 'DeleteRepository', { repositoryName: 'zz-new', force: true });
  }
});

test('region missing, endpoint down, missing or expired credentials give actionable errors', async () => {
  const dir = repo();
  const before = tree(dir, 'utf8');
  const noRegion = await cli(['sync', '--repo', dir], { AWS_ENDPOINT_URL: proxy.url });
  assert.equal(noRegion.status, 2);
  for (const way of ['--region', 'AWS_REGION', 'AWS_DEFAULT_REGION']) assert.ok(noRegion.stderr.includes(way), noRegion.stderr);
  const viaDefault = await cli(['sync', '--repo', dir, '--dry-run', '--no-tags'], { AWS_ENDPOINT_URL: proxy.url, AWS_DEFAULT_REGION: REGION });
  assert.equal(viaDefault.status, 0, viaDefault.stderr);

  const port = await freePort(); // nothing listens there
  const down = await cli(['sync', '--repo', dir, '--region', REGION, '--endpoint-url', `http://127.0.0.1:${port}`, '--max-attempts', '2']);
  assert.equal(down.status, 3);
  assert.match(down.stderr, /could not connect to the ECR endpoint http:\/\/127\.0\.0\.1:\d+.*AWS_REGION/s);

  const noCreds = await cli(['sync', '--repo', dir, '--region', REGION, '--endpoint-url', proxy.url], { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
  assert.equal(noCreds.status, 3, noCreds.stderr);
  assert.match(noCreds.stderr, /no usable AWS credentials.*AWS_PROFILE/s);
  proxy.state.faults = { expired: { DescribeRepositories: Infinity } };
  try {
    const expired = await live(dir);
    assert.equal(expired.status, 3);
    assert.match(expired.stderr, /credentials have expired \(ExpiredTokenException\)/);
  } finally {
    proxy.state.faults = {};
  }
  assert.deepEqual(tree(dir, 'utf8'), before);
});

test('WebAssembly renderEntities writes the same bytes as the CLI for the same listing', async () => {
  const listing = fs.readFileSync(path.join(root, 'examples/aws/describe-repositories.json'), 'utf8');
  const dir = repo();
  const r = await cli(['sync', '--repo', dir, '--from-json', path.join(root, 'examples/aws/describe-repositories.json'), '--now', '2026-11-21T18:00:00Z']);
  assert.equal(r.status, 0, r.stderr);
  const catalog = fs.readFileSync(path.join(dir, CATALOG), 'utf8');
  const out = core.renderEntities(listing, catalog, { region: REGION, now: '2026-11-21T18:00:00Z' });
  const files = tree(dir, 'utf8');
  assert.equal(out.files.length, 4);
  for (const f of out.files) {
    assert.equal(f.text, files[f.path], f.path);
    await assertBackstageValid(f.text, f.path);
  }
  assert.deepEqual(out.report.orphans, ['build-cache', 'team-a/web']);
  // Collisions are reported, never merged: 'team-a/web' and 'team-a-web' both map to ecr-team-a-web.
  const clash = JSON.parse(listing);
  clash.repositories.push({ ...clash.repositories[1], repositoryName: 'team-a-web', repositoryArn: clash.repositories[1].repositoryArn.replace('team-a/web', 'team-a-web') });
  const c = core.renderEntities(JSON.stringify(clash), catalog, { region: REGION, now: '2026-11-21T18:00:00Z' });
  assert.deepEqual(c.report.collisions, [{ entityName: 'ecr-team-a-web', repositories: ['team-a-web', 'team-a/web'] }]);
  assert.ok(!c.files[0].text.includes('name: ecr-team-a-web'));
  assert.throws(() => core.renderEntities('{"repos": []}', null, { region: REGION, now: '2026-11-21T18:00:00Z' }), /no "repositories" list/);
});

test('docs/examples/ecr-backstage-sync.yml is valid YAML and uses only flags sync has', async () => {
  const { parse } = await import('yaml');
  const text = fs.readFileSync(path.join(root, 'docs/examples/ecr-backstage-sync.yml'), 'utf8');
  const workflow = parse(text);
  assert.ok(workflow.jobs.sync.steps.length >= 4);
  const help = (await cli(['sync', '--help'])).stdout;
  const uses = [...text.matchAll(/ecr-registrar sync ([^\n>]*)/g)].flatMap((m) => m[1].match(/--[a-z-]+/g) ?? []);
  assert.ok(uses.length >= 3);
  for (const flag of uses) assert.ok(help.includes(flag), `${flag} is not a sync flag`);
});

test('several targets from saved listings: one registry each, unique names, per-environment reconciliation, Backstage-valid', async () => {
  const dir = repo();
  fs.writeFileSync(
    path.join(dir, 'registrar.yaml'),
    'sync:\n  targets:\n    - { environment: dev, region: eu-west-2, account: "111111111111" }\n    - { environment: prod, region: eu-west-2, account: "222222222222" }\n    - { environment: prod, region: us-east-1, account: "222222222222" }\n',
  );
  const listing = (account, region, repoNames) => {
    const f = path.join(dir, `${account}-${region}.json`);
    const repositories = repoNames.map((n) => ({ repositoryName: n, registryId: account, repositoryArn: `arn:aws:ecr:${region}:${account}:repository/${n}` }));
    fs.writeFileSync(f, JSON.stringify({ repositories }));
    return f;
  };
  // checkout-web (prod in the catalog) also exists in the dev account; ledger-sync (dev) in prod.
  const args = [
    '--listing', `dev=${listing('111111111111', 'eu-west-2', ['ledger-sync', 'checkout-web'])}`,
    '--listing', `prod-eu-west-2=${listing('222222222222', 'eu-west-2', ['checkout-web', 'ledger-sync'])}`,
    '--listing', `prod-us-east-1=${listing('222222222222', 'us-east-1', ['checkout-web'])}`,
  ];
  const r = await cli(['sync', '--repo', dir, '--now', '2026-11-23T10:00:00Z', '--format', 'json', ...args]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const by = Object.fromEntries(out.targets.map((t) => [`${t.environment}/${t.region}`, t]));
  assert.deepEqual([by['dev/eu-west-2'].synced, by['dev/eu-west-2'].orphans], [['ledger-sync'], ['checkout-web']]);
  assert.deepEqual([by['prod/eu-west-2'].synced, by['prod/eu-west-2'].orphans], [['checkout-web'], ['ledger-sync']]);
  assert.deepEqual(by['prod/us-east-1'].synced, ['checkout-web']);
  assert.equal(out.totals.repoCount, 5);
  assert.deepEqual(out.totals.untargeted, ['search-indexer'], 'staging has no target');
  const files = tree(dir, 'utf8');
  for (const f of out.files.map((x) => x.path)) await assertBackstageValid(files[f], f);
  // One entities file per target (a target that cannot be listed leaves its own file alone).
  const perTarget = Object.keys(files).filter((f) => f.startsWith('catalog/resources/')).sort();
  assert.deepEqual(perTarget, ['catalog/resources/ecr-registry-dev.yaml', 'catalog/resources/ecr-registry-prod-eu-west-2.yaml', 'catalog/resources/ecr-registry-prod-us-east-1.yaml']);
  const docs = perTarget.flatMap((f) => parseAllDocuments(files[f]).map((d) => d.toJS()));
  const names = docs.map((d) => d.metadata.name);
  assert.equal(new Set(names).size, names.length, 'entity names are unique');
  assert.deepEqual(names.filter((n) => n.startsWith('ecr-registry')), ['ecr-registry-dev', 'ecr-registry-prod-eu-west-2', 'ecr-registry-prod-us-east-1']);
  for (const d of docs.filter((x) => x.spec.type === 'container-repository')) {
    const a = d.metadata.annotations;
    assert.equal(a['aws.amazon.com/amazon-ecr-arn'], a['amazonaws.com/ecr-repository-arn'], d.metadata.name);
    assert.ok(d.spec.dependencyOf[0].startsWith('resource:ecr-registry-'), d.metadata.name);
  }
  // --target restricts; an unknown one is refused with the list of targets.
  const only = await cli(['sync', '--repo', dir, '--now', '2026-11-23T10:00:00Z', '--format', 'json', '--dry-run', '--target', 'dev', ...args]);
  assert.deepEqual(JSON.parse(only.stdout).targets.map((t) => t.environment), ['dev']);
  const unknown = await cli(['sync', '--repo', dir, '--target', 'qa', ...args]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no such target \(targets: dev, prod-eu-west-2, prod-us-east-1\)/);
});

test('several accounts and regions through STS AssumeRole: per-target files, partial failure, the matrix split equals one run', async () => {
  const roles = { a: 'arn:aws:iam::111111111111:role/ecr-sync', b: 'arn:aws:iam::222222222222:role/ecr-sync' };
  const keyA = await assumeRole(moto.url, roles.a);
  const keyB = await assumeRole(moto.url, roles.b);
  // The same name in three places; checkout-web (prod in the catalog) also in a dev account.
  for (const [key, region, repoNames] of [
    [keyA, 'eu-west-2', ['shared', 'ledger-sync', 'checkout-web']],
    [keyA, 'us-east-1', ['shared']],
    [keyB, 'eu-west-2', ['shared', 'checkout-web']],
  ]) {
    for (const n of repoNames) await ecr(moto.url, 'CreateRepository', { repositoryName: n }, { key, region });
  }
  const good =
    `    - { environment: dev, region: eu-west-2, roleArn: "${roles.a}" }\n` +
    `    - { environment: dev, region: us-east-1, roleArn: "${roles.a}", externalId: ecr-registrar }\n` +
    `    - { environment: prod, region: eu-west-2, roleArn: "${roles.b}", account: "222222222222" }\n`;
  // The default credentials are moto's account 123456789012, not this one: GetCallerIdentity fails it.
  const bad = '    - { environment: staging, region: eu-west-2, account: "444444444444" }\n';
  const setup = (targets) => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'registrar.yaml'), `sync:\n  targets:\n${targets}`);
    return dir;
  };
  const run = (dir, ...more) => cli(['sync', '--repo', dir, '--now', '2026-11-23T10:00:00Z', ...more], { AWS_ENDPOINT_URL: moto.url, AWS_REGION: REGION });

  // One target fails: nothing is written by default, exit 3 naming it.
  const dir = setup(good + bad);
  const before = tree(dir, 'utf8');
  const strict = await run(dir, '--format', 'json');
  assert.equal(strict.status, 3, strict.stderr);
  const err = JSON.parse(strict.stdout).error;
  assert.equal(err.code, 'aws');
  assert.match(err.message, /1 target\(s\) could not be listed; nothing was written[\s\S]*target staging: the credentials are for account 123456789012, not 444444444444/);
  assert.deepEqual(tree(dir, 'utf8'), before, 'nothing written');
  // --partial: the three others are written, staging's file is not, exit 3 still.
  const partial = await run(dir, '--format', 'json', '--partial');
  assert.equal(partial.status, 3, partial.stderr);
  const out = JSON.parse(partial.stdout);
  assert.deepEqual(out.targets.map((t) => `${t.environment}/${t.region}/${t.account}`), [
    'dev/eu-west-2/111111111111',
    'dev/us-east-1/111111111111',
    'prod/eu-west-2/222222222222',
  ]);
  const files = tree(dir, 'utf8');
  assert.ok(files['catalog/resources/ecr-registry-dev-eu-west-2.yaml'] && files['catalog/resources/ecr-registry-prod.yaml']);
  assert.equal(files['catalog/resources/ecr-registry-staging.yaml'], undefined);
  // Reconciliation per environment: checkout-web is synced in prod, an orphan in the dev account.
  const [devEu, , prod] = out.targets;
  assert.deepEqual([devEu.synced, [...devEu.orphans].sort()], [['ledger-sync'], ['checkout-web', 'shared']]);
  assert.deepEqual([prod.synced, prod.orphans], [['checkout-web'], ['shared']]);
  // Every entity is Backstage-valid, names are unique, both ARN annotations everywhere.
  const names = [];
  for (const f of Object.keys(files).filter((f) => f.startsWith('catalog/'))) {
    await assertBackstageValid(files[f], f);
    for (const d of parseAllDocuments(files[f]).map((x) => x.toJS())) {
      names.push(d.metadata.name);
      if (d.spec?.type === 'container-repository') {
        assert.equal(d.metadata.annotations['aws.amazon.com/amazon-ecr-arn'], d.metadata.annotations['amazonaws.com/ecr-repository-arn']);
      }
    }
  }
  assert.equal(new Set(names).size, names.length, `duplicate entity names: ${names}`);
  assert.ok(names.includes('ecr-dev-eu-west-2-shared') && names.includes('ecr-dev-us-east-1-shared') && names.includes('ecr-prod-shared'));
  const location = parseAllDocuments(files['catalog/locations/ecr-registry.yaml'])[0].toJS();
  assert.ok(location.spec.targets.includes('../resources/ecr-registry-staging.yaml'), 'the failed target stays in the Location');

  // The matrix split (one listing job per target, then one render) equals the single run.
  const single = setup(good);
  assert.equal((await run(single)).status, 0);
  const split = setup(good);
  const listings = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-listings-'));
  for (const slug of ['dev-eu-west-2', 'dev-us-east-1', 'prod']) {
    const r = await run(split, '--target', slug, '--save-listings', listings);
    assert.equal(r.status, 0, r.stderr);
  }
  const render = await run(split, ...['dev-eu-west-2', 'dev-us-east-1', 'prod'].flatMap((s) => ['--listing', `${s}=${path.join(listings, `${s}.json`)}`]));
  assert.equal(render.status, 0, render.stderr);
  assert.deepEqual(tree(split, 'utf8'), tree(single, 'utf8'));
});

test('faults in one account through the proxy: the others are listed, and nothing is written unless --partial', async () => {
  const accounts = ['777777777777', '888888888888', '999999999999'];
  const envs = ['dev', 'test', 'prod'];
  for (const [i, a] of accounts.entries()) {
    const key = await assumeRole(moto.url, `arn:aws:iam::${a}:role/ecr-sync`);
    for (const n of ['api', `only-${envs[i]}`]) await ecr(moto.url, 'CreateRepository', { repositoryName: n, tags: [{ Key: 'owner', Value: 'team-x' }] }, { key });
  }
  const dir = repo();
  fs.writeFileSync(path.join(dir, 'registrar.yaml'), `sync:\n  targets:\n${accounts.map((a, i) => `    - { environment: ${envs[i]}, region: ${REGION}, roleArn: "arn:aws:iam::${a}:role/ecr-sync" }\n`).join('')}`);
  const run = (...more) => cli(['sync', '--repo', dir, '--now', '2026-11-23T10:00:00Z', '--format', 'json', '--max-attempts', '3', ...more], { AWS_ENDPOINT_URL: proxy.url, AWS_REGION: REGION });
  const before = tree(dir, 'utf8');
  const scope = (a) => `${a}/${REGION}`;
  try {
    // Throttling in one account only: retried there; the other accounts see none.
    proxy.state.throttled = {};
    proxy.state.faults = { throttle: { [`${accounts[0]}:*`]: 2 } };
    const transient = await run('--dry-run');
    assert.equal(transient.status, 0, transient.stderr);
    assert.deepEqual(proxy.state.throttled, { [scope(accounts[0])]: 2 });
    assert.deepEqual(JSON.parse(transient.stdout).targets.map((t) => t.repoCount), [2, 2, 2]);

    // test's account denies the tags, prod's throttles past every retry, dev is fine.
    proxy.state.callsBy = {};
    proxy.state.faults = { deny: { [`${accounts[1]}:ListTagsForResource`]: Infinity }, throttle: { [`${accounts[2]}:DescribeRepositories`]: Infinity } };
    const strict = await run();
    assert.equal(strict.status, 3, strict.stderr);
    const message = JSON.parse(strict.stdout).error.message;
    assert.match(message, /2 target\(s\) could not be listed; nothing was written/);
    assert.match(message, /target test: AWS denied ListTagsForResource \(AccessDeniedException\): the credentials need the IAM permission ecr:ListTagsForResource/);
    assert.match(message, /target prod: AWS kept throttling DescribeRepositories \(ThrottlingException\) in eu-west-2 after every retry/);
    assert.doesNotMatch(message, /target dev/);
    // Each account was asked only its own questions: dev once each, prod's page --max-attempts times.
    assert.deepEqual(proxy.state.callsBy[scope(accounts[0])], { GetCallerIdentity: 1, DescribeRepositories: 1, ListTagsForResource: 2 });
    assert.deepEqual(proxy.state.callsBy[scope(accounts[2])], { GetCallerIdentity: 1, DescribeRepositories: 3 });
    assert.deepEqual(tree(dir, 'utf8'), before, 'nothing written');

    // --partial: dev's files are written; test's and prod's are not, and the run still exits 3.
    const partial = await run('--partial');
    assert.equal(partial.status, 3, partial.stderr);
    assert.deepEqual(JSON.parse(partial.stdout).targets.map((t) => t.environment), ['dev']);
    const files = tree(dir, 'utf8');
    assert.ok(files['catalog/resources/ecr-registry-dev.yaml'].includes('name: ecr-dev-only-dev'));
    assert.equal(files['catalog/resources/ecr-registry-test.yaml'], undefined);
    assert.equal(files['catalog/resources/ecr-registry-prod.yaml'], undefined);

    // One account unreachable (every connection dropped): named as such, the others listed.
    proxy.state.faults = { drop: { [`${accounts[1]}:*`]: Infinity } };
    const down = await run('--dry-run', '--partial');
    assert.equal(down.status, 3, down.stderr);
    assert.deepEqual(JSON.parse(down.stdout).targets.map((t) => t.environment), ['dev', 'prod']);
    assert.match(down.stderr, /target test: could not connect to the ECR endpoint/);
  } finally {
    proxy.state.faults = {};
  }
});

test('docs/examples/workflows/ecr-sync-estate.yml: its steps list each target and render them as one run would', async () => {
  const workflow = (await import('yaml')).parse(fs.readFileSync(path.join(root, 'docs/examples/workflows/ecr-sync-estate.yml'), 'utf8'));
  const roles = { c: 'arn:aws:iam::555555555555:role/ecr-sync', d: 'arn:aws:iam::666666666666:role/ecr-sync' };
  for (const [role, repoNames] of [[roles.c, ['api', 'ledger-sync']], [roles.d, ['api']]]) {
    const key = await assumeRole(moto.url, role);
    for (const n of repoNames) await ecr(moto.url, 'CreateRepository', { repositoryName: n }, { key });
  }
  const config = `sync:\n  targets:\n    - { environment: dev, region: eu-west-2, roleArn: "${roles.c}" }\n    - { environment: prod, region: eu-west-2, roleArn: "${roles.d}" }\n`;
  const fresh = () => {
    const dir = repo();
    fs.writeFileSync(path.join(dir, 'registrar.yaml'), config);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'add', '-A'], { cwd: dir });
    execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', 'commit', '-qm', 'platform'], { cwd: dir });
    return dir;
  };
  const aws = { AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: REGION };
  const dir = fresh();
  const targets = runWorkflowStep(workflow, 'targets', 'Targets as a matrix', dir, aws);
  assert.equal(targets.status, 0, targets.stderr);
  const matrix = JSON.parse(targets.outputs.matrix);
  assert.deepEqual(matrix.include.map((t) => t.slug), ['dev', 'prod']);
  // Each matrix job in its own checkout; the artifacts are merged into one folder.
  const merged = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-artifacts-'));
  for (const t of matrix.include) {
    const job = fresh();
    const r = runWorkflowStep(workflow, 'list', 'List the target', job, { ...aws, SLUG: t.slug });
    assert.equal(r.status, 0, r.stderr);
    fs.cpSync(path.join(job, 'listings'), merged, { recursive: true });
  }
  assert.deepEqual(fs.readdirSync(merged).sort(), ['dev.json', 'prod.json']);
  // download-artifact puts them in the runner's temp folder, out of the work tree.
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-runner-temp-'));
  fs.cpSync(merged, path.join(runnerTemp, 'listings'), { recursive: true });
  const render = runWorkflowStep(workflow, 'render', 'Render the entities', dir, { ...aws, RUNNER_TEMP: runnerTemp });
  assert.equal(render.status, 0, render.stderr);
  assert.equal(render.outputs.changed, 'true');
  // ledger-sync synced in dev; api an orphan in both; checkout-web (prod) a ghost; staging untargeted.
  assert.match(render.stdout, /^3 repositories: 1 synced, 2 orphans, 1 ghosts$/m);
  // The same as one run of `sync` over every target, but for the sync time.
  const single = fresh();
  const r = await cli(['sync', '--repo', single], aws);
  assert.equal(r.status, 0, r.stderr);
  const strip = (files) =>
    Object.fromEntries(Object.entries(files).filter(([f]) => f.startsWith('catalog/')).map(([f, t]) => [f, t.replace(/platform\/last-sync: .*/g, '')]));
  assert.deepEqual(strip(tree(dir, 'utf8')), strip(tree(single, 'utf8')));
});
