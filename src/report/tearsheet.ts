/**
 * Tear sheets: data first, then figures, then one standalone offline HTML file.
 *
 *   const sheet = buildTearSheet([btMomentum, btComposite], { title, split: '2021-12-31' });
 *   nb.chart(wealthFigure(sheet));                 // any figure in a notebook
 *   writeTearSheetHtml(sheet, 'docs/reports/rotation.html');
 *
 * `TearSheet` holds every series and table (wealth, relative wealth, underwater, annual table,
 * monthly excess grid, rolling 12M excess and IR, turnover per rebalance, weights, drawdown
 * tables, the metric table and the footer of definitions) for a set of named strategies measured
 * against one benchmark. Figure builders turn it into plotly specs; no I/O except the writer.
 * Every definition comes from METRIC_DEFINITIONS (src/metrics/conventions.ts).
 */
import { RotationError } from '../errors.js';
import type { BacktestResult } from '../backtest/types.js';
import { splitBacktest } from '../backtest/walkForward.js';
import { definitionFooter, METRIC_DEFINITIONS, type MetricKey } from '../metrics/conventions.js';
import { drawdownTable, underwater, type DrawdownEpisode } from '../metrics/drawdown.js';
import { relativeReturns, rollingExcess, rollingInformationRatio } from '../metrics/relative.js';
import { wealthPath } from '../metrics/returns.js';
import type { TrialsSpec } from '../metrics/significance.js';
import { annualTable, monthlyExcessGrid, type AnnualRow, type MonthlyGrid, type PerformanceSummary } from '../metrics/tables.js';
import { metricTableRows, formatMetric } from './metricTable.js';
import { summarizeBacktest, type SummaryBasis } from '../backtest/summary.js';
import { backtestSignificanceRows, type SignificanceRow } from '../backtest/significanceRows.js';
import { rebalancePeriodSeries } from '../backtest/summary.js';
import { deflatedActiveSharpe } from '../metrics/activeSignificance.js';
import { writeFileAtomic } from './csv.js';
import { barChart, heatmap, lineChart, markDate, stackedAreaChart, type Series } from './figures.js';
import { chartHtml, plotlyLibraryHtml, type Figure } from './plotly.js';
import { escapeHtml, formatCell, htmlTable } from './table.js';

export interface TearSheetOptions {
  title?: string;
  /**
   * Basis of the metric table: 'rebalance' (default: returns compounded into rebalance periods,
   * annualized with the rebalance calendar's own periodsPerYear, e.g. 12 for month ends — the
   * same summary as `comparisonRows` and `performance.csv`, so both print the same figures) or
   * 'daily' (P = the backtest's daily periodsPerYear).
   */
  basis?: SummaryBasis;
  /** Declared in-sample end: marked on time-series charts and tabulated (IS vs OOS metrics). */
  split?: string;
  /**
   * Configurations tried, for the deflated Sharpe of every strategy's ACTIVE rebalance-period
   * return (Sharpes per rebalance period of active returns, e.g. `runLogTrials` or `trialSharpes`
   * of src/studies/validation.ts); the metric row is labelled "Deflated Sharpe (active, N trials …)".
   */
  trials?: TrialsSpec;
  /** Where N comes from, for the label (default "configurations given"; the CLI says "from the run log"). */
  trialsSource?: string;
  /** Names of the baseline strategies: the significance table compares each strategy with the best of them (in-sample). */
  baselines?: readonly string[];
  /** Rolling window in daily periods (default round(periodsPerYear) = 12 months). */
  rollingWindow?: number;
  /** At most this many dates in the weights chart (evenly sampled; default 600). */
  maxWeightPoints?: number;
  /** Extra lines for the report header (data source, universe, caveats). */
  notes?: string[];
  /** Legend names of the weights charts: industry code → name (industryNames(ds.industries)). */
  names?: Readonly<Record<string, string>>;
}

