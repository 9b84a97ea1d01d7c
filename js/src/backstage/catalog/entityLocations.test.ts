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

function reader(files: Record<string, string | Error>): UrlReaderService {
  return {
    readUrl: async (url: string) => {
      const f = files[url];
      if (f === undefined) throw new NotFoundError(`${url} not found`);
      if (f instanceof Error) throw f;
      return { buffer: async () => Buffer.from(f), stream: () => assert.fail(), etag: 'x' } as never;
    },
    readTree: async () => assert.fail('no tree'),
    search: async () => assert.fail('no search'),
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
  const p = new EcrEntityLocationProcessor({ reader: reader({ [`${PREFIX}payments-api.yaml`]: ENTITY, [`${TREE}payments-api.yaml`]: ENTITY }), prefixes: [new URL(PREFIX)] });
  const found = await read(p, `${PREFIX}payments-api.yaml`);
  assert.equal(found.handled, true);
  assert.deepEqual(found.out.map((r) => r.type), ['entity', 'refresh']);
  // The catalog reads a registered blob URL in its tree form.
  const tree = await read(p, `${PREFIX.replace('/blob/', '/tree/')}payments-api.yaml`);
  assert.deepEqual(tree.out.map((r) => r.type), ['entity', 'refresh']);
  const gone = await read(p, `${PREFIX}ledger.yaml`);
  assert.deepEqual(gone, { handled: true, out: [] });
  assert.equal(p.getPriority() < 20, true, 'before the built-in URL reader');
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
    'https://evil.example/acme/platform-gitops/blob/main/catalog/ecr/x.yaml',
    'not a url',
  ]) {
    assert.deepEqual(await read(p, target), { handled: false, out: [] }, target);
  }
  assert.deepEqual(await read(p, `${PREFIX}x.yaml`, 'file'), { handled: false, out: [] });
  const denied = await read(p, `${PREFIX}denied.yaml`);
  assert.equal(denied.handled, true);
  assert.equal(denied.out[0]?.type, 'error');
  assert.doesNotMatch(JSON.stringify(denied.out), /SECRET/);
});

test('ecrRegistrar.entityLocations: https directories only', () => {
  assert.deepEqual(readEntityLocations(mockServices.rootConfig({ data: {} })), []);
  assert.equal(readEntityLocations(mockServices.rootConfig({ data: { ecrRegistrar: { entityLocations: [PREFIX] } } }))[0]?.href, PREFIX);
  for (const bad of ['http://github.com/a/', `${PREFIX}x.yaml`, 'https://u:p@github.com/a/', 'nope', `${PREFIX}?q=1`]) {
    assert.throws(() => readEntityLocations(mockServices.rootConfig({ data: { ecrRegistrar: { entityLocations: [bad] } } })), /ecrRegistrar\.entityLocations\[0\]/, bad);
  }
});
