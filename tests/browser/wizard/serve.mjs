// Bundle app.mjs (the real scaffolder Stepper with the EcrRegistryName field) with esbuild and
// serve it on 127.0.0.1 with templates/ecr-request's parameters and pkg/web's WebAssembly. Used by
// tests/node/wizard.test.mjs and benches/wizard.bench.mjs. Resolves `{base, close()}`.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

/** The template's parameters as the scaffolder's API hands them to the form. */
function manifest() {
  const template = parse(fs.readFileSync(path.join(root, 'templates/ecr-request/template.yaml'), 'utf8'));
  return {
    title: template.metadata.title,
    description: template.metadata.description,
    steps: template.spec.parameters.map(({ title, ...schema }) => ({ title, schema })),
  };
}

export async function serveWizard() {
  const out = await build({
    entryPoints: [path.join(here, 'app.mjs')],
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
    '/': ['text/html', fs.readFileSync(path.join(here, 'index.html'))],
    '/app.js': ['text/javascript', Buffer.from(out.outputFiles[0].contents)],
    '/manifest.json': ['application/json', Buffer.from(JSON.stringify(manifest()))],
    '/pkg/web/ecr_registrar_bg.wasm': ['application/wasm', fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm'))],
  };
  const server = http.createServer((req, res) => {
    const f = files[new URL(req.url, 'http://x').pathname];
    if (!f) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}
