// createMockActionContext and mockServices expect Jest's globals; node:test has none. This is the
// small part of `jest.fn` they use (calls, implementations, return values), backed by node:test.
import { after, afterEach, before, beforeEach } from 'node:test';

function fn(impl) {
  let current = impl;
  const once = [];
  const mock = function (...args) {
    mock.mock.calls.push(args);
    const f = once.length ? once.shift() : current;
    return f ? f.apply(this, args) : undefined;
  };
  mock.mock = { calls: [] };
  mock._isMockFunction = true;
  mock.mockImplementation = (f) => ((current = f), mock);
  mock.mockImplementationOnce = (f) => (once.push(f), mock);
  mock.mockReturnValue = (v) => ((current = () => v), mock);
  mock.mockResolvedValue = (v) => ((current = () => Promise.resolve(v)), mock);
  mock.mockRejectedValue = (v) => ((current = () => Promise.reject(v)), mock);
  mock.mockClear = () => ((mock.mock.calls = []), mock);
  mock.mockReset = () => ((mock.mock.calls = []), (current = undefined), mock);
  return mock;
}

globalThis.jest ??= { fn, spyOn: () => fn() };
globalThis.afterAll ??= after;
globalThis.beforeAll ??= before;
globalThis.afterEach ??= afterEach;
globalThis.beforeEach ??= beforeEach;
