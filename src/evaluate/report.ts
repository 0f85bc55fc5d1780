/**
 * One-call factor report: everything src/evaluate computes for one factor against one
 * `ForwardReturns`, as a data object (notebooks display it; nothing is printed).
 *
 * Per horizon: IC and rank IC per date with their summaries (mean, std, ICIR, t, Newey-West t with
 * lag h − 1, p-values, win rate, skew, kurtosis), group returns with the top − bottom spread and
 * its standard error, cumulative group wealth on non-overlapping periods and the annualized
 * long-short return. Once: the IC decay curve (lags 0..12 of the one-period return), group
 * turnover and rank autocorrelation, and the monthly heat map of the first horizon's rank IC.
 * `definitions` lists the formulas for a report footer.
 */
import { benjaminiHochbergAdjust, holmAdjust } from '../metrics/significance.js';
import type { Panel } from '../panel/panel.js';
import { mapValues } from '../panel/panel.js';
import { RotationError } from '../errors.js';
import { evaluateCrossSections, type GroupTurnover } from './crossSection.js';
import { icDecay, type IcDecay } from './decay.js';
import type { ForwardHorizon, ForwardReturns } from './forwardReturns.js';
import {
  cumulativeGroupReturns, groupSpread, longShortAnnualized, summarizeGroups,
  type CumulativeGroupReturns, type GroupReturns, type GroupSkipReason, type GroupSpec, type GroupSpread, type GroupSummary,
  type LongShortReturn, type TieRule,
} from './groups.js';
import { monthlyIcTable, type MonthlyIcTable } from './heatmap.js';
import type { IcByDate } from './ic.js';
import { summarizeIc, type IcSummary } from './summary.js';
import { rankAutocorrelation } from './turnover.js';

export interface FactorReportOptions {
  /** Name shown in tables. Default "factor". */
  name?: string;
  /** Horizons (labels or lengths); default all horizons of the ForwardReturns. */
  horizons?: readonly (string | number)[];
  /** Groups; default { quantiles: 5 } with >= 50 assets, else { topK: max(1, ⌊N/6⌋) } (5 of 30 industries). */
  groups?: GroupSpec;
  ties?: TieRule;
  /** Cap weights for cap-weighted group returns; default equal weight. */
  weights?: Panel;
  /** Minimum assets per date (IC pairs and groups). Default 3. */
  minAssets?: number;
  /** Largest IC-decay lag; default min(12, dates − 2); 0 computes lag 0 only. */
  decayLags?: number;
  /** Multiply the factor by this before evaluating (−1 for lower-is-better factors). Default 1. */
  direction?: 1 | -1;
}

export interface HorizonReport {
  horizon: ForwardHorizon;
  ic: IcByDate;
  rankIc: IcByDate;
  icSummary: IcSummary;
  rankIcSummary: IcSummary;
  groups: GroupReturns;
  groupSummary: GroupSummary;
  spread: GroupSpread;
  cumulative: CumulativeGroupReturns;
  longShort: LongShortReturn;
}

export interface FactorReport {
  name: string;
  direction: 1 | -1;
  dates: string[];
  assets: string[];
  periodsPerYear: number;
  groupSpec: GroupSpec;
  horizons: HorizonReport[];
  decay: IcDecay;
  turnover: GroupTurnover;
  rankAutocorrelation: IcByDate;
  /** Mean of the rank autocorrelation series. */
  meanRankAutocorrelation: number;
  /** Monthly mean rank IC of the first horizon. */
  heatmap: MonthlyIcTable;
  groupSkipped: Record<GroupSkipReason, number>;
  /** Footer: the definitions used. */
  definitions: string[];
}

