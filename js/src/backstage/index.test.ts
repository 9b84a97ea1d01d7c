// The backend module through Backstage's startTestBackend, and the shipped template checked
// against the actions' schemas and the core's config.
import './../testing/jest-shim.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';
import { defaultConfig } from '../core.js';
import { root } from '../testing/workspace.js';
import ecrModule, {
  createEcrDecommissionAction,
  createEcrRegistrarModule,
  createEcrScaffoldAction,
  createEcrUpdateAction,
  createEcrValidateAction,
} from './index.js';

test('startTestBackend: the module registers its actions', async () => {
  for (const feature of [ecrModule, createEcrRegistrarModule({ configPath: 'platform/registrar.yaml' })]) {
    const added: TemplateAction<any, any, any>[] = [];
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions: (...a: TemplateAction<any, any, any>[]) => added.push(...a) }]],
      features: [feature],
    });
    assert.deepEqual(added.map((a) => a.id).sort(), ['ecr:decommission', 'ecr:render-crossplane', 'ecr:scaffold', 'ecr:update', 'ecr:validate']);
    await backend.stop();
  }
});

interface Step {
  id: string;
  action: string;
  input: Record<string, unknown>;
}

test('templates/ecr-request: the form matches the core’s config and the steps match the actions', () => {
  const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request/template.yaml'), 'utf8'));
  assert.equal(template.apiVersion, 'scaffolder.backstage.io/v1beta3');
  assert.equal(template.kind, 'Template');
  const props = template.spec.parameters[0].properties;
  const config = defaultConfig();
  assert.deepEqual(props.owner.enum, config.owners);
  assert.deepEqual(props.domain.enum, config.domains);
  assert.deepEqual(props.environment.enum, config.environments);
  assert.deepEqual(props.risk.enum, Object.keys(config.riskTiers ?? {}));
  assert.equal(props.name['ui:field'], 'EcrRegistryName');
  assert.equal(props.name.pattern, undefined, 'the name is checked by the core, not a weaker JSON-schema pattern');

  const steps: Step[] = template.spec.steps;
  // Validate after the fetch, against the same repo (and registrar.yaml) the scaffold step edits.
  assert.deepEqual(steps.map((s) => s.action), ['fetch:plain', 'ecr:validate', 'ecr:scaffold', 'publish:github:pull-request']);
  const scaffoldAction = createEcrScaffoldAction();
  const actions: Record<string, TemplateAction<any, any, any>> = { 'ecr:validate': createEcrValidateAction(), 'ecr:scaffold': scaffoldAction };
  type JsonSchema = { properties: Record<string, unknown>; required: string[] };
  for (const step of steps.filter((s) => actions[s.action])) {
    const schema = actions[step.action]?.schema?.input as JsonSchema;
    for (const key of Object.keys(step.input)) assert.ok(schema.properties[key], `${step.id}: unknown input ${key}`);
    for (const key of schema.required) assert.ok(key in step.input, `${step.id}: missing ${key}`);
  }
  const find = (action: string): Step => {
    const step = steps.find((s) => s.action === action);
    assert.ok(step, action);
    return step;
  };
  const fetchStep = find('fetch:plain');
  const scaffoldStep = find('ecr:scaffold');
  assert.equal(scaffoldStep.input.repoPath, fetchStep.input.targetPath);
  assert.equal(find('ecr:validate').input.repoPath, fetchStep.input.targetPath);
  const publish = find('publish:github:pull-request');
  assert.deepEqual(publish.input.labels, ['ecr-registry']);
  assert.equal(publish.input.sourcePath, fetchStep.input.targetPath);
  const outputs = (scaffoldAction.schema?.output as JsonSchema).properties;
  for (const [key, output] of [['branchName', 'branchName'], ['title', 'prTitle'], ['description', 'prBody']] as const) {
    assert.equal(publish.input[key], `\${{ steps.${scaffoldStep.id}.output.${output} }}`);
    assert.ok(outputs[output]);
  }
  assert.match(template.spec.output.links[0].url, new RegExp(`steps\\.${publish.id}\\.output\\.remoteUrl`));
});

