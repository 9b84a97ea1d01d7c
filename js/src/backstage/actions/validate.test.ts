// ecr:validate through Backstage's createMockActionContext.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { runAction, tree, workspace } from '../../testing/workspace.js';
import { createEcrScaffoldAction } from './scaffold.js';
import { createEcrValidateAction } from './validate.js';

const request = { name: 'payments-api', owner: 'app-team', requester: 'daniel-deans', domain: 'delivery', environment: 'staging', risk: 'high' };
const action = createEcrValidateAction();

test('ecr:validate lists every problem as an InputError, or outputs the ids', async () => {
  const ws = workspace();
  const ok = await runAction(action, request, ws);
  assert.equal(ok.error, undefined);
  assert.deepEqual(ok.outputs, { registryId: 'REGISTRY_PAYMENTS_API', entityName: 'ecr-payments-api', owner: 'app-team' });
  // An OwnerPicker's ref goes on as the name it validated (the dispatch template sends this owner
  // to the workflow's CLI, which takes no ref: the third issue-23 check).
  const picked = await runAction(action, { ...request, owner: 'group:default/app-team' }, ws);
  assert.equal(picked.error, undefined);
  assert.equal(picked.outputs.owner, 'app-team');
  const bad = await runAction(action, { name: 'Payments_', owner: '', environment: 'qa', risk: 'extreme' }, ws);
  assert.equal(bad.error?.name, 'InputError');
  const codes = [...(bad.error?.message ?? '').matchAll(/\[([a-z_]+)\]$/gm)].map((m) => m[1]);
  assert.deepEqual(codes, ['name_platform_pattern', 'name_aws_pattern', 'name_backstage_pattern', 'required', 'unknown_environment', 'unknown_risk']);
});

test('ecr:validate reads registrar.yaml from repoPath when given', async () => {
  const ws = workspace();
  fs.writeFileSync(path.join(ws, 'infra', 'registrar.yaml'), 'environments: [dev, sandbox]\n');
  const inRepo = await runAction(action, { ...request, environment: 'sandbox', repoPath: 'infra' }, ws);
  assert.equal(inRepo.error, undefined);
  const atRoot = await runAction(action, { ...request, environment: 'sandbox' }, ws);
  assert.match(atRoot.error?.message ?? '', /\[unknown_environment\]/);
});

test('ecr:validate with checkFiles refuses what the CLI’s scaffold would: the Terraform root’s region, a taken name; nothing is written', async () => {
  const ws = workspace();
  const before = tree(path.join(ws, 'infra'));
  // The staging root creates its repositories in eu-west-2: alone, the request is valid.
  const elsewhere = { ...request, region: 'us-east-1', repoPath: 'infra' };
  assert.equal((await runAction(action, elsewhere, ws)).error, undefined);
  const refused = await runAction(action, { ...elsewhere, checkFiles: true }, ws);
  assert.equal(refused.error?.name, 'InputError');
  assert.match(refused.error?.message ?? '', /eu-west-2.*us-east-1.*\[invalid_region\]/s);
  // A name the catalog has for another request.
  const taken = await runAction(action, { ...request, name: 'ledger-sync', owner: 'sre-team', repoPath: 'infra', checkFiles: true }, ws);
  assert.equal(taken.error?.name, 'InputError');
  assert.match(taken.error?.message ?? '', /ledger-sync/);
  // The same request in the right region passes, and the checkout is as it was.
  const ok = await runAction(action, { ...request, region: 'eu-west-2', repoPath: 'infra', checkFiles: true }, ws);
  assert.equal(ok.error, undefined);
  assert.deepEqual(tree(path.join(ws, 'infra')), before);
});