export interface StrategySheet {
  name: string;
  summary: PerformanceSummary;
  /** Daily series on `TearSheet.dates`. */
  wealth: Float64Array;
  relativeWealth: Float64Array;
  underwater: Float64Array;
  excessUnderwater: Float64Array;
  /** Rolling 12M excess (difference of compounded window returns), NaN before a full window. */
  rollingExcess: Float64Array;
  /** Rolling 12M annualized IR. */
  rollingIr: Float64Array;
  annual: AnnualRow[];
  monthlyExcess: MonthlyGrid;
  /** Top 5 drawdowns of wealth and of relative wealth. */
  drawdowns: DrawdownEpisode[];
  excessDrawdowns: DrawdownEpisode[];
  /** One point per trade: decision date, one-way turnover, cost (fraction of value). */
  trades: { dates: string[]; turnover: number[]; cost: number[]; initial: boolean[] };
  /** Drifted end-of-day weights, sampled: weights[i][k] = weight of industries[i] on dates[k]. */
  weights: { dates: string[]; industries: string[]; values: Float64Array[] };
  costBps: number;
  execution: string;
  /** In-sample and out-of-sample summaries when a split is declared. */
  split: { inSample: PerformanceSummary; outOfSample: PerformanceSummary | null } | null;
  notes: string[];
}

export interface TearSheet {
  title: string;
  /** Daily dates shared by every strategy and the benchmark. */
  dates: string[];
  /** W_0 = 1 at this date's close. */
  originDate: string;
  /** periodsPerYear of the daily series. */
  periodsPerYear: number;
  /** Basis and periodsPerYear of the metric table. */
  basis: string;
  metricPeriodsPerYear: number;
  rollingWindow: number;
  benchmark: { name: string; summary: PerformanceSummary; wealth: Float64Array; underwater: Float64Array; annual: { year: string; benchmark: number }[] };
  strategies: StrategySheet[];
  /** Formatted rows: Metric, one column per strategy, the benchmark, Note. */
  metricTable: Record<string, string>[];
  /** IS / OOS rows when a split is declared. */
  splitTable: Record<string, string>[] | null;
  /** Significance of the monthly active return per strategy and window (src/backtest/significanceRows.ts), when a split is declared. */
  significance: SignificanceRow[] | null;
  split: string | null;
  /** Footer: periodsPerYear line, then one line per definition. */
  definitions: string[];
  notes: string[];
  /** Industry code → name for legends (empty: codes). */
  names: Record<string, string>;
}

function sameSeries(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let t = 0; t < a.length; t++) if (a[t] !== b[t]) return false;
  return true;
}

/**
 * Build the tear sheet data of one or more backtests against their common benchmark. Every
 * backtest must share the dates, origin and benchmark returns (TS_MISALIGNED otherwise; run them
 * on the same close panel, weights calendar and benchmark) and have a distinct name
 * (TS_DUPLICATE_NAME). Metric table: summarizeBacktest on `basis` (default 'rebalance', the basis of
 * performance.csv); charts: daily series.
 */
