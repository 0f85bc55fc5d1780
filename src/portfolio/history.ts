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
 * With `monthly` (`monthlyReturnsPanel` of this same panel, for callers that ask at every
 * rebalance date) the complete months are copied from it and only the last, possibly partial,
 * month is compounded: the same numbers, to the bit, at O(months x cols) a call.
 */
export function calendarMonthReturns(returns: Panel, end: number, cols: readonly number[], monthly?: MonthlyReturnsPanel): MonthlyReturns {
  const J = cols.length, N = returns.assets.length;
  const bounds = monthly && monthly.source === returns ? monthly : monthBoundaries(returns, end);
  // months whose first row is before `end`
  let M = 0;
  for (let lo = 0, hi = bounds.months.length; lo < hi;) { const mid = (lo + hi) >> 1; if (bounds.startRow[mid] < end) { M = mid + 1; lo = mid + 1; } else hi = mid; }
  const months = bounds.months.slice(0, M), endDates: string[] = [];
  const values = new Float64Array(M * J);
  for (let m = 0; m < M; m++) {
    const to = Math.min(bounds.endRow[m], end);
    endDates.push(returns.dates[to - 1]);
    if (bounds === monthly && to === monthly.endRow[m]) {
      for (let j = 0; j < J; j++) values[m * J + j] = monthly.values[m * N + cols[j]];
    } else {
      compoundMonth(returns, bounds.startRow[m], to, cols, values, m * J);
    }
  }
  return { months, endDates, values };
}

/** R_j = prod_{t in [from, to), r finite} (1 + r[t, cols[j]]) - 1, NaN when fewer than half the rows are finite; written to out[offset + j]. */
function compoundMonth(returns: Panel, from: number, to: number, cols: readonly number[], out: Float64Array, offset: number): void {
  const N = returns.assets.length, J = cols.length;
  const growth = new Float64Array(J).fill(1), valid = new Int32Array(J);
  for (let t = from; t < to; t++) {
    const base = t * N;
    for (let j = 0; j < J; j++) {
      const r = returns.values[base + cols[j]];
      if (Number.isFinite(r)) { growth[j] *= 1 + r; valid[j]++; }
    }
  }
  const days = to - from;
  for (let j = 0; j < J; j++) out[offset + j] = 2 * valid[j] >= days ? growth[j] - 1 : NaN;
}

interface MonthBoundaries {
  /** yyyy-mm of each month. */
  readonly months: string[];
  /** First row of each month. */
  readonly startRow: Int32Array;
  /** One past the last row of each month. */
  readonly endRow: Int32Array;
}

/** The calendar months of rows [0, end) of `returns` and the rows each spans. */
function monthBoundaries(returns: Panel, end: number): MonthBoundaries {
  const months: string[] = [], start: number[] = [], stop: number[] = [];
  for (let t = 0; t < end; t++) {
    const m = returns.dates[t].slice(0, 7);
    if (m !== months[months.length - 1]) { if (months.length) stop.push(t); months.push(m); start.push(t); }
  }
  if (start.length) stop.push(end);
  return { months, startRow: Int32Array.from(start), endRow: Int32Array.from(stop) };
}

/** Every complete calendar month of every column of a returns panel, computed once for repeated `calendarMonthReturns` calls. */
export interface MonthlyReturnsPanel extends MonthBoundaries {
  /** The panel these months were computed from (`calendarMonthReturns` uses them only for this panel). */
  readonly source: Panel;
  /** months x assets, row-major, as `calendarMonthReturns` over all rows and all columns. */
  readonly values: Float64Array;
}

/** `calendarMonthReturns` of all rows and all columns of `returns`, with the month boundaries. */
export function monthlyReturnsPanel(returns: Panel): MonthlyReturnsPanel {
  const b = monthBoundaries(returns, returns.dates.length);
  const N = returns.assets.length, all = Array.from({ length: N }, (_, j) => j);
  const values = new Float64Array(b.months.length * N);
  for (let m = 0; m < b.months.length; m++) compoundMonth(returns, b.startRow[m], b.endRow[m], all, values, m * N);
  return { ...b, source: returns, values };
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
