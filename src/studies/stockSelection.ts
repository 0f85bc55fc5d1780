/**
 * Study 003 (notebook 08) as plain data: the industry rotation model as a stock-selection factor.
 *
 * 1. Factor: f[t, i] = S[t, g(i, t)] (industry composite of the stock's point-in-time industry),
 *    f⊥ = z(residual of f on [1, growth]) per date; IC, rank IC, ICIR, decile groups, long-short,
 *    cumulative rank IC, and corr(IC_f, IC_growth) over dates.
 * 2. Models: c4 = mean(z_value, z_growth, z_reversal, z_lowVol), c5 = mean(c4's four, f⊥) (equal
 *    weight), and the ICIR-weighted versions (weights from past rank ICs only); each as a top-decile
 *    equal-weight portfolio of the benchmark universe, monthly, against the benchmark.
 * 3. Index enhancement (walk.ts): five-factor score with ±d for d in the sweep; (a) four-factor
 *    score with rank bands from the industry score; (b) platter (1 − s)·[four-factor, ±2%] + s·[top-k
 *    industry satellite]; and the four-factor ±2% baseline. Daily returns from runBacktest (costs
 *    per unit traded), metrics from summarizeBacktest / annualTable (daily basis).
 *
 * Every comparison starts on the first month end where every composite exists (`start`).
 */
import { RotationError } from '../errors.js';
import { createPanel, type Panel } from '../panel/panel.js';
import { zscore } from '../panel/kernels.js';
import type { LossReport } from '../data/loss.js';
import type { MarketDataset, MembershipRecord } from '../data/types.js';
import { ASHARE_INDEX_SNAPSHOT_DATE } from '../data/ashare.js';
import { factorStudy } from '../model/evidence.js';
import { modelContext } from '../model/context.js';
import { modelScore } from '../model/score.js';
import type { ModelSpec } from '../model/spec.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../model/files.js';
import { forwardReturnsFromPrices } from '../evaluate/forwardReturns.js';
import { factorReport, type FactorReport } from '../evaluate/report.js';
import type { IcByDate } from '../evaluate/ic.js';
import type { Solver } from '../portfolio/optimizer.js';
import { runBacktest } from '../backtest/engine.js';
import { annualTable, type AnnualRow, type PerformanceSummary } from '../metrics/tables.js';
import { summarizeBacktest } from '../backtest/summary.js';
import type { RebalanceCalendar } from '../data/calendar.js';
import { benchmarkWeightsAsOf, ENHANCEMENT_TOLERANCE } from '../stockstudy/enhancement.js';
import { icSeriesCorrelation, monthlyForwardReturns, orthogonalizeAgainst, projectIndustryScore } from '../stockstudy/projection.js';
import {
  computePriceProxyFactors, computeStockFactors, equalWeightComposite, icirComposite, PRICE_PROXY_DEFINITIONS,
  STOCK_FACTOR_IDS, type StockFactorId, type StockFactorSet,
} from '../stockstudy/stockFactors.js';
import {
  carryForward, enhancementWalk, platterWeights, satelliteSchedule, topFractionWeights, walkUniverse,
  type EnhancementWalk, type WalkUniverse,
} from '../stockstudy/walk.js';

/** Everything the study needs from a dataset. */
export interface StockStudyData {
  name: string;
  /** Daily closes (trading dates x stocks). */
  close: Panel;
  /** Month-end rebalance dates (dates of `close`). */
  dates: string[];
  /** Industry composite score (month ends x industry codes), causal. */
  industryScore: Panel;
  industryScoreSource: string;
  membership: readonly MembershipRecord[];
  scheme: string;
  benchmarkName: string;
  benchmarkAt: (date: string) => Float64Array;
  factors: StockFactorSet;
  /** What each factor id is on this dataset (proxies say so). */
  factorDefinitions: Record<StockFactorId, string>;
  caveats: string[];
}

