/**
 * The industry factor registry: every factor record, availability on a dataset, batch
 * computation with one shared cache, and the factor part of docs/data_dictionary.md.
 */
import { RotationError } from '../errors.js';
import type { MarketDataset } from '../data/types.js';
import { analystFactors } from './analyst.js';
import { datasetInputs, newFactorCache } from './engine.js';
import { growthFactors } from './growth.js';
import { highFrequencyFactors } from './highFrequency.js';
import { qualityFactors } from './quality.js';
import { technicalFactors } from './technical.js';
import { FACTOR_FAMILIES, type FactorComputeOptions, type FactorDefinition, type FactorInput, type FactorResult } from './types.js';
import { valuationFactors } from './valuation.js';

export { newFactorCache, datasetInputs, missingInputs, DEFAULT_MIN_INDUSTRIES } from './engine.js';

/** All registered factors (a fresh array of the frozen records), ordered by family then definition order. */
export function factorRegistry(): FactorDefinition[] {
  return [...valuationFactors(), ...growthFactors(), ...qualityFactors(), ...technicalFactors(), ...analystFactors(), ...highFrequencyFactors()];
}

/** The factor with id `id`; FACTOR_UNKNOWN (listing the ids) if there is none. */
export function getFactor(id: string): FactorDefinition {
  const all = factorRegistry();
  const f = all.find((x) => x.id === id);
  if (!f) {
    const near = all.map((x) => x.id).filter((x) => x.includes(id) || id.includes(x.split('_')[0]));
    throw new RotationError('FACTOR_UNKNOWN', `No factor "${id}"`, { factor: id, similar: near.length ? near : undefined, known: all.map((x) => x.id) },
      'use an id from factorRegistry() (e.g. mom_12_1)');
  }
  return f;
}

/** Which factors a dataset supports: available ids, and for the others the inputs it lacks. */
export interface FactorAvailability {
  available: string[];
  unavailable: { id: string; missing: FactorInput[] }[];
}

/**
 * Availability of every registered factor on `dataset`: a factor is available when the dataset
 * has every input it lists (see `datasetInputs`: a bar field must hold at least one finite value).
 */
export function availableFactors(dataset: MarketDataset): FactorAvailability {
  const have = datasetInputs(dataset);
  const out: FactorAvailability = { available: [], unavailable: [] };
  for (const f of factorRegistry()) {
    const missing = f.inputs.filter((x) => !have.has(x));
    if (missing.length) out.unavailable.push({ id: f.id, missing });
    else out.available.push(f.id);
  }
  return out;
}

/** Compute one factor by id (see FactorDefinition.compute). */
export function computeFactor(id: string, dataset: MarketDataset, dates: readonly string[], options: FactorComputeOptions = {}): FactorResult {
  return getFactor(id).compute(dataset, dates, options);
}

export interface ComputeFactorsOptions extends FactorComputeOptions {
  /** Factor ids to compute; default: every available factor. */
  ids?: readonly string[];
}

/** Results of a batch computation. */
export interface FactorBatch {
  /** Results by factor id, in registry order. */
  results: Map<string, FactorResult>;
  /**
   * Factors not available (only when `ids` was not given): the dataset lacks inputs (`missing`),
   * or the computed factor is constant across industries on every date (`missing` empty,
   * `reason` says so: it ranks nothing, so it cannot be evaluated or combined).
   */
  unavailable: { id: string; missing: FactorInput[]; reason?: string }[];
}

/** Reason given for a factor constant across industries on every date. */
export const CONSTANT_FACTOR_REASON = 'constant across industries on every date (no cross-section to rank)';

/**
 * True when no date of the factor panel has two different valid values (every cross-section is
 * constant or empty): such a factor has no rank IC on any date.
 */
export function isConstantFactor(values: Float64Array, nDates: number, nAssets: number): boolean {
  for (let k = 0; k < nDates; k++) {
    let first = NaN;
    for (let j = 0; j < nAssets; j++) {
      const v = values[k * nAssets + j];
      if (v !== v) continue;
      if (first !== first) first = v;
      else if (v !== first) return false;
    }
  }
  return true;
}

