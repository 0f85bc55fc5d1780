import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../../src/random.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import {
  MAD_NORMAL_SCALE, degenerateCounts, demean, forwardReturns, midranksInto, newCrossSectionLog, newRankScratch,
  percentileRank, rank, regressOut, winsorizeMad, winsorizeQuantile, zscore,
} from '../../../src/panel/kernels.js';
import { throwsCode } from '../assertions.js';

function dates(T: number): string[] {
  return Array.from({ length: T }, (_, t) => new Date(Date.UTC(2020, 0, 1 + t)).toISOString().slice(0, 10));
}

/** Panel from rows of numbers (one inner array per date). */
function P(rows: number[][]): Panel {
  const N = rows[0].length;
  return createPanel(dates(rows.length), Array.from({ length: N }, (_, i) => `A${i}`), Float64Array.from(rows.flat()));
}

function row(p: Panel, t: number): number[] {
  const N = p.assets.length;
  return [...p.values.subarray(t * N, (t + 1) * N)];
}

function close(actual: number[], expected: number[], tol = 1e-12): void {
  assert.equal(actual.length, expected.length);
  for (let k = 0; k < actual.length; k++) {
    if (Number.isNaN(expected[k])) assert.ok(Number.isNaN(actual[k]), `cell ${k}: expected NaN, got ${actual[k]}`);
    else assert.ok(Math.abs(actual[k] - expected[k]) <= tol * Math.max(1, Math.abs(expected[k])), `cell ${k}: expected ${expected[k]}, got ${actual[k]}`);
  }
}

function randomPanel(seed: number, T: number, N: number, nanShare = 0.1, ties = false): Panel {
  const rng = createRng(seed);
  const v = new Float64Array(T * N);
  for (let k = 0; k < v.length; k++) v[k] = rng.uniform() < nanShare ? NaN : ties ? rng.int(7) : rng.normal();
  return createPanel(dates(T), Array.from({ length: N }, (_, i) => `S${i}`), v);
}

/** Brute-force midranks of the non-NaN entries of xs. */
function bruteRanks(xs: number[]): number[] {
  return xs.map((x) => {
    if (Number.isNaN(x)) return NaN;
    let less = 0, eq = 0;
    for (const y of xs) if (!Number.isNaN(y)) { if (y < x) less++; else if (y === x) eq++; }
    return 1 + less + (eq - 1) / 2;
  });
}

const NA = NaN;

test('rank of distinct values is the inverse of the sorting permutation, plus one', () => {
  const p = randomPanel(1, 5, 50, 0);
  const r = rank(p);
  for (let t = 0; t < 5; t++) {
    const x = row(p, t);
    const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
    const rr = row(r, t);
    order.forEach((i, j) => assert.equal(rr[i], j + 1));
  }
});

test('rank: ties get midranks, NaN stays NaN, all-NaN dates stay all-NaN, single asset ranks 1', () => {
  const p = P([[10, 20, 20, 5, 20], [NA, 3, NA, 3, 1], [NA, NA, NA, NA, NA], [NA, NA, 7, NA, NA]]);
  const log = newCrossSectionLog();
  const r = rank(p, { log });
  close(row(r, 0), [2, 4, 4, 1, 4]);
  close(row(r, 1), [NA, 2.5, NA, 2.5, 1]);
  close(row(r, 2), [NA, NA, NA, NA, NA]);
  close(row(r, 3), [NA, NA, 1, NA, NA]);
  assert.deepEqual(log.degenerate.get('empty'), [p.dates[2]]);
});

test('midranksInto agrees with brute force on large inputs with many ties (quicksort path)', () => {
  const rng = createRng(7);
  for (const n of [1, 2, 17, 100, 1000]) {
    const x = Float64Array.from({ length: n }, () => rng.int(5) - 2 + (rng.uniform() < 0.3 ? 0.5 : 0));
    const out = new Float64Array(n);
    midranksInto(x, n, out, newRankScratch(n));
    close([...out], bruteRanks([...x]));
    assert.ok(Math.abs(out.reduce((s, v) => s + v, 0) - n * (n + 1) / 2) < 1e-9);
  }
  const sorted = Float64Array.from({ length: 500 }, (_, i) => i);
  const out = new Float64Array(500);
  midranksInto(sorted, 500, out, newRankScratch(500));
  close([...out], [...sorted].map((v) => v + 1));
});

test('rank agrees with brute force on random panels with ties and NaN', () => {
  const p = randomPanel(3, 10, 60, 0.2, true);
  const r = rank(p);
  for (let t = 0; t < 10; t++) close(row(r, t), bruteRanks(row(p, t)));
});

