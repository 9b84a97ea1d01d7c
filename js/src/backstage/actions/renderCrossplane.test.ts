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

test('ecr:render-crossplane: a path that exists is refused (the registry was requested before), the file untouched', async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-xp-'));
  const first = await runAction(action, { ...input, description: 'Payments `API` | <b>images</b>' }, ws);
  assert.equal(first.error, undefined);
  const file = path.join(ws, 'crossplane/payments-api.yaml');
  const before = fs.readFileSync(file, 'utf8');
  // The request's part of the pull request is the core's, every value escaped for Markdown.
  const body = String(first.outputs.prBody);
  assert.match(body, /\| Description \| ``Payments `API` \\\| <b>images<\/b>`` \|/);
  assert.match(body, /\| Region \| `eu-west-2` \|/);
  assert.match(body, /Enhanced scanning is set per registry/);
  // Again, with other values: refused, nothing rewritten.
  const again = await runAction(action, { ...input, risk: 'low' }, ws);
  assert.equal(again.error?.name, 'InputError');
  assert.match(again.error?.message ?? '', /already requested: the repository already has "crossplane\/payments-api.yaml".*\[already_requested\]/);
  assert.equal(fs.readFileSync(file, 'utf8'), before);
});

test("ecr:render-crossplane: the region defaults to the repo's defaultRegion, and without one the action says what is missing", async () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-xp-'));
  const { region: _omitted, ...noRegion } = input;
  const missing = await runAction(action, noRegion, ws);
  assert.equal(missing.error?.name, 'InputError');
  // As the CLI says it (not `region "" is not an AWS region name`: the third issue-23 check).
  assert.match(missing.error?.message ?? '', /needs a region: choose one in the form, or set defaultRegion/);
  fs.writeFileSync(path.join(ws, 'registrar.yaml'), 'defaultRegion: ap-southeast-2\n');
  const defaulted = await runAction(action, noRegion, ws);
  assert.equal(defaulted.error, undefined);
  const docs = parseAllDocuments(String(defaulted.outputs.manifests)).map((d) => d.toJS());
  assert.deepEqual(docs.map((d) => d.spec.forProvider.region), ['ap-southeast-2', 'ap-southeast-2']);
});
