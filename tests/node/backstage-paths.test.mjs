// The platform's two request paths run as real scaffolder tasks in the real Backstage backend
// (tests/backstage: the packed tarball, the GitHub scaffolder module, PostgreSQL on 127.0.0.1),
// with GitHub's API served by the recording server (tests/backstage/github-recorder.mjs) that the
// backend's GitHub integration talks to (`apiBaseUrl`, a static token). The templates are the
// shipped files, unchanged; the infra repository they fetch is a real git repository.
//
// Dispatch path (templates/ecr-request-dispatch): the request is validated against the fetched
// repo's registrar.yaml before anything is dispatched; the dispatch names the workflow, the ref and
// every request field; the task's output links the workflow run GitHub returned.
//
// Crossplane + Argo CD path (templates/ecr-request-crossplane): one pull request to the GitOps
// repository (written into the real repository through the Git data API) holding the Crossplane
// manifests (valid against the provider's CRDs, byte for byte the CLI's), the Argo CD Application
// (valid against Argo CD's CRD, pointing at the manifests' directory on the picked cluster) and
// the entity; catalog:register registers its URL, and once the pull request is merged the catalog
// reads the entity through the same GitHub API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startPostgres } from '../backstage/postgres.mjs';
import { startBackend } from '../backstage/harness.mjs';
import { startGithubRecorder } from '../backstage/github-recorder.mjs';
import { bin, installPacked, root } from './helpers.mjs';
import { assertValidManifest } from '../../js/dist/testing/crds.js';

const TOKEN = 'ghp_recorder-static-token';
let pg;
let backend;
let github;
let installed;
let infra;
let gitops;

const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

