// The real scaffolder wizard in headless Chromium: @backstage/plugin-scaffolder-react's Stepper
// renders templates/ecr-request's parameters with the EcrRegistryName field (tests/browser/wizard,
// bundled with esbuild), for the legacy field extension and the new frontend system's
// FormFieldBlueprint extension (loaded as that system loads it). Typing shows the core's message
// before Next is pressed; a valid name clears it; Next with an invalid name stays on the step; a
// name the catalog has is reported once typing pauses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, cliMessages } from '../browser/harness.mjs';
import { serveWizard } from '../browser/wizard/serve.mjs';
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
      const shown = () => page.locator('#root_name-errors li').allTextContents();
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
      assert.deepEqual(await shown(), cliMessages('abc-'));
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

for (const system of ['legacy', 'nfs']) {
  test(`the catalog pre-flight (${system === 'nfs' ? 'new frontend system' : 'legacy'} field): a taken name says so once typing pauses, and Review refuses it`, async () => {
    const { page } = await wizard(system);
    try {
      const shown = () => page.locator('#root_name-errors li').allTextContents();
      server.catalogRequests.length = 0;
      // Typed at a person's pace: the core checks every key; the catalog is asked once typing pauses.
      await page.locator('#root_name').pressSequentially('build-cache', { delay: 30 });
      await page.waitForFunction(() => document.querySelectorAll('#root_name-errors li').length > 0);
      const entity = await (await fetch(`${base}/api/catalog/entities/by-name/resource/default/ecr-build-cache`)).json();
      const expected = core.alreadyRequested('build-cache', 'resource:default/ecr-build-cache', entity.spec.owner).message;
      assert.deepEqual(await shown(), [expected]);
      assert.match(expected, /already requested/);
      // 9 of the names on the way are valid; without the pause each would have been looked up.
      const onTheWay = server.catalogRequests.filter((p) => !p.endsWith('/ecr-build-cache'));
      assert.ok(onTheWay.length < 3, `lookups for the names on the way: ${onTheWay}`);
      // Review runs the form's validator, which asks the catalog through the scaffolder's apiHolder.
      await page.fill('#root_requester', 'daniel-deans');
      server.catalogRequests.length = 0;
      await page.getByRole('button', { name: 'Review' }).click();
      await until(() => server.catalogRequests.includes('/api/catalog/entities/by-name/resource/default/ecr-build-cache'), 'the validator’s lookup');
      await staysOnFirstStep(page);
      assert.deepEqual(await shown(), [expected]);
      // A free name: the lookup answers 404, nothing is shown.
      await page.fill('#root_name', 'build-cache-2');
      await page.waitForFunction(() => document.querySelectorAll('#root_name-errors li').length === 0);
      await until(() => server.catalogRequests.includes('/api/catalog/entities/by-name/resource/default/ecr-build-cache-2'), 'the lookup of the free name');
      await page.waitForTimeout(200);
      assert.deepEqual(await shown(), []);
    } finally {
      await page.close();
    }
  });
}
