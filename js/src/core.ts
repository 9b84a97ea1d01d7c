// The Node build of the Rust core (pkg/node, CommonJS), re-exported for ES modules with the types
// tsify generated from the Rust DTOs. Nothing is decided here.
//
// A second line of defence around the WebAssembly instance (issue 21, item 8): the core is built
// not to trap, but if a call ever does (a `WebAssembly.RuntimeError`: a panic, a stack overflow,
// memory that cannot grow), the instance's state (its stack pointer, its heap, a half-done borrow)
// can no longer be trusted, and every later call of the backend would fail with it. So the error
// is passed on to the caller and a fresh instance is loaded before the next call (the validators
// the module keeps per config live in its memory, so they go with it). And a string argument
// longer than the core accepts is refused here, before it is copied into the module's memory.
import { createRequire } from 'node:module';
import type * as Raw from '../../pkg/node/ecr_registrar.js';
import type { ErrorCode } from '../../pkg/node/ecr_registrar.js';
export type * from '../../pkg/node/ecr_registrar.js';

type Core = typeof Raw;

const require = createRequire(import.meta.url);
const modulePath = require.resolve('../../pkg/node/ecr_registrar.js');

let instance = require(modulePath) as Core;
let generation = 0;

/**
 * The longest string any export is given, in UTF-16 units: the largest input the core reads (a
 * 64 MiB repository listing). Longer strings are refused before they reach the module's memory.
 */
export const MAX_STRING_ARGUMENT = 64 * 1024 * 1024;

/** Load a fresh instance of the module (a new `WebAssembly.Instance` with its own memory). */
function reload(): void {
  delete require.cache[modulePath];
  instance = require(modulePath) as Core;
  generation += 1;
}

function tooLarge(name: string, length: number): Error {
  return Object.assign(
    new Error(
      `${name}: an argument is ${length} characters; the limit is ${MAX_STRING_ARGUMENT} characters, so it was not read`,
    ),
    // One of the core's codes, so that the actions classify it as they do the core's own.
    { code: 'too_large' satisfies ErrorCode },
  );
}

/**
 * Run `f` with the current instance; after a trap, the next call gets a fresh instance. Exported
 * for the tests, which force a trap through it.
 */
export function withCore<T>(f: (core: Core) => T): T {
  try {
    return f(instance);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) reload();
    throw e;
  }
}

/** How many times a trap made the instance be replaced (0 until one does). */
export function coreGeneration(): number {
  return generation;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * A string with an unpaired UTF-16 surrogate is no text: wasm-bindgen would pass it on with the
 * half replaced by U+FFFD (a value the core then finds valid), JSON would not carry it at all. So
 * it is refused here, for the arguments and the values of their plain objects (a request). Only
 * strings up to 64 Ki units are looked at: a file's text is read from UTF-8 and cannot hold one,
 * and a longer field is refused by the core's own length rules whatever its halves.
 */
const LONE_SURROGATE = /\p{Cs}/u;

function illFormed(name: string, args: unknown[]): Error | null {
  const bad = (v: unknown): boolean => typeof v === 'string' && v.length <= 65_536 && LONE_SURROGATE.test(v);
  for (const a of args) {
    const values = a !== null && typeof a === 'object' && !Array.isArray(a) ? Object.values(a) : [a];
    if (values.some(bad)) {
      return Object.assign(new Error(`${name}: an argument contains an unpaired UTF-16 surrogate, which is not text`), {
        code: 'invalid_argument' satisfies ErrorCode,
      });
    }
  }
  return null;
}

function guarded<K extends keyof Core>(name: K): Core[K] {
  const call = (...args: unknown[]): unknown => {
    for (const a of args) {
      if (typeof a === 'string' && a.length > MAX_STRING_ARGUMENT) throw tooLarge(name, a.length);
    }
    const ill = illFormed(name, args);
    if (ill) throw ill;
    return withCore((core) => (core[name] as unknown as Fn)(...args));
  };
  return call as unknown as Core[K];
}

export const validateRequest = guarded('validateRequest');
export const validateField = guarded('validateField');
export const alreadyRequested = guarded('alreadyRequested');
export const registryId = guarded('registryId');
export const entityName = guarded('entityName');
export const requestPaths = guarded('requestPaths');
export const missingTerraformRoot = guarded('missingTerraformRoot');
export const scaffold = guarded('scaffold');
export const update = guarded('update');
export const decommission = guarded('decommission');
export const changes = guarded('changes');
export const defaultConfig = guarded('defaultConfig');
export const configFromYaml = guarded('configFromYaml');
export const unifiedDiff = guarded('unifiedDiff');
export const renderLifecyclePolicy = guarded('renderLifecyclePolicy');
export const validateLifecyclePolicy = guarded('validateLifecyclePolicy');
export const renderCrossplane = guarded('renderCrossplane');
export const renderCrossplaneYaml = guarded('renderCrossplaneYaml');
export const crossplanePullRequestBody = guarded('crossplanePullRequestBody');
export const renderArgoApplication = guarded('renderArgoApplication');
export const renderRequestEntity = guarded('renderRequestEntity');
export const renderEntities = guarded('renderEntities');
export const renderEstate = guarded('renderEstate');
export const stableCodes = guarded('stableCodes');
export const version = guarded('version');
