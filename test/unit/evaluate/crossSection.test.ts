import { test } from 'node:test';
import assert from 'node:assert/strict';
import { periodReturns } from '../../../src/data/calendar.js';
import { evaluateCrossSections, icForHorizon } from '../../../src/evaluate/crossSection.js';
import { forwardReturnPanel, forwardReturnsFromPrices, forwardReturnsFromReturns } from '../../../src/evaluate/forwardReturns.js';
import { icByDate, rankIcByDate } from '../../../src/evaluate/ic.js';
import { align, createPanel, mapValues, selectAssets, type Panel } from '../../../src/panel/panel.js';
import { close, monthEnds, naiveRanks, P, randomMarket, spearman, pearson, throwsCode } from './helpers.js';

/** Naive rank IC / IC and quantile means of one date, from plain arrays. */
function naiveDate(f: Panel, r: Panel, t: number, Q: number): { rank: number; ic: number; n: number; means: number[] } {
  const N = f.assets.length, xs: number[] = [], ys: number[] = [];
  const fx: [number, number][] = [];
  for (let i = 0; i < N; i++) {
    const x = f.values[t * N + i], y = r.values[t * N + i];
    if (!Number.isNaN(x)) fx.push([x, i]);
    if (!Number.isNaN(x) && !Number.isNaN(y)) { xs.push(x); ys.push(y); }
  }
  fx.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const sums = new Array<number>(Q).fill(0), cnt = new Array<number>(Q).fill(0);
  fx.forEach(([, i], q) => {
    const y = r.values[t * N + i];
    if (Number.isNaN(y)) return;
    const g = Math.floor((q * Q) / fx.length);
    sums[g] += y; cnt[g]++;
  });
  return { rank: spearman(xs, ys), ic: pearson(xs, ys), n: xs.length, means: sums.map((s, g) => s / cnt[g]) };
}

test('fast path equals rankIcByDate / icByDate and a naive computation (NaN, ties, three horizons, both sources)', () => {
  for (const ties of [false, true]) {
    const { prices, factor } = randomMarket(ties ? 21 : 22, 60, 150, { nanRate: 0.08, ties });
    const frs = [
      forwardReturnsFromPrices(prices, { horizons: [1, 5, 21], periodsPerYear: 252 }),
      forwardReturnsFromReturns(periodReturns(prices, prices.dates), { horizons: [1, 5, 21], periodsPerYear: 252 }),
    ];
    for (const fr of frs) {
      const ev = evaluateCrossSections(factor, fr, { groups: { quantiles: 5 } });
      for (const h of ev.horizons) {
        const fwd = forwardReturnPanel(fr, h.horizon.label);
        const ref = rankIcByDate(factor, fwd), refP = icByDate(factor, fwd);
        assert.deepEqual(h.rankIc!.skipped, ref.skipped, `${fr.source} ${h.horizon.label} skipped`);
        assert.deepEqual([...h.rankIc!.n], [...ref.n]);
        assert.deepEqual(h.ic!.skipped, refP.skipped);
        for (let t = 0; t < ev.dates.length; t++) {
          close(h.rankIc!.ic[t], ref.ic[t], 1e-12, `${fr.source} ${h.horizon.label} rank t=${t}`);
          close(h.ic!.ic[t], refP.ic[t], 1e-12, `${fr.source} ${h.horizon.label} ic t=${t}`);
          if (t % 7 === 0 && !Number.isNaN(ref.ic[t])) {
            const nv = naiveDate(factor, fwd, t, 5);
            close(h.rankIc!.ic[t], nv.rank, 1e-12, 'naive rank');
            for (let g = 0; g < 5; g++) close(h.groups!.mean[t * 5 + g], nv.means[g], 1e-12, `naive group ${g}`);
          }
        }
      }
    }
  }
});

test('fast path on a factor with other assets and dates than the returns (alignment by name)', () => {
  const { prices, factor } = randomMarket(5, 30, 40);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 3], periodsPerYear: 12 });
  const sub = selectAssets(factor, [...factor.assets].reverse().filter((_, i) => i % 3 !== 0));
  const extra = createPanel([...sub.dates.slice(5), '2031-01-01'], sub.assets, new Float64Array((sub.dates.length - 4) * sub.assets.length).map((_, k) => (k % 11) - 5));
  for (const f of [sub, extra]) {
    for (const h of ['1M', '3M']) {
      const fast = icForHorizon(f, fr, h);
      const [a, b] = align(f, forwardReturnPanel(fr, h));
      const ref = rankIcByDate(a, b);
      assert.deepEqual(fast.dates, ref.dates);
      for (let t = 0; t < ref.dates.length; t++) close(fast.ic[t], ref.ic[t], 1e-12, `${h} t=${t}`);
    }
  }
});