const SIM_DEFINITIONS: Record<StockFactorId, string> = {
  value: 'book-to-price (equity of the latest announced report / total cap)',
  growth: 'single-quarter net profit YoY (announced reports only)',
  reversal: '1M reversal −(c(t)/c(t−21) − 1)',
  lowVol: '60-day low volatility −std(daily returns)',
};

/** Study inputs from the simulator: SIM500 weights as of each date, the model's causal industry composite, fundamental factors. */
export function simulatorStudyData(ds: MarketDataset, spec: ModelSpec = loadModelSpec(DEFAULT_MODEL_FILE)): StockStudyData {
  const sd = ds.stocks;
  if (!sd || !sd.indexWeights || sd.indexWeights.length === 0) {
    throw new RotationError('STOCK_NO_BENCHMARK', `Dataset ${ds.name} has no stocks with index weights`, { dataset: ds.name }, 'use simulateMarket() (SIM500 weights) or the A-share loader');
  }
  const fs = factorStudy(ds, [1]);
  const score = modelScore(spec, modelContext(ds, { study: fs })).score;
  const stocks = sd.bars.close.assets;
  const index = sd.indexWeights[0].index;
  return {
    name: ds.name, close: sd.bars.close, dates: fs.dates, industryScore: score,
    industryScoreSource: 'the model\'s causal composite of the simulator\'s industry factors (ICIR weights from past ICs)',
    membership: sd.membership, scheme: sd.membership[0]?.scheme ?? 'sim_l1', benchmarkName: index,
    benchmarkAt: (date) => benchmarkWeightsAsOf(sd.indexWeights!, index, date, stocks).weights,
    factors: computeStockFactors(sd, fs.dates), factorDefinitions: { ...SIM_DEFINITIONS },
    caveats: [`Simulated market (${ds.name}): planted industry momentum and stock factors; ${index} weights known as of each month end.`],
  };
}

/**
 * Study inputs from the A-share folder (loadAshareDataset): the CITIC L1 causal composite mapped to
 * stocks by the CITIC snapshot, price-only factor proxies, and the CSI 500 weights of 2020-10-10
 * used on every date (a back-dated snapshot over the 483 survivors; renormalized and reported).
 */
export function ashareStudyData(ds: MarketDataset, index = '000905.SH', spec: ModelSpec = loadModelSpec(DEFAULT_MODEL_FILE)): StockStudyData {
  const sd = ds.stocks;
  if (!sd || !sd.indexWeights) {
    throw new RotationError('STOCK_NO_BENCHMARK', `Dataset ${ds.name} has no stocks with index weights`, { dataset: ds.name }, 'load it with loadAshareDataset()');
  }
  const fs = factorStudy(ds, [1]);
  const score = modelScore(spec, modelContext(ds, { study: fs })).score;
  const close = sd.bars.close;
  const snapshot = benchmarkWeightsAsOf(sd.indexWeights, index, ASHARE_INDEX_SNAPSHOT_DATE, close.assets).weights;
  return {
    name: ds.name, close, dates: fs.dates, industryScore: score,
    industryScoreSource: 'the model\'s causal composite of the CITIC L1 industry factors (ICIR weights from past ICs), mapped by the CITIC L1 snapshot',
    membership: sd.membership, scheme: 'citic_l1', benchmarkName: `${index} weights of ${ASHARE_INDEX_SNAPSHOT_DATE} (snapshot, every date)`,
    benchmarkAt: () => snapshot,
    factors: computePriceProxyFactors(close, fs.dates), factorDefinitions: { ...PRICE_PROXY_DEFINITIONS },
    caveats: [
      'Survivorship bias: the universe is the 483 CSI 500 members of 2020-10-10 still listed in 2024, chosen with hindsight, and used from 2015 on.',
      `Benchmark: their CSI 500 weights of ${ASHARE_INDEX_SNAPSHOT_DATE} (the only weights in the data), applied to every month end, renormalized over the stocks trading that day; not point in time.`,
      'Industries: CITIC L1 snapshot of 2026-01-27 back-dated to 2015 (not point in time).',
      'No fundamentals or market caps: value and growth are price-based PROXIES (long-term reversal, 12-1M momentum); the growth-orthogonalized factor is orthogonal to momentum, not to earnings growth.',
    ],
  };
}

