// ecr:render-argocd through Backstage's createMockActionContext; the Application must pass Argo
// CD's CRD schema, and point at the manifests' path on the chosen cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { assertValidManifest } from '../../testing/crds.js';
import { runAction } from '../../testing/workspace.js';
import { createEcrRenderArgocdAction } from './renderArgocd.js';

const action = createEcrRenderArgocdAction();
const input = {
  name: 'payments-api',
  owner: 'app-team',
  environment: 'prod',
  risk: 'high',
  cluster: 'resource:default/prod-eu-west-2',
  repoUrl: 'https://github.com/acme/platform-gitops',
  path: 'crossplane/ecr/payments-api',
};

test('ecr:render-argocd writes an Application Argo CD accepts, for the picked cluster and the manifests’ path', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-argo-'));
  const r = await runAction(action, input, ws);
  assert.equal(r.error, undefined);
  assert.equal(r.outputs.path, 'argocd/ecr-payments-api.yaml');
  assert.equal(r.outputs.name, 'ecr-payments-api');
  assert.equal(r.outputs.cluster, 'prod-eu-west-2');
  const written = fs.readFileSync(path.join(ws, 'argocd/ecr-payments-api.yaml'), 'utf8');
  assert.equal(written, r.outputs.application);
  const app = parse(written);
  assertValidManifest(app);
  assert.deepEqual(app.spec.destination, { name: 'prod-eu-west-2', namespace: 'crossplane-system' });
  assert.deepEqual(app.spec.source, { repoURL: 'https://github.com/acme/platform-gitops', targetRevision: 'HEAD', path: 'crossplane/ecr/payments-api' });
  assert.deepEqual(app.spec.syncPolicy.automated, { prune: true, selfHeal: true });
  assert.deepEqual(app.metadata.finalizers, ['resources-finalizer.argocd.argoproj.io']);
  assert.equal(app.metadata.namespace, 'argocd');
  // The schema is awake: an unknown field, a missing project or a wrong type is refused.
  for (const broken of [
    { ...app, spec: { ...app.spec, destination: { ...app.spec.destination, cluster: 'x' } } },
    { ...app, spec: { ...app.spec, project: undefined } },
    { ...app, spec: { ...app.spec, syncPolicy: { automated: { prune: 'yes' } } } },
  ]) {
    assert.throws(() => assertValidManifest(JSON.parse(JSON.stringify(broken))));
  }
  // A cluster given by its Argo CD name is taken as it is.
  const plain = await runAction(action, { ...input, cluster: 'prod-eu-west-2', targetPath: 'apps/x.yaml' }, ws);
  assert.equal(fs.readFileSync(path.join(ws, 'apps/x.yaml'), 'utf8'), written);
  assert.equal(plain.outputs.path, 'apps/x.yaml');
});

test('ecr:render-argocd: bad clusters, URLs, paths and names are InputErrors naming the field; escapes write nothing', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-argo-'));
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ cluster: 'prod eu' }, /cluster: .*\[invalid_format\]/],
    [{ repoUrl: 'https://github.com/acme/x y' }, /repoUrl: .*\[invalid_format\]/],
    [{ repoUrl: 'javascript:alert(1)' }, /repoUrl: .*\[invalid_format\]/],
    [{ path: '../other-team' }, /path: .*\[invalid_format\]/],
    [{ path: '/abs' }, /path: .*\[invalid_format\]/],
    [{ name: 'abc-' }, /\[name_aws_pattern\]/],
    [{ namespace: 'a.b' }, /namespace: .*\[kubernetes_name\]/],
    [{ targetRevision: 'main\n- x' }, /targetRevision: .*\[invalid_format\]/],
  ];
  for (const [change, pattern] of bad) {
    const r = await runAction(action, { ...input, ...change }, ws);
    assert.equal(r.error?.name, 'InputError', JSON.stringify(change));
    assert.match(r.error?.message ?? '', pattern);
  }
  const escape = await runAction(action, { ...input, targetPath: '../escape.yaml' }, ws);
  assert.match(escape.error?.message ?? '', /outside|Relative path/i);
  assert.deepEqual(fs.readdirSync(ws), []);
});

test('ecr:render-argocd: a cluster picked from the catalog must be a kubernetes-cluster Resource the catalog has', async () => {
  const cluster = (name: string, type: string) => ({ apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', metadata: { name, namespace: 'default' }, spec: { type, owner: 'platform-team' } });
  const withCatalog = createEcrRenderArgocdAction({
    catalog: catalogServiceMock({ entities: [cluster('prod-eu-west-2', 'kubernetes-cluster'), cluster('orders-db', 'database')] }),
  });
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-argo-'));
  assert.equal((await runAction(withCatalog, input, ws)).error, undefined);
  // A cluster by its Argo CD name is checked the same way (the third issue-23 check: a request
  // through the API named `in-cluster` and any other name, and got an Application for it).
  assert.equal((await runAction(withCatalog, { ...input, cluster: 'prod-eu-west-2' }, fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-argo-')))).error, undefined);
  for (const [ref, why] of [
    ['resource:default/no-such-cluster', /not in the catalog/],
    ['resource:default/orders-db', /not a kubernetes-cluster/],
    ['in-cluster', /"resource:default\/in-cluster" is not in the catalog/],
    ['no-such-cluster', /not in the catalog/],
    ['orders-db', /not a kubernetes-cluster/],
  ] as const) {
    const ws2 = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-argo-'));
    const r = await runAction(withCatalog, { ...input, cluster: ref }, ws2);
    assert.equal(r.error?.name, 'InputError', ref);
    assert.match(r.error?.message ?? '', why);
    assert.deepEqual(fs.readdirSync(ws2), [], 'nothing written');
  }
});

test('ecr:render-argocd examples are YAML steps using it', () => {
  for (const e of action.examples ?? []) {
    const steps = (parse(e.example) as { steps: { action: string }[] }).steps;
    assert.equal(steps[0]?.action, 'ecr:render-argocd');
  }
});

test('clusterName: only a Resource of the default namespace becomes its name', async () => {
  const { clusterName } = await import('./renderArgocd.js');
  assert.equal(clusterName('resource:default/prod-eu-west-2'), 'prod-eu-west-2');
  assert.equal(clusterName('default/prod-eu-west-2'), 'prod-eu-west-2');
  assert.equal(clusterName('prod-eu-west-2'), 'prod-eu-west-2');
  // Two clusters of one name in two namespaces must not become one Argo CD destination.
  for (const other of ['resource:team-a/prod', 'team-a/prod', 'component:default/prod']) assert.equal(clusterName(other), other);
});
