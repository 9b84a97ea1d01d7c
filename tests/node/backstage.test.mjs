// A real Backstage backend, assembled from the npm registry as an adopter's packages/backend has it
// (@backstage/backend-defaults, the catalog and scaffolder backends) with this package installed
// from its packed tarball, on Debian's PostgreSQL at 127.0.0.1, driven through the scaffolder's
// REST API: the actions are listed; the scaffolder's own dry run of the shipped local template
// returns the edited files; an invalid request is a 400 naming every problem, without stack frames
// (the backend runs in development mode, which shows them), and so are a server fault's 500 (its
// stack goes to the backend's log) and a failed task's log; a real
// task edits, and after its change is merged a second one changes nothing and the shipped
// template's pull request step is skipped (in the Template Editor's dry run too, for every shipped
// template); a repo's registrar.yaml is honoured by all three request actions. Everything started
// here is stopped after, and bounded in time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { startPostgres } from '../backstage/postgres.mjs';
import { startBackend } from '../backstage/harness.mjs';
import { bin, installPacked, root, tree } from './helpers.mjs';
import { CatalogClient } from '@backstage/catalog-client';
import * as core from '../../js/dist/core.js';
import { checkCatalog, initEcrValidation } from '../../js/dist/field/index.js';

const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
const LOCAL = 'templates/ecr-request-local/template.yaml';
let pg;
let backend;
let base;
let installed;
let templateDir;

/**
 * A shipped template as it runs here: `templates/<dir>` with one change, its fetch step reading
 * `./infra` (beside the template) instead of GitHub. The pull request step stays as shipped: where
 * it is skipped, the backend needs no GitHub (nor the action, which this backend does not have).
 */
function asShipped(dir) {
  const template = parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
  const fetchStep = template.spec.steps.find((s) => s.action === 'fetch:plain');
  fetchStep.input.url = './infra';
  return template;
}

/** A copy of examples/platform with `cli` (the CLI's arguments after `--repo <dir>`) run on it. */
function platformWith(...runs) {
  const dir = fs.mkdtempSync(path.join(installed.consumer, 'platform-'));
  fs.cpSync(path.join(root, 'examples/platform'), dir, { recursive: true });
  for (const args of runs) execFileSync(bin, [args[0], '--repo', dir, ...args.slice(1)]);
  return dir;
}

