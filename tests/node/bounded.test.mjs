// Bounded cost and no poisoned module (issue 21, item 8), through the Node package the Backstage
// backend loads (js/dist/core.js over pkg/node; `npm run build` first):
// - hostile inputs that used to reach the module's recursion or memory unchecked (a request nested
//   100,000 objects deep, files over the size limit) are refused with an error, not a trap;
// - if a call does trap (forced here through the Node build's test-only `__testTrap` export), the
//   error reaches the caller, a fresh instance is loaded, and the next call succeeds on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as core from '../../js/dist/core.js';

const request = {
  name: 'payments-api',
  owner: 'app-team',
  environment: 'dev',
  risk: 'low',
};

/** The two WebAssembly packages themselves, not the JS layer over pkg/node: pkg/node as the
 * backend loads it and pkg/web initialised as the wizard does. */
async function bothBuilds() {
  const { createRequire } = await import('node:module');
  const fs = await import('node:fs');
  const path = await import('node:path');
  const root = new URL('../..', import.meta.url).pathname;
  const node = createRequire(import.meta.url)(path.join(root, 'pkg/node/ecr_registrar.js'));
  const web = await import(path.join(root, 'pkg/web/ecr_registrar.js'));
  web.initSync({ module: fs.readFileSync(path.join(root, 'pkg/web/ecr_registrar_bg.wasm')) });
  return { node, web };
}

function nested(depth) {
  let v = 'x';
  for (let i = 0; i < depth; i += 1) v = { a: v };
  return v;
}

test('a deeply nested argument is refused with an error, not a trap', () => {
  const before = core.coreGeneration();
  for (const depth of [200, 10_000, 100_000]) {
    const hostile = { ...request, requester: nested(depth) };
    assert.throws(
      () => core.validateRequest(hostile),
      // The core's depth limit, or (past 4,096 values) the glue's bound before the copy; never
      // a trap, nor JavaScript's own stack overflow.
      (e) =>
        !(e instanceof WebAssembly.RuntimeError) &&
        (/invalid request/.test(e.message) || (e.code === 'too_large' && /4096 values/.test(e.message))),
      `depth ${depth}`,
    );
    assert.throws(
      () => core.scaffold(request, { catalog: nested(depth) }, '2026-12-07'),
      (e) => !(e instanceof WebAssembly.RuntimeError) && /invalid files/.test(e.message),
      `files, depth ${depth}`,
    );
    assert.throws(
      () => core.validateField('owner', 'app-team', { owners: [nested(depth)] }),
      (e) => !(e instanceof WebAssembly.RuntimeError) && /invalid config/.test(e.message),
      `config, depth ${depth}`,
    );
  }
  // No trap, so the same instance answers.
  assert.equal(core.coreGeneration(), before);
  assert.equal(core.validateRequest(request).valid, true);
});

test('files over the size limit are refused as too_large, naming the file', () => {
  const catalog = 'repositories:\n' + '# padding\n'.repeat(900_000); // 9 MB
  assert.throws(
    () => core.scaffold(request, { catalog, tfvars: null }, '2026-12-07'),
    (e) => e.code === 'too_large' && /ecr-catalog\.yaml/.test(e.file) && /8388608/.test(e.message),
  );
  assert.throws(
    () => core.configFromYaml('owners: [a]\n' + '#'.repeat(1_100_000)),
    (e) => e.code === 'too_large',
  );
  assert.equal(core.validateRequest(request).valid, true);
});

test('after a trap the next call runs on a fresh instance', () => {
  const before = core.coreGeneration();
  const old = core.withCore((raw) => raw);
  assert.deepEqual(core.validateField('name', 'payments-api'), []);
  // A real trap of the real instance, in the middle of a call that holds the default validator:
  // the Node build's test-only export runs an `unreachable` instruction.
  assert.throws(
    () => core.withCore((raw) => raw.__testTrap()),
    (e) => e instanceof WebAssembly.RuntimeError,
  );
  assert.equal(core.coreGeneration(), before + 1);
  assert.notEqual(core.withCore((raw) => raw), old, 'a new instance is loaded after a trap');
  // The next calls succeed, with the default config and with one given.
  assert.deepEqual(core.validateField('name', 'payments-api'), []);
  assert.equal(core.validateRequest(request).valid, true);
  assert.equal(core.registryId('payments-api', { idPrefix: 'REG_' }), 'REG_PAYMENTS_API');
  // An error that is not a trap keeps the instance.
  assert.throws(() => core.validateRequest(42));
  assert.equal(core.coreGeneration(), before + 1);
});

test('a string argument over the limit is refused before it is copied into the module', () => {
  const huge = 'a'.repeat(core.MAX_STRING_ARGUMENT + 1);
  assert.throws(
    () => core.validateField('name', huge),
    (e) => e.code === 'too_large' && /validateField/.test(e.message),
  );
  assert.deepEqual(core.validateField('name', 'payments-api'), []);
});