export interface StockStudyOptions {
  stockDeviation?: number;
  /** Industry deviations swept (default 2%, 3%, 4%, 5%). */
  deviations?: readonly number[];
  /** Turnover budget Σ|w − p| per rebalance (default 0.6). */
  turnoverBudget?: number;
  costBps?: number;
  /** Top fraction of the universe held by the model portfolios (default 0.1). */
  topFraction?: number;
  /** Industries in the satellite (default 5). */
  satelliteIndustries?: number;
  /** Satellite shares of the platter (default 0.3 = 3:7 satellite:core, and 0.5). */
  platterShares?: readonly number[];
  minStocks?: number;
  /** Quantile groups of the factor tests (default 10). */
  groups?: number;
}

/** A backtest reduced to what the notebook shows. */
export interface StudyBacktest {
  name: string;
  approach: string;
  setting: string;
  dates: string[];
  returns: Float64Array;
  benchmarkReturns: Float64Array;
  summary: PerformanceSummary;
  annual: AnnualRow[];
  /** Mean one-way turnover per rebalance after the initial build. */
  meanTurnover: number;
}

export interface StockStudy {
  name: string;
  benchmarkName: string;
  caveats: string[];
  factorDefinitions: Record<StockFactorId, string>;
  industryScoreSource: string;
  dates: string[];
  /** First date of every portfolio comparison. */
  start: string;
  projection: { noIndustry: number; unscored: number };
  /** Reports: industry (raw), industry ⊥ growth, and the four stock factors. */
  reports: FactorReport[];
  /** Correlation of the raw industry factor's IC series with growth's (Pearson IC and rank IC), and of the orthogonalized one. */
  icCorrelation: { series: string; ic: number; rankIc: number; n: number }[];
  models: StudyBacktest[];
  walks: EnhancementWalk[];
  enhancements: StudyBacktest[];
  universe: WalkUniverse;
  losses: LossReport[];
  settings: Required<StockStudyOptions>;
}

/** Cumulative sum of an IC series over dates (NaN dates add 0). */
export function cumulativeIc(ic: IcByDate | ArrayLike<number>): Float64Array {
  const x: ArrayLike<number> = 'ic' in (ic as object) ? (ic as IcByDate).ic : (ic as ArrayLike<number>);
  const out = new Float64Array(x.length);
  let s = 0;
  for (let t = 0; t < x.length; t++) { if (Number.isFinite(x[t])) s += x[t]; out[t] = s; }
  return out;
}

function slimBacktest(name: string, approach: string, setting: string, close: Panel, targets: Panel, benchmark: Panel, costBps: number): StudyBacktest {
  const calendar: RebalanceCalendar = { dates: [...targets.dates], periodsPerYear: 12, frequency: 'M', anchor: 'end' };
  const bt = runBacktest({ name, close, weights: targets, rebalance: calendar, benchmark: { kind: 'weights', name: 'benchmark', weights: benchmark }, costBps });
  const summary = summarizeBacktest(bt);
  let turn = 0, n = 0;
  for (const r of bt.rebalances) if (!r.initial) { turn += r.turnover; n++; }
  return {
    name, approach, setting, dates: bt.dates, returns: bt.returns, benchmarkReturns: bt.benchmarkReturns, summary,
    annual: annualTable(bt.dates, bt.returns, bt.benchmarkReturns, bt.periodsPerYear), meanTurnover: n ? turn / n : NaN,
  };
}

