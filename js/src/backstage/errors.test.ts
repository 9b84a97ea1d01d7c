// Every error code the core can return is classified as bad input (InputError, HTTP 400) or a
// server fault, and callCore throws accordingly. The type check is in tests/types/error-kinds.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stableCodes, type ErrorCode } from '../core.js';
import { ERROR_KINDS, callCore, errorKind } from './errors.js';

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
