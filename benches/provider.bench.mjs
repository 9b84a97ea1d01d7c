// `npm run bench:provider`: one run of the entity provider (`ecr-registrar/catalog`, issue 25) over
// N repositories (default 10,000) across T targets (default 4 accounts through STS AssumeRole, a
// tag on each repository), against moto behind the counting proxy of tests/aws/emulator.mjs: wall
// time, the Node process's peak RSS and heap, and the AWS API calls per operation. Then the same
// run taken apart: the listing alone, the core's renderEstate alone, the YAML parse alone. The
// catalog's side (applyMutation into a real catalog, then processing and stitching) is not in it:
// each provider is connected to a connection that records the entities it is given.
// Needs: npm run build; pip install moto[server]. N, T, ROUNDS (default 3).
import { parseAllDocuments } from 'yaml';
import { assumeRole, ecr, startMoto, startProxy, REGION } from '../tests/aws/emulator.mjs';
import { EcrCatalogProviders, listTarget, readCatalogSettings } from '../js/dist/backstage/catalog/index.js';
import * as core from '../js/dist/core.js';
import { ConfigReader } from '@backstage/config';
import { median } from './lib.mjs';

const N = Number(process.env.N ?? 10_000);
const T = Number(process.env.T ?? 4);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const envs = ['dev', 'test', 'staging', 'prod', ...Array.from({ length: Math.max(0, T - 4) }, (_, i) => `env${i}`)].slice(0, T);
const accounts = envs.map((_, i) => String(111111111111 * (i + 1)).padStart(12, '1').slice(0, 12));
const rows = [];

const moto = await startMoto();
const proxy = await startProxy(moto.url);
process.env.AWS_ACCESS_KEY_ID = 'testing';
process.env.AWS_SECRET_ACCESS_KEY = 'testing';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
try {
  const setup0 = performance.now();
  for (const [t, a] of accounts.entries()) {
    const key = await assumeRole(moto.url, `arn:aws:iam::${a}:role/ecr-sync`);
    const per = Math.floor(N / T) + (t < N % T ? 1 : 0);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < per) {
          const i = next++;
          await ecr(moto.url, 'CreateRepository', { repositoryName: `svc-${String(i).padStart(5, '0')}`, tags: [{ Key: 'owner', Value: 'app-team' }] }, { key });
        }
      }),
    );
  }
  console.error(`created ${N} repositories in ${T} accounts in ${((performance.now() - setup0) / 1000).toFixed(0)} s`);

  const targets = envs.map((environment, i) => ({ environment, region: REGION, roleArn: `arn:aws:iam::${accounts[i]}:role/ecr-sync` }));
  const settings = readCatalogSettings(
    new ConfigReader({ ecrRegistrar: { catalog: { targets, endpoint: proxy.url, settings: { environments: envs } } } }),
  );
  const providers = new EcrCatalogProviders(settings);
  const applied = new Map();
  for (const p of providers.all()) {
    await p.connect({ applyMutation: async (m) => applied.set(p.getProviderName(), m.entities.length), refresh: async () => {} });
  }
  const logger = { info() {}, warn: (m) => console.error(m), error: (m) => console.error(m), debug() {}, child: () => logger };
  const urlReader = {};

  /** Time `f` while sampling this process's RSS and heap every 20 ms. */
  const measured = async (f) => {
    global.gc?.();
    const base = process.memoryUsage();
    let rss = base.rss;
    let heap = base.heapUsed;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      rss = Math.max(rss, m.rss);
      heap = Math.max(heap, m.heapUsed);
    }, 20);
    const t0 = performance.now();
    const out = await f();
    const ms = performance.now() - t0;
    clearInterval(timer);
    const m = process.memoryUsage();
    return { out, ms, rss: Math.max(rss, m.rss), heap: Math.max(heap, m.heapUsed), baseRss: base.rss };
  };

  const runs = [];
  let calls;
  for (let round = 0; round < ROUNDS + 1; round++) {
    proxy.state.calls = {};
    const r = await measured(() => providers.run({ logger, urlReader }));
    if (r.out.failed.length) throw new Error(`failed targets: ${JSON.stringify(r.out.failed)}`);
    const entities = [...applied.values()].reduce((a, b) => a + b, 0);
    if (entities !== N + T + 2) throw new Error(`applied ${entities} entities`);
    if (round > 0) runs.push(r); // the first is the warm-up (module load, SDK clients)
    calls = { ...proxy.state.calls };
  }
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  rows.push([
    `one provider run: ${N.toLocaleString('en')} repositories, ${T} targets (accounts, AssumeRole), tags (median of ${ROUNDS})`,
    `**${(median(runs.map((r) => r.ms)) / 1000).toFixed(1)} s**`,
    `${(N + T + 2).toLocaleString('en')} entities applied in ${T + 1} full mutations`,
  ]);
  rows.push([
    'peak memory of the Node process during a run (sampled every 20 ms)',
    `RSS ${(Math.max(...runs.map((r) => r.rss)) / 2 ** 20).toFixed(0)} MB`,
    `from ${(runs[0].baseRss / 2 ** 20).toFixed(0)} MB before the run; heap peak ${(Math.max(...runs.map((r) => r.heap)) / 2 ** 20).toFixed(0)} MB`,
  ]);
  rows.push([
    'AWS API calls per run',
    `${total.toLocaleString('en')}`,
    Object.entries(calls).map(([op, n]) => `${op} ${n.toLocaleString('en')}`).join(', '),
  ]);

  // The parts: listing, rendering, parsing.
  const list = await measured(() => Promise.all(targets.map((t) => listTarget(t, { endpoint: proxy.url }))));
  const listings = list.out;
  const render = await measured(async () => core.renderEstate(listings, null, '2026-12-07T10:00:00Z', settings.config));
  const parse = await measured(async () => render.out.files.map((f) => parseAllDocuments(f.text).length));
  const bytes = listings.reduce((n, l) => n + l.length, 0);
  rows.push([`the listing alone (${T} targets at once, through the proxy)`, `${(list.ms / 1000).toFixed(1)} s`, `${(bytes / 2 ** 20).toFixed(1)} MB of DescribeRepositories JSON`]);
  rows.push(['the core\'s renderEstate alone (WebAssembly)', `${render.ms.toFixed(0)} ms`, `${(render.out.files.reduce((n, f) => n + f.text.length, 0) / 2 ** 20).toFixed(1)} MB of entity YAML`]);
  rows.push(['parsing the entities (yaml parseAllDocuments)', `${parse.ms.toFixed(0)} ms`, '']);
} finally {
  await proxy.stop();
  moto.stop();
}

console.log('| measurement | result | note |\n| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
