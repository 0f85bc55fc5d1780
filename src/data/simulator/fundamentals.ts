/**
 * Quarterly fundamentals (stream STREAM_FUND of the quarter's last month). For stock i, quarter q
 * (Q = quarter of year 1..4), with Ebar, Rbar the mean annual earnings / revenue power of its months:
 *
 *   revenue   = Rbar / 4 * sR_Q * exp(0.03 N)
 *   netProfit = Ebar / 4 * sP_Q * (1 + 0.05 N) + 0.015 revenue N   (Q4: - 0.08 |N| Ebar / 4, impairments)
 *   gross     = revenue * grossMargin_i * exp(0.03 N)
 *   OCF       = netProfit * ocfRatio_i + 0.05 revenue N
 *   equity    = equity_prev + netProfit - (Q3: dividend paid), floored at 5% of initial book
 *   dividends = payout_i * max(0, annual net profit) declared with Q4, carried on Q1..Q3 records
 *
 * Announcement windows (a uniform day, snapped back to a trading day):
 *   Q1: 10..30 Apr, H1: 15 Jul..31 Aug, Q3: 10..31 Oct, annual: 15 Jan..30 Apr next year (later-skewed),
 *   Q1 never before the previous annual report; IPO stocks publish earlier quarters on the listing day.
 * Covering brokers react to each announcement with probability 0.8 after 1..15 trading days.
 */
import type { Rng } from '../../random.js';
import { FORECAST_REACTION_MAX_LAG, FORECAST_REACTION_PROB, PROFIT_SEASON, REVENUE_SEASON } from './model.js';
import { NEVER, tradingIndexAtOrBefore, type SimState } from './state.js';

const MS_PER_DAY = 86_400_000;

/** Close the quarter that ends with latent month lm: values, announcement dates, broker reactions. */
export function closeQuarter(s: SimState, lm: number, rng: Rng): void {
  const { uni, lat, fund, cal } = s;
  const am = cal.am0 + lm;
  const calMonth = am % 12;
  const q = Math.floor(lm / 3);
  const qtr = Math.floor(calMonth / 3);
  const Y = Math.floor(am / 12);
  const nQ = cal.nQuarters, T = cal.dates.length;
  const periodEnd = Date.UTC(Y, calMonth + 1, 0) / MS_PER_DAY;
  const firstDay = cal.dayNum[0], lastDay = cal.dayNum[T - 1];
  for (let i = 0; i < uni.N; i++) {
    const k = i * nQ + q;
    const eBar = lat.Esum[i] / 3, rBar = lat.Rsum[i] / 3;
    lat.Esum[i] = 0; lat.Rsum[i] = 0;
    const rev = (rBar / 4) * REVENUE_SEASON[qtr] * Math.exp(0.03 * rng.normal());
    let np = (eBar / 4) * PROFIT_SEASON[qtr] * (1 + 0.05 * rng.normal()) + rev * 0.015 * rng.normal();
    if (qtr === 3) np -= Math.abs(rng.normal()) * 0.08 * (eBar / 4);
    fund.np[k] = np;
    fund.rev[k] = rev;
    fund.gp[k] = rev * uni.grossM[i] * Math.exp(0.03 * rng.normal());
    fund.ocf[k] = np * uni.ocfRatio[i] + rev * 0.05 * rng.normal();
    let eq = fund.lastEquity[i] + np - (qtr === 2 ? fund.declaredDiv[i] : 0);
    const floor = (0.05 * Math.exp(lat.logE[i]) * uni.pe0[i]) / uni.pb0[i];
    if (eq < floor) eq = floor;
    fund.lastEquity[i] = eq;
    fund.eq[k] = eq;
    if (qtr === 3) {
      const annual = q >= 3 ? fund.np[k] + fund.np[k - 1] + fund.np[k - 2] + fund.np[k - 3] : 4 * np;
      fund.declaredDiv[i] = uni.payout[i] * Math.max(0, annual);
    }
    fund.div[k] = fund.declaredDiv[i];

    // announcement day
    let lo: number, hi: number, uu = rng.uniform();
    if (qtr === 0) { lo = Date.UTC(Y, 3, 10); hi = Date.UTC(Y, 3, 30); }
    else if (qtr === 1) { lo = Date.UTC(Y, 6, 15); hi = Date.UTC(Y, 7, 31); }
    else if (qtr === 2) { lo = Date.UTC(Y, 9, 10); hi = Date.UTC(Y, 9, 31); }
    else { lo = Date.UTC(Y + 1, 0, 15); hi = Date.UTC(Y + 1, 3, 30); uu = Math.max(uu, rng.uniform()); }
    lo /= MS_PER_DAY; hi /= MS_PER_DAY;
    let d = lo + Math.floor(uu * (hi - lo + 1));
    let known: number;
    if (d > lastDay) known = NEVER;
    else if (d < firstDay) {
      const wd = new Date(d * MS_PER_DAY).getUTCDay();
      if (wd === 6) d -= 1; else if (wd === 0) d -= 2;
      known = 0;
    } else {
      let ti = tradingIndexAtOrBefore(cal, d);
      if (cal.dayNum[ti] <= periodEnd) ti = Math.min(T - 1, ti + 1);
      d = cal.dayNum[ti];
      known = ti;
    }
    if (qtr === 0 && q >= 1 && fund.known[k - 1] !== NEVER && fund.annDay[k - 1] > d) {
      d = fund.annDay[k - 1];
      known = fund.known[k - 1];
    }
    if (known !== NEVER && uni.listDay[i] > 0 && known < uni.listDay[i]) {
      known = uni.listDay[i];
      d = cal.dayNum[known];
    }
    if (known !== NEVER && known > uni.delistDay[i]) known = NEVER;
    fund.known[k] = known;
    fund.annDay[k] = known === NEVER ? NaN : d;

    // covering brokers react after the announcement
    if (known !== NEVER && known >= 1) {
      for (let c = uni.covStart[i]; c < uni.covStart[i + 1]; c++) {
        if (rng.uniform() >= FORECAST_REACTION_PROB) continue;
        const ev = known + 1 + rng.int(FORECAST_REACTION_MAX_LAG);
        if (ev >= T || ev > uni.delistDay[i] || ev < uni.listDay[i]) continue;
        s.fc.buckets[cal.monthOfDay[ev]].push(ev, i, c);
      }
    }
  }
}
