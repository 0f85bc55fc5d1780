/**
 * Walk-forward backtests: at each rebalance date t a callback decides the target weights from the
 * history up to and including t ONLY. The helper enforces it by handing the callback fresh copies
 * of the panels sliced to dates ≤ t (expanding window) or to the last L trading days ≤ t (rolling
 * window), so nothing dated after t is reachable from the callback, not even through a shared
 * buffer. A declared in-sample / out-of-sample split date is recorded for reports.
 *
 *   decision at t:  w*_t = weightsAt({ date: t, history: data[rows ≤ t], previous: w*_{t−1} })
 *   split:          decisions and daily returns dated ≤ split are in-sample, later ones out-of-sample
 */
import { RotationError } from '../errors.js';
import { isIsoDate, sliceDates, type Panel } from '../panel/panel.js';
import { rebalanceCalendar } from '../data/calendar.js';
import { runBacktest, sliceBacktest } from './engine.js';
import type { BacktestInput, BacktestResult, NamedWeights, RebalanceSchedule, TargetWeights } from './types.js';

/** What the callback sees at decision date t: copies of the data up to t, nothing later. */
export interface WalkForwardContext {
  /** Decision date t (ISO). */
  readonly date: string;
  /** 0 for the first decision date, 1 for the next, … */
  readonly index: number;
  /** Industries (= close.assets); an array answer is aligned with them. */
  readonly industries: readonly string[];
  readonly history: {
    /** Closes on dates (from, t]. */
    readonly close: Panel;
    /** Opens on the same dates, when given. */
    readonly open?: Panel;
    /** Daily simple returns close_s/close_{s−1} − 1 on the same dates (the first row NaN). */
    readonly returns: Panel;
    /** Every extra panel, sliced to the same date range. */
    readonly panels: Readonly<Record<string, Panel>>;
  };
  /** The previous decision's weights (aligned with `industries`), or null before the first. */
  readonly previous: Float64Array | null;
}

/**
 * The callback's answer: weights aligned with `industries` (array), a record industry → weight,
 * named weights (the portfolio layer's AllocationResult fits), or null = no decision at t (before
 * the first decision: not invested yet; after: hold, the weights keep drifting).
 */
export type WalkForwardWeights = ArrayLike<number> | Readonly<Record<string, number>> | NamedWeights | null;

export type WindowSpec =
  | { kind: 'expanding' }
  | { kind: 'rolling'; /** Trading days of history, ending at t. */ length: number };

export interface WalkForwardOptions extends Omit<BacktestInput, 'weights'> {
  weightsAt: (ctx: WalkForwardContext) => WalkForwardWeights;
  /** Default expanding. */
  window?: WindowSpec;
  /** Call the callback only when the history has at least this many dates (default 1; rolling: its length). */
  minHistory?: number;
  /** Declared in-sample end (ISO): decisions and returns dated ≤ split are in-sample. */
  split: string;
  /** Extra panels (scores, factors, on any calendar) sliced like the prices. */
  panels?: Readonly<Record<string, Panel>>;
}

export interface SampleWindow {
  from: string;
  to: string;
  /** Decisions (callback answers) dated in the window. */
  decisions: number;
  /** Daily returns dated in the window. */
  days: number;
}

export interface SampleSplit {
  date: string;
  inSample: SampleWindow;
  /** null when the backtest ends on or before the split. */
  outOfSample: SampleWindow | null;
  /** True when the split date is a rebalance date (then every OOS return comes from OOS decisions). */
  onRebalanceDate: boolean;
}

export interface WalkForwardResult {
  backtest: BacktestResult;
  /** The decisions, as passed to the engine. */
  weights: TargetWeights[];
  split: SampleSplit;
  /** History window handed to the callback at each decision date. */
  windows: { date: string; from: string; to: string; rows: number }[];
}

function isArrayLikeNumbers(x: unknown): x is ArrayLike<number> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/** Simple returns of a close panel, row 0 NaN. */
function returnsOf(close: Panel): Panel {
  const N = close.assets.length, T = close.dates.length;
  const v = new Float64Array(T * N).fill(NaN);
  for (let t = 1; t < T; t++) {
    for (let i = 0; i < N; i++) {
      const r = close.values[t * N + i] / close.values[(t - 1) * N + i] - 1;
      v[t * N + i] = Number.isFinite(r) ? r : NaN;
    }
  }
  return { dates: close.dates.slice(), assets: close.assets.slice(), values: v };
}

/** A deep copy of a panel (fresh arrays; no shared buffer). */
function copyPanel(p: Panel): Panel {
  return { dates: p.dates.slice(), assets: p.assets.slice(), values: p.values.slice() };
}

/**
 * Walk forward over the rebalance calendar: for each rebalance date t (≥ `start` if given, before
 * the last date), call `weightsAt` with the history up to t, then backtest the decisions with the
 * rest of the options (costs, execution, benchmark, end). Null answers before the first decision
 * are skipped; later ones hold (onMissingWeights 'hold' unless set).
 *
 * Errors: WF_BAD_SPLIT (split not an ISO date inside the backtest), WF_BAD_WINDOW, WF_NO_DECISION
 * (the callback never answered), plus runBacktest's.
 */
