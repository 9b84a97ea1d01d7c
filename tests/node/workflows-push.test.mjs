// The apply workflow judges everything a push to the default branch brought that is not applied yet
// (from the tag ecr-registry-applied to github.event.after), so every merge strategy gets the pull
// request's own verdict, a run GitHub cancelled while queued is caught up, and a rewritten or
// unknown history is refused. Also: the sync workflow counts files sync created, no job that needs
// no cloud token may ask for one, and no file name reaches the log as a workflow command (issue 21,
// items 2 and 9). The steps run as GitHub runs them, against real git repositories and the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createRequire } from 'node:module';
import { bin, root, runWorkflowStep } from './helpers.mjs';

const wasm = createRequire(import.meta.url)(path.join(root, 'pkg/node/ecr_registrar.js'));

const read = (f) => parse(fs.readFileSync(path.join(root, f), 'utf8'));
const apply = read('docs/examples/workflows/ecr-apply.yml');
const TAG = apply.env.APPLIED_TAG;
const DEV = 'envs/dev/terraform.tfvars';

const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
const tmp = (p) => fs.mkdtempSync(path.join(os.tmpdir(), p));

const scaffold = (repo, name, environment) =>
  execFileSync(bin, ['scaffold', '--repo', repo, '--name', name, '--owner', 'app-team', '--environment', environment, '--risk', 'low', '--today', '2026-11-23']);
const edit = (repo, file, from, to) => {
  const f = path.join(repo, file);
  const text = fs.readFileSync(f, 'utf8');
  assert.ok(text.includes(from), `${from} in ${file}`);
  fs.writeFileSync(f, text.replace(from, to));
};
const commitAll = (repo, msg) => {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', msg);
  return git(repo, 'rev-parse', 'HEAD');
};

/** A bare origin holding the example platform on `development`, tagged applied; a clone to work in. */
function platform() {
  const seed = tmp('ecr-push-seed-');
  fs.cpSync(path.join(root, 'examples/platform'), seed, { recursive: true });
  git(seed, 'init', '-q', '-b', 'development');
  const first = commitAll(seed, 'the platform');
  git(seed, 'tag', TAG);
  const origin = path.join(tmp('ecr-push-origin-'), 'origin.git');
  git(seed, 'clone', '-q', '--bare', seed, origin);
  const work = path.join(tmp('ecr-push-work-'), 'work');
  git(seed, 'clone', '-q', origin, work);
  return { origin, work, first };
}

/** A pull request branch from development's tip: each function one commit; its head. */
function pullRequest(work, branch, commits) {
  git(work, 'checkout', '-q', '-B', branch, 'origin/development');
  for (const [i, c] of commits.entries()) {
    c(work);
    commitAll(work, `${branch} ${i + 1}`);
  }
  return git(work, 'rev-parse', 'HEAD');
}

/** Merge `branch` into development the way GitHub's button does, push it; before and after. */
function merge(work, branch, strategy) {
  git(work, 'checkout', '-q', 'development');
  git(work, 'reset', '-q', '--hard', 'origin/development');
  const before = git(work, 'rev-parse', 'HEAD');
  if (strategy === 'merge') git(work, 'merge', '-q', '--no-ff', '-m', `merge ${branch}`, branch);
  if (strategy === 'squash') {
    git(work, 'merge', '-q', '--squash', branch);
    git(work, 'commit', '-qm', `${branch} (squashed)`);
  }
  if (strategy === 'rebase') {
    for (const c of git(work, 'rev-list', '--reverse', `${before}..${branch}`).split('\n')) git(work, 'cherry-pick', '--allow-empty', c);
  }
  git(work, 'push', '-q', 'origin', 'development');
  return { before, after: git(work, 'rev-parse', 'HEAD') };
}

/** One run of the apply workflow's guard job on a push: a fresh checkout (all history, tags). */
function guardRun(origin, push, forced = 'false') {
  const checkout = path.join(tmp('ecr-push-run-'), 'checkout');
  git(os.tmpdir(), 'clone', '-q', origin, checkout);
  if (/^[0-9a-f]{40}$/.test(push.after) && !/^0+$/.test(push.after)) git(checkout, 'checkout', '-q', push.after);
  // The workflow's own env (APPLIED_TAG) as GitHub gives it to every step, and the step's.
  const env = { ...apply.env, BEFORE: push.before, AFTER: push.after, FORCED: forced, RUNNER_TEMP: tmp('ecr-push-temp-') };
  const r = runWorkflowStep(apply, 'guard', 'What the push brought', checkout, env);
  return { ...r, checkout, env };
}

