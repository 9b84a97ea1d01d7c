// The platform's two request paths run as real scaffolder tasks in the real Backstage backend
// (tests/backstage: the packed tarball, the GitHub scaffolder module, PostgreSQL on 127.0.0.1),
// with GitHub's API served by the recording server (tests/backstage/github-recorder.mjs) that the
// backend's GitHub integration talks to (`apiBaseUrl`, a static token). The templates are the
// shipped files, unchanged; the infra repository they fetch is a real git repository.
//
// Dispatch path (templates/ecr-request-dispatch): the request is validated against the fetched
// repo's registrar.yaml before anything is dispatched; the dispatch names the workflow, the ref and
// every request field; the task's output links the workflow run GitHub returned.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { startPostgres } from '../backstage/postgres.mjs';
import { startBackend } from '../backstage/harness.mjs';
import { startGithubRecorder } from '../backstage/github-recorder.mjs';
import { installPacked, root } from './helpers.mjs';

const TOKEN = 'ghp_recorder-static-token';
let pg;
let backend;
let github;
let installed;
let infra;

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
  github = await startGithubRecorder({ repos: { 'acme/platform-infra': infra } });
  pg = await startPostgres();
  const templates = ['ecr-request-dispatch'].map((t) => {
    const dir = path.join(installed.consumer, 'templates', t);
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(root, 'templates', t, 'template.yaml'), path.join(dir, 'template.yaml'));
    return path.join(dir, 'template.yaml');
  });
  backend = await startBackend({
    consumer: installed.consumer,
    pg,
    prefix: 'paths_',
    locations: templates,
    config: { integrations: { github: [{ host: 'github.com', apiBaseUrl: github.apiBaseUrl, token: TOKEN }] } },
    ready: async (b) => (await fetch(`${b}/api/catalog/entities/by-name/template/default/ecr-request-dispatch`)).ok,
  });
});

after(async () => {
  await backend?.stop();
  await github?.stop();
  pg?.stop();
  installed?.remove();
});

const request = { name: 'payments-api', owner: 'app-team', requester: 'daniel-deans', domain: 'delivery', environment: 'staging', risk: 'high' };
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
  assert.deepEqual(d.body, { ref: 'main', inputs: { base_branch: 'development', ...request }, return_run_details: true });
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
