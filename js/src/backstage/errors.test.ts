// Every error code the core can return is classified as bad input (InputError, HTTP 400) or a
// server fault, and callCore throws accordingly. The type check is in tests/types/error-kinds.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stableCodes, type ErrorCode } from '../core.js';
import { InputError } from '@backstage/errors';
import { ERROR_KINDS, callCore, errorKind, userFacing, withoutStack } from './errors.js';

test('every code the core can return is classified, and nothing else is', () => {
  const codes = stableCodes().errorCodes.map((c) => c.code);
  assert.ok(codes.length > 0);
  assert.deepEqual(Object.keys(ERROR_KINDS).sort(), [...codes].sort());
  for (const code of codes) assert.match(ERROR_KINDS[code as ErrorCode], /^(input|internal)$/, code);
});

test('callCore throws InputError for an input code, a plain Error for the rest', () => {
  const thrown = (code: unknown): Error => {
    try {
      callCore('ecr:test', () => {
        throw Object.assign(new Error('what went wrong\n  - name: why'), { code });
      });
    } catch (e) {
      return e as Error;
    }
    assert.fail(`callCore did not throw for ${String(code)}`);
  };
  for (const [code, kind] of Object.entries(ERROR_KINDS)) {
    const e = thrown(code);
    assert.equal(e.name, kind === 'input' ? 'InputError' : 'Error', code);
    assert.equal(e.message, 'ecr:test: what went wrong\n  - name: why', code);
  }
  // Not one of the core's codes: a server fault, never a 400 by accident.
  for (const code of [undefined, null, 42, 'toString', '__proto__', 'no_such_code']) {
    assert.equal(errorKind(code), 'internal', String(code));
    assert.equal(thrown(code).name, 'Error', String(code));
  }
});

test('callCore lists the field errors once, with their codes', () => {
  const errors = [{ field: 'name', code: 'name_aws_pattern', message: 'bad name' }];
  assert.throws(
    () =>
      callCore('ecr:test', () => {
        throw Object.assign(new Error('the request is invalid\n  - name: bad name'), { code: 'invalid_request', errors });
      }),
    (e: Error) => e.name === 'InputError' && e.message === 'ecr:test: the request is invalid\n  name: bad name [name_aws_pattern]',
  );
});

test('userFacing: what an action throws reaches people without stack frames; a server fault’s stack goes to the log', async () => {
  const logged: { message: string; meta?: Error }[] = [];
  const log = { error: (message: string, meta?: Error) => logged.push({ message, meta }) };
  const frames = /\n\s+at /;
  // Bad input: the message only, nothing logged.
  const input = new InputError('ecr:scaffold: the request is invalid\n  name: bad [name_aws_pattern]');
  assert.match(input.stack ?? '', frames, 'a fresh error has frames');
  await assert.rejects(userFacing(log, async () => { throw input; }), (e: Error) => e === input && e.stack === `InputError: ${input.message}`);
  assert.equal(logged.length, 0);
  // A server fault, with a cause: both cut; the log gets the whole stack.
  const fault = new Error('disk on fire', { cause: new Error('the cause') });
  await assert.rejects(userFacing(log, async () => { throw fault; }), (e: Error) => {
    assert.equal(e.stack, 'Error: disk on fire');
    assert.equal((e.cause as Error).stack, 'Error: the cause');
    return true;
  });
  assert.equal(logged.length, 1);
  assert.equal(logged[0]!.message, 'ecr-registrar: disk on fire');
  assert.match(logged[0]!.meta?.stack ?? '', frames);
  // Not an Error at all: an Error with its text.
  await assert.rejects(userFacing(undefined, async () => { throw 'a string'; }), (e: Error) => e instanceof Error && e.stack === 'Error: a string');
  assert.equal(withoutStack(new TypeError('x')).stack, 'TypeError: x');
});