/** The run's later jobs: the guard-failed step when it failed, else the tag moved as the last job does. */
function finishRun(run) {
  if (run.outputs.ok !== 'true') return runWorkflowStep(apply, 'guard', 'Guard failed, nothing is applied', run.checkout, run.env);
  const r = runWorkflowStep(apply, 'applied', 'Move the applied tag', run.checkout, { AFTER: run.env.AFTER, APPLIED: run.outputs.applied, APPLIED_TAG: TAG });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

/** The verdict of the pull request's own diff, as the plan workflow computes it. */
function prVerdict(work, base, head) {
  let out;
  try {
    out = execFileSync(bin, ['changes', '--repo', work, '--base', base, '--head', head, '--format', 'json'], { encoding: 'utf8' });
  } catch (e) {
    out = e.stdout;
  }
  const report = JSON.parse(out);
  return { ok: report.guard.ok, changes: report.changes.map((c) => `${c.environment}/${c.name}/${c.kind}`).sort() };
}
const runVerdict = (run) => ({
  ok: run.outputs.ok === 'true',
  changes: JSON.parse(run.outputs.matrix).include.map((c) => `${c.environment}/${c.name}/${c.kind}`).sort(),
});

test('merge commit, squash and rebase merges of N commits get the pull request own verdict', () => {
  const prs = {
    // Two requests in two commits.
    benign: [(r) => scaffold(r, 'payments-api', 'dev'), (r) => scaffold(r, 'ledger-archive', 'prod')],
    // The first commit sneaks a region change in with a request; the last one, alone, is clean.
    hostile: [
      (r) => {
        scaffold(r, 'payments-api', 'dev');
        edit(r, DEV, 'aws_region  = "eu-west-2"', 'aws_region  = "us-east-1"');
      },
      (r) => scaffold(r, 'ledger-sync-two', 'dev'),
    ],
    // One commit of a rebase touches a file that is not the registry's.
    'other file': [(r) => fs.writeFileSync(path.join(r, 'envs/dev/backend.tf'), 'terraform {}\n'), (r) => scaffold(r, 'payments-api', 'dev')],
  };
  for (const [what, commits] of Object.entries(prs)) {
    for (const strategy of ['merge', 'squash', 'rebase']) {
      const { origin, work, first } = platform();
      const head = pullRequest(work, 'some/branch', commits);
      const expected = prVerdict(work, first, head);
      const push = merge(work, 'some/branch', strategy);
      const run = guardRun(origin, push);
      assert.equal(run.status, 0, `${what} ${strategy}: ${run.stderr}${run.stdout}`);
      assert.deepEqual(runVerdict(run), expected, `${what}, ${strategy}`);
      // The last commit alone (what `MERGE^1..MERGE` judged for a rebase) would have said otherwise.
      if (what !== 'benign' && strategy === 'rebase') assert.equal(prVerdict(work, `${push.after}^1`, push.after).ok, true, what);
      assert.equal(expected.ok, what === 'benign', what);
    }
  }
});

test('a run cancelled while queued loses nothing: the next applies from the tag, then moves it', () => {
  const { origin, work, first } = platform();
  pullRequest(work, 'one', [(r) => scaffold(r, 'payments-api', 'dev')]);
  merge(work, 'one', 'merge'); // its run was cancelled by GitHub: never ran
  pullRequest(work, 'two', [(r) => scaffold(r, 'ledger-archive', 'prod')]);
  const second = merge(work, 'two', 'squash');
  const run = guardRun(origin, second);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.outputs.applied, first);
  assert.deepEqual(runVerdict(run), { ok: true, changes: ['dev/payments-api/added', 'prod/ledger-archive/added'] });
  finishRun(run);
  assert.equal(git(origin, 'rev-parse', `refs/tags/${TAG}^{commit}`), second.after);

  // The next push: only what it brought.
  pullRequest(work, 'three', [(r) => scaffold(r, 'ledger-audit', 'staging')]);
  const third = merge(work, 'three', 'rebase');
  const next = guardRun(origin, third);
  assert.equal(next.outputs.applied, second.after);
  assert.deepEqual(runVerdict(next), { ok: true, changes: ['staging/ledger-audit/added'] });

  // A run that started from an older tag may not move it back (the lease): a second run of the
  // same push after the first moved the tag is refused by the remote.
  finishRun(next);
  const stale = runWorkflowStep(apply, 'applied', 'Move the applied tag', next.checkout, { AFTER: second.after, APPLIED: second.after, APPLIED_TAG: TAG });
  assert.notEqual(stale.status, 0);
  assert.equal(git(origin, 'rev-parse', `refs/tags/${TAG}^{commit}`), third.after);
});

test('a refused push is not applied and keeps the tag: the next push is refused too', () => {
  const { origin, work, first } = platform();
  pullRequest(work, 'bad', [(r) => edit(r, DEV, 'aws_region  = "eu-west-2"', 'aws_region  = "us-east-1"')]);
  const bad = merge(work, 'bad', 'merge');
  const run = guardRun(origin, bad);
  assert.equal(run.outputs.ok, 'false');
  assert.equal(finishRun(run).status, 1);
  assert.equal(git(origin, 'rev-parse', `refs/tags/${TAG}^{commit}`), first);
  pullRequest(work, 'good', [(r) => scaffold(r, 'payments-api', 'dev')]);
  const next = guardRun(origin, merge(work, 'good', 'merge'));
  assert.equal(next.outputs.ok, 'false');
  // A push that touches no registry file has nothing to apply, and is not a refusal.
  const clean = platform();
  pullRequest(clean.work, 'docs', [(r) => fs.writeFileSync(path.join(r, 'NOTES.md'), 'notes\n')]);
  const docs = guardRun(clean.origin, merge(clean.work, 'docs', 'squash'));
  assert.equal(docs.status, 0, docs.stderr);
  assert.deepEqual([docs.outputs.ok, docs.outputs.count], ['true', '0']);
  // But a file Terraform reads is the registry's business: refused, tag kept. Beside the tfvars,
  // a Terraform file anywhere (a root the config may name outside envs/), or any file in or below
  // a directory that holds Terraform files (a module's template).
  for (const file of ['envs/dev/ecr.auto.tfvars', 'envs/prod/override.tf', 'terraform/dev/zz.auto.tfvars', 'modules/ecr/main.tf.json', 'envs/dev/policy.json', 'envs/dev/templates/policy.json']) {
    const other = platform();
    pullRequest(other.work, 'sneak', [
      (r) => {
        fs.mkdirSync(path.dirname(path.join(r, file)), { recursive: true });
        fs.writeFileSync(path.join(r, file), 'ecr_repositories = {}\n');
      },
    ]);
    const sneak = guardRun(other.origin, merge(other.work, 'sneak', 'merge'));
    assert.equal(sneak.outputs.ok, 'false', file);
  }
});

