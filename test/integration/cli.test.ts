/**
 * The command-line tool as a user runs it: help, usage errors (exit 2), a run on the built-in
 * simulator writing its outputs, allocate and orders on the samples (byte-identical on rerun,
 * reconciling to the capital), and bad inputs that must fail without leaving a file behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasSharedData } from '../../src/data/paths.js';

const root = process.cwd();
/** `rotation <args>` as `npm run rotation` runs it: bin/rotation.mjs (the CLI from its cached bundle). */
const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/rotation.mjs', ...args], { cwd: root, encoding: 'utf8' });

test('help and usage errors', () => {
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: rotation <command>/);
  const runHelp = cli('run', '--help');
  assert.equal(runHelp.status, 0);
  assert.match(runHelp.stdout, /--data VALUE/);
  const unknown = cli('frobnicate');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badOpt = cli('run', '--colour', 'red');
  assert.equal(badOpt.status, 2);
  assert.match(badOpt.stderr, /Unknown option --colour/);
  const badSeed = cli('run', '--seed', 'abc');
  assert.equal(badSeed.status, 2);
  const noCommand = cli();
  assert.equal(noCommand.status, 2);
});

test('run on the simulator writes its outputs, byte-identical on rerun', { timeout: 5 * 60_000 }, () => {
  const a = mkdtempSync(path.join(os.tmpdir(), 'run-a-'));
  const b = mkdtempSync(path.join(os.tmpdir(), 'run-b-'));
  const ra = cli('run', '--out', a);
  assert.equal(ra.status, 0, ra.stderr);
  assert.match(ra.stdout, /\[1\/\d+\] load data \(simulator, seed 7\)/);
  const rb = cli('run', '--out', b, '--quiet');
  assert.equal(rb.status, 0, rb.stderr);
  const [dir] = readdirSync(a).filter((x) => x !== 'experiments.jsonl');
  const files = readdirSync(path.join(a, dir)).sort();
  const expected = ['summary.md', 'coverage.csv', 'loss_report.csv', 'rebalance_dates.csv', 'factors.csv', 'factor_loss_report.csv', 'factors_unavailable.csv',
    'ic_summary.csv', 'preprocessing.csv', 'composite.csv', 'weights.csv', 'allocation_summary.csv', 'performance.csv', 'loss_summary.csv', 'manifest.json', 'runs', 'tearsheet.html'];
  assert.deepEqual(files, [...expected].sort());
  assert.match(ra.stdout, /\[8\/8\] write outputs, the tear sheet and the run log/);
  // one experiment record per strategy, byte-identical on rerun
  const runs = readdirSync(path.join(a, dir, 'runs')).sort();
  assert.equal(runs.length, 8);
  for (const h of runs) {
    for (const f of ['record.json', 'scores.csv', 'weights.csv', 'returns.csv']) {
      assert.equal(readFileSync(path.join(a, dir, 'runs', h, f), 'utf8'), readFileSync(path.join(b, dir, 'runs', h, f), 'utf8'), `runs/${h}/${f} differs between reruns`);
    }
  }
  assert.equal(readFileSync(path.join(a, 'experiments.jsonl'), 'utf8').trim().split('\n').length, 8);
  const perf = readFileSync(path.join(a, dir, 'performance.csv'), 'utf8').split('\n');
  assert.match(perf[0], /^strategy,cagr,excessCagr/);
  for (const name of ['model: top-5', 'model: optimizer', 'equal weight', 'momentum 12-1M', 'MVO (sample)', 'HMM regimes']) assert.ok(perf.some((l) => l.startsWith(`${name},`)), name);
  assert.equal(readFileSync(path.join(a, dir, 'factors.csv'), 'utf8').split('\n')[0], 'date,industry,factor,value');
  for (const f of files.filter((x) => x !== 'runs')) assert.equal(readFileSync(path.join(a, dir, f), 'utf8'), readFileSync(path.join(b, dir, f), 'utf8'), `${f} differs between reruns`);
  const coverage = readFileSync(path.join(a, dir, 'coverage.csv'), 'utf8').split('\n');
  assert.equal(coverage[0], 'asset,name,first,last,valid,missingShare,gapShare');
});

