// `npm run bench:estate`: the targets of issue 12 (BENCHMARKS.md).
//  1. 4 targets (4 accounts, through STS AssumeRole) x 1,000 repositories with a tag each, against
//     one moto server: `sync` over all four vs each target alone, in the same run; target: all
//     four within 1.3x the slowest single target.
//  2. 100,000 repositories across 10 targets, rendered from saved listings (`--listing`): wall
//     time and peak memory (GNU time's max RSS); target: <= 200 MB.
// Needs: cargo build --release --features aws; pip install moto[server].
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { assumeRole, ecr, startMoto, REGION } from '../tests/aws/emulator.mjs';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/release/ecr-registrar');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-estate-bench-'));
const rows = [];

function repoWith(config) {
  const dir = fs.mkdtempSync(path.join(tmp, 'repo-'));
  fs.writeFileSync(path.join(dir, 'registrar.yaml'), config);
  return dir;
}

// 1. Four accounts against moto.
const moto = await startMoto();
try {
  const accounts = ['111111111111', '222222222222', '333333333333', '444444444444'];
  const envs = ['dev', 'test', 'staging', 'prod'];
  const N = Number(process.env.N ?? 1000);
  for (const a of accounts) {
    const key = await assumeRole(moto.url, `arn:aws:iam::${a}:role/ecr-sync`);
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        await ecr(moto.url, 'CreateRepository', { repositoryName: `svc-${String(i).padStart(4, '0')}`, tags: [{ Key: 'owner', Value: 'app-team' }] }, { key });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }
  const config = `sync:\n  targets:\n${accounts.map((a, i) => `    - { environment: ${envs[i]}, region: ${REGION}, roleArn: "arn:aws:iam::${a}:role/ecr-sync" }\n`).join('')}`;
  const env = { PATH: process.env.PATH, HOME: tmp, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: moto.url, AWS_REGION: REGION };
  const time = async (args) => {
    const t0 = process.hrtime.bigint();
    await run(bin, ['sync', '--repo', repoWith(config), '--now', '2026-11-23T10:00:00Z', '--dry-run', '--format', 'json', ...args], { env, maxBuffer: 1 << 28 });
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  await time([]); // warm-up
  const all = [];
  const single = Object.fromEntries(envs.map((e) => [e, []]));
  for (let round = 0; round < 3; round++) {
    all.push(await time([]));
    for (const e of envs) single[e].push(await time(['--target', e]));
  }
  const slowest = Math.max(...envs.map((e) => median(single[e])));
  // The emulator's own floor: the same ListTagsForResource calls (4 accounts x N), 64 at a time,
  // from this process. One moto server answers them one after another (one Python process).
  const keys = await Promise.all(accounts.map((a) => assumeRole(moto.url, `arn:aws:iam::${a}:role/ecr-sync`)));
  const calls = keys.flatMap((key, k) => Array.from({ length: N }, (_, i) => [key, `arn:aws:ecr:${REGION}:${accounts[k]}:repository/svc-${String(i).padStart(4, '0')}`]));
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < calls.length) {
      const [key, arn] = calls[next++];
      await ecr(moto.url, 'ListTagsForResource', { resourceArn: arn }, { key });
    }
  }));
  const floor = Number(process.hrtime.bigint() - t0) / 1e6;
  rows.push([`moto's floor: the ${4 * N} ListTagsForResource calls alone, 64-way from Node`, `${floor.toFixed(0)} ms`, 'one moto process answers every account']);
  for (const e of envs) rows.push([`one target (${e}) alone, ${N} repositories with tags (median of 3)`, `${median(single[e]).toFixed(0)} ms`, '']);
  rows.push([`all 4 targets, ${4 * N} repositories (median of 3)`, `${median(all).toFixed(0)} ms`, `${(median(all) / slowest).toFixed(2)}x the slowest single target (target <= 1.3x)`]);
} finally {
  moto.stop();
}

// 2. 100,000 repositories across 10 targets, from saved listings.
{
  const T = 10;
  const per = 10_000;
  const envs = Array.from({ length: T }, (_, i) => `env${i}`);
  const config = `environments: [${envs.join(', ')}]\nsync:\n  targets:\n${envs.map((e, i) => `    - { environment: ${e}, region: ${REGION}, account: "${String(100000000000 + i)}" }\n`).join('')}`;
  const args = [];
  for (const [i, e] of envs.entries()) {
    const account = String(100000000000 + i);
    const repositories = Array.from({ length: per }, (_, j) => {
      const name = `service-${String(j).padStart(6, '0')}`;
      return { repositoryName: name, registryId: account, repositoryArn: `arn:aws:ecr:${REGION}:${account}:repository/${name}`, tags: [{ Key: 'owner', Value: 'app-team' }] };
    });
    const f = path.join(tmp, `${e}.json`);
    fs.writeFileSync(f, JSON.stringify({ repositories }));
    args.push('--listing', `${e}=${f}`);
  }
  const times = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = await run('/usr/bin/time', ['-f', '%M', bin, 'sync', '--repo', repoWith(config), '--now', '2026-11-23T10:00:00Z', '--format', 'json', ...args], { maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    rss = Math.max(rss, Number(r.stderr.trim().split('\n').pop()));
  }
  rows.push([`${(T * per).toLocaleString('en')} repositories across ${T} targets, rendered (median of 3)`, `${median(times).toFixed(0)} ms`, `peak RSS ${(rss / 1024).toFixed(0)} MB (target <= 200 MB)`]);
}

console.log('| measurement | result | note |\n| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
