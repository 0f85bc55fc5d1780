/**
 * Overfitting of the variants recorded on a dataset: every experiment record under
 * `<root>/<dataset folder>/runs/<spec-hash>/record.json` (written by `rotation run`) is one
 * variant; its rebalance-period active return a_t = r_t − b_t is a column of the CSCV matrix.
 * The study reports the probability of backtest overfitting (src/metrics/pbo.ts), the minimum
 * backtest length for the best variant's information ratio and the number of specs tried, and the
 * deflated Sharpe of the best whole-sample variant with the trial count of the run log.
 *
 * Which records enter: those of the dataset folder on the data content most records share (a
 * folder can hold runs on an older vintage: they are left out and named), on the calendar most
 * records share (periods per year: a bimonthly variant's periods are not months), aligned on the
 * period ends all of them have (`alignVariants`, counted in a loss report).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import type { LossReport } from '../data/loss.js';
import { listRecords, readRunLog, variantsTried, type ExperimentRecord } from '../model/record.js';
import { deflatedActiveSharpe, type PeriodSeries } from '../metrics/activeSignificance.js';
import { alignVariants, minimumBacktestLength, probabilityOfBacktestOverfitting, PBO_DEFAULT_BLOCKS, type MinimumBacktestLength, type PboResult } from '../metrics/pbo.js';
import type { DeflatedSharpe } from '../metrics/significance.js';

/** One recorded variant: its record and rebalance-period series. */
export interface RecordedVariant {
  specHash: string;
  name: string;
  role: string;
  periodsPerYear: number;
  strategy: PeriodSeries;
  benchmark: PeriodSeries;
  /** a_t = r_t − b_t (NaN where either is missing in the record). */
  active: PeriodSeries;
}

/** The variant of a record (label "name [hash]"). */
export function recordedVariant(r: ExperimentRecord): RecordedVariant {
  const label = `${r.spec.name} [${r.specHash}]`;
  const num = (x: number | null): number => (x === null ? NaN : x);
  const s = r.periods.strategy.map(num), b = r.periods.benchmark.map(num);
  return {
    specHash: r.specHash, name: r.spec.name, role: r.spec.role, periodsPerYear: r.calendar.periodsPerYear,
    strategy: { name: label, dates: r.periods.dates, returns: s },
    benchmark: { name: `benchmark of ${label}`, dates: r.periods.dates, returns: b },
    active: { name: label, dates: r.periods.dates, returns: s.map((x, t) => x - b[t]) },
  };
}

/** Short `--data` names and the record dataset names (`data.dataset`, as loaded) they stand for. */
function shortNamePattern(data: string): RegExp | undefined {
  if (data === 'sim') return /^simulator/i;
  if (data === 'citic') return /citic/i;
  if (data === 'sw') return /^sw|shenwan/i;
  const fm = /^french(\d+)$/.exec(data);
  if (fm) return new RegExp(`^french ${fm[1]} industry`, 'i');
  return undefined;
}

/**
 * The dataset folder under `root` that `data` names: `data` itself when `<root>/<data>/runs`
 * exists; else a short name (sim, citic, sw, frenchN) matched against each record's `data.dataset`
 * (sim: "simulator…", citic: "…CITIC…", sw: "SW…"/"Shenwan…", frenchN: "French N industry…"). Errors: PBO_NO_RECORDS (nothing
 * matches; lists the folders with records), PBO_AMBIGUOUS_DATASET (several folders match, e.g.
 * two simulator seeds: lists them).
 */
export function resolveDatasetFolder(root: string, data: string): string {
  if (existsSync(path.join(root, data, 'runs'))) return data;
  const all = listRecords(root);
  const folders = [...new Set(all.map((r) => r.dataset))];
  const pat = shortNamePattern(data);
  const hits = pat ? [...new Set(all.filter((r) => pat.test(r.record.data.dataset)).map((r) => r.dataset))] : [];
  if (hits.length === 0) {
    throw new RotationError('PBO_NO_RECORDS', `No experiment records for "${data}" under ${root}`, { data, root, folders },
      folders.length ? `pass one of the dataset folders listed, or a short name (sim, citic, sw, frenchN) whose records are there` : `record variants first: rotation run --data ${data} --out ${root}`);
  }
  if (hits.length > 1) {
    throw new RotationError('PBO_AMBIGUOUS_DATASET', `"${data}" matches ${hits.length} dataset folders under ${root}`, { data, matches: hits },
      'pass the folder name itself (e.g. simulator_seed_7)');
  }
  return hits[0];
}

/** Most frequent value (first seen on ties). */
function mode<T>(xs: readonly T[]): T {
  const c = new Map<T, number>();
  for (const x of xs) c.set(x, (c.get(x) ?? 0) + 1);
  let best = xs[0], n = -1;
  for (const [k, v] of c) if (v > n) { best = k; n = v; }
  return best;
}

