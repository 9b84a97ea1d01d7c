// Issue 21, item 6, with an independent CommonMark/GFM parser (markdown-it, HTML allowed as on
// GitHub): `changes --format markdown` (for $GITHUB_STEP_SUMMARY) over file names a pull request
// chose renders each name literally in one inline code span and adds no heading, table, link,
// image or HTML; `--format json` keeps every name exact (hidden characters as JSON escapes); the
// text output sends no control character to the terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, root } from './helpers.mjs';

const require = createRequire(import.meta.url);
const markdownit = require('markdown-it');

const HOSTILE = [
  'clear\u001b[2J.txt',
  'gnp\u202eexe.txt',
  'x\n## Approved by security',
  '<img src=x onerror=alert(1)>.md',
  '| forged | row |',
  'tick`s ``and`` more',
  '[link](javascript:alert(1)) <https:evil.example>',
  'sep\u2028arated\u2029',
];

/** Hidden characters as the reader must see them (independent of the crate). */
const hidden = (c) => {
  const n = c.codePointAt(0);
  return n < 0x20 || (n >= 0x7f && n <= 0x9f) || [0x2028, 0x2029, 0x200e, 0x200f, 0x061c].includes(n) || (n >= 0x202a && n <= 0x202e) || (n >= 0x2066 && n <= 0x2069);
};
const shown = (s) => [...s].map((c) => (hidden(c) ? `\\u{${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}}` : c)).join('');

function hostileRepo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecr-hostile-md-'));
  fs.cpSync(path.join(root, 'examples/platform'), dir, { recursive: true });
  const git = (...args) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'the platform');
  git('tag', 'base');
  HOSTILE.forEach((name, i) => fs.writeFileSync(path.join(dir, name), `${i}\n`));
  git('add', '-A');
  git('commit', '-q', '-m', 'hostile names');
  return dir;
}

const changes = (dir, format) => spawnSync(bin, ['changes', '--repo', dir, '--base', 'base', '--format', format], { encoding: 'utf8' });

test('changes --format markdown shows every hostile file name in one code span, and adds nothing', () => {
  const dir = hostileRepo();
  const r = changes(dir, 'markdown');
  assert.equal(r.status, 1, r.stderr);
  const md = markdownit({ html: true });
  const tokens = md.parse(r.stdout, {});
  const all = tokens.flatMap((t) => [t, ...(t.children ?? [])]);
  const types = new Set(all.map((t) => t.type));
  for (const bad of ['html_block', 'html_inline', 'link_open', 'image', 'table_open', 'hr', 'fence', 'code_block']) {
    assert.ok(!types.has(bad), `${bad} in the rendered summary:\n${r.stdout}`);
  }
  const headings = tokens.filter((t) => t.type === 'heading_open');
  assert.deepEqual(headings.map((t) => t.tag), ['h3'], r.stdout);
  const spans = all.filter((t) => t.type === 'code_inline').map((t) => t.content);
  for (const name of HOSTILE) {
    assert.ok(spans.includes(shown(name)), `${JSON.stringify(name)} is not one code span: ${JSON.stringify(spans)}`);
  }
  // One list item per problem: no name started an item or a paragraph of its own.
  assert.equal(tokens.filter((t) => t.type === 'list_item_open').length, HOSTILE.length, r.stdout);
  const html = md.render(r.stdout);
  assert.ok(!/<img|<script|<a /.test(html), html);
});

test('changes --format json keeps hostile names exact; text output has no control character', () => {
  const dir = hostileRepo();
  const json = changes(dir, 'json');
  assert.equal(json.status, 1, json.stderr);
  assert.ok(![...json.stdout].some((c) => c !== '\n' && hidden(c)), JSON.stringify(json.stdout));
  const files = JSON.parse(json.stdout).guard.problems.map((p) => p.file).sort();
  assert.deepEqual(files, [...HOSTILE].sort());
  const text = changes(dir, 'text');
  assert.equal(text.status, 1, text.stderr);
  assert.ok(![...text.stdout].some((c) => c !== '\n' && hidden(c)), JSON.stringify(text.stdout));
  assert.ok(!text.stdout.split('\n').some((l) => l.startsWith('## ')), text.stdout);
});

test('an entity description reads as itself to a CommonMark reader, and snake_case keeps no backslash', () => {
  const core = require(path.join(root, 'pkg/node/ecr_registrar.js'));
  const md = markdownit({ html: true, linkify: false });
  const request = { name: 'payments-api', owner: 'app-team', environment: 'prod', risk: 'low' };
  for (const description of [
    'images for my_app', 'snake_case_name and __init__ and _em_', '*bold* a_b_c _lead trail_', 'x_', '_x',
    '- dash', '# heading', '1. item', '> quote', '[beta](https://evil.example) ![i](x)', 'a <b>bold</b> &amp; | pipe | `code`', 'é_x and 1_2',
  ]) {
    const entity = core.renderRequestEntity({ ...request, description }, { region: 'eu-west-2' }).entity;
    const shown = entity.metadata.description;
    const blocks = md.parse(shown, {});
    // One paragraph of plain text: no list, heading, quote, link, image, HTML or emphasis.
    assert.deepEqual(blocks.map((t) => t.type), ['paragraph_open', 'inline', 'paragraph_close'], `${description} -> ${shown}`);
    const inline = blocks[1].children;
    assert.ok(inline.every((t) => t.type === 'text' || t.type === 'text_special'), `${description}: ${inline.map((t) => t.type)}`);
    assert.equal(inline.map((t) => t.content).join(''), description);
  }
  // Intraword underscores are written as they are.
  assert.equal(core.renderRequestEntity({ ...request, description: 'images for my_app' }, { region: 'eu-west-2' }).entity.metadata.description, 'images for my_app');
});
