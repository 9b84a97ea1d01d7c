// createMockActionContext and mockServices expect Jest's globals; node:test has none. This is the
// small part of `jest.fn` they use (calls, implementations, return values), backed by node:test.
// Test-only: imported first by the tests beside the actions, never by the package.
import { after, afterEach, before, beforeEach } from 'node:test';

type Impl = (...args: unknown[]) => unknown;

interface MockFn {
  (this: unknown, ...args: unknown[]): unknown;
  mock: { calls: unknown[][] };
  _isMockFunction: true;
  mockImplementation(f: Impl): MockFn;
  mockImplementationOnce(f: Impl): MockFn;
  mockReturnValue(v: unknown): MockFn;
  mockResolvedValue(v: unknown): MockFn;
  mockRejectedValue(v: unknown): MockFn;
  mockClear(): MockFn;
  mockReset(): MockFn;
}

function fn(impl?: Impl): MockFn {
  let current = impl;
  const once: Impl[] = [];
  const mock = function (this: unknown, ...args: unknown[]) {
    mock.mock.calls.push(args);
    const f = once.shift() ?? current;
    return f ? f.apply(this, args) : undefined;
  } as MockFn;
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

const g = globalThis as Record<string, unknown>;
g.jest ??= { fn, spyOn: () => fn() };
g.afterAll ??= after;
g.beforeAll ??= before;
g.afterEach ??= afterEach;
g.beforeEach ??= beforeEach;
