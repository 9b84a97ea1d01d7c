// The wizard validation (ecr-registrar/field, the web build) and the field extension, in Node: the
// validator adds exactly the CLI's messages through field.addError, and the extension created with
// Backstage's createScaffolderFieldExtension carries that validator and renders a Material UI
// TextField whose helper text is the description, or the core's messages in error state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { parse } from 'yaml';
import { getComponentData } from '@backstage/core-plugin-api';
import { checkFieldNow, createEcrFieldValidator, ecrRegistryNameValidation, initEcrValidation } from 'ecr-registrar/field';
import { createEcrRegistryNameFieldExtension, createEcrRegistryNameInput, EcrRegistryNameInput } from 'ecr-registrar/field/extension';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');
// Node's fetch cannot read file: URLs, so the module is given as bytes (browsers fetch it).
await initEcrValidation(fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm')));

function cli(args) {
  try {
    return JSON.parse(execFileSync(bin, ['validate', '--format', 'json', ...args], { encoding: 'utf8' }));
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout);
    throw e;
  }
}

async function collect(validator, value) {
  const messages = [];
  await validator(value, { addError: (m) => messages.push(m) });
  return messages;
}

test('the name validator adds the CLI’s messages, word for word', async () => {
  for (const name of ['payments-api', 'abc-', 'Payments_API', 'a', 'team//app', 'ab._c']) {
    assert.deepEqual(await collect(ecrRegistryNameValidation, name), cli(['--name', name]).errors.map((e) => e.message), name);
  }
  assert.deepEqual(await collect(ecrRegistryNameValidation, undefined), [], 'empty is left to the form’s required list');
});

test('validators for the other fields, and with a custom config', async () => {
  const owner = await collect(createEcrFieldValidator('owner'), 'nobody');
  assert.equal(owner.length, 1);
  assert.match(owner[0], /owner "nobody" is not one of the platform's owners/);
  const env = createEcrFieldValidator('environment', { environments: ['dev', 'qa'] });
  assert.deepEqual(await collect(env, 'qa'), []);
  assert.equal((await collect(env, '../../x')).length, 1);
});

test('the field extension carries the validator and renders the errors', async () => {
  const holder = createEcrRegistryNameFieldExtension().expose();
  const options = getComponentData(createElement(holder), 'scaffolder.extensions.field.v1');
  assert.equal(options.name, 'EcrRegistryName');
  assert.equal(options.component, EcrRegistryNameInput);
  assert.deepEqual(await collect(options.validation, 'abc-'), cli(['--name', 'abc-']).errors.map((e) => e.message));

  // Material UI's TextField: the label with the required mark, the box, the helper text.
  const render = (props) => renderToStaticMarkup(createElement(EcrRegistryNameInput, { onChange() {}, idSchema: { $id: 'root_name' }, ...props }));
  const escape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');
  const described = render({ formData: 'payments-api', required: true, schema: { title: 'Repository Name', description: 'Unique <name>' } });
  assert.match(described, /^<div class="MuiFormControl-root MuiTextField-root">/);
  assert.match(described, /<label class="MuiFormLabel-root MuiInputLabel-root[^"]*" [^>]*for="root_name"[^>]*>Repository Name<span aria-hidden="true" class="MuiFormLabel-asterisk[^"]*">\s\*<\/span><\/label>/);
  assert.match(described, /<input aria-invalid="false" aria-describedby="root_name-helper-text"[^>]*id="root_name"[^>]*required=""[^>]*value="payments-api"\/>/);
  assert.match(described, /<p class="MuiFormHelperText-root[^"]*" id="root_name-helper-text"[^>]*>Unique &lt;name&gt;<\/p>/, 'the description, escaped');

  // With the module loaded, the core's messages for what is typed are the helper text, in error
  // state, before any Next (rawErrors empty): the live check, rendered in the same pass as the value.
  const expected = cli(['--name', 'abc-']).errors.map((e) => e.message);
  assert.ok(expected.length >= 2);
  const lines = expected.map((m) => `<span class="ecr-registry-name-message" style="display:block">${escape(m)}</span>`).join('');
  const live = render({ formData: 'abc-', schema: { description: 'Unique name' } });
  assert.match(live, /<input aria-invalid="true"/);
  assert.match(live, new RegExp(`<p class="MuiFormHelperText-root Mui-error[^"]*" id="root_name-helper-text"[^>]*>${lines.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</p>`), live);
  assert.doesNotMatch(live, /Unique name/, 'the messages replace the description');
  // The form's errors for this value (after Next) are listed under the field by Backstage's field
  // template: the helper text does not repeat them, and the field stays in error state.
  const afterNext = render({ formData: 'abc-', rawErrors: expected, schema: { description: 'Unique name' } });
  assert.match(afterNext, /<input aria-invalid="true"/);
  assert.match(afterNext, /id="root_name-helper-text"[^>]*>Unique name<\/p>/);
  assert.doesNotMatch(afterNext, /ecr-registry-name-message/);
  // Errors the live check does not have (e.g. rjsf's `required`) stay the form's to show.
  assert.doesNotMatch(render({ formData: 'abc-', rawErrors: ['first problem'] }), /first problem/);
  assert.match(render({ formData: 'payments-api' }), /aria-invalid="false"/);
  // The template's own limits (the Crossplane form's 54 characters and YAML 1.1 words) are said
  // while typing, not only at Next.
  // The template's own schema (not a copy): a Kubernetes name with a custom namePattern that
  // allows '_' (the tenth issue-23 check: `1_000` passed the form and failed the task).
  const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request-crossplane/template.yaml'), 'utf8'));
  const { maxLength, pattern } = template.spec.parameters[0].properties.name;
  const crossplane = { maxLength, pattern, description: 'Unique name' };
  const form = new RegExp(pattern, 'u');
  for (const bad of ['1_000', '0b10_1', 'null', 'true', 'a.', '-a', 'A']) assert.ok(!form.test(bad), bad);
  for (const good of ['my.app-2', '1000', 'a', '2024-01-01']) assert.ok(form.test(good), good);
  assert.match(render({ formData: 'my-app-2', schema: crossplane }), /aria-invalid="false"/);
  const long = render({ formData: 'a'.repeat(55), schema: crossplane });
  assert.match(long, /aria-invalid="true"/);
  assert.match(long, /at most 54 characters \(55 typed\)/);
  assert.match(render({ formData: 'on', schema: crossplane }), /does not take this name/);
  assert.match(render({ formData: 'a'.repeat(54), schema: crossplane }), /aria-invalid="false"/);
});

test('typing into a field with a platform config builds its validator once, not per keystroke', async () => {
  // The field's own instance of the web build (the same module this package's field imports).
  const web = await import(pathToFileURL(path.join(root, 'pkg/web/ecr_registrar.js')).href);
  const config = { namePattern: '^[a-z][a-z0-9-]*$', environments: ['dev', 'qa'] };
  const Input = createEcrRegistryNameInput(config);
  const render = (formData) => renderToStaticMarkup(createElement(Input, { formData, onChange() {}, idSchema: { $id: 'root_name' } }));
  render('p');
  const start = web.__validatorsBuilt();
  let typed = '';
  for (const ch of 'payments-api_') {
    typed += ch;
    render(typed);
    // Each keystroke's check is this config's (another object each time, the same text).
    assert.deepEqual(checkFieldNow('name', typed, { ...config }), web.validateField('name', typed, config));
  }
  assert.match(render('payments-api_'), /aria-invalid="true"/, 'the config’s rule still applies');
  assert.equal(web.__validatorsBuilt(), start, 'no validator was built while typing');
});
