/**
 * Monitor: rolling IC windows by hand, alert rules by hand, no look-ahead, dynamic weights, and on
 * the default simulator the switch-off factor is flagged while mom_12_1 stays healthy.
 * Run: node --import tsx --test test/unit/monitor/monitor.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IcByDate } from '../../../src/evaluate/ic.js';
import { rollingIc, rollingIcTable } from '../../../src/monitor/rollingIc.js';
import { alertHistory, alertInputs, alertsAtIndex } from '../../../src/monitor/alerts.js';
import { factorHealth, healthHistory } from '../../../src/monitor/health.js';
import { dynamicWeights } from '../../../src/monitor/dynamicWeights.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { alignedFactors, factorStudy } from '../../../src/model/evidence.js';
import { icByFactor } from '../../../src/evaluate/crossSection.js';
import { RotationError } from '../../../src/errors.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
function series(values: readonly number[]): IcByDate {
  const dates = values.map((_, t) => `${2000 + Math.floor(t / 12)}-${String(1 + (t % 12)).padStart(2, '0')}-28`);
  return { dates, ic: Float64Array.from(values), n: new Int32Array(values.length).fill(30), skipped: { 'too-few-pairs': 0, 'zero-variance': 0 } };
}
const close = (a: number, b: number, tol = 1e-12): void => ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
/** No band, no confirmation: each rule is the memoryless per-date test (alerts.ts module comment). */
const MEMORYLESS = { minEffect: 0, tBand: 0, confirm: 1 };

describe('rollingIc', () => {
  it('uses ICs dated <= t - h inside the window (hand case)', () => {
    const s = series([0.1, 0.2, NaN, 0.4, -0.1, 0.3]);
    const r = rollingIc(s, { window: 3, horizon: 1, minObservations: 2 });
    // t=2: window [0,1] -> {0.1,0.2}; t=3: [0,2] -> {0.1,0.2}; t=4: [1,3] -> {0.2,0.4}; t=5: [2,4] -> {0.4,-0.1}
    assert.deepEqual(Array.from(r.n), [0, 1, 2, 2, 2, 2]);
    ok(Number.isNaN(r.mean[0]) && Number.isNaN(r.mean[1]));
    close(r.mean[2], 0.15); close(r.mean[3], 0.15); close(r.mean[4], 0.3); close(r.mean[5], 0.15);
    close(r.std[4], Math.sqrt(0.02)); close(r.icir[4], 0.3 / Math.sqrt(0.02)); close(r.t[4], (0.3 / Math.sqrt(0.02)) * Math.sqrt(2));
    const e = rollingIc(s, { window: 'expanding', horizon: 2, minObservations: 2 });
    // t=5: ICs dated <= 3 -> {0.1,0.2,0.4}
    assert.equal(e.n[5], 3); close(e.mean[5], 0.7 / 3);
  });
  it('table has one row per factor x window x date; bad window is a named error', () => {
    const rows = rollingIcTable({ a: series(new Array(40).fill(0).map((_, i) => (i % 3) / 10)), b: series(new Array(40).fill(0.1).map((v, i) => v + (i % 2) / 10)) });
    assert.equal(rows.length, 2 * 2 * 40);
    assert.throws(() => rollingIc(series([1, 2]), { window: 1 }), (e: unknown) => e instanceof RotationError && e.code === 'MONITOR_BAD_ARGUMENT');
  });
});