export function buildTearSheet(backtests: readonly BacktestResult[], options: TearSheetOptions = {}): TearSheet {
  if (backtests.length === 0) {
    throw new RotationError('TS_EMPTY', 'No backtest given', {}, 'pass at least one BacktestResult');
  }
  const ref = backtests[0];
  const names = new Set<string>();
  for (const bt of backtests) {
    if (names.has(bt.name) || bt.name === ref.benchmarkName) {
      throw new RotationError('TS_DUPLICATE_NAME', `Two series are named "${bt.name}"`, { name: bt.name },
        'give every backtest a distinct name (BacktestInput.name), different from the benchmark name');
    }
    names.add(bt.name);
    const sameDates = bt.dates.length === ref.dates.length && bt.dates.every((d, t) => d === ref.dates[t]) && bt.originDate === ref.originDate;
    if (!sameDates || !sameSeries(bt.benchmarkReturns, ref.benchmarkReturns) || bt.periodsPerYear !== ref.periodsPerYear) {
      throw new RotationError('TS_MISALIGNED', `Backtest "${bt.name}" does not share the dates, origin, periodsPerYear or benchmark of "${ref.name}"`,
        { name: bt.name, reference: ref.name, start: bt.dates[0], referenceStart: ref.dates[0] },
        'run every strategy on the same close panel and window, with weights starting on the same rebalance date and the same benchmark');
    }
  }
  const basis = options.basis ?? 'rebalance';
  const P = ref.periodsPerYear;
  const L = options.rollingWindow ?? Math.round(P);
  const split = options.split ?? null;
  const benchSummary = summarizeBacktest(ref, { basis, benchmark: true });
  const b = ref.benchmarkReturns;

  const strategies: StrategySheet[] = backtests.map((bt) => {
    const summary = summarizeBacktest(bt, { basis });
    if (options.trials) {
      const rs = rebalancePeriodSeries(bt);
      try {
        const d = deflatedActiveSharpe(rs.strategy, rs.benchmark, options.trials);
        summary.dsr = d;
        summary.values.dsr = d.deflated;
        delete summary.reasons.dsr;
      } catch (e) {
        if (!(e instanceof RotationError && e.code === 'METRIC_TOO_FEW_PERIODS')) throw e;
        summary.values.dsr = NaN;
        summary.reasons.dsr = e.what;
      }
    }
    const rel = relativeReturns(bt.returns, b, bt.dates);
    let splitSummaries: StrategySheet['split'] = null;
    if (split) {
      const parts = splitBacktest(bt, split);
      splitSummaries = {
        inSample: summarizeBacktest(parts.inSample, { basis }),
        outOfSample: parts.outOfSample ? summarizeBacktest(parts.outOfSample, { basis }) : null,
      };
    }
    return {
      name: bt.name,
      summary,
      wealth: wealthPath(bt.returns),
      relativeWealth: wealthPath(rel),
      underwater: underwater(bt.returns),
      excessUnderwater: underwater(rel),
      rollingExcess: rollingExcess(bt.returns, b, L),
      rollingIr: rollingInformationRatio(bt.returns, b, L, P),
      annual: annualTable(bt.dates, bt.returns, b, P),
      monthlyExcess: monthlyExcessGrid(bt.dates, bt.returns, b),
      drawdowns: drawdownTable(bt.returns, bt.dates, bt.originDate, 5),
      excessDrawdowns: drawdownTable(rel, bt.dates, bt.originDate, 5),
      trades: {
        dates: bt.rebalances.map((r) => r.date), turnover: bt.rebalances.map((r) => r.turnover),
        cost: bt.rebalances.map((r) => r.cost), initial: bt.rebalances.map((r) => r.initial),
      },
      weights: sampleWeights(bt, options.maxWeightPoints ?? 600),
      costBps: bt.costBps,
      execution: bt.execution,
      split: splitSummaries,
      notes: bt.notes.slice(),
    };
  });

  const metricTable = metricTableRows([...strategies.map((s) => s.summary), benchSummary]);
  if (options.trials) {
    const n = 'count' in options.trials ? options.trials.count : options.trials.sharpes.length;
    const dsrLabel = METRIC_DEFINITIONS.find((d) => d.key === 'dsr')!.label;
    for (const row of metricTable) if (row.Metric === dsrLabel) row.Metric = `${dsrLabel} (active, ${n} trials ${options.trialsSource ?? 'given'})`;
  }
  const baselines = new Set(options.baselines ?? []);
  let significance: SignificanceRow[] | null = null;
  if (split) {
    try {
      significance = backtestSignificanceRows(backtests.map((bt) => ({ backtest: bt, kind: baselines.has(bt.name) ? 'baseline' as const : 'model' as const })), split);
    } catch (e) {
      // a split outside the window: the split table says "(none)"; no significance table
      if (!(e instanceof RotationError && e.code === 'METRIC_EMPTY_WINDOW')) throw e;
    }
  }
  let splitTable: Record<string, string>[] | null = null;
  if (split) {
    const keys: MetricKey[] = ['cagr', 'excessCagr', 'informationRatio', 'trackingError', 'excessMaxDrawdown', 'maxDrawdown', 'sharpe', 'monthlyWinRate', 'turnover'];
    splitTable = [];
    for (const s of strategies) {
      for (const [label, sum] of [['in-sample', s.split!.inSample], ['out-of-sample', s.split!.outOfSample]] as const) {
        const row: Record<string, string> = { Strategy: s.name, Sample: label };
        if (!sum) { row.Window = '(none)'; for (const k of keys) row[METRIC_DEFINITIONS.find((d) => d.key === k)!.label] = '–'; splitTable.push(row); continue; }
        row.Window = `${sum.originDate} → ${sum.end}`;
        for (const k of keys) row[METRIC_DEFINITIONS.find((d) => d.key === k)!.label] = formatMetric(k, sum.values[k]);
        splitTable.push(row);
      }
    }
  }
  const basisText = basis === 'daily'
    ? `daily returns, ${P} periods per year`
    : `rebalance-period returns compounded from daily, annualized with the rebalance calendar's ${ref.rebalancePeriodsPerYear} periods per year`;
  return {
    title: options.title ?? `Tear sheet: ${backtests.map((x) => x.name).join(', ')} vs ${ref.benchmarkName}`,
    dates: ref.dates.slice(),
    originDate: ref.originDate,
    periodsPerYear: P,
    basis: basisText,
    metricPeriodsPerYear: basis === 'daily' ? P : ref.rebalancePeriodsPerYear,
    rollingWindow: L,
    benchmark: {
      name: ref.benchmarkName, summary: benchSummary, wealth: wealthPath(b), underwater: underwater(b),
      annual: strategies[0].annual.map((r) => ({ year: r.year, benchmark: r.benchmark })),
    },
    strategies,
    metricTable,
    splitTable,
    significance,
    split,
    definitions: [
      ...definitionFooter(basis === 'daily' ? P : ref.rebalancePeriodsPerYear, basisText),
      `Charts use the daily series (P = ${P}); rolling windows are ${L} daily periods (12 months).`,
    ],
    names: { ...(options.names ?? {}) },
    notes: [
      `Window ${ref.originDate} → ${ref.dates[ref.dates.length - 1]} (${ref.dates.length} days, wealth 1 at the close of ${ref.originDate}); benchmark: ${ref.benchmarkName}.`,
      ...backtests.map((bt) => `${bt.name}: costs ${bt.costBps} bps per unit traded, execution ${bt.execution}, ${bt.rebalances.length} trades.`),
      ...(options.notes ?? []),
    ],
  };
}

