import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, solve } from 'ml-matrix';
import { degenerateCounts, newCrossSectionLog, regressOut } from '../../../src/panel/kernels.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { neutralize } from '../../../src/preprocess/neutralize.js';
import { createRng } from '../../../src/random.js';
import { close, dates, P, row, throwsCode } from './helpers.js';

const ind = (industries: string[], codes: number[]) => ({ industries, codes: Int32Array.from(codes) });

test('industry dummies only: residual = y − industry mean, R² = between / total sum of squares', () => {
  const y = P([[1, 3, 10, 14, 5]]);
  const res = neutralize(y, { industry: ind(['G1', 'G2', 'G3'], [0, 0, 1, 1, 2]) });
  close(row(res.residual, 0), [-1, 1, -2, 2, 0]);
  const mean = 33 / 5;
  const sst = [1, 3, 10, 14, 5].reduce((a, v) => a + (v - mean) ** 2, 0);
  close([res.rSquared[0]], [1 - 10 / sst]);
  assert.equal(res.nObs[0], 5);
});

/** Dense OLS residual and R² by the normal equations (reference). */
function denseOls(y: number[], X: number[][]): { e: number[]; r2: number } {
  const A = new Matrix(X), b = Matrix.columnVector(y);
  const beta = solve(A.transpose().mmul(A), A.transpose().mmul(b));
  const fit = A.mmul(beta).getColumn(0);
  const e = y.map((v, i) => v - fit[i]);
  const m = y.reduce((a, v) => a + v, 0) / y.length;
  return { e, r2: 1 - e.reduce((a, v) => a + v * v, 0) / y.reduce((a, v) => a + (v - m) ** 2, 0) };
}

test('industry dummies + log cap (Frisch–Waugh) equals the dense regression with explicit dummies', () => {
  const rng = createRng(5);
  const N = 40, G = 4, T = 3;
  const codes: number[] = [], yv: number[] = [], cv: number[] = [];
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const g = (i * 7 + t) % G;
      codes.push(g);
      const c = Math.exp(20 + rng.normal());
      cv.push(c);
      yv.push(0.3 * g + 0.5 * Math.log(c) + rng.normal());
    }
  }
  yv[5] = NaN; cv[N + 3] = -1; // left out: y missing, cap not positive
  const d = dates(T), a = Array.from({ length: N }, (_, i) => `S${i}`);
  const y = createPanel(d, a, Float64Array.from(yv)), cap = createPanel(d, a, Float64Array.from(cv));
  const res = neutralize(y, { industry: ind(['A', 'B', 'C', 'D'], codes), cap });
  for (let t = 0; t < T; t++) {
    const rows: number[] = [];
    for (let i = 0; i < N; i++) if (Number.isFinite(yv[t * N + i]) && cv[t * N + i] > 0) rows.push(i);
    const X = rows.map((i) => [...Array.from({ length: G }, (_, g) => (codes[t * N + i] === g ? 1 : 0)), Math.log(cv[t * N + i])]);
    const ref = denseOls(rows.map((i) => yv[t * N + i]), X);
    const got = rows.map((i) => res.residual.values[t * N + i]);
    close(got, ref.e, 1e-9);
    close([res.rSquared[t]], [ref.r2], 1e-10);
    assert.equal(res.nObs[t], rows.length);
  }
  assert.ok(Number.isNaN(res.residual.values[5]) && Number.isNaN(res.residual.values[N + 3]));
});

test('no industry: intercept + log cap equals regressOut on log cap', () => {
  const y = P([[1, 4, 2, 8, 5], [3, 1, 4, 1, 5]]);
  const cap = P([[10, 100, 20, 1000, 50], [5, 6, 7, 8, 9]]);
  const res = neutralize(y, { cap });
  const logCap: Panel = { ...cap, values: cap.values.map(Math.log) };
  close([...res.residual.values], [...regressOut(y, [logCap]).values], 1e-10);
});

test('singular design: a constant log cap is collinear with the industry dummies (named)', () => {
  const y = P([[1, 2, 3, 4, 5, 6]]);
  const cap = P([[7, 7, 7, 7, 7, 7]]);
  const e = throwsCode(() => neutralize(y, { industry: ind(['G1', 'G2'], [0, 0, 0, 1, 1, 1]), cap }), 'NEUTRALIZE_COLLINEAR');
  assert.equal(e.where.column, 'log_cap');
  assert.deepEqual(e.where.collinearWith, ['industry dummies']);
  assert.match(e.message, /"log_cap" is a linear combination of "industry dummies"/);
  // cap constant within each industry (e.g. one asset per industry) is collinear too
  const cap2 = P([[7, 7, 7, 9, 9, 9]]);
  throwsCode(() => neutralize(y, { industry: ind(['G1', 'G2'], [0, 0, 0, 1, 1, 1]), cap: cap2 }), 'NEUTRALIZE_COLLINEAR');
  // and with an intercept only
  assert.deepEqual(throwsCode(() => neutralize(y, { cap }), 'NEUTRALIZE_COLLINEAR').where.collinearWith, ['intercept']);
});

