// Shared by the Node tests: where things are, and whole-tree snapshots for "nothing else changed".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The native CLI (`cargo build --features aws` in the test command). */
export const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');

/** Every file under `dir` with its text (latin1 by default, so that any byte compares exactly). */
export function tree(dir, encoding = 'latin1') {
  const out = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, full)] = fs.readFileSync(full, encoding);
    }
  }
  return out;
}