export function walkForward(options: WalkForwardOptions): WalkForwardResult {
  const { close, weightsAt } = options;
  if (typeof weightsAt !== 'function') {
    throw new RotationError('WF_BAD_CALLBACK', 'weightsAt must be a function (ctx) => weights', {}, 'pass weightsAt: (ctx) => weights at ctx.date');
  }
  if (!isIsoDate(options.split)) {
    throw new RotationError('WF_BAD_SPLIT', `Split date "${options.split}" is not an ISO date`, { split: String(options.split) },
      'declare the in-sample end as yyyy-mm-dd before looking at results');
  }
  const window = options.window ?? { kind: 'expanding' };
  if (window.kind === 'rolling' && (!Number.isInteger(window.length) || window.length < 2)) {
    throw new RotationError('WF_BAD_WINDOW', `Rolling window length must be an integer >= 2 trading days, got ${window.length}`, { length: window.length },
      'pass e.g. { kind: "rolling", length: 756 } for three years of daily history');
  }
  const minHistory = options.minHistory ?? (window.kind === 'rolling' ? window.length : 1);
  const reb = options.rebalance ?? rebalanceCalendar(close.dates, { frequency: 'M', anchor: 'end' });
  const rebDates = Array.isArray(reb) ? (reb as readonly string[]) : (reb as RebalanceSchedule).dates;
  const end = options.end ?? close.dates[close.dates.length - 1];
  const di = new Map(close.dates.map((d, t) => [d, t]));

  const decisions: TargetWeights[] = [];
  const windows: WalkForwardResult['windows'] = [];
  let previous: Float64Array | null = null;
  let index = 0;
  for (const date of rebDates) {
    if (options.start !== undefined && date < options.start) continue;
    if (date >= end) break;
    const t = di.get(date);
    if (t === undefined) continue; // runBacktest reports rebalance dates off the calendar
    const from = window.kind === 'rolling' ? close.dates[Math.max(0, t - window.length + 1)] : close.dates[0];
    const rows = t - di.get(from)! + 1;
    if (rows < minHistory) continue;
    const hClose = copyPanel(sliceDates(close, from, date)); // fresh arrays: nothing shared with the caller's panels
    const ctx: WalkForwardContext = {
      date, index, industries: close.assets.slice(),
      history: {
        close: hClose,
        open: options.open ? copyPanel(sliceDates(options.open, from, date)) : undefined,
        returns: returnsOf(hClose),
        panels: Object.fromEntries(Object.entries(options.panels ?? {}).map(([k, p]) => [k, copyPanel(sliceDates(p, from, date))])),
      },
      previous: previous ? previous.slice() : null,
    };
    const ans = weightsAt(ctx);
    windows.push({ date, from, to: date, rows });
    if (ans === null || ans === undefined) continue;
    let named: TargetWeights['weights'];
    if (isArrayLikeNumbers(ans)) {
      if (ans.length !== close.assets.length) {
        throw new RotationError('BT_WEIGHTS_SHAPE', `weightsAt returned ${ans.length} weights for ${close.assets.length} industries`, { date },
          'return one weight per ctx.industries entry (or a record industry → weight)');
      }
      named = { industries: close.assets.slice(), weights: Float64Array.from(ans) };
    } else {
      named = ans as TargetWeights['weights'];
    }
    decisions.push({ date, weights: named });
    const row = new Float64Array(close.assets.length);
    const ai = new Map(close.assets.map((a, i) => [a, i]));
    if ('industries' in named && Array.isArray((named as NamedWeights).industries)) {
      const nw = named as NamedWeights;
      nw.industries.forEach((a, j) => { const i = ai.get(a); if (i !== undefined) row[i] = nw.weights[j]; });
    } else {
      for (const [a, v] of Object.entries(named as Record<string, number>)) { const i = ai.get(a); if (i !== undefined) row[i] = v; }
    }
    previous = row;
    index++;
  }
  if (decisions.length === 0) {
    throw new RotationError('WF_NO_DECISION', 'weightsAt returned no weights on any rebalance date', { rebalanceDates: rebDates.length, minHistory },
      'check minHistory / window and that the callback returns weights once it has enough history');
  }
  const { weightsAt: _w, window: _win, minHistory: _m, split: _s, panels: _p, ...rest } = options;
  const backtest = runBacktest({ ...rest, rebalance: reb, weights: decisions, onMissingWeights: options.onMissingWeights ?? 'hold' });
  return { backtest, weights: decisions, split: sampleSplit(backtest, options.split, decisions.map((d) => d.date), rebDates), windows };
}

/**
 * The in-sample / out-of-sample windows of a backtest at `split`: daily returns and decisions
 * dated ≤ split are in-sample, later ones out-of-sample. Errors: WF_BAD_SPLIT when the split is
 * before the first return date.
 */
export function sampleSplit(bt: BacktestResult, split: string, decisionDates: readonly string[], rebalanceDates: readonly string[] = bt.rebalanceDates): SampleSplit {
  const first = bt.dates[0], last = bt.dates[bt.dates.length - 1];
  if (!isIsoDate(split) || split < first) {
    throw new RotationError('WF_BAD_SPLIT', `Split ${split} is before the first backtest date ${first}`, { split, first, last },
      'declare a split inside the backtest window (in-sample must hold at least one day)');
  }
  const isDays = bt.dates.filter((d) => d <= split).length;
  const isDec = decisionDates.filter((d) => d <= split).length;
  const inSample: SampleWindow = { from: first, to: bt.dates[isDays - 1], decisions: isDec, days: isDays };
  const oos: SampleWindow | null = isDays < bt.dates.length
    ? { from: bt.dates[isDays], to: last, decisions: decisionDates.length - isDec, days: bt.dates.length - isDays }
    : null;
  return { date: split, inSample, outOfSample: oos, onRebalanceDate: rebalanceDates.includes(split) };
}

/** The in-sample and out-of-sample parts of a backtest (sliceBacktest at the split). */
export function splitBacktest(bt: BacktestResult, split: string): { inSample: BacktestResult; outOfSample: BacktestResult | null } {
  const inSample = sliceBacktest(bt, undefined, split);
  const hasOos = bt.dates[bt.dates.length - 1] > split;
  return { inSample, outOfSample: hasOos ? sliceBacktest(bt, nextDay(split)) : null };
}

function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
