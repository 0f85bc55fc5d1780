/**
 * Forward returns by horizon, built once and shared by every factor evaluated against them.
 *
 * A `ForwardReturns` object holds ONE level panel L (dates x assets) on the rebalance calendar and
 * the list of horizons (label, length in rebalance periods). The forward return of horizon h is
 *
 *   fwd_h[t, i] = L[t + h, i] / L[t, i] − 1        (NaN when t + h is past the last date)
 *
 * - built from prices, L is the price panel (sampled at the rebalance dates when given);
 * - built from period returns R (row t = the return realized over (d_{t−1}, d_t], labelled at the
 *   END of the period, as `periodReturns` in src/data/calendar.ts produces), L is the wealth index
 *   L[t] = L[t−1]·(1 + R[t]); a missing return starts a new segment and fwd_h[t] is NaN unless
 *   R[t+1..t+h] are all present, so fwd_h[t] = Π_{j=1..h}(1 + R[t+j]) − 1 exactly where defined.
 *
 * Horizons are counted in rows of this calendar (rebalance periods: "1M", "3M", "6M" on month ends;
 * "1D", "5D", "21D" on a daily calendar), never inferred from date gaps. `periodsPerYear` travels
 * with the object (12 monthly, 252 daily by default for annualization).
 *
 * Why one level panel and not one stored panel per horizon: every horizon's row is an O(N)
 * division of two rows of L, far cheaper than the O(N log N) ranking that consumes it, and memory
 * stays one T x N panel however many horizons are evaluated (three stored horizons of a
 * 5,000 x 2,500 stock panel would add 300 MB). `forwardReturnPanel` materializes a horizon as a
 * Panel when a caller wants one (e.g. for `icByDate`).
 */
import { RotationError } from '../errors.js';
import type { RebalanceCalendar } from '../data/calendar.js';
import { isIsoDate, type Panel } from '../panel/panel.js';
import { levelReturnRowInto } from '../panel/kernels.js';

/** One horizon: its label ("1M", "5D") and its length in rows (rebalance periods) of the calendar. */
export interface ForwardHorizon {
  readonly label: string;
  readonly periods: number;
}

/** Forward returns of several horizons over one level panel (see the module comment). */
export interface ForwardReturns {
  /** The rebalance calendar (rows of `level`). */
  readonly dates: readonly string[];
  readonly assets: readonly string[];
  /** Rebalance periods per year, for annualization (12 monthly, 252 daily, 52 weekly, 4 quarterly). */
  readonly periodsPerYear: number;
  /** Horizons in the order given; labels unique, lengths unique. */
  readonly horizons: readonly ForwardHorizon[];
  /** What the level panel was built from. */
  readonly source: 'prices' | 'returns';
  /** Level L[t * N + i]: prices, or the wealth index of the period returns (NaN = missing). */
  readonly level: Float64Array;
  /** For `source: 'returns'`: segment id of every cell (a missing return starts a new one); fwd_h[t] needs segment[t+h] = segment[t]. Null for prices. */
  readonly segment: Int32Array | null;
}

/** Options of `forwardReturnsFromPrices` / `forwardReturnsFromReturns`. */
export interface ForwardReturnOptions {
  /** Horizons as lengths in rebalance periods (labelled automatically) or explicit { label, periods }. */
  horizons: readonly (number | ForwardHorizon)[];
  /** Periods per year of the (rebalance) calendar; required unless `rebalance` is a RebalanceCalendar. */
  periodsPerYear?: number;
  /**
   * Sample the level panel at these dates (each must be a date of the input panel) before taking
   * horizons, e.g. month-end dates of a daily price panel. With returns, the daily returns are
   * compounded between the sampled dates first.
   */
  rebalance?: readonly string[] | RebalanceCalendar;
  /** Label unit (e.g. "M", "D"); default from periodsPerYear: 12 M, 4 Q, 52 W, 1 Y, >= 200 D, else P. */
  unit?: string;
}

