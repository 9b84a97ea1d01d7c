// The Argo CD Application: the CLI (`render argocd`) and the WebAssembly build (what
// ecr:render-argocd runs) give the same bytes for valid requests and the same verdicts, field by
// field, for invalid ones; every Application they render passes Argo CD's CRD schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { bin } from './helpers.mjs';
import { assertValidManifest } from '../../js/dist/testing/crds.js';
import * as core from '../../js/dist/core.js';

const request = { name: 'payments-api', owner: 'app-team', environment: 'prod', risk: 'high' };
const base = { cluster: 'prod-eu-west-2', repoUrl: 'https://github.com/acme/platform-gitops', path: 'crossplane/ecr/payments-api' };
const flag = { repoUrl: '--repo-url', targetRevision: '--target-revision', destinationNamespace: '--destination-namespace' };

function cli(req, opts, format) {
  const args = ['render', 'argocd', ...Object.entries(req).flatMap(([k, v]) => [`--${k}`, v])];
  for (const [k, v] of Object.entries(opts)) args.push(flag[k] ?? `--${k}`, v);
  return spawnSync(bin, [...args, '--format', format], { encoding: 'utf8' });
}

function wasm(req, opts) {
  try {
    return { out: core.renderArgoApplication(req, opts) };
  } catch (e) {
    return { error: e };
  }
}

test('render argocd and renderArgoApplication: the same Application, valid for Argo CD’s CRD', () => {
  const cases = [
    base,
    { ...base, repoUrl: 'github.com/acme/platform-gitops' },
    { ...base, repoUrl: 'git@github.com:acme/platform-gitops.git', targetRevision: 'v1.2.3', namespace: 'gitops', project: 'platform', destinationNamespace: 'team-a' },
  ];
  for (const opts of cases) {
    const yaml = cli(request, opts, 'yaml');
    assert.equal(yaml.status, 0, yaml.stderr);
    const { out } = wasm(request, opts);
    assert.equal(yaml.stdout, out.yaml, JSON.stringify(opts));
    const json = cli(request, opts, 'json');
    assert.deepEqual(JSON.parse(json.stdout), out.application);
    assertValidManifest(parse(out.yaml));
  }
});

test('render argocd and renderArgoApplication refuse the same inputs with the same fields, codes and messages', () => {
  const cases = [
    [request, { ...base, cluster: 'prod eu' }],
    [request, { ...base, repoUrl: 'javascript:alert(1)' }],
    [request, { ...base, repoUrl: 'https://github.com/a b', path: '../up' }],
    [request, { ...base, targetRevision: 'main\u202e' }],
    [{ ...request, name: 'abc-' }, base],
    [{ ...request, environment: 'qa' }, base],
  ];
  for (const [req, opts] of cases) {
    const r = cli(req, opts, 'json');
    assert.equal(r.status, 1, `${JSON.stringify(opts)}: ${r.stdout}${r.stderr}`);
    const { error } = wasm(req, opts);
    assert.ok(error, JSON.stringify(opts));
    const fromCli = JSON.parse(r.stdout).error;
    assert.equal(fromCli.code, error.code);
    assert.deepEqual(fromCli.errors, error.errors);
    assert.ok(!JSON.stringify(error.errors).includes('\u202e'), 'a hidden character is shown, not passed on');
  }
});