/** The formulas behind a FactorReport, one line each (for a report footer). */
export function reportDefinitions(): string[] {
  return [
    'IC = Pearson correlation per date of the factor at t with the forward return from t (jointly valid assets); rank IC = Spearman (midranks).',
    'Forward return over h periods = L[t+h]/L[t] − 1 on the rebalance calendar (prices, or the wealth index of period returns).',
    'ICIR = mean(IC)/std(IC) (ddof 1, not annualized); t = ICIR·√T; p two-sided Student t, T − 1 df.',
    'Newey-West t: Bartlett kernel, lag h − 1, autocovariances over T − 1 (equals t at lag 0); p with T − 1 df.',
    'Win rate = share of dates with IC > 0; skew and excess kurtosis with population moments (scipy defaults).',
    'Groups: per date, rank buckets over the assets with a factor value, ties broken by asset order (or shared with midranks); group 1 = lowest values.',
    'Spread = top − bottom group mean per date; its standard error = √(s_top²/n_top + s_bot²/n_bot) (alphalens).',
    'Cumulative group wealth and the long-short compound h-period returns on non-overlapping periods (every h-th rebalance date).',
    'Long-short annualized = W^(periodsPerYear/(steps·h)) − 1, W = Π(1 + r_top − r_bottom).',
    'Turnover = share of a group\'s names at t not in it at t − 1; rank autocorrelation = Spearman of the factor at t and t − 1.',
    'IC decay: mean rank IC of the factor at t with the one-period return realized k periods later, k = 0..K.',
  ];
}

/**
 * Build the report of `factor` against `fr` (see the module comment): one
 * `evaluateCrossSections` pass for all horizons, then summaries, decay, turnover, autocorrelation
 * and the heat map. Errors are those of the parts: EVAL_NO_OVERLAP, EVAL_SERIES_TOO_SHORT (an IC
 * series shorter than 2·h for the Newey-West lag), EVAL_BAD_ARGUMENT, EVAL_UNKNOWN_HORIZON.
 */
export function factorReport(factor: Panel, fr: ForwardReturns, options: FactorReportOptions = {}): FactorReport {
  const direction = options.direction ?? 1;
  if (direction !== 1 && direction !== -1) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `direction must be 1 or -1, got ${String(direction)}`, { argument: 'direction' },
      'pass -1 for a factor where lower values are expected to outperform');
  }
  try {
    return buildFactorReport(direction === 1 ? factor : mapValues(factor, (v) => -v), fr, options, direction);
  } catch (e) {
    // name the factor in the errors of the parts (e.g. EVAL_SERIES_TOO_SHORT of a factor with too few ICs)
    if (e instanceof RotationError && e.where.factor === undefined) {
      throw new RotationError(e.code, `Factor ${options.name ?? 'factor'}: ${e.what}`, { factor: options.name ?? 'factor', ...e.where }, e.fix);
    }
    throw e;
  }
}

function buildFactorReport(f: Panel, fr: ForwardReturns, options: FactorReportOptions, direction: 1 | -1): FactorReport {
  const nAssets = f.assets.length;
  const groupSpec: GroupSpec = options.groups ?? (nAssets >= 50 ? { quantiles: 5 } : { topK: Math.max(1, Math.floor(nAssets / 6)) });
  const ev = evaluateCrossSections(f, fr, {
    horizons: options.horizons, minAssets: options.minAssets, groups: groupSpec, ties: options.ties, weights: options.weights, turnover: true,
  });
  const horizons: HorizonReport[] = ev.horizons.map((h) => {
    const g = h.groups!;
    return {
      horizon: h.horizon,
      ic: h.ic!,
      rankIc: h.rankIc!,
      icSummary: summarizeIc(h.ic!, { horizonPeriods: h.horizon.periods }),
      rankIcSummary: summarizeIc(h.rankIc!, { horizonPeriods: h.horizon.periods }),
      groups: g,
      groupSummary: summarizeGroups(g),
      spread: groupSpread(g),
      cumulative: cumulativeGroupReturns(g),
      longShort: longShortAnnualized(g),
    };
  });
  const maxLag = options.decayLags ?? Math.max(0, Math.min(12, fr.dates.length - 2));
  const decay = icDecay(f, fr, { maxLag, method: 'rank', minAssets: options.minAssets });
  const ac = rankAutocorrelation(ev.dates.length > 1 ? alignedFactor(f, ev.dates, ev.assets) : f, { minAssets: options.minAssets });
  let s = 0, c = 0;
  for (const v of ac.ic) if (v === v) { s += v; c++; }
  return {
    name: options.name ?? 'factor',
    direction,
    dates: ev.dates,
    assets: ev.assets,
    periodsPerYear: ev.periodsPerYear,
    groupSpec,
    horizons,
    decay,
    turnover: ev.turnover!,
    rankAutocorrelation: ac,
    meanRankAutocorrelation: c > 0 ? s / c : NaN,
    heatmap: monthlyIcTable(horizons[0].rankIc),
    groupSkipped: ev.groupSkipped,
    definitions: reportDefinitions(),
  };
}