function badArg(what: string, where: Record<string, string | number>, fix: string): RotationError {
  return new RotationError('EVAL_BAD_ARGUMENT', what, where, fix);
}

/**
 * Label of a horizon of `periods` rebalance periods: `${periods}${unit}`, unit from
 * periodsPerYear (12 → "M", 4 → "Q", 52 → "W", 1 → "Y", >= 200 → "D", 6 → months: "2M" per period,
 * otherwise "P") unless `unit` is given. E.g. horizonLabel(3, 12) = "3M", horizonLabel(5, 252) = "5D".
 */
export function horizonLabel(periods: number, periodsPerYear: number, unit?: string): string {
  if (unit !== undefined) return `${periods}${unit}`;
  if (periodsPerYear === 12) return `${periods}M`;
  if (periodsPerYear === 6) return `${2 * periods}M`;
  if (periodsPerYear === 4) return `${periods}Q`;
  if (periodsPerYear === 52) return `${periods}W`;
  if (periodsPerYear === 1) return `${periods}Y`;
  if (periodsPerYear >= 200) return `${periods}D`;
  return `${periods}P`;
}

function resolveRebalance(options: ForwardReturnOptions): { dates: readonly string[] | undefined; periodsPerYear: number } {
  const r = options.rebalance;
  const cal = r !== undefined && !Array.isArray(r) ? (r as RebalanceCalendar) : undefined;
  const periodsPerYear = options.periodsPerYear ?? cal?.periodsPerYear;
  if (periodsPerYear === undefined || !(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) {
    throw badArg(`periodsPerYear must be a positive number, got ${String(periodsPerYear)}`, { argument: 'periodsPerYear' },
      'pass periodsPerYear (12 for month-end rebalancing, 252 for daily) or a RebalanceCalendar as `rebalance`');
  }
  return { dates: cal ? cal.dates : (r as readonly string[] | undefined), periodsPerYear };
}

function resolveHorizons(spec: readonly (number | ForwardHorizon)[], T: number, periodsPerYear: number, unit?: string): ForwardHorizon[] {
  if (!Array.isArray(spec) || spec.length === 0) {
    throw new RotationError('EVAL_BAD_HORIZON', 'No horizon given', { argument: 'horizons' },
      'pass horizons in rebalance periods, e.g. [1, 3, 6] on month ends or [1, 5, 21] on a daily calendar');
  }
  const out: ForwardHorizon[] = [];
  for (const h of spec) {
    const periods = typeof h === 'number' ? h : h?.periods;
    const label = typeof h === 'number' ? horizonLabel(h, periodsPerYear, unit) : h?.label;
    if (!Number.isInteger(periods) || (periods as number) < 1) {
      throw new RotationError('EVAL_BAD_HORIZON', `Horizon length must be a positive integer number of periods, got ${String(periods)}`,
        { argument: 'horizons', label: String(label) }, 'pass whole rebalance periods, e.g. 1, 3, 6');
    }
    if (typeof label !== 'string' || label === '') {
      throw new RotationError('EVAL_BAD_HORIZON', 'Horizon label must be a non-empty string', { argument: 'horizons', periods: periods as number },
        'pass { label: "3M", periods: 3 } or just the number of periods');
    }
    if (out.some((o) => o.label === label || o.periods === periods)) {
      throw new RotationError('EVAL_BAD_HORIZON', `Duplicate horizon ${label} (${periods} periods)`, { argument: 'horizons', label },
        'list each horizon once');
    }
    if ((periods as number) >= T) {
      throw new RotationError('EVAL_HORIZON_TOO_LONG',
        `Horizon ${label} needs ${periods} periods after a date but the calendar has only ${T} date(s), so no date has a forward return`,
        { label, periods: periods as number, dates: T },
        `use horizons shorter than ${T} periods, or load a longer history`);
    }
    out.push(Object.freeze({ label, periods: periods as number }));
  }
  return out;
}

function rowsOfDates(panelDates: readonly string[], dates: readonly string[]): number[] {
  const di = new Map<string, number>();
  panelDates.forEach((d, t) => di.set(d, t));
  const rows: number[] = [];
  for (let k = 0; k < dates.length; k++) {
    const d = dates[k];
    if (!isIsoDate(d)) {
      throw badArg(`Unparseable rebalance date "${d}"`, { argument: 'rebalance', position: k }, 'write dates as ISO yyyy-mm-dd');
    }
    if (k > 0 && d <= dates[k - 1]) {
      throw badArg(`Rebalance dates not strictly ascending at ${d}`, { argument: 'rebalance', position: k }, 'sort the rebalance dates and keep each once');
    }
    const t = di.get(d);
    if (t === undefined) {
      throw new RotationError('EVAL_DATE_NOT_IN_PANEL', `Rebalance date ${d} is not a date of the panel`,
        { date: d, position: k, panelStart: panelDates[0], panelEnd: panelDates[panelDates.length - 1] },
        'derive the rebalance dates from the same trading calendar (monthEndRebalanceDates(calendar))');
    }
    rows.push(t);
  }
  if (rows.length === 0) throw badArg('No rebalance date given', { argument: 'rebalance' }, 'pass at least two rebalance dates');
  return rows;
}

function sampleRows(values: Float64Array, N: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * N);
  for (let k = 0; k < rows.length; k++) out.set(values.subarray(rows[k] * N, (rows[k] + 1) * N), k * N);
  return out;
}

