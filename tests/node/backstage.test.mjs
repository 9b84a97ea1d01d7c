// The Backstage module: the actions run against a copy of the example platform repo in a temp
// workspace, through Backstage's own test utilities (createMockActionContext, startTestBackend),
// and their edits must be byte-identical to what the native CLI writes.
import './jest-shim.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, root, tree } from './helpers.mjs';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import ecrModule, {
  createEcrRegistrarModule,
  createEcrScaffoldAction,
  createEcrValidateAction,
} from 'ecr-registrar/backstage';

const TODAY = '2026-11-21';
const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';
const request = { name: 'payments-api', owner: 'app-team', requester: 'daniel-deans', domain: 'delivery', environment: 'staging', risk: 'high' };

/** A fresh workspace holding a copy of examples/platform under `infra/`. */
function workspace() {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-ws-'));
  fs.cpSync(path.join(root, 'examples/platform'), path.join(ws, 'infra'), { recursive: true });
  return ws;
}


/** Run an action's handler; returns `{outputs, error}`. */
async function run(action, input, ws, extra = {}) {
  // createMockActionContext passes only its known options on; isDryRun is set on the result.
  const ctx = { ...createMockActionContext({ input, workspacePath: ws }), ...extra };
  let error;
  try {
    await action.handler(ctx);
  } catch (e) {
    error = e;
  }
  return { outputs: Object.fromEntries(ctx.output.mock.calls), error };
}

const scaffoldAction = createEcrScaffoldAction({ today: () => TODAY });

test('ecr:scaffold edits the repo exactly as the CLI does, with PR outputs', async () => {
  const ws = workspace();
  const before = tree(path.join(ws, 'infra'));
  const { outputs, error } = await run(scaffoldAction, { ...request, repoPath: 'infra' }, ws);
  assert.equal(error, undefined);
  const after = tree(path.join(ws, 'infra'));

  // The CLI on another copy of the same repo.
  const cliRepo = path.join(workspace(), 'infra');
  const args = ['scaffold', '--repo', cliRepo, '--today', TODAY];
  for (const [k, v] of Object.entries(request)) args.push(`--${k}`, v);
  execFileSync(bin, args);
  assert.deepEqual(after, tree(cliRepo), 'the action and the CLI wrote different files');

  const tfvars = 'envs/staging/terraform.tfvars';
  assert.deepEqual(outputs.changedFiles, [CATALOG, tfvars]);
  for (const file of Object.keys(before)) {
    if (!outputs.changedFiles.includes(file)) assert.equal(after[file], before[file], `${file} changed`);
  }
  assert.match(after[CATALOG], /\n  payments-api:\n    metadata:\n      id: REGISTRY_PAYMENTS_API\n/);
  assert.equal(outputs.registryId, 'REGISTRY_PAYMENTS_API');
  assert.equal(outputs.entityName, 'ecr-payments-api');
  assert.equal(outputs.branchName, 'registry/create-payments-api');
  assert.equal(outputs.prTitle, 'Add ECR repository payments-api (staging, high risk)');
  assert.equal(outputs.planCommand, `terraform -chdir=envs/staging plan -target='module.ecr_repositories["payments-api"]'`);
  // The PR body carries the request, the high tier's controls and the plan.
  for (const needle of ['`REGISTRY_PAYMENTS_API`', '`daniel-deans`', 'Tag mutability: `IMMUTABLE`', 'Encryption: `KMS`', 'keep the last 50 images', outputs.planCommand, `- \`${tfvars}\``]) {
    assert.ok(outputs.prBody.includes(needle), `PR body lacks ${needle}:\n${outputs.prBody}`);
  }
  assert.equal(outputs.diff, undefined, 'a real run has no diff output');

  // Re-running the same request changes nothing.
  const again = await run(scaffoldAction, { ...request, repoPath: 'infra' }, ws);
  assert.equal(again.error, undefined);
  assert.deepEqual(again.outputs.changedFiles, []);
  assert.deepEqual(tree(path.join(ws, 'infra')), after);
});