describe('alerts by hand', () => {
  it('low-ic, sign-flip and t-stat-drop fire exactly on their rules', () => {
    // 12 good ICs then 4 negative; windows short=2, long=4; horizon 1; t-stat-drop switched off (significantT huge)
    const v = [0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, -0.1, -0.2, -0.1, -0.2];
    const rules = { shortWindow: 2, longWindow: 4, lowIc: 0, minT: 1, significantT: 1e9, horizon: 1, ...MEMORYLESS };
    const inp = alertInputs(series(v), rules);
    // t=12: expanding = 12 ICs (warm-up over); short {0.1,0.2}; long {0.2,0.1,0.2,0.1} -> no alerts
    assert.deepEqual(alertsAtIndex('f', inp, 12), []);
    // t=14: short ICs 12,13 = {-0.1,-0.2} mean -0.15 < 0; long ICs 10..13 = {0.1,0.2,-0.1,-0.2} mean 0 -> no flip
    const a14 = alertsAtIndex('f', inp, 14);
    assert.deepEqual(a14.map((a) => a.alert), ['low-ic']);
    close(a14[0].value, -0.15); assert.equal(a14[0].threshold, 0);
    // t=15: long ICs 11..14 = {0.2,-0.1,-0.2,-0.1} mean -0.05 vs expanding mean (1.8-0.4)/15 > 0 -> sign-flip
    const a15 = alertsAtIndex('f', inp, 15);
    assert.deepEqual(a15.map((a) => a.alert), ['low-ic', 'sign-flip']);
    close(a15[1].value, -0.05);
    // the history lists each alert once, on the date it was raised (low-ic stays raised at 15)
    assert.deepEqual(alertHistory({ f: series(v) }, rules).map((a) => `${a.date}:${a.alert}`),
      [`${series(v).dates[14]}:low-ic`, `${series(v).dates[15]}:sign-flip`]);
    assert.equal(factorHealth({ f: series(v) }, series(v).dates[15], rules)[0].status, 'failed');
  });
  it('t-stat-drop fires when a significant factor loses its long-window t', () => {
    const v = [...new Array(30).fill(0).map((_, i) => 0.1 + (i % 2 ? 0.05 : -0.05)), 0.05, -0.05, 0.05, -0.04];
    const rules = { shortWindow: 2, longWindow: 4, lowIc: -1, horizon: 1, ...MEMORYLESS };
    const inp = alertInputs(series(v), rules);
    const t = v.length - 1; // long ICs 29..32 = {0.15, 0.05, -0.05, 0.05}: mean .05, t = .05/.0816*2 = 1.22 >= 1
    assert.deepEqual(alertsAtIndex('f', inp, t), []);
    const v2 = [...v.slice(0, 30), 0.0, -0.05, 0.05, 0];
    const inp2 = alertInputs(series(v2), rules);
    const a = alertsAtIndex('f', inp2, t); // long {0.15, 0, -0.05, 0.05}: mean .0375, std .0854, t .878 < 1
    assert.deepEqual(a.map((x) => x.alert), ['t-stat-drop']);
    close(a[0].value, (0.0375 / Math.sqrt(((0.1125 ** 2) + (0.0375 ** 2) + (0.0875 ** 2) + (0.0125 ** 2)) / 3)) * 2, 1e-9);
    const st = factorHealth({ f: series(v2) }, series(v2).dates[t], rules);
    assert.equal(st[0].status, 'weakening'); ok(st[0].reasons.startsWith('t-stat-drop'));
  });
  it('no look-ahead: output at t unchanged when ICs after t change', () => {
    const v = new Array(60).fill(0).map((_, i) => Math.sin(i * 1.7) * 0.2 + 0.03);
    const w = v.slice(); for (let i = 40; i < 60; i++) w[i] = -0.5;
    const t = 40; // ICs dated 40.. are known only from 41 on
    const d = series(v).dates[t];
    assert.deepEqual(alertHistory({ f: series(v) }).filter((a) => a.date <= d), alertHistory({ f: series(w) }).filter((a) => a.date <= d));
    assert.deepEqual(factorHealth({ f: series(v) }, d), factorHealth({ f: series(w) }, d));
    const hv = healthHistory({ f: series(v) }).f.slice(0, t + 1), hw = healthHistory({ f: series(w) }).f.slice(0, t + 1);
    assert.deepEqual(hv, hw);
    const dv = dynamicWeights({ f: series(v), g: series(v.map((x) => x * 0.5 + 0.02)) }).schedule;
    const dw = dynamicWeights({ f: series(w), g: series(v.map((x) => x * 0.5 + 0.02)) }).schedule;
    assert.deepEqual(Array.from(dv.weights.slice(0, 2 * (t + 1))), Array.from(dw.weights.slice(0, 2 * (t + 1))));
  });
});