/**
 * Forward returns from a price panel: fwd_h[t, i] = p[t + h, i]/p[t, i] − 1 on the rebalance
 * calendar (the panel's own rows, or the rows at `rebalance` dates). NaN when either price is NaN
 * (prices in between are not consulted, as `forwardReturns` in src/panel/kernels.ts).
 * The price panel is referenced, not copied, when no `rebalance` dates are given.
 * Errors: EVAL_BAD_PRICE (a price <= 0, naming date and asset), EVAL_BAD_HORIZON,
 * EVAL_HORIZON_TOO_LONG (a horizon of >= T periods), EVAL_BAD_ARGUMENT, EVAL_DATE_NOT_IN_PANEL.
 */
export function forwardReturnsFromPrices(prices: Panel, options: ForwardReturnOptions): ForwardReturns {
  const { dates: reb, periodsPerYear } = resolveRebalance(options);
  const N = prices.assets.length, v = prices.values;
  for (let c = 0; c < v.length; c++) {
    if (v[c] <= 0) {
      const t = Math.floor(c / N), i = c % N;
      throw new RotationError('EVAL_BAD_PRICE', `Non-positive price ${v[c]}`, { date: prices.dates[t], asset: prices.assets[i] },
        'prices must be > 0; mask bad prices as NaN first (mapValues(p, (x) => (x > 0 ? x : NaN)))');
    }
  }
  let dates: readonly string[] = prices.dates, level = v;
  if (reb !== undefined) {
    const rows = rowsOfDates(prices.dates, reb);
    dates = rows.map((t) => prices.dates[t]);
    level = sampleRows(v, N, rows);
  }
  const horizons = resolveHorizons(options.horizons, dates.length, periodsPerYear, options.unit);
  return Object.freeze({ dates: [...dates], assets: [...prices.assets], periodsPerYear, horizons, source: 'prices' as const, level, segment: null });
}

/**
 * Forward returns from simple period returns R (row t = return over (d_{t−1}, d_t], labelled at
 * the end of the period, as `periodReturns` produces):
 *
 *   fwd_h[t, i] = Π_{j=1..h} (1 + R[t + j, i]) − 1,   NaN if any of R[t+1..t+h, i] is NaN,
 *
 * computed as a ratio of the wealth index L[t] = L[t−1]·(1 + R[t]) (restarted at 1 after a missing
 * return). With `rebalance` dates, the returns are compounded on the input calendar first and
 * then sampled, so a horizon of one rebalance period compounds every input row in the period.
 * A return of exactly −1 leaves the wealth at 0: later forward returns of that asset are NaN.
 * Errors: EVAL_BAD_RETURN (a return < −1), plus those of `forwardReturnsFromPrices`.
 */
