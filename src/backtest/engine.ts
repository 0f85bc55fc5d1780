/**
 * The backtest engine: target weights per rebalance date in, daily portfolio and benchmark
 * returns out, on daily industry closes.
 *
 * Timeline (execution 'close', the default). d_0 < d_1 < … are the rebalance dates with weights.
 * Wealth is W_0 = 1 at the close of d_0, in cash. At the close of each d_k the portfolio trades
 * from its drifted weights w̃ to the target w*; between trades the weights drift:
 *
 *   r_t,i   = close_t,i / close_{t−1},i − 1                         (daily simple return)
 *   gross_t = Σ_i w_i r_t,i                                           (w = weights held over day t)
 *   w_i    ← w_i (1 + r_t,i) / Σ_j w_j (1 + r_t,j)                   (drift, end of day t)
 *   traded_k = Σ_i |w*_i − w̃_i|,  cost_k = c · traded_k,  c = costBps / 10⁴
 *   r^net_t = (1 − cost_k)(1 + gross_t) − 1   for the first day t the new weights are held
 *
 * Execution 'next-open': the trade decided at d_k executes at the open of the next trading day s:
 * the old weights earn the overnight return o_i = open_s,i / close_{d_k},i − 1, drift, trade, then
 * the new weights earn the intraday return q_i = close_s,i / open_s,i − 1:
 *
 *   1 + r^net_s = (Σ_i w_i (1 + o_i)) (1 − cost_k) (Σ_i w*_i (1 + q_i)).
 *
 * A missing open falls back to the previous close (o = 0, q = r), counted in the notes. Before
 * the first trade the portfolio is cash (return 0). A trade decided on the last date of the window
 * has no period after it and is ignored (noted).
 *
 * Benchmark (default): equal weight over the industries with a valid return that day, rebalanced
 * daily, b_t = mean_i r_t,i. Deterministic: no randomness, no dependence on iteration order.
 *
 * Gap policy (default `{ maxCarryDays: 5 }`; `gapPolicy: 'error'` restores the strict check).
 * Let ℓ_t,i be the last trading-day index ≤ t with a valid close and a_t,i = t − ℓ_t,i its age.
 *
 *   r_t,i = close_t,i / close_ℓ,i − 1   with ℓ = ℓ_{t−1},i   (close_t,i valid: a resumption
 *           realizes the whole move over the gap on the day the industry trades again)
 *   r_t,i = 0                                                (close_t,i missing: value carried)
 *
 * - carried: a held industry-day with a missing close and a_t,i ≤ maxCarryDays. The price is the
 *   last close carried forward; a rebalance may still trade the industry at that price.
 * - suspended (frozen): a_t,i > maxCarryDays. The industry cannot trade: at a rebalance executed on
 *   a day it is suspended, its held (drifted) weight w̃_i is kept (w*_i := w̃_i) and the other
 *   targets are rescaled to fill 1 − Σ_frozen w̃ (w*_j := w*_j (1 − F) / Σ_{k not frozen} w*_k);
 *   a target on a suspended industry not held is not bought. Return 0 until it trades again (as
 *   qlib and broker backtests hold a suspended position at its last price). Allocators are offered
 *   only industries with a close on the rebalance date (portfolio/study.ts availableIndustries).
 * - counted: every held industry-day carried or frozen is counted in `result.gapLoss` (a
 *   LossReport over held industry-days: rowsRead = held industry-days, rowsKept = those with a real
 *   close); frozen rebalances and resumptions are listed in its notes.
 * - BT_RETURN_GAP remains for what the policy cannot cover: an industry held or bought that has
 *   never had a close up to that day (no price to carry), or a rebalance whose whole target is on
 *   suspended industries; it names the (date, industry) cells whose close is missing.
 *
 * Wealth identity: holding one industry from d_0 to d_T gives Π(1 + r_t) = close_T / close_0 over
 * any gaps (the carried days return 0, the resumption day the accumulated move).
 */
