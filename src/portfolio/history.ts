/**
 * Causal views of a returns panel for allocators: rows up to a date, simple returns from closes,
 * calendar-month compounding and complete-history windows.
 *
 * Months are calendar months (yyyy-mm); the last month of a view ends at the view's last row, so
 * at a month-end rebalance date it is the complete current month.
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import type { DenseMatrix } from './types.js';

/** Number of rows of `p` dated on or before `date`: end = #{t : dates[t] <= date} (binary search). */
export function rowsUpTo(p: Panel, date: string): number {
  let lo = 0, hi = p.dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.dates[mid] <= date) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Daily simple returns from closes: r[t, i] = close[t, i] / close[t-1, i] - 1, r[0, i] = NaN;
 * NaN when either close is missing or the previous close is 0.
 */
export function simpleReturns(close: Panel): Panel {
  const T = close.dates.length, N = close.assets.length, c = close.values;
  const out = new Float64Array(T * N).fill(NaN);
  for (let t = 1; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const r = c[t * N + i] / c[(t - 1) * N + i] - 1;
      out[t * N + i] = Number.isFinite(r) ? r : NaN;
    }
  }
  return { dates: close.dates, assets: close.assets, values: out };
}

/** Column index of each industry in `p.assets`; RotationError ALLOC_UNKNOWN_INDUSTRY if absent. */
export function columnsOf(p: Panel, industries: readonly string[], allocator: string): number[] {
  const index = new Map<string, number>();
  p.assets.forEach((a, i) => index.set(a, i));
  return industries.map((d) => {
    const i = index.get(d);
    if (i === undefined) {
      throw new RotationError('ALLOC_UNKNOWN_INDUSTRY', `Industry "${d}" is not a column of the returns panel`, { allocator, industry: d },
        'pass a returns panel whose assets include every available industry');
    }
    return i;
  });
}

export interface MonthlyReturns {
  /** yyyy-mm of each month, ascending. */
  readonly months: string[];
  /** Last date of each month within the view. */
  readonly endDates: string[];
  /**
   * months x cols, row-major: R[m, j] = prod_{t in m, r finite} (1 + r[t, j]) - 1, NaN when fewer
   * than half of the month's rows have a finite return.
   */
  readonly values: Float64Array;
}

/**
 * Calendar-month compounded returns of rows [0, end) of `returns` for columns `cols`:
 *   R[m, j] = prod_{t in month m, t < end, r[t, j] finite} (1 + r[t, j]) - 1,
 * and NaN when fewer than half of the month's rows have a finite return (a missing day is
 * skipped, i.e. counted as a zero return; a mostly missing month is missing).
 * A panel that is already monthly passes through (one row per month, (1 + r) - 1 = r up to rounding).
 */
export function calendarMonthReturns(returns: Panel, end: number, cols: readonly number[]): MonthlyReturns {
  const N = returns.assets.length, J = cols.length;
  const months: string[] = [], endDates: string[] = [];
  const acc: number[] = [];
  let cur = '';
  let growth: Float64Array | undefined, valid: Int32Array | undefined, days = 0;
  const flush = (): void => {
    if (!growth) return;
    for (let j = 0; j < J; j++) acc.push(2 * valid![j] >= days ? growth[j] - 1 : NaN);
  };
  for (let t = 0; t < end; t++) {
    const d = returns.dates[t];
    const m = d.slice(0, 7);
    if (m !== cur) {
      flush();
      cur = m; months.push(m); endDates.push(d);
      growth = new Float64Array(J).fill(1); valid = new Int32Array(J); days = 0;
    }
    endDates[endDates.length - 1] = d;
    days++;
    const base = t * N;
    for (let j = 0; j < J; j++) {
      const r = returns.values[base + cols[j]];
      if (Number.isFinite(r)) { growth![j] *= 1 + r; valid![j]++; }
    }
  }
  flush();
  return { months, endDates, values: Float64Array.from(acc) };
}

/**
 * The last `length` rows of a (rows x J) matrix as a dense window over the columns that are
 * complete (no NaN) in it. Leading rows where every column is NaN (the first period of a returns
 * series) are never part of the window. Returns the window and which columns were kept.
 */
export function completeWindow(values: Float64Array, rows: number, J: number, length: number): { window: DenseMatrix; kept: number[]; dropped: number[] } {
  let first = 0;
  for (; first < rows; first++) {
    let any = false;
    for (let j = 0; j < J && !any; j++) any = Number.isFinite(values[first * J + j]);
    if (any) break;
  }
  const from = Math.max(first, rows - length);
  const kept: number[] = [], dropped: number[] = [];
  for (let j = 0; j < J; j++) {
    let ok = true;
    for (let t = from; t < rows && ok; t++) ok = Number.isFinite(values[t * J + j]);
    (ok ? kept : dropped).push(j);
  }
  const T = rows - from, n = kept.length;
  const out = new Float64Array(T * n);
  for (let t = 0; t < T; t++) for (let k = 0; k < n; k++) out[t * n + k] = values[(from + t) * J + kept[k]];
  return { window: { rows: T, cols: n, values: out }, kept, dropped };
}