test('IC of a factor with its own future returns is 1; rank IC is invariant to monotone transforms', () => {
  const { prices } = randomMarket(8, 25, 30, { nanRate: 0.05 });
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 2], periodsPerYear: 12 });
  const own = forwardReturnPanel(fr, 1);
  const ev = evaluateCrossSections(own, fr, { horizons: ['1M'] });
  for (let t = 0; t < 24; t++) {
    close(ev.horizons[0].ic!.ic[t], 1, 1e-12);
    close(ev.horizons[0].rankIc!.ic[t], 1, 1e-12);
  }
  assert.ok(Number.isNaN(ev.horizons[0].rankIc!.ic[24]));
  const { factor } = randomMarket(9, 25, 30);
  const a = icForHorizon(factor, fr, 2), b = icForHorizon(mapValues(factor, (v) => Math.exp(3 * v) + 7), fr, 2);
  assert.deepEqual([...b.ic], [...a.ic]);
  const pa = icForHorizon(factor, fr, 2, { method: 'pearson' }), pb = icForHorizon(mapValues(factor, (v) => Math.exp(3 * v)), fr, 2, { method: 'pearson' });
  assert.notDeepEqual([...pb.ic], [...pa.ic], 'Pearson IC is not rank-invariant');
});

test('equal-weight group returns average to the universe mean when buckets are equal-sized', () => {
  const { prices, factor } = randomMarket(12, 20, 40, { nanRate: 0 });
  const fr = forwardReturnsFromPrices(prices, { horizons: [1, 4], periodsPerYear: 12 });
  const ev = evaluateCrossSections(factor, fr, { groups: { quantiles: 5 } });
  for (const h of ev.horizons) {
    const fwd = forwardReturnPanel(fr, h.horizon.label);
    for (let t = 0; t + h.horizon.periods < 20; t++) {
      let g = 0, u = 0;
      for (let q = 0; q < 5; q++) { assert.equal(h.groups!.count[t * 5 + q], 8); g += h.groups!.mean[t * 5 + q] / 5; }
      for (let i = 0; i < 40; i++) u += fwd.values[t * 40 + i] / 40;
      close(g, u, 1e-12, `t=${t}`);
    }
  }
});

test('groups: hand-worked quantiles with ties (first vs average), spread and its standard error', () => {
  const prices = P([[1, 1, 1, 1], [1.04, 1.01, 1.02, 1.03]], monthEnds(2));
  const factor = P([[3, 1, 2, 2], [NaN, NaN, NaN, NaN]], monthEnds(2));
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const first = evaluateCrossSections(factor, fr, { groups: { quantiles: 2 }, minAssets: 2 }).horizons[0].groups!;
  // (value, asset) order: A1(1), A2(2), A3(2), A0(3) → bottom {A1, A2}, top {A3, A0}.
  close(first.mean[0], 0.015); close(first.mean[1], 0.035);
  close(first.std[0], Math.sqrt(0.00005)); close(first.std[1], Math.sqrt(0.00005));
  assert.deepEqual([...first.count.slice(0, 2)], [2, 2]);
  const avg = evaluateCrossSections(factor, fr, { groups: { quantiles: 2 }, ties: 'average', minAssets: 2 }).horizons[0].groups!;
  // midranks 1, 2.5, 2.5, 4 → bottom {A1, A2, A3}, top {A0}.
  close(avg.mean[0], 0.02); close(avg.mean[1], 0.04);
  assert.deepEqual([...avg.count.slice(0, 2)], [3, 1]);
  assert.ok(Number.isNaN(avg.std[1]));
});

test('groups: cap-weighted means and weighted std; top-k buckets', () => {
  const prices = P([[1, 1, 1, 1, 1, 1], [1.01, 1.03, 1.02, 1.04, 1.05, 1.06]], monthEnds(2));
  const factor = P([[1, 2, 3, 4, NaN, NaN], [1, 1, 1, 1, 1, 1]], monthEnds(2));
  const caps = P([[1, 3, 2, 2, 1, 1], [1, 1, 1, 1, 1, 1]], monthEnds(2));
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const g = evaluateCrossSections(factor, fr, { groups: { quantiles: 2 }, weights: caps, minAssets: 2 }).horizons[0].groups!;
  assert.equal(g.weighting, 'cap');
  close(g.mean[0], 0.025); close(g.mean[1], 0.03);
  close(g.std[0], Math.sqrt((0.0003 / 4) * 2));
  const f6 = P([[6, 5, 4, 3, 2, 1], [1, 2, 3, 4, 5, 6]], monthEnds(2));
  const k = evaluateCrossSections(f6, fr, { groups: { topK: 2 } }).horizons[0].groups!;
  assert.deepEqual(k.labels, ['bottom', 'top']);
  close(k.mean[0], (1.05 + 1.06) / 2 - 1); // A4, A5 have the lowest values
  close(k.mean[1], (1.01 + 1.03) / 2 - 1);
});