import { RotationError } from '../errors.js';
import { assertSameShape, dateIndex } from '../panel/panel.js';
import { rebalanceCalendar, type RebalanceCalendar } from '../data/calendar.js';
import { checkPeriodsPerYear } from '../metrics/returns.js';
import { DAILY_PERIODS_PER_YEAR } from '../metrics/conventions.js';
import { costRate } from './costs.js';
import { resolveWeightSchedule, DEFAULT_WEIGHT_TOLERANCE } from './weights.js';
import { countLoss, formatLossReport, newLossReport, totalDropped, type LossReport } from '../data/loss.js';
import type { RebalanceSchedule, BacktestInput, BacktestResult, BenchmarkSpec, Execution, GapPolicy, RebalanceRecord, RuinRecord } from './types.js';

/** Default number of consecutive trading days a missing close is carried before the industry counts as suspended. */
export const DEFAULT_MAX_CARRY_DAYS = 5;

/** Loss-report reasons of the gap policy (stable strings, shown in the run's loss summary). */
export const GAP_REASONS = Object.freeze({
  carried: 'close missing: last close carried forward (return 0)',
  frozen: 'suspended beyond the carry limit: weight frozen (return 0)',
});

interface CoreInput {
  close: Float64Array;
  open?: Float64Array;
  N: number;
  /** Index of the origin date (first decision) and of the last date of the window. */
  s0: number;
  e: number;
  /** Decision date index → target row. */
  trades: Map<number, Float64Array>;
  rate: number;
  execution: Execution;
  dates: readonly string[];
  industries: readonly string[];
  /** Max age (trading days) of a carried close; -1 = strict (any held gap is an error). */
  maxCarry: number;
  /** Loss report the policy counts into (held industry-days). */
  loss: LossReport;
}

interface CoreOutput {
  net: Float64Array;
  gross: Float64Array;
  weights: Float64Array;
  records: RebalanceRecord[];
  /** "date industry" of every held cell without a return. */
  gaps: string[];
  gapDates: Set<string>;
  /** Days whose growth factor was ≤ 0 (weights not drifted that day). */
  ruinDays: string[];
  openFallbacks: number;
}