test('percentileRank = (midrank - 1)/(n - 1); a single valid cell gives 0.5', () => {
  const p = P([[3, 1, 2, NA], [5, 5, 1, 9], [NA, 4, NA, NA], [NA, NA, NA, NA]]);
  const r = percentileRank(p);
  close(row(r, 0), [1, 0, 0.5, NA]);
  close(row(r, 1), [0.5, 0.5, 0, 1]);
  close(row(r, 2), [NA, 0.5, NA, NA]);
  close(row(r, 3), [NA, NA, NA, NA]);
});

test('zscore: hand case with sample std; constant and single-asset dates are NaN, never Infinity', () => {
  const p = P([[1, 2, 3, NA], [5, 5, 5, 5], [NA, 4, NA, NA], [NA, NA, NA, NA], [0.1, 0.1, 0.1, NA]]);
  const log = newCrossSectionLog();
  const z = zscore(p, { log });
  close(row(z, 0), [-1, 0, 1, NA]);
  for (let t = 1; t < 5; t++) close(row(z, t), [NA, NA, NA, NA]);
  assert.ok([...z.values].every((v) => Number.isNaN(v) || Number.isFinite(v)));
  assert.deepEqual(log.degenerate.get('constant'), [p.dates[1], p.dates[4]]);
  assert.deepEqual(log.degenerate.get('too-few'), [p.dates[2]]);
  assert.deepEqual(log.degenerate.get('empty'), [p.dates[3]]);
  assert.deepEqual(degenerateCounts(log), { empty: 1, 'too-few': 1, constant: 2, collinear: 0 });
});

test('zscore of random data has mean 0 and sample std 1 per date', () => {
  const p = randomPanel(11, 6, 40);
  const z = zscore(p);
  for (let t = 0; t < 6; t++) {
    const v = row(z, t).filter((x) => !Number.isNaN(x));
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    assert.ok(Math.abs(m) < 1e-12 && Math.abs(sd - 1) < 1e-12);
  }
});

test('demean subtracts the mean of the valid cells', () => {
  const d = demean(P([[1, 2, NA, 6], [NA, 4, NA, NA], [NA, NA, NA, NA]]));
  close(row(d, 0), [-2, -1, NA, 3]);
  close(row(d, 1), [NA, 0, NA, NA]);
  close(row(d, 2), [NA, NA, NA, NA]);
});

test('winsorizeQuantile clips to type-7 quantiles (numpy default) and validates its bounds', () => {
  // numpy.quantile([1, 2, 3, 4, 100], [0.25, 0.9]) = [2, 61.6]
  const w = winsorizeQuantile(P([[100, 1, NA, 3, 2, 4]]), 0.25, 0.9);
  close(row(w, 0), [61.6, 2, NA, 3, 2, 4]);
  const p = randomPanel(5, 4, 200);
  const q = winsorizeQuantile(p, 0.05, 0.95);
  for (let t = 0; t < 4; t++) {
    const x = row(p, t), y = row(q, t);
    const s = x.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const qt = (u: number) => { const h = (s.length - 1) * u, lo = Math.floor(h); return s[lo] + (h - lo) * (s[Math.min(lo + 1, s.length - 1)] - s[lo]); };
    const lo = qt(0.05), hi = qt(0.95);
    x.forEach((v, i) => {
      if (Number.isNaN(v)) assert.ok(Number.isNaN(y[i]));
      else assert.equal(y[i], Math.min(Math.max(v, lo), hi));
    });
  }
  close(row(winsorizeQuantile(P([[5, NA]])), 0), [5, NA]);
  for (const [l, u] of [[-0.1, 0.9], [0.5, 0.5], [0.2, 1.1], [0.9, 0.1], [NaN, 0.9]]) {
    throwsCode(() => winsorizeQuantile(p, l, u), 'PANEL_BAD_ARGUMENT');
  }
});

test('winsorizeMad clips to median ± k·1.4826·MAD (or raw MAD with scale: false)', () => {
  const p = P([[1, 2, 3, 4, 100, NA], [1, 1, 1, 5, NA, NA]]);
  // median 3, |x - 3| = [2, 1, 0, 1, 97] -> MAD 1
  const log = newCrossSectionLog();
  const w = winsorizeMad(p, 3, { log });
  close(row(w, 0), [1, 2, 3, 4, 3 + 3 * MAD_NORMAL_SCALE, NA]);
  close(row(w, 1), [1, 1, 1, 5, NA, NA]); // MAD = 0: left as is, logged
  assert.deepEqual(log.degenerate.get('constant'), [p.dates[1]]);
  close(row(winsorizeMad(p, 2, { scale: false }), 0), [1, 2, 3, 4, 5, NA]);
  close(row(winsorizeMad(P([[-50, 1, 2, 3, 4]]), 1, { scale: false }), 0), [1, 1, 2, 3, 3]);
  throwsCode(() => winsorizeMad(p, 0), 'PANEL_BAD_ARGUMENT');
  throwsCode(() => winsorizeMad(p, -1), 'PANEL_BAD_ARGUMENT');
});