test('turnover: hand-worked share of new names per group', () => {
  const d = monthEnds(4);
  const prices = P([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]], d);
  const factor = P([[1, 2, 3, 4], [1, 3, 2, 4], [NaN, 3, 2, 4], [1, 2, 3, 4]], d);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const ev = evaluateCrossSections(factor, fr, { groups: { quantiles: 2 }, minAssets: 2 });
  const to = ev.turnover!.turnover;
  assert.ok(Number.isNaN(to[0]) && Number.isNaN(to[1]));
  assert.deepEqual([...to.slice(2, 6)], [0.5, 0.5, 0.5, 0]);
  // t3: bottom {A0, A1} vs {A2, A1} → 1/2 new; top {A2, A3} vs {A3} → 1/2 new.
  assert.deepEqual([...to.slice(6, 8)], [0.5, 0.5]);
  close(ev.turnover!.mean[1], (0.5 + 0 + 0.5) / 3);
});

test('degenerate dates are skipped and counted, not thrown; no overlap is a named error', () => {
  const d = monthEnds(4);
  const prices = P([[1, 1, 1, 1], [1.1, 1.2, 1.3, 1.4], [1, 1, 1, 1], [1, 2, 3, 4]], d);
  const factor = P([[1, 2, NaN, NaN], [5, 5, 5, 5], [1, 2, 3, 4], [1, 2, 3, 4]], d);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const ev = evaluateCrossSections(factor, fr, { groups: { quantiles: 2 } });
  assert.deepEqual(ev.groupSkipped, { 'too-few-assets': 1, 'all-ties': 1 });
  assert.deepEqual(ev.groupSkippedDates, { 'too-few-assets': [d[0]], 'all-ties': [d[1]] });
  // t0: 2 pairs < 3; t1: factor all tied; t3: no forward return.
  assert.deepEqual(ev.horizons[0].rankIc!.skipped, { 'too-few-pairs': 2, 'zero-variance': 1 });
  close(ev.horizons[0].rankIc!.ic[2], 1);
  const other = createPanel(monthEnds(2, 1990), prices.assets, new Float64Array(8));
  throwsCode(() => evaluateCrossSections(other, fr), 'EVAL_NO_OVERLAP');
  const strangers = createPanel(d, ['X', 'Y', 'Z', 'W'], new Float64Array(16));
  const e = throwsCode(() => evaluateCrossSections(strangers, fr), 'EVAL_NO_OVERLAP');
  assert.match(e.message, /share no assets/);
  throwsCode(() => evaluateCrossSections(factor, fr, { minAssets: 1 }), 'EVAL_BAD_ARGUMENT');
  throwsCode(() => evaluateCrossSections(factor, fr, { groups: { quantiles: 1 } }), 'EVAL_BAD_ARGUMENT');
  throwsCode(() => evaluateCrossSections(factor, fr, { horizons: ['2M'] }), 'EVAL_UNKNOWN_HORIZON');
});

test('midranks over the jointly valid pairs (not over all factor values) when returns are missing', () => {
  const d = monthEnds(2);
  const prices = P([[1, 1, 1, 1, 1], [1.05, NaN, 1.01, 1.02, 1.03]], d);
  const factor = P([[1, 2, 2, 3, 4], [0, 0, 0, 0, 0]], d);
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const ic = icForHorizon(factor, fr, 1);
  close(ic.ic[0], pearson(naiveRanks([1, 2, 3, 4]), naiveRanks([0.05, 0.01, 0.02, 0.03])), 1e-12);
});

test('two unchanged prices tie exactly in the rank IC (6-asset example: Spearman −0.2319, not −0.2000)', () => {
  // Returns [0, 0, +10%, −10%, +5%, −5%] (A0 at 49 and A1 at 10 unchanged), factor 1..6.
  // Hand-worked: return midranks [3.5, 3.5, 6, 1, 5, 2], factor ranks 1..6, deviations from 3.5:
  // Σab = −4, Σa² = 17.5, Σb² = 17, ρ = −4/√(17.5·17) = −0.231908... Breaking the tie (0 vs
  // −1.1e-16 from 49·(1/49) − 1) gives ranks 3, 4 and ρ = −3.5/17.5 = −0.2000.
  const prices = P([[49, 10, 100, 100, 100, 100], [49, 10, 110, 90, 105, 95]], monthEnds(2));
  const factor = P([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]], monthEnds(2));
  const fr = forwardReturnsFromPrices(prices, { horizons: [1], periodsPerYear: 12 });
  const ev = evaluateCrossSections(factor, fr, { groups: false });
  const expected = -4 / Math.sqrt(17.5 * 17);
  close(expected, -0.2319, 1e-4);
  close(ev.horizons[0].rankIc!.ic[0], expected, 1e-14, 'evaluateCrossSections rank IC');
  close(rankIcByDate(factor, forwardReturnPanel(fr, 1)).ic[0], expected, 1e-14, 'rankIcByDate on the materialized returns');
});