/**
 * Compute many factors at the same rebalance dates with one shared cache (intermediates such as
 * daily returns, intraday aggregates, membership and report joins are built once).
 * With `ids`, each must exist (FACTOR_UNKNOWN), be available (FACTOR_MISSING_INPUT) and not be
 * constant across industries on every date (FACTOR_CONSTANT naming it). Without `ids`, a constant
 * factor is left out of `results` and listed in `unavailable` with its reason (the evaluation
 * would otherwise stop at EVAL_SERIES_TOO_SHORT without naming it).
 */
export function computeFactors(dataset: MarketDataset, dates: readonly string[], options: ComputeFactorsOptions = {}): FactorBatch {
  const cache = options.cache ?? newFactorCache(dataset);
  const avail = availableFactors(dataset);
  const ids = options.ids ? [...options.ids] : avail.available;
  const defs = ids.map(getFactor);
  const results = new Map<string, FactorResult>();
  const constant: { id: string; missing: FactorInput[]; reason: string }[] = [];
  for (const f of defs) {
    const r = f.compute(dataset, dates, { ...options, cache });
    if (isConstantFactor(r.panel.values, r.panel.dates.length, r.panel.assets.length)) {
      if (options.ids) {
        throw new RotationError('FACTOR_CONSTANT', `Factor ${f.id} is ${CONSTANT_FACTOR_REASON}`,
          { factor: f.id, dataset: dataset.name, from: dates[0], to: dates[dates.length - 1] },
          `check its inputs (${f.inputs.join(', ')}) in the data: a column filled with one value, or constant prices; or leave ${f.id} out`);
      }
      constant.push({ id: f.id, missing: [], reason: CONSTANT_FACTOR_REASON });
      continue;
    }
    results.set(f.id, r);
  }
  return { results, unavailable: options.ids ? [] : [...avail.unavailable, ...constant] };
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The factor part of docs/data_dictionary.md as a section for `dataDictionaryMarkdown([...])`
 * (src/data/dictionary.ts): title "Industry factors" and a body of one Markdown table per family
 * (id, definition, formula, inputs, lookback, direction, point-in-time rule, proxy), in registry
 * order. Deterministic.
 */
export function factorDictionarySection(): { title: string; markdown: string } {
  const all = factorRegistry();
  const lines: string[] = [
    `${all.length} factors, evaluated monthly at the rebalance dates (the last trading day of each month). ` +
      'Lookbacks are frequency-aware: on daily data a month is 20 trading days (1M = 20, 3M = 60, 6M = 120, 12M = 240 rows); ' +
      'on monthly data (the French industry files) months are calendar months (6M = 6 rows), and a factor with a trading-day lookback ' +
      '(input `calendar.daily`) is unavailable there (asking for it is `FACTOR_NEEDS_DAILY_DATA`). Month-end series (`monthEnd.*`) are read by calendar month. ' +
      'Direction +1: a higher value is expected to outperform; −1: a lower value. ' +
      'A date with fewer than 5 industries with a value is set to NaN and counted in the factor\'s loss report; ' +
      'a factor whose inputs a dataset lacks is reported by `availableFactors(dataset)` with the missing inputs, never computed as zero.',
    '',
  ];
  for (const fam of FACTOR_FAMILIES) {
    const fs = all.filter((f) => f.family === fam);
    if (fs.length === 0) continue;
    lines.push(`### ${fam}`, '');
    lines.push('| id | definition | formula | inputs | lookback | direction | point in time | proxy |');
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const f of fs) {
      lines.push(`| \`${f.id}\` | ${cell(f.definition)} | ${cell(f.formula)} | ${f.inputs.join(', ')} | ${f.lookback.value} ${f.lookback.unit} | ${f.direction > 0 ? '+1' : '−1'} | ${cell(f.pointInTime)} | ${f.proxy ? cell(f.proxy) : ''} |`);
    }
    lines.push('');
  }
  return { title: 'Industry factors', markdown: lines.join('\n') };
}

/** The factor part of docs/data_dictionary.md as standalone Markdown: "## Industry factors" + `factorDictionarySection().markdown`. Deterministic. */
export function factorDictionaryMarkdown(): string {
  const s = factorDictionarySection();
  return `## ${s.title}\n\n${s.markdown}`;
}
