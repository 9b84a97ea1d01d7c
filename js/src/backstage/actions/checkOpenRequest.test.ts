// ecr:check-open-request through Backstage's createMockActionContext, against a GitHub API on
// 127.0.0.1 that the integration's apiBaseUrl points at.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { mockServices } from '@backstage/backend-test-utils';
import { ScmIntegrations } from '@backstage/integration';
import { parse } from 'yaml';
import { runAction } from '../../testing/workspace.js';
import { createEcrCheckOpenRequestAction } from './checkOpenRequest.js';

interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
}
type Reply = { status: number; body: unknown };

const calls: Call[] = [];
let reply: (call: Call) => Reply = () => ({ status: 200, body: [] });
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const call = { method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization };
  calls.push(call);
  const { status, body } = reply(call);
  res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
});
server.requestTimeout = 10_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
after(() => new Promise<void>((resolve) => server.close(() => resolve())));
const apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;

const integrations = ScmIntegrations.fromConfig(
  mockServices.rootConfig({ data: { integrations: { github: [{ host: 'github.com', apiBaseUrl, token: 'ghp_static' }] } } }),
);
const action = createEcrCheckOpenRequestAction({ integrations });
const input = { repoUrl: 'github.com?owner=acme&repo=platform-gitops', branchName: 'registry/create-payments-api' };
const ws = os.tmpdir();

test('ecr:check-open-request asks the integration’s API for the branch’s open pull requests, and passes when there is none', async () => {
  calls.length = 0;
  reply = () => ({ status: 200, body: [] });
  const r = await runAction(action, input, ws);
  assert.equal(r.error, undefined);
  assert.deepEqual(calls, [
    {
      method: 'GET',
      path: '/api/v3/repos/acme/platform-gitops/pulls',
      query: { state: 'open', head: 'acme:registry/create-payments-api', per_page: '1' },
      authorization: 'token ghp_static',
    },
  ]);
  // The token the publish step would be given is used instead of the integration's.
  calls.length = 0;
  assert.equal((await runAction(action, { ...input, token: 'gho_user' }, ws)).error, undefined);
  assert.equal(calls[0]?.authorization, 'token gho_user');
  // A dry run asks too: it writes nothing.
  assert.equal((await runAction(action, input, ws, { isDryRun: true })).error, undefined);
});

test('ecr:check-open-request refuses a branch with an open pull request, naming it, without a stack', async () => {
  reply = () => ({ status: 200, body: [{ number: 7, html_url: 'https://github.com/acme/platform-gitops/pull/7', state: 'open' }] });
  const r = await runAction(action, input, ws);
  assert.equal(r.error?.name, 'InputError');
  assert.equal(
    r.error?.message,
    'The ECR registry request is invalid:\n  branchName: "registry/create-payments-api" already has an open pull request in "acme/platform-gitops", #7 (https://github.com/acme/platform-gitops/pull/7): the same request is waiting for review; merge or close that pull request before requesting again [already_requested]',
  );
  assert.equal(r.error?.stack, `InputError: ${r.error?.message}`);
  // What GitHub says of the pull request is repeated only when it is a number and a pull request's address.
  reply = () => ({ status: 200, body: [{ number: '7\n\u001b[31m', html_url: 'https://github.com/acme/x/pull/7)\n[click](javascript:alert(1))' }] });
  const odd = await runAction(action, input, ws);
  assert.match(odd.error?.message ?? '', /already has an open pull request in "acme\/platform-gitops", a pull request: the same request/);
  assert.doesNotMatch(odd.error?.message ?? '', /\u001b|javascript|click/);
});

test('ecr:check-open-request: GitHub’s refusal is a server fault, logged whole; bad input is InputError', async () => {
  const logged: string[] = [];
  const logging = createEcrCheckOpenRequestAction({ integrations, logger: { error: (m) => void logged.push(m) } });
  reply = () => ({ status: 404, body: { message: 'Not Found\n\u001b[2J' } });
  const r = await runAction(logging, input, ws);
  assert.equal(r.error?.name, 'Error');
  assert.equal(r.error?.message, 'ecr:check-open-request: GitHub answered 404 when asked for the open pull requests of "acme/platform-gitops": "Not Found\\n\\u001b[2J"');
  assert.equal(logged.length, 1);
  reply = () => ({ status: 200, body: '{"message": "a list?"}' });
  assert.match((await runAction(action, input, ws)).error?.message ?? '', /is not a list/);

  calls.length = 0;
  const other = await runAction(action, { ...input, repoUrl: 'gitlab.example.com?owner=acme&repo=platform-gitops' }, ws);
  assert.equal(other.error?.name, 'InputError');
  const noOwner = await runAction(action, { ...input, repoUrl: 'github.com?repo=platform-gitops' }, ws);
  assert.equal(noOwner.error?.name, 'InputError');
  assert.deepEqual(calls, [], 'nothing asked');
  const without = await runAction(createEcrCheckOpenRequestAction(), input, ws);
  assert.match(without.error?.message ?? '', /needs the backend's SCM integrations/);
});

test('ecr:check-open-request examples are YAML steps using it', () => {
  for (const e of action.examples ?? []) {
    const steps = (parse(e.example) as { steps: { action: string }[] }).steps;
    assert.equal(steps[0]?.action, 'ecr:check-open-request');
  }
});