test('singular design: explicit dummies that sum to the intercept, and a duplicated column, are named', () => {
  const y = P([[1, 2, 3, 4, 5, 6, 7]]);
  const d1 = P([[1, 1, 0, 0, 0, 0, 0]]), d2 = P([[0, 0, 1, 1, 0, 0, 0]]), d3 = P([[0, 0, 0, 0, 1, 1, 1]]);
  const e = throwsCode(() => neutralize(y, { columns: { d1, d2, d3 } }), 'NEUTRALIZE_COLLINEAR');
  assert.equal(e.where.column, 'd3');
  assert.deepEqual(e.where.collinearWith, ['intercept', 'd1', 'd2']);
  const x = P([[1, 5, 2, 8, 3, 9, 4]]), x2 = P([[2, 10, 4, 16, 6, 18, 8]]);
  const e2 = throwsCode(() => neutralize(y, { columns: { x, x2 } }), 'NEUTRALIZE_COLLINEAR');
  assert.equal(e2.where.column, 'x2');
  assert.deepEqual(e2.where.collinearWith, ['x']);
  const zero = P([[0, 0, 0, 0, 0, 0, 0]]);
  const e3 = throwsCode(() => neutralize(y, { columns: { zero } }), 'NEUTRALIZE_COLLINEAR');
  assert.match(e3.message, /all zero/);
});

test('dropCollinear: the column is dropped on that date, recorded, and the residual equals the smaller design', () => {
  const y = P([[1, 2, 3, 4, 5, 6, 7], [2, 1, 4, 3, 6, 5, 8]]);
  const d1 = P([[1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0]]);
  const d2 = P([[0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]]);
  const d3 = P([[0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 1, 1, 1]]);
  const log = newCrossSectionLog();
  const res = neutralize(y, { columns: { d1, d2, d3 }, dropCollinear: true, log });
  assert.deepEqual(res.dropped.map((x) => [x.date, x.column, x.combinationOf]), [
    [y.dates[0], 'd3', ['intercept', 'd1', 'd2']], [y.dates[1], 'd3', ['intercept', 'd1', 'd2']],
  ]);
  close([...res.residual.values], [...neutralize(y, { columns: { d1, d2 } }).residual.values], 1e-12);
  assert.equal(degenerateCounts(log).collinear, 2);
});

test('too few rows for the parameters: NaN and logged; no regressor at all is an error', () => {
  const log = newCrossSectionLog();
  const res = neutralize(P([[1, 2, NaN]]), { industry: ind(['G1', 'G2'], [0, 1, 0]), log });
  close(row(res.residual, 0), [NaN, NaN, NaN]);
  assert.equal(degenerateCounts(log)['too-few'], 1);
  throwsCode(() => neutralize(P([[1, 2]]), { intercept: false }), 'NEUTRALIZE_NO_REGRESSOR');
  throwsCode(() => neutralize(P([[1, 2]]), { industry: ind(['G'], [0, 1]) }), 'PREPROCESS_BAD_INDUSTRY');
  throwsCode(() => neutralize(P([[1, 2]]), { industry: ind(['G'], [0, 0, 0]) }), 'PREPROCESS_BAD_INDUSTRY');
});

test('stock-level scale: 3,000 stocks x 30 industries + log cap matches regressOut with 29 dense dummies', () => {
  const rng = createRng(9);
  const N = 3000, G = 30, T = 2;
  const codes = new Int32Array(T * N), yv = new Float64Array(T * N), cv = new Float64Array(T * N);
  for (let k = 0; k < T * N; k++) {
    codes[k] = rng.int(G);
    cv[k] = Math.exp(21 + 1.5 * rng.normal());
    yv[k] = 0.1 * codes[k] + 0.2 * Math.log(cv[k]) + rng.normal();
  }
  const d = dates(T), a = Array.from({ length: N }, (_, i) => `S${i}`);
  const y = createPanel(d, a, yv), cap = createPanel(d, a, cv);
  const fwl = neutralize(y, { industry: { industries: Array.from({ length: G }, (_, g) => `G${g}`), codes }, cap });
  const dummies: Panel[] = [];
  for (let g = 1; g < G; g++) dummies.push(createPanel(d, a, Float64Array.from(codes, (c) => (c === g ? 1 : 0))));
  const ref = regressOut(y, [...dummies, { ...cap, values: cv.map(Math.log) }]);
  close([...fwl.residual.values], [...ref.values], 1e-9);
});