test('a config’s validator is built once, not per call; a trap drops the cached ones with the instance', () => {
  // `__validatorsBuilt`: how many validators the current instance has built (test-only export).
  const built = () => core.withCore((raw) => raw.__validatorsBuilt());
  const config = { ...core.defaultConfig(), environments: ['dev', 'qa'] };
  const qa = { ...request, environment: 'qa' };
  core.validateField('name', 'payments-api'); // the default config's validator, built once
  const start = built();
  assert.deepEqual(core.validateField('environment', 'qa', config), []);
  assert.equal(built(), start + 1, 'the first call with a config builds its validator');
  // What the backend does for a request, several times, with equal configs (new objects each time,
  // as each run reads registrar.yaml again): no validator is built again.
  for (let i = 0; i < 5; i += 1) {
    assert.equal(core.validateRequest(qa, structuredClone(config)).valid, true);
    assert.deepEqual(core.requestPaths('qa', { ...config }).tfvars, 'envs/qa/terraform.tfvars');
    assert.equal(core.registryId('payments-api', config), 'REGISTRY_PAYMENTS_API');
    assert.deepEqual(core.validateField('environment', 'staging', config)[0]?.code, 'unknown_environment');
  }
  assert.equal(built(), start + 1, 'later calls with the same config reuse its validator');
  // Another config is another validator, and the answers are that config's.
  assert.equal(core.registryId('payments-api', { ...config, idPrefix: 'REG_' }), 'REG_PAYMENTS_API');
  assert.equal(built(), start + 2);
  assert.equal(core.registryId('payments-api', config), 'REGISTRY_PAYMENTS_API');
  assert.equal(built(), start + 2);
  // Bounded: after enough other configs, the first one is built again.
  for (let i = 0; i < 8; i += 1) core.validateField('environment', 'dev', { environments: ['dev', `env${i}`] });
  assert.equal(built(), start + 10);
  core.validateField('environment', 'qa', config);
  assert.equal(built(), start + 11, 'the least recently used config was dropped');
  // An invalid config is refused every time, never kept.
  for (let i = 0; i < 2; i += 1) {
    assert.throws(() => core.validateField('name', 'x', { namePattern: '(' }), (e) => e.code === 'invalid_config');
  }

  // A trap: the new instance has none of the old one's validators and builds them again.
  const before = core.coreGeneration();
  assert.throws(
    () => core.withCore((raw) => raw.__testTrap()),
    (e) => e instanceof WebAssembly.RuntimeError,
  );
  assert.equal(core.coreGeneration(), before + 1);
  assert.equal(built(), 0, 'a fresh instance starts without cached validators');
  assert.equal(core.validateRequest(qa, config).valid, true);
  assert.equal(built(), 1);
  assert.equal(core.validateRequest(qa, config).valid, true);
  assert.equal(built(), 1);
});

// Every export of both builds, called straight (as a consumer of the npm package may): a number,
// boolean, BigInt, Symbol, object or Map where a string goes used to give wasm-bindgen's copy NaN
// for a length, and the module trapped ("memory access out of bounds"). Now each is refused with
// `invalid_argument` before anything is copied, and no call traps.
test('no export of pkg/node or pkg/web traps on a non-string where a string goes', async () => {
  const { node, web } = await bothBuilds();
  const bad = [true, 42, 10n, Symbol('s'), { length: 3 }, new Map([['a', 'b']])];
  const traps = [];
  let refused = 0;
  for (const [build, mod] of [['pkg/node', node], ['pkg/web', web]]) {
    const exports = Object.entries(mod).filter(([k, f]) => typeof f === 'function' && !/^(initSync|default|__)/.test(k) && !/^[A-Z]/.test(k));
    for (const [name, fn] of exports) {
      for (let arg = 0; arg < Math.max(fn.length, 1); arg += 1) {
        for (const value of bad) {
          const args = Array.from({ length: fn.length }, () => 'x');
          args[arg] = value;
          try {
            fn(...args);
          } catch (e) {
            if (e instanceof WebAssembly.RuntimeError) traps.push(`${build} ${name} arg ${arg} ${typeof value}: ${e.message}`);
            else if (e?.code === 'invalid_argument') refused += 1;
          }
        }
      }
      assert.deepEqual(mod.validateField('name', 'payments-api'), [], `${build} still answers after ${name}`);
    }
  }
  assert.deepEqual(traps, []);
  assert.ok(refused > 50, `refused ${refused}`);
});

test('changes given its texts as Maps (JSON writes them as {}) is refused, never a passing guard', () => {
  const paths = ['docs/20-contracts/resource-catalogs/ecr-catalog.yaml', 'envs/dev/terraform.tfvars'];
  const revisions = { base: new Map([[paths[1], 'a = 1\n']]), head: new Map([[paths[1], 'a = 2\n']]), changedPaths: paths };
  const report = core.changes(revisions);
  assert.equal(report.guard.ok, false);
  assert.deepEqual(report.guard.problems.filter((p) => p.code === 'unreadable').map((p) => p.file), paths);
  // The whole argument as a Map is refused outright.
  assert.throws(() => core.changes(new Map()), (e) => !(e instanceof WebAssembly.RuntimeError) && /Map or a Set/.test(e.message));
});