test('ecr:scaffold dry run returns the diff and writes nothing', async () => {
  const ws = workspace();
  const before = tree(ws);
  const { outputs, error } = await run(scaffoldAction, { ...request, repoPath: 'infra' }, ws, { isDryRun: true });
  assert.equal(error, undefined);
  assert.deepEqual(tree(ws), before);
  assert.deepEqual(outputs.changedFiles, [CATALOG, 'envs/staging/terraform.tfvars']);
  assert.match(outputs.diff, /^--- a\/docs\/20-contracts\/resource-catalogs\/ecr-catalog\.yaml$/m);
  assert.match(outputs.diff, /^\+  payments-api:$/m);
  assert.match(outputs.diff, /^\+  "payments-api" = \{$/m);
});

test('path escapes and invalid requests are rejected with every error, and nothing is written', async () => {
  const ws = workspace();
  const before = tree(ws);
  const cases = [
    [{ ...request, environment: '../../x', repoPath: 'infra' }, /environment: .*\[unknown_environment\]/],
    [{ ...request, environment: 'dev/../../../etc', repoPath: 'infra' }, /\[unknown_environment\]/],
    [{ ...request, repoPath: '../outside' }, /outside|workspace|Relative path/i],
    [{ ...request, repoPath: '/etc' }, /outside|workspace|Relative path/i],
    [{ ...request, name: 'abc-', owner: 'nobody', repoPath: 'infra' }, /name: .*\[name_aws_pattern\][\s\S]*owner: .*\[not_allowed\]/],
    [{ ...request, name: 'a"\n}', repoPath: 'infra' }, /\[name_platform_pattern\]/],
  ];
  for (const [input, pattern] of cases) {
    const { error } = await run(scaffoldAction, input, ws);
    assert.ok(error, `accepted ${JSON.stringify(input)}`);
    assert.match(error.message, pattern);
  }
  assert.deepEqual(tree(ws), before);
});

test('a registrar.yaml in the repo is used; a bad one is reported by key and line', async () => {
  const ws = workspace();
  const repo = path.join(ws, 'infra');
  fs.writeFileSync(path.join(repo, 'registrar.yaml'), 'environments: [dev, qa]\n');
  const qa = await run(scaffoldAction, { ...request, environment: 'qa', repoPath: 'infra' }, ws);
  assert.equal(qa.error, undefined);
  assert.ok(fs.readFileSync(path.join(repo, 'envs/qa/terraform.tfvars'), 'utf8').includes('"payments-api" = {'));
  const staging = await run(scaffoldAction, { ...request, repoPath: 'infra' }, ws);
  assert.match(staging.error.message, /environment.*staging.*\[unknown_environment\]/);

  fs.writeFileSync(path.join(repo, 'registrar.yaml'), 'environments: [dev]\nenviroments: [qa]\n');
  const bad = await run(scaffoldAction, { ...request, repoPath: 'infra' }, ws);
  assert.match(bad.error.message, /registrar\.yaml: .*enviroments/);
  assert.match(bad.error.message, /line 2/);
});

test('a malformed catalog fails the step with its position and is left alone', async () => {
  const ws = workspace();
  const file = path.join(ws, 'infra', CATALOG);
  fs.writeFileSync(file, 'repositories:\n  a: [\n');
  const before = tree(ws);
  const { error } = await run(scaffoldAction, { ...request, repoPath: 'infra' }, ws);
  assert.match(error.message, /ecr-catalog\.yaml:\d+:\d+/);
  assert.deepEqual(tree(ws), before);
});

test('ecr:validate lists every problem, or outputs the ids', async () => {
  const action = createEcrValidateAction();
  const ws = workspace();
  const ok = await run(action, request, ws);
  assert.equal(ok.error, undefined);
  assert.deepEqual(ok.outputs, { registryId: 'REGISTRY_PAYMENTS_API', entityName: 'ecr-payments-api' });
  const bad = await run(action, { name: 'Payments_', owner: '', environment: 'qa', risk: 'extreme' }, ws);
  const codes = [...bad.error.message.matchAll(/\[([a-z_]+)\]$/gm)].map((m) => m[1]);
  assert.deepEqual(codes, ['name_platform_pattern', 'name_aws_pattern', 'name_backstage_pattern', 'required', 'unknown_environment', 'unknown_risk']);
});

test('actions declare zod schemas, examples and dry-run support', () => {
  for (const action of [createEcrValidateAction(), scaffoldAction]) {
    assert.equal(action.supportsDryRun, true);
    assert.ok(action.examples.length >= 1 && action.examples.every((e) => e.example.includes(action.id)));
    const input = action.schema.input;
    assert.equal(input.type, 'object', 'createTemplateAction turns the zod schema into JSON schema');
    assert.deepEqual([...input.required].sort(), ['environment', 'name', 'owner', 'risk']);
  }
  assert.ok(scaffoldAction.schema.output.properties.prBody);
});

test('startTestBackend: the module registers its three actions', async () => {
  for (const feature of [ecrModule, createEcrRegistrarModule({ configPath: 'platform/registrar.yaml' })]) {
    const added = [];
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: (...a) => added.push(...a) }]],
      features: [feature],
    });
    assert.deepEqual(added.map((a) => a.id).sort(), ['ecr:render-crossplane', 'ecr:scaffold', 'ecr:validate']);
    await backend.stop();
  }
});

