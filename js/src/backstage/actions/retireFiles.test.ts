// ecr:retire-files through Backstage's createMockActionContext, on a real directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runAction } from '../../testing/workspace.js';
import { createEcrRetireFilesAction } from './retireFiles.js';

const action = createEcrRetireFilesAction();
const paths = (name: string) => [`crossplane/ecr/${name}/ecr.yaml`, `argocd/applications/ecr-${name}.yaml`, `catalog/ecr/${name}.yaml`];

function workspace(files: string[]): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-retire-'));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
    fs.writeFileSync(path.join(ws, f), 'kind: X\n');
  }
  return ws;
}

test('ecr:retire-files lists the files the repository has, in the order given', async () => {
  const ws = workspace([paths('payments-api')[2]!, paths('payments-api')[0]!]);
  const r = await runAction(action, { name: 'payments-api', paths: paths('payments-api') }, ws);
  assert.equal(r.error, undefined);
  assert.deepEqual(r.outputs.paths, [paths('payments-api')[0], paths('payments-api')[2]]);
});

test('ecr:retire-files refuses a name with none of its files, a link, a bad name, and a path out of the workspace', async () => {
  const ws = workspace(paths('other'));
  const none = await runAction(action, { name: 'payments-api', paths: paths('payments-api') }, ws);
  assert.equal(none.error?.name, 'InputError');
  assert.match(none.error?.message ?? '', /"payments-api" has none of its files.*nothing to decommission \[nothing_to_retire\]/);

  // A link in the checkout (an untrusted repository) is not a file to delete, wherever it points.
  fs.mkdirSync(path.join(ws, 'catalog/ecr'), { recursive: true });
  fs.symlinkSync('/etc/passwd', path.join(ws, 'catalog/ecr/payments-api.yaml'));
  const out = await runAction(action, { name: 'payments-api', paths: paths('payments-api') }, ws);
  assert.match(out.error?.message ?? '', /outside its parent/);
  assert.doesNotMatch(out.error?.message ?? '', /root:/, 'no content is read');
  fs.rmSync(path.join(ws, 'catalog/ecr/payments-api.yaml'));
  fs.symlinkSync('other.yaml', path.join(ws, 'catalog/ecr/payments-api.yaml'));
  const link = await runAction(action, { name: 'payments-api', paths: paths('payments-api') }, ws);
  assert.match(link.error?.message ?? '', /"catalog\/ecr\/payments-api.yaml" is not a regular file.*\[not_regular_file\]/);

  const bad = await runAction(action, { name: '../x', paths: ['x.yaml'] }, ws);
  assert.match(bad.error?.message ?? '', /\[name_platform_pattern\]/);
  const escape = await runAction(action, { name: 'other', paths: ['../outside.yaml'] }, ws);
  assert.match(escape.error?.message ?? '', /outside|Relative path/i);
});

test('ecr:retire-files examples are YAML steps using it', () => {
  for (const e of action.examples ?? []) {
    const steps = (parse(e.example) as { steps: { action: string }[] }).steps;
    assert.equal(steps[0]?.action, 'ecr:retire-files');
  }
});