/** The significance rows of a tear sheet, formatted for display (window shown as first..last). */
export function significanceTableRows(sheet: TearSheet): Record<string, string>[] {
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '–');
  const num = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  return (sheet.significance ?? []).map((r) => ({
    Strategy: r.strategy, Window: `${r.window} (${r.first}..${r.last})`, Periods: String(r.periods),
    'Mean active / period': pct(r.meanActive), t: num(r.tActive), 'Newey-West t': num(r.tNeweyWest), p: num(r.pActive, 3),
    'Mean vs best baseline': pct(r.meanVsBestBaseline), 't vs best baseline': num(r.tVsBestBaseline), 'p vs best baseline': num(r.pVsBestBaseline, 3), Note: r.note,
  }));
}

/** Evenly sampled drifted weights (always the last date), one series per industry held at some point. */
function sampleWeights(bt: BacktestResult, maxPoints: number): StrategySheet['weights'] {
  const T = bt.dates.length, N = bt.weights.assets.length;
  const step = Math.max(1, Math.ceil(T / Math.max(2, maxPoints)));
  const idx: number[] = [];
  for (let t = 0; t < T; t += step) idx.push(t);
  if (idx[idx.length - 1] !== T - 1) idx.push(T - 1);
  const held: number[] = [];
  for (let i = 0; i < N; i++) {
    let any = false;
    for (let t = 0; t < T && !any; t++) any = bt.weights.values[t * N + i] > 0;
    if (any) held.push(i);
  }
  return {
    dates: idx.map((t) => bt.dates[t]),
    industries: held.map((i) => bt.weights.assets[i]),
    values: held.map((i) => Float64Array.from(idx, (t) => bt.weights.values[t * N + i])),
  };
}

function withSplit(fig: Figure, sheet: TearSheet): Figure {
  return sheet.split ? markDate(fig, sheet.split, 'out of sample →') : fig;
}

/** x values with the origin prepended (W_0 = 1 at the origin date). */
function withOrigin(sheet: TearSheet, y: ArrayLike<number>, y0: number): { x: string[]; y: Float64Array } {
  const out = new Float64Array(y.length + 1);
  out[0] = y0;
  out.set(Array.from(y), 1);
  return { x: [sheet.originDate, ...sheet.dates], y: out };
}

