// An independent hostile suite for issue 21 ("trust the auto-apply path"): about a hundred cases,
// each a small object {id, class, what, run}, written without looking at the fixes. Every fixture
// is generated here in temp dirs (git repos made from examples/platform); every case asserts
// behaviour only: exit codes, bytes of files, absence of secrets and control bytes, parse results.
//
// Classes (the issue's nine items): 1 guard vs git objects, 2 merge strategies, 3 filesystem
// escapes, 4 leaks, 5 replacement, 6 escaping, 7 one meaning, 8 cost, 9 workflows and sync.
// Class 8 records the wall time of each call (printed at the end and written to
// $HOSTILE_TIMINGS or /tmp/sec-hostile-timings.json); it asserts only a generous 5 s timeout.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse, parseAllDocuments } from 'yaml';
import { bin, root, tree } from './helpers.mjs';

const require = createRequire(import.meta.url);
const PKG = path.join(root, 'pkg/node/ecr_registrar.js');
const core = require(PKG);

const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
const TODAY = '2026-11-21';
const NOW = '2026-11-21T18:00:00Z';
const SAFETY_MS = Number(process.env.HOSTILE_SAFETY_MS ?? 5000); // raise only to measure how long a slow case really takes
const timings = [];
const made = []; // scratch workspaces, removed at the end unless HOSTILE_KEEP is set
const scratchDir = (prefix) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
};

// ---------------------------------------------------------------------------------------------
// Helpers

const marker = () => `SECRET-${crypto.randomBytes(8).toString('hex')}`;
const read = (p) => fs.readFileSync(p, 'utf8');
const write = (p, s) => {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, s);
};

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', '-c', 'core.symlinks=true', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}
const commit = (repo, msg = 'change') => {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', msg);
  return git(repo, 'rev-parse', 'HEAD');
};

/**
 * A workspace W holding `repo/` (a copy of examples/platform, a git repository on `development`
 * with one commit) and `outside/` (files that must never be read into or written by the CLI).
 */
function platform({ config, git: withGit = true } = {}) {
  const ws = scratchDir('ecr-hostile-');
  const repo = path.join(ws, 'repo');
  fs.cpSync(path.join(root, 'examples/platform'), repo, { recursive: true });
  fs.mkdirSync(path.join(ws, 'outside'));
  if (config !== undefined) write(path.join(repo, 'registrar.yaml'), config);
  let base = null;
  if (withGit) {
    git(repo, 'init', '-q', '-b', 'development');
    base = commit(repo, 'the platform');
  }
  return { ws, repo, outside: path.join(ws, 'outside'), base };
}

/** Everything in the workspace the CLI must not touch: outside the repo's work tree, or in .git. */
function guarded(ws) {
  const all = tree(ws);
  return Object.fromEntries(Object.entries(all).filter(([p]) => !p.startsWith('repo' + path.sep) || p.startsWith(path.join('repo', '.git') + path.sep)));
}

let recording = null; // class 8: every call's wall time
function cli(args, { input, cwd, timeout = SAFETY_MS } = {}) {
  const t0 = performance.now();
  const r = spawnSync(bin, args, {
    encoding: 'utf8',
    input,
    cwd,
    timeout,
    maxBuffer: 1 << 27,
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1' },
  });
  const out = { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: performance.now() - t0 };
  recording?.push({ ms: out.ms, status: out.signal ?? out.status, args: args[0] });
  return out;
}
const show = (r) => `exit ${r.status} signal ${r.signal}\nstdout: ${r.stdout.slice(0, 1500)}\nstderr: ${r.stderr.slice(0, 1500)}`;

/** The process ended by itself (no timeout, no crash) with one of the documented exit codes. */
function answered(r) {
  assert.equal(r.signal, null, `killed by ${r.signal} (timeout ${SAFETY_MS} ms or crash)\n${show(r)}`);
  assert.ok([0, 1, 2, 3].includes(r.status), show(r));
  assert.doesNotMatch(r.stderr, /panicked|RUST_BACKTRACE|stack overflow/, show(r));
}
/** Answered, and not with success. */
function refused(r) {
  answered(r);
  assert.notEqual(r.status, 0, `expected a refusal\n${show(r)}`);
}
/** The guard must not pass: non-zero, and a JSON report (if any) says ok: false. */
function guardFails(r) {
  refused(r);
  try {
    const j = JSON.parse(r.stdout);
    if (j.guard) assert.equal(j.guard.ok, false, show(r));
  } catch {
    /* text output or an error */
  }
}
function noMarker(r, m, where = '') {
  assert.ok(!r.stdout.includes(m), `${where} stdout leaks the marker\n${show(r)}`);
  assert.ok(!r.stderr.includes(m), `${where} stderr leaks the marker\n${show(r)}`);
}

const scaffoldArgs = (repo, name = 'payments-api', env = 'dev', risk = 'low', ...more) => [
  'scaffold', '--repo', repo, '--name', name, '--owner', 'app-team', '--environment', env, '--risk', risk, '--today', TODAY, ...more,
];
const scaffold = (repo, ...a) => cli(scaffoldArgs(repo, ...a));
const changes = (repo, base, head = 'HEAD', ...more) => cli(['changes', '--repo', repo, '--base', base, '--head', head, '--format', 'json', ...more]);

function verdict(r) {
  answered(r);
  if (r.status >= 2) return { error: r.status };
  const j = JSON.parse(r.stdout);
  return { ok: j.guard.ok, changes: j.changes.map((c) => `${c.environment}/${c.name}/${c.kind}`).sort() };
}

/** A listing as `aws ecr describe-repositories` prints it (optional tags per repository). */
function listing(names, tags = () => []) {
  return JSON.stringify({
    repositories: names.map((n) => ({
      repositoryName: n,
      repositoryArn: `arn:aws:ecr:eu-west-2:111111111111:repository/${n}`,
      registryId: '111111111111',
      repositoryUri: `111111111111.dkr.ecr.eu-west-2.amazonaws.com/${n}`,
      createdAt: '2026-01-01T00:00:00Z',
      tags: tags(n),
    })),
  });
}
function syncFromJson(repo, text, ...more) {
  const dir = scratchDir('ecr-hostile-listing-');
  const f = path.join(dir, 'listing.json');
  fs.writeFileSync(f, text);
  return cli(['sync', '--repo', repo, '--from-json', f, '--region', 'eu-west-2', '--now', NOW, '--no-tags', ...more]);
}

/** Run a script in a fresh Node process with the WebAssembly package loaded as `core`. */
function wasmChild(body, timeout = SAFETY_MS) {
  const script = `const core = require(${JSON.stringify(PKG)}); const fs = require('fs');
const { performance } = require('perf_hooks');
const out = {};
(async () => { ${body} })().then(() => process.stdout.write(JSON.stringify(out)), (e) => { out.crash = String(e && e.stack || e); process.stdout.write(JSON.stringify(out)); });`;
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout, maxBuffer: 1 << 27 });
  const ms = performance.now() - t0;
  let parsed = {};
  try { parsed = JSON.parse(r.stdout); } catch { /* killed */ }
  recording?.push({ ms: parsed.hostileMs ?? ms, status: r.signal ?? `${parsed.result ?? ''}${parsed.code ? ` (${parsed.code})` : ''}` });
  assert.equal(r.signal, null, `the WebAssembly child was killed (${r.signal}) after ${Math.round(ms)} ms: ${r.stderr.slice(0, 500)}`);
  assert.equal(r.status, 0, r.stderr.slice(0, 1000));
  const out = JSON.parse(r.stdout);
  assert.equal(out.crash, undefined, out.crash);
  return { ...out, ms };
}

// Untrusted text is shown literally: the checks of class 6.
const PAYLOADS = {
  backtick: 'a`b``c```d',
  pipe: 'a|b|c',
  html: '<script>alert(1)</script><img src=x onerror=alert(1)>',
  heading: 'x\n## Approved by security\n',
  lsep: 'x\u2028y\u2029z\u0085w',
  esc: 'x\x1b[2J\x1b]0;owned\x07y',
  bidi: 'x\u202eevil\u202c\u2066y\u2069',
  addMask: '::add-mask::x',
  percentNewline: 'x%0A::error::forged%0D%25',
  crlf: 'x\r\n::warning::forged\r\ny',
};
const ALL_PAYLOADS = Object.values(PAYLOADS).join(' ');

/** Code spans removed (CommonMark: a run of N backticks up to the next run of exactly N). */
const stripCodeSpans = (line) => line.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, '');

