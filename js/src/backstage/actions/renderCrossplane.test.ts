// ecr:render-crossplane through Backstage's createMockActionContext; the manifests must pass the
// provider's CRD schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { assertValidManifest } from '../../testing/crds.js';
import { runAction } from '../../testing/workspace.js';
import { createEcrRenderCrossplaneAction } from './renderCrossplane.js';

const action = createEcrRenderCrossplaneAction();
const input = { name: 'payments-api', owner: 'app-team', environment: 'prod', risk: 'high', domain: 'delivery', region: 'eu-west-2', kmsKeyRef: 'ecr-key' };

test('ecr:render-crossplane writes the manifests (a dry run too, into its throwaway workspace); escapes write nothing', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-xp-'));
  const dry = await runAction(action, input, ws, { isDryRun: true });
  assert.equal(dry.error, undefined);
  assert.equal(fs.readFileSync(path.join(ws, 'crossplane/payments-api.yaml'), 'utf8'), dry.outputs.manifests);
  fs.rmSync(path.join(ws, 'crossplane'), { recursive: true });
  const real = await runAction(action, input, ws);
  assert.equal(real.outputs.path, 'crossplane/payments-api.yaml');
  const written = fs.readFileSync(path.join(ws, real.outputs.path as string), 'utf8');
  assert.equal(written, real.outputs.manifests);
  assert.equal(written, dry.outputs.manifests);
  parseAllDocuments(written).map((d) => d.toJS()).forEach(assertValidManifest);

  const bad: [Record<string, unknown>, RegExp][] = [
    [{ ...input, targetPath: '../escape.yaml' }, /outside|Relative path/i],
    [{ ...input, name: '../x' }, /name_platform_pattern/],
    [{ ...input, region: 'mars-1' }, /region/],
  ];
  for (const [inp, pattern] of bad) {
    const r = await runAction(action, inp, ws);
    assert.match(r.error?.message ?? '', pattern);
  }
  assert.deepEqual(fs.readdirSync(ws), ['crossplane']);
  assert.deepEqual(fs.readdirSync(path.join(ws, 'crossplane')), ['payments-api.yaml']);
});

test('ecr:render-crossplane: an invalid region is an InputError', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-xp-'));
  const r = await runAction(action, { ...input, region: 'mars-1' }, ws);
  assert.equal(r.error?.name, 'InputError');
  assert.match(r.error?.message ?? '', /\[invalid_region\]/);
  // Every problem once (the core's message lists them too; they were printed twice).
  for (const [bad, needle] of [[{ region: 'mars-1' }, /mars-1/], [{ name: 'abc-' }, /\[name_aws_pattern\]/]] as const) {
    const message = (await runAction(action, { ...input, ...bad }, ws)).error?.message ?? '';
    const lines = message.split('\n').filter((l) => l.trim());
    assert.equal(lines.filter((l) => needle.test(l)).length, 1, message);
    assert.equal(new Set(lines.map((l) => l.replace(/ \[[a-z_]+\]$/, ''))).size, lines.length, message);
  }
});

test('ecr:render-crossplane examples are YAML steps using it', () => {
  for (const e of action.examples ?? []) {
    const steps = (parse(e.example) as { steps: { action: string }[] }).steps;
    assert.equal(steps[0]?.action, 'ecr:render-crossplane');
  }
});
