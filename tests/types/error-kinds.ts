// The classification of the core's error codes (js/src/backstage/errors.ts) is keyed by the
// `ErrorCode` union tsify generates from the Rust enum: a code the core adds, or one left out, does
// not compile. Each @ts-expect-error line must fail to type-check, or tsc reports it as unused.
import type { ErrorCode } from 'ecr-registrar';
import { ERROR_KINDS, type ErrorKind, type ErrorKinds } from '../../js/dist/backstage/errors.js';

// Keyed by exactly the generated union.
const exact: Record<ErrorCode, ErrorKind> = ERROR_KINDS;
const kind: ErrorKind = ERROR_KINDS.too_large;

// A code left out does not compile.
const { too_large: _left, ...incomplete } = ERROR_KINDS;
// @ts-expect-error: `too_large` is not classified
const missing: ErrorKinds = incomplete;
// @ts-expect-error: an incomplete literal
const partial: ErrorKinds = { invalid_request: 'input' };

// A code the core adds (here simulated by widening the union) does not compile until classified.
type Grown = ErrorCode | 'a_new_code';
// @ts-expect-error: `a_new_code` is not classified
const grown: Readonly<Record<Grown, ErrorKind>> = ERROR_KINDS;

// Nor does a code the core does not have, or a kind that is neither.
// @ts-expect-error: not a code of the core
const extra: ErrorKinds = { ...ERROR_KINDS, no_such_code: 'input' };
// @ts-expect-error: not a kind
const wrongKind: ErrorKinds = { ...ERROR_KINDS, io: 'fatal' };

export { exact, kind, missing, partial, grown, extra, wrongKind };
