// The real scaffolder wizard in headless Chromium: @backstage/plugin-scaffolder-react's Stepper
// renders templates/ecr-request's parameters with the EcrRegistryName field (tests/browser/wizard,
// bundled here with esbuild), for the legacy field extension and the new frontend system's
// FormField. Typing shows the core's message before Next is pressed; a valid name clears it; Next
// with an invalid name stays on the step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, root } from '../browser/harness.mjs';

const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');
let server;
let browser;
let base;

/** The CLI's messages for a name alone, in order. */
function cliMessages(name) {
  try {
    return JSON.parse(execFileSync(bin, ['validate', '--format', 'json', '--name', name], { encoding: 'utf8' })).errors.map((e) => e.message);
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout).errors.map((m) => m.message);
    throw e;
  }
}

/** The template's parameters as the scaffolder's API hands them to the form. */
function manifest() {
  const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request/template.yaml'), 'utf8'));
  return {
    title: template.metadata.title,
    description: template.metadata.description,
    steps: template.spec.parameters.map(({ title, ...schema }) => ({ title, schema })),
  };
}

before(async () => {
  const out = await build({
    entryPoints: [path.join(root, 'tests/browser/wizard/app.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
    logLevel: 'silent',
  });
  const files = {
    '/': ['text/html', fs.readFileSync(path.join(root, 'tests/browser/wizard/index.html'))],
    '/app.js': ['text/javascript', Buffer.from(out.outputFiles[0].contents)],
    '/manifest.json': ['application/json', Buffer.from(JSON.stringify(manifest()))],
    '/pkg/web/ecr_registrar_bg.wasm': ['application/wasm', fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm'))],
  };
  server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
});

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
      await page.locator('#root_name').pressSequentially('abc-');
      // Nothing pressed but keys: the core's message is already there.
      assert.deepEqual(await shown(), cliMessages('abc-'));
      assert.equal(await page.getAttribute('#root_name', 'aria-invalid'), 'true');
      // Next (this template's one step: Review) with the invalid name runs the form's validators:
      // it stays on the step and shows the message once.
      await page.fill('#root_requester', 'daniel-deans');
      await page.getByRole('button', { name: 'Review' }).click();
      await page.waitForTimeout(300);
      if (process.env.WIZARD_SHOT) await page.screenshot({ path: `${process.env.WIZARD_SHOT}-${system}-next.png`, fullPage: true });
      assert.deepEqual(await shown(), cliMessages('abc-'));
      assert.equal(await page.locator('#root_name').count(), 1, 'still on the first step');
      // A valid name clears it, keystroke by keystroke.
      await page.fill('#root_name', '');
      for (const [typed, ok] of [['p', false], ['payments', true], ['payments-', false], ['payments-api', true]]) {
        await page.fill('#root_name', typed);
        assert.deepEqual(await shown(), cliMessages(typed), typed);
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