export interface OverfittingRow {
  variant: string;
  specHash: string;
  role: string;
  /** Periods on the common calendar. */
  periods: number;
  /** Annualized information ratio on the common calendar: mean(a)/std(a) · √P. */
  informationRatio: number;
  /** Share of the CSCV splits where this variant was the in-sample best. */
  chosenShare: number;
}

export interface OverfittingStudy {
  /** Dataset folder under the results root. */
  dataset: string;
  dataHash: string;
  periodsPerYear: number;
  variants: RecordedVariant[];
  /** Common period ends and what alignment dropped. */
  dates: string[];
  loss: LossReport;
  pbo: PboResult;
  rows: OverfittingRow[];
  /** The best variant on the whole common window by information ratio. */
  best: OverfittingRow;
  /** Distinct specs tried on these data (run log), at least the number of variants. */
  trials: number;
  /** Years of the common window: T / P. */
  sampleYears: number;
  /** MinBTL for the best IR and the trial count; null when the best IR is not positive. */
  minBtl: MinimumBacktestLength | null;
  /** Deflated Sharpe of the best variant's active return (trials = `trials`, V = variance of the variants' per-period IRs). */
  deflated: DeflatedSharpe | null;
  notes: string[];
}

/**
 * The overfitting study of a dataset folder (module comment). `data` is a folder name or a short
 * name (`resolveDatasetFolder`). Errors: PBO_NO_RECORDS, PBO_AMBIGUOUS_DATASET,
 * PBO_TOO_FEW_VARIANTS (fewer than 2 usable records), PBO_VARIANTS_NOT_ALIGNED and
 * PBO_TOO_FEW_PERIODS (fewer common periods than blocks), PBO_BAD_BLOCKS.
 */
export function overfittingStudy(root: string, data: string, options: { blocks?: number } = {}): OverfittingStudy {
  const blocks = options.blocks ?? PBO_DEFAULT_BLOCKS;
  const dataset = resolveDatasetFolder(root, data);
  const records = listRecords(root).filter((r) => r.dataset === dataset).map((r) => r.record);
  if (records.length === 0) {
    throw new RotationError('PBO_NO_RECORDS', `No experiment records in ${path.join(root, dataset, 'runs')}`, { root, dataset }, `record variants first: rotation run --out ${root}`);
  }
  const log = readRunLog(root);
  return overfittingFromRecords(dataset, records, { blocks, triedOnData: (h) => variantsTried(log, h, 0) });
}

/**
 * The overfitting study of a set of experiment records on one dataset (e.g. the standalone runs of
 * a notebook's strategy set): records on other data content or another calendar are left out and
 * noted; trials = max(variants, `triedOnData(dataHash)`).
 */
