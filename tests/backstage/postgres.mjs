// Debian's PostgreSQL on 127.0.0.1 for the Backstage backend test: a throwaway cluster in a temp
// directory (trust auth, a free port), run as the `postgres` user when the test runs as root
// (PostgreSQL refuses to run as root). `stop()` shuts it down and removes it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../aws/emulator.mjs';

/** The directory of initdb and pg_ctl: PATH, else Debian's newest /usr/lib/postgresql/N/bin. */
function binDir() {
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs.readdirSync(debian).filter((v) => fs.existsSync(path.join(debian, v, 'bin/initdb')));
    versions.sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(debian, versions[0], 'bin');
  }
  throw new Error('PostgreSQL is not installed (scripts/setup.sh installs Debian\'s postgresql)');
}

export async function startPostgres() {
  const bin = binDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-pg-'));
  const root = process.getuid?.() === 0;
  const as = (cmd, args) => (root ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) : execFileSync(cmd, args, { stdio: 'pipe' }));
  if (root) execFileSync('chown', ['postgres', dir]);
  const port = await freePort();
  const data = path.join(dir, 'data');
  as(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  as(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=200`, 'start']);
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    stop() {
      try {
        as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
