// The entity-locations processor on its own: which targets it takes, what a file and a missing
// file give (Backstage's own YAML parser and NotFoundError), and its config's checks. The whole
// path, a real backend deleting a decommissioned entity, is tests/node/backstage-paths.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mockServices } from '@backstage/backend-test-utils';
import { NotFoundError, NotAllowedError } from '@backstage/errors';
import { parseEntityYaml, type CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { EcrEntityLocationProcessor, readEntityLocations } from './entityLocations.js';

const PREFIX = 'https://github.com/acme/platform-gitops/blob/main/catalog/ecr/';
const TREE = PREFIX.replace('/blob/', '/tree/');
const ENTITY = 'apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: { name: ecr-payments-api }\nspec: { type: container-repository, owner: app-team }\n';

function reader(files: Record<string, string | Error>, listing: string[] | Error = [], searches: string[] = []): UrlReaderService {
  return {
    readUrl: async (url: string) => {
      const f = files[url];
      if (f === undefined) throw new NotFoundError(`${url} not found`);
      if (f instanceof Error) throw f;
      return { buffer: async () => Buffer.from(f), stream: () => assert.fail(), etag: 'x' } as never;
    },
    readTree: async () => assert.fail('no tree'),
    search: async (url: string) => {
      searches.push(url);
      if (listing instanceof Error) throw listing;
      return { files: listing.map((n) => ({ url: `${url.slice(0, url.lastIndexOf('/') + 1)}${n}`, content: async () => Buffer.from('') })), etag: 'e' };
    },
  } as UrlReaderService;
}

async function read(p: EcrEntityLocationProcessor, target: string, type = 'url') {
  const out: CatalogProcessorResult[] = [];
  const parser = async function* ({ data, location }: { data: Buffer; location: { type: string; target: string } }) {
    yield* parseEntityYaml(data, location);
  };
  const handled = await p.readLocation({ type, target }, false, (r) => out.push(r), parser);
  return { handled, out };
}

test('the processor reads a file under a prefix, and a missing one as nothing, without an error', async () => {
  const p = new EcrEntityLocationProcessor({
    reader: reader({ [`${PREFIX}payments-api.yaml`]: ENTITY, [`${TREE}payments-api.yaml`]: ENTITY }, ['payments-api.yaml', 'other.yaml']),
    prefixes: [new URL(PREFIX)],
  });
  const found = await read(p, `${PREFIX}payments-api.yaml`);
  assert.equal(found.handled, true);
  assert.deepEqual(found.out.map((r) => r.type), ['entity', 'refresh']);
  // The catalog reads a registered blob URL in its tree form.
  const tree = await read(p, `${PREFIX.replace('/blob/', '/tree/')}payments-api.yaml`);
  assert.deepEqual(tree.out.map((r) => r.type), ['entity', 'refresh']);
  const gone = await read(p, `${PREFIX}ledger.yaml`);
  assert.deepEqual(gone, { handled: true, out: [] });
  // An empty directory (the last registry retired) is a listing too.
  const last = new EcrEntityLocationProcessor({ reader: reader({}, []), prefixes: [new URL(PREFIX)] });
  assert.deepEqual(await read(last, `${PREFIX}ledger.yaml`), { handled: true, out: [] });
  assert.equal(p.getPriority() < 20, true, 'before the built-in URL reader');
});

test('a repository or branch that is gone is no retirement: the entity is kept, with an error; the listing is asked once a minute', async () => {
  let now = 0;
  const searches: string[] = [];
  const p = new EcrEntityLocationProcessor({ reader: reader({}, new NotFoundError('repo gone'), searches), prefixes: [new URL(PREFIX)], now: () => now });
  for (const name of ['a.yaml', 'b.yaml']) {
    const r = await read(p, `${PREFIX}${name}`);
    assert.equal(r.handled, true);
    assert.deepEqual(r.out.map((o) => o.type), ['error']);
    assert.match((r.out[0] as { error: Error }).error.message, /could not be listed \(NotFoundError.*the entity is kept/);
  }
  assert.equal(searches.length, 1, 'one listing for the directory within a minute');
  now = 61_000;
  await read(p, `${PREFIX}a.yaml`);
  assert.equal(searches.length, 2);
  assert.equal(searches[0], `${PREFIX}*.yaml`);
  // Not found, yet listed: not taken for retired either.
  const odd = new EcrEntityLocationProcessor({ reader: reader({}, ['a.yaml']), prefixes: [new URL(PREFIX)] });
  assert.match(((await read(odd, `${PREFIX}a.yaml`)).out[0] as { error: Error }).error.message, /directory lists it/);
});

test('the processor leaves every other location to Backstage, and reports other read errors without content', async () => {
  const secret = 'ghp_SECRET_TOKEN';
  const p = new EcrEntityLocationProcessor({
    reader: reader({ [`${PREFIX}denied.yaml`]: new NotAllowedError(`token ${secret} refused`) }),
    prefixes: [new URL(PREFIX)],
  });
  for (const target of [
    'https://github.com/acme/platform-gitops/blob/main/catalog/other.yaml',
    `${PREFIX}nested/x.yaml`,
    `${PREFIX}../../x.yaml`,
    `${PREFIX}%2e%2e/x.yaml`,
    `${PREFIX}x.yaml?ref=evil`,
    `${PREFIX}x.json`,
    // Only the form the reader reads: no dot segments, escapes or blanks (the URL class would
    // normalise them away, the reader would not).
    'https://github.com/acme/other/../platform-gitops/blob/main/catalog/ecr/x.yaml',
    `${PREFIX}%2E%2E/ecr/x.yaml`,
    ` ${PREFIX}x.yaml`,
    `${PREFIX}x.yaml\n`,
    'https://evil.example/acme/platform-gitops/blob/main/catalog/ecr/x.yaml',
    'not a url',
  ]) {
    assert.deepEqual(await read(p, target), { handled: false, out: [] }, target);
  }
  assert.deepEqual(await read(p, `${PREFIX}x.yaml`, 'file'), { handled: false, out: [] });
  // `tree` is read as `blob` in its place only: a repository named `tree` is not another's.
  const treeRepo = new EcrEntityLocationProcessor({ reader: reader({}), prefixes: [new URL('https://github.com/acme/tree/blob/main/catalog/ecr/')] });
  assert.equal(treeRepo.covers('https://github.com/acme/blob/blob/main/catalog/ecr/x.yaml'), false);
  assert.equal(treeRepo.covers('https://github.com/acme/tree/tree/main/catalog/ecr/x.yaml'), true);
  const denied = await read(p, `${PREFIX}denied.yaml`);
  assert.equal(denied.handled, true);
  assert.equal(denied.out[0]?.type, 'error');
  assert.doesNotMatch((denied.out[0] as { error: Error }).error.message, /SECRET/);
});

test('ecrRegistrar.entityLocations: https directories only', () => {
  assert.deepEqual(readEntityLocations(mockServices.rootConfig({ data: {} })), []);
  assert.equal(readEntityLocations(mockServices.rootConfig({ data: { ecrRegistrar: { entityLocations: [PREFIX] } } }))[0]?.href, PREFIX);
  for (const bad of ['http://github.com/a/', `${PREFIX}x.yaml`, 'https://u:p@github.com/a/', 'nope', `${PREFIX}?q=1`]) {
    assert.throws(() => readEntityLocations(mockServices.rootConfig({ data: { ecrRegistrar: { entityLocations: [bad] } } })), /ecrRegistrar\.entityLocations\[0\]/, bad);
  }
});