/** Cumulative wealth W_t (from 1 at the origin) of every strategy and the benchmark; log y axis. */
export function wealthFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, ...withOrigin(sheet, s.wealth, 1) }));
  series.push({ name: sheet.benchmark.name, ...withOrigin(sheet, sheet.benchmark.wealth, 1) });
  return withSplit(lineChart(series, { title: 'Cumulative wealth (compounded, 1 at the origin, log scale)', yTitle: 'wealth', logY: true }), sheet);
}

/** Relative wealth R_t = W_t / B_t of every strategy. */
export function relativeWealthFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, ...withOrigin(sheet, s.relativeWealth, 1) }));
  return withSplit(lineChart(series, { title: `Relative wealth vs ${sheet.benchmark.name} (W / B)`, yTitle: 'relative wealth' }), sheet);
}

/** Underwater curves W_t / running max − 1 of every strategy and the benchmark. */
export function underwaterFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, x: sheet.dates, y: s.underwater }));
  series.push({ name: sheet.benchmark.name, x: sheet.dates, y: sheet.benchmark.underwater });
  return withSplit(lineChart(series, { title: 'Underwater (drawdown from the running high of compounded wealth)', yFormat: '.0%' }), sheet);
}

/** Excess underwater: drawdown of the relative wealth W/B of every strategy. */
export function excessUnderwaterFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, x: sheet.dates, y: s.excessUnderwater }));
  return withSplit(lineChart(series, { title: 'Excess underwater (drawdown of relative wealth W/B)', yFormat: '.0%' }), sheet);
}

/** Calendar-year returns (compounded) as grouped bars: every strategy and the benchmark. */
export function annualReturnsFigure(sheet: TearSheet): Figure {
  const years = sheet.benchmark.annual.map((r) => r.year);
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, x: years, y: s.annual.map((r) => r.strategy) }));
  series.push({ name: sheet.benchmark.name, x: years, y: sheet.benchmark.annual.map((r) => r.benchmark) });
  return barChart(series, { title: 'Annual returns (compounded within each calendar year)', yFormat: '.0%' });
}

/** Monthly excess heat map of one strategy: rows = years, columns = months, cell = r_m − b_m. */
export function monthlyExcessHeatmapFigure(sheet: TearSheet, strategy: string = sheet.strategies[0].name): Figure {
  const s = strategyOf(sheet, strategy);
  let m = 0;
  for (const row of s.monthlyExcess.values) for (const v of row) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return heatmap(s.monthlyExcess.values, s.monthlyExcess.months, s.monthlyExcess.years, {
    title: `${s.name}: monthly excess r_m − b_m`, zmin: -m || -0.01, zmax: m || 0.01, zFormat: '.1%',
    colorscale: [[0, '#2166ac'], [0.5, '#f7f7f7'], [1, '#b2182b']],
  });
}

/** Rolling 12-month annualized information ratio of every strategy. */
export function rollingIrFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, x: sheet.dates, y: s.rollingIr }));
  return withSplit(lineChart(series, { title: `Rolling 12M information ratio (annualized, ${sheet.rollingWindow} days)`, yTitle: 'IR' }), sheet);
}

/** Rolling 12-month excess return (difference of compounded 12M returns) of every strategy. */
export function rollingExcessFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => ({ name: s.name, x: sheet.dates, y: s.rollingExcess }));
  return withSplit(lineChart(series, { title: `Rolling 12M excess return (${sheet.rollingWindow} days)`, yFormat: '.0%' }), sheet);
}

/** One-way turnover per rebalance (initial build excluded) of every strategy, as bars. */
export function turnoverFigure(sheet: TearSheet): Figure {
  const series: Series[] = sheet.strategies.map((s) => {
    const keep = s.trades.initial.map((x) => !x);
    return { name: s.name, x: s.trades.dates.filter((_, k) => keep[k]), y: s.trades.turnover.filter((_, k) => keep[k]) };
  });
  return withSplit(barChart(series, { title: 'One-way turnover per rebalance (½ Σ|w* − w̃|, initial build excluded)', yFormat: '.0%' }), sheet);
}

