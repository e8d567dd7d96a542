import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { initialLoad } from './initial-js.ts';
import { startLocalStack, type StackAgent } from './stack.ts';

/**
 * The web client's two figures, on this machine:
 *   1. the gzip size of the JavaScript a first visit loads (index.html's scripts and their static
 *      imports), with a check that no WebAssembly or crypto chunk is among them;
 *   2. the time from submitting the login form to the agent list (the picker's first row) being
 *      visible, in headless Chromium against a real Synapse and appservice on loopback: median of
 *      several runs, each in a fresh browser context (nothing cached), after one warm-up run.
 *
 *   node bench/client/run.ts [--runs 7] [--no-build]
 */
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, 'no-build': { type: 'boolean', default: false } },
});
const runs = Math.max(1, Number(values.runs));
const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = path.join(root, 'client', 'dist');
const chromiumPath = process.env['CHATTIGO_CHROMIUM'] ?? '/usr/bin/chromium';
const out = (line: string) => process.stdout.write(`${line}\n`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (!values['no-build'] || !existsSync(path.join(distDir, 'index.html'))) {
  out('building the client…');
  execFileSync('npm', ['run', '--silent', 'build', '--workspace', 'client'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

// 1. Initial JavaScript.
const load = await initialLoad(distDir);
out('\nInitial load (index.html and its static imports):');
for (const f of load.files) out(`  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}`);
for (const f of load.css) out(`  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}  (CSS, not counted)`);
const cryptoInInitial = load.files.filter((f) => /crypto|wasm/i.test(f.file));
out(`  initial JavaScript: gzip ${kb(load.totalGzip)} (target ≤ 350 KB gzip); ${kb(load.totalBytes)} uncompressed`);
out(`  WebAssembly or crypto code in the initial load: ${cryptoInInitial.length === 0 ? 'none' : cryptoInInitial.map((f) => f.file).join(', ')}`);

// 2. Submit login → agent list visible.
const password = 'chattigo-bench';
const names = ['José Pérez', 'Josefina Martínez', 'María José González', 'Ana Gómez', 'Luis Rojas', 'Carla Díaz', 'Pedro Soto', 'Marta Núñez'];
const agents: StackAgent[] = [
  { username: 'bench', displayName: 'Agente de prueba', campaigns: ['ventas', 'soporte'] },
  ...Array.from({ length: 40 }, (_, i) => ({
    username: `agente${i + 1}`,
    displayName: `${names[i % names.length] ?? 'Agente'} ${i + 1}`,
    campaigns: i % 3 === 0 ? ['ventas', 'soporte'] : i % 3 === 1 ? ['ventas'] : ['soporte'],
  })),
];
out('\nstarting Synapse and the appservice…');
const stack = await startLocalStack({ distDir, agents, password });
let browser: Browser | undefined;
try {
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const once = async (): Promise<number> => {
    const context = await (browser as Browser).newContext({ baseURL: stack.url, viewport: { width: 1280, height: 800 }, locale: 'es-CL' });
    try {
      const page = await context.newPage();
      // Signed out, /agentes shows the login and goes to the agent list once signed in.
      await page.goto('/agentes');
      await page.getByLabel('Usuario', { exact: true }).fill('bench');
      await page.getByLabel('Contraseña', { exact: true }).fill(password);
      // In-page timing (strings: this file is type-checked without the DOM's types).
      await page.evaluate(`document.querySelector('form').addEventListener('submit', () => { window.benchSubmit = performance.now(); }, { capture: true })`);
      await page.getByRole('button', { name: 'Ingresar' }).click();
      const handle = await page.waitForFunction(
        `(() => {
          const row = document.querySelector('.agent-row');
          if (!row || row.getBoundingClientRect().height === 0) return false;
          window.benchVisible ??= performance.now();
          return window.benchVisible - window.benchSubmit;
        })()`,
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      return Number(await handle.jsonValue());
    } finally {
      await context.close();
    }
  };
  out('warm-up run…');
  await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted.length % 2 ? (sorted[(sorted.length - 1) / 2] ?? 0) : ((sorted[sorted.length / 2 - 1] ?? 0) + (sorted[sorted.length / 2] ?? 0)) / 2;
  out(`\nSubmit login → agent list visible (${runs} runs, fresh browser context each):`);
  out(`  runs: ${times.map((t) => `${Math.round(t)} ms`).join(', ')}`);
  out(`  median ${Math.round(median)} ms, min ${Math.round(sorted[0] ?? 0)} ms, max ${Math.round(sorted[sorted.length - 1] ?? 0)} ms (target ≤ 1000 ms)`);

  const resultsDir = path.join(root, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `client-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ initialLoad: load, loginToAgentListMs: { runs: times, median } }, null, 2)}\n`);
  out(`\nresults written to ${path.relative(root, file)}`);
} finally {
  await browser?.close();
  await stack.stop();
}
