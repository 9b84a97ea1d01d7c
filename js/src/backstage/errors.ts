// The core's verdicts as Backstage errors: bad input (InputError, HTTP 400) or a server fault
// (Error, 500). Which is which is decided per code of the core's `ErrorCode`, the union tsify
// generates from the Rust enum: a code added to the core does not compile here until it is
// classified, so it can never become a 500 by default.
import { InputError } from '@backstage/errors';
import type { ErrorCode, FieldError } from '../core.js';

/** Whose fault a core error is: the caller's input (request, files, config) or the server's. */
export type ErrorKind = 'input' | 'internal';

/** Every code the core can return, classified; exactly the keys of `ErrorCode`. */
export type ErrorKinds = Readonly<Record<ErrorCode, ErrorKind>>;

export const ERROR_KINDS: ErrorKinds = {
  invalid_request: 'input',
  conflict: 'input',
  malformed: 'input',
  unsupported: 'input',
  verification_failed: 'internal',
  invalid_config: 'input',
  invalid_argument: 'input',
  io: 'internal',
  aws: 'internal',
  not_found: 'input',
  unsafe_path: 'internal',
  too_large: 'internal',
};

/** The kind of a thrown error's `code`; anything that is not one of the core's codes is internal. */
export function errorKind(code: unknown): ErrorKind {
  return typeof code === 'string' && Object.hasOwn(ERROR_KINDS, code) ? ERROR_KINDS[code as ErrorCode] : 'internal';
}

/** Every validation problem, one per line, as the CLI prints them. */
export function describeErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `  ${e.field}: ${e.message} [${e.code}]`).join('\n');
}

/** Bad input (InputError) listing every problem with the request. */
export function invalidRequest(errors: readonly FieldError[]): InputError {
  return new InputError(`The ECR registry request is invalid:\n${describeErrors(errors)}`);
}

/** A core error, as thrown by the WebAssembly build: `Error` with the core's fields. */
interface CoreError extends Error {
  code?: unknown;
  errors?: FieldError[];
}

/** Run a core call; its error becomes one error that lists the core's field errors too. */
export function callCore<T>(action: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const err = (e ?? {}) as CoreError;
    const text = e instanceof Error ? e.message : String(e);
    // The core's message already lists the problems (without codes): keep its first line and
    // list each problem once, with its code.
    const message = err.errors?.length
      ? `${action}: ${text.split('\n')[0]}\n${describeErrors(err.errors)}`
      : `${action}: ${text}`;
    throw errorKind(err.code) === 'input' ? new InputError(message) : new Error(message);
  }
}
