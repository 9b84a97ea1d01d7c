// `npm run bench:wizard`: keystroke to message in the real scaffolder form (issue 11; target
// <= 16 ms, one frame at 60 Hz). The wizard of tests/browser/wizard (the Stepper of
// @backstage/plugin-scaffolder-react with the EcrRegistryName field) in Debian's headless Chromium;
// the name field holds `payments`, and `-` / Backspace are pressed in turn, so every key flips the
// field between invalid (two messages) and valid (none). In the page: from the keydown event to
// (a) the field's helper text (the description, or the messages) changed in the DOM (React
// rendered, the core checked) and (b) the next animation frame after it (when it is painted).
// N keys (default 400) per frontend system.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../tests/browser/harness.mjs';
import { serveWizard } from '../tests/browser/wizard/serve.mjs';
import { percentile } from './lib.mjs';

const N = Number(process.env.N ?? 400);

const server = await serveWizard();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const rows = [];
try {
  for (const system of ['legacy', 'nfs']) {
    const page = await browser.newPage();
    await page.goto(`${server.base}/?system=${system}`);
    await page.waitForSelector('#root_name');
    await page.fill('#root_name', 'payments');
    await page.evaluate(() => {
      const input = document.getElementById('root_name');
      const list = document.getElementById('root_name-helper-text');
      window.samples = [];
      let t0 = null;
      input.addEventListener('keydown', () => (t0 = performance.now()), true);
      new MutationObserver(() => {
        if (t0 === null) return;
        const start = t0;
        t0 = null;
        const dom = performance.now() - start;
        requestAnimationFrame(() => window.samples.push({ dom, frame: performance.now() - start }));
      }).observe(list, { childList: true, subtree: true, characterData: true });
    });
    for (let i = 0; i < N; i++) {
      await page.keyboard.press(i % 2 === 0 ? 'Minus' : 'Backspace');
      await page.waitForFunction((n) => window.samples.length >= n, i + 1);
    }
    const samples = await page.evaluate(() => window.samples);
    const dom = samples.map((s) => s.dom);
    const frame = samples.map((s) => s.frame);
    const label = system === 'nfs' ? 'new frontend system' : 'legacy';
    rows.push([`${label}: keydown to messages in the DOM`, `${percentile(dom, 50).toFixed(2)} ms`, `${percentile(dom, 95).toFixed(2)} ms`, `${Math.max(...dom).toFixed(2)} ms`]);
    rows.push([`${label}: keydown to the next frame after it (painted)`, `${percentile(frame, 50).toFixed(2)} ms`, `${percentile(frame, 95).toFixed(2)} ms`, `${Math.max(...frame).toFixed(2)} ms`]);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`| ${N} keys, each flipping the verdict | median | p95 | max |\n| --- | --- | --- | --- |`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