function rowsFrom(p: Panel, start: string): Panel {
  const k0 = p.dates.indexOf(start), N = p.assets.length;
  return createPanel(p.dates.slice(k0), p.assets, p.values.slice(k0 * N), 'rowsFrom');
}

const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;

/** Run the whole study (module comment) on one dataset. */
export function runStockStudy(data: StockStudyData, solver: Solver, options: StockStudyOptions = {}): StockStudy {
  const settings: Required<StockStudyOptions> = {
    stockDeviation: options.stockDeviation ?? 0.005, deviations: options.deviations ?? [0.02, 0.03, 0.04, 0.05],
    turnoverBudget: options.turnoverBudget ?? 0.6, costBps: options.costBps ?? 10, topFraction: options.topFraction ?? 0.1,
    satelliteIndustries: options.satelliteIndustries ?? 5, platterShares: options.platterShares ?? [0.3, 0.5],
    minStocks: options.minStocks ?? 50, groups: options.groups ?? 10,
  };
  const { close, dates, factors } = data;
  const stocks = close.assets;
  // 1. the factor
  const proj = projectIndustryScore(data.industryScore, data.membership, data.scheme, stocks);
  const orth = zscore(orthogonalizeAgainst(proj.factor, factors.z.growth));
  const fr = forwardReturnsFromPrices(close, { horizons: [1], rebalance: dates, periodsPerYear: 12 });
  const rep = (f: Panel, name: string): FactorReport => factorReport(f, fr, { name, groups: { quantiles: settings.groups }, decayLags: 0 });
  const reports = [
    rep(proj.factor, 'industry rotation (raw)'), rep(orth, 'industry rotation ⊥ growth'),
    ...STOCK_FACTOR_IDS.map((id) => rep(factors.z[id], id)),
  ];
  const growthRep = reports[2 + STOCK_FACTOR_IDS.indexOf('growth')].horizons[0];
  const icCorrelation = [reports[0], reports[1]].map((r) => {
    const h = r.horizons[0];
    const a = icSeriesCorrelation(h.ic, growthRep.ic), b = icSeriesCorrelation(h.rankIc, growthRep.rankIc);
    return { series: `${r.name} vs growth`, ic: a.correlation, rankIc: b.correlation, n: b.n };
  });
  // 2. composites
  const fwd = monthlyForwardReturns(close, dates);
  const four = STOCK_FACTOR_IDS.map((id) => factors.z[id]);
  const five = [...four, orth];
  const eq4 = equalWeightComposite(four), eq5 = equalWeightComposite(five);
  const ic4 = icirComposite(four, fwd).composite, ic5 = icirComposite(five, fwd).composite;
  const N = stocks.length;
  let k0 = -1;
  for (let k = 0; k < dates.length && k0 < 0; k++) {
    let ok = 0;
    for (let i = 0; i < N; i++) if (Number.isFinite(ic5.values[k * N + i]) && Number.isFinite(ic4.values[k * N + i])) ok++;
    if (ok >= settings.minStocks) k0 = k;
  }
  if (k0 < 0 || k0 >= dates.length - 13) {
    throw new RotationError('STOCK_NO_SCORES', 'The ICIR composites never cover enough stocks for a year of comparisons', { dataset: data.name, minStocks: settings.minStocks },
      'use a longer sample (the ICIR weights need 12 past ICs of every factor)');
  }
  const start = dates[k0];
  const walkDates = dates.slice(k0);
  const universe = walkUniverse({ dates: walkDates, close, membership: data.membership, scheme: data.scheme, benchmarkAt: data.benchmarkAt, minStocks: settings.minStocks });
  const filled = createPanel(close.dates, stocks, carryForward(close), 'close carried forward');
  const bench = universe.benchmark;
  const cost = settings.costBps;
  const models = [
    { name: 'four-factor, equal weight', c: eq4 }, { name: 'five-factor, equal weight', c: eq5 },
    { name: 'four-factor, ICIR weight', c: ic4 }, { name: 'five-factor, ICIR weight', c: ic5 },
  ].map((m) => slimBacktest(m.name, 'top decile', `top ${pct(settings.topFraction)}`, filled, topFractionWeights(universe, rowsFrom(m.c, start), settings.topFraction), bench, cost));
  // 3. enhancement
  const base = { stockDeviation: settings.stockDeviation, turnoverBudget: settings.turnoverBudget };
  const walks: EnhancementWalk[] = [];
  const enhancements: StudyBacktest[] = [];
  const add = (approach: string, setting: string, w: EnhancementWalk): void => {
    walks.push(w);
    enhancements.push(slimBacktest(w.name, approach, setting, filled, w.targets, bench, cost));
  };
  const core = enhancementWalk(solver, universe, close, { ...base, name: 'four-factor, ±2% industry', scores: eq4, industryDeviation: 0.02 });
  add('four-factor enhancement', '±2%', core);
  for (const d of settings.deviations) {
    add('five-factor, industry ±d', `d = ${pct(d)}`, enhancementWalk(solver, universe, close, { ...base, name: `five-factor, ±${pct(d)} industry`, scores: eq5, industryDeviation: d }));
  }
  for (const d of settings.deviations) {
    add('(a) four-factor, rank bands', `d = ${pct(d)}`, enhancementWalk(solver, universe, close, {
      ...base, name: `four-factor, rank bands d = ${pct(d)}`, scores: eq4, industryDeviation: d, industryRankScore: data.industryScore,
    }));
  }
  const sat = satelliteSchedule(universe, data.industryScore, settings.satelliteIndustries);
  for (const s of settings.platterShares) {
    const label = `${Math.round(10 * s)}:${Math.round(10 * (1 - s))}`;
    enhancements.push(slimBacktest(`(b) platter ${label} (satellite:core)`, '(b) platter', `${label} satellite:core`, filled, platterWeights(core.targets, sat, s), bench, cost));
  }
  return {
    name: data.name, benchmarkName: data.benchmarkName, caveats: data.caveats, factorDefinitions: data.factorDefinitions,
    industryScoreSource: data.industryScoreSource, dates, start, projection: { noIndustry: proj.noIndustry, unscored: proj.unscored },
    reports, icCorrelation, models, walks, enhancements, universe, losses: [universe.loss, ...walks.map((w) => w.loss)], settings,
  };
}