test('a spec edited in a text editor runs without code changes, lands in the run log, and compares with the default', { timeout: 5 * 60_000 }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'run-m-'));
  const spec = JSON.parse(readFileSync('models/default.json', 'utf8'));
  const variantFile = path.join(out, 'top3_equal.json');
  writeFileSync(variantFile, JSON.stringify({ ...spec, name: 'model: top-3, equal factor weights', allocator: { name: 'top-k', k: 3 }, composite: { ...spec.composite, method: 'equal' } }, null, 2));
  const r1 = cli('run', '--out', out, '--quiet');
  assert.equal(r1.status, 0, r1.stderr);
  const r2 = cli('run', '--out', out, '--quiet', '--model', variantFile);
  assert.equal(r2.status, 0, r2.stderr);
  assert.match(r2.stdout, /model: top-3, equal factor weights \[[0-9a-f]{12}\]/);
  assert.match(r2.stdout, /9 specs tried on these data/);
  const list = cli('runs', '--out', out);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /model: top-3, equal factor weights/);
  const hashOf = (name: string) => new RegExp(`\\| ([0-9a-f]{12}) \\| ${name.replace(/[().+]/g, '\\$&')} \\|`).exec(list.stdout)![1];
  const cmp = cli('compare', hashOf('model: top-5'), hashOf('model: top-3, equal factor weights'), '--out', out);
  assert.equal(cmp.status, 0, cmp.stderr);
  assert.match(cmp.stdout, /paired test, B − A monthly active return over \d+ common periods: mean -?\d+\.\d+% per period, t = -?\d+\.\d+/);
  assert.match(cmp.stdout, /\| out-of-sample \| excessCagr \|/);
  const missing = cli('compare', 'deadbeef', hashOf('model: top-5'), '--out', out);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /MODEL_RUN_NOT_FOUND/);
  const one = cli('compare', 'abcd', '--out', out);
  assert.equal(one.status, 2);
  writeFileSync(path.join(out, 'broken.json'), '{ "name": "x", }');
  const broken = cli('run', '--out', path.join(out, 'b'), '--model', path.join(out, 'broken.json'));
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /MODEL_SPEC_NOT_JSON/);
  assert.ok(!existsSync(path.join(out, 'b')), 'a bad spec leaves no output folder');
  const both = cli('allocate', '--method', 'top5', '--model', variantFile);
  assert.equal(both.status, 2);
});

test('run on a folder that does not exist fails with exit 1 and names the path', () => {
  const r = cli('run', '--data', 'no/such/folder', '--out', mkdtempSync(path.join(os.tmpdir(), 'run-x-')));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /no\/such\/folder/);
});

const HOLDINGS = 'data/deploy/holdings_sim.csv', MAP = 'data/deploy/instruments_sim.csv';