/** The shared simulation loop (strategy and weight benchmarks). Hot loop on Float64Array. */
function simulate(inp: CoreInput): CoreOutput {
  const { close, open, N, s0, e, trades, rate, execution, dates, industries, maxCarry, loss } = inp;
  const strict = maxCarry < 0;
  const T = e - s0;
  const net = new Float64Array(T), gross = new Float64Array(T), weights = new Float64Array(T * N);
  const w = new Float64Array(N);
  const ret = new Float64Array(N);
  let cash = 1;
  const records: RebalanceRecord[] = [];
  const gaps: string[] = [];
  const gapDates = new Set<string>();
  const ruinDays: string[] = [];
  let openFallbacks = 0;
  let first = true;
  // last valid close and its date index per industry (state up to day t − 1; nothing later is read)
  const lastClose = new Float64Array(N).fill(NaN);
  const lastIdx = new Int32Array(N).fill(-1);
  for (let t = 0; t <= s0; t++) {
    for (let i = 0; i < N; i++) {
      const c = close[t * N + i];
      if (Number.isFinite(c)) { lastClose[i] = c; lastIdx[i] = t; }
    }
  }
  const frozen = new Uint8Array(N);
  const eff = new Float64Array(N);
  let resumptions = 0;
  const frozenTrades: string[] = [];

  /** Mark industries suspended on day index `d` (missing close older than maxCarry); lastIdx is as of d − 1 or d. */
  const markFrozen = (d: number): number => {
    let n = 0;
    for (let i = 0; i < N; i++) {
      const c = close[d * N + i];
      frozen[i] = !strict && !Number.isFinite(c) && lastIdx[i] >= 0 && d - lastIdx[i] > maxCarry ? 1 : 0;
      n += frozen[i];
    }
    return n;
  };
  /** The executable target: frozen industries keep their held weight, the rest rescaled to fill 1 − F. */
  const executable = (target: Float64Array, d: number): Float64Array => {
    if (markFrozen(d) === 0) return target;
    let F = 0, S = 0;
    for (let i = 0; i < N; i++) { if (frozen[i]) F += w[i]; else S += target[i]; }
    for (let i = 0; i < N; i++) {
      if (frozen[i]) {
        if (w[i] > 0 || target[i] > 0) frozenTrades.push(`${dates[d]} ${industries[i]} (target ${round6(target[i])}, held ${round6(w[i])})`);
        eff[i] = w[i];
      } else eff[i] = S > 0 ? (target[i] * (1 - F)) / S : 0;
    }
    if (!(S > 0) && 1 - F > 1e-12) {
      for (let i = 0; i < N; i++) if (frozen[i] && target[i] > 0) { gaps.push(`${dates[d]} ${industries[i]} (whole target on suspended industries)`); gapDates.add(dates[d]); }
    }
    return eff;
  };

  for (let t = s0 + 1; t <= e; t++) {
    const k = t - s0 - 1;
    const base = t * N, prev = (t - 1) * N;
    if (strict) {
      for (let i = 0; i < N; i++) ret[i] = close[base + i] / close[prev + i] - 1;
    } else {
      for (let i = 0; i < N; i++) {
        const c = close[base + i];
        if (Number.isFinite(c)) ret[i] = c / lastClose[i] - 1; // NaN when never priced before
        else ret[i] = lastIdx[i] >= 0 ? 0 : NaN;
      }
    }
    const requested = trades.get(t - 1);
    const target = requested === undefined || strict ? requested : executable(requested, execution === 'close' ? t - 1 : t);
    // a name held (or bought) today must have a return today (strict), or a price to carry (policy)
    let held = 0, carried = 0, froze = 0;
    for (let i = 0; i < N; i++) {
      // held over day t: the drifted weights, or the new target for a close trade (sold at the close of t − 1)
      const isHeld = target === undefined ? w[i] > 0 : execution === 'close' ? target[i] > 0 : w[i] > 0 || target[i] > 0;
      if (!isHeld) continue;
      held++;
      if (!Number.isFinite(ret[i])) {
        gaps.push(`${dates[t]} ${industries[i]}`);
        gapDates.add(dates[t]);
        ret[i] = 0;
        continue;
      }
      if (strict) continue;
      const c = close[base + i];
      if (!Number.isFinite(c)) {
        const age = t - lastIdx[i];
        if (age > maxCarry) { froze++; countLoss(loss, GAP_REASONS.frozen, 1, { date: dates[t], industry: industries[i], lastClose: dates[lastIdx[i]] }); }
        else { carried++; countLoss(loss, GAP_REASONS.carried, 1, { date: dates[t], industry: industries[i], lastClose: dates[lastIdx[i]] }); }
      } else if (lastIdx[i] < t - 1) resumptions++;
    }
    loss.rowsRead += held;
    loss.rowsKept += held - carried - froze;
    if (!strict) {
      for (let i = 0; i < N; i++) {
        const c = close[base + i];
        if (Number.isFinite(c)) { lastClose[i] = c; lastIdx[i] = t; }
      }
    }
    if (target === undefined) {
      let g = cash;
      for (let i = 0; i < N; i++) if (w[i] !== 0) g += w[i] * (1 + ret[i]);
      gross[k] = g - 1;
      net[k] = g - 1;
      drift(w, ret, g, dates[t]);
      cash = g > 0 ? cash / g : cash;
    } else if (execution === 'close') {
      let traded = 0;
      for (let i = 0; i < N; i++) traded += Math.abs(target[i] - w[i]);
      const cost = rate * traded;
      records.push({ date: dates[t - 1], tradeDate: dates[t - 1], traded, turnover: first ? traded : traded / 2, cost, initial: first, bookedDate: dates[t] });
      first = false;
      w.set(target);
      cash = 0;
      const costFactor = 1 - cost;
      let g = 0;
      for (let i = 0; i < N; i++) if (w[i] !== 0) g += w[i] * (1 + ret[i]);
      gross[k] = g - 1;
      net[k] = costFactor * g - 1;
      drift(w, ret, g, dates[t]);
    } else {
      // next-open: overnight on the old weights, trade at the open, intraday on the new ones
      const o = new Float64Array(N), q = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        const op = open ? open[base + i] : NaN;
        const c0 = close[prev + i], c1 = close[base + i];
        if (Number.isFinite(op) && op > 0 && Number.isFinite(c0)) {
          o[i] = op / c0 - 1;
          q[i] = c1 / op - 1;
        } else {
          if (w[i] > 0 || target[i] > 0) openFallbacks++;
          o[i] = 0;
          q[i] = ret[i];
        }
        if (!Number.isFinite(o[i]) || !Number.isFinite(q[i])) { o[i] = 0; q[i] = Number.isFinite(ret[i]) ? ret[i] : 0; }
      }
      let g1 = cash;
      for (let i = 0; i < N; i++) if (w[i] !== 0) g1 += w[i] * (1 + o[i]);
      drift(w, o, g1, dates[t]);
      // frozen industries keep the weight they hold after the overnight drift
      if (!strict && requested !== undefined && target !== requested) executable(requested, t);
      let traded = 0;
      for (let i = 0; i < N; i++) traded += Math.abs(target[i] - w[i]);
      const cost = rate * traded;
      records.push({ date: dates[t - 1], tradeDate: dates[t], traded, turnover: first ? traded : traded / 2, cost, initial: first, bookedDate: dates[t] });
      first = false;
      w.set(target);
      cash = 0;
      let g2 = 0;
      for (let i = 0; i < N; i++) if (w[i] !== 0) g2 += w[i] * (1 + q[i]);
      gross[k] = g1 * g2 - 1;
      net[k] = g1 * (1 - cost) * g2 - 1;
      drift(w, q, g2, dates[t]);
    }
    weights.set(w, k * N);
  }
  if (frozenTrades.length) loss.notes.push(`${frozenTrades.length} rebalance cell(s) on suspended industries: held weight frozen, the other targets rescaled (first: ${frozenTrades.slice(0, 5).join('; ')})`);
  if (resumptions) loss.notes.push(`${resumptions} held industry-day(s) resumed trading after a gap: the move since the last close is realized that day`);
  return { net, gross, weights, records, gaps, gapDates, ruinDays, openFallbacks };

  function drift(wv: Float64Array, r: Float64Array, g: number, date: string): void {
    if (!(g > 0)) { ruinDays.push(date); return; }
    for (let i = 0; i < N; i++) if (wv[i] !== 0) wv[i] = (wv[i] * (1 + r[i])) / g;
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function throwGaps(out: CoreOutput, series: string, strict: boolean): void {
  if (out.gaps.length) {
    throw new RotationError('BT_RETURN_GAP', strict
      ? `${series}: ${out.gaps.length} held industry-day(s) have no daily return (missing close; gapPolicy 'error')`
      : `${series}: ${out.gaps.length} held industry-day(s) have no daily return that the gap policy can cover (no earlier close to carry, or a whole target on suspended industries)`,
      { dates: [...out.gapDates], cells: out.gaps },
      'give those industries weight 0 until their first close (check the loader\'s loss report for the dropped close rows of these dates and industries), or fill the closes and report the fill');
  }
}

/**
 * Rebalance calendar dates and their periods per year. A bare date list is refused
 * (BT_REBALANCE_NO_PERIODS): its periods per year cannot be inferred, and assuming 12 once
 * annualized an every-other-month walk as if it were monthly.
 */
function resolveRebalance(input: BacktestInput): { dates: string[]; periodsPerYear: number } {
  const r = input.rebalance;
  if (r === undefined) {
    const cal = rebalanceCalendar(input.close.dates, { frequency: 'M', anchor: 'end' });
    return { dates: cal.dates, periodsPerYear: cal.periodsPerYear };
  }
  if (Array.isArray(r)) {
    throw new RotationError('BT_REBALANCE_NO_PERIODS', `rebalance was given as a bare list of ${r.length} date(s) without its periods per year`,
      { first: r[0] ?? 'none', last: r[r.length - 1] ?? 'none' },
      'pass { dates, periodsPerYear } (12 monthly, 6 every other month, 4 quarterly, 52 weekly) or a RebalanceCalendar from rebalanceCalendar()');
  }
  const cal = r as RebalanceSchedule;
  checkPeriodsPerYear(cal.periodsPerYear, 'runBacktest (rebalance.periodsPerYear)');
  return { dates: [...cal.dates], periodsPerYear: cal.periodsPerYear };
}

function lastIndexAtOrBefore(dates: readonly string[], d: string): number {
  let lo = 0, hi = dates.length - 1, ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (dates[mid] <= d) { ans = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return ans;
}

/**
 * Run a backtest (see the module comment for the arithmetic). Validates everything and throws a
 * RotationError naming the dates and industries at fault:
 *
 * - BT_BAD_CLOSE (fewer than 2 dates), PANEL_MISALIGNED (open not shaped like close),
 *   BT_NO_OPEN (next-open without opens), BT_BAD_COST, BT_BAD_EXECUTION, METRIC_BAD_PERIODS_PER_YEAR;
 * - BT_REBALANCE_OFF_CALENDAR (rebalance dates not trading dates), BT_WEIGHTS_OFF_CALENDAR
 *   (weight dates not rebalance dates, all listed), BT_MISSING_WEIGHTS (rebalance dates of the
 *   window without weights), the weight checks of resolveWeightSchedule (negative, sum ≠ 1, NaN,
 *   unknown industry), BT_NO_WEIGHTS (none left in the window);
 * - BT_RETURN_GAP (a held industry, or the benchmark, without a return on a day: dates listed),
 *   BT_BENCHMARK_CALENDAR (a benchmark on a different calendar).
 *
 * A short window is not an error (metrics needing more periods are NaN with a reason); wealth
 * going to zero or below is reported in `ruin` and the notes, never logged.
 */
export function runBacktest(input: BacktestInput): BacktestResult {
  const close = input.close;
  const notes: string[] = [];
  if (!close || !close.dates || close.dates.length < 2) {
    throw new RotationError('BT_BAD_CLOSE', 'The close panel needs at least 2 dates', { dates: close?.dates?.length ?? 0 },
      'pass daily industry closes (dates x industries)');
  }
  const execution: Execution = input.execution ?? 'close';
  if (execution !== 'close' && execution !== 'next-open') {
    throw new RotationError('BT_BAD_EXECUTION', `Unknown execution "${String(execution)}"`, { execution: String(execution) }, "use 'close' or 'next-open'");
  }
  if (input.open) assertSameShape(close, input.open);
  if (execution === 'next-open' && !input.open) {
    throw new RotationError('BT_NO_OPEN', "execution 'next-open' needs daily opens", { execution },
      "pass open (e.g. dataset.industryBars.open) or use execution 'close'");
  }
  const costBps = input.costBps ?? 0;
  const rate = costRate(costBps);
  const periodsPerYear = input.periodsPerYear ?? DAILY_PERIODS_PER_YEAR;
  checkPeriodsPerYear(periodsPerYear, 'runBacktest');
  const N = close.assets.length, dates = close.dates, di = dateIndex(close);

  // rebalance calendar and weight dates
  const reb = resolveRebalance(input);
  const offCal = reb.dates.filter((d) => !di.has(d));
  if (offCal.length) {
    throw new RotationError('BT_REBALANCE_OFF_CALENDAR', `${offCal.length} rebalance date(s) are not trading dates of the close panel`,
      { dates: offCal }, 'derive the rebalance calendar from close.dates (rebalanceCalendar / monthEndRebalanceDates)');
  }
  const rebSet = new Set(reb.dates);
  const sched = resolveWeightSchedule(input.weights, close.assets, 'weights', input.weightTolerance ?? DEFAULT_WEIGHT_TOLERANCE);
  const notReb = sched.dates.filter((d) => !rebSet.has(d));
  if (notReb.length) {
    throw new RotationError('BT_WEIGHTS_OFF_CALENDAR', `${notReb.length} weight date(s) are not rebalance dates`,
      { dates: notReb, rebalanceStart: reb.dates[0], rebalanceEnd: reb.dates[reb.dates.length - 1] },
      'give weights only on rebalance dates (the same rebalanceCalendar the backtest uses), or pass that calendar as `rebalance`');
  }

  // window
  let e = dates.length - 1;
  if (input.end !== undefined) {
    e = lastIndexAtOrBefore(dates, input.end);
    if (e < 1) {
      throw new RotationError('BT_EMPTY_WINDOW', `end ${input.end} leaves fewer than 2 dates`, { end: input.end, firstDate: dates[0] }, 'choose a later end date');
    }
  }
  const lastTradeIdx = e - 1; // a trade needs a following day (close: day after; next-open: executes that day)
  const usable: { t: number; row: Float64Array }[] = [];
  let beforeStart = 0, afterEnd = 0;
  for (let k = 0; k < sched.dates.length; k++) {
    const d = sched.dates[k], t = di.get(d)!;
    if (input.start !== undefined && d < input.start) { beforeStart++; continue; }
    if (t > lastTradeIdx) { afterEnd++; continue; }
    usable.push({ t, row: sched.rows[k] });
  }
  if (beforeStart) notes.push(`${beforeStart} weight date(s) before start ${input.start} ignored`);
  if (afterEnd) notes.push(`${afterEnd} weight date(s) on or after the last date of the window (${dates[e]}) ignored: no period follows them`);
  if (usable.length === 0) {
    throw new RotationError('BT_NO_WEIGHTS', 'No weight date falls inside the backtest window',
      { weightStart: sched.dates[0], weightEnd: sched.dates[sched.dates.length - 1], windowEnd: dates[e], start: input.start },
      'check start/end and that the weights cover the close panel\'s dates');
  }
  const s0 = usable[0].t;
  const trades = new Map<number, Float64Array>();
  for (const u of usable) trades.set(u.t, u.row);

  // rebalance dates of the window without weights
  const windowReb = reb.dates.filter((d) => { const t = di.get(d)!; return t >= s0 && t <= e; });
  const missing = windowReb.filter((d) => di.get(d)! <= lastTradeIdx && !trades.has(di.get(d)!));
  if (missing.length) {
    if ((input.onMissingWeights ?? 'error') === 'error') {
      throw new RotationError('BT_MISSING_WEIGHTS', `${missing.length} rebalance date(s) inside the window have no target weights`,
        { dates: missing }, "give weights for every rebalance date, or pass onMissingWeights: 'hold' to keep drifting through them");
    }
    notes.push(`${missing.length} rebalance date(s) without weights: held (no trade), first ${missing[0]}`);
  }

  const maxCarry = resolveGapPolicy(input.gapPolicy);
  const gapLoss = newLossReport('backtest gap policy', input.name ?? 'strategy');
  gapLoss.notes.push(maxCarry < 0
    ? "gapPolicy 'error': any held industry-day without a close is BT_RETURN_GAP"
    : `counts are held industry-days; a missing close is carried forward (return 0) for up to ${maxCarry} trading day(s), then the industry is suspended: weight frozen, not traded, until it has a close again`);
  const core = simulate({ close: close.values, open: input.open?.values, N, s0, e, trades, rate, execution, dates, industries: close.assets, maxCarry, loss: gapLoss });
  throwGaps(core, 'strategy', maxCarry < 0);
  const nGap = totalDropped(gapLoss);
  if (nGap) notes.push(`gap policy: ${formatLossReport(gapLoss)}`);
  if (core.openFallbacks) notes.push(`${core.openFallbacks} traded industry-day(s) had no open: traded at the previous close instead`);

  const outDates = dates.slice(s0 + 1, e + 1);
  const bench = benchmarkReturns(input.benchmark ?? { kind: 'equal-weight' }, input, s0, e, notes);

  const ruin: RuinRecord[] = [];
  for (const [series, r] of [['strategy', core.net], ['benchmark', bench.returns]] as const) {
    let w = 1;
    for (let t = 0; t < r.length; t++) {
      w *= 1 + r[t];
      if (!(w > 0)) {
        ruin.push({ date: outDates[t], wealth: w, series });
        notes.push(`${series} wealth fell to ${w} on ${outDates[t]}: growth metrics (CAGR, Calmar) are undefined from there and reported as NaN`);
        break;
      }
    }
  }

  const usedTargets = usable.map((u) => u.row);
  const tv = new Float64Array(usedTargets.length * N);
  usedTargets.forEach((row, k) => tv.set(row, k * N));
  return {
    name: input.name ?? 'strategy',
    dates: outDates,
    originDate: dates[s0],
    returns: core.net,
    grossReturns: core.gross,
    benchmarkName: bench.name,
    benchmarkReturns: bench.returns,
    weights: { dates: outDates, assets: [...close.assets], values: core.weights },
    targets: { dates: usable.map((u) => dates[u.t]), assets: [...close.assets], values: tv },
    rebalances: core.records,
    rebalanceDates: windowReb,
    rebalancePeriodsPerYear: reb.periodsPerYear,
    periodsPerYear,
    costBps,
    execution,
    ruin,
    notes,
    gapLoss,
  };
}

/**
 * The carry limit of a gap policy: `'error'` → −1 (strict), `{ maxCarryDays }` (an integer ≥ 0,
 * default DEFAULT_MAX_CARRY_DAYS). BT_BAD_GAP_POLICY otherwise.
 */
export function resolveGapPolicy(policy: GapPolicy | undefined): number {
  if (policy === undefined) return DEFAULT_MAX_CARRY_DAYS;
  if (policy === 'error') return -1;
  const m = policy.maxCarryDays ?? DEFAULT_MAX_CARRY_DAYS;
  if (!Number.isInteger(m) || m < 0) {
    throw new RotationError('BT_BAD_GAP_POLICY', `gapPolicy.maxCarryDays must be an integer >= 0, got ${String(m)}`, { maxCarryDays: String(m) },
      "pass e.g. { maxCarryDays: 5 }, or 'error' to fail on any held gap");
  }
  return m;
}

/** Benchmark daily returns on the window (s0, e] of the close panel. */
function benchmarkReturns(spec: BenchmarkSpec, input: BacktestInput, s0: number, e: number, notes: string[]): { name: string; returns: Float64Array } {
  const close = input.close, N = close.assets.length, dates = close.dates;
  const T = e - s0;
  if (spec.kind === 'equal-weight') {
    const out = new Float64Array(T);
    const gapDates: string[] = [];
    for (let t = s0 + 1; t <= e; t++) {
      let s = 0, c = 0;
      for (let i = 0; i < N; i++) {
        const r = close.values[t * N + i] / close.values[(t - 1) * N + i] - 1;
        if (Number.isFinite(r)) { s += r; c++; }
      }
      if (c === 0) gapDates.push(dates[t]);
      out[t - s0 - 1] = c ? s / c : 0;
    }
    if (gapDates.length) {
      throw new RotationError('BT_RETURN_GAP', `equal-weight benchmark: no industry has a return on ${gapDates.length} date(s)`,
        { dates: gapDates }, 'drop those dates from the close panel (they are not trading days) or fill the closes');
    }
    return { name: spec.name ?? 'equal-weight industries', returns: out };
  }
  if (spec.kind === 'returns') {
    if (spec.dates.length !== spec.returns.length) {
      throw new RotationError('BT_BENCHMARK_CALENDAR', `benchmark has ${spec.dates.length} dates but ${spec.returns.length} returns`, {},
        'pass one return per date');
    }
    const bi = new Map(spec.dates.map((d, k) => [d, k]));
    const missing: string[] = [];
    for (let t = s0 + 1; t <= e; t++) if (!bi.has(dates[t])) missing.push(dates[t]);
    const trading = new Set(dates);
    const lo = dates[s0 + 1], hi = dates[e];
    const extra = spec.dates.filter((d) => d >= lo && d <= hi && !trading.has(d));
    if (missing.length || extra.length) {
      throw new RotationError('BT_BENCHMARK_CALENDAR',
        `benchmark is on a different calendar: ${missing.length} backtest date(s) missing, ${extra.length} non-trading date(s) inside the window`,
        { missing, extra }, 'resample or align the benchmark onto the close panel\'s trading dates');
    }
    const out = new Float64Array(T);
    const gaps: string[] = [];
    for (let t = s0 + 1; t <= e; t++) {
      const v = spec.returns[bi.get(dates[t])!];
      if (!Number.isFinite(v)) gaps.push(dates[t]);
      out[t - s0 - 1] = Number.isFinite(v) ? v : 0;
    }
    if (gaps.length) {
      throw new RotationError('BT_RETURN_GAP', `benchmark returns are missing on ${gaps.length} date(s) of the window`, { dates: gaps },
        'fill or restrict the window; the benchmark needs a return on every backtest date');
    }
    return { name: spec.name ?? 'benchmark', returns: out };
  }
  if (spec.kind === 'weights') {
    const sched = resolveWeightSchedule(spec.weights, close.assets, 'benchmark weights', input.weightTolerance ?? DEFAULT_WEIGHT_TOLERANCE);
    const di = dateIndex(close);
    const off = sched.dates.filter((d) => !di.has(d));
    if (off.length) {
      throw new RotationError('BT_BENCHMARK_CALENDAR', `${off.length} benchmark weight date(s) are not trading dates of the close panel`,
        { dates: off }, 'date the benchmark weights on trading dates (as of the close they apply from)');
    }
    const trades = new Map<number, Float64Array>();
    let startRow = -1;
    for (let k = 0; k < sched.dates.length; k++) {
      const t = di.get(sched.dates[k])!;
      if (t <= s0) startRow = k;
      else if (t < e) trades.set(t, sched.rows[k]);
    }
    if (startRow < 0) {
      throw new RotationError('BT_BENCHMARK_CALENDAR', `benchmark weights start on ${sched.dates[0]}, after the backtest origin ${dates[s0]}`,
        { benchmarkStart: sched.dates[0], origin: dates[s0] }, 'give benchmark weights on or before the first rebalance date');
    }
    trades.set(s0, sched.rows[startRow]);
    const maxCarry = resolveGapPolicy(input.gapPolicy);
    const bl = newLossReport('backtest gap policy', spec.name ?? 'benchmark (weights)');
    const out = simulate({ close: close.values, N, s0, e, trades, rate: 0, execution: 'close', dates, industries: close.assets, maxCarry, loss: bl });
    throwGaps(out, 'benchmark weights', maxCarry < 0);
    if (totalDropped(bl)) notes.push(`benchmark gap policy: ${formatLossReport(bl)}`);
    if (out.ruinDays.length) notes.push(`benchmark growth factor ≤ 0 on ${out.ruinDays[0]}`);
    return { name: spec.name ?? 'benchmark (weights)', returns: out.net };
  }
  throw new RotationError('BT_BAD_BENCHMARK', `Unknown benchmark kind "${String((spec as { kind: unknown }).kind)}"`, {},
    "use { kind: 'equal-weight' }, { kind: 'returns', dates, returns } or { kind: 'weights', weights }");
}

/**
 * The part of a backtest with dates in [from, to] (ISO, inclusive; either may be omitted), for
 * in-sample / out-of-sample reporting. Returns, weights and trades whose cost is booked inside the
 * window are kept; the new origin is the last date before the window (wealth restarts at 1 there).
 * Errors: BT_EMPTY_WINDOW when no date is left.
 */
export function sliceBacktest(bt: BacktestResult, from?: string, to?: string): BacktestResult {
  let i0 = 0, i1 = bt.dates.length;
  if (from !== undefined) while (i0 < i1 && bt.dates[i0] < from) i0++;
  if (to !== undefined) while (i1 > i0 && bt.dates[i1 - 1] > to) i1--;
  if (i1 <= i0) {
    throw new RotationError('BT_EMPTY_WINDOW', `No backtest date in [${from ?? '…'}, ${to ?? '…'}]`,
      { from, to, backtestStart: bt.dates[0], backtestEnd: bt.dates[bt.dates.length - 1] }, 'choose a window inside the backtest');
  }
  const N = bt.weights.assets.length;
  const dates = bt.dates.slice(i0, i1);
  const origin = i0 === 0 ? bt.originDate : bt.dates[i0 - 1];
  const last = dates[dates.length - 1];
  const keep = new Set(dates);
  const tIdx: number[] = [];
  bt.targets.dates.forEach((d, k) => { if (d >= origin && d < last) tIdx.push(k); });
  const tv = new Float64Array(tIdx.length * N);
  tIdx.forEach((k, j) => tv.set(bt.targets.values.subarray(k * N, (k + 1) * N), j * N));
  return {
    ...bt,
    dates,
    originDate: origin,
    returns: bt.returns.slice(i0, i1),
    grossReturns: bt.grossReturns.slice(i0, i1),
    benchmarkReturns: bt.benchmarkReturns.slice(i0, i1),
    weights: { dates, assets: bt.weights.assets, values: bt.weights.values.slice(i0 * N, i1 * N) },
    targets: { dates: tIdx.map((k) => bt.targets.dates[k]), assets: bt.targets.assets, values: tv },
    rebalances: bt.rebalances.filter((r) => keep.has(r.bookedDate)),
    rebalanceDates: bt.rebalanceDates.filter((d) => d >= origin && d <= last),
    ruin: bt.ruin.filter((r) => keep.has(r.date)),
    notes: [...bt.notes, `sliced to ${dates[0]} … ${last} (origin ${origin})`],
  };
}

/** Number of rebalance periods in a backtest window: rebalance dates d with originDate ≤ d < last date. */
export function windowRebalancePeriods(bt: BacktestResult): number {
  const last = bt.dates[bt.dates.length - 1];
  let n = 0;
  for (const d of bt.rebalanceDates) if (d >= bt.originDate && d < last) n++;
  return n;
}
