// The real scaffolder wizard in headless Chromium: @backstage/plugin-scaffolder-react's Stepper
// renders templates/ecr-request's parameters with the EcrRegistryName field (tests/browser/wizard,
// bundled with esbuild), for the legacy field extension and the new frontend system's
// FormFieldBlueprint extension (loaded as that system loads it). The field is Material UI's
// TextField like its neighbours (label, required mark, the description as helper text, the same
// box and spacing); typing shows the core's message as its helper text, in error state, before
// Next is pressed; a valid name clears it; Next with an invalid name stays on the step and shows
// each message once; a name the catalog has is reported once typing pauses, through a filtered
// catalog query, and a free name leaves the browser's console without an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, cliMessages } from '../browser/harness.mjs';
import { serveWizard } from '../browser/wizard/serve.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { root } from '../browser/harness.mjs';
import * as core from '../../js/dist/core.js';

let server;
let browser;
let base;

before(async () => {
  server = await serveWizard();
  base = server.base;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Resolves once `check()` holds (polled every 50 ms, at most 10 s: a loaded CI machine is slow). */
async function until(check, what) {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const DESCRIPTION = parse(fs.readFileSync(path.join(root, 'templates/ecr-request/template.yaml'), 'utf8')).spec.parameters[0].properties.name.description;

/** The messages Backstage's field template lists under the name field after Next (rjsf's errors). */
const formErrors = (page) => page.locator('[id="root_name__error"]').allTextContents();

/** The page stays on the first step for a whole second (Next was refused, not just slow). */
async function staysOnFirstStep(page) {
  for (let i = 0; i < 10; i++) {
    assert.equal(await page.locator('#root_name').count(), 1, 'still on the first step');
    await page.waitForTimeout(100);
  }
}

async function wizard(system) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}/?system=${system}`);
  await page.waitForSelector('#root_name', { timeout: 20_000 }).catch((e) => {
    throw new Error(`the wizard did not render: ${errors.join('\n') || e.message}`);
  });
  return { page, errors };
}

for (const system of ['legacy', 'nfs']) {
  test(`the real scaffolder Stepper (${system === 'nfs' ? 'new frontend system' : 'legacy'} field): messages while typing, before Next`, async () => {
    const { page } = await wizard(system);
    try {
      const shown = () => page.locator('#root_name-helper-text .ecr-registry-name-message').allTextContents();
      // The DOM as React leaves it after the key (how fast: benches/wizard.bench.mjs).
      const showsExactly = async (expected, what) => {
        await until(async () => JSON.stringify(await shown()) === JSON.stringify(expected), what).catch(() => undefined);
        assert.deepEqual(await shown(), expected, what);
      };
      if (system === 'nfs') {
        // The field came through its FormFieldBlueprint extension, in the scaffolder plugin's module.
        assert.deepEqual(await page.evaluate(() => window.nfs), { pluginId: 'scaffolder', kind: 'scaffolder-form-field', name: 'ecr-registry-name' });
      }
      await page.locator('#root_name').pressSequentially('abc-');
      // Nothing pressed but keys: the core's message is already there.
      await showsExactly(cliMessages('abc-'), 'abc-');
      assert.equal(await page.getAttribute('#root_name', 'aria-invalid'), 'true');
      // Next (this template's one step: Review) with the invalid name runs the form's validators:
      // it stays on the step and shows the message once.
      await page.fill('#root_requester', 'daniel-deans');
      await page.getByRole('button', { name: 'Review' }).click();
      await staysOnFirstStep(page);
      if (process.env.WIZARD_SHOT) await page.screenshot({ path: `${process.env.WIZARD_SHOT}-${system}-next.png`, fullPage: true });
      // Each message once: under the field in Backstage's own error list (as for any field), and
      // not repeated in the helper text, which is the description again.
      assert.deepEqual(await formErrors(page), cliMessages('abc-'));
      assert.deepEqual(await shown(), []);
      assert.equal(await page.textContent('#root_name-helper-text'), DESCRIPTION);
      // A valid name clears it, keystroke by keystroke.
      await page.fill('#root_name', '');
      for (const [typed, ok] of [['p', false], ['payments', true], ['payments-', false], ['payments-api', true]]) {
        await page.fill('#root_name', typed);
        await showsExactly(cliMessages(typed), typed);
        assert.equal(cliMessages(typed).length === 0, ok, typed);
      }
      assert.equal(await page.getAttribute('#root_name', 'aria-invalid'), 'false');
      // Now Review moves on, and Create hands the form's values over.
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForFunction(() => window.created !== null);
      const created = await page.evaluate(() => window.created);
      assert.equal(created.name, 'payments-api');
      assert.equal(created.requester, 'daniel-deans');
      if (process.env.WIZARD_SHOT) await page.screenshot({ path: `${process.env.WIZARD_SHOT}-${system}.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });
}