async function api(method, route, body) {
  const res = await fetch(`${backend.base}/api/scaffolder${route}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Run a task of a catalog template to its end: `{status, output, log}`. */
async function runTask(templateRef, values) {
  const created = await api('POST', '/v2/tasks', { templateRef, values });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const task = await api('GET', `/v2/tasks/${created.body.id}`);
    if (task.body.status === 'completed' || task.body.status === 'failed') {
      const events = await api('GET', `/v2/tasks/${created.body.id}/events`);
      const log = events.body.filter((e) => e.type === 'log').map((e) => e.body.message).join('\n');
      const done = events.body.find((e) => e.type === 'completion');
      return { status: task.body.status, output: done?.body.output, log };
    }
    assert.ok(Date.now() < deadline, 'the task did not finish in 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  installed = installPacked('paths-');
  // The platform's infra repository: examples/platform on development, and main (the workflow's ref).
  infra = fs.mkdtempSync(path.join(installed.consumer, 'platform-infra-'));
  fs.cpSync(path.join(root, 'examples/platform'), infra, { recursive: true });
  git(infra, 'init', '-q', '-b', 'development');
  git(infra, 'add', '-A');
  git(infra, 'commit', '-qm', 'the platform');
  git(infra, 'branch', 'main');
  // The GitOps repository the Crossplane path publishes to: main, nothing for ECR yet.
  gitops = fs.mkdtempSync(path.join(installed.consumer, 'platform-gitops-'));
  fs.writeFileSync(path.join(gitops, 'README.md'), '# platform-gitops\n');
  git(gitops, 'init', '-q', '-b', 'main');
  git(gitops, 'add', '-A');
  git(gitops, 'commit', '-qm', 'the GitOps repository');
  // The clusters, as the catalog knows them (Resources of type kubernetes-cluster).
  const clusters = path.join(installed.consumer, 'clusters.yaml');
  fs.writeFileSync(clusters, 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: prod-eu-west-2 }\nspec: { type: kubernetes-cluster, owner: platform-team }\n');
  github = await startGithubRecorder({ repos: { 'acme/platform-infra': infra, 'acme/platform-gitops': gitops } });
  pg = await startPostgres();
  const templates = ['ecr-request-dispatch', 'ecr-request-crossplane', 'ecr-request', 'ecr-decommission'].map((t) => {
    const dir = path.join(installed.consumer, 'templates', t);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(root, 'templates', t, 'template.yaml'), path.join(dir, 'template.yaml'));
    return path.join(dir, 'template.yaml');
  });
  backend = await startBackend({
    consumer: installed.consumer,
    pg,
    prefix: 'paths_',
    locations: [...templates, clusters],
    // As docs/backstage.md says: registered locations may hold Resources (the registry's entity).
    rules: [{ allow: ['Component', 'API', 'Location', 'Resource'] }],
    config: { integrations: { github: [{ host: 'github.com', apiBaseUrl: github.apiBaseUrl, token: TOKEN }] } },
    // As docs/backstage.md says: the entity files' directory is read as optional locations (the
    // package's entity-locations module), and a decommissioned registry's entity leaves the catalog.
    extraConfig: 'catalog:\n  orphanStrategy: delete\necrRegistrar:\n  entityLocations: [https://github.com/acme/platform-gitops/blob/main/catalog/ecr/]\n',
    args: ['--with-ecr-entity-locations'],
    ready: async (b) =>
      (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-request-dispatch`)).ok &&
      (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-request-crossplane`)).ok &&
      (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-request`)).ok &&
      (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-decommission`)).ok,
  });
});

after(async () => {
  await backend?.stop();
  await github?.stop();
  pg?.stop();
  installed?.remove();
});

const request = {
  name: 'payments-api',
  owner: 'app-team',
  requester: 'daniel-deans',
  domain: 'delivery',
  environment: 'staging',
  risk: 'high',
  description: 'Payments API images',
  region: 'eu-west-2',
};
const dispatches = () => github.find('POST', /\/actions\/workflows\/.*\/dispatches$/);

test('the dispatch template fetches the infra repo, validates, then dispatches create-ecr-registry.yml with every field, and links the run', async () => {
  const before = github.calls.length;
  const run = await runTask('template:default/ecr-request-dispatch', request);
  assert.equal(run.status, 'completed', run.log);
  const calls = github.calls.slice(before);
  // The infra repo came from the recorder, at development, with the static token.
  const status = calls.find((c) => c.path === '/repos/acme/platform-infra/commits/development/status');
  assert.ok(status, JSON.stringify(calls.map((c) => `${c.method} ${c.path}`)));
  assert.ok(calls.some((c) => c.method === 'GET' && c.path.startsWith('/repos/acme/platform-infra/tarball/') && c.status === 200));
  // One dispatch: the workflow, the ref, the request as its inputs, the run's details asked for.
  const sent = calls.filter((c) => /\/dispatches$/.test(c.path));
  assert.equal(sent.length, 1);
  const [d] = sent;
  assert.equal(d.method, 'POST');
  assert.equal(d.path, '/repos/acme/platform-infra/actions/workflows/create-ecr-registry.yml/dispatches');
  assert.equal(d.authorization, `token ${TOKEN}`);
  assert.deepEqual(d.body, { ref: 'development', inputs: { base_branch: 'development', ...request }, return_run_details: true });
  // The fetch and validation came first: nothing was dispatched before the repository was read.
  assert.ok(calls.indexOf(status) < calls.indexOf(d));
  // The task's output links the run GitHub returned, and where the pull request will be.
  const links = Object.fromEntries(run.output.links.map((l) => [l.title, l.url]));
  const runUrl = links['Workflow run'];
  assert.match(runUrl, /^https:\/\/github\.com\/acme\/platform-infra\/actions\/runs\/\d+$/);
  assert.match(run.log, new RegExp(`Workflow run url: ${runUrl.replace(/[.?/]/g, '\\$&')}`));
  assert.equal(links['Pull request (registry/create-payments-api, once the run has finished)'], 'https://github.com/acme/platform-infra/pulls?q=is%3Apr+head%3Aregistry%2Fcreate-payments-api');
  const text = Object.fromEntries(run.output.text.map((t) => [t.title, t.content]));
  assert.match(text['Where the pull request will appear'], /registry\/create-payments-api into development/);
});

test('a request the repo’s registrar.yaml refuses, or an invalid name, is never dispatched', async () => {
  // The repo narrows its environments: staging is not one of them.
  fs.writeFileSync(path.join(infra, 'registrar.yaml'), 'environments: [dev, prod]\n');
  git(infra, 'add', 'registrar.yaml');
  git(infra, 'commit', '-qm', 'only dev and prod');
  try {
    const count = dispatches().length;
    const refused = await runTask('template:default/ecr-request-dispatch', request);
    assert.equal(refused.status, 'failed');
    assert.match(refused.log, /\[unknown_environment\]/);
    const invalid = await runTask('template:default/ecr-request-dispatch', { ...request, environment: 'dev', name: 'abc-' });
    assert.equal(invalid.status, 'failed');
    assert.match(invalid.log, /\[name_aws_pattern\]/);
    // The new fields are checked by the same core before anything is dispatched.
    for (const [change, needle] of [
      [{ region: 'mars-west-1' }, /\[invalid_region\]/],
      [{ description: 'two\nlines' }, /\[invalid_description\]/],
      [{ description: '   ' }, /\[invalid_description\]/],
    ]) {
      const bad = await runTask('template:default/ecr-request-dispatch', { ...request, environment: 'dev', ...change });
      assert.equal(bad.status, 'failed', JSON.stringify(change));
      assert.match(bad.log, needle);
    }
    // Past 256 characters the form's own schema refuses it (the core's limit, said twice).
    const long = await api('POST', '/v2/tasks', { templateRef: 'template:default/ecr-request-dispatch', values: { ...request, environment: 'dev', description: 'x'.repeat(257) } });
    assert.equal(long.status, 400, JSON.stringify(long.body));
    assert.equal(dispatches().length, count, 'nothing dispatched');
    // The same request in an environment the repo has is dispatched.
    const ok = await runTask('template:default/ecr-request-dispatch', { ...request, environment: 'prod' });
    assert.equal(ok.status, 'completed', ok.log);
    assert.equal(dispatches().length, count + 1);
    assert.equal(dispatches().at(-1).body.inputs.environment, 'prod');
  } finally {
    git(infra, 'reset', '-q', '--hard', 'HEAD~1');
  }
});

test('the template’s dispatch inputs are strings, as the action’s schema demands', () => {
  const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request-dispatch/template.yaml'), 'utf8'));
  const inputs = template.spec.steps.find((s) => s.id === 'dispatch').input.workflowInputs;
  for (const [k, v] of Object.entries(inputs)) assert.equal(typeof v, 'string', k);
});

const crossplaneRequest = {
  name: 'payments-api',
  region: 'us-east-1',
  description: 'Docker images for the payments application',
  owner: 'app-team',
  system: 'container-registry',
  environment: 'prod',
  risk: 'high',
  sourceUrl: 'github.com/acme/payments',
  cluster: 'resource:default/prod-eu-west-2',
};
const BRANCH = 'registry/create-payments-api';
const FILES = ['argocd/applications/ecr-payments-api.yaml', 'catalog/ecr/payments-api.yaml', 'crossplane/ecr/payments-api/ecr.yaml'];

test('the Crossplane template opens one pull request to the GitOps repo: manifests, Application, entity; the entity is registered', async () => {
  const before = github.calls.length;
  const run = await runTask('template:default/ecr-request-crossplane', crossplaneRequest);
  assert.equal(run.status, 'completed', run.log);
  const calls = github.calls.slice(before);
  assert.deepEqual(calls.filter((c) => c.status >= 400 && !/\/contents\//.test(c.path)), [], 'no call GitHub would refuse');
  // One pull request, from the branch, into main, labelled.
  const pulls = calls.filter((c) => c.method === 'POST' && c.path === '/repos/acme/platform-gitops/pulls');
  assert.equal(pulls.length, 1);
  assert.equal(pulls[0].body.head, `acme:${BRANCH}`);
  assert.equal(pulls[0].body.base, 'main');
  assert.equal(pulls[0].body.title, 'Add ECR repository payments-api (Crossplane, prod)');
  // The body: the core's table (description and region as code spans), then the files.
  const prBody = pulls[0].body.body;
  assert.match(prBody, /\| Description \| `Docker images for the payments application` \|/);
  assert.match(prBody, /\| Region \| `us-east-1` \|/);
  assert.match(prBody, /Enhanced scanning is set per registry/);
  assert.match(prBody, /### Files\n- `crossplane\/ecr\/payments-api\/ecr.yaml`/);
  assert.ok(calls.some((c) => c.path === '/repos/acme/platform-gitops/issues/1/labels' && c.body.labels.includes('ecr-crossplane')));
  const links = Object.fromEntries(run.output.links.map((l) => [l.title, l.url ?? l.entityRef]));
  assert.equal(links['Pull request'], 'https://github.com/acme/platform-gitops/pull/1');
  assert.equal(links['Open in catalog (once merged)'], 'resource:default/ecr-payments-api');
  // The branch in the real repository: exactly the three files added on main.
  assert.deepEqual(git(gitops, 'diff', '--name-only', 'main', BRANCH).split('\n'), FILES);
  const show = (f) => git(gitops, 'show', `${BRANCH}:${f}`) + '\n';
  // The manifests: valid for the provider's CRDs, the CLI's bytes for the same request.
  const manifests = show('crossplane/ecr/payments-api/ecr.yaml');
  const docs = manifests.split(/^---\n/m).map((d) => parse(d));
  assert.deepEqual(docs.map((d) => d.kind), ['Repository', 'LifecyclePolicy']);
  docs.forEach(assertValidManifest);
  const cli = execFileSync(bin, ['render', 'crossplane', '--name', 'payments-api', '--owner', 'app-team', '--environment', 'prod', '--risk', 'high', '--region', 'us-east-1', '--system', 'container-registry'], { encoding: 'utf8' });
  assert.equal(manifests, cli);
  assert.equal(docs[0].spec.forProvider.region, 'us-east-1');
  assert.deepEqual([docs[0].spec.forProvider.tags.team, docs[0].spec.forProvider.tags.system], ['app-team', 'container-registry']);
  // The Application: valid for Argo CD's CRD, the manifests' directory, the picked cluster.
  const app = parse(show('argocd/applications/ecr-payments-api.yaml'));
  assertValidManifest(app);
  assert.deepEqual(app.spec.source, { repoURL: 'https://github.com/acme/platform-gitops', targetRevision: 'HEAD', path: 'crossplane/ecr/payments-api' });
  assert.equal(app.spec.destination.name, 'prod-eu-west-2');
  assert.equal(app.spec.destination.namespace, docs[0].metadata.namespace);
  // catalog:register registered the entity's URL on main.
  const url = 'https://github.com/acme/platform-gitops/blob/main/catalog/ecr/payments-api.yaml';
  const locations = await (await fetch(`${backend.base}/api/catalog/locations`)).json();
  assert.ok(locations.some((l) => l.data.target === url), JSON.stringify(locations));

  // The pull request merged: the catalog reads the entity from main through the GitHub API.
  github.merge('acme/platform-gitops', BRANCH);
  // The registered location's entity (named as the catalog names it, from the location's type and
  // target) is refreshed: the catalog reads main again, and finds the entity.
  const entityRef = `location:default/generated-${createHash('sha1').update(`url:${url}`).digest('hex')}`;
  const deadline = Date.now() + 60_000;
  let entity;
  while (!entity) {
    await fetch(`${backend.base}/api/catalog/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entityRef }) });
    const res = await fetch(`${backend.base}/api/catalog/entities/by-name/resource/default/ecr-payments-api`);
    if (res.ok) entity = await res.json();
    else {
      if (Date.now() > deadline) {
        const seen = github.calls.filter((c) => /platform-gitops\/contents/.test(c.path)).map((c) => `${c.method} ${c.path} ${JSON.stringify(c.query)} ${c.status}`);
        const locs = await (await fetch(`${backend.base}/api/catalog/entities?filter=kind=location`)).json();
        assert.fail(`the entity did not reach the catalog in 60 s; GitHub saw ${seen.join('; ')}; locations ${JSON.stringify(locs).slice(0, 3000)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  assert.deepEqual(entity.spec, { type: 'container-repository', owner: 'app-team', system: 'container-registry' });
  assert.equal(entity.metadata.description, crossplaneRequest.description);
  assert.equal(entity.metadata.annotations['platform/aws-region'], 'us-east-1');
  assert.equal(entity.metadata.annotations['argocd/app-name'], 'ecr-payments-api');
  assert.equal(entity.metadata.annotations['backstage.io/source-location'], 'url:https://github.com/acme/payments');

  // Decommissioned and merged: the entity's file leaves main, its (optional) location yields
  // nothing on the next refresh, and the catalog drops the entity instead of keeping a registry
  // that no longer exists (a required location's "not found" failed its processing, which kept the
  // entity for good, not even marked as an orphan).
  const retired = await runTask('template:default/ecr-decommission', { name: 'payments-api', environment: 'prod', path: 'crossplane', confirm: true });
  assert.equal(retired.status, 'completed', retired.log);
  github.merge('acme/platform-gitops', 'registry/decommission-payments-api');
  const gone = Date.now() + 90_000;
  for (;;) {
    await fetch(`${backend.base}/api/catalog/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entityRef }) });
    const res = await fetch(`${backend.base}/api/catalog/entities/by-name/resource/default/ecr-payments-api`);
    if (res.status === 404) break;
    const left = await res.json();
    if (Date.now() > gone) {
      const loc = await (await fetch(`${backend.base}/api/catalog/entities/by-name/location/default/${entityRef.split('/')[1]}`)).text();
      const seen = github.calls.filter((c) => /platform-gitops\/contents\/catalog/.test(c.path)).slice(-5).map((c) => `${c.method} ${c.path} ${JSON.stringify(c.query)} ${c.status}`);
      assert.fail(`the decommissioned entity stayed in the catalog for 90 s: ${JSON.stringify(left.metadata)}\nlocation ${JSON.stringify(JSON.parse(loc).status)} ${JSON.stringify(JSON.parse(loc).spec)}\nGitHub saw ${seen.join('; ')}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  // The location stays, finding nothing and without an error: a new request of the name reuses it.
  const location = await (await fetch(`${backend.base}/api/catalog/entities/by-name/location/default/${entityRef.split('/')[1]}`)).json();
  assert.equal(location.spec.target, url);
  assert.deepEqual(location.status?.items ?? [], [], 'the retired file is no processing error');
});

test('the Crossplane template refuses a bad region, cluster or description before anything reaches GitHub but the checkout, with no stack in its log', async () => {
  for (const [change, needle] of [
    [{ name: 'ledger-api', region: 'mars-1' }, /\[invalid_region\]/],
    [{ name: 'ledger-api', cluster: 'prod eu' }, /cluster .*\[invalid_format\]/],
    // Through the API, a cluster the catalog does not have (the form's picker offers only its own).
    [{ name: 'ledger-api', cluster: 'resource:default/no-such-cluster' }, /not in the catalog/],
    // Or by a plain name (the third issue-23 check: it went through unchecked).
    [{ name: 'ledger-api', cluster: 'in-cluster' }, /not in the catalog/],
    [{ name: 'ledger-api', sourceUrl: 'not a url' }, /\[invalid_format\]/],
    [{ name: 'ledger-api', description: 'a\nb' }, /description/],
  ]) {
    const before = github.calls.length;
    const run = await runTask('template:default/ecr-request-crossplane', { ...crossplaneRequest, ...change });
    assert.equal(run.status, 'failed', JSON.stringify(change));
    assert.match(run.log, needle);
    // Each action's refusal is its message: no stack frames, no node_modules paths.
    assert.doesNotMatch(run.log, /\n\s+at |node_modules/, JSON.stringify(change));
    const writes = github.calls.slice(before).filter((c) => c.method !== 'GET' && c.method !== 'HEAD');
    assert.deepEqual(writes, [], JSON.stringify(change));
  }
});

test('the Crossplane template refuses a name whose pull request is still open, before rendering or writing anything to GitHub', async () => {
  const name = 'orders-cache';
  const branch = `registry/create-${name}`;
  const first = await runTask('template:default/ecr-request-crossplane', { ...crossplaneRequest, name });
  assert.equal(first.status, 'completed', first.log);
  const url = first.output.links.find((l) => l.title === 'Pull request').url;
  const number = url.split('/').at(-1);
  // Requested again while that pull request waits for review: main has none of its files, so only
  // the open pull request says it is taken. Refused at ecr:check-open-request, in one line naming
  // the pull request; no render step ran, nothing was written to GitHub (no blob, tree, commit,
  // ref or pull request), and no stack or octokit message reaches the log.
  const before = github.calls.length;
  const again = await runTask('template:default/ecr-request-crossplane', { ...crossplaneRequest, name, risk: 'low' });
  assert.equal(again.status, 'failed', again.log);
  assert.match(again.log, new RegExp(`^ {2}branchName: "registry/create-${name}" already has an open pull request in "acme/platform-gitops", #${number} \\(${url.replace(/[.?/]/g, '\\$&')}\\): the same request is waiting for review; merge or close that pull request before requesting again \\[already_requested\\]$`, 'm'));
  assert.doesNotMatch(again.log, /\n\s+at |node_modules|Set update=true|Pull request already exists/);
  assert.doesNotMatch(again.log, /Wrote /, 'no render step ran');
  const calls = github.calls.slice(before);
  assert.deepEqual(calls.filter((c) => c.method !== 'GET' && c.method !== 'HEAD'), []);
  // The one question asked: the branch's open pull requests, through the integration, with its token.
  const asked = calls.filter((c) => c.path === '/repos/acme/platform-gitops/pulls');
  assert.deepEqual(asked.map((c) => [c.method, c.query, c.authorization, c.status]), [['GET', { state: 'open', head: `acme:${branch}`, per_page: '1' }, `token ${TOKEN}`, 200]]);
  // Merged, the name is refused by its files on main instead (ecr:render-crossplane), still before
  // anything is written; a name with no open pull request is asked about and goes on.
  github.merge('acme/platform-gitops', branch);
  const merged = github.calls.length;
  const third = await runTask('template:default/ecr-request-crossplane', { ...crossplaneRequest, name });
  assert.equal(third.status, 'failed', third.log);
  assert.match(third.log, /already requested: the repository already has .*\[already_requested\]/);
  assert.deepEqual(github.calls.slice(merged).filter((c) => c.method !== 'GET' && c.method !== 'HEAD'), []);
});