/** Drifted weights of one strategy over time, stacked (sums to 1). */
export function weightsFigure(sheet: TearSheet, strategy: string = sheet.strategies[0].name): Figure {
  const s = strategyOf(sheet, strategy);
  const series: Series[] = s.weights.industries.map((name, i) => ({ name, x: s.weights.dates, y: s.weights.values[i] }));
  return withSplit(stackedAreaChart(series, { title: `${s.name}: weights (drifted, end of day)`, yFormat: '.0%', height: 480, names: sheet.names }), sheet);
}

function strategyOf(sheet: TearSheet, name: string): StrategySheet {
  const s = sheet.strategies.find((x) => x.name === name);
  if (!s) {
    throw new RotationError('TS_UNKNOWN_STRATEGY', `No strategy "${name}" in the tear sheet`, { name, available: sheet.strategies.map((x) => x.name) },
      'use one of the names listed');
  }
  return s;
}

/** The figures a notebook shows of a tear sheet (the standalone HTML keeps them all): wealth, relative wealth, drawdown, turnover and the first strategy's weights. */
export const NOTEBOOK_TEARSHEET_FIGURES: readonly string[] = Object.freeze(['wealth', 'relative-wealth', 'underwater', 'turnover', 'weights-1']);

/** Every figure of the tear sheet in display order, with a stable id each (only the ids in `only`, when given; the others are not built). */
export function tearSheetFigures(sheet: TearSheet, only?: readonly string[]): { id: string; figure: Figure }[] {
  const builders: { id: string; build: () => Figure }[] = [
    { id: 'wealth', build: () => wealthFigure(sheet) },
    { id: 'relative-wealth', build: () => relativeWealthFigure(sheet) },
    { id: 'underwater', build: () => underwaterFigure(sheet) },
    { id: 'excess-underwater', build: () => excessUnderwaterFigure(sheet) },
    { id: 'annual-returns', build: () => annualReturnsFigure(sheet) },
    { id: 'rolling-excess', build: () => rollingExcessFigure(sheet) },
    { id: 'rolling-ir', build: () => rollingIrFigure(sheet) },
    { id: 'turnover', build: () => turnoverFigure(sheet) },
  ];
  sheet.strategies.forEach((s, k) => {
    builders.push({ id: `monthly-excess-${k + 1}`, build: () => monthlyExcessHeatmapFigure(sheet, s.name) });
    builders.push({ id: `weights-${k + 1}`, build: () => weightsFigure(sheet, s.name) });
  });
  return builders.filter((b) => !only || only.includes(b.id)).map((b) => ({ id: b.id, figure: b.build() }));
}

/** The metric table as HTML with its footer: periodsPerYear and every definition used. */
export function metricTableHtml(sheet: TearSheet): string {
  const cols = ['Metric', ...sheet.strategies.map((s) => s.name), sheet.benchmark.name, 'Note'];
  const footer = `<div class="rotation-footer"><p><strong>Definitions.</strong></p><ul>${sheet.definitions.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul></div>`;
  return `${htmlTable(sheet.metricTable, { columns: cols, caption: `Performance (${sheet.basis})` })}\n${footer}`;
}

function pct(v: number): string {
  return formatCell(v, { percent: true, digits: 2 });
}

function drawdownRows(eps: readonly DrawdownEpisode[]): Record<string, string | number>[] {
  return eps.map((e, k) => ({
    '#': k + 1, Start: e.start, Trough: e.trough, Recovery: e.recovery ?? 'not recovered', Depth: pct(e.depth), 'Length (periods)': e.length,
  }));
}

/**
 * Write `tearSheetHtml` to `file` atomically (temp file created with `wx`, fsync, rename).
 * `plotlyBundle` replaces the plotly.js source (tests); default: the installed bundle.
 */
export function writeTearSheetHtml(sheet: TearSheet, file: string, options: { plotlyBundle?: string } = {}): { file: string; charts: number; bytes: number } {
  const { html, charts } = tearSheetHtml(sheet, options);
  writeFileAtomic(file, html);
  return { file, charts, bytes: Buffer.byteLength(html) };
}

