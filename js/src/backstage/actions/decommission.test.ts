// ecr:decommission against a copy of the example platform repo; byte-identical to the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { CATALOG, TODAY, bin, runAction, tree, workspace } from '../../testing/workspace.js';
import { createEcrDecommissionAction } from './decommission.js';

const action = createEcrDecommissionAction({ today: () => TODAY });
const input = { name: 'checkout-web', environment: 'prod', repoPath: 'infra' };

test('ecr:decommission removes the tfvars entry and marks the catalog entry, as the CLI does', async () => {
  const ws = workspace();
  const { outputs, error } = await runAction(action, input, ws);
  assert.equal(error, undefined);
  const after = tree(path.join(ws, 'infra'));
  const cliRepo = path.join(workspace(), 'infra');
  execFileSync(bin, ['decommission', '--repo', cliRepo, '--today', TODAY, '--name', 'checkout-web', '--environment', 'prod']);
  assert.deepEqual(after, tree(cliRepo), 'the action and the CLI wrote different files');
  assert.ok(!(after['envs/prod/terraform.tfvars'] ?? '').includes('checkout-web'));
  assert.match(after[CATALOG] ?? '', /status: decommissioned\n {6}decommissioned_date: "2026-11-21"\n/);
  assert.equal(outputs.planCommand, `terraform -chdir=envs/prod plan -destroy -target='module.ecr_repositories["checkout-web"]'`);
  assert.ok((outputs.prBody as string).includes('deletes the repository and every image in it'));
  assert.equal(outputs.changed, true);
  const again = await runAction(action, input, ws);
  assert.deepEqual(again.outputs.changedFiles, []);
  assert.equal(again.outputs.changed, false);
});

test('ecr:decommission dry run returns the diff and leaves the edited files in its throwaway workspace', async () => {
  const ws = workspace();
  const real = workspace();
  const before = tree(ws);
  const { outputs, error } = await runAction(action, input, ws, { isDryRun: true });
  assert.equal(error, undefined);
  assert.notDeepEqual(tree(ws), before);
  assert.equal((await runAction(action, input, real)).error, undefined);
  assert.deepEqual(tree(ws), tree(real));
  assert.match(outputs.diff as string, /^-  "checkout-web" = \{$/m);
  assert.match(outputs.diff as string, /^\+      status: decommissioned$/m);
});