// ---- rows for display -------------------------------------------------------------------

/** IC table: mean IC, mean rank IC, ICIR (rank), t, win rate, top−bottom decile long-short (annualized), per factor. */
export function factorIcRows(s: StockStudy): Record<string, string | number>[] {
  return s.reports.map((r) => {
    const h = r.horizons[0];
    return {
      factor: r.name, months: h.rankIcSummary.n, ic: h.icSummary.mean, icir: h.icSummary.icir, rankIc: h.rankIcSummary.mean, rankIcir: h.rankIcSummary.icir,
      tNeweyWest: h.rankIcSummary.tNeweyWest, winRate: h.rankIcSummary.winRate, longShort: h.longShort.annualized,
    };
  });
}

/** Mean monthly return of each group of one report (Q1 = lowest factor values). */
export function groupMeanRows(r: FactorReport): Record<string, string | number>[] {
  const g = r.horizons[0].groupSummary;
  return r.horizons[0].groups.labels.map((label, k) => ({ group: label, meanReturn: g.mean[k] }));
}

/** Headline metrics (daily basis) of backtests. */
export function backtestRows(bts: readonly StudyBacktest[]): Record<string, string | number>[] {
  return bts.map((b) => ({
    approach: b.approach, setting: b.setting, excessCagr: b.summary.values.excessCagr, arithmeticExcess: b.summary.values.arithmeticExcess,
    trackingError: b.summary.values.trackingError, informationRatio: b.summary.values.informationRatio, excessMaxDrawdown: b.summary.values.excessMaxDrawdown,
    oneWayTurnoverPerMonth: b.meanTurnover,
  }));
}

