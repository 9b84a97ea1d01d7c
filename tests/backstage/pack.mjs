// `npm pack` the project and install the tarball as an app would (tests and benchmarks; no test
// framework here, so benchmarks can import it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * `npm pack` the project and unpack the tarball into `<dir>/consumer/node_modules/ecr-registrar`,
 * `dir` a fresh folder under target/ so that the peers (Backstage, React) resolve from the
 * project's node_modules, as an app's own would. `{consumer, files, remove}`.
 */
export function installPacked(prefix) {
  const out = fs.mkdtempSync(path.join(root, 'target', prefix));
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const consumer = path.join(out, 'consumer');
  const pkg = path.join(consumer, 'node_modules', 'ecr-registrar');
  fs.mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(out, info.filename), '-C', pkg, '--strip-components=1']);
  // Its own package.json: without one, Node would take the project's as the nearest and resolve
  // `ecr-registrar/...` to the project itself (a package may import its own name), not the tarball.
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  return { consumer, files: info.files.map((f) => f.path), remove: () => fs.rmSync(out, { recursive: true, force: true }) };
}
