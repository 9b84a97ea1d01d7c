// `npm run bench:sync`: the sync targets of issue 4 (BENCHMARKS.md).
//  1. render 1,000 / 10,000 / 100,000 repositories through the release CLI (`sync --from-json`):
//     wall time and peak memory (GNU time's max RSS) per size;
//  2. against the local emulator (moto server, 1,200 repositories with an owner tag each), side by
//     side in one run: `aws ecr describe-repositories` (PyPI awscli) vs `sync --no-tags`, and
//     `sync` with tags vs the emulator's floor: the same 1,200 ListTagsForResource calls made by a
//     16-way concurrent client in this process.
// Needs: cargo build --release --features aws; pip install awscli moto[server].
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRepositories, ecr, startMoto, REGION } from '../tests/aws/emulator.mjs';
import { median, releaseBin } from './lib.mjs';

const run = promisify(execFile);
const bin = releaseBin;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-bench-'));
const rows = [];

function listing(n) {
  const repos = [];
  let catalog = 'repositories:\n';
  for (let i = 0; i < n; i++) {
    const name = `service-${String(i).padStart(6, '0')}`;
    repos.push({ repositoryArn: `arn:aws:ecr:${REGION}:123456789012:repository/${name}`, registryId: '123456789012', repositoryName: name, repositoryUri: `123456789012.dkr.ecr.${REGION}.amazonaws.com/${name}`, imageTagMutability: 'MUTABLE', tags: [{ Key: 'owner', Value: 'app-team' }] });
    if (i % 2 === 0) catalog += `  ${name}:\n    metadata:\n      id: REGISTRY_${name.toUpperCase().replaceAll('-', '_')}\n      owner: platform-team\n      environment: dev\n      risk: low\n`;
  }
  return { json: JSON.stringify({ repositories: repos }), catalog };
}

// 1. Render at three sizes (release CLI, whole process: read, parse, render, compare, write).
for (const n of [1_000, 10_000, 100_000]) {
  const { json, catalog } = listing(n);
  const file = path.join(tmp, `listing-${n}.json`);
  fs.writeFileSync(file, json);
  const times = [];
  let rss = 0;
  // One warm-up run (page cache), then five measured ones; GNU time reports on stderr.
  execFileSync(bin, ['sync', '--repo', fs.mkdtempSync(path.join(tmp, 'warm-')), '--from-json', file, '--now', '2026-11-21T18:00:00Z'], { stdio: 'ignore' });
  for (let i = 0; i < 5; i++) {
    const repo = fs.mkdtempSync(path.join(tmp, 'repo-'));
    fs.mkdirSync(path.join(repo, 'docs/20-contracts/resource-catalogs'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml'), catalog);
    const t0 = process.hrtime.bigint();
    const r = await run('/usr/bin/time', ['-f', '%M', bin, 'sync', '--repo', repo, '--from-json', file, '--now', '2026-11-21T18:00:00Z', '--format', 'json'], { maxBuffer: 1 << 28 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const kb = Number(r.stderr.trim().split('\n').pop());
    rss = Math.max(rss, kb);
  }
  rows.push([`sync --from-json, ${n.toLocaleString('en')} repositories (process wall, median of 5)`, `${median(times).toFixed(0)} ms`, `peak RSS ${(rss / 1024).toFixed(0)} MB`]);
}

// 2. Against moto.
const moto = await startMoto();
const N = 1200;
const names = Array.from({ length: N }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
await createRepositories(moto.url, names, () => [{ Key: 'owner', Value: 'app-team' }]);
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: REGION, AWS_DEFAULT_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true' };
async function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = await run(cmd, args, { env, maxBuffer: 1 << 28 });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout: r.stdout };
}
const repo = fs.mkdtempSync(path.join(tmp, 'moto-'));
const awsTimes = [];
const bareTimes = [];
const tagTimes = [];
const floorTimes = [];
const arns = (await ecr(moto.url, 'DescribeRepositories', {})).repositories.map((r) => r.repositoryArn);
for (let i = 0; i < 5; i++) {
  const a = await timed('aws', ['ecr', 'describe-repositories', '--endpoint-url', moto.url, '--output', 'json']);
  if (JSON.parse(a.stdout).repositories.length !== N) throw new Error('aws CLI listing incomplete');
  awsTimes.push(a.ms);
  const b = await timed(bin, ['sync', '--repo', repo, '--endpoint-url', moto.url, '--no-tags', '--dry-run', '--format', 'json']);
  if (JSON.parse(b.stdout).report.repoCount !== N) throw new Error('sync listing incomplete');
  bareTimes.push(b.ms);
  tagTimes.push((await timed(bin, ['sync', '--repo', repo, '--endpoint-url', moto.url, '--dry-run'])).ms);
  // The floor: 1,200 tag calls, 16 at a time, from this process.
  const t0 = process.hrtime.bigint();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < arns.length) await ecr(moto.url, 'ListTagsForResource', { resourceArn: arns[next++] });
  }));
  floorTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
moto.stop();
const aws = median(awsTimes);
const bare = median(bareTimes);
const tags = median(tagTimes);
const floor = median(floorTimes);
rows.push(['aws ecr describe-repositories, 1,200 (moto)', `${aws.toFixed(0)} ms`, '']);
rows.push(['sync --no-tags, 1,200 (moto)', `${bare.toFixed(0)} ms`, `${(bare / aws).toFixed(2)}× the AWS CLI (target ≤ 0.33×): ${bare / aws <= 1 / 3 ? 'met' : 'MISSED'}`]);
rows.push(['16-way client, 1,200 ListTagsForResource (moto floor)', `${floor.toFixed(0)} ms`, '']);
rows.push(['sync with tags, 1,200 (moto)', `${tags.toFixed(0)} ms`, `${(tags / floor).toFixed(2)}× the floor (target ≤ 1.25×): ${tags / floor <= 1.25 ? 'met' : 'MISSED'}`]);
for (const [what, value, note] of rows) console.log(`${what.padEnd(72)} ${value.padStart(9)}  ${note}`);
fs.rmSync(tmp, { recursive: true, force: true });