test('the pull request template (ecr-request) opens its pull request with the label the plan workflow runs on', async () => {
  const before = github.calls.length;
  const run = await runTask('template:default/ecr-request', { ...request, name: 'orders-api' });
  assert.equal(run.status, 'completed', run.log);
  const calls = github.calls.slice(before);
  const pull = calls.find((c) => c.method === 'POST' && c.path === '/repos/acme/platform-infra/pulls');
  assert.ok(pull, run.log);
  assert.equal(pull.body.head, 'acme:registry/create-orders-api');
  assert.equal(pull.body.base, 'development');
  const labels = calls.find((c) => c.method === 'POST' && /^\/repos\/acme\/platform-infra\/issues\/\d+\/labels$/.test(c.path));
  assert.deepEqual(labels?.body.labels, ['ecr-registry'], run.log);
  // The branch holds the verified edit: the catalog and the environment's tfvars.
  assert.deepEqual(git(infra, 'diff', '--name-only', 'development', 'registry/create-orders-api').split('\n'), [
    'docs/20-contracts/resource-catalogs/ecr-catalog.yaml',
    'envs/staging/terraform.tfvars',
  ]);
});

test('ecr-decommission retires on either path: the tfvars entry (Terraform), or the three GitOps files (Crossplane)', async () => {
  // Terraform: search-indexer (staging) in the example platform.
  let before = github.calls.length;
  const tf = await runTask('template:default/ecr-decommission', { name: 'search-indexer', environment: 'staging', path: 'terraform', confirm: true });
  assert.equal(tf.status, 'completed', tf.log);
  let calls = github.calls.slice(before);
  assert.ok(calls.some((c) => c.method === 'POST' && c.path === '/repos/acme/platform-infra/pulls' && c.body.head === 'acme:registry/decommission-search-indexer'));
  assert.ok(calls.some((c) => /^\/repos\/acme\/platform-infra\/issues\/\d+\/labels$/.test(c.path) && c.body.labels[0] === 'ecr-registry'));
  assert.ok(!calls.some((c) => c.path.includes('platform-gitops')), 'the GitOps repository is not touched');
  // Again while that pull request is open: refused, naming it, before anything is written (the
  // eleventh issue-23 check: the Terraform paths failed in the publish step, after writing).
  before = github.calls.length;
  const tfTwice = await runTask('template:default/ecr-decommission', { name: 'search-indexer', environment: 'staging', path: 'terraform', confirm: true });
  assert.equal(tfTwice.status, 'failed', tfTwice.log);
  assert.match(tfTwice.log, /"registry\/decommission-search-indexer" already has an open pull request in "acme\/platform-infra", #\d+/);
  assert.deepEqual(github.calls.slice(before).filter((c) => c.method !== 'GET' && c.method !== 'HEAD'), []);
  // Crossplane: a repository the Crossplane template created, merged into main.
  const name = 'ledger-api';
  const created = await runTask('template:default/ecr-request-crossplane', { ...crossplaneRequest, name });
  assert.equal(created.status, 'completed', created.log);
  github.merge('acme/platform-gitops', `registry/create-${name}`);
  const files = git(gitops, 'ls-tree', '-r', '--name-only', 'main').split('\n');
  // Requested again before the catalog has read its entity: the GitOps repo has its files, so the
  // request is refused rather than rewriting a live repository's manifests in a "new" pull request.
  before = github.calls.length;
  const again = await runTask('template:default/ecr-request-crossplane', { ...crossplaneRequest, name, risk: 'low' });
  assert.equal(again.status, 'failed', again.log);
  assert.match(again.log, /already requested: the repository already has .*\[already_requested\]/);
  assert.deepEqual(github.calls.slice(before).filter((c) => c.method !== 'GET' && c.method !== 'HEAD'), []);
  before = github.calls.length;
  // The Crossplane path needs no environment (the Terraform path does: refused without one).
  const noEnv = await api('POST', '/v2/tasks', { templateRef: 'template:default/ecr-decommission', values: { name, path: 'terraform', confirm: true } });
  assert.equal(noEnv.status, 400, JSON.stringify(noEnv.body));
  const cp = await runTask('template:default/ecr-decommission', { name, path: 'crossplane', confirm: true });
  assert.equal(cp.status, 'completed', cp.log);
  calls = github.calls.slice(before);
  assert.ok(!calls.some((c) => c.path.includes('platform-infra')), 'the infra repository is not touched');
  const removed = git(gitops, 'diff', '--name-status', 'main', `registry/decommission-${name}`).split('\n');
  assert.deepEqual(removed, [`D\targocd/applications/ecr-${name}.yaml`, `D\tcatalog/ecr/${name}.yaml`, `D\tcrossplane/ecr/${name}/ecr.yaml`]);
  assert.equal(files.filter((f) => f.includes(name)).length, 3);
  assert.ok(calls.some((c) => /^\/repos\/acme\/platform-gitops\/issues\/\d+\/labels$/.test(c.path) && c.body.labels[0] === 'ecr-crossplane'));
  const links = Object.fromEntries(cp.output.links.map((l) => [l.title, l.url]));
  assert.deepEqual(Object.keys(links), ['Pull request (GitOps repository)']);
  assert.match(links['Pull request (GitOps repository)'], /^https:\/\/github\.com\/acme\/platform-gitops\/pull\/\d+$/);
  // Decommissioned again while that pull request is open: refused, naming it, before anything is written.
  before = github.calls.length;
  const twice = await runTask('template:default/ecr-decommission', { name, environment: 'prod', path: 'crossplane', confirm: true });
  assert.equal(twice.status, 'failed', twice.log);
  assert.ok(
    twice.log.includes(`"registry/decommission-${name}" already has an open pull request in "acme/platform-gitops", #${links['Pull request (GitOps repository)'].split('/').at(-1)} (${links['Pull request (GitOps repository)']})`),
    twice.log,
  );
  assert.doesNotMatch(twice.log, /\n\s+at |node_modules|Set update=true/);
  assert.deepEqual(github.calls.slice(before).filter((c) => c.method !== 'GET' && c.method !== 'HEAD'), []);
  // A name never created on the Crossplane path: refused before a pull request, none opened.
  before = github.calls.length;
  const never = await runTask('template:default/ecr-decommission', { name: 'never-made', environment: 'prod', path: 'crossplane', confirm: true });
  assert.equal(never.status, 'failed', never.log);
  assert.match(never.log, /\[nothing_to_retire\]/);
  assert.doesNotMatch(never.log, /\n\s+at |node_modules/);
  assert.deepEqual(github.calls.slice(before).filter((c) => c.method !== 'GET' && c.method !== 'HEAD'), []);
  // A name that is no Kubernetes name is refused by the form's schema before any step runs.
  const refused = await api('POST', '/v2/tasks', { templateRef: 'template:default/ecr-decommission', values: { name: '../x', environment: 'prod', path: 'crossplane', confirm: true } });
  assert.equal(refused.status, 400, JSON.stringify(refused.body));
});