describe('alert minimum effect, hysteresis and confirmation (hand cases)', () => {
  // short window 2 (mean_S(t) = (x[t-2] + x[t-1]) / 2), long window never out of warm-up: only low-ic can fire
  const x = [0.02, 0.02, -0.005, -0.005, -0.03, -0.03, -0.005, -0.005, 0.005, 0.005, 0.03, 0.03];
  // mean_S at t = 2..11: .02, .0075, -.005, -.0175, -.03, -.0175, -.005, 0, .005, .0175
  const base = { shortWindow: 2, longWindow: 100000, lowIc: 0 };
  const raised = (rules: object) => Array.from(alertInputs(series(x), rules).raised['low-ic']);
  it('memoryless (e = 0, confirm 1): raised exactly while mean_S < 0', () => {
    assert.deepEqual(raised({ ...base, ...MEMORYLESS }), [0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0]);
  });
  it('e = 0.01: raised once mean_S < -0.01 (t=5), kept until mean_S >= +0.01 (t=11)', () => {
    assert.deepEqual(raised({ ...base, minEffect: 0.01, confirm: 1 }), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0]);
    const h = alertHistory({ f: series(x) }, { ...base, minEffect: 0.01, confirm: 1 });
    assert.equal(h.length, 1);
    assert.equal(h[0].date, series(x).dates[5]); close(h[0].value, -0.0175); close(h[0].threshold, -0.01);
  });
  it('confirm 2 (the default): a state flips after its condition held on 2 consecutive dates', () => {
    // raise condition at t=5 and t=6 -> raised at 6; clear condition only at t=11 -> still raised at the end
    assert.deepEqual(raised({ ...base, minEffect: 0.01 }), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });
  it('a flat series that crosses 0 every month raises nothing under the defaults, many times memoryless', () => {
    const flat = new Array(48).fill(0).map((_, i) => (Math.floor(i / 2) % 2 ? -0.005 : 0.005));
    ok(alertHistory({ f: series(flat) }, { shortWindow: 2, ...MEMORYLESS }).length >= 10, 'memoryless low-ic flaps');
    assert.deepEqual(alertHistory({ f: series(flat) }, { shortWindow: 2 }), []);
    assert.ok(healthHistory({ f: series(flat) }, { shortWindow: 2 }).f.every((st) => st === 'healthy' || st === 'warmup'));
  });
  it('sign-flip needs |mean_L| and |long-run mean| >= e: a -0.001 long-window mean is no flip', () => {
    const v = [...new Array(12).fill(0).map((_, i) => 0.03 + (i % 2 ? 0.01 : -0.01)), -0.001, -0.001, -0.001, -0.001, -0.001];
    const rules = { shortWindow: 2, longWindow: 4, significantT: 1e9 };
    const t = 16; // long ICs 12..15 = -0.001 each; expanding mean (0.36 - 0.004) / 16 = 0.02225
    ok(alertsAtIndex('f', alertInputs(series(v), { ...rules, ...MEMORYLESS }), t).some((a) => a.alert === 'sign-flip'), 'memoryless flips on -0.001');
    ok(!alertsAtIndex('f', alertInputs(series(v), { ...rules, confirm: 1 }), t).some((a) => a.alert === 'sign-flip'), 'no flip with e = 0.01');
    // the same drop to -0.05 flips (confirm 1), with threshold -e
    const w = [...v.slice(0, 12), -0.05, -0.05, -0.05, -0.05, -0.05];
    const a = alertsAtIndex('f', alertInputs(series(w), { ...rules, confirm: 1 }), t).find((x) => x.alert === 'sign-flip')!;
    close(a.value, -0.05); close(a.threshold, -0.01);
  });
  it('bad minEffect, tBand or confirm is MONITOR_BAD_ARGUMENT', () => {
    for (const bad of [{ minEffect: -0.01 }, { tBand: NaN }, { confirm: 0 }, { confirm: 1.5 }]) {
      assert.throws(() => alertInputs(series(x), bad), (e: unknown) => e instanceof RotationError && e.code === 'MONITOR_BAD_ARGUMENT');
    }
  });
});

describe('dynamicWeights', () => {
  it('failed factors get 0, weakening factors are shrunk, rows sum |w| to 1', () => {
    const good = new Array(60).fill(0).map((_, i) => 0.08 + 0.1 * Math.sin(i * 2.1));
    const dying = good.map((x, i) => (i < 30 ? x : -0.06 + 0.1 * Math.cos(i * 1.3)));
    const { schedule: s, health } = dynamicWeights({ good: series(good), dying: series(dying) }, { weakeningShrink: 0.25 });
    for (let t = 0; t < 60; t++) {
      const a = s.weights[2 * t], b = s.weights[2 * t + 1];
      if (Number.isNaN(a)) continue;
      close(Math.abs(a) + Math.abs(b), 1, 1e-12);
      if (health.dying[t] === 'failed') assert.equal(b, 0);
    }
    ok(health.dying.includes('failed'), 'dying factor fails');
    assert.throws(() => dynamicWeights({ a: series(good) }, { weakeningShrink: 2 }), (e: unknown) => e instanceof RotationError && e.code === 'MONITOR_BAD_ARGUMENT');
  });
});

describe('default simulator', () => {
  it('flags the switch-off factor within 24 months, mom_12_1 healthy at the end', () => {
    const sim = simulateMarket();
    assert.equal(sim.truth.switchOff.factor, 'turnover_crowding');
    const st = factorStudy(sim.dataset);
    const ics = icByFactor(alignedFactors(st, ['crowding_volume_z', 'mom_12_1']), st.forward, 1, { method: 'rank' });
    const h = healthHistory(ics);
    const dates = ics.mom_12_1.dates, sw = sim.truth.switchOff.date;
    const t0 = dates.findIndex((d) => d >= sw);
    ok(t0 > 0, 'switch date inside the study');
    ok(h.crowding_volume_z.slice(0, t0).every((s) => s === 'healthy' || s === 'warmup'), 'crowding healthy before the switch');
    const flagged = h.crowding_volume_z.slice(t0, t0 + 25).findIndex((s) => s === 'weakening' || s === 'failed');
    ok(flagged >= 0, 'crowding flagged within 24 months of the switch');
    assert.equal(h.mom_12_1[dates.length - 1], 'healthy');
    assert.equal(factorHealth(ics, dates[dates.length - 1]).find((r) => r.factor === 'crowding_volume_z')!.status, 'failed');
  });
});