test('ecr:validate with crossplane refuses what ecr:render-crossplane would: no region anywhere, a name kubectl reads as a boolean; nothing is written', async () => {
  const ws = workspace();
  const before = tree(ws);
  const cross = { ...request, region: 'eu-west-2', crossplane: true };
  assert.equal((await runAction(action, cross, ws)).error, undefined);
  // 55 characters are fine for AWS and the catalog; the Crossplane path's Kubernetes label takes
  // 63 with its prefix. (`on`, which YAML 1.1 reads as true, is refused on every path now.)
  const long = 'a'.repeat(55);
  assert.equal((await runAction(action, { ...request, name: long }, ws)).error, undefined);
  const label = await runAction(action, { ...cross, name: long }, ws);
  assert.equal(label.error?.name, 'InputError');
  assert.match(label.error?.message ?? '', /63/);
  const on = await runAction(action, { ...request, name: 'on' }, ws);
  assert.match(on.error?.message ?? '', /YAML 1\.1.*\[name_yaml_word\]/);
  // A system or source URL the renders refuse (YAML 1.1 reads `yes` as true; a source is https).
  const system = await runAction(action, { ...cross, system: 'yes' }, ws);
  assert.equal(system.error?.name, 'InputError');
  const source = await runAction(action, { ...cross, sourceUrl: 'http://github.com/acme/payments' }, ws);
  assert.equal(source.error?.name, 'InputError');
  assert.equal((await runAction(action, { ...cross, system: 'payments', sourceUrl: 'https://github.com/acme/payments' }, ws)).error, undefined);
  // No region in the request, and the (default) config has no defaultRegion.
  const { region: _, ...noRegion } = cross;
  const none = await runAction(action, noRegion, ws);
  assert.equal(none.error?.name, 'InputError');
  assert.match(none.error?.message ?? '', /needs a region/);
  assert.deepEqual(tree(ws), before);
});

test('ecr:validate declares its schema; its examples are YAML steps using it', () => {
  assert.equal(action.supportsDryRun, true);
  const input = action.schema?.input as { type: string; required: string[] };
  assert.deepEqual([...input.required].sort(), ['environment', 'name', 'owner', 'risk']);
  for (const e of action.examples ?? []) {
    const steps = (parse(e.example) as { steps: { action: string; input: Record<string, unknown> }[] }).steps;
    assert.equal(steps[0]?.action, 'ecr:validate');
    assert.equal(steps[0]?.input.name, 'payments-api');
  }
});

test('ecr:validate and ecr:scaffold refuse a name the catalog already has (Backstage’s catalogServiceMock)', async () => {
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: { name: 'ecr-payments-api', namespace: 'default' },
        spec: { type: 'container-repository', owner: 'group:default/app-team' },
      },
    ],
  });
  const ws = workspace();
  const before = tree(ws);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const actions: TemplateAction<any, any, any>[] = [createEcrValidateAction({ catalog }), createEcrScaffoldAction({ catalog })];
  for (const a of actions) {
    const taken = await runAction(a, { ...request, repoPath: 'infra' }, ws);
    assert.equal(taken.error?.name, 'InputError', a.id);
    assert.match(
      taken.error?.message ?? '',
      /name: "payments-api" is already requested: the Backstage catalog has "resource:default\/ecr-payments-api", owned by "group:default\/app-team"; .* \[already_requested\]$/m,
      a.id,
    );
    const free = await runAction(a, { ...request, name: 'payments-web', repoPath: 'infra' }, ws);
    assert.equal(free.error, undefined, a.id);
  }
  // Only the free name's edit happened.
  const after = tree(ws);
  assert.notDeepEqual(after, before);
  assert.ok(!Object.values(after).some((text) => String(text).includes('payments-api')));
});

test('an owner from Backstage’s OwnerPicker (an entity ref) is the group or user of that name', async () => {
  const ws = workspace();
  const scaffold = createEcrScaffoldAction();
  for (const owner of ['group:default/app-team', 'group:app-team', 'Group:default/app-team', 'user:default/app-team']) {
    const ok = await runAction(action, { ...request, owner }, ws);
    assert.equal(ok.error, undefined, owner);
  }
  const r = await runAction(scaffold, { ...request, owner: 'group:default/app-team', repoPath: 'infra' }, ws);
  assert.equal(r.error, undefined);
  const written = parse(fs.readFileSync(path.join(ws, 'infra/docs/20-contracts/resource-catalogs/ecr-catalog.yaml'), 'utf8'));
  assert.equal(written.repositories['payments-api'].metadata.owner, 'app-team');
  // Other namespaces, kinds and malformed refs go to the core as they are, which refuses them.
  for (const owner of ['group:finance/app-team', 'component:default/app-team', 'group:']) {
    const bad = await runAction(action, { ...request, owner }, ws);
    assert.equal(bad.error?.name, 'InputError', owner);
    assert.match(bad.error?.message ?? '', /owner: .*\[(not_allowed|invalid_format)\]/, owner);
  }
});
