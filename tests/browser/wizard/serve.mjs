// Bundle app.mjs (the real scaffolder Stepper with the EcrRegistryName field) with esbuild and
// serve it on 127.0.0.1 with templates/ecr-request's parameters, pkg/web's WebAssembly and the
// catalog's by-name answers for the entities sync renders from examples/aws (`catalogRequests`
// records what the page asked). Used by
// tests/node/wizard.test.mjs and benches/wizard.bench.mjs. Resolves `{base, close()}`.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parseAllDocuments, parse } from 'yaml';
import { renderEntities } from '../../../js/dist/core.js';

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

/**
 * The catalog's answers for `GET /api/catalog/entities/by-name/resource/default/<name>`: the
 * Resource entities `sync` renders for examples/aws's listing (ledger-sync, build-cache, …), as a
 * catalog that has ingested them would return them.
 */
function catalogEntities() {
  const listing = fs.readFileSync(path.join(root, 'examples/aws/describe-repositories.json'), 'utf8');
  const catalog = fs.readFileSync(path.join(root, 'examples/platform/docs/20-contracts/resource-catalogs/ecr-catalog.yaml'), 'utf8');
  const out = renderEntities(listing, catalog, { region: 'eu-west-2', now: '2026-11-23T10:00:00Z' });
  const entities = out.files.flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJS()));
  return Object.fromEntries(entities.filter((e) => e.kind === 'Resource').map((e) => [`/api/catalog/entities/by-name/resource/default/${e.metadata.name}`, ['application/json', Buffer.from(JSON.stringify(e))]]));
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
    ...catalogEntities(),
  };
  const catalogRequests = [];
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname.startsWith('/api/catalog/')) catalogRequests.push(pathname);
    const f = files[pathname];
    if (!f) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { name: 'NotFoundError', message: `No entity at ${pathname}` } }));
    }
    res.writeHead(200, { 'content-type': f[0] }).end(f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, catalogRequests, close: () => new Promise((r) => server.close(r)) };
}