test('an unknown or rewritten before, a force push, a missing or foreign tag: refused, never guessed', () => {
  const { origin, work, first } = platform();
  pullRequest(work, 'one', [(r) => scaffold(r, 'payments-api', 'dev')]);
  const push = merge(work, 'one', 'merge');
  const refused = (r, why) => {
    assert.equal(r.status, 2, `${why}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^::error::/m, why);
    assert.equal(r.outputs.ok, undefined, why);
  };
  refused(guardRun(origin, push, 'true'), 'forced');
  refused(guardRun(origin, { before: '0'.repeat(40), after: push.after }), 'first push');
  refused(guardRun(origin, { before: '', after: push.after }), 'no before');
  // A rewritten history GitHub did not flag as forced: before is not an ancestor of after.
  git(work, 'checkout', '-q', '-B', 'rewritten', first);
  scaffold(work, 'ledger-archive', 'prod');
  const rewritten = commitAll(work, 'another history');
  git(work, 'push', '-q', 'origin', 'rewritten');
  refused(guardRun(origin, { before: push.after, after: rewritten }), 'rewritten');
  // The tag missing, or moved outside the pushed history.
  git(origin, 'tag', '-f', TAG, rewritten);
  refused(guardRun(origin, push), 'foreign tag');
  git(origin, 'tag', '-d', TAG);
  refused(guardRun(origin, push), 'no tag');
  // And the CLI itself refuses a base that is not an ancestor of the head.
  let status = 0;
  try {
    execFileSync(bin, ['changes', '--repo', work, '--base', push.after, '--head', rewritten, '--format', 'json'], { stdio: 'pipe' });
  } catch (e) {
    status = e.status;
  }
  assert.equal(status, 2);
});

test('no file name or message becomes a workflow command in the log', () => {
  const { origin, work } = platform();
  const names = ['x\n::warning file=a::forged', 'a,line=9::b.tf', 'p%0A::notice::q', 'e\u001b[31m\u202eg\u2028h'];
  pullRequest(work, 'names', [
    (r) => {
      scaffold(r, 'payments-api', 'dev');
      for (const n of names) fs.writeFileSync(path.join(r, 'envs', n), 'x\n');
    },
  ]);
  const run = guardRun(origin, merge(work, 'names', 'merge'));
  assert.equal(run.outputs.ok, 'false');
  const failed = finishRun(run);
  const lines = failed.stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, names.length, failed.stdout);
  for (const l of lines) assert.match(l, /^::error file=envs\/[^,:\n]*,line=1::\[unexpected_file\] [^\n]*$/, l);
  assert.ok(failed.stdout.includes('x%0A%3A%3Awarning file=a%3A%3Aforged'), failed.stdout);
  assert.ok(failed.stdout.includes('a%2Cline=9%3A%3Ab.tf'), failed.stdout);
  assert.ok(failed.stdout.includes('p%250A%3A%3Anotice%3A%3Aq'), failed.stdout);
  // Terminal and bidirectional controls and Unicode line separators are shown, not sent.
  assert.doesNotMatch(failed.stdout, /[\u001b\u202e\u2028]/, JSON.stringify(failed.stdout));
  assert.ok(failed.stdout.includes('e\\u{001B}[31m\\u{202E}g\\u{2028}h'), failed.stdout);

  // An error (exit 2) prints its code and message only, never the report: no guard step `cat`s a file.
  for (const f of ['docs/examples/workflows/ecr-plan.yml', 'docs/examples/workflows/ecr-apply.yml']) {
    for (const s of read(f).jobs.guard.steps) if (s.run) assert.doesNotMatch(s.run, /\bcat\b/, `${f}: ${s.name}`);
  }
});

test('only the jobs that talk to AWS may ask for a cloud token', () => {
  for (const f of ['docs/examples/workflows/ecr-apply.yml', 'docs/examples/workflows/ecr-plan.yml', 'docs/examples/workflows/ecr-sync-estate.yml', 'docs/examples/ecr-backstage-sync.yml']) {
    const wf = read(f);
    assert.equal(wf.permissions?.['id-token'], undefined, `${f}: id-token for every job`);
    for (const [name, job] of Object.entries(wf.jobs)) {
      const aws = job.steps.some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
      assert.equal(job.permissions?.['id-token'] === 'write', aws, `${f}: ${name}`);
      assert.ok(job.permissions, `${f}: ${name} states its permissions`);
    }
  }
});

test('the sync workflow takes the regions the core takes, and no other', () => {
  const sync = read('docs/examples/ecr-backstage-sync.yml');
  const regions = ['eu-west-2', 'us-gov-west-1', 'cn-north-1', 'us-isob-east-1', 'eusc-de-east-1', 'ap-southeast-7', 'il-central-1',
    'us-east-01', 'xx-west-1', 'eu-west-0', 'eu-west-100', 'eu-up-1', 'EU-WEST-2', 'eu-west-2 ', 'eu-west-2\n::warning::x', '', 'eusc-d-east-1', 'us-gov-iso-west-1'];
  for (const region of regions) {
    const r = runWorkflowStep(sync, 'sync', 'Check the inputs', root, { AWS_REGION: region });
    const core = wasm.validateField('region', region).length === 0;
    assert.equal(r.status === 0, core, JSON.stringify(region));
    assert.ok(!r.stdout.includes(region) || region === '', 'a refused region is not echoed');
  }
});

test('the sync workflow opens its pull request when sync only created files', () => {
  const sync = read('docs/examples/ecr-backstage-sync.yml');
  const step = (name, cwd, env = {}) => runWorkflowStep(sync, 'sync', name, cwd, { RUNNER_TEMP: tmp('ecr-sync-temp-'), ...env });
  for (const [what, change, expected] of [
    ['nothing', () => {}, 'false'],
    ['a new entity file (untracked)', (r) => fs.writeFileSync(path.join(r, 'envs/dev/new-entity.yaml'), 'kind: Resource\n'), 'true'],
    ['a modified file', (r) => edit(r, DEV, 'eu-west-2', 'eu-west-1'), 'true'],
  ]) {
    const { origin, work } = platform();
    change(work);
    const r = step('Did sync change the repository', work);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.outputs.changed, expected, what);
    if (expected !== 'true') continue;
    // The pull request's branch holds what sync wrote (gh stands in; the push is real).
    const ghBin = tmp('ecr-sync-gh-');
    const ghLog = path.join(ghBin, 'calls');
    fs.writeFileSync(path.join(ghBin, 'gh'), `#!/usr/bin/env bash\necho "$*" >> '${ghLog}'\nexit 0\n`, { mode: 0o755 });
    const temp = tmp('ecr-sync-temp-');
    fs.writeFileSync(path.join(temp, 'sync-report.json'), JSON.stringify({ report: {}, promotion: {} }));
    const saved = process.env.PATH;
    process.env.PATH = `${ghBin}:${saved}`;
    try {
      const pr = step('Open a pull request', work, { RUNNER_TEMP: temp, GITHUB_RUN_ID: '7', AWS_REGION: 'eu-west-2' });
      assert.equal(pr.status, 0, pr.stderr);
      // gh refuses a label the repository lacks: the label is created before the PR names it.
      const calls = fs.readFileSync(ghLog, 'utf8').trim().split('\n');
      assert.deepEqual(calls.map((c) => c.split(' ').slice(0, 3).join(' ')), ['label create ecr-sync', 'pr create --title']);
      assert.match(calls[1], /--label ecr-sync$/);
    } finally {
      process.env.PATH = saved;
    }
    assert.equal(git(work, 'status', '--porcelain'), '', what);
    const files = git(origin, 'diff', '--name-only', 'development', 'chore/ecr-backstage-sync-7');
    assert.ok(files.length > 0 && !files.includes('sync-report') && !files.includes('body.md'), files);
  }
});

test('the plan workflow still judges a pull request whose base branch moved on', () => {
  const plan = read('docs/examples/workflows/ecr-plan.yml');
  const { work, first } = platform();
  const head = pullRequest(work, 'one', [(r) => scaffold(r, 'payments-api', 'dev')]);
  // The base branch moves on after the pull request's merge was made: its tip is no ancestor.
  git(work, 'checkout', '-q', '-B', 'development', first);
  git(work, 'commit', '-q', '--allow-empty', '-m', 'meanwhile on development');
  const tip = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', head);
  const r = runWorkflowStep(plan, 'guard', 'What the pull request changes', work, { BASE: tip, RUNNER_TEMP: tmp('ecr-plan-temp-') });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(runVerdict(r), prVerdict(work, first, head));
});

test('the sync workflow follows only apply runs on the default branch', () => {
  const sync = read('docs/examples/ecr-backstage-sync.yml');
  // The apply workflow runs on every push (its guard skips other branches): sync must not follow those.
  assert.ok(apply.on.push !== undefined && apply.on.pull_request === undefined);
  assert.match(sync.jobs.sync.if, /github\.event\.workflow_run\.head_branch == github\.event\.repository\.default_branch/);
  assert.match(sync.jobs.sync.if, /workflow_run\.conclusion == 'success'/);
});

/**
 * What must never reach a log, a step summary or a pull request body raw (issue 21, items 6 and 9):
 * a line that starts a workflow command (the runner trims leading space) other than the workflow's
 * own (`own`: whole lines), a control byte, a bidirectional control, a Unicode line separator.
 */
function assertShownLiterally(text, where, own = []) {
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (/^[ \t]*::/.test(line)) assert.ok(own.some((re) => re.test(line)), `${where}: a line that starts a workflow command: ${JSON.stringify(line)}\n${text}`);
  }
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, `${where}: a raw control byte\n${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff]/, `${where}: a raw bidirectional or invisible control\n${JSON.stringify(text)}`);
  assert.doesNotMatch(text, /[\u2028\u2029]/, `${where}: a raw Unicode line separator\n${JSON.stringify(text)}`);
}

test('the sync workflow shows hostile catalog names and inputs literally in its log and pull request', () => {
  const sync = read('docs/examples/ecr-backstage-sync.yml');
  const steps = sync.jobs.sync.steps.filter((s) => s.run && !s.run.includes('cargo install'));
  // Active entries in dev that AWS does not have: the catalog is YAML, so a name can carry a line
  // break, ESC, bidirectional controls, U+2028 and a workflow command at its very start.
  const hostile = [
    'x\\n::warning title=forged::pwned\\e[31m\\u202e',
    '::error::lead\\u2028::notice::sep\\u2029y',
    '%0A::add-mask::p\\r::warning::cr\\u2066z\\x85w',
  ];
  const stand = tmp('ecr-sync-stand-');
  const listing = path.join(stand, 'listing.json');
  fs.writeFileSync(
    listing,
    JSON.stringify({
      repositories: ['ledger-sync', 'checkout-web'].map((n) => ({
        repositoryName: n,
        repositoryArn: `arn:aws:ecr:eu-west-2:111111111111:repository/${n}`,
        registryId: '111111111111',
        repositoryUri: `111111111111.dkr.ecr.eu-west-2.amazonaws.com/${n}`,
        createdAt: '2026-01-01T00:00:00Z',
        tags: [],
      })),
    }),
  );
  // ecr-registrar as the workflow calls it, reading this listing instead of AWS; gh keeps the body.
  fs.writeFileSync(path.join(stand, 'ecr-registrar'), `#!/usr/bin/env bash\nexec ${JSON.stringify(bin)} "$@" --from-json ${JSON.stringify(listing)} --region eu-west-2 --now 2026-12-07T00:00:00Z --no-tags\n`, { mode: 0o755 });
  fs.writeFileSync(
    path.join(stand, 'gh'),
    '#!/usr/bin/env bash\nprintf "%s\\n" "$@" > "$GH_ARGS"\nwhile [ $# -gt 0 ]; do if [ "$1" = --body-file ]; then cp "$2" "$GH_BODY"; fi; shift; done\n',
    { mode: 0o755 },
  );

  for (const [what, region, expectPr] of [
    ['hostile catalog names', 'eu-west-2', true],
    ['a hostile region input', 'eu-west-2\n::warning title=forged::region\u001b[31m\u202e<img src=x>', false],
  ]) {
    const { work } = platform();
    const catalog = path.join(work, 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml');
    fs.appendFileSync(
      catalog,
      hostile.map((n, i) => `  "${n}":\n    metadata:\n      id: REGISTRY_HOSTILE_${i}\n      owner: app-team\n      risk: low\n      environment: dev\n      created_date: "2026-01-01"\n      status: active\n`).join(''),
    );
    commitAll(work, 'hostile names');
    const env = { RUNNER_TEMP: tmp('ecr-sync-temp-'), AWS_REGION: region, ENVIRONMENT: 'dev', GITHUB_RUN_ID: '8', GH_BODY: path.join(stand, `body-${expectPr}.md`), GH_ARGS: path.join(stand, `args-${expectPr}`) };
    let log = '';
    let stopped = false;
    for (const s of steps) {
      if (s.if?.includes('steps.sync.outputs.changed') && stopped) continue;
      const r = runWorkflowStep(sync, 'sync', s.name, work, env, { pathFirst: [stand] });
      log += r.stdout + r.stderr;
      assertShownLiterally(r.stdout + r.stderr, `${what}: ${s.name}: log`, [/^::error title=Bad input::the region is not an AWS region name \(like eu-west-2\); nothing was synced$/]);
      assertShownLiterally(r.summary, `${what}: ${s.name}: step summary`);
      if (r.status !== 0) {
        assert.ok(!expectPr, `${what}: ${s.name} failed: ${r.stdout}${r.stderr}`);
        stopped = true;
        break;
      }
      if (s.id === 'sync') assert.equal(r.outputs.changed, 'true', `${what}: sync wrote the entities`);
    }
    if (!expectPr) {
      assert.ok(stopped, `${what}: the run went on with the input`);
      assert.ok(!fs.existsSync(env.GH_ARGS), `${what}: a pull request was opened`);
      continue;
    }
    // The names are in the log, every hidden character shown (the value cannot start a line).
    assert.ok(log.includes('x\\n::warning title=forged::pwned\\u001b[31m\\u{202E}'), log);
    assert.ok(log.includes('::error::lead\\u{2028}::notice::sep\\u{2029}y'), log);
    const body = fs.readFileSync(env.GH_BODY, 'utf8');
    assertShownLiterally(body, `${what}: pull request body`);
    assertShownLiterally(fs.readFileSync(env.GH_ARGS, 'utf8'), `${what}: gh's arguments`);
    assert.match(body, /x\\n::warning title=forged::pwned\\u001b\[31m\\u202e/i, body);
  }
});

/** A directory with stand-ins: each `name: script` an executable. */
function standIns(scripts) {
  const d = tmp('ecr-stand-');
  for (const [name, body] of Object.entries(scripts)) fs.writeFileSync(path.join(d, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  return d;
}
const HOSTILE_TEXT = 'x\n::warning title=forged::pwned\u001b[31m\u202e\u2028::add-mask::y\u2029%0A::error::z\r::notice::cr\u0085\u2066w';

test('an error of the CLI with hostile text becomes one escaped annotation in every workflow', () => {
  // ecr-registrar answers every call with an error whose message carries every payload, exit 2;
  // the JSON holds them as \u escapes, as a JSON writer may, and jq decodes them.
  const json = JSON.stringify({ error: { code: 'io', message: HOSTILE_TEXT } });
  const stand = standIns({ 'ecr-registrar': `printf '%s\\n' ${JSON.stringify(json).replace(/\$/g, '\\$')}\nexit 2` });
  const runs = [];
  // The plan workflow's guard.
  {
    const { work, first } = platform();
    const plan = read('docs/examples/workflows/ecr-plan.yml');
    runs.push(['plan', runWorkflowStep(plan, 'guard', 'What the pull request changes', work, { BASE: first, RUNNER_TEMP: tmp('ecr-err-temp-') }, { pathFirst: [stand] })]);
  }
  // The apply workflow's guard on a push.
  {
    const { work, first } = platform();
    fs.writeFileSync(path.join(work, 'NOTES.md'), 'notes\n');
    const after = commitAll(work, 'a push');
    const env = { ...apply.env, BEFORE: first, AFTER: after, FORCED: 'false', RUNNER_TEMP: tmp('ecr-err-temp-') };
    runs.push(['apply', runWorkflowStep(apply, 'guard', 'What the push brought', work, env, { pathFirst: [stand] })]);
  }
  // The dispatch workflow's scaffold.
  {
    const { work } = platform();
    const create = read('docs/examples/workflows/create-ecr-registry.yml');
    const env = { RUNNER_TEMP: tmp('ecr-err-temp-'), NAME: 'payments-api', OWNER: 'app-team', REQUESTER: '', DOMAIN: '', ENVIRONMENT: 'dev', RISK: 'low', DESCRIPTION: '', REGION: '' };
    runs.push(['create', runWorkflowStep(create, 'request', 'Edit the catalog and tfvars', work, env, { pathFirst: [stand] })]);
  }
  for (const [what, r] of runs) {
    assert.equal(r.status, 2, `${what}: ${r.stdout}${r.stderr}`);
    const commands = r.stdout.split(/\r\n|\r|\n/).filter((l) => /^[ \t]*::/.test(l));
    assert.equal(commands.length, 1, `${what}: ${JSON.stringify(r.stdout)}`);
    assert.match(commands[0], /^::error( title=ECR registry request refused)?::\[io\] x%0A::warning title=forged::pwned\\u\{001B\}\[31m\\u\{202E\}\\u\{2028\}::add-mask::y\\u\{2029\}%250A::error::z%0D::notice::cr\\u\{0085\}\\u\{2066\}w$/, what);
    assertShownLiterally(r.stdout + r.stderr, `${what}: log`, [/^::error( title=ECR registry request refused)?::\[io\] x%0A/]);
    assertShownLiterally(r.summary, `${what}: step summary`);
  }
  // The two sync workflows: the request's problems are part of the one annotation.
  const withErrors = JSON.stringify({ error: { code: 'io', message: HOSTILE_TEXT, errors: [{ field: 'environment', code: 'unknown_environment', message: HOSTILE_TEXT }] } });
  const syncStand = standIns({ 'ecr-registrar': `printf '%s\\n' ${JSON.stringify(withErrors).replace(/\$/g, '\\$')}\nexit 2` });
  const escaped = 'x%0A::warning title=forged::pwned\\u{001B}[31m\\u{202E}\\u{2028}::add-mask::y\\u{2029}%250A::error::z%0D::notice::cr\\u{0085}\\u{2066}w';
  for (const [file, job, step, env] of [
    ['docs/examples/ecr-backstage-sync.yml', 'sync', 'Render the entities from AWS', { ENVIRONMENT: 'dev' }],
    ['docs/examples/workflows/ecr-sync-estate.yml', 'render', 'Render the entities', {}],
  ]) {
    const { work } = platform();
    const r = runWorkflowStep(read(file), job, step, work, { RUNNER_TEMP: tmp('ecr-err-temp-'), ...env }, { pathFirst: [syncStand] });
    assert.equal(r.status, 2, `${file}: ${r.stdout}${r.stderr}`);
    const commands = r.stdout.split(/\r\n|\r|\n/).filter((l) => /^[ \t]*::/.test(l));
    assert.deepEqual(commands, [`::error title=ecr-registrar sync failed::[io] ${escaped}; environment: ${escaped} [unknown_environment]`], file);
    assertShownLiterally(r.stdout + r.stderr, `${file}: log`, [/^::error title=ecr-registrar sync failed::\[io\] x%0A/]);
  }
});

test('terraform output in the plan and apply steps is shown, never obeyed as a workflow command', () => {
  // terraform prints the pull request's values: here every payload, on stdout and stderr, and a
  // guess at ending stop-commands.
  const stand = standIns({
    terraform: `d=$(dirname "$0")\nprintf '%s\\n' "$(< "$d/hostile.txt")" '::stop-commands::guess' '::guess::' '::warning::after'\nprintf '%s\\n' "$(< "$d/hostile.txt")" >&2\ncase " $* " in *" plan "*) echo "Plan: 1 to add, 0 to change, 0 to destroy.";; esac`,
  });
  fs.writeFileSync(path.join(stand, 'hostile.txt'), HOSTILE_TEXT);
  const plan = read('docs/examples/workflows/ecr-plan.yml');
  const { work } = platform();
  const c = { environment: 'dev', workdir: 'envs/dev', name: 'payments-api', kind: 'added' };
  const target = `-target=module.ecr_repositories["${c.name}"]`;
  const runs = [
    ['plan', runWorkflowStep(plan, 'plan', 'Targeted plan', work, { ENVIRONMENT: c.environment, WORKDIR: c.workdir, NAME: c.name, KIND: c.kind, PLAN: `terraform -chdir=envs/dev plan ${target}` }, { pathFirst: [stand] })],
    ['apply', runWorkflowStep(apply, 'apply', 'Targeted apply', work, { ENVIRONMENT: c.environment, WORKDIR: c.workdir, APPLY: `terraform -chdir=envs/dev apply -auto-approve -input=false ${target}` }, { pathFirst: [stand] })],
  ];
  for (const [what, r] of runs) {
    assert.equal(r.status, 0, `${what}: ${r.stdout}${r.stderr}`);
    const log = r.stdout + r.stderr;
    const lines = log.split(/\r\n|\r|\n/).filter(Boolean);
    // The first line stops command processing with a token nothing printed before it could know;
    // only the last line, the step's own, resumes it.
    const token = lines[0].match(/^::stop-commands::([0-9a-f]{32})$/)?.[1];
    assert.ok(token, `${what}: ${JSON.stringify(log)}`);
    assert.equal(lines.at(-1), `::${token}::`, what);
    assert.equal(log.split(token).length, 3, `${what}: the token is printed twice only`);
    // No control byte, bidirectional control or line separator reaches the log raw.
    assertShownLiterally(lines.filter((l) => !/^[ \t]*::/.test(l)).join('\n'), `${what}: log`);
    assert.doesNotMatch(log, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/, `${what}: ${JSON.stringify(log)}`);
    assert.ok(log.includes('\\u{001B}[31m\\u{202E}'), `${what}: ${JSON.stringify(log)}`);
  }
  const comment = fs.readFileSync(path.join(work, 'comment.md'), 'utf8');
  assert.match(comment, /Plan: 1 to add/);
  assert.doesNotMatch(comment, /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/, JSON.stringify(comment));
});

test('the estate sync workflow shows hostile catalog names literally in its log and pull request', () => {
  const estate = read('docs/examples/workflows/ecr-sync-estate.yml');
  const { work } = platform();
  fs.writeFileSync(path.join(work, 'registrar.yaml'), 'sync:\n  targets:\n    - { environment: dev, region: eu-west-2, account: "111111111111" }\n');
  const catalog = path.join(work, 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml');
  // Active in dev, missing from AWS: each a ghost in the report.
  fs.appendFileSync(catalog, `  "x\\n::warning title=forged::pwned\\e[31m\\u202e\\u2028y":\n    metadata:\n      id: REGISTRY_HOSTILE\n      owner: app-team\n      risk: low\n      environment: dev\n      created_date: "2026-01-01"\n      status: active\n`);
  commitAll(work, 'a hostile name, one target');
  const temp = tmp('ecr-estate-temp-');
  fs.mkdirSync(path.join(temp, 'listings'));
  const repositories = ['ledger-sync'].map((n) => ({ repositoryName: n, registryId: '111111111111', repositoryArn: `arn:aws:ecr:eu-west-2:111111111111:repository/${n}` }));
  fs.writeFileSync(path.join(temp, 'listings/dev.json'), JSON.stringify({ repositories }));
  const stand = standIns({ gh: 'echo "$1 $2 $3" >> "$GH_CALLS"; while [ $# -gt 0 ]; do if [ "$1" = --body-file ]; then cp "$2" "$GH_BODY"; fi; shift; done' });
  const env = { RUNNER_TEMP: temp, GITHUB_RUN_ID: '9', GH_BODY: path.join(temp, 'gh-body.md'), GH_CALLS: path.join(temp, 'gh-calls') };
  const render = runWorkflowStep(estate, 'render', 'Render the entities', work, env, { pathFirst: [stand] });
  assert.equal(render.status, 0, render.stdout + render.stderr);
  assert.equal(render.outputs.changed, 'true');
  assertShownLiterally(render.stdout + render.stderr, 'render: log');
  const pr = runWorkflowStep(estate, 'render', 'Open a pull request', work, env, { pathFirst: [stand] });
  assert.equal(pr.status, 0, pr.stdout + pr.stderr);
  assertShownLiterally(pr.stdout + pr.stderr, 'pull request: log');
  // gh refuses a label the repository lacks: the label is created before the PR names it.
  assert.deepEqual(fs.readFileSync(env.GH_CALLS, 'utf8').trim().split('\n'), ['label create ecr-sync', 'pr create --title']);
  const body = fs.readFileSync(env.GH_BODY, 'utf8');
  assertShownLiterally(body, 'pull request body');
  assert.ok(body.includes('x\\n::warning title=forged::pwned\\u001b[31m\\u202e\\u2028y'), body);
});

test('the estate sync workflow opens its pull request for entities outside catalog/, and commits nothing of its own', () => {
  const estate = read('docs/examples/workflows/ecr-sync-estate.yml');
  const { origin, work } = platform();
  // The config puts the entities elsewhere (the tenth issue-23 check: only catalog/ was looked at).
  fs.writeFileSync(
    path.join(work, 'registrar.yaml'),
    'sync:\n  entitiesPath: backstage/ecr/registry.yaml\n  systemPath: backstage/ecr/system.yaml\n  domainPath: backstage/ecr/domain.yaml\n  locationPath: backstage/ecr/location.yaml\n  targets:\n    - { environment: dev, region: eu-west-2, account: "111111111111" }\n',
  );
  commitAll(work, 'entities under backstage/');
  git(work, 'push', '-q', 'origin', 'HEAD:development');
  const temp = tmp('ecr-estate-temp-');
  fs.mkdirSync(path.join(temp, 'listings'));
  const repositories = [{ repositoryName: 'ledger-sync', registryId: '111111111111', repositoryArn: 'arn:aws:ecr:eu-west-2:111111111111:repository/ledger-sync' }];
  fs.writeFileSync(path.join(temp, 'listings/dev.json'), JSON.stringify({ repositories }));
  const stand = standIns({ gh: 'exit 0' });
  const env = { RUNNER_TEMP: temp, GITHUB_RUN_ID: '11' };
  const render = runWorkflowStep(estate, 'render', 'Render the entities', work, env, { pathFirst: [stand] });
  assert.equal(render.status, 0, render.stdout + render.stderr);
  assert.equal(render.outputs.changed, 'true');
  const pr = runWorkflowStep(estate, 'render', 'Open a pull request', work, env, { pathFirst: [stand] });
  assert.equal(pr.status, 0, pr.stdout + pr.stderr);
  const files = git(origin, 'diff', '--name-only', 'development', 'chore/ecr-estate-sync-11').split('\n').sort();
  assert.deepEqual(files, ['backstage/ecr/domain.yaml', 'backstage/ecr/location.yaml', 'backstage/ecr/registry.yaml', 'backstage/ecr/system.yaml']);
});

test('the estate sync workflow says why sync failed, as one escaped error annotation', () => {
  const estate = read('docs/examples/workflows/ecr-sync-estate.yml');
  const { work } = platform();
  fs.writeFileSync(path.join(work, 'registrar.yaml'), 'sync:\n  targets:\n    - { environment: dev, region: eu-west-2, account: "111111111111" }\n');
  commitAll(work, 'one target');
  const temp = tmp('ecr-estate-temp-');
  fs.mkdirSync(path.join(temp, 'listings'));
  // A name AWS could not hold, with a line that would be a workflow command of its own.
  const bad = 'Bad\n::warning title=forged::x%0A';
  fs.writeFileSync(path.join(temp, 'listings/dev.json'), JSON.stringify({ repositories: [{ repositoryName: bad, registryId: '111111111111', repositoryArn: 'arn:aws:ecr:eu-west-2:111111111111:repository/x' }] }));
  const r = runWorkflowStep(estate, 'render', 'Render the entities', work, { RUNNER_TEMP: temp });
  assert.notEqual(r.status, 0);
  // Before: nothing at all in the log (the error went to the report file).
  const lines = (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('::'));
  assert.equal(lines.length, 1, r.stdout + r.stderr);
  assert.match(lines[0], /^::error title=ecr-registrar sync failed::\[malformed\] repository 1 of the repository listing/);
  assert.doesNotMatch(lines[0], /::warning/);
  // No JSON report (the CLI refused its arguments, on stderr): still one annotation that says so
  // (the twelfth issue-23 check: jq printed nothing for an empty report).
  fs.rmSync(path.join(temp, 'listings/dev.json'));
  fs.writeFileSync(path.join(temp, 'listings/-x.json'), '{"repositories": []}');
  const usage = runWorkflowStep(estate, 'render', 'Render the entities', work, { RUNNER_TEMP: temp });
  assert.notEqual(usage.status, 0);
  const said = (usage.stdout + usage.stderr).split('\n').filter((l) => l.startsWith('::'));
  assert.deepEqual(said, [`::error::ecr-registrar sync failed (exit ${usage.status}); its message is above`], usage.stdout + usage.stderr);
});
