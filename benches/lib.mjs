// What the Node benchmarks share: where the project and its release CLI are, and the statistics.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The release CLI (`cargo build --release --features aws`), or ECR_REGISTRAR_BIN. */
export const releaseBin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/release/ecr-registrar');

/** The `p`th percentile (nearest rank, from below) of `xs`. */
export const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
/** The median (the upper one of an even count). */
export const median = (xs) => percentile(xs, 50);

/** The path of the executable of `benches/<name>.rs`, built (or found up to date) by cargo. */
export function benchExecutable(name) {
  const out = execFileSync('cargo', ['bench', '--locked', '--bench', name, '--no-run', '--message-format=json-render-diagnostics'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line);
    if (m.reason === 'compiler-artifact' && m.target?.name === name && m.executable) return m.executable;
  }
  throw new Error(`cargo built no benches/${name}.rs executable`);
}
