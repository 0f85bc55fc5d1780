/**
 * Monthly IC heat map table (alphalens `plot_monthly_ic_heatmap`): mean IC per (year, month).
 */
import type { IcByDate } from './ic.js';

export interface MonthlyIcTable {
  /** Years present, ascending. */
  years: number[];
  /** Month numbers 1..12 (the columns). */
  months: number[];
  /** mean[y][m − 1] = mean IC over the dates of year y, month m with an IC; NaN if none. */
  mean: number[][];
  /** count[y][m − 1] = number of those dates. */
  count: number[][];
}

/**
 * Mean IC by calendar month: cell (y, m) = (1/|D|) Σ_{t∈D} IC_t, D = dates of year y and month m
 * with a non-NaN IC. On month-end data each cell holds one IC; on daily data, the month's mean.
 * Years span the first to the last date (a year without any IC still gets a row of NaN).
 */
export function monthlyIcTable(ic: IcByDate): MonthlyIcTable {
  const years: number[] = [];
  if (ic.dates.length > 0) {
    const y0 = Number(ic.dates[0].slice(0, 4)), y1 = Number(ic.dates[ic.dates.length - 1].slice(0, 4));
    for (let y = y0; y <= y1; y++) years.push(y);
  }
  const sum = years.map(() => new Array<number>(12).fill(0));
  const count = years.map(() => new Array<number>(12).fill(0));
  for (let t = 0; t < ic.dates.length; t++) {
    const v = ic.ic[t];
    if (v !== v) continue;
    const y = Number(ic.dates[t].slice(0, 4)) - years[0], m = Number(ic.dates[t].slice(5, 7)) - 1;
    sum[y][m] += v;
    count[y][m]++;
  }
  const mean = sum.map((row, y) => row.map((s, m) => (count[y][m] > 0 ? s / count[y][m] : NaN)));
  return { years, months: Array.from({ length: 12 }, (_, m) => m + 1), mean, count };
}