/** Year x backtest table of a field of the annual table (default the excess r_y − b_y). */
export function yearlyRows(bts: readonly StudyBacktest[], field: 'excess' | 'informationRatio' | 'excessMaxDrawdown' = 'excess', label = (b: StudyBacktest) => b.name): Record<string, string | number>[] {
  const years = [...new Set(bts.flatMap((b) => b.annual.map((a) => a.year)))].sort();
  return years.map((y) => {
    const row: Record<string, string | number> = { year: y };
    for (const b of bts) row[label(b)] = b.annual.find((a) => a.year === y)?.[field] ?? NaN;
    return row;
  });
}

/** Per walk: solves, dates with a relaxation, d and τ relaxations, largest verified violation, benchmark renormalizations. */
export function walkCheckRows(s: StockStudy): Record<string, string | number>[] {
  return s.walks.map((w) => {
    let maxV = 0, renorm = 0, exits = 0;
    for (const r of w.records) { maxV = Math.max(maxV, r.maxViolation); if (r.benchmarkRenormalized) renorm++; exits += r.forcedExits; }
    return {
      walk: w.name, solves: w.records.length, datesRelaxed: new Set(w.relaxations.map((r) => r.date)).size,
      dRelaxations: w.relaxations.filter((r) => r.constraint === 'industryDeviation').length,
      tauRelaxations: w.relaxations.filter((r) => r.constraint === 'turnoverBudget').length,
      maxViolation: maxV.toExponential(1), withinTolerance: maxV <= ENHANCEMENT_TOLERANCE ? 'yes' : 'NO',
      benchmarkRenormalized: renorm, forcedExits: exits,
    };
  });
}

/** The four factors of the models, what each is on this dataset, and why it is in the four-factor model. */
export function factorDefinitionRows(s: StockStudy): Record<string, string>[] {
  const why: Record<StockFactorId, string> = {
    value: 'the classic fundamental anchor of a multi-factor model',
    growth: 'the factor the industry signal overlaps with (its IC series co-moves); orthogonalized against',
    reversal: 'price-volume, reversal logic: the kind the study says failed in fast up-markets',
    lowVol: 'price-volume, reversal logic (defensive); ditto',
  };
  return STOCK_FACTOR_IDS.map((id) => ({ factor: id, definition: s.factorDefinitions[id], why: why[id] }));
}

/** Cumulative rank IC of the raw and the orthogonalized industry factor (chart series). */
export function cumulativeIcSeries(s: StockStudy): { name: string; x: string[]; y: Float64Array }[] {
  return s.reports.slice(0, 2).map((r) => ({ name: r.name, x: r.horizons[0].rankIc.dates, y: cumulativeIc(r.horizons[0].rankIc) }));
}

/** Relative wealth W/B of each backtest (chart series, daily). */
export function relativeWealthSeries(bts: readonly StudyBacktest[], label = (b: StudyBacktest) => b.name): { name: string; x: string[]; y: Float64Array }[] {
  return bts.map((b) => {
    const y = new Float64Array(b.returns.length);
    let w = 1;
    for (let t = 0; t < y.length; t++) { w *= (1 + b.returns[t]) / (1 + b.benchmarkReturns[t]); y[t] = w; }
    return { name: label(b), x: b.dates, y };
  });
}

/** Loss reports of the study, one row each (the walks share the universe rows; unscored and exits per walk). */
export function lossRows(s: StockStudy): Record<string, string | number>[] {
  return s.losses.map((l) => ({
    stage: l.stage, read: l.rowsRead, kept: l.rowsKept,
    dropped: Object.entries(l.dropped).map(([k, v]) => `${k}: ${v}`).join('; ') || '–', notes: l.notes.join('; ') || '–',
  }));
}