test('templates/ecr-request: the form matches the core’s config and the steps match the actions', async () => {
  const { parse } = await import('yaml');
  const { defaultConfig } = await import('../../js/core.js');
  const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request/template.yaml'), 'utf8'));
  assert.equal(template.apiVersion, 'scaffolder.backstage.io/v1beta3');
  assert.equal(template.kind, 'Template');
  const props = template.spec.parameters[0].properties;
  const config = defaultConfig();
  assert.deepEqual(props.owner.enum, config.owners);
  assert.deepEqual(props.domain.enum, config.domains);
  assert.deepEqual(props.environment.enum, config.environments);
  assert.deepEqual(props.risk.enum, Object.keys(config.riskTiers));
  assert.equal(props.name['ui:field'], 'EcrRegistryName');
  assert.equal(props.name.pattern, undefined, 'the name is checked by the core, not a weaker JSON-schema pattern');

  const steps = template.spec.steps;
  assert.deepEqual(steps.map((s) => s.action), ['ecr:validate', 'fetch:plain', 'ecr:scaffold', 'publish:github:pull-request']);
  const actions = { 'ecr:validate': createEcrValidateAction(), 'ecr:scaffold': scaffoldAction };
  for (const step of steps.filter((s) => actions[s.action])) {
    const schema = actions[step.action].schema.input;
    for (const key of Object.keys(step.input)) assert.ok(schema.properties[key], `${step.id}: unknown input ${key}`);
    for (const key of schema.required) assert.ok(key in step.input, `${step.id}: missing ${key}`);
  }
  const fetchStep = steps.find((s) => s.action === 'fetch:plain');
  const scaffoldStep = steps.find((s) => s.action === 'ecr:scaffold');
  assert.equal(scaffoldStep.input.repoPath, fetchStep.input.targetPath);
  const publish = steps.find((s) => s.action === 'publish:github:pull-request');
  assert.deepEqual(publish.input.labels, ['ecr-registry']);
  assert.equal(publish.input.sourcePath, fetchStep.input.targetPath);
  const outputs = scaffoldAction.schema.output.properties;
  for (const [key, output] of [['branchName', 'branchName'], ['title', 'prTitle'], ['description', 'prBody']]) {
    assert.equal(publish.input[key], `\${{ steps.${scaffoldStep.id}.output.${output} }}`);
    assert.ok(outputs[output]);
  }
  assert.match(template.spec.output.links[0].url, new RegExp(`steps\\.${publish.id}\\.output\\.remoteUrl`));
});
