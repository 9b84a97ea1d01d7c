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
  createEcrCheckOpenRequestAction,
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
    assert.deepEqual(added.map((a) => a.id).sort(), ['ecr:check-open-request', 'ecr:decommission', 'ecr:render-argocd', 'ecr:render-crossplane', 'ecr:render-entity', 'ecr:retire-files', 'ecr:scaffold', 'ecr:update', 'ecr:validate']);
    await backend.stop();
  }
});

interface Step {
  id: string;
  action: string;
  input: Record<string, unknown>;
}

/**
 * The pull request `publish` opened is labelled ecr-registry (what the plan and apply workflows
 * run on) by the step after it: publish:github:pull-request itself takes no labels.
 */
function assertLabelled(steps: Step[], publish: Step): void {
  assert.equal(publish.input.labels, undefined, 'publish:github:pull-request has no labels input');
  const label = steps[steps.indexOf(publish) + 1];
  assert.equal(label?.action, 'github:issues:label');
  assert.deepEqual(label.input.labels, ['ecr-registry']);
  assert.equal(label.input.repoUrl, publish.input.repoUrl);
  assert.equal(label.input.number, `\${{ steps.${publish.id}.output.pullRequestNumber }}`);
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
  assert.deepEqual(steps.map((s) => s.action), ['fetch:plain', 'ecr:validate', 'ecr:scaffold', 'ecr:check-open-request', 'publish:github:pull-request', 'github:issues:label']);
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
  assertLabelled(steps, publish);
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
    // The Terraform path's steps (ecr-decommission also has the Crossplane path's, tested below).
    const steps: Step[] = template.spec.steps.filter((s: Step & { if?: string }) => !s.if?.includes("'crossplane'"));
    assert.deepEqual(steps.map((s) => s.action), ['fetch:plain', id, 'ecr:check-open-request', 'publish:github:pull-request', 'github:issues:label'], dir);
    const [fetchStep, step, openRequest, publish] = steps as [Step, Step, Step, Step];
    // The open-PR check asks about the branch the publish step pushes, in its repository.
    assert.deepEqual(openRequest.input, { repoUrl: publish.input.repoUrl, branchName: publish.input.branchName }, dir);
    const schema = action.schema?.input as unknown as JsonSchema;
    for (const key of Object.keys(step.input)) assert.ok(schema.properties[key], `${dir}: unknown input ${key}`);
    for (const key of schema.required) assert.ok(key in step.input, `${dir}: missing ${key}`);
    assert.equal(step.input.repoPath, fetchStep.input.targetPath);
    assertLabelled(steps, publish);
    assert.equal(publish.input.branchName, `\${{ steps.${step.id}.output.branchName }}`);
    assert.equal(publish.input.description, `\${{ steps.${step.id}.output.prBody }}`);
  }
});

test('templates/ecr-decommission removes exactly the files ecr-request-crossplane adds, on the Crossplane path only', () => {
  const read = (dir: string) => parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
  const decommission = read('ecr-decommission');
  const crossplane = read('ecr-request-crossplane');
  type CondStep = Step & { if?: string };
  const gitopsSteps = (decommission.spec.steps as CondStep[]).filter((s) => s.if?.includes("'crossplane'"));
  assert.deepEqual(gitopsSteps.map((s) => s.action), ['fetch:plain', 'ecr:retire-files', 'ecr:check-open-request', 'publish:github:pull-request', 'github:issues:label']);
  const [fetchStep, retire, , publish] = gitopsSteps as [CondStep, CondStep, CondStep, CondStep];
  assert.equal(retire.input.repoPath, fetchStep.input.targetPath);
  assert.equal(publish.input.filesToDelete, `\${{ steps['${retire.id}'].output.paths }}`);
  // Every step runs on exactly one path.
  for (const s of decommission.spec.steps as CondStep[]) {
    assert.match(s.if ?? '', /^\$\{\{ parameters\.path == '(terraform|crossplane)'( and steps\.decommission\.output\.changed)? \}\}$/, s.id);
  }
  // The same repository, and the files the request template writes (its targetPaths, less the checkout's folder).
  const steps = crossplane.spec.steps as Step[];
  const cpFetch = steps.find((s) => s.action === 'fetch:plain') as Step;
  assert.equal(fetchStep.input.url, cpFetch.input.url);
  const cpPublish = steps.find((s) => s.action === 'publish:github:pull-request') as Step;
  assert.equal(publish.input.repoUrl, cpPublish.input.repoUrl);
  const written = steps
    .filter((s) => s.action.startsWith('ecr:render-') && typeof s.input.targetPath === 'string')
    .map((s) => path.posix.relative(String(cpPublish.input.sourcePath), String(s.input.targetPath)));
  assert.equal(written.length, 3);
  assert.deepEqual([...(retire.input.paths as string[])].sort(), written.sort());
  // A name that is not a Kubernetes name never becomes those paths (the form's schema refuses it).
  const schema = decommission.spec.parameters[0];
  const onCrossplane = schema.allOf.find((b: { if: { properties: { path: { const: string } } } }) => b.if.properties.path.const === 'crossplane');
  const pattern = new RegExp(onCrossplane.then.properties.name.pattern);
  // The Terraform path alone asks for the environment (its tfvars).
  const onTerraform = schema.allOf.find((b: { if: { properties: { path: { const: string } } } }) => b.if.properties.path.const === 'terraform');
  assert.deepEqual(onTerraform.then.required, ['environment']);
  assert.ok(!schema.required.includes('environment'));
  for (const bad of ['../x', 'a/b', 'A', 'a_b', '-a', 'a-']) assert.ok(!pattern.test(bad), bad);
  for (const good of ['payments-api', 'a', 'a.b']) assert.ok(pattern.test(good), good);
});

