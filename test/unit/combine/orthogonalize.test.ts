import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gramSchmidt, orthogonalizeAgainst, symmetricOrthogonalize } from '../../../src/combine/orthogonalize.js';
import { regressOut } from '../../../src/panel/kernels.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { createRng } from '../../../src/random.js';
import { close, days, P, pearson, throwsCode } from '../evaluate/helpers.js';

function correlated(seed: number, T: number, N: number): Record<string, Panel> {
  const rng = createRng(seed);
  const mk = (): Float64Array => new Float64Array(T * N);
  const a = mk(), b = mk(), c = mk();
  for (let k = 0; k < T * N; k++) {
    a[k] = rng.normal();
    b[k] = 0.6 * a[k] + rng.normal();
    c[k] = -0.4 * a[k] + 0.5 * b[k] + rng.normal();
    if (rng.uniform() < 0.05) b[k] = NaN;
  }
  const d = days(T), as = Array.from({ length: N }, (_, i) => `I${i}`);
  return { a: createPanel(d, as, a), b: createPanel(d, as, b), c: createPanel(d, as, c) };
}

/** Columns of date t over the assets where all are valid. */
function cols(ps: Panel[], t: number): number[][] {
  const N = ps[0].assets.length, out: number[][] = ps.map(() => []);
  for (let i = 0; i < N; i++) {
    const v = ps.map((p) => p.values[t * N + i]);
    if (v.every((x) => !Number.isNaN(x))) v.forEach((x, k) => out[k].push(x));
  }
  return out;
}

test('orthogonalizeAgainst: the per-date regression residual on the named others', () => {
  const f = correlated(1, 6, 30);
  const r = orthogonalizeAgainst(f, 'c', ['a', 'b']);
  assert.deepEqual([...r.values], [...regressOut(f.c, [f.a, f.b]).values]);
  for (let t = 0; t < 6; t++) {
    const [e, a, b] = cols([r, f.a, f.b], t);
    close(pearson(e, a), 0, 1e-10); close(pearson(e, b), 0, 1e-10);
  }
  throwsCode(() => orthogonalizeAgainst(f, 'c', ['c']), 'COMBINE_BAD_ARGUMENT');
  throwsCode(() => orthogonalizeAgainst(f, 'c', ['zz']), 'COMBINE_UNKNOWN_FACTOR');
});

test('Gram-Schmidt in a stated order: first factor demeaned, later ones orthogonal to the earlier', () => {
  const f = correlated(2, 5, 40);
  const g = gramSchmidt(f, ['b', 'a', 'c']);
  for (let t = 0; t < 5; t++) {
    const [b0] = cols([f.b, f.a, f.c], t);
    const [gb, ga, gc] = cols([g.factors.b, g.factors.a, g.factors.c], t);
    const mb = b0.reduce((s, v) => s + v, 0) / b0.length;
    gb.forEach((v, k) => close(v, b0[k] - mb, 1e-12));
    close(pearson(ga, gb), 0, 1e-10); close(pearson(gc, gb), 0, 1e-10); close(pearson(gc, ga), 0, 1e-10);
  }
  const collinear = { x: P([[1, 2, 3, 4], [1, 2, 3, 5]]), y: P([[2, 4, 6, 8], [1, 0, 1, 0]]) };
  const c = gramSchmidt(collinear, ['x', 'y']);
  assert.deepEqual(c.skipped, { 'too-few': 0, constant: 0, collinear: 1 });
  assert.ok([...c.factors.y.values.subarray(0, 4)].every(Number.isNaN));
  assert.ok([...c.factors.y.values.subarray(4)].every(Number.isFinite));
});

test('symmetric (Löwdin) orthogonalization: identity cross-sectional correlation and unit variance', () => {
  const f = correlated(3, 8, 50);
  const l = symmetricOrthogonalize(f);
  for (let t = 0; t < 8; t++) {
    const cs = cols([l.factors.a, l.factors.b, l.factors.c], t);
    for (let i = 0; i < 3; i++) {
      const n = cs[i].length, m = cs[i].reduce((s, v) => s + v, 0) / n;
      close(m, 0, 1e-10);
      close(cs[i].reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1), 1, 1e-10);
      for (let j = i + 1; j < 3; j++) close(pearson(cs[i], cs[j]), 0, 1e-10);
    }
  }
  // Already uncorrelated standardized inputs are left unchanged (M = I).
  const z = { u: P([[1, -1, 1, -1]]), v: P([[1, 1, -1, -1]]) };
  const lz = symmetricOrthogonalize(z);
  const s = Math.sqrt(4 / 3);
  assert.deepEqual([...lz.factors.u.values].map((x) => Math.round(x * s * 1e9) / 1e9), [1, -1, 1, -1]);
  const bad = { x: P([[1, 2, 3, 4], [1, 1, 1, 1], [1, 2, NaN, NaN]]), y: P([[2, 4, 6, 8], [1, 2, 3, 4], [3, 1, 2, 2]]) };
  const lb = symmetricOrthogonalize(bad);
  assert.deepEqual(lb.skipped, { 'too-few': 1, constant: 1, collinear: 1 });
  throwsCode(() => symmetricOrthogonalize({ x: bad.x }), 'COMBINE_BAD_ARGUMENT');
});