test('regressOut: hand-solved two-regressor case (residual is the planted orthogonal part)', () => {
  // y = 1 + 2·x1 − x2 + e with e = (1, −1, −1, 1, 0) ⟂ {1, x1, x2}; the 6th row has a NaN regressor.
  const x1 = P([[1, 2, 3, 4, 5, 7]]);
  const x2 = P([[2, 1, 4, 3, 6, NA]]);
  const y = P([[2, 3, 2, 7, 5, 1]]);
  close(row(regressOut(y, [x1, x2]), 0), [1, -1, -1, 1, 0, NA], 1e-10);
  // Without an intercept: y = 2·x1 − x2 + e (e is also ⟂ x1, x2).
  const y0 = P([[1, 2, 1, 6, 4, NA]]);
  close(row(regressOut(y0, [x1, x2], { intercept: false }), 0), [1, -1, -1, 1, 0, NA], 1e-10);
  // Intercept only = demean.
  close(row(regressOut(y, []), 0), row(demean(y), 0), 1e-12);
});

test('regressOut residual is orthogonal to every regressor and sums to zero', () => {
  const y = randomPanel(21, 5, 80), x1 = randomPanel(22, 5, 80), x2 = randomPanel(23, 5, 80, 0);
  const e = regressOut(y, [x1, x2]);
  for (let t = 0; t < 5; t++) {
    const ev = row(e, t), a = row(x1, t), b = row(x2, t), yv = row(y, t);
    let s = 0, sa = 0, sb = 0;
    ev.forEach((v, i) => {
      const valid = !Number.isNaN(yv[i]) && !Number.isNaN(a[i]) && !Number.isNaN(b[i]);
      assert.equal(Number.isNaN(v), !valid);
      if (valid) { s += v; sa += v * a[i]; sb += v * b[i]; }
    });
    assert.ok(Math.abs(s) < 1e-10 && Math.abs(sa) < 1e-10 && Math.abs(sb) < 1e-10, `${s} ${sa} ${sb}`);
  }
});

test('regressOut: collinear regressors are dropped (same residual), too few rows give NaN, shapes must match', () => {
  const x1 = P([[1, 2, 3, 4, 5], [1, 2, NA, NA, NA]]);
  const twice = P([[2, 4, 6, 8, 10], [2, 4, NA, NA, NA]]);
  const zero = P([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
  const y = P([[2, 3, 2, 7, 5], [1, 2, 3, 4, 5]]);
  const log = newCrossSectionLog();
  const e = regressOut(y, [x1, twice, zero], { log });
  close(row(e, 0), row(regressOut(y, [x1]), 0), 1e-10);
  close(row(e, 1), [NA, NA, NA, NA, NA]); // 2 rows < 4 parameters
  assert.deepEqual(log.degenerate.get('collinear'), [y.dates[0]]);
  assert.deepEqual(log.degenerate.get('too-few'), [y.dates[1]]);
  const other = createPanel(y.dates, ['A0', 'A1', 'A2', 'A3', 'Z'], new Float64Array(10));
  throwsCode(() => regressOut(y, [other]), 'PANEL_MISALIGNED');
});

test('forwardReturns: fwd[t] = p[t+k]/p[t] − 1, NaN past the end or on missing prices', () => {
  const p = P([[100, 10], [110, NA], [121, 12]]);
  const f1 = forwardReturns(p, 1);
  close([...f1.values], [0.1, NA, 0.1, NA, NA, NA]);
  const f2 = forwardReturns(p, 2);
  close([...f2.values], [0.21, 0.2, NA, NA, NA, NA]);
  close([...forwardReturns(p, 5).values], [NA, NA, NA, NA, NA, NA]);
  for (const k of [0, -1, 1.5, NaN]) throwsCode(() => forwardReturns(p, k), 'PANEL_BAD_ARGUMENT');
  const bad = throwsCode(() => forwardReturns(P([[1, 2], [0, 3]]), 1), 'PANEL_BAD_PRICE');
  assert.equal(bad.where.asset, 'A0');
  assert.equal(bad.where.date, p.dates[1]);
});

test('kernels never mutate their input and keep dates and assets', () => {
  const p = randomPanel(31, 4, 30, 0.2, true);
  const x = randomPanel(32, 4, 30, 0.2);
  const before = Float64Array.from(p.values);
  const outs = [rank(p), percentileRank(p), zscore(p), demean(p), winsorizeQuantile(p), winsorizeMad(p), regressOut(p, [x])];
  assert.deepEqual(p.values, before);
  for (const o of outs) {
    assert.notEqual(o.values, p.values);
    assert.deepEqual(o.dates, p.dates);
    assert.deepEqual(o.assets, p.assets);
    // NaN in -> NaN out
    p.values.forEach((v, k) => { if (Number.isNaN(v)) assert.ok(Number.isNaN(o.values[k])); });
  }
});
