/**
 * Frequency-aware lookbacks: months are calendar months on monthly data and 20 trading days on
 * daily data; trading-day factors are unavailable on monthly data (FACTOR_NEEDS_DAILY_DATA);
 * month-end series are read by calendar month, never before the month's last trading day.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndIso } from '../../../src/data/french.js';
import type { MarketDataset } from '../../../src/data/types.js';
import { availableFactors, computeFactor, computeFactors } from '../../../src/factors/registry.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { throwsCode } from '../assertions.js';

const J = 5;
const CODES = ['I1', 'I2', 'I3', 'I4', 'I5'];

/** Monthly calendar of `n` month ends from 2000-01; close[t, j] = 100·(1 + 0.01·(j + 1))^t · (1 + 0.05·sin(t + j)). */
function monthlyDataset(n: number, skip: readonly number[] = []): MarketDataset {
  const months: number[] = [];
  for (let t = 0; t < n; t++) if (!skip.includes(t)) months.push(t);
  const dates = months.map((t) => monthEndIso(2000 + Math.floor(t / 12), (t % 12) + 1));
  const v = new Float64Array(months.length * J);
  months.forEach((t, r) => { for (let j = 0; j < J; j++) v[r * J + j] = closeAt(t, j); });
  const close = createPanel(dates, CODES, v);
  const nan = () => createPanel(dates, CODES, new Float64Array(v.length).fill(NaN));
  return {
    name: 'monthly test', calendar: dates, industries: CODES.map((code) => ({ code, name: code })),
    industryBars: { open: nan(), high: nan(), low: nan(), close, volume: nan() }, losses: [], caveats: [],
    frequency: 'monthly', periodsPerYear: 12,
  };
}
function closeAt(t: number, j: number): number {
  return 100 * Math.pow(1 + 0.01 * (j + 1), t) * (1 + 0.05 * Math.sin(t + j));
}

test('mom_6m on monthly data is a 6-calendar-month return (today\'s 120-row lookback would leave no date)', () => {
  const ds = monthlyDataset(30);
  const dates = ds.calendar.slice(6);
  const r = computeFactor('mom_6m', ds, dates);
  for (let k = 0; k < dates.length; k++) {
    const t = k + 6;
    for (let j = 0; j < J; j++) {
      const want = closeAt(t, j) / closeAt(t - 6, j) - 1;
      assert.ok(Math.abs(r.panel.values[k * J + j] - want) < 1e-12, `${dates[k]} ${CODES[j]}`);
    }
  }
  // 12-1: C_{t−1}/C_{t−12} − 1
  const m = computeFactor('mom_12_1', ds, [ds.calendar[20]]);
  assert.ok(Math.abs(m.panel.values[2] - (closeAt(19, 2) / closeAt(8, 2) - 1)) < 1e-12);
  // too early: counted as insufficient history in months
  const early = computeFactor('mom_6m', ds, ds.calendar.slice(0, 8));
  assert.equal(early.loss.dropped['insufficient history (lookback 6 months before the date)'], 6 * J);
});

test('a gap in monthly data is never stretched: the month 6 calendar months back is missing -> NaN with a reason', () => {
  const ds = monthlyDataset(30, [10]); // month index 10 (2000-11) absent
  const at = ds.calendar.indexOf(monthEndIso(2001, 5)); // t = month 16; t − 6 = month 10 (missing)
  const r = computeFactor('mom_6m', ds, ds.calendar.slice(at - 1, at + 2));
  for (let j = 0; j < J; j++) assert.ok(Number.isNaN(r.panel.values[1 * J + j]));
  assert.equal(r.loss.dropped['month missing from the monthly calendar in the lookback'], J);
  // the neighbours are exact calendar-month returns (not row counts)
  assert.ok(Math.abs(r.panel.values[0] - (closeAt(15, 0) / closeAt(9, 0) - 1)) < 1e-12);
  assert.ok(Math.abs(r.panel.values[2 * J] - (closeAt(17, 0) / closeAt(11, 0) - 1)) < 1e-12);
});

