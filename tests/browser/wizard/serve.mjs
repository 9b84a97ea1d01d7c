// Bundle app.mjs (the real scaffolder Stepper with the EcrRegistryName field) with esbuild and
// serve it on 127.0.0.1 with templates/ecr-request's parameters, pkg/web's WebAssembly and the
// catalog's filtered queries (`/api/catalog/entities/by-query`) over the entities sync renders from
// examples/aws (`catalogRequests` records what the page asked, and the status). Anything else is a
// 404. Used by
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
 * The Resource entities `sync` renders for examples/aws's listing (ledger-sync, build-cache, …), as
 * a catalog that has ingested them holds them.
 */
function catalogEntities() {
  const listing = fs.readFileSync(path.join(root, 'examples/aws/describe-repositories.json'), 'utf8');
  const catalog = fs.readFileSync(path.join(root, 'examples/platform/docs/20-contracts/resource-catalogs/ecr-catalog.yaml'), 'utf8');
  const out = renderEntities(listing, catalog, { region: 'eu-west-2', now: '2026-11-23T10:00:00Z' });
  const entities = out.files.flatMap((f) => parseAllDocuments(f.text).map((d) => d.toJS()));
  return entities.filter((e) => e.kind === 'Resource').map((e) => ({ ...e, metadata: { namespace: 'default', ...e.metadata } }));
}

const at = (entity, key) => key.split('.').reduce((v, k) => (v && typeof v === 'object' ? v[k] : undefined), entity);

/**
 * `GET /api/catalog/entities/by-query` as the catalog answers it: every `filter` parameter is one
 * alternative, `key=value` pairs joined by commas that must all hold (values compared without
 * case); `fields` picks the fields; `limit` the count. Always a 200: none found is `items: []`.
 */
function queryEntities(entities, params) {
  const alternatives = params.getAll('filter').map((f) => f.split(',').map((c) => c.split('=')));
  const matches = (e) => alternatives.length === 0 || alternatives.some((conds) => conds.every(([k, v]) => String(at(e, k) ?? '').toLowerCase() === String(v).toLowerCase()));
  const fields = params.getAll('fields').flatMap((f) => f.split(','));
  const pick = (e) => {
    if (!fields.length) return e;
    const out = {};
    for (const key of fields) {
      const value = at(e, key);
      if (value === undefined) continue;
      const parts = key.split('.');
      let o = out;
      for (const p of parts.slice(0, -1)) o = o[p] ??= {};
      o[parts.at(-1)] = value;
    }
    return out;
  };
  const found = entities.filter(matches);
  const limit = params.has('limit') ? Number(params.get('limit')) : found.length;
  return { items: found.slice(0, limit).map(pick), totalItems: found.length, pageInfo: {} };
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
  const entities = catalogEntities();
  // What the page asked the catalog: `{path, status, name}`, `name` the entity name it filtered on.
  const catalogRequests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const answer = (status, type, body) => {
      if (url.pathname.startsWith('/api/catalog/')) {
        const name = url.searchParams.getAll('filter').join(',').match(/metadata\.name=([^,]*)/)?.[1] ?? url.pathname.split('/').at(-1);
        catalogRequests.push({ path: url.pathname, status, name });
      }
      res.writeHead(status, { 'content-type': type }).end(body);
    };
    if (url.pathname === '/api/catalog/entities/by-query') return answer(200, 'application/json', JSON.stringify(queryEntities(entities, url.searchParams)));
    const f = files[url.pathname];
    if (!f) return answer(404, 'application/json', JSON.stringify({ error: { name: 'NotFoundError', message: `Nothing at ${url.pathname}` } }));
    answer(200, f[0], f[1]);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${server.address().port}`, catalogRequests, close: () => new Promise((r) => server.close(r)) };
}
