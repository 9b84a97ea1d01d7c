// Test-only helpers for the tests beside the actions: the repository's files, the native CLI, a
// scratch workspace holding a copy of examples/platform, and an action run through Backstage's
// own createMockActionContext.
import './jest-shim.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';

/** The repository root (this file runs as js/dist/testing/workspace.js). */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The native CLI (`cargo build --features aws` in the test command). */
export const bin = process.env.ECR_REGISTRAR_BIN ?? path.join(root, 'target/debug/ecr-registrar');

export const TODAY = '2026-11-21';
export const CATALOG = 'docs/20-contracts/resource-catalogs/ecr-catalog.yaml';

/** Every file under `dir` with its text (latin1 by default, so that any byte compares exactly). */
export function tree(dir: string, encoding: BufferEncoding = 'latin1'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, full)] = fs.readFileSync(full, encoding);
    }
  }
  return out;
}

/** A fresh workspace holding a copy of examples/platform under `infra/`. */
export function workspace(): string {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-ws-'));
  fs.cpSync(path.join(root, 'examples/platform'), path.join(ws, 'infra'), { recursive: true });
  return ws;
}

/** What a handler did: its outputs by name, or the error it threw. */
export interface Run {
  outputs: Record<string, unknown>;
  error: (Error & { name: string }) | undefined;
}

/** Run an action's handler in `ws`; `extra` overrides context fields (e.g. `isDryRun`). */
export async function runAction<I extends JsonObject, O extends JsonObject>(
  action: TemplateAction<I, O, 'v2'>,
  input: Record<string, unknown>,
  ws: string,
  extra: { isDryRun?: boolean } = {},
): Promise<Run> {
  // createMockActionContext passes only its known options on; isDryRun is set on the result.
  const ctx = { ...createMockActionContext({ input: input as I, workspacePath: ws }), ...extra };
  let error: Run['error'];
  try {
    await action.handler(ctx);
  } catch (e) {
    error = e as Run['error'];
  }
  const calls = (ctx.output as unknown as { mock: { calls: [string, unknown][] } }).mock.calls;
  return { outputs: Object.fromEntries(calls), error };
}
