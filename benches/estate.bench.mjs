// `npm run bench:estate`: the targets of issue 12 (BENCHMARKS.md).
//  1. 4 targets (4 accounts, through STS AssumeRole) x 1,000 repositories with a tag each, against
//     moto: `sync` over all four vs each target alone, in the same run; target: all four within
//     1.3x the slowest single target. Measured twice:
//     a. through the proxy of tests/aws/emulator.mjs throttling each account and region on its own
//        at RATE requests/s (default 50), as AWS's per-account token buckets do: what bounds one
//        account's listing in AWS, and what several accounts do not share;
//     b. straight against moto, unthrottled: then every account is answered by the same single
//        Python process, and the run is bound by that process (its floor is measured too).
//  2. 100,000 repositories across 10 targets, rendered from saved listings (`--listing`): wall
//     time and peak memory (GNU time's max RSS); target: <= 200 MB.
// Needs: cargo build --release --features aws; pip install moto[server]. ROUNDS (default 3), N.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { assumeRole, ecr, startMoto, startProxy, REGION } from '../tests/aws/emulator.mjs';
import { median, releaseBin } from './lib.mjs';

const run = promisify(execFile);
const bin = releaseBin;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-estate-bench-'));
const rows = [];
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function repoWith(config) {
  const dir = fs.mkdtempSync(path.join(tmp, 'repo-'));
  fs.writeFileSync(path.join(dir, 'registrar.yaml'), config);
  return dir;
}

// 1. Four accounts against moto.
const moto = await startMoto();
const proxy = await startProxy(moto.url);
try {
  const accounts = ['111111111111', '222222222222', '333333333333', '444444444444'];
  const envs = ['dev', 'test', 'staging', 'prod'];
  const N = Number(process.env.N ?? 1000);
  const RATE = Number(process.env.RATE ?? 50);
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
  const env = { PATH: process.env.PATH, HOME: tmp, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: REGION };
  const time = async (endpoint, args) => {
    const t0 = process.hrtime.bigint();
    const r = await run(bin, ['sync', '--repo', repoWith(config), '--now', '2026-11-23T10:00:00Z', '--dry-run', '--format', 'json', ...args], { env: { ...env, AWS_ENDPOINT_URL: endpoint }, maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const report = JSON.parse(r.stdout);
    const listed = report.targets.reduce((n, t) => n + t.repoCount, 0);
    if (listed !== N * (args.length ? 1 : 4)) throw new Error(`listed ${listed} repositories`);
    return ms;
  };
  const compare = async (label, endpoint) => {
    await time(endpoint, []); // warm-up
    const all = [];
    const single = Object.fromEntries(envs.map((e) => [e, []]));
    for (let round = 0; round < ROUNDS; round++) {
      all.push(await time(endpoint, []));
      for (const e of envs) single[e].push(await time(endpoint, ['--target', e]));
    }
    const slowest = Math.max(...envs.map((e) => median(single[e])));
    rows.push([`${label}: one target alone, dev / test / staging / prod (median of ${ROUNDS})`, envs.map((e) => `${median(single[e]).toFixed(0)}`).join(' / ') + ' ms', '']);
    rows.push([`${label}: all 4 targets, ${4 * N} repositories (median of ${ROUNDS})`, `${median(all).toFixed(0)} ms`, `**${(median(all) / slowest).toFixed(2)}x** the slowest single target (target <= 1.3x)`]);
  };

  proxy.state.rate = { perSecond: RATE, burst: RATE };
  await compare(`a. each account throttled at ${RATE} req/s`, proxy.url);
  const throttled = Object.values(proxy.state.throttled).reduce((a, b) => a + b, 0);
  rows.push([`a. ThrottlingException answers over all runs of (a)`, `${throttled}`, 'each retried by the SDK (standard mode, 8 attempts); no run failed']);
  proxy.state.rate = null;

  await compare('b. one moto, unthrottled', moto.url);
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
  rows.push([`b. moto's floor: the ${4 * N} ListTagsForResource calls alone, 64-way from Node`, `${floor.toFixed(0)} ms`, 'one moto process answers every account']);
} finally {
  await proxy.stop();
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
