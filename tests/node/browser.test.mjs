// The wizard in real headless Chromium: a person types names into the field and the page must show
// exactly the CLI's messages; the shared cases must give the same reports as in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cliMessages, openPage, root } from '../browser/harness.mjs';
import * as node from '../../js/dist/core.js';

const { cases } = JSON.parse(fs.readFileSync(path.join(root, 'tests/cases/validate.json'), 'utf8'));

test('Chromium: typing into the field shows the CLI’s messages', async () => {
  const { page, close } = await openPage();
  try {
    const names = ['payments-api', 'abc-', 'Payments', 'a', 'team/app', 'a__b', 'x'.repeat(60), 'naïve', 'svc--v2', 'ab._c'];
    let sawErrors = 0;
    for (const name of names) {
      await page.fill('#name', '');
      await page.locator('#name').pressSequentially(name);
      await page.waitForFunction((v) => document.getElementById('status').textContent === `checked ${JSON.stringify(v)}`, name);
      const shown = await page.locator('#errors li').allTextContents();
      assert.deepEqual(shown, cliMessages(name), `messages for ${JSON.stringify(name)}`);
      assert.equal(await page.getAttribute('#name', 'aria-invalid'), String(shown.length > 0));
      sawErrors += shown.length > 0;
    }
    assert.ok(sawErrors >= 7, 'most sample names are invalid: the comparison is not vacuous');
  } finally {
    await close();
  }
});

test('Chromium: the shared cases give the same reports as Node and the expected verdicts', async () => {
  const { page, close } = await openPage();
  try {
    const browser = await page.evaluate((cs) => cs.map((c) => window.core.validateRequest(c.request)), cases);
    assert.equal(browser.length, cases.length);
    cases.forEach((c, i) => {
      assert.deepEqual(browser[i], node.validateRequest(c.request), c.name);
      assert.deepEqual(browser[i].errors.map((e) => e.code), c.expect.errorCodes, c.name);
    });
  } finally {
    await close();
  }
});
