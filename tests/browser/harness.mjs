// Serve the repository's page, js/ and pkg/web on 127.0.0.1 and open it in Debian's headless
// Chromium through playwright-core (no browser download). Used by the browser test and the bench.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');

/** The CLI's messages for a name alone (`validate --name`), in order: what a page must show. */
export function cliMessages(name) {
  try {
    return JSON.parse(execFileSync(bin, ['validate', '--format', 'json', '--name', name], { encoding: 'utf8' })).errors.map((e) => e.message);
  } catch (e) {
    if (e.status === 1) return JSON.parse(e.stdout).errors.map((m) => m.message);
    throw e;
  }
}
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };
const SERVED = ['tests/browser/', 'js/', 'pkg/web/'];

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const rel = url.pathname === '/' ? 'tests/browser/index.html' : decodeURIComponent(url.pathname).slice(1);
    const file = path.resolve(root, rel);
    if (!SERVED.some((d) => file.startsWith(path.join(root, d))) || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `{page, close}` with the validation page loaded and its module instantiated. */
export async function openPage(query = '') {
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`http://127.0.0.1:${server.address().port}/${query}`);
  await page.waitForFunction(() => document.getElementById('status').textContent !== 'loading');
  if (errors.length) throw errors[0];
  return {
    page,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}
