// ecr:scaffold against a copy of the example platform repo in a temp workspace, through
// Backstage's createMockActionContext; its edits must be byte-identical to the native CLI's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG, TODAY, bin, runAction, tree, workspace } from '../../testing/workspace.js';
import { createEcrScaffoldAction } from './scaffold.js';

const request = { name: 'payments-api', owner: 'app-team', requester: 'daniel-deans', domain: 'delivery', environment: 'staging', risk: 'high' };
const action = createEcrScaffoldAction({ today: () => TODAY });

test('ecr:scaffold edits the repo exactly as the CLI does, with PR outputs', async () => {
  const ws = workspace();
  const before = tree(path.join(ws, 'infra'));
  const { outputs, error } = await runAction(action, { ...request, repoPath: 'infra' }, ws);
  assert.equal(error, undefined);
  const after = tree(path.join(ws, 'infra'));

  // The CLI on another copy of the same repo.
  const cliRepo = path.join(workspace(), 'infra');
  const args = ['scaffold', '--repo', cliRepo, '--today', TODAY];
  for (const [k, v] of Object.entries(request)) args.push(`--${k}`, v);
  execFileSync(bin, args);
  assert.deepEqual(after, tree(cliRepo), 'the action and the CLI wrote different files');

  const tfvars = 'envs/staging/terraform.tfvars';
  const changedFiles = outputs.changedFiles as string[];
  assert.deepEqual(changedFiles, [CATALOG, tfvars]);
  assert.equal(outputs.changed, true);
  for (const file of Object.keys(before)) {
    if (!changedFiles.includes(file)) assert.equal(after[file], before[file], `${file} changed`);
  }
  assert.match(after[CATALOG] ?? '', /\n  payments-api:\n    metadata:\n      id: REGISTRY_PAYMENTS_API\n/);
  assert.equal(outputs.registryId, 'REGISTRY_PAYMENTS_API');
  assert.equal(outputs.entityName, 'ecr-payments-api');
  assert.equal(outputs.branchName, 'registry/create-payments-api');
  assert.equal(outputs.prTitle, 'Add ECR repository payments-api (staging, high risk)');
  assert.equal(outputs.planCommand, `terraform -chdir=envs/staging plan -target='module.ecr_repositories["payments-api"]'`);
  // The PR body carries the request, the high tier's controls and the plan.
  const body = outputs.prBody as string;
  for (const needle of ['`REGISTRY_PAYMENTS_API`', '`daniel-deans`', 'Tag mutability: `IMMUTABLE`', 'Encryption: `KMS`', 'keep the last 50 images', outputs.planCommand as string, `- \`${tfvars}\``]) {
    assert.ok(body.includes(needle), `PR body lacks ${needle}:\n${body}`);
  }
  assert.equal(outputs.diff, undefined, 'a real run has no diff output');

  // Re-running the same request changes nothing.
  const again = await runAction(action, { ...request, repoPath: 'infra' }, ws);
  assert.equal(again.error, undefined);
  assert.deepEqual(again.outputs.changedFiles, []);
  assert.equal(again.outputs.changed, false);
  assert.deepEqual(tree(path.join(ws, 'infra')), after);
});