/** Every string anywhere in a JSON value. */
const strings = (v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

/** No stack frame (`    at f (file:1:2)`) and no path into node_modules in any string of `body`. */
function assertNoStack(body, what) {
  for (const text of strings(body)) {
    assert.doesNotMatch(text, /^\s*at .+:\d+/m, `${what}: a stack frame in\n${text.slice(0, 2000)}`);
    assert.doesNotMatch(text, /node_modules\//, `${what}: a node_modules path in\n${text.slice(0, 2000)}`);
  }
}

/** The files of a directory, as the dry-run API takes them. */
function directoryContents(dir, prefix = '') {
  return Object.entries(tree(dir)).map(([p, content]) => ({ path: path.posix.join(prefix, p), base64Content: Buffer.from(content).toString('base64') }));
}

/** The CLI's scaffold of `request` in `dir` on `today`. */
function cliScaffold(dir, request, today) {
  const flags = Object.entries(request).flatMap(([k, v]) => [`--${k}`, v]);
  execFileSync(bin, ['scaffold', '--repo', dir, ...flags, '--today', today]);
}

/** What the CLI writes for the same request on a copy of examples/platform, on `today`. */
function cliEdit(request, today) {
  const dir = fs.mkdtempSync(path.join(installed.consumer, 'cli-'));
  fs.cpSync(path.join(root, 'examples/platform'), dir, { recursive: true });
  cliScaffold(dir, request, today);
  return tree(dir, 'utf8');
}

async function api(method, route, body) {
  const res = await fetch(`${base}/api/scaffolder${route}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

before(async () => {
  installed = installPacked('backend-');
  pg = await startPostgres();
  // The shipped local template, with a copy of the example platform repo as ./infra.
  templateDir = path.join(installed.consumer, 'templates/ecr-request-local');
  fs.mkdirSync(templateDir, { recursive: true });
  fs.copyFileSync(path.join(root, LOCAL), path.join(templateDir, 'template.yaml'));
  fs.cpSync(path.join(root, 'examples/platform'), path.join(templateDir, 'infra'), { recursive: true });
  // The shipped templates/ecr-request beside it, reading the same ./infra.
  const shipped = asShipped('ecr-request');
  shipped.metadata.name = 'ecr-request-as-shipped';
  fs.writeFileSync(path.join(templateDir, 'ecr-request.yaml'), stringify(shipped));
  // The registry entities sync writes for examples/aws (ledger-sync, build-cache, …), in the catalog.
  const synced = path.join(installed.consumer, 'synced');
  fs.cpSync(path.join(root, 'examples/platform'), synced, { recursive: true });
  execFileSync(bin, ['sync', '--repo', synced, '--from-json', path.join(root, 'examples/aws/describe-repositories.json'), '--region', 'eu-west-2', '--now', '2026-11-23T10:00:00Z']);
  const entities = path.join(synced, 'catalog/resources/ecr-registry.yaml');
  backend = await startBackend({
    consumer: installed.consumer,
    pg,
    locations: [path.join(templateDir, 'template.yaml'), path.join(templateDir, 'ecr-request.yaml'), entities],
    // Up once the catalog has read the templates and the synced entities.
    ready: async (b) =>
      (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-request-local`)).ok &&
      (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-request-as-shipped`)).ok &&
      (await fetch(`${b}/api/catalog/entities/by-name/resource/default/ecr-ledger-sync`)).ok,
  });
  base = backend.base;
});

after(async () => {
  await backend?.stop();
  pg?.stop();
  installed?.remove();
});

test('the backend lists the module’s actions with their schemas', async () => {
  const { status, body } = await api('GET', '/v2/actions');
  assert.equal(status, 200);
  const ours = body.filter((a) => a.id.startsWith('ecr:'));
  assert.deepEqual(ours.map((a) => a.id).sort(), ['ecr:check-open-request', 'ecr:decommission', 'ecr:render-argocd', 'ecr:render-crossplane', 'ecr:render-entity', 'ecr:retire-files', 'ecr:scaffold', 'ecr:update', 'ecr:validate']);
  const scaffold = ours.find((a) => a.id === 'ecr:scaffold');
  for (const key of ['name', 'owner', 'environment', 'risk', 'repoPath']) assert.ok(scaffold.schema.input.properties[key], key);
  assert.ok(scaffold.examples.length > 0);
});

const request = { name: 'payments-api', owner: 'app-team', requester: 'daniel-deans', domain: 'delivery', environment: 'staging', risk: 'high' };

test('the scaffolder’s dry run of the local template returns the edited files, byte for byte the CLI’s', async () => {
  const template = parse(fs.readFileSync(path.join(root, LOCAL), 'utf8'));
  const { status, body } = await api('POST', '/v2/dry-run', { template, values: request, directoryContents: directoryContents(path.join(root, 'examples/platform'), 'infra') });
  assert.equal(status, 200, JSON.stringify(body).slice(0, 2000));
  const files = Object.fromEntries(body.directoryContents.map((f) => [f.path, Buffer.from(f.base64Content, 'base64').toString('utf8')]));
  const catalog = files[`infra/${CATALOG}`];
  const today = /^last_updated: "?(\d{4}-\d{2}-\d{2})"?$/m.exec(catalog)?.[1];
  assert.ok(today && Math.abs(Date.parse(today) - Date.now()) < 2 * 86_400_000, `last_updated ${today}`);
  const expected = cliEdit(request, today);
  for (const f of [CATALOG, 'envs/staging/terraform.tfvars', 'envs/dev/terraform.tfvars', 'envs/prod/terraform.tfvars']) {
    assert.equal(files[`infra/${f}`], expected[f], f);
  }
  assert.notEqual(files['infra/envs/staging/terraform.tfvars'], fs.readFileSync(path.join(root, 'examples/platform/envs/staging/terraform.tfvars'), 'utf8'));
  const texts = Object.fromEntries(body.output.text.map((t) => [t.title, t.content]));
  assert.equal(texts['Changed files'], `${CATALOG}, envs/staging/terraform.tfvars`);
  assert.match(texts['Targeted plan'], /terraform -chdir=envs\/staging plan -target='module\.ecr_repositories\["payments-api"\]'/);
  assert.deepEqual(body.steps.map((s) => s.action), ['fetch:plain', 'ecr:validate', 'ecr:scaffold']);
});

test('an invalid request is a 400 (InputError) that names every problem, not a server fault', async () => {
  const template = parse(fs.readFileSync(path.join(root, LOCAL), 'utf8'));
  const values = { ...request, name: 'abc-' };
  const { status, body } = await api('POST', '/v2/dry-run', { template, values, directoryContents: directoryContents(path.join(root, 'examples/platform'), 'infra') });
  const message = JSON.stringify(body);
  assert.equal(status, 400, message.slice(0, 2000));
  assert.equal(body.error.name, 'InputError');
  assert.match(body.error.message, /\[name_aws_pattern\]/);
  assert.match(body.error.message, /\[name_backstage_pattern\]|Backstage entity name/);
  assert.doesNotMatch(backend.log(), /TypeError|ReferenceError/);
  // A development backend (NODE_ENV=development, as `yarn start` runs it) puts an error's stack in
  // the body: ours is the message alone.
  assert.equal(body.error.stack, `InputError: ${body.error.message}`);
  assertNoStack(body, 'the 400');
  // The control: this backend does show a stack where Backstage's own code fails (an unknown action).
  const unknown = { ...template, spec: { ...template.spec, steps: [{ id: 'x', name: 'x', action: 'no:such-action' }] } };
  const control = await api('POST', '/v2/dry-run', { template: unknown, values, directoryContents: [] });
  assert.ok(control.status >= 400, JSON.stringify(control.body).slice(0, 500));
  assert.throws(() => assertNoStack(control.body, 'control'), /a stack frame/, 'a development backend shows stacks');
});

test('a server fault: the person sees its message without frames, the backend’s log gets its stack', async () => {
  // The environment's tfvars is a directory: reading it fails (EISDIR), not the person's input.
  const repo = platformWith();
  fs.rmSync(path.join(repo, 'envs/staging/terraform.tfvars'));
  fs.mkdirSync(path.join(repo, 'envs/staging/terraform.tfvars'));
  fs.writeFileSync(path.join(repo, 'envs/staging/terraform.tfvars/x'), '');
  const template = parse(fs.readFileSync(path.join(root, LOCAL), 'utf8'));
  const before = backend.log().length;
  const { status, body } = await api('POST', '/v2/dry-run', { template, values: request, directoryContents: directoryContents(repo, 'infra') });
  assert.equal(status, 500, JSON.stringify(body).slice(0, 1000));
  assert.match(body.error.message, /EISDIR/);
  assert.equal(body.error.stack, `Error: ${body.error.message}`);
  assertNoStack(body, 'the 500');
  // The module's logger line: its message, and the whole stack (the log escapes its newlines).
  const line = backend.log().slice(before).replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.includes('ecr-registrar: EISDIR'));
  assert.ok(line, backend.log().slice(before));
  assert.match(line, /stack="Error: EISDIR[^"]*\\n\s+at .*ecr-registrar\/js\/dist\/backstage\//, 'the stack is in the backend’s log');
});

test('a failed task’s log carries the clear message and no stack frames', async () => {
  const { status, events } = await runTask('template:default/ecr-request-local', { ...request, name: 'abc-' });
  assert.equal(status, 'failed');
  const failed = events.filter((e) => e.type === 'log' && e.body.status === 'failed');
  assert.equal(failed.length, 1, JSON.stringify(events).slice(0, 2000));
  assert.equal(failed[0].body.stepId, 'validate');
  assert.match(failed[0].body.message, /^InputError: The ECR registry request is invalid:\n {2}name: .*\[name_aws_pattern\]/);
  assertNoStack(events, 'the task’s events');
});

/** A real task from the catalog's template `ref` with `values`, run to its end: status, events. */
async function runTask(ref, values) {
  const created = await api('POST', '/v2/tasks', { templateRef: ref, values });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const task = await api('GET', `/v2/tasks/${created.body.id}`);
    if (task.body.status === 'completed' || task.body.status === 'failed') {
      const events = await api('GET', `/v2/tasks/${created.body.id}/events`);
      return { status: task.body.status, events: events.body };
    }
    assert.ok(Date.now() < deadline, 'the task did not finish in 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A task that must complete: its output and its log. */
async function completedTask(ref, values) {
  const { status, events } = await runTask(ref, values);
  const log = events.filter((e) => e.type === 'log').map((e) => e.body.message).join('\n');
  assert.equal(status, 'completed', log);
  return { output: events.find((e) => e.type === 'completion').body.output, log, events };
}

const texts = (output) => Object.fromEntries(output.text.map((t) => [t.title, t.content]));
/** The publish step's whole log when its guard is false: begun, then skipped (nothing ran). */
const SKIPPED = [
  ['processing', 'Beginning step Open the pull request'],
  ['skipped', 'Skipping step publish because its if condition was false'],
];
const NOTHING_TO_CHANGE = /^This (registry|change|decommission) is already requested, nothing to change: .*no pull request/;

test('a real task edits the repo; once that change is merged, a second task changes nothing and the shipped template opens no pull request', async () => {
  const first = await completedTask('template:default/ecr-request-local', request);
  assert.equal(texts(first.output)['Changed files'], `${CATALOG}, envs/staging/terraform.tfvars`);
  assert.equal(texts(first.output)['Nothing to change'], undefined);
  assert.match(first.log, /Added payments-api \(REGISTRY_PAYMENTS_API\)/);
  // The pull request merged: the source repo now holds the entry (written by the CLI).
  const infra = path.join(templateDir, 'infra');
  const today = new Date().toISOString().slice(0, 10);
  cliScaffold(infra, request, today);
  const merged = tree(infra, 'utf8');
  const second = await completedTask('template:default/ecr-request-local', request);
  assert.deepEqual(Object.keys(texts(second.output)), ['Nothing to change']);
  assert.match(texts(second.output)['Nothing to change'], NOTHING_TO_CHANGE);
  assert.match(second.log, /payments-api is already registered; nothing changed/);
  // The shipped template on the same repo: its pull request step is skipped, so this backend,
  // which has no GitHub and no publish:github:pull-request, completes it.
  const shipped = await completedTask('template:default/ecr-request-as-shipped', request);
  const publish = shipped.events.filter((e) => e.body?.stepId === 'publish');
  assert.deepEqual(publish.map((e) => [e.body.status, e.body.message]), SKIPPED);
  assert.deepEqual(shipped.output.links ?? [], []);
  assert.deepEqual(Object.keys(texts(shipped.output)), ['Nothing to change']);
  assert.match(texts(shipped.output)['Nothing to change'], NOTHING_TO_CHANGE);
  assert.deepEqual(tree(infra, 'utf8'), merged, 'the task works on a copy');
});

test('every shipped template, in the Template Editor’s dry run: a request already in effect skips the pull request and says so; a new one runs it', async () => {
  const create = ['scaffold', ...Object.entries(request).flatMap(([k, v]) => [`--${k}`, v])];
  const requested = platformWith(create);
  const retired = platformWith(create, ['decommission', '--name', 'payments-api', '--environment', 'staging']);
  const cases = [
    // template, values, a repo where the request is already in effect, one where it is not
    ['ecr-request', request, requested, path.join(root, 'examples/platform')],
    ['ecr-update', { name: 'payments-api', environment: 'staging', risk: 'high' }, requested, platformWith([...create.slice(0, -2), '--risk', 'low'])],
    // `path` is required (the form's default fills it; an API call without it is a 400).
    ['ecr-decommission', { name: 'payments-api', environment: 'staging', path: 'terraform', confirm: true }, retired, requested],
  ];
  for (const [dir, values, done, todo] of cases) {
    const template = asShipped(dir);
    const publishStep = template.spec.steps.find((s) => s.id === 'publish');
    // Already in effect: the step is skipped before its action is looked up (none here), nothing changes.
    const repeat = await api('POST', '/v2/dry-run', { template, values, directoryContents: directoryContents(done, 'infra') });
    assert.equal(repeat.status, 200, `${dir}: ${JSON.stringify(repeat.body).slice(0, 2000)}`);
    const skipped = repeat.body.log.filter((l) => l.body.stepId === 'publish');
    assert.deepEqual(skipped.map((l) => [l.body.status, l.body.message]), SKIPPED, dir);
    assert.deepEqual(repeat.body.output.links ?? [], [], dir);
    assert.deepEqual(Object.keys(texts(repeat.body.output)), ['Nothing to change'], dir);
    assert.match(texts(repeat.body.output)['Nothing to change'], NOTHING_TO_CHANGE, dir);
    const after = Object.fromEntries(repeat.body.directoryContents.filter((f) => f.path.startsWith('infra/')).map((f) => [f.path.slice(6), Buffer.from(f.base64Content, 'base64').toString('utf8')]));
    assert.deepEqual(after, tree(done, 'utf8'), `${dir}: nothing changed`);
    // Not yet in effect: the same guard lets the step run. This backend has no GitHub, so the
    // variant's pull request step is debug:log with the branch the real one would push.
    const variant = structuredClone(template);
    Object.assign(variant.spec.steps.find((s) => s.id === 'publish'), { action: 'debug:log', input: { message: `branch ${publishStep.input.branchName}` } });
    // Nor GitHub to ask for the open pull requests (tests/node/backstage-paths.test.mjs does).
    Object.assign(variant.spec.steps.find((s) => s.id === 'open-request'), { action: 'debug:log', input: { message: 'open pull requests' } });
    const fresh = await api('POST', '/v2/dry-run', { template: variant, values, directoryContents: directoryContents(todo, 'infra') });
    assert.equal(fresh.status, 200, `${dir}: ${JSON.stringify(fresh.body).slice(0, 2000)}`);
    const ran = fresh.body.log.filter((l) => l.body.stepId === 'publish').map((l) => l.body.message).join('\n');
    assert.match(ran, /branch registry\/(create|update|decommission)-payments-api/, dir);
    assert.doesNotMatch(ran, /Skipping/, dir);
    assert.equal(texts(fresh.body.output)['Nothing to change'], undefined, dir);
    assert.match(Object.values(texts(fresh.body.output)).join('\n'), /terraform -chdir=envs\/staging plan/, dir);
    assert.deepEqual(fresh.body.output.links.map((l) => l.title), ['Pull request'], dir);
  }
});

test('a repo’s registrar.yaml is honoured by ecr:validate, ecr:scaffold and ecr:render-crossplane alike', async () => {
  // The repo adds an environment `sandbox` (and its directory); the built-in config has no such one.
  const repo = fs.mkdtempSync(path.join(installed.consumer, 'sandbox-'));
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  fs.mkdirSync(path.join(repo, 'envs/sandbox'));
  fs.writeFileSync(path.join(repo, 'envs/sandbox/main.tf'), 'module "ecr_repositories" {}\n');
  fs.writeFileSync(path.join(repo, 'registrar.yaml'), 'environments: [dev, staging, prod, sandbox]\n');
  const values = { ...request, environment: 'sandbox' };
  const input = Object.fromEntries(Object.keys(values).map((k) => [k, `\${{ parameters.${k} }}`]));
  const template = {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'ecr-config-check' },
    spec: {
      type: 'service',
      parameters: [{ properties: Object.fromEntries(Object.keys(values).map((k) => [k, { type: 'string' }])) }],
      steps: [
        { id: 'fetch', action: 'fetch:plain', input: { url: './infra', targetPath: 'infra' } },
        { id: 'validate', action: 'ecr:validate', input: { ...input, repoPath: 'infra' } },
        { id: 'scaffold', action: 'ecr:scaffold', input: { ...input, repoPath: 'infra' } },
        { id: 'crossplane', action: 'ecr:render-crossplane', input: { ...input, region: 'eu-west-2', kmsKeyRef: 'ecr-key', repoPath: 'infra' } },
      ],
    },
  };
  const ok = await api('POST', '/v2/dry-run', { template, values, directoryContents: directoryContents(repo, 'infra') });
  assert.equal(ok.status, 200, JSON.stringify(ok.body).slice(0, 2000));
  const paths = ok.body.directoryContents.map((f) => f.path);
  assert.ok(paths.includes('infra/envs/sandbox/terraform.tfvars'), paths.join());
  assert.ok(paths.includes('crossplane/payments-api.yaml'), paths.join());
  // Without the repo's config, every one of them refuses sandbox the same way (the first to run fails).
  fs.rmSync(path.join(repo, 'registrar.yaml'));
  for (const only of ['validate', 'scaffold', 'crossplane']) {
    const one = { ...template, spec: { ...template.spec, steps: [template.spec.steps[0], template.spec.steps.find((s) => s.id === only)] } };
    const refused = await api('POST', '/v2/dry-run', { template: one, values, directoryContents: directoryContents(repo, 'infra') });
    assert.equal(refused.status, 400, `${only}: ${JSON.stringify(refused.body).slice(0, 500)}`);
    assert.match(refused.body.error.message, /\[unknown_environment\]/, only);
  }
});

test('a name the catalog already has is refused by the actions too (the catalog service), as a 400', async () => {
  const template = parse(fs.readFileSync(path.join(root, LOCAL), 'utf8'));
  const entity = await (await fetch(`${base}/api/catalog/entities/by-name/resource/default/ecr-ledger-sync`)).json();
  const values = { ...request, name: 'ledger-sync' };
  const { status, body } = await api('POST', '/v2/dry-run', { template, values, directoryContents: directoryContents(path.join(root, 'examples/platform'), 'infra') });
  assert.equal(status, 400, JSON.stringify(body).slice(0, 1000));
  const expected = core.alreadyRequested('ledger-sync', 'resource:default/ecr-ledger-sync', entity.spec.owner);
  assert.ok(body.error.message.includes(`name: ${expected.message} [already_requested]`), body.error.message);
});

test('with `owners: []` in the repo config, the owner can come from OwnerPicker (an entity ref)', async () => {
  const repo = fs.mkdtempSync(path.join(installed.consumer, 'owners-'));
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  fs.writeFileSync(path.join(repo, 'registrar.yaml'), 'owners: []\n');
  const template = parse(fs.readFileSync(path.join(root, LOCAL), 'utf8'));
  // The owner field as docs/backstage.md shows it for configs that allow any owner.
  template.spec.parameters[0].properties.owner = { title: 'Owner', type: 'string', 'ui:field': 'OwnerPicker', 'ui:options': { catalogFilter: { kind: 'Group' } } };
  const values = { ...request, owner: 'group:default/payments-squad' };
  const { status, body } = await api('POST', '/v2/dry-run', { template, values, directoryContents: directoryContents(repo, 'infra') });
  assert.equal(status, 200, JSON.stringify(body).slice(0, 1000));
  const catalog = body.directoryContents.find((f) => f.path === `infra/${CATALOG}`);
  assert.equal(parse(Buffer.from(catalog.base64Content, 'base64').toString('utf8')).repositories['payments-api'].metadata.owner, 'payments-squad');
});

test('the wizard field’s catalog lookup, against this real catalog: a filtered query, a 200 for a free name too', async () => {
  await initEcrValidation(fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm')));
  const calls = [];
  const fetchApi = { fetch: async (url, init) => {
    const res = await fetch(url, init);
    calls.push([new URL(String(url)).pathname, res.status]);
    return res;
  } };
  // Backstage's own CatalogClient, as the app's catalogApiRef is.
  const catalogApi = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${base}/api/catalog` }, fetchApi });
  const apis = { get: (ref) => (ref.id === 'plugin.catalog.service' ? catalogApi : undefined) };
  assert.deepEqual(await checkCatalog('payments-api-2', apis), []);
  const entity = await (await fetch(`${base}/api/catalog/entities/by-name/resource/default/ecr-ledger-sync`)).json();
  assert.deepEqual(await checkCatalog('ledger-sync', apis), [core.alreadyRequested('ledger-sync', 'resource:default/ecr-ledger-sync', entity.spec.owner)]);
  assert.deepEqual(calls, [['/api/catalog/entities/by-query', 200], ['/api/catalog/entities/by-query', 200]]);
});
