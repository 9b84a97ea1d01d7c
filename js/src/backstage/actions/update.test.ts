// ecr:update against a copy of the example platform repo, through Backstage's
// createMockActionContext; its edits must be byte-identical to the native CLI's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CATALOG, TODAY, bin, runAction, tree, workspace } from '../../testing/workspace.js';
import { createEcrUpdateAction } from './update.js';

const action = createEcrUpdateAction({ today: () => TODAY });
const input = { name: 'ledger-sync', environment: 'dev', risk: 'high', owner: 'platform-team', repoPath: 'infra' };

test('ecr:update changes the fields in place exactly as the CLI does; again changes nothing', async () => {
  const ws = workspace();
  const { outputs, error } = await runAction(action, input, ws);
  assert.equal(error, undefined);
  const after = tree(path.join(ws, 'infra'));
  const cliRepo = path.join(workspace(), 'infra');
  execFileSync(bin, ['update', '--repo', cliRepo, '--today', TODAY, '--name', 'ledger-sync', '--environment', 'dev', '--risk', 'high', '--owner', 'platform-team']);
  assert.deepEqual(after, tree(cliRepo), 'the action and the CLI wrote different files');
  assert.deepEqual(outputs.changedFiles, [CATALOG, 'envs/dev/terraform.tfvars']);
  assert.equal(outputs.changed, true);
  assert.match(after['envs/dev/terraform.tfvars'] ?? '', /owner = "platform-team"\n {6}risk {2}= "high"/);
  assert.equal(outputs.branchName, 'registry/update-ledger-sync');
  // The tier change low → high is spelled out.
  const body = outputs.prBody as string;
  for (const needle of ['`low` to `high`', 'Tag mutability: `MUTABLE` → `IMMUTABLE`', 'must push a new tag']) {
    assert.ok(body.includes(needle), `PR body lacks ${needle}:\n${body}`);
  }
  const again = await runAction(action, input, ws);
  assert.equal(again.error, undefined);
  assert.deepEqual(again.outputs.changedFiles, []);
  assert.equal(again.outputs.changed, false);
  assert.deepEqual(tree(path.join(ws, 'infra')), after);
});

test('ecr:update refuses what is not there or not allowed, as InputError, writing nothing', async () => {
  const ws = workspace();
  const before = tree(ws);
  const cases: [Record<string, string>, RegExp][] = [
    [{ ...input, name: 'no-such-registry' }, /no entry "no-such-registry"/],
    [{ ...input, environment: 'prod' }, /for environment "dev", not "prod"/],
    [{ ...input, environment: '../../x' }, /\[unknown_environment\]/],
    [{ ...input, owner: 'nobody' }, /owner: .*\[not_allowed\]/],
  ];
  for (const [bad, pattern] of cases) {
    const { error } = await runAction(action, bad, ws);
    assert.ok(error, `accepted ${JSON.stringify(bad)}`);
    assert.equal(error.name, 'InputError', error.message);
    assert.match(error.message, pattern);
  }
  assert.deepEqual(tree(ws), before);
});

test('ecr:update declares its schema, examples and dry-run support', () => {
  assert.equal(action.supportsDryRun, true);
  assert.ok(action.examples?.length && action.examples.every((e) => e.example.includes(action.id)));
});