function assertShownLiterally(text, where) {
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f]/, `${where}: a raw control byte\n${JSON.stringify(text).slice(0, 3000)}`);
  assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/, `${where}: a raw bidirectional control`);
  assert.doesNotMatch(text, /[\u2028\u2029\u0085]/, `${where}: a raw Unicode line separator`);
  assert.doesNotMatch(text, /^[ \t]*::/m, `${where}: a line that starts a workflow command\n${text.slice(0, 3000)}`);
  assert.doesNotMatch(text, /^[ \t]*#+[ \t]*Approved/m, `${where}: a forged heading`);
  for (const line of text.split('\n')) {
    assert.doesNotMatch(stripCodeSpans(line), /<\/?[a-zA-Z][^>]*>/, `${where}: a raw HTML tag outside code spans: ${line}`);
  }
  // Every Markdown table keeps its column count (GFM splits cells on unescaped |, code spans too).
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|')) continue;
    const cols = (l) => l.replace(/\\\|/g, '').split('|').length;
    const want = cols(lines[i]);
    while (i < lines.length && lines[i].startsWith('|')) {
      assert.equal(cols(lines[i]), want, `${where}: a table row with a different column count: ${lines[i]}`);
      i++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The cases

const cases = [];
const add = (id, cls, what, run) => cases.push({ id, class: cls, what, run });

// ---- Class 1: the guard judges git objects (modes, links, renames, attributes) -------------

/** A PR on top of the base: `edit(repo)` then one commit; `changes` must not pass. */
function guardCase(id, what, edit, { config } = {}) {
  add(id, 1, what, () => {
    const p = platform({ config });
    edit(p);
    commit(p.repo, 'hostile');
    guardFails(changes(p.repo, p.base));
    const text = cli(['changes', '--repo', p.repo, '--base', p.base]);
    refused(text);
  });
}
const tfvars = (p, env = 'dev') => path.join(p.repo, 'envs', env, 'terraform.tfvars');
const catalogOf = (p) => path.join(p.repo, CATALOG);

guardCase('g01-catalog-symlink-inside', 'the catalog becomes a symlink to a copy inside the repo (with a new entry)', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  fs.renameSync(catalogOf(p), path.join(p.repo, 'docs/catalog-copy.yaml'));
  fs.symlinkSync('../../catalog-copy.yaml', catalogOf(p));
});
guardCase('g02-tfvars-symlink-outside', 'envs/dev/terraform.tfvars becomes a symlink to a file outside the repo', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  fs.renameSync(tfvars(p), path.join(p.outside, 'dev.tfvars'));
  fs.symlinkSync(path.join(p.outside, 'dev.tfvars'), tfvars(p));
});
guardCase('g03-tfvars-gitlink', 'envs/dev/terraform.tfvars becomes a gitlink (submodule entry)', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  git(p.repo, 'add', '-A');
  git(p.repo, 'rm', '-q', '--cached', 'envs/dev/terraform.tfvars');
  git(p.repo, 'update-index', '--add', '--cacheinfo', `160000,${p.base},envs/dev/terraform.tfvars`);
  git(p.repo, 'commit', '-q', '-m', 'gitlink');
  // A submodule not checked out is an empty directory: the next `git add -A` keeps the gitlink
  // (with the file left in the work tree, it would stage the file back over it).
  fs.rmSync(tfvars(p));
  fs.mkdirSync(tfvars(p));
});
guardCase('g04-tfvars-mode-755-same-content', 'envs/dev/terraform.tfvars: mode 100755, same content', (p) => {
  fs.chmodSync(tfvars(p), 0o755);
});
guardCase('g05-catalog-mode-755-with-request', 'a valid request, and the catalog made executable in the same PR', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  fs.chmodSync(catalogOf(p), 0o755);
});
guardCase('g06-rename-out', 'envs/staging/terraform.tfvars renamed away (Terraform would read no inputs)', (p) => {
  git(p.repo, 'mv', 'envs/staging/terraform.tfvars', 'envs/staging/terraform.tfvars.bak');
});
add('g07-rename-into-place', 1, 'a tfvars file renamed from elsewhere into envs/test/terraform.tfvars, with its catalog entry', () => {
  // what scaffold would write for a request in `test`, made on a scratch copy
  const scratch = platform({ git: false });
  fs.mkdirSync(path.join(scratch.repo, 'envs/test'));
  const r = scaffold(scratch.repo, 'orders-test', 'test');
  assert.equal(r.status, 0, show(r));
  const p = platform({ git: false });
  write(path.join(p.repo, 'notes/test.tfvars'), read(path.join(scratch.repo, 'envs/test/terraform.tfvars')));
  git(p.repo, 'init', '-q', '-b', 'development');
  const base = commit(p.repo, 'the platform, with notes');
  fs.mkdirSync(path.join(p.repo, 'envs/test'));
  git(p.repo, 'mv', 'notes/test.tfvars', 'envs/test/terraform.tfvars');
  write(catalogOf(p), read(catalogOf(scratch)));
  commit(p.repo, 'rename into place');
  assert.match(git(p.repo, 'diff', '-M', '--name-status', base, 'HEAD'), /^R\d*\tnotes\/test\.tfvars\tenvs\/test\/terraform\.tfvars$/m, 'fixture: git sees a rename');
  guardFails(changes(p.repo, base));
});
guardCase('g08-parent-dir-symlink', 'envs/dev replaced by a symlink to envs/staging', (p) => {
  fs.rmSync(path.join(p.repo, 'envs/dev'), { recursive: true });
  fs.symlinkSync('staging', path.join(p.repo, 'envs/dev'));
});
guardCase('g09-gitattributes-filter', 'a valid request plus .gitattributes putting a filter= on the catalog', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  write(path.join(p.repo, '.gitattributes'), `${CATALOG} filter=evil\n`);
});
guardCase('g10-gitattributes-eol', 'a valid request plus eol=crlf on a governed tfvars', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  write(path.join(p.repo, 'envs/dev/.gitattributes'), 'terraform.tfvars text eol=crlf\n');
});
guardCase('g13-gitattributes-encoding', 'a valid request plus working-tree-encoding on the catalog', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  write(path.join(p.repo, '.gitattributes'), `${CATALOG} working-tree-encoding=ISO-8859-1\n`);
});
guardCase('g11-auto-tfvars', 'a valid request plus envs/dev/zz.auto.tfvars (Terraform reads it too)', (p) => {
  assert.equal(scaffold(p.repo).status, 0);
  write(path.join(p.repo, 'envs/dev/zz.auto.tfvars'), 'ecr_repositories = {}\n');
});
guardCase('g12-config-symlink', 'registrar.yaml (governing the guard) becomes a symlink to an outside file', (p) => {
  fs.rmSync(path.join(p.repo, 'registrar.yaml'));
  write(path.join(p.outside, 'r.yaml'), 'environments: [dev]\n');
  fs.symlinkSync(path.join(p.outside, 'r.yaml'), path.join(p.repo, 'registrar.yaml'));
}, { config: 'environments: [dev, staging, prod]\n' });

// ---- Class 2: every merge strategy gives the PR's verdict; unknown bases are refused -----------

/**
 * development: base, then `meanwhile`; a PR branch with `commits` (each an edit); returns the
 * repo and the PR's own verdict (merge base .. PR head).
 */
