// The README's install in a Backstage app's Yarn 4 workspaces, with the real Yarn (the npm package
// @yarnpkg/cli-dist): the packed tarball kept in the app (`vendor/`) and added to packages/backend
// and packages/app by a path relative to each. Nothing absolute lands in the package.json files or
// yarn.lock; a copy of the app's tracked files at another path installs with `yarn install
// --immutable`; the backend image's install (the app's Dockerfile: the skeleton's package.json
// files, `yarn workspaces focus --all --production`) finds the tarball once vendor/ is copied, and
// not without; the README's upgrade installs the new version. The package's dependencies (`yaml`,
// the AWS SDK's clients and theirs) come from a registry on 127.0.0.1 serving the project's own
// copies (no network).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { root } from './helpers.mjs';

const YARN = path.join(root, 'node_modules/@yarnpkg/cli-dist/bin/yarn.js');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const TARBALL = `ecr-registrar-${pkg.version}.tgz`;
let dir;
let registry;

/** Every package folder under the project's node_modules (nested ones too), by name and version. */
function indexModules() {
  const index = new Map();
  const add = (dir) => {
    let manifest;
    try {
      manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {
      return;
    }
    if (!manifest.name || !manifest.version) return;
    if (!index.has(manifest.name)) index.set(manifest.name, new Map());
    const versions = index.get(manifest.name);
    if (!versions.has(manifest.version)) versions.set(manifest.version, { dir, manifest });
    walk(path.join(dir, 'node_modules'));
  };
  const walk = (modules) => {
    let entries;
    try {
      entries = fs.readdirSync(modules, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      if (!e.name.startsWith('@')) add(path.join(modules, e.name));
      else for (const s of fs.readdirSync(path.join(modules, e.name), { withFileTypes: true })) if (s.isDirectory()) add(path.join(modules, e.name, s.name));
    }
  };
  walk(path.join(root, 'node_modules'));
  return index;
}

/**
 * An npm registry on 127.0.0.1 serving the project's own copies of the package's dependencies
 * (`yaml`, the AWS SDK's ECR and STS clients and all of theirs): every version under node_modules,
 * each folder packed on first request (no network).
 */
async function startRegistry() {
  const index = indexModules();
  const packed = new Map();
  const pack = (name, version, folder) => {
    const key = `${name}@${version}`;
    if (!packed.has(key)) {
      const file = path.join(fs.mkdtempSync(path.join(dirOf(), 'tgz-')), 'package.tgz');
      execFileSync('tar', ['-czf', file, '--exclude=./node_modules', '--transform=s,^\\.,package,', '-C', folder, '.']);
      const bytes = fs.readFileSync(file);
      packed.set(key, { bytes, shasum: crypto.createHash('sha1').update(bytes).digest('hex'), integrity: `sha512-${crypto.createHash('sha512').update(bytes).digest('base64')}` });
    }
    return packed.get(key);
  };
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    const base = `http://127.0.0.1:${server.address().port}`;
    const url = decodeURIComponent(req.url);
    const tarball = url.match(/^\/-\/tgz\/(.+)\/([^/]+)\.tgz$/);
    if (tarball) {
      const found = index.get(tarball[1])?.get(tarball[2]);
      if (found) return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(pack(tarball[1], tarball[2], found.dir).bytes);
    }
    const versions = index.get(url.slice(1));
    if (versions) {
      const body = { name: url.slice(1), 'dist-tags': { latest: [...versions.keys()].at(-1) }, versions: {}, time: {} };
      for (const [version, { dir, manifest }] of versions) {
        const { scripts: _s, devDependencies: _d, ...rest } = manifest;
        const { shasum, integrity } = pack(url.slice(1), version, dir);
        body.versions[version] = { ...rest, dist: { tarball: `${base}/-/tgz/${encodeURIComponent(url.slice(1))}/${version}.tgz`, shasum, integrity } };
        body.time[version] = '2025-01-01T00:00:00.000Z';
      }
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

const dirOf = () => dir;

/**
 * Run Yarn in `cwd` with its caches under `home` (a fresh one: nothing comes from an earlier
 * install). Asynchronous: the registry answering it runs in this process.
 */
function yarn(cwd, args, home = fs.mkdtempSync(path.join(dir, 'home-'))) {
  const child = spawn(process.execPath, [YARN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: home, YARN_GLOBAL_FOLDER: path.join(home, 'yarn'), YARN_CACHE_FOLDER: path.join(home, 'cache'), YARN_ENABLE_GLOBAL_CACHE: 'false', YARN_ENABLE_TELEMETRY: '0', YARN_ENABLE_PROGRESS_BARS: '0', YARN_ENABLE_IMMUTABLE_INSTALLS: 'false' },
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.on('close', (status) => (clearTimeout(timer), resolve({ status, out }))));
}

async function ok(cwd, args) {
  const r = await yarn(cwd, args);
  assert.equal(r.status, 0, `yarn ${args.join(' ')} in ${cwd}:\n${r.out}`);
  return r.out;
}

/** The files a clone of the app has (git tracks them; node_modules and caches it does not). */
const TRACKED = ['package.json', 'yarn.lock', '.yarnrc.yml', 'packages/backend/package.json', 'packages/app/package.json'];

function cloneTo(from, to, extra = []) {
  for (const f of [...TRACKED, ...extra]) {
    fs.mkdirSync(path.dirname(path.join(to, f)), { recursive: true });
    fs.cpSync(path.join(from, f), path.join(to, f), { recursive: true });
  }
  return to;
}

/** The version of ecr-registrar Node resolves from a workspace. */
function resolvedVersion(app, workspace) {
  let d = path.dirname(execFileSync(process.execPath, ['-p', "require.resolve('ecr-registrar')"], { cwd: path.join(app, workspace), encoding: 'utf8' }).trim());
  while (!fs.existsSync(path.join(d, 'package.json')) || JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).name !== 'ecr-registrar') {
    assert.notEqual(d, path.dirname(d), 'no package.json of ecr-registrar above its entry');
    d = path.dirname(d);
  }
  assert.ok(d.startsWith(app), `${workspace} resolves the app's own copy (${d})`);
  return JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')).version;
}

/** The README's install commands (the shell block of its Install section), for `version`. */
function readmeCommands(version) {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('\n## ', readme.indexOf('## Install') + 1));
  const lines = install.split('\n').filter((l) => /^yarn --cwd packages\/(backend|app) add /.test(l));
  assert.ok(lines.length >= 2, 'the README adds the package to the backend and the app');
  return lines.map((l) => l.replace(/#.*$/, '').trim().replaceAll(pkg.version, version).split(/\s+/).slice(1));
}

before(async () => {
  fs.mkdirSync(path.join(root, 'target'), { recursive: true });
  dir = fs.mkdtempSync(path.join(root, 'target', 'install-'));
  registry = await startRegistry();
});

after(async () => {
  await registry?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A Backstage app's workspace layout (what `npx @backstage/create-app` makes, but for the plugins). */
async function newApp(at) {
  fs.mkdirSync(path.join(at, 'packages/backend'), { recursive: true });
  fs.mkdirSync(path.join(at, 'packages/app'), { recursive: true });
  fs.writeFileSync(path.join(at, 'package.json'), JSON.stringify({ name: 'root', version: '1.0.0', private: true, workspaces: { packages: ['packages/*', 'plugins/*'] } }, null, 2));
  fs.writeFileSync(path.join(at, 'packages/backend/package.json'), JSON.stringify({ name: 'backend', version: '0.0.0', private: true, dependencies: { app: 'link:../app' } }, null, 2));
  fs.writeFileSync(path.join(at, 'packages/app/package.json'), JSON.stringify({ name: 'app', version: '0.0.0', private: true }, null, 2));
  // create-app's .yarnrc.yml, with this test's registry.
  fs.writeFileSync(
    path.join(at, '.yarnrc.yml'),
    `nodeLinker: node-modules\nnpmMinimalAgeGate: 3d\nnpmPreapprovedPackages:\n  - '@backstage/*'\nnpmRegistryServer: "${registry.url}"\nunsafeHttpWhitelist:\n  - 127.0.0.1\n`,
  );
  // An app has its own yarn.lock (create-app runs the first install): the project root, whose
  // package.json is above this directory, is not its project.
  fs.writeFileSync(path.join(at, 'yarn.lock'), '');
  await ok(at, ['install']);
  return at;
}

let tarball;
let installed;

/** The packed tarball (npm pack, once), or a copy whose package.json says `version` (a later release). */
function packed(version) {
  if (!tarball) {
    const out = fs.mkdtempSync(path.join(dir, 'pack-'));
    const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    tarball = path.join(out, info.filename);
  }
  if (!version) return tarball;
  const out = fs.mkdtempSync(path.join(dir, 'repack-'));
  execFileSync('tar', ['-xzf', tarball, '-C', out]);
  const manifest = path.join(out, 'package/package.json');
  fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace(`"version": "${pkg.version}"`, `"version": "${version}"`));
  const file = path.join(out, `ecr-registrar-${version}.tgz`);
  execFileSync('tar', ['-czf', file, '-C', out, 'package']);
  return file;
}

test('the README’s install: a relative path in vendor/, nothing absolute, a clone elsewhere installs --immutable, the Dockerfile’s install finds it', async () => {
  const app = await newApp(path.join(dir, 'first/backstage-app'));
  installed = app;
  fs.mkdirSync(path.join(app, 'vendor'));
  fs.copyFileSync(packed(), path.join(app, 'vendor', TARBALL));
  for (const args of readmeCommands(pkg.version)) await ok(app, args);
  for (const ws of ['backend', 'app']) {
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'packages', ws, 'package.json'), 'utf8'));
    assert.equal(manifest.dependencies['ecr-registrar'], `file:../../vendor/${TARBALL}`, ws);
    assert.equal(resolvedVersion(app, `packages/${ws}`), pkg.version, ws);
  }
  // No path of this machine in what is committed.
  for (const f of TRACKED) {
    const text = fs.readFileSync(path.join(app, f), 'utf8');
    for (const absolute of [app, dir, root, '/tmp/', 'file:/']) assert.ok(!text.includes(absolute), `${f} holds ${absolute}`);
  }
  assert.ok(registry.requests.some((u) => u.startsWith('/yaml')), 'yaml came from the test registry');

  // A teammate's clone, at another path and depth, with fresh caches.
  const clone = cloneTo(app, path.join(dir, 'elsewhere/a/b/their-app'), ['vendor']);
  await ok(clone, ['install', '--immutable']);
  for (const ws of ['backend', 'app']) assert.equal(resolvedVersion(clone, `packages/${ws}`), pkg.version, ws);

  // The backend image: the Dockerfile copies .yarnrc.yml, yarn.lock, package.json and the
  // skeleton (the package.json files the backend needs), then `yarn workspaces focus --all
  // --production`. With `COPY vendor ./vendor` (the README's line) it installs the package ...
  const image = cloneTo(app, path.join(dir, 'image/app'), ['vendor']);
  await ok(image, ['workspaces', 'focus', '--all', '--production']);
  assert.equal(resolvedVersion(image, 'packages/backend'), pkg.version);
  // ... and without it the build stops.
  const without = cloneTo(app, path.join(dir, 'image-without-vendor/app'));
  const failed = await yarn(without, ['workspaces', 'focus', '--all', '--production']);
  assert.notEqual(failed.status, 0, failed.out);
  assert.match(failed.out, new RegExp(`vendor/${TARBALL.replaceAll('.', '\\.')}`));

  // A tarball replaced in place under the same name no longer matches yarn.lock's checksum.
  const swapped = cloneTo(app, path.join(dir, 'swapped/app'), ['vendor']);
  fs.copyFileSync(packed('0.0.0-swapped'), path.join(swapped, 'vendor', TARBALL));
  assert.notEqual((await yarn(swapped, ['install', '--immutable'])).status, 0, 'an --immutable install refuses a changed tarball');
});

test('the README’s upgrade: the new tarball beside the old, added the same way, the old removed; a clone installs the new version --immutable', async () => {
  // The app the install test made (the tests run in order).
  assert.ok(installed, 'the install test ran first');
  const app = installed;
  const next = '99.0.0';
  fs.copyFileSync(packed(next), path.join(app, 'vendor', `ecr-registrar-${next}.tgz`));
  for (const args of readmeCommands(next)) await ok(app, args);
  fs.rmSync(path.join(app, 'vendor', TARBALL));
  const clone = cloneTo(app, path.join(dir, 'upgrade-clone/app'), ['vendor']);
  await ok(clone, ['install', '--immutable']);
  for (const ws of ['backend', 'app']) assert.equal(resolvedVersion(clone, `packages/${ws}`), next, ws);
  assert.ok(!fs.readFileSync(path.join(clone, 'yarn.lock'), 'utf8').includes(TARBALL), 'the old tarball is gone from yarn.lock');
});
