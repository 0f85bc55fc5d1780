import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import {
  hfIntradayRet1m, hfIntradayRet1mDaily, hfLast30Ret1m, hfOvernightRet1m, hfOvernightRet1mDaily, hfParkinsonVol1m,
  hfRealizedVol1m, hfVolumeHhi1m, intradayDaily,
} from '../../../src/factors/highFrequency.js';
import { cellOf, makeDataset, makeIntraday, near, weekdays } from './helpers.js';

// Industry i, every day: overnight log gap OV[i], 4 bars with log returns X[i][b] (the first from
// the open), volumes [4, 1, 1, 2]·(i + 1); daily high/low = close·e^{±H[i]}.
const J = 6, T = 80, B = 4;
const OV = [0.001, -0.002, 0.003, 0, 0.0005, -0.001];
const X = OV.map((_, i) => [0.002 * (i + 1), -0.001, 0.0015 * (i - 2), 0.001 * (3 - i)]);
const H = [0.01, 0.02, 0.005, 0.015, 0.03, 0.008];
const VOL = [4, 1, 1, 2];

const calendar = weekdays('2021-01-01', T);
const first = new Float64Array(T * J), bars: number[][][] = [];
const lastClose = new Float64Array(T * J);
for (let d = 0; d < T; d++) {
  bars.push([]);
  for (let i = 0; i < J; i++) {
    const prev = d === 0 ? 100 : lastClose[(d - 1) * J + i];
    const o0 = prev * Math.exp(OV[i]);
    first[d * J + i] = o0;
    let c = o0;
    const closes: number[] = [];
    for (let b = 0; b < B; b++) { c *= Math.exp(X[i][b]); closes.push(c); }
    bars[d].push(closes);
    lastClose[d * J + i] = c;
  }
}
function dataset(intradayFrom = 0) {
  return makeDataset({
    J, T, start: '2021-01-01',
    close: (t, j) => lastClose[t * J + j],
    open: (t, j) => first[t * J + j],
    high: (t, j) => lastClose[t * J + j] * Math.exp(H[j]),
    low: (t, j) => lastClose[t * J + j] * Math.exp(-H[j]),
    intraday: (cal, cs) => makeIntraday(cal.slice(intradayFrom), cs, B, (d, i, b) => {
      const dd = d + intradayFrom;
      const c = bars[dd][i][b], o = b === 0 ? first[dd * J + i] : bars[dd][i][b - 1];
      return [o, Math.max(o, c), Math.min(o, c), c, VOL[b] * (i + 1)];
    }),
  });
}
const ds = dataset();
const dates = monthEndRebalanceDates(ds.calendar);
const last = dates[dates.length - 1];

test('intraday factors on a hand-built path: 20·gap, 20·Σx, 20·x_last, √(252·Σx²), Herfindahl 22/64', () => {
  const on = hfOvernightRet1m.compute(ds, dates).panel, id = hfIntradayRet1m.compute(ds, dates).panel;
  const l30 = hfLast30Ret1m.compute(ds, dates).panel, rv = hfRealizedVol1m.compute(ds, dates).panel;
  const hhi = hfVolumeHhi1m.compute(ds, dates).panel;
  for (let i = 0; i < J; i++) {
    const c = `I${i}`;
    near(cellOf(on, last, c), 20 * OV[i], 1e-10, `overnight ${c}`);
    near(cellOf(id, last, c), 20 * X[i].reduce((a, b) => a + b, 0), 1e-10, `intraday ${c}`);
    near(cellOf(l30, last, c), 20 * X[i][3], 1e-10, `last30 ${c}`);
    near(cellOf(rv, last, c), Math.sqrt(252 * X[i].reduce((a, b) => a + b * b, 0)), 1e-9, `rv ${c}`);
    near(cellOf(hhi, last, c), 22 / 64, 1e-12, `hhi ${c}`);
  }
});

test('daily proxies: open/previous-close gap, open-to-close, Parkinson (ln(H/L))²/(4 ln 2); labelled as proxies', () => {
  const on = hfOvernightRet1mDaily.compute(ds, dates).panel, id = hfIntradayRet1mDaily.compute(ds, dates).panel;
  const pk = hfParkinsonVol1m.compute(ds, dates).panel;
  for (let i = 0; i < J; i++) {
    const c = `I${i}`;
    near(cellOf(on, last, c), 20 * OV[i], 1e-10, `overnight proxy ${c}`);
    near(cellOf(id, last, c), 20 * X[i].reduce((a, b) => a + b, 0), 1e-10, `intraday proxy ${c}`);
    near(cellOf(pk, last, c), Math.sqrt(252 * (2 * H[i]) ** 2 / (4 * Math.LN2)), 1e-10, `parkinson ${c}`);
  }
  for (const f of [hfOvernightRet1mDaily, hfIntradayRet1mDaily, hfParkinsonVol1m]) assert.match(f.proxy ?? '', /proxy of hf_/);
  for (const f of [hfOvernightRet1m, hfIntradayRet1m, hfLast30Ret1m, hfRealizedVol1m, hfVolumeHhi1m]) assert.equal(f.proxy, undefined);
});

test('dates whose window lacks intraday bars are NaN and counted', () => {
  const part = dataset(T - 40); // intraday bars only for the last 40 days
  const res = hfLast30Ret1m.compute(part, dates);
  const firstRow = part.calendar.indexOf(part.industryIntraday!.days[0]);
  const early = dates.filter((d) => part.calendar.indexOf(d) - 19 + 4 < firstRow); // fewer than 16 of the 20 days covered
  assert.ok(early.length > 0);
  for (const d of early) assert.ok(Number.isNaN(cellOf(res.panel, d, 'I0')));
  assert.equal(res.loss.dropped['fewer than 16 of 20 days with intraday bars in the window'], early.length * J);
  near(cellOf(res.panel, last, 'I2'), 20 * X[2][3], 1e-10);
});

test('intradayDaily: a missing bar makes that day\'s realized variance NaN; unknown codes and days are ignored', () => {
  const cal = weekdays('2021-01-01', 3);
  const bars = makeIntraday([...cal, '2030-01-01'], ['I0', 'ZZ'], 2, (d, i, b) => [10, 11, 9, b === 1 && d === 1 ? NaN : 10 + b + d, 5]);
  const daily = intradayDaily(bars, cal, ['I0', 'I1']);
  assert.ok(Number.isFinite(daily.realizedVar[0]));
  assert.ok(Number.isNaN(daily.realizedVar[1 * 2 + 0]));
  assert.ok(Number.isNaN(daily.realizedVar[0 * 2 + 1])); // I1 has no bars
  near(daily.realizedVar[0], Math.log(10 / 10) ** 2 + Math.log(11 / 10) ** 2);
  near(daily.overnight[1 * 2 + 0], Math.log(10 / 11)); // day 1 open 10 against day 0's last close 11
  assert.ok(Number.isNaN(daily.overnight[2 * 2 + 0])); // day 1's last bar is missing
  assert.ok(Number.isNaN(daily.overnight[0])); // no previous day
});