function prRepo(commits) {
  const p = platform();
  git(p.repo, 'checkout', '-q', '-b', 'pr');
  const shas = commits.map((edit, i) => {
    edit(p.repo);
    return commit(p.repo, `pr commit ${i + 1}`);
  });
  git(p.repo, 'checkout', '-q', 'development');
  write(path.join(p.repo, 'README.txt'), 'unrelated work on development\n');
  // unrelated work lands outside the governed files but is part of development, not of the PR
  const before = commit(p.repo, 'meanwhile');
  return { ...p, shas, before, prVerdict: verdict(changes(p.repo, p.base, shas.at(-1))) };
}
const s = (name, env = 'dev', risk = 'low') => (repo) => assert.equal(scaffold(repo, name, env, risk).status, 0);
const regionEdit = (value) => (repo) => {
  const f = path.join(repo, 'envs/dev/terraform.tfvars');
  fs.writeFileSync(f, read(f).replace(/aws_region\s*=\s*"[^"]*"/, `aws_region  = "${value}"`));
};
function mergeCommit(p) {
  git(p.repo, 'merge', '-q', '--no-ff', '-m', 'merge', 'pr');
  return git(p.repo, 'rev-parse', 'HEAD');
}
function squash(p) {
  git(p.repo, 'merge', '-q', '--squash', 'pr');
  return commit(p.repo, 'squashed');
}
function rebaseMerge(p) {
  for (const sha of p.shas) git(p.repo, 'cherry-pick', '--allow-empty', sha);
  return git(p.repo, 'rev-parse', 'HEAD');
}

const applyWorkflow = parse(read(path.join(root, 'docs/examples/workflows/ecr-apply.yml')));
/** Run the apply workflow's guard step (the one that calls `changes`) as GitHub would after a push or a merge. */
function runApplyGuard(p, before, after) {
  const [jobName, job] = Object.entries(applyWorkflow.jobs).find(([, j]) => j.steps?.some((st) => st.run?.includes('ecr-registrar changes')));
  const step = job.steps.find((st) => st.run?.includes('ecr-registrar changes'));
  git(p.repo, 'checkout', '-q', after);
  // The workflow applies from the tag of the last applied commit: the branch was applied up to
  // `before` (a zero `before` has no such commit, and no tag is made).
  if (/[1-9a-f]/.test(before)) git(p.repo, 'tag', '-f', 'ecr-registry-applied', before);
  const scratch = scratchDir('ecr-hostile-step-');
  const bindir = path.join(scratch, 'bin');
  fs.mkdirSync(bindir);
  fs.symlinkSync(bin, path.join(bindir, 'ecr-registrar'));
  const event = path.join(scratch, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ before, after, forced: false, pull_request: { merged: true, merge_commit_sha: after } }));
  const script = path.join(scratch, 'step.sh');
  fs.writeFileSync(script, step.run);
  const output = path.join(scratch, 'output');
  const env = {
    ...process.env,
    PATH: `${bindir}:${process.env.PATH}`,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
    GITHUB_EVENT_PATH: event,
    GITHUB_EVENT_NAME: 'push',
    FORCED: 'false',
    RUNNER_TEMP: scratch,
    GITHUB_SHA: after,
    MERGE: after,
    AFTER: after,
    BEFORE: before,
    BASE: before,
    HEAD_SHA: after,
    EVENT_BEFORE: before,
    EVENT_AFTER: after,
    ...Object.fromEntries(Object.entries({ ...applyWorkflow.env, ...step.env }).filter(([, v]) => !String(v).includes('${{'))),
  };
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: p.repo, env, encoding: 'utf8', timeout: 20000 });
  const outputs = fs.existsSync(output)
    ? Object.fromEntries(read(output).split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
    : {};
  return { job: jobName, status: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}
const matrixNames = (outputs) => JSON.parse(outputs.matrix ?? '{"include":[]}').include.map((c) => `${c.environment}/${c.name}/${c.kind}`).sort();

add('m01-merge-commit-cli', 2, 'merge commit: changes base..merge gives the PR verdict (two requests)', () => {
  const p = prRepo([s('payments-api'), s('ledger-archive', 'prod', 'high')]);
  assert.equal(p.prVerdict.ok, true, JSON.stringify(p.prVerdict));
  assert.deepEqual(verdict(changes(p.repo, p.before, mergeCommit(p))), p.prVerdict);
});
add('m02-squash-cli', 2, 'squash merge: changes before..squash gives the PR verdict', () => {
  const p = prRepo([s('payments-api'), s('ledger-archive', 'prod', 'high')]);
  assert.deepEqual(verdict(changes(p.repo, p.before, squash(p))), p.prVerdict);
});
add('m03-rebase-cli', 2, 'rebase merge of 2: changes before..after gives the PR verdict', () => {
  const p = prRepo([s('payments-api'), s('ledger-archive', 'prod', 'high')]);
  assert.deepEqual(verdict(changes(p.repo, p.before, rebaseMerge(p))), p.prVerdict);
});
add('m04-rebase-workflow-sees-all', 2, 'apply workflow after a rebase merge of 2 requests applies both (not only the last commit)', () => {
  const p = prRepo([s('payments-api'), s('ledger-archive', 'prod', 'high')]);
  const after = rebaseMerge(p);
  const r = runApplyGuard(p, p.before, after);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.equal(r.outputs.ok, 'true', JSON.stringify(r.outputs));
  assert.deepEqual(matrixNames(r.outputs), p.prVerdict.changes);
});
add('m05-rebase-hostile-first-commit', 2, 'rebase merge: a hostile tfvars edit in commit 1, a clean request in commit 2 → not ok', () => {
  const p = prRepo([regionEdit('us-east-1'), s('payments-api')]);
  assert.equal(p.prVerdict.ok, false);
  const r = runApplyGuard(p, p.before, rebaseMerge(p));
  assert.notEqual(r.outputs.ok, 'true', `the workflow would apply: ${JSON.stringify(r.outputs)}`);
});
add('m06-revert-in-second-commit', 2, 'commit 1 edits a governed attribute and adds a request; commit 2 reverts it and adds another file', () => {
  const p = prRepo([(repo) => { s('payments-api')(repo); regionEdit('us-east-1')(repo); }, (repo) => { regionEdit('eu-west-2')(repo); write(path.join(repo, 'ops/notes.txt'), 'x\n'); }]);
  const after = rebaseMerge(p);
  assert.deepEqual(verdict(changes(p.repo, p.before, after)), p.prVerdict);
  const r = runApplyGuard(p, p.before, after);
  assert.equal(String(r.outputs.ok === 'true'), String(p.prVerdict.ok), JSON.stringify({ workflow: r.outputs, pr: p.prVerdict }));
});
add('m07-squash-workflow', 2, 'apply workflow after a squash merge gives the PR verdict', () => {
  const p = prRepo([s('payments-api'), s('ledger-archive', 'prod', 'high')]);
  const r = runApplyGuard(p, p.before, squash(p));
  assert.equal(r.outputs.ok, 'true', r.stderr + JSON.stringify(r.outputs));
  assert.deepEqual(matrixNames(r.outputs), p.prVerdict.changes);
});
add('m08-base-not-ancestor', 2, '--base not an ancestor of --head (a force push rewrote history) → refused', () => {
  const p = platform();
  git(p.repo, 'checkout', '-q', '--orphan', 'rewritten');
  assert.equal(scaffold(p.repo).status, 0);
  const head = commit(p.repo, 'rewritten history');
  refused(changes(p.repo, p.base, head));
  const q = platform();
  assert.equal(scaffold(q.repo).status, 0);
  const a = commit(q.repo, 'a');
  git(q.repo, 'checkout', '-q', q.base);
  git(q.repo, 'checkout', '-q', '-b', 'side');
  assert.equal(scaffold(q.repo, 'other-api').status, 0);
  const b = commit(q.repo, 'b');
  refused(changes(q.repo, a, b)); // diverged: a is not an ancestor of b
});
add('m09-zero-base', 2, 'a zero --base (first push / unknown before) → refused', () => {
  const p = platform();
  assert.equal(scaffold(p.repo).status, 0);
  commit(p.repo);
  refused(changes(p.repo, '0'.repeat(40)));
  refused(changes(p.repo, ''));
});
add('m10-missing-base', 2, 'a --base that does not exist → refused', () => {
  const p = platform();
  assert.equal(scaffold(p.repo).status, 0);
  commit(p.repo);
  refused(changes(p.repo, 'deadbeef'.repeat(5)));
  refused(changes(p.repo, 'no-such-branch'));
});
add('m11-workflow-zero-before', 2, 'apply workflow with before = 0000… (first or forced push) does not apply', () => {
  const p = prRepo([s('payments-api')]);
  const after = mergeCommit(p);
  const r = runApplyGuard(p, '0'.repeat(40), after);
  assert.notEqual(r.outputs.ok, 'true', `the workflow would apply after an unknown before: ${JSON.stringify(r.outputs)}`);
});

// ---- Class 3: the filesystem is not a way out -----------------------------------------------

function escapeCase(id, what, { setup, config, run, mustChange = [] }) {
  add(id, 3, what, () => {
    const p = platform({ config, git: false });
    setup?.(p);
    const before = guarded(p.ws);
    const r = run(p);
    refused(r);
    assert.deepEqual(guarded(p.ws), before, 'something outside the work tree (or in .git) changed');
  });
}
const outsideCopy = (p, rel, name) => {
  const dst = path.join(p.outside, name);
  fs.renameSync(path.join(p.repo, rel), dst);
  return dst;
};

escapeCase('f01-env-dir-symlink-out', 'envs/dev is a symlink to a directory outside the repo; scaffold', {
  setup: (p) => {
    fs.renameSync(path.join(p.repo, 'envs/dev'), path.join(p.outside, 'dev'));
    fs.symlinkSync(path.join(p.outside, 'dev'), path.join(p.repo, 'envs/dev'));
  },
  run: (p) => scaffold(p.repo),
});
escapeCase('f02-catalog-symlink-out', 'the catalog is a symlink to an outside file; scaffold', {
  setup: (p) => fs.symlinkSync(outsideCopy(p, CATALOG, 'catalog.yaml'), catalogOf(p)),
  run: (p) => scaffold(p.repo),
});
escapeCase('f03-config-symlink-secret', 'registrar.yaml is a symlink to an outside secrets file; scaffold', {
  setup: (p) => {
    write(path.join(p.outside, 'credentials'), `# owners: []\nenvironments: [dev, staging, prod]\n`);
    fs.symlinkSync(path.join(p.outside, 'credentials'), path.join(p.repo, 'registrar.yaml'));
  },
  run: (p) => scaffold(p.repo),
});
escapeCase('f04-catalog-path-absolute', 'catalogPath is an absolute path outside the repo', {
  setup: (p) => write(path.join(p.outside, 'abs.yaml'), read(path.join(root, 'examples/platform', CATALOG))),
  run: (p) => {
    write(path.join(p.repo, 'registrar.yaml'), `catalogPath: ${JSON.stringify(path.join(p.outside, 'abs.yaml'))}\n`);
    return scaffold(p.repo);
  },
});
escapeCase('f05-catalog-path-dotdot', 'catalogPath climbs out with ..', {
  config: 'catalogPath: ../outside/cat.yaml\n',
  run: (p) => scaffold(p.repo),
});
escapeCase('f06-tfvars-path-dotdot', 'tfvarsPath "../outside/{environment}.tfvars"', {
  config: 'tfvarsPath: "../outside/{environment}.tfvars"\n',
  setup: (p) => write(path.join(p.outside, 'dev.tfvars'), 'ecr_repositories = {}\n'),
  run: (p) => scaffold(p.repo),
});
escapeCase('f07-catalog-path-into-git', 'catalogPath into .git/hooks', {
  setup: (p) => { git(p.repo, 'init', '-q'); },
  config: 'catalogPath: .git/hooks/post-checkout\n',
  run: (p) => scaffold(p.repo),
});
escapeCase('f08-tfvars-path-into-git', 'tfvarsPath "./.git/{environment}/terraform.tfvars"', {
  setup: (p) => { git(p.repo, 'init', '-q'); fs.mkdirSync(path.join(p.repo, '.git/dev'), { recursive: true }); },
  config: 'tfvarsPath: "./.git/{environment}/terraform.tfvars"\n',
  run: (p) => scaffold(p.repo),
});
escapeCase('f09-path-nul', 'catalogPath with a NUL byte', {
  config: 'catalogPath: "docs/cat.yaml\\0x"\n',
  run: (p) => scaffold(p.repo),
});
escapeCase('f10-path-backslash', 'catalogPath with backslashes climbing out (..\\..\\outside)', {
  config: 'catalogPath: "..\\\\outside\\\\cat.yaml"\n',
  run: (p) => scaffold(p.repo),
});
escapeCase('f16-environment-name-climbs', 'an environment named "../../outside" in registrar.yaml (it becomes a path)', {
  config: 'environments: [dev, "../../outside"]\n',
  setup: (p) => write(path.join(p.outside, 'terraform.tfvars'), 'ecr_repositories = {}\n'),
  run: (p) => scaffold(p.repo, 'payments-api', '../../outside'),
});
escapeCase('f11-entities-path-out', 'sync.entitiesPath "../outside/ecr.yaml"; sync --from-json', {
  config: 'sync:\n  entitiesPath: ../outside/ecr.yaml\n',
  run: (p) => syncFromJson(p.repo, listing(['ledger-sync'])),
});
escapeCase('f12-entities-path-git-config', 'sync.entitiesPath ".git/config"; sync --from-json', {
  setup: (p) => { git(p.repo, 'init', '-q'); },
  config: 'sync:\n  entitiesPath: .git/config\n',
  run: (p) => syncFromJson(p.repo, listing(['ledger-sync'])),
});
escapeCase('f13-update-through-env-symlink', 'update through envs/dev -> outside dir', {
  setup: (p) => {
    fs.renameSync(path.join(p.repo, 'envs/dev'), path.join(p.outside, 'dev'));
    fs.symlinkSync(path.join(p.outside, 'dev'), path.join(p.repo, 'envs/dev'));
  },
  run: (p) => cli(['update', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--owner', 'sre-team', '--today', TODAY]),
});
escapeCase('f14-decommission-tfvars-symlink', 'decommission with envs/dev/terraform.tfvars -> outside file', {
  setup: (p) => fs.symlinkSync(outsideCopy(p, 'envs/dev/terraform.tfvars', 'dev.tfvars'), tfvars(p)),
  run: (p) => cli(['decommission', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--today', TODAY]),
});
escapeCase('f15-promote-catalog-symlink', 'sync --promote with the catalog -> outside file', {
  setup: (p) => fs.symlinkSync(outsideCopy(p, CATALOG, 'catalog.yaml'), catalogOf(p)),
  run: (p) => syncFromJson(p.repo, listing(['ledger-sync']), '--promote', '--environment', 'dev'),
});

// ---- Class 4: errors never print file contents ----------------------------------------------

/** Run `run(p, m, format)` in text and JSON; neither output may hold the marker. */
function leakCase(id, what, run, { formats = ['text', 'json'] } = {}) {
  add(id, 4, what, () => {
    for (const format of formats) {
      const m = marker();
      const p = platform({ git: false });
      const r = run(p, m, format);
      answered(r);
      noMarker(r, m, format);
    }
  });
}
const withConfig = (text) => (p, m, format) => {
  write(path.join(p.repo, 'registrar.yaml'), text(m));
  return scaffold(p.repo, 'payments-api', 'dev', 'low', '--format', format);
};
leakCase('l01-config-broken-syntax', 'registrar.yaml with broken syntax around the marker', withConfig((m) => `environments: [dev, "${m}\nowners: {\n`));
leakCase('l02-config-wrong-type', 'registrar.yaml: owners is a string (the marker)', withConfig((m) => `owners: ${m}\n`));
leakCase('l03-config-unknown-key', 'registrar.yaml: an unknown key that is the marker', withConfig((m) => `${m}: 1\n`));
leakCase('l04-config-bad-regex', 'registrar.yaml: namePattern an invalid regex holding the marker', withConfig((m) => `namePattern: "^(${m}"\n`));
leakCase('l05-config-secret-lines', 'registrar.yaml is a credentials file (INI) with the marker', withConfig((m) => `[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = ${m}\n`));
const withCatalog = (text) => (p, m, format) => {
  write(catalogOf(p), text(m));
  return scaffold(p.repo, 'payments-api', 'dev', 'low', '--format', format);
};
leakCase('l06-catalog-broken', 'catalog with broken syntax next to the marker', withCatalog((m) => `version: "1.0"\nrepositories:\n  a: [${m}\n`));
leakCase('l07-catalog-wrong-type', 'catalog: repositories is a string (the marker)', withCatalog((m) => `version: "1.0"\nrepositories: ${m}\n`));
leakCase('l08-catalog-comment', 'catalog: the marker in a comment, tab indentation breaks it', withCatalog((m) => `# ${m}\nrepositories:\n\tx: 1 # ${m}\n`));
const withTfvars = (text) => (p, m, format) => {
  write(tfvars(p), text(m));
  return scaffold(p.repo, 'payments-api', 'dev', 'low', '--format', format);
};
leakCase('l09-tfvars-broken', 'tfvars with broken syntax and the marker', withTfvars((m) => `aws_region = "${m}\necr_repositories = {\n`));
leakCase('l10-tfvars-wrong-type', 'tfvars: ecr_repositories is a string (the marker)', withTfvars((m) => `ecr_repositories = "${m}"\n`));
leakCase('l11-listing-broken', 'sync --from-json: broken JSON holding the marker', (p, m, format) => syncFromJson(p.repo, `{"repositories": [{"repositoryName": "${m}`, '--format', format));
leakCase('l12-listing-wrong-type', 'sync --from-json: wrong types holding the marker', (p, m, format) =>
  syncFromJson(p.repo, JSON.stringify({ repositories: [{ repositoryName: 7, repositoryArn: { m }, registryId: m, createdAt: m }] }), '--format', format));
leakCase('l13-changes-head-broken', 'changes: the head tfvars is broken around the marker', (p, m, format) => {
  git(p.repo, 'init', '-q', '-b', 'development');
  const base = commit(p.repo, 'base');
  write(tfvars(p), `ecr_repositories = {\n  "${m}" = {\n`);
  commit(p.repo, 'broken');
  return cli(['changes', '--repo', p.repo, '--base', base, '--format', format]);
});
leakCase('l14-update-catalog-broken', 'update on a catalog whose entry is broken around the marker', (p, m, format) => {
  fs.appendFileSync(catalogOf(p), `  ${m}: {\n`);
  return cli(['update', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--owner', 'sre-team', '--format', format]);
});
add('l15-wasm-errors', 4, 'WebAssembly: scaffold, update, configFromYaml, renderEntities and changes errors hold no marker', () => {
  const m = marker();
  const req = { name: 'payments-api', owner: 'app-team', environment: 'dev', risk: 'low' };
  const calls = {
    scaffoldCatalog: () => core.scaffold(req, { catalog: `repositories:\n  a: [${m}\n`, tfvars: null }, TODAY),
    scaffoldTfvars: () => core.scaffold(req, { catalog: null, tfvars: `ecr_repositories = "${m}"\n` }, TODAY),
    updateCatalog: () => core.update({ name: 'x', environment: 'dev', owner: 'sre-team' }, { catalog: `repositories: ${m}\n`, tfvars: null }, TODAY),
    configType: () => core.configFromYaml(`owners: ${m}\n`),
    configKey: () => core.configFromYaml(`${m}: 1\n`),
    configSyntax: () => core.configFromYaml(`environments: [dev, "${m}\n`),
    listing: () => core.renderEntities(`{"repositories": [{"repositoryName": "${m}`, null, { region: 'eu-west-2', now: NOW }),
    listingType: () => core.renderEntities(JSON.stringify({ repositories: [{ repositoryName: 7, registryId: m }] }), null, { region: 'eu-west-2', now: NOW }),
    changes: () => core.changes({ base: new Map([[CATALOG, 'repositories: {}\n']]), head: new Map([[CATALOG, `repositories: [${m}\n`]]), changedPaths: [CATALOG] }),
  };
  const leaks = [];
  for (const [name, call] of Object.entries(calls)) {
    let result;
    try {
      result = call();
    } catch (e) {
      result = { message: e?.message, stack: e?.stack, json: JSON.stringify(e), props: { ...e } };
    }
    if (JSON.stringify(result, (k, v) => (v instanceof Map ? [...v] : v))?.includes(m)) leaks.push(name);
  }
  assert.deepEqual(leaks, [], `these WebAssembly calls echo file bytes: ${leaks.join(', ')}`);
});

// ---- Class 5: replacement is not an update ---------------------------------------------------

const changesHelp = cli(['changes', '--help']).stdout;
const replaceFlag = changesHelp.match(/--[a-z-]*(replac|destroy)[a-z-]*/)?.[0];

function replaceCase(id, what, edit, { expectOk = false, prepare } = {}) {
  add(id, 5, what, () => {
    const p = platform();
    if (prepare) {
      prepare(p);
      p.base = commit(p.repo, 'prepared base');
    }
    edit(p);
    commit(p.repo, 'day 2');
    const r = changes(p.repo, p.base);
    answered(r);
    if (expectOk) {
      assert.equal(r.status, 0, `a plain update must still pass the guard\n${show(r)}`);
      return;
    }
    guardFails(r);
    if (r.status === 1) {
      const j = JSON.parse(r.stdout);
      assert.ok(!j.changes.some((c) => c.kind === 'updated' && c.name === 'ledger-sync' && j.guard.ok), show(r));
    }
    if (replaceFlag) guardFails(changes(p.repo, p.base, 'HEAD', replaceFlag)); // a flag without config permission is not enough
  });
}
const upd = (name, env, ...fields) => (p) => {
  const r = cli(['update', '--repo', p.repo, '--name', name, '--environment', env, '--today', TODAY, ...fields]);
  assert.equal(r.status, 0, show(r));
};
replaceCase('r01-low-to-high', 'update --risk high on a low entry (AES256 → KMS: destroy and recreate)', upd('ledger-sync', 'dev', '--risk', 'high'));
replaceCase('r02-high-to-low', 'update --risk low on a high entry', upd('checkout-web', 'prod', '--risk', 'low'));
replaceCase('r03-medium-to-high', 'update --risk high on a medium entry', upd('orders-api', 'prod', '--risk', 'high'), { prepare: (p) => assert.equal(scaffold(p.repo, 'orders-api', 'prod', 'medium').status, 0) });
replaceCase('r04-hand-edit-risk', 'hand edit of both files low → high, no tool', (p) => {
  fs.writeFileSync(tfvars(p), read(tfvars(p)).replace('risk  = "low"', 'risk  = "high"'));
  fs.writeFileSync(catalogOf(p), read(catalogOf(p)).replace(/(ledger-sync:[\s\S]*?risk: )low/, '$1high'));
});
replaceCase('r05-rename', 'a rename of the tfvars key (Terraform destroys the old repository)', (p) => {
  fs.writeFileSync(tfvars(p), read(tfvars(p)).replace('"ledger-sync" = {', '"ledger-sync2" = {'));
  fs.writeFileSync(catalogOf(p), read(catalogOf(p)).replace('  ledger-sync:\n', '  ledger-sync2:\n'));
});
replaceCase('r06-low-to-medium-control', 'control: update --risk medium on a low entry stays a plain update (guard ok)', upd('ledger-sync', 'dev', '--risk', 'medium'), { expectOk: true });
add('r07-flag-and-config', 5, 'a replacement with the reviewer flag but a config that does not allow replacements → still refused', (t) => {
  if (!replaceFlag) return t.skip('changes has no reviewer flag for replacements yet (--help names none)');
  const p = platform({ config: 'environments: [dev, test, staging, prod]\n' });
  upd('ledger-sync', 'dev', '--risk', 'high')(p);
  commit(p.repo);
  guardFails(changes(p.repo, p.base, 'HEAD', replaceFlag));
});
add('r08-kind-is-replace', 5, 'changes JSON reports a tier move across high as a replacement, not "updated"', () => {
  const p = platform();
  upd('ledger-sync', 'dev', '--risk', 'high')(p);
  commit(p.repo);
  const r = changes(p.repo, p.base);
  answered(r);
  if (r.status >= 2) return; // refused outright: fine
  const c = JSON.parse(r.stdout).changes.find((x) => x.name === 'ledger-sync');
  assert.ok(c, show(r));
  assert.match(c.kind, /replac/i, `reported as ${c.kind}`);
});
add('r09-wasm-pr-body-bold', 5, 'WebAssembly update low → high: the PR body says in bold that the repository and its images are deleted', () => {
  const files = { catalog: read(path.join(root, 'examples/platform', CATALOG)), tfvars: read(path.join(root, 'examples/platform/envs/dev/terraform.tfvars')) };
  let out;
  try {
    out = core.update({ name: 'ledger-sync', environment: 'dev', risk: 'high' }, files, TODAY);
  } catch (e) {
    assert.ok(e.code, 'refused with a code'); // refusing the edit outright is also safe
    return;
  }
  assert.match(out.pullRequest.body, /\*\*[^*\n]*(replac|destroy|delet)[^*\n]*\*\*/i, out.pullRequest.body);
  assert.match(out.pullRequest.body, /\*\*[^*\n]*image[^*\n]*\*\*/i, 'the images deleted are named in bold');
});
add('r10-cli-update-says-replace', 5, 'CLI update --risk high --dry-run tells the requester it replaces the repository', () => {
  const p = platform({ git: false });
  const r = cli(['update', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--risk', 'high', '--dry-run']);
  answered(r);
  if (r.status !== 0) return;
  assert.match(r.stdout + r.stderr, /replac|destroy|delet/i, show(r));
});

// ---- Class 6: untrusted text is shown literally ---------------------------------------------

const permissive = 'owners: []\nrequesters: []\ndomains: []\nvaluePattern: "^(?s:.*)$"\n';
const examplesFiles = () => ({ catalog: read(path.join(root, 'examples/platform', CATALOG)), tfvars: read(path.join(root, 'examples/platform/envs/dev/terraform.tfvars')) });
let permissiveConfig;
try {
  permissiveConfig = core.configFromYaml(permissive);
} catch {
  permissiveConfig = null;
}
for (const [key, value] of Object.entries(PAYLOADS)) {
  add(`e-${key}`, 6, `WebAssembly scaffold: owner/requester/domain ${JSON.stringify(value)} in the PR body`, () => {
    let out;
    try {
      out = core.scaffold({ name: 'payments-api', owner: value, requester: value, domain: value, environment: 'dev', risk: 'low' }, examplesFiles(), TODAY, permissiveConfig);
    } catch (e) {
      assert.ok(e.code, String(e)); // refused: nothing to show
      return;
    }
    assertShownLiterally(out.pullRequest.body, 'PR body');
    assertShownLiterally(out.pullRequest.title, 'PR title');
  });
}
add('e-update-before-column', 6, 'WebAssembly update: each hostile owner already in the catalog, shown in the "Before" column', () => {
  const shown = [];
  for (const [key, value] of Object.entries(PAYLOADS)) {
    const files = examplesFiles();
    files.catalog = files.catalog.replace('owner: database-team', `owner: ${JSON.stringify(value)}`);
    let out;
    try {
      out = core.update({ name: 'ledger-sync', environment: 'dev', owner: 'sre-team' }, files, TODAY);
    } catch (e) {
      assert.ok(e.code, String(e)); // refused: nothing shown
      continue;
    }
    shown.push(key);
    assertShownLiterally(out.pullRequest.body, `update PR body (${key})`);
  }
  assert.ok(shown.length > 0, 'fixture: every update was refused');
});
add('e-changes-output', 6, 'changes text and JSON for a PR whose entry carries every payload as owner', () => {
  const p = platform({ config: permissive });
  const out = core.scaffold({ name: 'payments-api', owner: ALL_PAYLOADS, environment: 'dev', risk: 'low' }, { catalog: read(catalogOf(p)), tfvars: read(tfvars(p)) }, TODAY, permissiveConfig);
  fs.writeFileSync(catalogOf(p), out.catalog.text);
  fs.writeFileSync(tfvars(p), out.tfvars.text);
  commit(p.repo);
  const text = cli(['changes', '--repo', p.repo, '--base', p.base]);
  answered(text);
  assertShownLiterally(text.stdout + text.stderr, 'changes text');
  const json = changes(p.repo, p.base);
  answered(json);
  assert.doesNotMatch(json.stdout, /[\u2028\u2029\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f]/, 'raw control characters in JSON');
});
/** Run each workflow step that turns changes.json into ::error lines; no forged command may come out. */
function assertWorkflowErrorsSafe(repo, changesJson) {
  fs.writeFileSync(path.join(repo, 'changes.json'), changesJson);
  let ran = 0;
  for (const wfName of ['ecr-plan.yml', 'ecr-apply.yml']) {
    const wf = parse(read(path.join(root, 'docs/examples/workflows', wfName)));
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps ?? []) {
        if (!step.run || !/::error/.test(step.run) || step.run.includes('ecr-registrar changes')) continue;
        ran++;
        const scratch = scratchDir('ecr-hostile-step-');
        fs.writeFileSync(path.join(scratch, 's.sh'), step.run);
        const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(scratch, 's.sh')], { cwd: repo, encoding: 'utf8' });
        for (const c of r.stdout.split(/\r?\n|\r/).filter((l) => /^\s*::/.test(l))) {
          assert.match(c, /^::(error|warning|notice)( [^:]*)?::/, `${wfName}: ${c}`);
          const props = c.match(/^::\w+ ([^:]*)::/)?.[1] ?? '';
          for (const kv of props.split(',').filter(Boolean)) assert.match(kv, /^(file|line|col|endLine|endColumn|title)=/, `${wfName}: forged property in ${c}`);
          assert.doesNotMatch(c, /add-mask|forged|stop-commands/, `${wfName}: ${c}`);
        }
      }
    }
  }
  assert.ok(ran > 0, 'no workflow step prints the guard problems');
}
add('e-guard-message-values', 6, 'a tfvars owner carrying a newline and ::add-mask:: cannot forge a command through the guard message', () => {
  const p = platform();
  assert.equal(scaffold(p.repo).status, 0);
  fs.writeFileSync(tfvars(p), read(tfvars(p)).replace('owner = "app-team"', 'owner = "app\\n::add-mask::x\\n::error file=a::forged\\r::warning::forged\u2028y"'));
  assert.match(read(tfvars(p)), /add-mask/, 'fixture: the owner was replaced');
  commit(p.repo);
  const text = cli(['changes', '--repo', p.repo, '--base', p.base]);
  refused(text);
  assertShownLiterally(text.stdout + text.stderr, 'changes text');
  const json = changes(p.repo, p.base);
  refused(json);
  assertWorkflowErrorsSafe(p.repo, json.stdout);
});
/** A PR with a valid request and two files whose names try to forge workflow commands. */
function forgedFileNames() {
  const p = platform();
  assert.equal(scaffold(p.repo).status, 0);
  write(path.join(p.repo, 'docs', 'x\n::add-mask::x\n::error file=a,line=1::forged %0A::warning::y.md'), 'x\n');
  write(path.join(p.repo, 'docs', 'y,line=9::z.md'), 'x\n');
  commit(p.repo);
  return p;
}
add('e-file-name-changes-text', 6, 'changes text: a changed file named "x\\n::add-mask::…" is shown literally', () => {
  const p = forgedFileNames();
  const text = cli(['changes', '--repo', p.repo, '--base', p.base]);
  refused(text);
  assertShownLiterally(text.stdout + text.stderr, 'changes text');
});
add('e-file-name-workflow', 6, 'the workflows\' ::error step: a file named "x\\n::add-mask::…" or "y,line=9::z" forges no command or property', () => {
  const p = forgedFileNames();
  const json = changes(p.repo, p.base);
  refused(json);
  assertWorkflowErrorsSafe(p.repo, json.stdout);
});
add('e-format-github', 6, 'changes --format github (if it exists): forged file names and values produce no extra workflow command', (t) => {
  if (!/possible values:[\s\S]*\bgithub\b/i.test(changesHelp)) return t.skip('changes has no --format github (--help lists none)');
  const p = forgedFileNames();
  const r = cli(['changes', '--repo', p.repo, '--base', p.base, '--format', 'github']);
  refused(r);
  // One annotation per guard problem, each one line whose properties hold no raw `,` or `:`: the
  // forged text may appear only as escaped data after the command's own `::`, never as a command.
  const report = JSON.parse(changes(p.repo, p.base).stdout);
  const lines = r.stdout.split(/\r?\n|\r/).filter(Boolean);
  assert.equal(lines.length, report.guard.problems.length, r.stdout);
  for (const c of lines) {
    assert.match(c, /^::error file=[^,:]*(,line=\d+)?(,title=[^,:]*)?::/, c);
    assert.doesNotMatch(c, /^::(add-mask|warning|set-output|stop-commands|notice)/, c);
  }
});
add('e-sync-tag-owner', 6, 'sync: an AWS owner tag carrying every payload reaches neither report nor files raw', () => {
  const p = platform({ git: false });
  const f = path.join(p.ws, 'l.json');
  fs.writeFileSync(f, listing(['ledger-sync', 'orphan-svc'], () => [{ Key: 'owner', Value: ALL_PAYLOADS }]));
  for (const format of ['text', 'json']) {
    const r = cli(['sync', '--repo', p.repo, '--from-json', f, '--region', 'eu-west-2', '--now', NOW, '--dry-run', '--format', format]);
    answered(r);
    assert.doesNotMatch(r.stdout + r.stderr, /[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u202a-\u202e\u2066-\u2069]|^\s*::/m, `${format}: ${JSON.stringify(r.stdout.slice(0, 2000))}`);
  }
});

// ---- Class 7: one meaning per document ------------------------------------------------------

const exampleCatalog = () => read(path.join(root, 'examples/platform', CATALOG));
const exampleTfvars = () => read(path.join(root, 'examples/platform/envs/dev/terraform.tfvars'));

function ambiguousCase(id, what, { catalog, tfvars: tf, config }) {
  add(id, 7, what, () => {
    // the editors refuse, and write nothing
    const p = platform({ git: false });
    if (catalog) write(catalogOf(p), catalog);
    if (tf) write(tfvars(p), tf);
    if (config) write(path.join(p.repo, 'registrar.yaml'), config);
    const before = tree(p.repo);
    refused(scaffold(p.repo));
    if (!config) refused(cli(['update', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--owner', 'sre-team', '--today', TODAY]));
    assert.deepEqual(tree(p.repo), before, 'an editor wrote to an ambiguous document');
    // the guard refuses the same document arriving in a pull request (with an otherwise valid request)
    const q = platform();
    assert.equal(scaffold(q.repo).status, 0);
    if (catalog) {
      const scaffolded = read(catalogOf(q));
      const extra = scaffolded.slice(exampleCatalog().length);
      write(catalogOf(q), catalog.replace(/\n*$/, '\n') + extra);
    }
    if (tf) write(tfvars(q), tf);
    if (config) write(path.join(q.repo, 'registrar.yaml'), config);
    commit(q.repo);
    guardFails(changes(q.repo, q.base));
  });
}
const cat = exampleCatalog();
ambiguousCase('a01-dup-top-key', 'catalog: repositories: twice', { catalog: cat + 'repositories:\n  evil:\n    metadata: {id: REGISTRY_EVIL}\n' });
ambiguousCase('a02-dup-entry', 'catalog: the same repository entry twice', { catalog: cat + '  ledger-sync:\n    metadata:\n      id: REGISTRY_LEDGER_SYNC\n      owner: evil-team\n      risk: high\n      environment: dev\n      created_date: "2026-10-02"\n      status: active\n' });
ambiguousCase('a03-true-vs-quoted', 'catalog: True: and "true": at the top level', { catalog: cat.replace('version: "1.0"', 'version: "1.0"\nTrue: a\n"true": b') });
ambiguousCase('a04-quoted-vs-plain', "catalog: 'owner': and owner: in one entry", { catalog: cat.replace('      owner: database-team\n', "      owner: database-team\n      'owner': evil-team\n") });
ambiguousCase('a05-anchor-merge', 'catalog: an anchor and a merge key (<<: *m)', {
  catalog: cat.replace('  checkout-web:\n    metadata:\n', '  checkout-web:\n    metadata: &m\n') + '  evil-copy:\n    metadata:\n      <<: *m\n      id: REGISTRY_EVIL_COPY\n',
});
ambiguousCase('a06-alias', 'catalog: an alias as a value', { catalog: cat.replace('owner: sre-team', 'owner: &o sre-team').replace('owner: database-team', 'owner: *o') });
ambiguousCase('a07-dup-id', 'catalog: the same governance id on two entries', { catalog: cat.replace('id: REGISTRY_SEARCH_INDEXER', 'id: REGISTRY_LEDGER_SYNC') });
ambiguousCase('a08-tfvars-ident-and-string', 'tfvars: ledgersync = {…} and "ledgersync" = {…} in the map', {
  tfvars: exampleTfvars().replace('ecr_repositories = {\n', 'ecr_repositories = {\n  ledgersync = {\n    metadata = { id = "A", owner = "x", risk = "low" }\n  }\n  "ledgersync" = {\n    metadata = { id = "B", owner = "y", risk = "high" }\n  }\n'),
});
ambiguousCase('a09-tfvars-dup-string', 'tfvars: "ledger-sync" twice in the map', {
  tfvars: exampleTfvars().replace('ecr_repositories = {\n', 'ecr_repositories = {\n  "ledger-sync" = {\n    metadata = { id = "REGISTRY_LEDGER_SYNC", owner = "evil", risk = "high" }\n  }\n'),
});
ambiguousCase('a10-config-dup-key', 'registrar.yaml: environments: twice', { config: 'environments: [dev]\nenvironments: [dev, prod]\n' });
ambiguousCase('a11-tfvars-dup-attribute', 'tfvars: ecr_repositories = {…} defined twice', { tfvars: exampleTfvars() + '\necr_repositories = {}\n' });

// ---- Class 8: bounded cost, no traps ------------------------------------------------------------

function costCase(id, what, { limit = '≤1MB', run }) {
  add(id, 8, what, () => {
    recording = [];
    try {
      run();
    } finally {
      // the last call is the one measured (earlier ones build fixtures)
      const last = recording.at(-1);
      if (last) timings.push({ id, what, cmd: last.args ?? 'wasm', ms: Math.round(last.ms * 10) / 10, status: last.status, limit });
      recording = null;
    }
  });
}
const MiB = 1 << 20;
const MB = 1_000_000;
function bigCatalog(bytes) {
  let s = exampleCatalog();
  let i = 0;
  while (s.length < bytes - 400) {
    s += `  svc-${i}:\n    metadata:\n      id: REGISTRY_SVC_${i}\n      owner: app-team\n      risk: low\n      environment: staging\n      created_date: "2026-10-02"\n      status: active\n`;
    i++;
  }
  return s;
}
function bigTfvars(bytes) {
  let body = '';
  let i = 0;
  while (body.length < bytes - 600) {
    body += `  "svc-${i}" = {\n    metadata = {\n      id    = "REGISTRY_SVC_${i}"\n      owner = "app-team"\n      risk  = "low"\n    }\n  }\n`;
    i++;
  }
  return exampleTfvars().replace('ecr_repositories = {\n', `ecr_repositories = {\n${body}`);
}
const cliCost = (setup, args, { mustRefuse = false } = {}) => () => {
  const p = platform({ git: false });
  setup(p);
  const r = cli(args(p));
  (mustRefuse ? refused : answered)(r);
  return r;
};
costCase('c01-catalog-1mb-scaffold', 'scaffold on a 1 MB catalog of ~5,000 entries', { run: cliCost((p) => write(catalogOf(p), bigCatalog(MB)), (p) => scaffoldArgs(p.repo)) });
costCase('c02-tfvars-1mb-update', 'update on a 1 MB tfvars (ledger-sync is the last entry)', {
  run: cliCost((p) => write(tfvars(p), bigTfvars(MB)), (p) => ['update', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--owner', 'sre-team', '--today', TODAY]),
});
costCase('c03-tfvars-1mb-decommission', 'decommission on a 1 MB tfvars and 1 MB catalog', {
  run: cliCost((p) => { write(tfvars(p), bigTfvars(MB)); write(catalogOf(p), bigCatalog(MB)); }, (p) => ['decommission', '--repo', p.repo, '--name', 'ledger-sync', '--environment', 'dev', '--today', TODAY]),
});
costCase('c04-catalog-deep-nesting', 'scaffold: catalog with 400,000-deep flow nesting', {
  run: cliCost((p) => write(catalogOf(p), 'repositories:\n  x: ' + '['.repeat(400_000) + ']'.repeat(400_000) + '\n'), (p) => scaffoldArgs(p.repo), { mustRefuse: true }),
});
costCase('c05-catalog-block-nesting', 'scaffold: catalog with 2,000-deep block nesting (~1 MB of indentation)', {
  run: cliCost((p) => { let s = 'repositories:\n'; for (let i = 0; i < 1400; i++) s += ' '.repeat(i + 1) + `k${i}:\n`; write(catalogOf(p), s + ' '.repeat(1402) + 'v\n'); }, (p) => scaffoldArgs(p.repo), { mustRefuse: true }),
});
costCase('c06-catalog-one-line', 'scaffold: catalog with one 1 MB line (a scalar)', {
  run: cliCost((p) => write(catalogOf(p), exampleCatalog().replace('managed_by: platform-team', `managed_by: ${'a'.repeat(MB - 2000)}`)), (p) => scaffoldArgs(p.repo)),
});
costCase('c07-catalog-alias-bomb', 'scaffold: catalog that is a billion-laughs alias bomb', {
  run: cliCost((p) => {
    let s = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 10; i++) s += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]\n`;
    write(catalogOf(p), s + 'repositories: {}\n');
  }, (p) => scaffoldArgs(p.repo), { mustRefuse: true }),
});
costCase('c08-config-alias-bomb', 'validate: registrar.yaml alias bomb', {
  run: cliCost((p) => {
    let s = 'x0: &x0 [dev, dev, dev, dev, dev, dev, dev, dev, dev, dev]\n';
    for (let i = 1; i < 9; i++) s += `x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]\n`;
    write(path.join(p.repo, 'registrar.yaml'), s + 'environments: *x8\n');
  }, (p) => ['validate', '--name', 'aaaa', '--config', path.join(p.repo, 'registrar.yaml')], { mustRefuse: true }),
});
for (const [i, pattern] of ['(a*)*b', '(a|a)*c$', 'a{1000}{1000}', '((a+)+)+$', '(?:(?:a{0,100}){0,100}){0,100}x'].entries()) {
  costCase(`c09-pattern-${i}`, `validate with namePattern ${pattern} on a hostile name`, {
    run: cliCost((p) => write(path.join(p.repo, 'registrar.yaml'), `namePattern: ${JSON.stringify(pattern)}\n`), (p) => ['validate', '--name', 'a'.repeat(200) + '-', '--config', path.join(p.repo, 'registrar.yaml')]),
  });
}
costCase('c10-listing-1mb', 'sync --from-json: a 1 MB listing (~4,500 repositories)', {
  run: () => {
    const p = platform({ git: false });
    const names = [];
    for (let i = 0; JSON.stringify(names).length < MB / 5; i++) names.push(`svc-${i}`);
    const r = syncFromJson(p.repo, listing(names).slice(0, MB).replace(/,\{[^{}]*\{?[^{}]*\}?[^{}]*$/, ']}'), '--dry-run');
    answered(r);
    return r;
  },
});
costCase('c11-listing-deep', 'sync --from-json: 500,000-deep JSON nesting', {
  run: () => {
    const p = platform({ git: false });
    const r = syncFromJson(p.repo, '{"repositories":' + '['.repeat(500_000) + ']'.repeat(500_000) + '}');
    refused(r);
    return r;
  },
});
costCase('c12-tfvars-deep', 'scaffold: tfvars with 300,000-deep object nesting', {
  run: cliCost((p) => write(tfvars(p), 'ecr_repositories = {\n' + 'a = {'.repeat(300_000) + '}'.repeat(300_000) + '}\n'), (p) => scaffoldArgs(p.repo), { mustRefuse: true }),
});
// The limits are above 1 MB (a 10,000-entry catalog is 1.7 MB, a 100,000-repository listing tens of
// MB: real files, read in linear time); past them an input is refused before it is parsed.
costCase('c13-catalog-over-1mb', 'scaffold: a catalog over the file limit (8 MiB) is refused', {
  limit: '>limit refused',
  run: cliCost((p) => write(catalogOf(p), bigCatalog(8 * MiB + 1000)), (p) => scaffoldArgs(p.repo), { mustRefuse: true }),
});
costCase('c14-listing-over-1mb', 'sync --from-json: a listing over the listing limit (64 MiB) is refused', {
  limit: '>limit refused',
  run: () => {
    const p = platform({ git: false });
    const names = Array.from({ length: 14000 }, (_, i) => `svc-${i}`);
    const text = listing(names);
    const r = syncFromJson(p.repo, text + ' '.repeat(64 * MiB + 1 - text.length));
    refused(r);
    return r;
  },
});
costCase('c15-changes-1mb-both', 'changes with a 1 MB catalog and 1 MB tfvars at both revisions', {
  run: () => {
    const p = platform({ git: false });
    write(catalogOf(p), bigCatalog(MB - 3000));
    write(tfvars(p), bigTfvars(MB - 3000));
    git(p.repo, 'init', '-q', '-b', 'development');
    const base = commit(p.repo);
    assert.equal(scaffold(p.repo).status, 0);
    commit(p.repo);
    const r = changes(p.repo, base);
    answered(r);
    return r;
  },
});
costCase('c17-promote-1mb', 'sync --from-json --promote on a 1 MB catalog (ledger-sync pending)', {
  run: () => {
    const p = platform({ git: false });
    write(catalogOf(p), bigCatalog(MB));
    const r = syncFromJson(p.repo, listing(['ledger-sync']), '--promote', '--environment', 'dev');
    answered(r);
    return r;
  },
});
costCase('c16-config-over-1mb', 'scaffold: a 3 MB registrar.yaml is refused', {
  limit: '>1MB refused',
  run: cliCost((p) => write(path.join(p.repo, 'registrar.yaml'), '# ' + 'x'.repeat(3 * MB) + '\nenvironments: [dev]\n'), (p) => scaffoldArgs(p.repo), { mustRefuse: true }),
});

/** A hostile WebAssembly call, then a normal scaffold in the same instance must still succeed. */
function wasmCost(id, what, hostile, { limit = '≤1MB', mustThrow = false } = {}) {
  costCase(id, `WebAssembly: ${what}; then a normal call`, {
    limit,
    run: () => {
      const out = wasmChild(`
        const catalog = fs.readFileSync(${JSON.stringify(path.join(root, 'examples/platform', CATALOG))}, 'utf8');
        const tfvars = fs.readFileSync(${JSON.stringify(path.join(root, 'examples/platform/envs/dev/terraform.tfvars'))}, 'utf8');
        const req = { name: 'payments-api', owner: 'app-team', environment: 'dev', risk: 'low' };
        const t0 = performance.now();
        try { ${hostile}; out.result = 'answered'; } catch (e) { out.result = 'threw'; out.code = e && e.code; out.error = String(e && e.message).slice(0, 200); out.trap = e instanceof WebAssembly.RuntimeError || /unreachable|RuntimeError|call stack|memory/i.test(String(e)); }
        out.hostileMs = performance.now() - t0;
        try { const ok = core.scaffold(req, { catalog, tfvars }, '${TODAY}'); out.after = ok.tfvars.changed ? 'ok' : 'unchanged'; } catch (e) { out.after = 'failed: ' + String(e && e.message).slice(0, 200); }
      `);
      assert.equal(out.after, 'ok', `the next normal call failed after the hostile one (${out.result}: ${out.error})`);
      assert.ok(!out.trap, `the hostile call trapped: ${out.error}`);
      if (mustThrow) assert.equal(out.result, 'threw', 'expected a refusal');
      return { ms: out.hostileMs, result: `${out.result}${out.code ? ` (${out.code})` : ''}` };
    },
  });
}
wasmCost('w01-deep-yaml', 'scaffold with a 400,000-deep flow catalog', `core.scaffold(req, { catalog: 'repositories:\\n  x: ' + '['.repeat(400000) + ']'.repeat(400000) + '\\n', tfvars }, '${TODAY}')`, { mustThrow: true });
wasmCost('w02-deep-hcl', 'scaffold with a 300,000-deep tfvars', `core.scaffold(req, { catalog, tfvars: 'ecr_repositories = {\\n' + 'a = {'.repeat(300000) + '}'.repeat(300000) + '}\\n' }, '${TODAY}')`, { mustThrow: true });
wasmCost('w03-deep-json', 'renderEntities with 500,000-deep JSON', `core.renderEntities('{"repositories":' + '['.repeat(500000) + ']'.repeat(500000) + '}', catalog, { region: 'eu-west-2', now: '${NOW}' })`, { mustThrow: true });
wasmCost('w04-alias-bomb', 'configFromYaml alias bomb', `let s = 'x0: &x0 [dev, dev, dev, dev, dev, dev, dev, dev, dev, dev]\\n'; for (let i = 1; i < 9; i++) s += 'x' + i + ': &x' + i + ' [' + Array(10).fill('*x' + (i - 1)).join(', ') + ']\\n'; core.configFromYaml(s + 'environments: *x8\\n')`, { mustThrow: true });
wasmCost('w05-pattern', 'validateRequest with namePattern a{1000}{1000} and (a*)*b', `for (const p of ['a{1000}{1000}', '(a*)*b', '((a+)+)+$']) { try { core.validateRequest({ name: 'a'.repeat(200) + '-' }, core.configFromYaml('namePattern: "' + p + '"\\n')); } catch (e) { if (e instanceof WebAssembly.RuntimeError) throw e; } }`);
wasmCost('w06-big-catalog', 'scaffold with a 1 MB catalog', `let s = catalog; let i = 0; while (s.length < ${MB - 400}) { s += '  svc-' + i + ':\\n    metadata:\\n      id: REGISTRY_SVC_' + i + '\\n      owner: app-team\\n      risk: low\\n      environment: staging\\n      created_date: "2026-10-02"\\n      status: active\\n'; i++; } core.scaffold(req, { catalog: s, tfvars }, '${TODAY}')`);
wasmCost('w07-over-1mb', 'scaffold with a catalog over the file limit (8 MiB) is refused', `core.scaffold(req, { catalog: catalog + '# ' + 'x'.repeat(${8 * MiB}) + '\\n', tfvars }, '${TODAY}')`, { limit: '>limit refused', mustThrow: true });
wasmCost('w08-huge-listing', 'renderEntities with 8 MB of one string', `core.renderEntities('{"repositories":[{"repositoryName":"' + 'a'.repeat(8000000) + '"}]}', catalog, { region: 'eu-west-2', now: '${NOW}' })`, { limit: '>1MB refused', mustThrow: true });
wasmCost('w10-update-1mb', 'update on a 1 MB tfvars', `let body = ''; let i = 0; while (body.length < ${MB - 600}) { body += '  "svc-' + i + '" = {\\n    metadata = {\\n      id    = "REGISTRY_SVC_' + i + '"\\n      owner = "app-team"\\n      risk  = "low"\\n    }\\n  }\\n'; i++; } core.update({ name: 'ledger-sync', environment: 'dev', owner: 'sre-team' }, { catalog, tfvars: tfvars.replace('ecr_repositories = {\\n', 'ecr_repositories = {\\n' + body) }, '${TODAY}')`);
wasmCost('w09-changes-deep', 'changes with a deep head catalog', `core.changes({ base: new Map([['${CATALOG}', catalog]]), head: new Map([['${CATALOG}', 'repositories:\\n  x: ' + '{a: '.repeat(200000) + '1' + '}'.repeat(200000) + '\\n']]), changedPaths: ['${CATALOG}'] })`);

// ---- Class 9: workflows and sync --------------------------------------------------------------

/** PyYAML (YAML 1.1) and the yaml package (1.2) read the same values from every file. */
function sameInBothReaders(files) {
  const py = spawnSync('python3', ['-c', `
import sys, json, yaml, datetime
def norm(o):
    if isinstance(o, (datetime.date, datetime.datetime)): return {"__date__": str(o)}
    raise TypeError(type(o))
print(json.dumps([list(yaml.safe_load_all(open(f, encoding="utf-8"))) for f in sys.argv[1:]], default=norm, sort_keys=True))
`, ...files], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const js = JSON.stringify(files.map((f) => parseAllDocuments(read(f)).map((d) => d.toJS())), (k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
  const a = JSON.parse(py.stdout);
  const b = JSON.parse(js);
  assert.deepEqual(a, b, 'YAML 1.1 (PyYAML) and YAML 1.2 (yaml) read different values');
}
function hostileNames(id, what, names, tagValue) {
  add(id, 9, what, () => {
    const p = platform({ git: false });
    const f = path.join(p.ws, 'l.json');
    fs.writeFileSync(f, listing(names, () => (tagValue ? [{ Key: 'owner', Value: tagValue }] : [])));
    const r = cli(['sync', '--repo', p.repo, '--from-json', f, '--region', 'eu-west-2', '--now', NOW]);
    answered(r);
    assert.doesNotMatch(r.stdout + r.stderr, /[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]|^\s*::/m, 'raw control characters in the report');
    if (r.status !== 0) return; // refused
    const written = Object.keys(tree(p.repo)).filter((x) => x.startsWith('catalog')).map((x) => path.join(p.repo, x));
    assert.ok(written.length > 0);
    for (const w of written) assert.doesNotMatch(read(w), /[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085\u202a-\u202e]/, `${w}: raw control characters`);
    sameInBothReaders(written);
    // Through WebAssembly too.
    let out;
    try {
      out = core.renderEntities(read(f), read(catalogOf(p)), { region: 'eu-west-2', now: NOW });
    } catch {
      return;
    }
    const dir = scratchDir('ecr-hostile-wasm-');
    const paths = out.files.map((x, i) => { const q = path.join(dir, `${i}.yaml`); fs.writeFileSync(q, x.text); return q; });
    sameInBothReaders(paths);
  });
}
hostileNames('s01-aws-invalid-names', 'listing names failing AWS’s rule (upper case, spaces, quotes, colons)', ['Bad_Name', 'a b', 'x"y', "o'k", 'key: value', '-lead', 'team//web']);
hostileNames('s02-newline-name', 'a listing name with \\n', ['ok-name', 'evil\nkind: Group']);
hostileNames('s03-lsep-name', 'a listing name with U+2028 / U+2029 / U+0085', ['evil\u2028x', 'evil\u2029y', 'evil\u0085z']);
hostileNames('s04-esc-name', 'a listing name with ESC and BEL', ['evil\x1b[2Jx', 'bell\x07y']);
hostileNames('s05-yaml11-scalars', 'valid AWS names that YAML 1.1 reads as bools, ints and nulls', ['on', 'no', 'yes', 'off', 'null', 'true', '1_000', '0b101', '0x1f', '012', '1e3', 'y']);
hostileNames('s06-owner-tag-newline', 'an owner tag with newlines and a YAML document marker', ['ledger-sync', 'svc-a'], 'evil\n---\nkind: Group\n');
hostileNames('s07-owner-tag-yaml11', 'an owner tag "on" / "no"', ['svc-a'], 'no');

const workflowFiles = [
  ...fs.readdirSync(path.join(root, 'docs/examples')).filter((f) => f.endsWith('.yml')).map((f) => path.join(root, 'docs/examples', f)),
  ...fs.readdirSync(path.join(root, 'docs/examples/workflows')).filter((f) => f.endsWith('.yml')).map((f) => path.join(root, 'docs/examples/workflows', f)),
];
const loadWf = (f) => parse(read(f));
const usesAws = (job) => (job.steps ?? []).some((st) => /configure-aws-credentials/.test(st.uses ?? '') || /\baws\b|ecr-registrar sync(?![^\n]*--(listing|from-json))/.test(st.run ?? ''));
add('w-id-token', 9, 'jobs without AWS steps have no id-token: write (job level or inherited)', () => {
  const bad = [];
  for (const f of workflowFiles) {
    const wf = loadWf(f);
    const top = wf.permissions;
    const topWrite = top === 'write-all' || top?.['id-token'] === 'write';
    for (const [name, job] of Object.entries(wf.jobs)) {
      const perms = job.permissions ?? (top === undefined ? 'default' : top);
      const writes = perms === 'write-all' || perms?.['id-token'] === 'write' || (job.permissions === undefined && topWrite);
      if (writes && !usesAws(job)) bad.push(`${path.basename(f)}:${name}`);
    }
  }
  assert.deepEqual(bad, [], `jobs holding an OIDC token they do not need: ${bad.join(', ')}`);
});
add('w-no-expressions-in-run', 9, 'no run: in any workflow contains ${{ }}', () => {
  const bad = [];
  for (const f of workflowFiles) for (const [name, job] of Object.entries(loadWf(f).jobs)) for (const st of job.steps ?? []) if (st.run?.includes('${{')) bad.push(`${path.basename(f)}:${name}:${st.name}`);
  assert.deepEqual(bad, []);
});
add('w-no-cat', 9, 'no step cats a file into the log', () => {
  const bad = [];
  for (const f of workflowFiles) {
    for (const [name, job] of Object.entries(loadWf(f).jobs)) {
      for (const st of job.steps ?? []) {
        const script = (st.run ?? '').replace(/\{\n[\s\S]*?\n\s*\}\s*>{1,2}\s*"?[\w./-]+"?/g, ''); // { …; } > file: not the log
        for (const line of script.split('\n')) {
          if (/(^|[;&|(]\s*|\s)cat\s+[^<>\s-]/.test(line) && !/>\s*\S+\s*$/.test(line.replace(/\|.*$/, ''))) bad.push(`${path.basename(f)}:${name}:${st.name}: ${line.trim()}`);
        }
      }
    }
  }
  assert.deepEqual(bad, [], bad.join('\n'));
});
add('w-sync-untracked', 9, 'the sync workflow opens its PR when sync only created (untracked) files', () => {
  const wf = loadWf(path.join(root, 'docs/examples/ecr-backstage-sync.yml'));
  const step = Object.values(wf.jobs).flatMap((j) => j.steps ?? []).find((st) => st.run?.includes('ecr-registrar sync'));
  assert.ok(step, 'no sync step');
  const p = platform();
  const scratch = scratchDir('ecr-hostile-sync-');
  const bindir = path.join(scratch, 'bin');
  fs.mkdirSync(bindir);
  const f = path.join(scratch, 'l.json');
  fs.writeFileSync(f, listing(['search-indexer'])); // active in the catalog: no promotion, only new files
  // ecr-registrar as the workflow calls it, but reading a fixed listing instead of AWS
  fs.writeFileSync(path.join(bindir, 'ecr-registrar'), `#!/usr/bin/env bash\nargs=()\nfor a in "$@"; do args+=("$a"); done\nexec ${JSON.stringify(bin)} "\${args[@]}" --from-json ${JSON.stringify(f)} --now ${NOW} --no-tags\n`, { mode: 0o755 });
  const out = path.join(scratch, 'out');
  const runStep = (st, name) => {
    fs.writeFileSync(path.join(scratch, name), st.run);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', path.join(scratch, name)], {
      cwd: p.repo,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bindir}:${process.env.PATH}`, GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'), AWS_REGION: 'eu-west-2', ENVIRONMENT: 'dev', RUNNER_TEMP: scratch },
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  };
  runStep(step, 's.sh');
  const status = git(p.repo, 'status', '--porcelain');
  assert.ok(status.includes('?? catalog/'), 'sync created no files (fixture)');
  assert.ok(!/^ M/m.test(status), `fixture: a tracked file changed too\n${status}`);
  // The step that decides whether a pull request is opened: the sync step itself, or one after it
  // that sets `changed`.
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
  const decide = steps.slice(steps.indexOf(step) + 1).find((st) => st.run?.includes('changed='));
  if (decide) runStep(decide, 'd.sh');
  assert.match(read(out), /changed=true/, 'the step says nothing changed, so no pull request would be opened');
});

// ---------------------------------------------------------------------------------------------

const perClass = {};
for (const c of cases) perClass[c.class] = (perClass[c.class] ?? 0) + 1;
test('the suite has about a hundred cases across the nine classes', () => {
  assert.ok(cases.length >= 95, `${cases.length} cases`);
  for (let k = 1; k <= 9; k++) assert.ok(perClass[k] >= 5, `class ${k}: ${perClass[k]}`);
  assert.equal(new Set(cases.map((c) => c.id)).size, cases.length, 'ids are unique');
});
for (const c of cases) {
  test(`${c.id} [${c.class}] ${c.what}`, { timeout: 60_000 }, (t) => c.run(t));
}

after(() => {
  if (!process.env.HOSTILE_KEEP) for (const d of made) fs.rmSync(d, { recursive: true, force: true });
  const file = process.env.HOSTILE_TIMINGS ?? '/tmp/sec-hostile-timings.json';
  fs.writeFileSync(file, JSON.stringify({ perClass, timings }, null, 2));
  process.stdout.write(`# hostile cases per class: ${JSON.stringify(perClass)}\n`);
  for (const x of timings) process.stdout.write(`# timing ${x.id} [${x.cmd}]: ${x.ms} ms (${x.status}) ${x.limit}\n`);
});
