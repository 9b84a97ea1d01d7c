// Shared by the Node tests: where things are and whole-tree snapshots (the TypeScript test helpers,
// js/src/testing, compiled by `npm run build`), and the expected catalog after a request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin } from '../../js/dist/testing/workspace.js';

export { bin, root, tree } from '../../js/dist/testing/workspace.js';
export { installPacked } from '../backstage/pack.mjs';

/** The governance id, computed here without the core (an independent oracle). */
export const regId = (name) => 'REGISTRY_' + name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** What a catalog must read as after `request` on `today`: the old one plus the entry, last. */
export function withCatalogEntry(old, request, today) {
  const out = structuredClone(old);
  out.last_updated = today;
  out.repositories ??= {};
  const metadata = { id: regId(request.name), owner: request.owner };
  if (request.requester) metadata.requested_by = request.requester;
  if (request.domain) metadata.domain = request.domain;
  Object.assign(metadata, { risk: request.risk, environment: request.environment, created_date: today, status: 'pending' });
  out.repositories[request.name] = { metadata };
  return out;
}

/** A scratch bin directory: the real CLI as `ecr-registrar`, and a terraform that records its calls. */
function binDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-wf-bin-'));
  fs.symlinkSync(bin, path.join(d, 'ecr-registrar'));
  fs.writeFileSync(
    path.join(d, 'terraform'),
    '#!/usr/bin/env bash\n{ printf "%s\\n" "$@"; echo "--"; } >> "$TERRAFORM_LOG"\ncase " $* " in *" plan "*) echo "Plan: 1 to add, 0 to change, 0 to destroy.";; esac\n',
    { mode: 0o755 },
  );
  return d;
}

/**
 * Run one step's script of a parsed workflow as GitHub does (bash -eo pipefail, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, the real CLI on PATH); its status, output, the outputs it set and
 * terraform's recorded calls. `pathFirst`: directories searched before the real CLI's (stand-ins
 * for a command, `ecr-registrar` included).
 */
export function runWorkflowStep(workflow, job, stepName, cwd, env, { pathFirst = [] } = {}) {
  const step = workflow.jobs[job].steps.find((s) => s.name === stepName);
  assert.ok(step?.run, `${job}: no step ${stepName}`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-wf-step-'));
  const script = path.join(scratch, 'step.sh');
  fs.writeFileSync(script, step.run);
  const output = path.join(scratch, 'output');
  const summary = path.join(scratch, 'summary');
  const log = path.join(scratch, 'terraform.log');
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: [...pathFirst, binDir(), process.env.PATH].join(':'), GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, TERRAFORM_LOG: log },
  });
  const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const outputs = Object.fromEntries(read(output).split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const calls = read(log).split('--\n').filter(Boolean).map((c) => c.split('\n').filter((l, i, a) => i < a.length - 1 || l));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: read(summary), calls };
}