export function overfittingFromRecords(dataset: string, records: readonly ExperimentRecord[], options: { blocks?: number; triedOnData?: (dataHash: string) => number } = {}): OverfittingStudy {
  const blocks = options.blocks ?? PBO_DEFAULT_BLOCKS;
  const notes: string[] = [];
  const dataHash = mode(records.map((r) => r.data.contentHash));
  const other = records.filter((r) => r.data.contentHash !== dataHash);
  if (other.length) notes.push(`${other.length} record(s) on other data content left out: ${other.map((r) => `${r.spec.name} [${r.specHash}] (data ${r.data.contentHash})`).join(', ')}`);
  const onData = records.filter((r) => r.data.contentHash === dataHash);
  const P = mode(onData.map((r) => r.calendar.periodsPerYear));
  const offCal = onData.filter((r) => r.calendar.periodsPerYear !== P);
  if (offCal.length) notes.push(`${offCal.length} record(s) on another rebalance calendar left out (${P} periods a year kept): ${offCal.map((r) => `${r.spec.name} [${r.specHash}] (${r.calendar.periodsPerYear}/yr)`).join(', ')}`);
  const variants = onData.filter((r) => r.calendar.periodsPerYear === P).map(recordedVariant);
  if (variants.length < 2) {
    throw new RotationError('PBO_TOO_FEW_VARIANTS', `PBO needs at least 2 recorded variants on one dataset and calendar; ${dataset} has ${variants.length}`,
      { dataset, variants: variants.map((v) => v.active.name ?? v.specHash) },
      'record more variants: copy models/default.json, edit it, and rotation run --model <copy> on the same data');
  }
  const aligned = alignVariants(variants.map((v) => v.active), blocks);
  const T = aligned.dates.length, N = variants.length;
  const pbo = probabilityOfBacktestOverfitting(aligned.matrix, T, N, { blocks, names: aligned.names, dates: aligned.dates });
  const rows: OverfittingRow[] = variants.map((v, n) => {
    let s = 0, q = 0;
    for (let t = 0; t < T; t++) { const x = aligned.matrix[t * N + n]; s += x; q += x * x; }
    const m = s / T, sd = Math.sqrt(Math.max(0, (q - s * m) / (T - 1)));
    return {
      variant: aligned.names[n], specHash: v.specHash, role: v.role, periods: T,
      informationRatio: sd > 0 ? (m / sd) * Math.sqrt(P) : NaN, chosenShare: pbo.chosenCounts[aligned.names[n]] / pbo.combinations,
    };
  });
  let bi = 0;
  rows.forEach((r, i) => { if (r.informationRatio > rows[bi].informationRatio || !Number.isFinite(rows[bi].informationRatio)) bi = i; });
  const best = rows[bi];
  const trials = Math.max(N, options.triedOnData ? options.triedOnData(dataHash) : N);
  if (trials > N) notes.push(`${trials} distinct specs were run on these data (run log) but ${N} records are compared: MinBTL and the deflated Sharpe use ${trials} trials`);
  const sampleYears = T / P;
  const minBtl = best.informationRatio > 0 ? minimumBacktestLength(trials, best.informationRatio) : null;
  if (!minBtl) notes.push('no variant has a positive information ratio on the common window: MinBTL not applicable');
  // deflated Sharpe of the best variant on the common window; V = variance of the per-period IRs across the variants
  const pick = (s: PeriodSeries): PeriodSeries => {
    const ix = new Map(s.dates.map((d, t) => [d, t]));
    return { name: s.name, dates: aligned.dates, returns: aligned.dates.map((d) => s.returns[ix.get(d) as number]) };
  };
  const perPeriod = rows.map((r) => r.informationRatio / Math.sqrt(P)).filter((x) => Number.isFinite(x));
  const mp = perPeriod.reduce((a, b) => a + b, 0) / perPeriod.length;
  const V = perPeriod.length > 1 ? perPeriod.reduce((a, x) => a + (x - mp) ** 2, 0) / (perPeriod.length - 1) : 0;
  let deflated: DeflatedSharpe | null = null;
  try {
    deflated = deflatedActiveSharpe(pick(variants[bi].strategy), pick(variants[bi].benchmark), { count: trials, sharpeVariance: V });
  } catch (e) {
    if (!(e instanceof RotationError)) throw e;
    notes.push(`deflated Sharpe not available: ${e.what}`);
  }
  notes.push(...pbo.notes);
  return { dataset, dataHash, periodsPerYear: P, variants, dates: aligned.dates, loss: aligned.loss, pbo, rows, best, trials, sampleYears, minBtl, deflated, notes };
}

/** Headline figures of the study as (quantity, value, note) rows. */
export function overfittingSummaryRows(s: OverfittingStudy): { quantity: string; value: number | string; note: string }[] {
  const p = s.pbo;
  return [
    { quantity: 'dataset', value: s.dataset, note: `data ${s.dataHash}` },
    { quantity: 'variants', value: p.variants, note: 'recorded specs compared (CSCV columns)' },
    { quantity: 'common periods', value: s.dates.length, note: `${s.dates[0]} to ${s.dates[s.dates.length - 1]}, ${s.periodsPerYear} a year` },
    { quantity: 'blocks S', value: p.blocks, note: `${p.rowsPerBlock} periods each; ${p.rowsDropped} dropped at the start; ${p.combinations} splits` },
    { quantity: 'PBO', value: p.pbo, note: 'share of splits where the in-sample best (active Sharpe) ranks at or below the out-of-sample median (logit <= 0)' },
    { quantity: 'probability of loss', value: p.probabilityOfLoss, note: 'share of splits where the chosen variant has a negative out-of-sample active Sharpe' },
    { quantity: 'degradation slope', value: p.degradation.slope, note: `OLS of OOS on IS active Sharpe of the chosen variant (intercept ${p.degradation.intercept.toFixed(4)}, R² ${p.degradation.r2.toFixed(3)})` },
    { quantity: 'best variant', value: s.best.variant, note: `information ratio ${s.best.informationRatio.toFixed(3)} on the common window` },
    { quantity: 'trials', value: s.trials, note: 'distinct specs run on these data (run log), at least the variants compared' },
    { quantity: 'sample years', value: s.sampleYears, note: 'common window' },
    { quantity: 'MinBTL years', value: s.minBtl ? s.minBtl.years : 'n/a', note: s.minBtl ? `(E[max of ${s.trials} N(0,1)] = ${s.minBtl.expectedMaxZ.toFixed(3)} / IR ${s.minBtl.sharpe.toFixed(3)})²; bound 2 ln N / IR² = ${s.minBtl.upperBoundYears.toFixed(2)} (Bailey et al. 2014)` : 'best IR not positive' },
    { quantity: 'deflated Sharpe', value: s.deflated ? s.deflated.deflated : 'n/a', note: s.deflated ? `P(true active Sharpe > SR*0 = ${s.deflated.benchmarkSharpe.toFixed(4)} per period), N = ${s.deflated.trials}, V = ${s.deflated.sharpeVariance.toExponential(3)}` : 'not available' },
  ];
}
