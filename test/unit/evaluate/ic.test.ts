import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';
import { createRng } from '../../../src/random.js';
import { createPanel, mapValues, type Panel } from '../../../src/panel/panel.js';
import { icByDate, rankIcByDate } from '../../../src/evaluate/ic.js';
import { throwsCode } from '../assertions.js';

function dates(T: number): string[] {
  return Array.from({ length: T }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10));
}

function P(rows: number[][]): Panel {
  const N = rows[0].length;
  return createPanel(dates(rows.length), Array.from({ length: N }, (_, i) => `A${i}`), Float64Array.from(rows.flat()));
}

/** A factor and a return panel with ties (values on a coarse grid), NaN, and some correlation. */
function randomPair(seed: number, T: number, N: number): [Panel, Panel] {
  const rng = createRng(seed);
  const f = new Float64Array(T * N), r = new Float64Array(T * N);
  for (let k = 0; k < f.length; k++) {
    const x = rng.normal();
    f[k] = rng.uniform() < 0.1 ? NaN : Math.round(x * 2) / 2;
    r[k] = rng.uniform() < 0.1 ? NaN : Math.round((0.3 * x + rng.normal()) * 4) / 4;
  }
  const d = dates(T), a = Array.from({ length: N }, (_, i) => `S${i}`);
  return [createPanel(d, a, f), createPanel(d, a, r)];
}

/** Jointly valid pairs of date t. */
function pairs(f: Panel, r: Panel, t: number): [number[], number[]] {
  const N = f.assets.length, xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < N; i++) {
    const x = f.values[t * N + i], y = r.values[t * N + i];
    if (!Number.isNaN(x) && !Number.isNaN(y)) { xs.push(x); ys.push(y); }
  }
  return [xs, ys];
}

test('rankIcByDate equals simple-statistics sampleRankCorrelation on random data with ties and NaN', () => {
  const [f, r] = randomPair(1, 30, 120);
  const res = rankIcByDate(f, r);
  assert.deepEqual(res.dates, f.dates);
  for (let t = 0; t < 30; t++) {
    const [xs, ys] = pairs(f, r, t);
    assert.equal(res.n[t], xs.length);
    assert.ok(Math.abs(res.ic[t] - sampleRankCorrelation(xs, ys)) < 1e-12, `date ${t}`);
  }
  assert.deepEqual(res.skipped, { 'too-few-pairs': 0, 'zero-variance': 0 });
});

test('icByDate equals simple-statistics sampleCorrelation on the jointly valid pairs', () => {
  const [f, r] = randomPair(2, 20, 90);
  const res = icByDate(f, r);
  for (let t = 0; t < 20; t++) {
    const [xs, ys] = pairs(f, r, t);
    assert.equal(res.n[t], xs.length);
    assert.ok(Math.abs(res.ic[t] - sampleCorrelation(xs, ys)) < 1e-12, `date ${t}`);
  }
});

test('rank IC is invariant under strictly increasing transforms of the factor', () => {
  const [f, r] = randomPair(3, 15, 100);
  const base = rankIcByDate(f, r).ic;
  for (const g of [(x: number) => Math.exp(x), (x: number) => x * x * x + 5, (x: number) => 3 * x - 100]) {
    const ic = rankIcByDate(mapValues(f, g), r).ic;
    for (let t = 0; t < 15; t++) assert.ok(Math.abs(ic[t] - base[t]) < 1e-12);
  }
  const flipped = rankIcByDate(mapValues(f, (x) => -x), r).ic;
  for (let t = 0; t < 15; t++) assert.ok(Math.abs(flipped[t] + base[t]) < 1e-12);
});

test('IC and rank IC of a factor with itself are 1', () => {
  const [f] = randomPair(4, 10, 50);
  for (const res of [icByDate(f, f), rankIcByDate(f, f)]) {
    for (let t = 0; t < 10; t++) assert.ok(Math.abs(res.ic[t] - 1) < 1e-12);
  }
});

test('hand case: rank IC with ties and Pearson IC', () => {
  // f = [1, 2, 2, 4], r = [10, 30, 20, 40] -> ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4]
  const f = P([[1, 2, 2, 4]]), r = P([[10, 30, 20, 40]]);
  // centred ranks: a = [-1.5, 0, 0, 1.5], b = [-1.5, 0.5, -0.5, 1.5]: Σab = 4.5, Σa² = 4.5, Σb² = 5
  assert.ok(Math.abs(rankIcByDate(f, r).ic[0] - 4.5 / Math.sqrt(4.5 * 5)) < 1e-15);
  // Pearson: f − 2.25 = [-1.25, -.25, -.25, 1.75], r − 25 = [-15, 5, -5, 15]: Σ = 18.75+(-1.25)+1.25+26.25 = 45
  // Σf² = 1.5625+.0625+.0625+3.0625 = 4.75, Σr² = 500
  assert.ok(Math.abs(icByDate(f, r).ic[0] - 45 / Math.sqrt(4.75 * 500)) < 1e-15);
});

test('dates with too few pairs or zero variance give NaN and are counted by reason', () => {
  const NA = NaN;
  const f = P([[1, 2, 3, 4], [1, NA, 3, 4], [5, 5, 5, 5], [1, 2, 3, 4], [NA, NA, NA, NA]]);
  const r = P([[1, 3, 2, 4], [2, 2, NA, 1], [1, 2, 3, 4], [7, 7, 7, 7], [1, 2, 3, 4]]);
  for (const fn of [icByDate, rankIcByDate]) {
    const res = fn(f, r);
    assert.ok(Number.isFinite(res.ic[0]));
    for (let t = 1; t < 5; t++) assert.ok(Number.isNaN(res.ic[t]), `${fn.name} date ${t}`);
    assert.deepEqual([...res.n], [4, 2, 4, 4, 0]);
    assert.deepEqual(res.skipped, { 'too-few-pairs': 2, 'zero-variance': 2 });
    assert.ok(Number.isFinite(fn(f, r, { minAssets: 2 }).ic[1]));
  }
});

test('IC functions require aligned panels and a valid minAssets', () => {
  const f = P([[1, 2, 3]]);
  const other = createPanel(f.dates, ['A0', 'A1', 'X'], Float64Array.from([1, 2, 3]));
  throwsCode(() => icByDate(f, other), 'PANEL_MISALIGNED');
  throwsCode(() => rankIcByDate(f, other), 'PANEL_MISALIGNED');
  for (const m of [1, 2.5, NaN]) throwsCode(() => rankIcByDate(f, f, { minAssets: m }), 'IC_BAD_ARGUMENT');
});