/** The entity the test server's catalog holds for `name` (a filtered query, as the field asks). */
async function catalogEntity(name) {
  const filter = encodeURIComponent(`kind=Resource,metadata.namespace=default,metadata.name=${core.entityName(name)}`);
  const { items } = await (await fetch(`${base}/api/catalog/entities/by-query?filter=${filter}`)).json();
  return items[0];
}

for (const system of ['legacy', 'nfs']) {
  test(`the catalog pre-flight (${system === 'nfs' ? 'new frontend system' : 'legacy'} field): a taken name says so once typing pauses, Review refuses it, a free name logs no error`, async () => {
    const { page, errors } = await wizard(system);
    try {
      const shown = () => page.locator('#root_name-helper-text .ecr-registry-name-message').allTextContents();
      const asked = (name) => server.catalogRequests.filter((r) => r.name === core.entityName(name));
      server.catalogRequests.length = 0;
      // Typed at a person's pace: the core checks every key; the catalog is asked once typing pauses.
      await page.locator('#root_name').pressSequentially('build-cache', { delay: 30 });
      await page.waitForFunction(() => document.querySelectorAll('#root_name-helper-text .ecr-registry-name-message').length > 0);
      const entity = await catalogEntity('build-cache');
      const expected = core.alreadyRequested('build-cache', 'resource:default/ecr-build-cache', entity.spec.owner).message;
      assert.deepEqual(await shown(), [expected]);
      assert.match(expected, /already requested/);
      assert.equal(await page.getAttribute('#root_name', 'aria-invalid'), 'true');
      // 9 of the names on the way are valid; without the pause each would have been looked up.
      const onTheWay = server.catalogRequests.filter((r) => r.name !== 'ecr-build-cache');
      assert.ok(onTheWay.length < 3, `lookups for the names on the way: ${JSON.stringify(onTheWay)}`);
      // Review runs the form's validator, which asks the catalog through the scaffolder's apiHolder.
      await page.fill('#root_requester', 'daniel-deans');
      server.catalogRequests.length = 0;
      await page.getByRole('button', { name: 'Review' }).click();
      await until(() => asked('build-cache').length > 0, 'the validator’s lookup');
      await staysOnFirstStep(page);
      assert.deepEqual([...(await shown()), ...(await formErrors(page))], [expected], 'the message, once');
      // A free name: the query answers 200 with no entity, nothing is shown, and the browser's
      // console stays clean (a 404 for "none" would be logged as a failed resource load).
      errors.length = 0;
      await page.fill('#root_name', 'build-cache-2');
      await until(() => asked('build-cache-2').length > 0, 'the lookup of the free name');
      await page.waitForTimeout(200);
      assert.deepEqual(await shown(), []);
      assert.equal(await page.getAttribute('#root_name', 'aria-invalid'), 'false');
      assert.deepEqual(errors, [], 'the console');
      assert.ok(server.catalogRequests.length > 0);
      for (const r of server.catalogRequests) assert.deepEqual([r.path, r.status], ['/api/catalog/entities/by-query', 200], JSON.stringify(r));
    } finally {
      await page.close();
    }
  });
}

