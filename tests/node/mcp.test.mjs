// The registry operations as MCP tools: this package's actions plugin (`ecr-registrar/actions`)
// and Backstage's MCP actions plugin in the real backend the tests assemble (tests/backstage/*),
// spoken to over the real endpoint (`POST /api/mcp-actions/v1`, Streamable HTTP, a static token)
// with JSON-RPC: initialize, tools/list, tools/call. The infra repo is examples/platform served by
// a local HTTP server and read through Backstage's UrlReader. A bad name gets the same problem
// codes as the CLI's `validate` and the wizard's core; the dry runs return the CLI's diffs; a name
// the catalog has is refused as the wizard refuses it; bad input is a tool error, not a crash.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startPostgres } from '../backstage/postgres.mjs';
import { startBackend } from '../backstage/harness.mjs';
import { bin, installPacked, root } from './helpers.mjs';
import * as core from '../../js/dist/core.js';

const TOKEN = randomBytes(24).toString('hex');
const PLATFORM = path.join(root, 'examples/platform');
let pg;
let installed;
let backend;
let repo;

/** examples/platform over HTTP (404 for what it does not have), as a Git host's raw files would be. */
function serveRepo() {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(PLATFORM, rel);
    if (!file.startsWith(PLATFORM + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/`, stop: () => new Promise((r) => server.close(r)) })));
}

before(async () => {
  repo = await serveRepo();
  installed = installPacked('mcp-');
  pg = await startPostgres();
  // The registry entities sync writes for examples/aws (ledger-sync, …), in the catalog.
  const synced = path.join(installed.consumer, 'synced');
  fs.cpSync(PLATFORM, synced, { recursive: true });
  execFileSync(bin, ['sync', '--repo', synced, '--from-json', path.join(root, 'examples/aws/describe-repositories.json'), '--region', 'eu-west-2', '--now', '2026-11-23T10:00:00Z']);
  backend = await startBackend({
    consumer: installed.consumer,
    pg,
    args: ['--with-ecr-actions', '--with-mcp'],
    locations: [path.join(synced, 'catalog/resources/ecr-registry.yaml')],
    extraConfig: `backend:
  actions: { pluginSources: ['ecr-registrar'] }
  auth:
    externalAccess:
      - type: static
        options: { token: ${TOKEN}, subject: mcp-test }
  reading: { allow: [{ host: '${new URL(repo.url).host}' }] }
ecrRegistrar:
  actions: { repository: '${repo.url}' }
`,
    ready: async (b) => (await fetch(`${b}/api/catalog/entities/by-name/resource/default/ecr-ledger-sync`)).ok,
  });
});

after(async () => {
  await backend?.stop();
  pg?.stop();
  installed?.remove();
  await repo?.stop();
});

let nextId = 1;
/** One JSON-RPC call over Streamable HTTP; the answer may come as JSON or as one SSE event. */
async function rpc(method, params = {}, token = TOKEN) {
  const id = nextId++;
  const res = await fetch(`${backend.base}/api/mcp-actions/v1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  const text = await res.text();
  if (!res.ok) return { status: res.status, text };
  const json = res.headers.get('content-type')?.includes('text/event-stream')
    ? JSON.parse(text.split('\n').find((l) => l.startsWith('data: ')).slice(6))
    : JSON.parse(text);
  assert.equal(json.id, id);
  return json;
}
const call = (name, args) => rpc('tools/call', { name, arguments: args });

function cliJson(args) {
  try {
    return JSON.parse(execFileSync(bin, [...args, '--format', 'json'], { encoding: 'utf8' }));
  } catch (e) {
    return JSON.parse(e.stdout);
  }
}
function cliRepo() {
  const dir = fs.mkdtempSync(path.join(installed.consumer, 'cli-'));
  fs.cpSync(PLATFORM, dir, { recursive: true });
  return dir;
}
const today = () => new Date().toISOString().slice(0, 10);

test('initialize, and tools/list names the four tools with their schemas and attributes', async () => {
  const init = await rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'ecr-registrar-test', version: '1' } });
  assert.ok(init.result.capabilities.tools, JSON.stringify(init));
  assert.ok(init.result.serverInfo.name);
  const { tools } = (await rpc('tools/list')).result;
  const ours = Object.fromEntries(tools.filter((t) => t.name.startsWith('ecr-registrar.')).map((t) => [t.name, t]));
  assert.deepEqual(Object.keys(ours).sort(), ['ecr-registrar.decommission-dry-run', 'ecr-registrar.scaffold-dry-run', 'ecr-registrar.update-dry-run', 'ecr-registrar.validate']);
  for (const t of Object.values(ours)) {
    assert.deepEqual([t.annotations.readOnlyHint, t.annotations.destructiveHint, t.annotations.idempotentHint], [true, false, true], t.name);
    assert.equal(t.inputSchema.type, 'object');
    assert.ok(t.inputSchema.required.includes('name') && t.inputSchema.required.includes('environment'), t.name);
  }
  assert.deepEqual(ours['ecr-registrar.validate'].inputSchema.required.sort(), ['environment', 'name', 'owner', 'risk']);
  // The examples the registry shows are the core's own outputs.
  const listed = await (await fetch(`${backend.base}/api/ecr-registrar/.backstage/actions/v1/actions`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
  const validate = listed.actions.find((a) => a.name === 'validate');
  assert.deepEqual(validate.examples[0].output.errors.map((e) => e.code), ['name_platform_pattern', 'name_aws_pattern']);
  const scaffold = listed.actions.find((a) => a.name === 'scaffold-dry-run');
  assert.match(scaffold.examples[0].output.diff, /^--- \/dev\/null\n\+\+\+ b\/docs\/20-contracts\/resource-catalogs\/ecr-catalog\.yaml/);
  // Without the token the endpoint refuses.
  const anonymous = await rpc('tools/list', {}, 'wrong-token');
  assert.equal(anonymous.status, 401, JSON.stringify(anonymous));
});

test('validate: Bad_Name gets the same problem codes as the CLI and the wizard’s core; a name the catalog has is refused', async () => {
  const request = { name: 'Bad_Name', owner: 'app-team', environment: 'dev', risk: 'low' };
  const r = await call('ecr-registrar.validate', request);
  assert.equal(r.result.isError, undefined, JSON.stringify(r));
  const out = r.result.structuredContent;
  assert.equal(out.valid, false);
  const cli = cliJson(['validate', ...Object.entries(request).flatMap(([k, v]) => [`--${k}`, v])]);
  assert.deepEqual(out.errors, cli.errors);
  assert.deepEqual(out.errors.map((e) => e.code), core.validateRequest(request, null).errors.map((e) => e.code));
  assert.deepEqual(out.errors.map((e) => e.code), ['name_platform_pattern', 'name_aws_pattern']);

  // The request's description and region are checked as everywhere (the schema used to drop them).
  const described = { ...request, name: 'payments-api', description: 'two\nlines', region: 'mars-west-1' };
  const d = await call('ecr-registrar.validate', described);
  const dCli = cliJson(['validate', ...Object.entries(described).flatMap(([k, v]) => [`--${k}=${v}`])]);
  assert.deepEqual(d.result.structuredContent.errors.map((e) => e.code), ['invalid_description', 'invalid_region']);
  assert.deepEqual(d.result.structuredContent.errors, dCli.errors);

  const good = await call('ecr-registrar.validate', { ...request, name: 'payments-api' });
  assert.deepEqual(good.result.structuredContent, { valid: true, registryId: 'REGISTRY_PAYMENTS_API', entityName: 'ecr-payments-api', errors: [] });
  const taken = await call('ecr-registrar.validate', { ...request, name: 'ledger-sync', owner: 'database-team' });
  const expected = core.alreadyRequested('ledger-sync', 'resource:default/ecr-ledger-sync', 'database-team');
  assert.deepEqual(taken.result.structuredContent.errors, [{ field: expected.field, code: expected.code, message: expected.message }]);
});

test('scaffold-dry-run returns the CLI’s --dry-run diff and pull request; an invalid request is a tool error listing its codes', async () => {
  const request = { name: 'payments-api', owner: 'app-team', environment: 'dev', risk: 'low' };
  const r = await call('ecr-registrar.scaffold-dry-run', request);
  assert.equal(r.result.isError, undefined, JSON.stringify(r));
  const out = r.result.structuredContent;
  const dir = cliRepo();
  const cli = cliJson(['scaffold', '--repo', dir, ...Object.entries(request).flatMap(([k, v]) => [`--${k}`, v]), '--today', today(), '--dry-run']);
  assert.equal(out.diff, cli.files.map((f) => f.diff ?? '').join(''));
  assert.match(out.diff, /\+  payments-api:\n/);
  assert.deepEqual(out.changedFiles, cli.files.filter((f) => f.changed).map((f) => f.path));
  assert.equal(out.prTitle, cli.pullRequestTitle);
  assert.equal(out.planCommand, cli.planCommand);
  assert.equal(out.registryId, 'REGISTRY_PAYMENTS_API');
  assert.match(out.prBody, /payments-api/);

  const withText = await call('ecr-registrar.scaffold-dry-run', { ...request, description: 'Images of the payments API', region: 'eu-west-2' });
  assert.match(withText.result.structuredContent.diff, /\+ +description: Images of the payments API\n/);

  const bad = await call('ecr-registrar.scaffold-dry-run', { ...request, name: 'Bad_Name' });
  assert.equal(bad.result.isError, true);
  assert.match(bad.result.content[0].text, /name_platform_pattern[\s\S]*name_aws_pattern/);
  const escape = await call('ecr-registrar.scaffold-dry-run', { ...request, environment: '../../etc' });
  assert.equal(escape.result.isError, true);
  assert.match(escape.result.content[0].text, /environment/);
  // `test` is a configured environment, but the repo has no envs/test: no Terraform root to add to.
  const noRoot = await call('ecr-registrar.scaffold-dry-run', { ...request, environment: 'test' });
  assert.equal(noRoot.result.isError, true);
  assert.match(noRoot.result.content[0].text, /the repository has no envs\/test\/terraform\.tfvars/);
  const huge = await call('ecr-registrar.scaffold-dry-run', { ...request, name: 'a'.repeat(5000) });
  assert.equal(huge.result.isError, true, 'over the input schema’s limit');
});

test('update-dry-run and decommission-dry-run return the CLI’s --dry-run diffs', async () => {
  const upd = await call('ecr-registrar.update-dry-run', { name: 'ledger-sync', environment: 'dev', risk: 'high' });
  assert.equal(upd.result.isError, undefined, JSON.stringify(upd));
  const cliUpd = cliJson(['update', '--repo', cliRepo(), '--name', 'ledger-sync', '--environment', 'dev', '--risk', 'high', '--today', today(), '--dry-run']);
  assert.equal(upd.result.structuredContent.diff, cliUpd.files.map((f) => f.diff ?? '').join(''));
  assert.match(upd.result.structuredContent.diff, /risk: high/);

  const dec = await call('ecr-registrar.decommission-dry-run', { name: 'ledger-sync', environment: 'dev' });
  assert.equal(dec.result.isError, undefined, JSON.stringify(dec));
  const cliDec = cliJson(['decommission', '--repo', cliRepo(), '--name', 'ledger-sync', '--environment', 'dev', '--today', today(), '--dry-run']);
  assert.equal(dec.result.structuredContent.diff, cliDec.files.map((f) => f.diff ?? '').join(''));
  assert.match(dec.result.structuredContent.diff, /status: decommissioned/);
  const unknown = await call('ecr-registrar.decommission-dry-run', { name: 'no-such-registry', environment: 'dev' });
  assert.equal(unknown.result.isError, true);
});