test('the Crossplane paths ask for an open pull request of the publish step’s branch, after the name is validated and before anything is written', () => {
  const read = (dir: string) => parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
  type CondStep = Step & { if?: string };
  const check = createEcrCheckOpenRequestAction();
  type JsonSchema = { properties: Record<string, unknown>; required: string[] };
  const schema = check.schema?.input as unknown as JsonSchema;
  const cases: [string, CondStep[], string][] = [
    ['ecr-request-crossplane', read('ecr-request-crossplane').spec.steps, 'ecr:validate'],
    ['ecr-decommission', (read('ecr-decommission').spec.steps as CondStep[]).filter((s) => s.if?.includes("'crossplane'")), 'ecr:retire-files'],
  ];
  for (const [dir, steps, validating] of cases) {
    const at = (action: string) => steps.findIndex((s) => s.action === action);
    const checkStep = steps[at('ecr:check-open-request')];
    const publish = steps[at('publish:github:pull-request')];
    assert.ok(checkStep && publish, dir);
    for (const key of Object.keys(checkStep.input)) assert.ok(schema.properties[key], `${dir}: unknown input ${key}`);
    for (const key of schema.required) assert.ok(key in checkStep.input, `${dir}: missing ${key}`);
    // The very branch and repository the pull request is opened from and to.
    assert.equal(checkStep.input.repoUrl, publish.input.repoUrl, dir);
    assert.equal(checkStep.input.branchName, publish.input.branchName, dir);
    assert.equal(checkStep.if, publish.if, dir);
    // Right after the step that validates the name the branch is made of, before any render step.
    assert.equal(at('ecr:check-open-request'), at(validating) + 1, dir);
    assert.ok(steps.slice(0, at('ecr:check-open-request')).every((s) => !s.action.startsWith('ecr:render-') && !s.action.startsWith('publish:')), dir);
  }
});

test('templates/ecr-request-local is ecr-request but for the fetch URL and the pull request', () => {
  const read = (dir: string) => parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
  const main = read('ecr-request');
  const local = read('ecr-request-local');
  assert.equal(local.metadata.name, 'ecr-request-local');
  assert.deepEqual(local.spec.parameters, main.spec.parameters);
  const expected = (main.spec.steps as Step[])
    .filter((s) => !['publish:github:pull-request', 'github:issues:label', 'ecr:check-open-request'].includes(s.action))
    .map((s) => (s.action === 'fetch:plain' ? { ...s, input: { ...s.input, url: './infra' } } : s));
  assert.deepEqual(local.spec.steps, expected);
  assert.ok(!JSON.stringify(local.spec.output).includes('steps.publish'), 'no output refers to the missing publish step');
});

test('every shipped template guards its pull request with the ecr step’s `changed` and says when nothing changes', () => {
  const ecrStep: Record<string, string> = { 'ecr-request': 'scaffold', 'ecr-request-local': 'scaffold', 'ecr-update': 'update', 'ecr-decommission': 'decommission' };
  // The other two have no edit of their own to ask: ecr-request-dispatch's workflow says when a
  // re-dispatch changes nothing (tests/node/workflows-dispatch.test.mjs), and ecr-request-crossplane's
  // ecr:validate refuses a name whose entity the catalog has (registered by its last step).
  const noEdit = ['ecr-request-crossplane', 'ecr-request-dispatch'];
  assert.deepEqual(fs.readdirSync(path.join(root, 'templates')).sort(), [...Object.keys(ecrStep), ...noEdit].sort());
  for (const [dir, id] of Object.entries(ecrStep)) {
    const template = parse(fs.readFileSync(path.join(root, 'templates', dir, 'template.yaml'), 'utf8'));
    // ecr-decommission's Terraform path: the same guard, and only on that path.
    const onPath = (e: string) => (dir === 'ecr-decommission' ? e.replace('${{ ', "${{ parameters.path == 'terraform' and ") : e);
    const changed = onPath(`\${{ steps.${id}.output.changed }}`);
    const crossplane = "${{ parameters.path == 'crossplane' }}";
    type Guarded = { if?: unknown };
    const onTerraform = <T extends Guarded>(x: T) => x.if !== crossplane;
    for (const step of (template.spec.steps as (Step & Guarded)[]).filter((s) => s.action.startsWith('publish:') || s.action === 'github:issues:label').filter(onTerraform)) {
      assert.equal(step.if, changed, `${dir}: ${step.id}`);
    }
    const output = template.spec.output as { links?: { if?: unknown; url: string }[]; text: { title: string; if?: unknown; content: string }[] };
    for (const link of (output.links ?? []).filter(onTerraform)) assert.equal(link.if, changed, `${dir}: a link to a pull request that was not opened`);
    const nothing = output.text.filter((t) => t.if === onPath(`\${{ not steps.${id}.output.changed }}`));
    assert.equal(nothing.length, 1, dir);
    assert.match(nothing[0]!.content, /already requested, nothing to change/, dir);
    for (const t of output.text.filter((t) => t !== nothing[0]).filter(onTerraform)) assert.equal(t.if, changed, `${dir}: ${t.title}`);
  }
});
