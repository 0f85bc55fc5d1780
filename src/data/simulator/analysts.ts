/**
 * Analyst forecasts (stream STREAM_EVENTS of each trading month).
 *
 * Events: reactions to reports (scheduled by fundamentals.ts) plus, per covering broker and month,
 * an unscheduled update with probability FORECAST_RANDOM_PROB. Each event publishes FY1 = year of
 * the forecast date, FY2 = FY1 + 1 and, from September on, FY3 = FY1 + 2 (so that a 3-month FY2
 * revision is defined in January..March as well).
 *
 * Forecast of fiscal year Y by broker b for stock i in latent month m:
 *   target  = (1 + bias_b) * sum_{quarters of Y} (realized NP if the quarter is over,
 *             else E_i,m / 4 * sP_Q * exp((G_j,m + u_i,m) * tau_Q))        tau_Q = years ahead
 *   first   F = target + noise_b |target| N(0,1)
 *   revised F = F_prev + speed_b (target - F_prev) + 0.5 noise_b |target| N(0,1)
 * so forecasts follow the latent profit path with a lag (speed_b < 1) and noise. Analysts see
 * realized quarters before they are announced, which is why revisions lead reported growth.
 * Rating = clamp(round(4 + 2.5 (G_j + u_i - g) + 0.6 N(0,1)), 1, 5).
 */
import type { Rng } from '../../random.js';
import { clamp } from './math.js';
import { CONSENSUS_WINDOW_DAYS, FORECAST_RANDOM_PROB, LATENT, PROFIT_SEASON } from './model.js';
import { industryOf, type SimState } from './state.js';

/** Expected annual net profit of fiscal year Y for stock i (industry j) as seen in latent month lm. */
function targetProfit(s: SimState, i: number, Y: number, lm: number, j: number): number {
  const { cal, lat, fund } = s;
  const amNow = cal.am0 + lm, nQ = cal.nQuarters;
  const g = lat.G[j] + lat.u[i];
  const eNow = Math.exp(lat.logE[i]);
  let total = 0;
  for (let qtr = 0; qtr < 4; qtr++) {
    const qEndAm = Y * 12 + qtr * 3 + 2;
    const q = Math.floor((qEndAm - cal.am0) / 3);
    if (qEndAm < amNow && q >= 0 && q < nQ && !Number.isNaN(fund.np[i * nQ + q])) {
      total += fund.np[i * nQ + q];
    } else {
      total += (eNow / 4) * PROFIT_SEASON[qtr] * Math.exp((g * (qEndAm - 1 - amNow)) / 12);
    }
  }
  return total;
}

/** Draw the month's unscheduled events, then process every event of trading month m in day order. */
export function forecastMonth(s: SimState, m: number, lm: number, rng: Rng): void {
  const { uni, cal, fc, lat, dyn } = s;
  const mo = cal.months[m];
  const bucket = fc.buckets[m];
  for (let i = 0; i < uni.N; i++) {
    const a = Math.max(mo.first, uni.listDay[i]), b = Math.min(mo.last, uni.delistDay[i]);
    if (a > b) continue;
    for (let c = uni.covStart[i]; c < uni.covStart[i + 1]; c++) {
      if (rng.uniform() < FORECAST_RANDOM_PROB) bucket.push(a + rng.int(b - a + 1), i, c);
    }
  }
  const nEv = bucket.length / 3;
  const order = Array.from({ length: nEv }, (_, e) => e);
  order.sort((p, q) => bucket[3 * p] - bucket[3 * q] || bucket[3 * p + 1] - bucket[3 * q + 1] || bucket[3 * p + 2] - bucket[3 * q + 2] || p - q);
  const nY = cal.nYears;
  for (const e of order) {
    const t = bucket[3 * e], i = bucket[3 * e + 1], c = bucket[3 * e + 2];
    const b = uni.covBroker[c];
    const j = industryOf(uni, i, t);
    const date = cal.dates[t];
    const y0 = Number(date.slice(0, 4));
    const horizon = Number(date.slice(5, 7)) >= 9 ? 3 : 2;
    const rating = clamp(Math.round(4 + 2.5 * (lat.G[j] + lat.u[i] - LATENT.growth.mean) + 0.6 * rng.normal()), 1, 5);
    for (let h = 0; h < horizon; h++) {
      const Y = y0 + h;
      const yi = Y - cal.yearFirst;
      if (yi < 0 || yi >= nY) continue;
      const target = targetProfit(s, i, Y, lm, j) * (1 + uni.brokerBias[b]);
      const slot = c * nY + yi;
      const prev = fc.value[slot];
      const scale = Math.abs(target);
      const F = Number.isNaN(prev)
        ? target + uni.brokerNoise[b] * scale * rng.normal()
        : prev + uni.brokerSpeed[b] * (target - prev) + 0.5 * uni.brokerNoise[b] * scale * rng.normal();
      fc.value[slot] = F;
      fc.day[slot] = t;
      fc.forecasts.push({
        stock: uni.stockCodes[i], forecastDate: date, broker: uni.brokerNames[b], fiscalYear: Y, netProfit: F,
        eps: F / dyn.shares[i], rating,
      });
    }
  }
  fc.buckets[m] = [];
}

/**
 * Consensus net profit of stock i for fiscal year Y at trading day t: the mean over its brokers of
 * each broker's latest forecast for Y dated on or before t and at most CONSENSUS_WINDOW_DAYS
 * calendar days old (NaN if none). Call at t after the month's events are processed.
 */
export function consensusAt(s: SimState, i: number, Y: number, t: number): number {
  const { uni, cal, fc } = s;
  const yi = Y - cal.yearFirst;
  if (yi < 0 || yi >= cal.nYears) return NaN;
  let sum = 0, n = 0;
  for (let c = uni.covStart[i]; c < uni.covStart[i + 1]; c++) {
    const d = fc.day[c * cal.nYears + yi];
    if (d < 0 || d > t || cal.dayNum[t] - cal.dayNum[d] > CONSENSUS_WINDOW_DAYS) continue;
    sum += fc.value[c * cal.nYears + yi];
    n++;
  }
  return n > 0 ? sum / n : NaN;
}