test('daily-only factors on monthly data: unavailable (calendar.daily) and FACTOR_NEEDS_DAILY_DATA when asked', () => {
  const ds = monthlyDataset(30);
  const avail = availableFactors(ds);
  assert.deepEqual([...avail.available].sort(), ['mom_12_1', 'mom_1m', 'mom_3m', 'mom_6m']);
  const miss = new Map(avail.unavailable.map((u) => [u.id, u.missing]));
  assert.deepEqual(miss.get('vol_3m'), ['calendar.daily']);
  assert.deepEqual(miss.get('resid_mom_12_1'), ['calendar.daily']);
  const e = throwsCode(() => computeFactor('vol_3m', ds, ds.calendar.slice(12)), 'FACTOR_NEEDS_DAILY_DATA');
  assert.match(e.message, /trading-day windows/);
  // a batch over everything available computes the month-based ones and lists the rest
  const b = computeFactors(ds, ds.calendar.slice(13));
  assert.equal(b.results.size, 4);
});

// ---------------------------------------------------------------------------------------------
// Month-end series on a daily calendar.

/** Weekday calendar 2001-01-01 .. `to`. */
function weekdays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d = new Date(d.getTime() + 86_400_000)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** PE at month index m (months since 2000-01) for industry j: 10 + j + 0.5·m + (m % 7). */
function peAt(m: number, j: number): number {
  return 10 + j + 0.5 * m + (m % 7);
}

function dailyWithPe(to = '2006-06-30'): MarketDataset {
  const cal = weekdays('2001-01-01', to);
  const T = cal.length;
  const close = createPanel(cal, CODES, Float64Array.from({ length: T * J }, (_, k) => 100 + k % 7));
  const months = 12 * 7; // 2000-01 .. 2006-12
  const peDates = Array.from({ length: months }, (_, m) => monthEndIso(2000 + Math.floor(m / 12), (m % 12) + 1));
  const pe: Panel = createPanel(peDates, CODES, Float64Array.from({ length: months * J }, (_, k) => peAt(Math.floor(k / J), k % J)));
  const nan = () => createPanel(cal, CODES, new Float64Array(T * J).fill(NaN));
  return {
    name: 'daily with month-end PE', calendar: cal, industries: CODES.map((code) => ({ code, name: code })),
    industryBars: { open: nan(), high: nan(), low: nan(), close, volume: nan() }, losses: [], caveats: [], monthEnd: { pe },
  };
}

test('month-end PE factors: calendar-month changes, the 5-year percentile, and never a month end before its last trading day', () => {
  const ds = dailyWithPe();
  const mIdx = (iso: string) => (Number(iso.slice(0, 4)) - 2000) * 12 + Number(iso.slice(5, 7)) - 1;
  const jan = '2005-01-31', midFeb = '2005-02-15', lastFeb = '2005-02-28';
  const dates = [jan, midFeb, lastFeb];
  const c3 = computeFactor('pe_chg_3m', ds, dates).panel.values;
  const c12 = computeFactor('pe_chg_12m', ds, dates).panel.values;
  for (let j = 0; j < J; j++) {
    const m = mIdx(jan);
    assert.ok(Math.abs(c3[j] - (peAt(m, j) / peAt(m - 3, j) - 1)) < 1e-12);
    assert.ok(Math.abs(c12[j] - (peAt(m, j) / peAt(m - 12, j) - 1)) < 1e-12);
    // mid-February still reads January (February's month end is not known yet)
    assert.equal(c3[J + j], c3[j]);
    const f = mIdx(lastFeb);
    assert.ok(Math.abs(c3[2 * J + j] - (peAt(f, j) / peAt(f - 3, j) - 1)) < 1e-12);
  }
  // the percentile of 1/PE over months m−59..m, hand-computed for industry 0 at 2005-01
  const pct = computeFactor('ep_pct_5y', ds, [jan]).panel.values[0];
  const m = mIdx(jan);
  const y = 1 / peAt(m, 0);
  let below = 0, equal = 0;
  for (let s = m - 59; s <= m; s++) { const v = 1 / peAt(s, 0); if (v < y) below++; else if (v === y) equal++; }
  assert.ok(Math.abs(pct - (below + (equal - 1) / 2) / 59) < 1e-12);
  // the last row of a data set cut mid-month does not read that month's end
  const cut = dailyWithPe('2005-02-15');
  const v = computeFactor('pe_chg_3m', cut, ['2005-02-15']).panel.values[0];
  assert.equal(v, c3[0]);
});