export function forwardReturnsFromReturns(returns: Panel, options: ForwardReturnOptions): ForwardReturns {
  const { dates: reb, periodsPerYear } = resolveRebalance(options);
  const T = returns.dates.length, N = returns.assets.length, r = returns.values;
  for (let c = 0; c < r.length; c++) {
    if (r[c] < -1) {
      const t = Math.floor(c / N), i = c % N;
      throw new RotationError('EVAL_BAD_RETURN', `Simple return ${r[c]} is below −100%`, { date: returns.dates[t], asset: returns.assets[i] },
        'pass simple returns (p1/p0 − 1), not log returns or percentages; mask bad values as NaN');
    }
  }
  let level = new Float64Array(T * N);
  let segment = new Int32Array(T * N);
  for (let i = 0; i < N; i++) {
    let w = 1, seg = 0;
    for (let t = 0; t < T; t++) {
      const x = r[t * N + i];
      if (x === x) {
        w *= 1 + x;
      } else {
        seg++;
        w = 1;
      }
      level[t * N + i] = w;
      segment[t * N + i] = seg;
    }
  }
  let dates: readonly string[] = returns.dates;
  if (reb !== undefined) {
    const rows = rowsOfDates(returns.dates, reb);
    dates = rows.map((t) => returns.dates[t]);
    level = sampleRows(level, N, rows);
    const seg2 = new Int32Array(rows.length * N);
    for (let k = 0; k < rows.length; k++) seg2.set(segment.subarray(rows[k] * N, (rows[k] + 1) * N), k * N);
    segment = seg2;
  }
  const horizons = resolveHorizons(options.horizons, dates.length, periodsPerYear, options.unit);
  return Object.freeze({ dates: [...dates], assets: [...returns.assets], periodsPerYear, horizons, source: 'returns' as const, level, segment });
}

/** The horizon with this label (or this length in periods); EVAL_UNKNOWN_HORIZON listing the known ones. */
export function horizonOf(fr: ForwardReturns, key: string | number): ForwardHorizon {
  const h = fr.horizons.find((x) => (typeof key === 'number' ? x.periods === key : x.label === key));
  if (!h) {
    throw new RotationError('EVAL_UNKNOWN_HORIZON', `No horizon ${String(key)} in these forward returns`,
      { horizon: String(key), known: fr.horizons.map((x) => x.label) }, 'use one of the horizons the ForwardReturns was built with');
  }
  return h;
}

/**
 * Row t of the forward returns over `periods` rows into out[0..N):
 * out[i] = L[t + periods, i] / L[t, i] − 1 (NaN past the end, across a missing return, or where a
 * level is NaN). Any length >= 1 works (it need not be one of `fr.horizons`). Computed by
 * `levelReturnRowInto` (src/panel/kernels.ts), the division `evaluateCrossSections` also uses, so
 * both agree exactly and an unchanged level gives exactly 0.
 */
export function forwardReturnRowInto(fr: ForwardReturns, periods: number, t: number, out: Float64Array): void {
  const N = fr.assets.length, T = fr.dates.length, L = fr.level, seg = fr.segment;
  if (t + periods >= T || t < 0) {
    out.fill(NaN, 0, N);
    return;
  }
  levelReturnRowInto(L, t * N, (t + periods) * N, N, out, null, seg);
}

/** The forward returns of one horizon (label or length) as a Panel on fr.dates x fr.assets. */
export function forwardReturnPanel(fr: ForwardReturns, horizon: string | number): Panel {
  const h = horizonOf(fr, horizon);
  const N = fr.assets.length, T = fr.dates.length;
  const values = new Float64Array(T * N);
  for (let t = 0; t < T; t++) forwardReturnRowInto(fr, h.periods, t, values.subarray(t * N, (t + 1) * N));
  return { dates: [...fr.dates], assets: [...fr.assets], values };
}
