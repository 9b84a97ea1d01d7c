// Start the minimal real backend (backend.mjs, with or without this package's module)
// in a consumer directory that has the packed tarball installed: app-config.yaml written here
// (127.0.0.1, the given PostgreSQL, default auth policy off), bounded in time, stopped by `stop()`.
// Used by tests/node/backstage.test.mjs and benches/backend.bench.mjs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../aws/emulator.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * `ready(base, log)` says when the backend is up (default: the scaffolder lists its actions).
 * `rules`: the catalog's `catalog.rules` (the kinds registered locations may hold); `config`: more
 * top-level app-config (e.g. `{integrations: {github: [...]}}`), written as JSON.
 * `args`: more arguments of backend.mjs (`--with-ecr-catalog`, `--with-ecr-actions`, `--with-mcp`); `extraConfig`: YAML
 * of a second config file, which Backstage merges over the first; `env`: more environment.
 * Resolves `{base, pid, ms, log(), stop()}`, `ms` from spawn to ready.
 */
export async function startBackend({ consumer, pg, module = true, prefix = 'backstage_plugin_', locations = [], rules, config: more = {}, waitMs = 120_000, ready, args = [], extraConfig, env = {} }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  fs.copyFileSync(path.join(here, 'backend.mjs'), path.join(consumer, 'backend.mjs'));
  const config = path.join(consumer, `app-config.${port}.yaml`);
  const catalogLocations = locations.map((l) => ({ type: 'file', target: l, rules: [{ allow: ['Template', 'Resource', 'System', 'Domain', 'Location'] }] }));
  fs.writeFileSync(
    config,
    `app: { baseUrl: 'http://127.0.0.1:3000' }
backend:
  baseUrl: ${base}
  listen: { host: 127.0.0.1, port: ${port} }
  database: { client: pg, prefix: ${prefix}, connection: { host: 127.0.0.1, port: ${pg.port}, user: postgres, password: unused } }
  auth: { dangerouslyDisableDefaultAuthPolicy: true }
catalog: { locations: ${JSON.stringify(catalogLocations)}${rules ? `, rules: ${JSON.stringify(rules)}` : ''} }
${Object.entries(more).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n')}
`,
  );
  const configs = ['--config', config];
  if (extraConfig) {
    const extra = path.join(consumer, `app-config.${port}.extra.yaml`);
    fs.writeFileSync(extra, extraConfig);
    configs.push('--config', extra);
  }
  const t0 = performance.now();
  const child = spawn(process.execPath, ['backend.mjs', ...configs, ...(module ? [] : ['--without-ecr-registrar']), ...args], {
    cwd: consumer,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0', NO_COLOR: '1', ...env },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const isReady = ready ?? (async (b) => (await fetch(`${b}/api/scaffolder/v2/actions`)).ok);
  const deadline = Date.now() + waitMs;
  const tail = () => log.split('\n').filter((l) => !l.includes('rootHttpRouter')).slice(-40).join('\n');
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the backend exited (${child.exitCode}):\n${tail()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the backend was not ready in ${waitMs / 1000} s:\n${tail()}`);
    }
    try {
      if (await isReady(base, log)) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, pid: child.pid, ms: performance.now() - t0, log: () => log, stop };
}
