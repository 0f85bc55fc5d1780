/**
 * Integration: every notebook executed headless (as `npm run reproduce`: every committed
 * docs/results section must come out byte-identical, or be skipped for data absent here), each
 * exported report opened in headless Chromium (title, table of contents, code hidden with a
 * working toggle, every chart drew an SVG, no console errors, at most ~3 MB), notebook 01 run in
 * a live JupyterLab, and the runner's failure reporting. Screenshots go to test-output/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, mkdtempSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { launchChromium } from './browser.js';

// Browser-side callbacks run in the page; declared loosely so src/ keeps lib ES2022 without DOM.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;

const root = process.cwd();
const outDir = path.join(root, 'test-output');
mkdirSync(outDir, { recursive: true });
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

test('the runner reports the failing cell and stops there', () => {
  const reports = mkdtempSync(path.join(os.tmpdir(), 'nb-fail-'));
  const r = spawnSync(tsx, ['scripts/run-notebooks.ts', 'test/fixtures/failing_cell.ipynb', `--reports=${reports}`], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /failing_cell\.ipynb failed at cell 2: Error: planted failure in cell two/);
});

test('the runner names an unknown notebook before running anything', () => {
  const r = spawnSync(tsx, ['scripts/run-notebooks.ts', '--reproduce', '99_missing'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /\[NOTEBOOK_UNKNOWN\] unknown notebook\(s\): 99_missing/);
});

test('all notebooks run headless and reproduce the committed docs/results section by section', { timeout: 40 * 60_000 }, () => {
  const r = spawnSync(tsx, ['scripts/run-notebooks.ts', '--reproduce'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  process.stdout.write(r.stdout);
  assert.equal(r.status, 0, `notebook run failed:\n${r.stderr}`);
  assert.match(r.stdout, /reproduce: real data \(/, 'says up front which datasets are present');
  assert.match(r.stdout, /^notebook\s+section\s+status\s+detail$/m, 'summary table');
  assert.match(r.stdout, /reproduce: passed: \d+ notebook\(s\), \d+ identical, \d+ skipped \(data absent\), 0 differ/);
});

test('npm run report writes the standalone tear sheets', { timeout: 10 * 60_000 }, () => {
  const r = spawnSync(tsx, ['scripts/report.ts'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /report: docs\/reports\/tearsheet_simulator_seed_7\.html \(\d+ charts/);
});

test('every exported report and tear sheet draws all its charts in a browser, offline, without console errors', { timeout: 10 * 60_000 }, async () => {
  const reportsDir = path.join(root, 'docs', 'reports');
  const reports = existsSync(reportsDir) ? readdirSync(reportsDir).filter((f) => /^(\d\d[a-z]?_|tearsheet_).*\.html$/.test(f)).sort() : [];
  assert.ok(reports.length > 0, 'no exported reports found in docs/reports (the notebook run should have made them)');
  const browser = await launchChromium();
  try {
    for (const file of reports) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (req) => { if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) errors.push(`network request: ${req.url()}`); });
      await page.goto(`file://${path.join(reportsDir, file)}`, { waitUntil: 'load' });
      if (/^\d\d[a-z]?_/.test(file)) {
        // notebook reports: title, TOC, hidden code with a toggle, size
        const title = await page.title();
        assert.ok(title && title !== 'Notebook', `${file}: page title is "${title}"`);
        const tocLinks = await page.evaluate(() => Array.from(document.querySelectorAll('nav.rotation-toc a')).map((a: any) => String(a.getAttribute('href'))));
        assert.ok(tocLinks.length > 0, `${file}: no table of contents`);
        // a fragment names its target by the raw id first, then the percent-decoded one (HTML: find a potential indicated element)
        const broken = await page.evaluate((links: string[]) => links.filter((h) => !document.getElementById(h.slice(1)) && !document.getElementById(decodeURIComponent(h.slice(1)))), tocLinks);
        assert.deepEqual(broken, [], `${file}: TOC links without a target`);
        const visibleInputs = () => page.evaluate(() => Array.from(document.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper')).filter((e: any) => e.offsetParent !== null).length);
        assert.equal(await visibleInputs(), 0, `${file}: code is visible by default`);
        await page.click('#rotation-toggle-code');
        assert.ok(await visibleInputs() > 0, `${file}: the toggle does not show the code`);
        await page.click('#rotation-toggle-code');
        const prompts = await page.evaluate(() => Array.from(document.querySelectorAll('.jp-InputPrompt')).map((p: any) => String(p.textContent).trim()));
        assert.ok(!prompts.includes('In\u00a0[\u00a0]:') && !prompts.includes('In [ ]:'), `${file}: unexecuted prompts`);
        const bytes = statSync(path.join(reportsDir, file)).size;
        assert.ok(bytes <= 3.5e6, `${file}: ${(bytes / 1e6).toFixed(1)} MB (budget ~3 MB)`);
      }
      const nCharts = await page.locator('div.rotation-chart').count();
      assert.ok(nCharts > 0, `${file}: no charts in the report`);
      await page.waitForFunction(
        (n) => document.querySelectorAll('div.rotation-chart .main-svg').length >= n, nCharts, { timeout: 60_000 },
      ).catch(() => undefined);
      const drawn = await page.evaluate(() => Array.from(document.querySelectorAll('div.rotation-chart')).filter((d: any) => d.querySelector('.main-svg')).length);
      await page.screenshot({ path: path.join(outDir, `report-${file.replace(/\.html$/, '')}.png`), fullPage: false });
      assert.equal(drawn, nCharts, `${file}: only ${drawn} of ${nCharts} charts drew an SVG`);
      assert.deepEqual(errors, [], `${file}: console errors`);
      await page.close();
    }
    // the index page links every notebook report
    const index = path.join(reportsDir, 'index.html');
    assert.ok(existsSync(index), 'docs/reports/index.html missing');
    const page = await browser.newPage();
    await page.goto(`file://${index}`, { waitUntil: 'load' });
    const links = await page.evaluate(() => Array.from(document.querySelectorAll('li a')).map((a: any) => String(a.getAttribute('href'))));
    assert.deepEqual(links.map((l: string) => decodeURI(l)).sort(), reports.filter((f) => /^\d\d[a-z]?_/.test(f)).sort());
    await page.close();
  } finally {
    await browser.close();
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`JupyterLab did not answer at ${url} within ${ms} ms`);
}

test('JupyterLab: notebook 01 runs all cells with the tslab kernel, no error output, charts drawn', { timeout: 10 * 60_000 }, async () => {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const jupyterDirs = mkdtempSync(path.join(os.tmpdir(), 'jlab-'));
  const lab: ChildProcess = spawn(path.join(root, '.venv', 'bin', 'jupyter'), [
    'lab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, `--IdentityProvider.token=${token}`,
    `--notebook-dir=${root}`, '--ServerApp.disable_check_xsrf=False', '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
    // window.jupyterapp, so the test can wait on the notebook's own kernel connection.
    '--LabApp.expose_app_in_browser=True',
    // CI runs as root; JupyterLab refuses root without this flag.
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ], {
    cwd: root,
    env: {
      ...process.env,
      JUPYTER_PATH: path.join(root, '.jupyter'),
      JUPYTER_RUNTIME_DIR: path.join(jupyterDirs, 'runtime'),
      JUPYTER_CONFIG_DIR: path.join(jupyterDirs, 'config'),
      JUPYTERLAB_SETTINGS_DIR: path.join(jupyterDirs, 'settings'),
      JUPYTERLAB_WORKSPACES_DIR: path.join(jupyterDirs, 'workspaces'),
      JUPYTER_PLATFORM_DIRS: '1',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let labLog = '';
  lab.stderr?.on('data', (d) => { labLog = (labLog + String(d)).slice(-20000); });
  const browser = await launchChromium();
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/status?token=${token}`, 90_000);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    // Open a copy inside the project (the kernel walks up from the notebook to the project root),
    // so JupyterLab's autosave can never write outputs into the committed notebook.
    const copyDir = path.join(outDir, 'jupyterlab');
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(path.join(root, 'notebooks', '01_problem_framing.ipynb'), path.join(copyDir, '01_problem_framing.ipynb'));
    const rel = path.relative(root, path.join(copyDir, '01_problem_framing.ipynb')).split(path.sep).join('/');
    await page.goto(`http://127.0.0.1:${port}/lab/tree/${rel}?token=${token}`, { waitUntil: 'domcontentloaded' });
    await page.locator('.jp-Notebook').first().waitFor({ timeout: 120_000 });
    // Wait until the notebook's own session has a connected, idle tslab kernel, then Run > Run All
    // Cells. The toolbar's status indicator cannot be used for this: it reads "Idle" before any
    // kernel exists, and a cell run while the session has no kernel is silently cleared, so every
    // prompt would stay "[ ]:" until the timeout.
    await page.waitForFunction(() => {
      const widget = window.jupyterapp?.shell?.currentWidget;
      const ctx = widget?.sessionContext;
      const kernel = ctx?.session?.kernel;
      return Boolean(ctx?.isReady && kernel && kernel.name === 'tslab' && kernel.connectionStatus === 'connected' && kernel.status === 'idle');
    }, undefined, { timeout: 180_000, polling: 250 });
    await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
    await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();
    // Done when no prompt shows [*] or [ ] for a code cell.
    try {
      await page.waitForFunction(() => {
        const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map((p: any) => String(p.textContent ?? '').trim());
        return prompts.length > 0 && prompts.every((t: string) => /^\[\d+\]:$/.test(t));
      }, undefined, { timeout: 6 * 60_000, polling: 1000 });
    } catch (e) {
      await page.screenshot({ path: path.join(outDir, 'jupyterlab-01_problem_framing-timeout.png'), fullPage: false });
      const state = await page.evaluate(() => {
        const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')).map((p: any) => String(p.textContent ?? '').trim());
        const kernel = window.jupyterapp?.shell?.currentWidget?.sessionContext?.session?.kernel;
        return `prompts: ${prompts.join(' ')}; kernel: ${kernel ? `${kernel.name} ${kernel.status} ${kernel.connectionStatus}` : 'none'}`;
      });
      throw new Error(`${(e as Error).message}\n${state} (screenshot: test-output/jupyterlab-01_problem_framing-timeout.png)`);
    }
    await page.waitForTimeout(1500);
    const errors = await page.evaluate(() => Array.from(document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
    )).map((e: any) => String(e.textContent ?? '').slice(0, 500)));
    const charts = await page.evaluate(() => document.querySelectorAll('.jp-OutputArea .main-svg').length);
    await page.screenshot({ path: path.join(outDir, 'jupyterlab-01_problem_framing.png'), fullPage: false });
    assert.deepEqual(errors, [], 'error output in JupyterLab');
    assert.ok(charts > 0, 'no plotly chart drew in JupyterLab');
    assert.deepEqual(pageErrors, [], 'page errors in JupyterLab');
  } catch (e) {
    throw new Error(`${(e as Error).message}\n--- JupyterLab log (tail) ---\n${labLog.slice(-3000)}`);
  } finally {
    await browser.close();
    lab.kill('SIGTERM');
  }
});
