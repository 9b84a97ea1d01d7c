// ecr:render-entity through Backstage's createMockActionContext; the entity must be one Backstage's
// own catalog model accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  type Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  resourceEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { runAction } from '../../testing/workspace.js';
import { createEcrRenderEntityAction } from './renderEntity.js';

const action = createEcrRenderEntityAction();
const input = {
  name: 'payments-api',
  owner: 'app-team',
  environment: 'prod',
  risk: 'high',
  region: 'eu-west-2',
  description: 'Images of the payments API: "quotes", #hash and ümlauts',
  sourceUrl: 'github.com/acme/payments-api',
  argocdApp: 'ecr-payments-api',
};

test('ecr:render-entity writes the Resource entity catalog:register registers, valid for Backstage', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-entity-'));
  const r = await runAction(action, input, ws);
  assert.equal(r.error, undefined);
  assert.equal(r.outputs.path, 'catalog/ecr-payments-api.yaml');
  assert.equal(r.outputs.entityRef, 'resource:default/ecr-payments-api');
  const entity = parse(fs.readFileSync(path.join(ws, 'catalog/ecr-payments-api.yaml'), 'utf8')) as Entity;
  const policy = EntityPolicies.allOf([new FieldFormatEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new SchemaValidEntityPolicy()]);
  assert.ok(await policy.enforce(entity));
  assert.equal(await resourceEntityV1alpha1Validator.check(entity), true);
  assert.equal(entity.kind, 'Resource');
  assert.equal(entity.metadata.description, input.description);
  assert.deepEqual(entity.spec, { type: 'container-repository', owner: 'app-team', system: 'container-registry' });
  assert.equal(entity.metadata.annotations?.['backstage.io/source-location'], 'url:https://github.com/acme/payments-api');
  assert.equal(entity.metadata.annotations?.['argocd/app-name'], 'ecr-payments-api');
  assert.equal(entity.metadata.annotations?.['platform/aws-region'], 'eu-west-2');
  assert.equal(entity.metadata.annotations?.['platform/governance-id'], 'REGISTRY_PAYMENTS_API');
});

test('ecr:render-entity: a bad region, description, system or source URL is an InputError naming the field', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-entity-'));
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ region: 'mars-1' }, /region: .*\[invalid_region\]/],
    [{ region: 'mars-west-1' }, /region: .*\[invalid_region\]/],
    [{ description: 'two\nlines' }, /description: .*\[invalid_description\]/],
    [{ description: '   ' }, /description: .*\[invalid_description\]/],
    [{ description: 'x'.repeat(257) }, /description: .*256.*\[invalid_description\]/],
    [{ system: 'no spaces allowed' }, /system: .*\[invalid_format\]/],
    [{ sourceUrl: 'not a url' }, /sourceUrl: .*\[invalid_format\]/],
  ];
  for (const [change, pattern] of bad) {
    const r = await runAction(action, { ...input, ...change }, ws);
    assert.equal(r.error?.name, 'InputError', JSON.stringify(change));
    assert.match(r.error?.message ?? '', pattern);
  }
  assert.deepEqual(fs.readdirSync(ws), []);
});

test('ecr:render-entity examples are YAML steps using it', () => {
  for (const e of action.examples ?? []) {
    const steps = (parse(e.example) as { steps: { action: string }[] }).steps;
    assert.equal(steps[0]?.action, 'ecr:render-entity');
  }
});