for (const system of ['legacy', 'nfs']) {
  test(`the name field looks like its neighbours (${system === 'nfs' ? 'new frontend system' : 'legacy'}): a Material UI TextField, label, required mark, description, the same box and spacing`, async () => {
    const { page, errors } = await wizard(system);
    try {
      await page.evaluate(() => document.activeElement?.blur());
      // The name field and its neighbour, the template's plain `requester` string (rjsf's own
      // Material UI TextField), measured where both are empty and unfocused.
      const look = () =>
        page.evaluate(() => {
          const style = (el) => {
            const cs = getComputedStyle(el);
            return { fontSize: cs.fontSize, fontFamily: cs.fontFamily, color: cs.color, transform: cs.transform };
          };
          const field = (f) => {
            const input = document.getElementById(`root_${f}`);
            const textField = input.closest('.MuiTextField-root');
            const label = document.querySelector(`label[for="root_${f}"]`);
            const group = input.closest('.form-group');
            const next = group.parentElement.nextElementSibling?.querySelector('.form-group');
            const r = input.getBoundingClientRect();
            return {
              textField: Boolean(textField),
              input: { x: r.x, width: r.width, height: r.height, ...style(input) },
              label: { text: label?.textContent, asterisk: Boolean(label?.querySelector('.MuiFormLabel-asterisk')), ...style(label) },
              inputBottom: r.bottom,
              // the first line of the description under the box, and the gap to the next field
              description: (() => {
                const el = document.getElementById(`root_${f}-helper-text`) ?? textField.nextElementSibling?.firstElementChild;
                return { text: el?.textContent, top: el?.getBoundingClientRect().top, fontSize: el && getComputedStyle(el).fontSize, color: el && getComputedStyle(el).color };
              })(),
              gapToNext: next.getBoundingClientRect().top - group.getBoundingClientRect().bottom,
            };
          };
          return { name: field('name'), requester: field('requester') };
        });
      // Measured once nothing moves (the label's transition after the blur has ended).
      let last = null;
      await until(async () => {
        const now = JSON.stringify(await look());
        const still = now === last;
        last = now;
        return still;
      }, 'a still page');
      const { name, requester } = JSON.parse(last);
      for (const v of [name.description.top, requester.description.top, name.gapToNext]) assert.ok(Number.isFinite(v), 'measured');
      assert.ok(name.textField && requester.textField, 'both are Material UI TextFields');
      assert.deepEqual({ ...name.input, label: { ...name.label, text: undefined } }, { ...requester.input, label: { ...requester.label, text: undefined } }, 'the same box and label');
      assert.match(name.label.text, /^Repository Name\s\*$/);
      assert.match(requester.label.text, /^Requesting User\s\*$/);
      assert.ok(name.label.asterisk, 'the required mark');
      assert.equal(name.description.text, DESCRIPTION);
      assert.equal(name.description.fontSize, requester.description.fontSize);
      assert.equal(name.description.color, requester.description.color);
      assert.equal(name.description.top - name.inputBottom, requester.description.top - requester.inputBottom, 'the description as far under the box');
      assert.equal(name.gapToNext, requester.gapToNext, 'the same space to the next field');
      // In error state, the core's messages are the helper text, and the label and box say so too.
      await page.locator('#root_name').pressSequentially('abc-');
      await until(async () => (await page.locator('#root_name-helper-text .ecr-registry-name-message').count()) > 0, 'the messages');
      assert.deepEqual(await page.locator('#root_name-helper-text .ecr-registry-name-message').allTextContents(), cliMessages('abc-'));
      for (const sel of ['#root_name-helper-text', 'label[for="root_name"]']) {
        assert.match((await page.getAttribute(sel, 'class')) ?? '', /\bMui-error\b/, sel);
      }
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.getElementById('root_name-helper-text')).color), name.description.color);
      assert.deepEqual(errors, [], 'the console');
      if (process.env.WIZARD_SHOT) await page.screenshot({ path: `${process.env.WIZARD_SHOT}-${system}-look.png`, fullPage: true });
    } finally {
      await page.close();
    }
  });
}