test('templates/ecr-update and ecr-decommission: form enums are the config’s, steps match the actions', () => {
  const config = defaultConfig();
  const cases = [
    ['ecr-update', 'ecr:update', createEcrUpdateAction()],
    ['ecr-decommission', 'ecr:decommission', createEcrDecommissionAction()],
  ] as const;
  type JsonSchema = { properties: Record<string, unknown>; required: string[] };
  for (const [dir, id, action] of cases) {
    const template = parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
    assert.equal(template.kind, 'Template');
    const props = Object.assign({}, ...template.spec.parameters.map((p: { properties: object }) => p.properties));
    assert.deepEqual(props.environment.enum, config.environments, dir);
    if (props.owner) assert.deepEqual(props.owner.enum, config.owners, dir);
    if (props.risk) assert.deepEqual(props.risk.enum, Object.keys(config.riskTiers ?? {}), dir);
    if (props.domain) assert.deepEqual(props.domain.enum, config.domains, dir);
    const steps: Step[] = template.spec.steps;
    assert.deepEqual(steps.map((s) => s.action), ['fetch:plain', id, 'publish:github:pull-request'], dir);
    const [fetchStep, step, publish] = steps as [Step, Step, Step];
    const schema = action.schema?.input as unknown as JsonSchema;
    for (const key of Object.keys(step.input)) assert.ok(schema.properties[key], `${dir}: unknown input ${key}`);
    for (const key of schema.required) assert.ok(key in step.input, `${dir}: missing ${key}`);
    assert.equal(step.input.repoPath, fetchStep.input.targetPath);
    assert.deepEqual(publish.input.labels, ['ecr-registry']);
    assert.equal(publish.input.branchName, `\${{ steps.${step.id}.output.branchName }}`);
    assert.equal(publish.input.description, `\${{ steps.${step.id}.output.prBody }}`);
  }
});

test('templates/ecr-request-local is ecr-request but for the fetch URL and the pull request', () => {
  const read = (dir: string) => parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
  const main = read('ecr-request');
  const local = read('ecr-request-local');
  assert.equal(local.metadata.name, 'ecr-request-local');
  assert.deepEqual(local.spec.parameters, main.spec.parameters);
  const expected = (main.spec.steps as Step[])
    .filter((s) => s.action !== 'publish:github:pull-request')
    .map((s) => (s.action === 'fetch:plain' ? { ...s, input: { ...s.input, url: './infra' } } : s));
  assert.deepEqual(local.spec.steps, expected);
  assert.ok(!JSON.stringify(local.spec.output).includes('steps.publish'), 'no output refers to the missing publish step');
});

test('every shipped template guards its pull request with the ecr step’s `changed` and says when nothing changes', () => {
  const ecrStep: Record<string, string> = { 'ecr-request': 'scaffold', 'ecr-request-local': 'scaffold', 'ecr-update': 'update', 'ecr-decommission': 'decommission' };
  assert.deepEqual(fs.readdirSync(path.join(root, 'templates')).sort(), Object.keys(ecrStep).sort());
  for (const [dir, id] of Object.entries(ecrStep)) {
    const template = parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
    const changed = `\${{ steps.${id}.output.changed }}`;
    for (const step of (template.spec.steps as (Step & { if?: unknown })[]).filter((s) => s.action.startsWith('publish:'))) {
      assert.equal(step.if, changed, `${dir}: ${step.id}`);
    }
    const output = template.spec.output as { links?: { if?: unknown; url: string }[]; text: { title: string; if?: unknown; content: string }[] };
    for (const link of output.links ?? []) assert.equal(link.if, changed, `${dir}: a link to a pull request that was not opened`);
    const nothing = output.text.filter((t) => t.if === `\${{ not steps.${id}.output.changed }}`);
    assert.equal(nothing.length, 1, dir);
    assert.match(nothing[0]!.content, /already requested, nothing to change/, dir);
    for (const t of output.text.filter((t) => t !== nothing[0])) assert.equal(t.if, changed, `${dir}: ${t.title}`);
  }
});