// The hostile suite's F9: a 64 MiB name took a second in WebAssembly (copied in, then every naming
// rule walked it). A string longer than the largest text any call takes (a 64 MiB listing) is
// refused before it is copied; a name far over AWS's length gets the length error alone.
test('strings larger than any call takes are refused before the copy; a huge name gets its length error alone', async () => {
  const { node, web } = await bothBuilds();
  const huge = 'x'.repeat((64 << 20) + 1);
  const overName = 'x'.repeat((1 << 20) + 1); // 1 MiB + 1: more than a name-like argument takes
  const big = 'payments-'.repeat(110_000); // 0.99 MB: still answered
  const request = (name) => ({ name, owner: 'platform-team', environment: 'dev', risk: 'low' });
  for (const [build, mod] of [['pkg/node', node], ['pkg/web', web]]) {
    const calls = [
      () => mod.validateField('name', huge),
      () => mod.entityName(huge),
      // Name-like arguments are bounded at 1 MiB each, before the copy (F9's residue: a 64 Mi
      // name cost entityName 580 ms, and validateRequest stringified its object in full).
      () => mod.validateField('name', overName),
      () => mod.entityName(overName),
      () => mod.validateRequest(request(overName)),
    ];
    if (mod.registryId) calls.push(() => mod.registryId(overName));
    if (mod.configFromYaml) calls.push(() => mod.configFromYaml(`# ${'x'.repeat(256 << 10)}\n`));
    for (const call of calls) {
      assert.throws(call, (e) => e instanceof RangeError && e.code === 'too_large' && /at most/.test(e.message), `${build} ${call}`);
    }
    // An object with more keys than any request has is refused without walking it all.
    const wide = request('payments-api');
    for (let i = 0; i < 5000; i += 1) wide[`k${i}`] = 'v';
    assert.throws(() => mod.validateRequest(wide), (e) => e.code === 'too_large' && /more than 4096 values/.test(e.message), build);
    // What JSON.stringify would write is what is counted (the hostile suite's F14): a getter, a
    // toJSON, a Proxy, a String object, a huge or sparse array, a string deep down.
    const huge1 = 'x'.repeat((1 << 20) + 1);
    for (const [what, req] of [
      ['getter', Object.defineProperty(request('payments-api'), 'description', { enumerable: true, get: () => huge1 })],
      ['toJSON', { ...request('payments-api'), toJSON: () => request(huge1) }],
      ['Proxy', new Proxy(request('payments-api'), { get: (t, k) => (k === 'name' ? huge1 : t[k]) })],
      ['String object', request(new String(huge1))],
      ['sparse array', { ...request('payments-api'), tags: { a: new Array(1e7) } }],
      ['deep', { ...request('payments-api'), tags: { a: [[huge1]] } }],
    ]) {
      assert.throws(() => mod.validateRequest(req), (e) => e instanceof RangeError && e.code === 'too_large', `${build} ${what}`);
    }
    assert.throws(() => mod.validateField('x'.repeat(2000), 'payments-api'), (e) => e.code === 'too_large', build);
    // Read once (the fifth suite's F14 residue): a getter short when counted and huge when the
    // core would have read it again; a typed array stopped before JSON enumerates it; escapes
    // counted as JSON writes them; a lone surrogate in a key.
    let reads = 0;
    const twoFaced = Object.defineProperty(request('payments-api'), 'description', {
      enumerable: true,
      get: () => (reads++ === 0 ? 'short' : huge1),
    });
    assert.equal(mod.validateRequest(twoFaced).valid, true, build);
    assert.equal(reads, 1, `${build}: the getter is read once`);
    assert.throws(() => mod.validateRequest({ ...request('payments-api'), tags: new Uint8Array(1e8) }), (e) => e.code === 'too_large', build);
    assert.throws(() => mod.validateRequest(request('\u0001'.repeat(300_000))), (e) => e.code === 'too_large', build);
    assert.throws(() => mod.validateRequest({ ...request('payments-api'), ['\ud800']: 'x' }), (e) => e.code === 'invalid_argument', build);
    const errors = mod.validateField('name', big);
    assert.deepEqual(errors.map((e) => e.code), ['name_aws_length'], build);
    assert.ok(errors[0].message.length < 200, errors[0].message);
  }
  // The same verdict natively (the core's rule, not the glue's).
  assert.deepEqual(node.validateRequest(request(big)).errors.map((e) => e.code), ['name_aws_length']);
});

test('a lone surrogate is refused as no text, the same way in a string argument and inside a request', async () => {
  const { node, web } = await bothBuilds();
  const noText = (e) => e instanceof TypeError && e.code === 'invalid_argument' && /lone surrogate/.test(e.message);
  for (const [build, mod] of [['pkg/node', node], ['pkg/web', web]]) {
    // The copy would have made it U+FFFD, a description the request never had.
    assert.throws(() => mod.validateField('description', 'images \ud800'), noText, build);
    assert.throws(() => mod.validateRequest({ name: 'payments-api', description: 'images \udc00' }), noText, build);
    assert.deepEqual(mod.validateField('description', 'images \ud83d\ude00'), [], build);
  }
});
