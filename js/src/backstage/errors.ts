// The core's verdicts as Backstage errors: bad input (InputError, HTTP 400) or a server fault
// (Error, 500). Which is which is decided per code of the core's `ErrorCode`, the union tsify
// generates from the Rust enum: a code added to the core does not compile here until it is
// classified, so it can never become a 500 by default. Whatever an action throws reaches people
// without stack frames (`userFacing`): Backstage shows an error's `stack` in a development backend's
// HTTP errors and in every failed task's log.
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

/** Where the stack of a server fault goes (the module passes the backend's logger): not to users. */
export interface FaultLog {
  error(message: string, meta?: Error): void;
}

/**
 * `error` with its `stack` cut to its first line (`InputError: <message>`), along its `cause`
 * chain too. Backstage puts `stack` where people read it: the body of an HTTP error in a
 * development backend (`serializeError(…, {includeStack})`) and a failed step's task log
 * (`String(err.stack)`, in every mode).
 */
export function withoutStack<E extends Error>(error: E): E {
  const seen = new Set<unknown>();
  for (let e: unknown = error; e instanceof Error && !seen.has(e); e = e.cause) {
    seen.add(e);
    try {
      Object.defineProperty(e, 'stack', { value: `${e.name}: ${e.message}`, writable: true, configurable: true });
    } catch {
      // a frozen error keeps its stack; nothing of ours throws one
    }
  }
  return error;
}

/** Errors that are the person's to fix, as Backstage names them (HTTP 4xx): no stack is logged. */
const USER_ERRORS = new Set(['InputError', 'NotAllowedError', 'NotFoundError', 'ConflictError', 'NotModifiedError', 'AuthenticationError']);

/**
 * Run an action's work so that its errors reach people as their message alone (`withoutStack`); a
 * server fault (anything but Backstage's 4xx errors) is first logged whole to `log`, for the operator.
 */
export async function userFacing(log: FaultLog | undefined, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    // A copy keeps the stack for the log (a logger may format after this returns).
    if (!USER_ERRORS.has(error.name)) log?.error(`ecr-registrar: ${error.message}`, Object.assign(new Error(error.message), { name: error.name, stack: error.stack }));
    throw withoutStack(error);
  }
}