/**
 * The tear sheet as one standalone offline HTML text (not written; `commitOutputFolder` takes it
 * with the other files of a run): plotly embedded once (plotlyLibraryHtml), every figure of
 * `tearSheetFigures` as a `<div class="rotation-chart">`, the metric table with its definitions
 * footer, the IS/OOS table, per-year and drawdown tables.
 */
export function tearSheetHtml(sheet: TearSheet, options: { plotlyBundle?: string } = {}): { html: string; charts: number } {
  const figures = tearSheetFigures(sheet);
  const slug = (s: string) => s.replace(/[^0-9A-Za-z_-]/g, '_');
  const parts: string[] = [];
  parts.push(`<h1>${escapeHtml(sheet.title)}</h1>`);
  parts.push(`<ul class="rotation-notes">${sheet.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}<li>${escapeHtml(`Metric table basis: ${sheet.basis}.`)}</li></ul>`);
  parts.push(options.plotlyBundle === undefined ? plotlyLibraryHtml() : plotlyLibraryHtml(options.plotlyBundle));
  parts.push('<h2>Summary</h2>');
  parts.push(metricTableHtml(sheet));
  if (sheet.splitTable) {
    parts.push(`<h2>In-sample vs out-of-sample (split ${escapeHtml(sheet.split!)})</h2>`);
    parts.push(htmlTable(sheet.splitTable));
  }
  if (sheet.significance) {
    parts.push('<h2>Significance of the monthly active return</h2>');
    parts.push(htmlTable(significanceTableRows(sheet), {
      caption: `Mean active return per rebalance period vs ${sheet.benchmark.name}, its t (iid and Newey-West) and two-sided p; ` +
        `difference vs the best baseline (highest in-sample mean active return): ${sheet.significance[0]?.bestBaseline || 'none'}`,
    }));
  }
  const section = (title: string, ids: string[]): void => {
    parts.push(`<h2>${escapeHtml(title)}</h2>`);
    for (const f of figures.filter((x) => ids.includes(x.id))) parts.push(chartHtml(f.figure, `tearsheet-${slug(f.id)}`));
  };
  section('Wealth', ['wealth', 'relative-wealth']);
  section('Drawdowns', ['underwater', 'excess-underwater']);
  section('Returns by period', ['annual-returns', ...sheet.strategies.map((_, k) => `monthly-excess-${k + 1}`)]);
  section('Rolling 12 months', ['rolling-excess', 'rolling-ir']);
  section('Trading', ['turnover', ...sheet.strategies.map((_, k) => `weights-${k + 1}`)]);
  for (const s of sheet.strategies) {
    parts.push(`<h2>${escapeHtml(s.name)}: tables</h2>`);
    parts.push(htmlTable(s.annual.map((r) => ({
      Year: r.year, Periods: r.periods, Strategy: pct(r.strategy), Benchmark: pct(r.benchmark), Excess: pct(r.excess),
      'Max DD': pct(r.maxDrawdown), 'Excess max DD': pct(r.excessMaxDrawdown), IR: formatCell(r.informationRatio, { digits: 2 }),
    })), { caption: 'Per year (excess = r_y − b_y)' }));
    parts.push(htmlTable(drawdownRows(s.drawdowns), { caption: 'Top 5 drawdowns (wealth)' }));
    parts.push(htmlTable(drawdownRows(s.excessDrawdowns), { caption: 'Top 5 excess drawdowns (relative wealth)' }));
    if (s.notes.length) parts.push(`<ul class="rotation-notes">${s.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  }
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(sheet.title)}</title>`,
    '<style>body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1200px;margin:24px auto;padding:0 16px;color:#222}',
    'table.rotation-table{border-collapse:collapse;margin:12px 0;font-size:13px}table.rotation-table td,table.rotation-table th{border:1px solid #ddd;padding:3px 8px}',
    'table.rotation-table th{background:#f4f4f4}.rotation-footer{font-size:12px;color:#444}.rotation-notes{font-size:13px;color:#444}</style>',
    '</head><body>',
    ...parts,
    '</body></html>',
    '',
  ].join('\n');
  return { html, charts: figures.length };
}