/** The factor restricted to the evaluated dates and assets (no copy when they match). */
function alignedFactor(f: Panel, dates: readonly string[], assets: readonly string[]): Panel {
  if (dates.length === f.dates.length && assets.length === f.assets.length) return f;
  const di = new Map(f.dates.map((d, t) => [d, t])), ai = new Map(f.assets.map((a, i) => [a, i]));
  const N = f.assets.length, M = assets.length;
  const values = new Float64Array(dates.length * M);
  for (let k = 0; k < dates.length; k++) {
    const t = di.get(dates[k])!;
    for (let j = 0; j < M; j++) values[k * M + j] = f.values[t * N + ai.get(assets[j])!];
  }
  return { dates: [...dates], assets: [...assets], values };
}

/** One row of a factor leaderboard (qlib-style: IC, ICIR, rank IC, rank ICIR, annualized long-short). */
export interface ReportRow {
  factor: string;
  horizon: string;
  ic: number;
  icir: number;
  rankIc: number;
  rankIcir: number;
  t: number;
  tNeweyWest: number;
  pValueNeweyWest: number;
  winRate: number;
  meanSpread: number;
  longShortAnnualized: number;
  topTurnover: number;
  dates: number;
}

/** Leaderboard rows of several reports: one row per (factor, horizon), rank-IC statistics from the rank IC summary. */
export function reportRows(reports: readonly FactorReport[]): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const r of reports) {
    const G = r.turnover.labels.length;
    for (const h of r.horizons) {
      rows.push({
        factor: r.name,
        horizon: h.horizon.label,
        ic: h.icSummary.mean,
        icir: h.icSummary.icir,
        rankIc: h.rankIcSummary.mean,
        rankIcir: h.rankIcSummary.icir,
        t: h.rankIcSummary.t,
        tNeweyWest: h.rankIcSummary.tNeweyWest,
        pValueNeweyWest: h.rankIcSummary.pValueNeweyWest,
        winRate: h.rankIcSummary.winRate,
        meanSpread: h.groupSummary.meanSpread,
        longShortAnnualized: h.longShort.annualized,
        topTurnover: r.turnover.mean[G - 1],
        dates: h.rankIcSummary.n,
      });
    }
  }
  return rows;
}

/** A leaderboard row with multiple-testing-adjusted p-values. */
export interface AdjustedReportRow extends ReportRow {
  /** Holm (family-wise) adjusted pValueNeweyWest across the factors of the same horizon. */
  pHolm: number;
  /** Benjamini-Hochberg (false discovery rate) adjusted pValueNeweyWest across the factors of the same horizon. */
  pBH: number;
}

/**
 * Leaderboard rows with their Newey-West rank-IC p-values adjusted for testing many factors:
 * within each horizon, the family is every row of that horizon (every factor tested), and
 *   pHolm = holmAdjust(p)  (step-down, p̃_(i) = min(1, max_{j<=i} (m − j + 1) p_(j))),
 *   pBH   = benjaminiHochbergAdjust(p)  (step-up, p̃_(i) = min(1, min_{j>=i} (m/j) p_(j))),
 * m = number of rows of the horizon with a p-value (NaN rows stay NaN). Row order is kept.
 * Pass ALL factors tested, not a top-10 cut: adjusting over a shortlist understates the correction.
 */
export function withAdjustedPValues(rows: readonly ReportRow[]): AdjustedReportRow[] {
  const out: AdjustedReportRow[] = rows.map((r) => ({ ...r, pHolm: NaN, pBH: NaN }));
  const byHorizon = new Map<string, number[]>();
  rows.forEach((r, k) => { const a = byHorizon.get(r.horizon); if (a) a.push(k); else byHorizon.set(r.horizon, [k]); });
  for (const idx of byHorizon.values()) {
    const p = idx.map((k) => rows[k].pValueNeweyWest);
    const h = holmAdjust(p), b = benjaminiHochbergAdjust(p);
    idx.forEach((k, j) => { out[k].pHolm = h[j]; out[k].pBH = b[j]; });
  }
  return out;
}