test('ecr:scaffold dry run returns the diff and leaves the edited files in its throwaway workspace', async () => {
  const ws = workspace();
  const real = workspace();
  const { outputs, error } = await runAction(action, { ...request, repoPath: 'infra' }, ws, { isDryRun: true });
  assert.equal(error, undefined);
  // The Template Editor shows the dry run's workspace: the same files a real run writes.
  assert.equal((await runAction(action, { ...request, repoPath: 'infra' }, real)).error, undefined);
  assert.deepEqual(tree(ws), tree(real));
  assert.deepEqual(outputs.changedFiles, [CATALOG, 'envs/staging/terraform.tfvars']);
  assert.match(outputs.diff as string, /^--- a\/docs\/20-contracts\/resource-catalogs\/ecr-catalog\.yaml$/m);
  assert.match(outputs.diff as string, /^\+  payments-api:$/m);
  assert.match(outputs.diff as string, /^\+  "payments-api" = \{$/m);
});

test('path escapes and invalid requests are rejected with every error, and nothing is written', async () => {
  const ws = workspace();
  const before = tree(ws);
  const cases: [Record<string, string>, RegExp][] = [
    [{ ...request, environment: '../../x', repoPath: 'infra' }, /environment: .*\[unknown_environment\]/],
    [{ ...request, environment: 'dev/../../../etc', repoPath: 'infra' }, /\[unknown_environment\]/],
    [{ ...request, repoPath: '../outside' }, /outside|workspace|Relative path/i],
    [{ ...request, repoPath: '/etc' }, /outside|workspace|Relative path/i],
    [{ ...request, name: 'abc-', owner: 'nobody', repoPath: 'infra' }, /name: .*\[name_aws_pattern\][\s\S]*owner: .*\[not_allowed\]/],
    [{ ...request, name: 'a"\n}', repoPath: 'infra' }, /\[name_platform_pattern\]/],
  ];
  for (const [input, pattern] of cases) {
    const { error } = await runAction(action, input, ws);
    assert.ok(error, `accepted ${JSON.stringify(input)}`);
    assert.match(error.message, pattern);
  }
  assert.deepEqual(tree(ws), before);
});

test('bad input is an InputError (HTTP 400 in Backstage), not a server fault', async () => {
  const ws = workspace();
  for (const input of [
    { ...request, name: 'abc-', repoPath: 'infra' },
    { ...request, environment: 'qa', repoPath: 'infra' },
  ]) {
    const { error } = await runAction(action, input, ws);
    assert.equal(error?.name, 'InputError', String(error?.message));
  }
  fs.writeFileSync(path.join(ws, 'infra', CATALOG), 'repositories:\n  a: [\n');
  const malformed = await runAction(action, { ...request, repoPath: 'infra' }, ws);
  assert.equal(malformed.error?.name, 'InputError', String(malformed.error?.message));
});

test('a registrar.yaml in the repo is used; a bad one is reported by key and line', async () => {
  const ws = workspace();
  const repo = path.join(ws, 'infra');
  fs.writeFileSync(path.join(repo, 'registrar.yaml'), 'environments: [dev, qa]\n');
  fs.mkdirSync(path.join(repo, 'envs/qa'));
  const qa = await runAction(action, { ...request, environment: 'qa', repoPath: 'infra' }, ws);
  assert.equal(qa.error, undefined);
  assert.ok(fs.readFileSync(path.join(repo, 'envs/qa/terraform.tfvars'), 'utf8').includes('"payments-api" = {'));
  const staging = await runAction(action, { ...request, repoPath: 'infra' }, ws);
  assert.match(staging.error?.message ?? '', /environment.*staging.*\[unknown_environment\]/);

  fs.writeFileSync(path.join(repo, 'registrar.yaml'), 'environments: [dev]\nenviroments: [qa]\n');
  const bad = await runAction(action, { ...request, repoPath: 'infra' }, ws);
  // The unknown key is not repeated (it is the file's bytes); the nearest known key is suggested.
  assert.match(bad.error?.message ?? '', /registrar\.yaml: .*unknown key \(did you mean `environments`\?\)/);
  assert.match(bad.error?.message ?? '', /line 2/);
});

test('a malformed catalog fails the step with its position and is left alone', async () => {
  const ws = workspace();
  const file = path.join(ws, 'infra', CATALOG);
  fs.writeFileSync(file, 'repositories:\n  a: [\n');
  const before = tree(ws);
  const { error } = await runAction(action, { ...request, repoPath: 'infra' }, ws);
  assert.match(error?.message ?? '', /ecr-catalog\.yaml:\d+:\d+/);
  assert.deepEqual(tree(ws), before);
});

test('ecr:scaffold declares its zod schema, examples and dry-run support', () => {
  assert.equal(action.supportsDryRun, true);
  assert.ok(action.examples?.length && action.examples.every((e) => e.example.includes(action.id)));
  const input = action.schema?.input as { type: string; required: string[] };
  assert.equal(input.type, 'object', 'createTemplateAction turns the zod schema into JSON schema');
  assert.deepEqual([...input.required].sort(), ['environment', 'name', 'owner', 'risk']);
  assert.ok((action.schema?.output as { properties: Record<string, unknown> }).properties.prBody);
});

test('ecr:scaffold refuses an environment whose directory does not exist, and creates tfvars in one that does', async () => {
  const ws = workspace();
  const before = tree(ws);
  const { error } = await runAction(action, { ...request, environment: 'test', repoPath: 'infra' }, ws);
  assert.equal(error?.name, 'InputError');
  assert.match(error?.message ?? '', /envs\/test does not exist: no Terraform root would read a new envs\/test\/terraform\.tfvars/);
  assert.deepEqual(tree(ws), before);
  fs.mkdirSync(path.join(ws, 'infra/envs/test'));
  const ok = await runAction(action, { ...request, environment: 'test', repoPath: 'infra' }, ws);
  assert.equal(ok.error, undefined);
  assert.ok(fs.existsSync(path.join(ws, 'infra/envs/test/terraform.tfvars')));
});
