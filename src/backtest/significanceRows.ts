/**
 * Significance columns of a comparison table of backtests: per strategy and window (whole
 * sample, in-sample = periods ending on or before the split, out-of-sample = after it), the mean
 * rebalance-period (monthly) active return against the backtest's own benchmark, its t, Newey-West
 * t and p, and the paired t (and p) of the strategy against the BEST BASELINE.
 *
 * The best baseline is the baseline with the highest IN-SAMPLE mean active return, so the choice
 * never reads the out-of-sample window (ties: the first in the given order). It is the comparator
 * of every row of every window; its own row has no difference test (NaN, note "best baseline").
 *
 * All strategies must be on the same rebalance calendar (METRIC_CALENDAR_MISMATCH from
 * src/metrics/activeSignificance.ts otherwise). A window shorter than the test's minimum gets NaN
 * figures and a note naming the minimum (the error METRIC_TOO_FEW_PERIODS of the library).
 */
import { RotationError } from '../errors.js';
import {
  activeReturnTest, assertSameCalendar, differenceTest, deflatedActiveSharpe, sliceSeries, splitWindows,
  type ActiveReturnTest, type PeriodSeries,
} from '../metrics/activeSignificance.js';
import type { TrialsSpec } from '../metrics/significance.js';
import { mean, sampleStd } from '../metrics/returns.js';
import { rebalancePeriodSeries } from './summary.js';
import type { BacktestResult } from './types.js';

/** A backtest with its role in a comparison. */
export interface ComparedBacktest {
  backtest: BacktestResult;
  /** 'model' or 'baseline'; only baselines are candidates for the best baseline. */
  kind: 'model' | 'baseline';
}

export type SignificanceWindow = 'whole sample' | 'in-sample' | 'out-of-sample';

/** One row: a strategy in a window (all returns per rebalance period, not annualized). */
export interface SignificanceRow {
  strategy: string;
  kind: 'model' | 'baseline';
  window: SignificanceWindow;
  /** First and last period-end date of the window. */
  first: string;
  last: string;
  periods: number;
  /** Mean active return per period ā (vs the backtest's benchmark). */
  meanActive: number;
  /** ā / (s/√T). */
  tActive: number;
  /** Newey-West t of ā (rule-of-thumb lag). */
  tNeweyWest: number;
  /** Two-sided Student-t p of tActive, T − 1 df. */
  pActive: number;
  /** The best baseline (highest in-sample mean active return). */
  bestBaseline: string;
  /** Mean per-period difference strategy − best baseline. */
  meanVsBestBaseline: number;
  tVsBestBaseline: number;
  pVsBestBaseline: number;
  /** Why figures are NaN ('' when none). */
  note: string;
}

/** The rebalance-period strategy and benchmark series of a backtest (no partial final period dropped). */
function seriesOf(bt: BacktestResult): { strategy: PeriodSeries; benchmark: PeriodSeries } {
  const s = rebalancePeriodSeries(bt);
  return { strategy: s.strategy, benchmark: s.benchmark };
}

function tryTest(f: () => ActiveReturnTest): { test: ActiveReturnTest | null; note: string } {
  try {
    return { test: f(), note: '' };
  } catch (e) {
    if (e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS') return { test: null, note: e.what };
    throw e;
  }
}

/**
 * The best baseline of a comparison: argmax over baselines of the in-sample (dates <= split) mean
 * active return per rebalance period; null when there is no baseline.
 */
export function bestBaselineName(entries: readonly ComparedBacktest[], split: string): string | null {
  let best: string | null = null, bestMean = -Infinity;
  for (const e of entries) {
    if (e.kind !== 'baseline') continue;
    const s = seriesOf(e.backtest);
    const w = splitWindows(s.strategy.dates, split);
    const a = sliceSeries(s.strategy, w.inSample), b = sliceSeries(s.benchmark, w.inSample);
    let m = 0;
    for (let t = 0; t < a.dates.length; t++) m += a.returns[t] - b.returns[t];
    m /= a.dates.length;
    if (m > bestMean) { bestMean = m; best = e.backtest.name; }
  }
  return best;
}

/**
 * Significance rows (module comment), strategy-major: for each strategy its whole-sample,
 * in-sample and out-of-sample rows. Errors: METRIC_CALENDAR_MISMATCH (strategies on different
 * calendars), METRIC_EMPTY_WINDOW (a split that leaves a window empty).
 */
export function backtestSignificanceRows(entries: readonly ComparedBacktest[], split: string): SignificanceRow[] {
  if (entries.length === 0) return [];
  const series = entries.map((e) => seriesOf(e.backtest));
  for (let k = 1; k < series.length; k++) assertSameCalendar(series[0].strategy, series[k].strategy);
  const w = splitWindows(series[0].strategy.dates, split);
  const best = bestBaselineName(entries, split);
  const bestK = best === null ? -1 : entries.findIndex((e) => e.backtest.name === best);
  const windows: [SignificanceWindow, { start: number; end: number }][] = [
    ['whole sample', { start: 0, end: series[0].strategy.dates.length }], ['in-sample', w.inSample], ['out-of-sample', w.outOfSample],
  ];
  const rows: SignificanceRow[] = [];
  entries.forEach((e, k) => {
    for (const [window, range] of windows) {
      const s = sliceSeries(series[k].strategy, range), b = sliceSeries(series[k].benchmark, range);
      const act = tryTest(() => activeReturnTest(s, b));
      const notes = act.note ? [act.note] : [];
      let diff: ActiveReturnTest | null = null;
      if (bestK >= 0 && bestK !== k) {
        const r = tryTest(() => differenceTest(s, sliceSeries(series[bestK].strategy, range)));
        diff = r.test;
        if (r.note && !act.note) notes.push(r.note);
      } else if (bestK === k) notes.push('best baseline');
      rows.push({
        strategy: e.backtest.name, kind: e.kind, window, first: s.dates[0], last: s.dates[s.dates.length - 1], periods: s.dates.length,
        meanActive: act.test?.mean ?? NaN, tActive: act.test?.t ?? NaN, tNeweyWest: act.test?.tNeweyWest ?? NaN, pActive: act.test?.pValue ?? NaN,
        bestBaseline: best ?? '', meanVsBestBaseline: diff?.mean ?? NaN, tVsBestBaseline: diff?.t ?? NaN, pVsBestBaseline: diff?.pValue ?? NaN,
        note: notes.join('; '),
      });
    }
  });
  return rows;
}

/**
 * Per-period Sharpe ratio of the ACTIVE rebalance-period return of each backtest,
 * SR_k = mean(a)/std(a, ddof 1) with a = r − b per rebalance period: the trials of the deflated
 * active Sharpe (NaN when std = 0).
 */
export function activeSharpes(bts: readonly BacktestResult[]): Float64Array {
  return Float64Array.from(bts, (bt) => {
    const s = rebalancePeriodSeries(bt);
    const a = Float64Array.from(s.active.returns as ArrayLike<number>);
    const sd = a.length > 1 ? sampleStd(a) : NaN;
    return sd > 0 ? mean(a) / sd : NaN;
  });
}

/**
 * The deflated Sharpe of a backtest's active rebalance-period return (deflatedActiveSharpe): the
 * probability that its per-period information ratio exceeds the expected maximum of `trials`.
 */
export function backtestDeflatedActiveSharpe(bt: BacktestResult, trials: TrialsSpec): number {
  const s = rebalancePeriodSeries(bt);
  return deflatedActiveSharpe(s.strategy, s.benchmark, trials).deflated;
}