function csvRows(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

test('allocate: latest target weights, byte-identical on rerun; bad dates name the valid range', { timeout: 5 * 60_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alloc-'));
  const a = cli('allocate', '--out', path.join(dir, 'a.csv'));
  assert.equal(a.status, 0, a.stderr);
  assert.match(a.stdout, /\[1\/4\] load data/);
  assert.match(a.stdout, /\[3\/4\] factor health at the as-of date \(monitor\)/);
  assert.match(a.stdout, /allocate: simulator\(seed=7\) 2024-12-31 \(model: top-5 \[[0-9a-f]+\]\): 5 industries held/);
  assert.match(a.stdout, /factor health at 2024-12-31: healthy \d+/);
  const b = cli('allocate', '--asof', '2024-12-31', '--quiet', '--out', path.join(dir, 'b.csv'));
  assert.equal(b.status, 0, b.stderr);
  assert.equal(readFileSync(path.join(dir, 'a.csv'), 'utf8'), readFileSync(path.join(dir, 'b.csv'), 'utf8'));
  const rows = csvRows(path.join(dir, 'a.csv'));
  assert.deepEqual(Object.keys(rows[0]), ['date', 'industry', 'name', 'score', 'rank', 'targetWeight', 'previousWeight', 'change', 'specHash']);
  assert.equal(rows.length, 30);
  assert.ok(Math.abs(rows.reduce((s, r) => s + Number(r.targetWeight), 0) - 1) < 1e-9);
  const late = cli('allocate', '--asof', '2031-01-31', '--out', path.join(dir, 'late.csv'));
  assert.equal(late.status, 1);
  assert.match(late.stderr, /DEPLOY_AS_OF_OUT_OF_RANGE/);
  assert.match(late.stderr, /between 20\d\d-\d\d-\d\d .* and 2024-12-31/);
  const notMonthEnd = cli('allocate', '--asof', '2024-12-16', '--out', path.join(dir, 'x.csv'));
  assert.equal(notMonthEnd.status, 1);
  assert.match(notMonthEnd.stderr, /DEPLOY_NOT_REBALANCE_DATE.*2024-11-29 or 2024-12-31/s);
  assert.deepEqual(readdirSync(dir).sort(), ['a.csv', 'b.csv'], 'no file from a failed command');
});

test('allocate on CITIC\'s latest date: the factor-health warning block; --require-healthy is DEPLOY_UNHEALTHY_FACTORS and writes nothing', { timeout: 5 * 60_000 }, (t) => {
  if (!hasSharedData()) { t.skip('../shared/data is absent: the CITIC export is needed'); return; }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alloc-citic-'));
  const warn = cli('allocate', '--data', 'citic', '--quiet', '--out', path.join(dir, 'w.csv'));
  assert.equal(warn.status, 0, warn.stderr);
  assert.match(warn.stderr, /WARNING factor health: \d+ of \d+ factors of spec "model: top-5" \[[0-9a-f]+\] are failed or stale at \d{4}-\d{2}-\d{2}/);
  const strict = cli('allocate', '--data', 'citic', '--require-healthy', '--out', path.join(dir, 's.csv'));
  assert.equal(strict.status, 1, strict.stdout);
  assert.match(strict.stderr, /DEPLOY_UNHEALTHY_FACTORS/);
  assert.deepEqual(readdirSync(dir), ['w.csv'], 'no file from the refused run');
});

test('orders: the sample book moves to the targets, reconciling to the capital within one lot', { timeout: 5 * 60_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orders-'));
  const args = ['orders', '--holdings', HOLDINGS, '--instruments', MAP, '--capital', '10500000', '--min-trade', '5000', '--cost-bps', '10'];
  const r = cli(...args, '--out', path.join(dir, 'o.csv'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /orders: simulator\(seed=7\) 2024-12-31: \d+ trades/);
  const rows = csvRows(path.join(dir, 'o.csv'));
  assert.deepEqual(Object.keys(rows[0]), ['date', 'industry', 'instrument', 'price', 'currentQuantity', 'currentValue', 'targetWeight', 'targetValue',
    'tradeQuantity', 'tradeValue', 'finalQuantity', 'finalValue', 'cost', 'status']);
  const cash = rows[rows.length - 1], inst = rows.slice(0, -1);
  assert.equal(cash.instrument, 'CASH');
  const total = inst.reduce((s, x) => s + Number(x.finalValue) + Number(x.cost), 0) + Number(cash.finalValue);
  assert.ok(Math.abs(total - 10_500_000) < 1e-3, `reconciles: ${total}`);
  assert.ok(Number(cash.finalValue) >= 0);
  for (const x of inst.filter((y) => y.status !== 'skipped: below minimum')) {
    assert.ok(Math.abs(Number(x.finalValue) - Number(x.targetValue)) <= 100 * Number(x.price) + 1e-6, `${x.instrument} within one lot`);
    assert.equal(Number(x.finalQuantity) % 100 === 0 || Number(x.targetValue) > 0, true);
  }
  const again = cli(...args, '--quiet', '--out', path.join(dir, 'o2.csv'));
  assert.equal(again.status, 0, again.stderr);
  assert.equal(readFileSync(path.join(dir, 'o.csv'), 'utf8'), readFileSync(path.join(dir, 'o2.csv'), 'utf8'));
});

test('orders: bad inputs fail with a named error and leave no file', { timeout: 5 * 60_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orders-bad-'));
  const out = path.join(dir, 'o.csv');
  const bad = (name: string, text: string) => { const f = path.join(dir, name); writeFileSync(f, text); return f; };
  const cases: { args: string[]; status: number; match: RegExp }[] = [
    { args: ['--holdings', HOLDINGS, '--instruments', MAP, '--capital', '0'], status: 2, match: /--capital must be a number > 0/ },
    { args: ['--holdings', HOLDINGS, '--instruments', MAP, '--capital', '-1e6'], status: 2, match: /--capital must be a number > 0/ },
    { args: ['--holdings', HOLDINGS, '--instruments', MAP], status: 2, match: /--capital is required/ },
    { args: ['--holdings', 'no/such.csv', '--capital', '1e6'], status: 1, match: /CLI_INPUT_NOT_FOUND.*no\/such\.csv/ },
    { args: ['--holdings', HOLDINGS, '--capital', '1e7'], status: 1, match: /DEPLOY_HOLDINGS_UNKNOWN_CODE.*SIMETF19.*row=2/ },
    { args: ['--holdings', bad('neg.csv', 'code,quantity,price\nIND01,-100,5\n'), '--capital', '1e7'], status: 1, match: /DEPLOY_HOLDINGS_NEGATIVE.*row=2/ },
    { args: ['--holdings', bad('dup.csv', 'code,quantity,price\nIND01,100,5\nIND01,100,5\n'), '--capital', '1e7'], status: 1, match: /DEPLOY_HOLDINGS_DUPLICATE.*row=3/ },
    { args: ['--holdings', bad('noprice.csv', 'code,quantity,price\nIND01,100,\n'), '--capital', '1e7'], status: 1, match: /DEPLOY_HOLDINGS_MISSING_PRICE/ },
    { args: ['--holdings', bad('text.csv', 'code,quantity,price\nIND01,1 lot,5\n'), '--capital', '1e7'], status: 1, match: /DEPLOY_HOLDINGS_TEXT.*column=quantity/ },
    { args: ['--holdings', HOLDINGS, '--instruments', MAP, '--capital', '1e7', '--lot', '0'], status: 2, match: /--lot must be a whole number >= 1/ },
    { args: ['--holdings', HOLDINGS, '--instruments', MAP, '--capital', '1e7', '--colour', 'red'], status: 2, match: /Unknown option --colour/ },
  ];
  for (const c of cases) {
    const r = cli('orders', ...c.args, '--out', out);
    assert.equal(r.status, c.status, `${c.args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, c.match, c.args.join(' '));
    assert.ok(!existsSync(out), `${c.args.join(' ')} left ${out}`);
  }
  // An output path that cannot be written: a file stands where the folder should be.
  const blocker = bad('blocker', 'x');
  const r = cli('orders', '--holdings', HOLDINGS, '--instruments', MAP, '--capital', '1e7', '--out', path.join(blocker, 'o.csv'));
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /CLI_OUTPUT_NOT_WRITABLE/);
  assert.deepEqual(readdirSync(dir).sort(), ['blocker', 'dup.csv', 'neg.csv', 'noprice.csv', 'text.csv']);
});

test('monitor: flags the factor the simulator switches off, keeps the strong one healthy, byte-identical on rerun', { timeout: 5 * 60_000 }, () => {
  const a = mkdtempSync(path.join(os.tmpdir(), 'mon-a-')), b = mkdtempSync(path.join(os.tmpdir(), 'mon-b-'));
  const ra = cli('monitor', '--out', a);
  assert.equal(ra.status, 0, ra.stderr);
  assert.match(ra.stdout, /\[3\/4\] rolling ICs, alerts and factor health/);
  assert.match(ra.stdout, /monitor: simulator\(seed=7\) 2024-12-31: 41 factors/);
  const rb = cli('monitor', '--asof', '2024-12-31', '--quiet', '--out', b);
  assert.equal(rb.status, 0, rb.stderr);
  const dir = path.join('simulator_seed_7', 'monitor_2024-12-31');
  const files = readdirSync(path.join(a, dir)).sort();
  assert.deepEqual(files, ['alerts.csv', 'health.csv', 'health_history.csv', 'manifest.json', 'monitor.md', 'rolling_ic.csv']);
  for (const f of files) assert.equal(readFileSync(path.join(a, dir, f), 'utf8'), readFileSync(path.join(b, dir, f), 'utf8'), `${f} differs between reruns`);
  const health = csvRows(path.join(a, dir, 'health.csv'));
  assert.equal(health.find((r) => r.factor === 'crowding_volume_z')?.status, 'failed');
  assert.equal(health.find((r) => r.factor === 'mom_12_1')?.status, 'healthy');
  const alerts = csvRows(path.join(a, dir, 'alerts.csv')).filter((r) => r.factor === 'crowding_volume_z');
  assert.ok(alerts.length > 0 && alerts.every((r) => r.date > '2020-01-31'), 'crowding alerts only after the planted switch-off (2020-01-31)');
  const bad = cli('monitor', '--asof', '2024-12-30', '--out', path.join(a, 'bad'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /MONITOR_UNKNOWN_DATE/);
  assert.ok(!existsSync(path.join(a, 'bad')), 'no output folder from a failed monitor');
});
