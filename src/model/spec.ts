/**
 * The rotation model as data: a `ModelSpec` is a plain, JSON-serializable object that says
 * everything a run needs — which factors (with direction), preprocessing, how factors are selected
 * (a fixed list, or walk-forward from ICs known at each date), how they are combined, which
 * allocator turns scores into weights (by name, with its parameters), the rebalance calendar
 * (which carries its periods per year), costs, execution and the declared in-sample end.
 *
 * `parseModelSpec` / `validateModelSpec` check a spec without data and fill defaults
 * (named errors: MODEL_SPEC_NOT_JSON, MODEL_BAD_PARAMETER, MODEL_UNKNOWN_FACTOR,
 * MODEL_UNKNOWN_ALLOCATOR, MODEL_UNKNOWN_CALENDAR, MODEL_INFEASIBLE_CAPS); `checkSpecForDataset`
 * checks what needs the data (MODEL_K_EXCEEDS_UNIVERSE, MODEL_SPLIT_OUTSIDE_DATA,
 * MODEL_FACTOR_UNAVAILABLE). `specHash` is the run identity used by the experiment records.
 */
import { createHash } from 'node:crypto';
import { RotationError } from '../errors.js';
import { PERIODS_PER_YEAR } from '../data/calendar.js';
import { factorRegistry } from '../factors/registry.js';
import type { PipelineStep } from '../preprocess/pipeline.js';

/** A factor of the model: a registry id, and its direction (default: the registry's). */
export interface FactorChoice {
  readonly id: string;
  readonly direction?: 1 | -1;
}

/**
 * How factors enter the composite at each date t:
 * - 'fixed': every listed factor;
 * - 'walk-forward': the `k` factors with the highest rank ICIR over the ICs known at t (an IC
 *   dated s is known at s + horizon), keeping only those with ICIR > `minRankIcir` and at least
 *   `minObservations` ICs in the window (`window`: 'expanding' or a number of IC dates).
 */
export type SelectionSpec =
  | { readonly rule: 'fixed' }
  | { readonly rule: 'walk-forward'; readonly k: number; readonly minRankIcir: number; readonly minObservations: number; readonly window: 'expanding' | number };

/** Composite weights: equal, IC mean, ICIR or max-ICIR (shrunk covariance), from rank ICs known at each date. */
export interface CompositeSpec {
  readonly method: 'equal' | 'ic' | 'icir' | 'max-icir';
  /** IC horizon in rebalance periods of the factor calendar (an IC dated s is known at s + horizon). */
  readonly horizon: number;
  readonly window: 'expanding' | number;
  readonly minObservations: number;
  /** max-ICIR only: 'ledoit-wolf' or a fixed intensity in [0, 1]. */
  readonly shrinkage?: 'ledoit-wolf' | number;
  /** max-ICIR only: long-only factor weights. */
  readonly nonNegative?: boolean;
}

/** Allocators by name (src/model/allocators.ts maps each to its implementation). */
export type AllocatorSpec =
  | { readonly name: 'top-k'; readonly k: number; readonly buffer?: number }
  | { readonly name: 'score-optimizer'; readonly caps: number; readonly maxHoldings: number; readonly turnoverBudget: number }
  | { readonly name: 'equal-weight' }
  | { readonly name: 'momentum'; readonly lookbackMonths: number; readonly skipMonths: number; readonly k: number }
  | { readonly name: 'mean-variance'; readonly covariance: 'sample' | 'ledoit-wolf'; readonly caps: number; readonly turnoverPenalty?: number }
  | { readonly name: 'hmm-regimes'; readonly k: number; readonly seed: number };

export type AllocatorName = AllocatorSpec['name'];
export const ALLOCATOR_NAMES: readonly AllocatorName[] = Object.freeze(['top-k', 'score-optimizer', 'equal-weight', 'momentum', 'mean-variance', 'hmm-regimes'] as AllocatorName[]);

/** Base calendars: month ends, ISO-week ends, quarter ends. */
export type BaseFrequency = 'M' | 'W' | 'Q';
/** Periods per year of each base calendar (from the calendar module, the one home of these numbers). */
export const BASE_PERIODS_PER_YEAR: Readonly<Record<BaseFrequency, number>> = PERIODS_PER_YEAR;

/**
 * The rebalance calendar: factors are scored on the base calendar (`frequency`), the portfolio
 * rebalances on every `every`-th scored date, so periodsPerYear = BASE_PERIODS_PER_YEAR[frequency] / every.
 * `minScored`: a date is scored when at least this many industries have a composite score.
 */
export interface CalendarSpec {
  readonly frequency: BaseFrequency;
  readonly every: number;
  readonly minScored: number;
}

export interface ModelSpec {
  /** Spec format version. */
  readonly version: 1;
  /** Strategy label in every table (e.g. "model: top-5"). */
  readonly name: string;
  /** 'model' (a variant of the rotation model) or 'baseline' (an alternative it must beat). */
  readonly role: 'model' | 'baseline';
  /** Free text; not part of the spec hash. */
  readonly description?: string;
  /** 'all' = every registry factor the dataset can compute (registry order, registry directions). */
  readonly factors: 'all' | readonly FactorChoice[];
  /** Steps applied to every factor panel before the composite (which z-scores per date). */
  readonly preprocessing: readonly PipelineStep[];
  readonly selection: SelectionSpec;
  readonly composite: CompositeSpec;
  readonly allocator: AllocatorSpec;
  readonly calendar: CalendarSpec;
  /** Proportional cost per unit traded, basis points. */
  readonly costs: { readonly bps: number };
  readonly execution: 'close' | 'next-open';
  /** Declared in-sample end (ISO): choices were made looking at data up to here. */
  readonly split: string;
}

/** Rebalance periods per year of a spec's calendar. */
export function specPeriodsPerYear(cal: CalendarSpec): number {
  return BASE_PERIODS_PER_YEAR[cal.frequency] / cal.every;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function bad(source: string, path: string, what: string, fix: string): RotationError {
  return new RotationError('MODEL_BAD_PARAMETER', what, { spec: source, parameter: path }, fix);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function num(o: Record<string, unknown>, key: string, path: string, source: string,
  range: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean }, fallback?: number): number {
  const v = o[key] === undefined ? fallback : o[key];
  const where = `${path}.${key}`;
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw bad(source, where, `${where} must be a number, got ${JSON.stringify(o[key])}`, `write e.g. "${key}": ${fallback ?? range.min ?? 1}`);
  }
  if (range.integer && !Number.isInteger(v)) throw bad(source, where, `${where} must be a whole number, got ${v}`, `write a whole number, e.g. ${Math.max(1, Math.round(v))}`);
  const lowOk = range.min === undefined || (range.exclusiveMin ? v > range.min : v >= range.min);
  if (!lowOk || (range.max !== undefined && v > range.max)) {
    const lo = range.min === undefined ? '' : `${range.exclusiveMin ? '>' : '>='} ${range.min}`;
    const hi = range.max === undefined ? '' : `<= ${range.max}`;
    throw bad(source, where, `${where} = ${v} is out of range (${[lo, hi].filter(Boolean).join(' and ')})`, `choose a value ${[lo, hi].filter(Boolean).join(' and ')}`);
  }
  return v;
}

function oneOf<T extends string>(o: Record<string, unknown>, key: string, path: string, source: string, allowed: readonly T[], fallback?: T): T {
  const v = o[key] === undefined ? fallback : o[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw bad(source, `${path}.${key}`, `${path}.${key} must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(o[key])}`, `write e.g. "${key}": "${allowed[0]}"`);
  }
  return v as T;
}

function windowOf(o: Record<string, unknown>, path: string, source: string): 'expanding' | number {
  const w = o.window ?? 'expanding';
  if (w === 'expanding') return w;
  return num({ window: w }, 'window', path, source, { min: 2, integer: true });
}

function section(o: Record<string, unknown>, key: string, source: string, fallback?: Record<string, unknown>): Record<string, unknown> {
  const v = o[key] ?? fallback;
  if (!isObject(v)) throw bad(source, key, `"${key}" must be an object, got ${JSON.stringify(o[key])}`, `see models/default.json for the "${key}" section`);
  return v;
}

const KNOWN_KEYS = ['version', 'name', 'role', 'description', 'factors', 'preprocessing', 'selection', 'composite', 'allocator', 'calendar', 'costs', 'execution', 'split'];

function factorsOf(o: Record<string, unknown>, source: string): 'all' | FactorChoice[] {
  const f = o.factors ?? 'all';
  if (f === 'all') return 'all';
  if (!Array.isArray(f) || f.length === 0) throw bad(source, 'factors', `"factors" must be "all" or a non-empty list, got ${JSON.stringify(f)}`, 'write "factors": "all" or [{ "id": "mom_12_1" }, ...]');
  const ids = new Set(factorRegistry().map((d) => d.id));
  const seen = new Set<string>();
  return f.map((x, i) => {
    const c = typeof x === 'string' ? { id: x } : x;
    if (!isObject(c) || typeof c.id !== 'string') throw bad(source, `factors[${i}]`, `factors[${i}] must be an id or { "id": ..., "direction": 1 | -1 }`, 'write e.g. { "id": "mom_12_1" }');
    if (!ids.has(c.id)) {
      throw new RotationError('MODEL_UNKNOWN_FACTOR', `factors[${i}]: "${c.id}" is not a factor of the registry`, { spec: source, factor: c.id },
        `use one of the registry ids (npm run docs lists them in docs/data_dictionary.md), e.g. ${[...ids].slice(0, 5).join(', ')}`);
    }
    if (seen.has(c.id)) throw bad(source, `factors[${i}]`, `factor "${c.id}" is listed twice`, 'list each factor once');
    seen.add(c.id);
    if (c.direction !== undefined && c.direction !== 1 && c.direction !== -1) throw bad(source, `factors[${i}].direction`, `direction of "${c.id}" must be 1 or -1, got ${JSON.stringify(c.direction)}`, 'write 1 (higher is better) or -1');
    return c.direction === undefined ? { id: c.id } : { id: c.id, direction: c.direction as 1 | -1 };
  });
}

function preprocessingOf(o: Record<string, unknown>, source: string): PipelineStep[] {
  const p = o.preprocessing ?? [];
  if (!Array.isArray(p)) throw bad(source, 'preprocessing', '"preprocessing" must be a list of steps', 'write e.g. [{ "step": "winsorize", "method": "mad", "k": 3 }]');
  return p.map((s, i) => {
    if (!isObject(s)) throw bad(source, `preprocessing[${i}]`, `preprocessing[${i}] must be an object`, 'write e.g. { "step": "winsorize", "method": "mad", "k": 3 }');
    const step = oneOf(s, 'step', `preprocessing[${i}]`, source, ['winsorize', 'standardize', 'neutralize', 'fill'] as const);
    if (step === 'winsorize') oneOf(s, 'method', `preprocessing[${i}]`, source, ['mad', 'quantile', 'sigma'] as const);
    if (step === 'standardize') oneOf(s, 'method', `preprocessing[${i}]`, source, ['zscore', 'rank', 'normal'] as const);
    if (step === 'fill') oneOf(s, 'method', `preprocessing[${i}]`, source, ['industry-median', 'none'] as const);
    return s as unknown as PipelineStep;
  });
}

function selectionOf(o: Record<string, unknown>, source: string): SelectionSpec {
  const s = section(o, 'selection', source, { rule: 'fixed' });
  const rule = oneOf(s, 'rule', 'selection', source, ['fixed', 'walk-forward'] as const);
  if (rule === 'fixed') return { rule };
  return {
    rule, k: num(s, 'k', 'selection', source, { min: 1, integer: true }),
    minRankIcir: num(s, 'minRankIcir', 'selection', source, { min: -1, max: 1 }, 0),
    minObservations: num(s, 'minObservations', 'selection', source, { min: 2, integer: true }, 12),
    window: windowOf(s, 'selection', source),
  };
}

function compositeOf(o: Record<string, unknown>, source: string): CompositeSpec {
  const c = section(o, 'composite', source);
  const method = oneOf(c, 'method', 'composite', source, ['equal', 'ic', 'icir', 'max-icir'] as const);
  const out: { -readonly [K in keyof CompositeSpec]: CompositeSpec[K] } = {
    method, horizon: num(c, 'horizon', 'composite', source, { min: 1, integer: true }, 1),
    window: windowOf(c, 'composite', source),
    minObservations: num(c, 'minObservations', 'composite', source, { min: 2, integer: true }, 12),
  };
  if (typeof out.window === 'number' && out.minObservations > out.window) {
    throw bad(source, 'composite.minObservations', `composite.minObservations (${out.minObservations}) exceeds the window (${out.window}): no date could get weights`, 'lower minObservations or lengthen the window');
  }
  if (method === 'max-icir') {
    out.shrinkage = c.shrinkage === undefined || c.shrinkage === 'ledoit-wolf' ? 'ledoit-wolf' : num(c, 'shrinkage', 'composite', source, { min: 0, max: 1 });
    if (c.nonNegative !== undefined && typeof c.nonNegative !== 'boolean') throw bad(source, 'composite.nonNegative', 'composite.nonNegative must be true or false', 'write "nonNegative": true');
    out.nonNegative = c.nonNegative === undefined ? true : (c.nonNegative as boolean);
  } else if (c.shrinkage !== undefined || c.nonNegative !== undefined) {
    throw bad(source, 'composite', `shrinkage/nonNegative apply only to method "max-icir", not "${method}"`, 'remove them or use "method": "max-icir"');
  }
  return out;
}

function allocatorOf(o: Record<string, unknown>, source: string): AllocatorSpec {
  const a = section(o, 'allocator', source);
  if (typeof a.name !== 'string' || !(ALLOCATOR_NAMES as readonly string[]).includes(a.name)) {
    throw new RotationError('MODEL_UNKNOWN_ALLOCATOR', `allocator.name ${JSON.stringify(a.name)} is not an allocator`, { spec: source, allocator: String(a.name) },
      `use one of ${ALLOCATOR_NAMES.map((n) => `"${n}"`).join(', ')}`);
  }
  const p = 'allocator';
  switch (a.name as AllocatorName) {
    case 'top-k': {
      // buffer: hold an industry until it leaves the top k + buffer; 0 (the default) is dropped so a
      // spec without a buffer keeps its hash.
      const k = num(a, 'k', p, source, { min: 1, integer: true });
      const buffer = num(a, 'buffer', p, source, { min: 0, integer: true }, 0);
      return buffer > 0 ? { name: 'top-k', k, buffer } : { name: 'top-k', k };
    }
    case 'equal-weight': return { name: 'equal-weight' };
    case 'score-optimizer': {
      const caps = num(a, 'caps', p, source, { min: 0, max: 1, exclusiveMin: true });
      const maxHoldings = num(a, 'maxHoldings', p, source, { min: 1, integer: true });
      if (caps * maxHoldings < 1 - 1e-12) {
        throw new RotationError('MODEL_INFEASIBLE_CAPS', `caps ${caps} x maxHoldings ${maxHoldings} = ${(caps * maxHoldings).toFixed(4)} < 1: the weights cannot sum to 1`,
          { spec: source, caps, maxHoldings }, `raise caps to at least ${(1 / maxHoldings).toFixed(4)} or hold more industries`);
      }
      return { name: 'score-optimizer', caps, maxHoldings, turnoverBudget: num(a, 'turnoverBudget', p, source, { min: 0, max: 2, exclusiveMin: true }) };
    }
    case 'momentum': return {
      name: 'momentum', lookbackMonths: num(a, 'lookbackMonths', p, source, { min: 1, integer: true }, 12),
      skipMonths: num(a, 'skipMonths', p, source, { min: 0, integer: true }, 1), k: num(a, 'k', p, source, { min: 1, integer: true }, 5),
    };
    case 'mean-variance': {
      const out: { name: 'mean-variance'; covariance: 'sample' | 'ledoit-wolf'; caps: number; turnoverPenalty?: number } = {
        name: 'mean-variance', covariance: oneOf(a, 'covariance', p, source, ['sample', 'ledoit-wolf'] as const), caps: num(a, 'caps', p, source, { min: 0, max: 1, exclusiveMin: true }),
      };
      if (a.turnoverPenalty !== undefined) out.turnoverPenalty = num(a, 'turnoverPenalty', p, source, { min: 0 });
      return out;
    }
    case 'hmm-regimes': return { name: 'hmm-regimes', k: num(a, 'k', p, source, { min: 1, integer: true }, 5), seed: num(a, 'seed', p, source, { min: 0, integer: true }, 7) };
  }
}

function calendarOf(o: Record<string, unknown>, source: string): CalendarSpec {
  const c = section(o, 'calendar', source, {});
  const f = c.frequency ?? 'M';
  if (typeof f !== 'string' || !['M', 'W', 'Q'].includes(f)) {
    throw new RotationError('MODEL_UNKNOWN_CALENDAR', `calendar.frequency ${JSON.stringify(f)} is not a calendar the engine knows`, { spec: source, frequency: String(f) },
      'use "M" (month ends), "W" (week ends) or "Q" (quarter ends), and "every": N to rebalance every N-th of them (e.g. "M" with every 2 = every other month)');
  }
  return { frequency: f as BaseFrequency, every: num(c, 'every', 'calendar', source, { min: 1, max: 12, integer: true }, 1), minScored: num(c, 'minScored', 'calendar', source, { min: 1, integer: true }, 5) };
}

/**
 * Validate a spec object (from JSON) and fill its defaults. `source` names the file in errors.
 * Unknown top-level keys are errors (a typo must not be ignored silently).
 */
export function validateModelSpec(input: unknown, source = 'spec'): ModelSpec {
  if (!isObject(input)) throw bad(source, '(root)', 'A model spec must be a JSON object', 'start from models/default.json');
  const unknown = Object.keys(input).filter((k) => !KNOWN_KEYS.includes(k));
  if (unknown.length) throw bad(source, unknown[0], `Unknown key(s) ${unknown.map((k) => `"${k}"`).join(', ')}`, `use only ${KNOWN_KEYS.join(', ')}`);
  if (input.version !== undefined && input.version !== 1) throw bad(source, 'version', `version must be 1, got ${JSON.stringify(input.version)}`, 'write "version": 1');
  if (typeof input.name !== 'string' || input.name.trim() === '') throw bad(source, 'name', '"name" must be a non-empty string', 'write e.g. "name": "model: top-5"');
  if (input.description !== undefined && typeof input.description !== 'string') throw bad(source, 'description', '"description" must be a string', 'write a sentence or remove it');
  const split = input.split;
  if (typeof split !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(split) || Number.isNaN(Date.parse(split))) {
    throw bad(source, 'split', `"split" must be an ISO date yyyy-mm-dd, got ${JSON.stringify(split)}`, 'declare the in-sample end before looking at results, e.g. "split": "2019-12-31"');
  }
  const costs = section(input, 'costs', source, { bps: 10 });
  const spec: ModelSpec = {
    version: 1, name: input.name, role: oneOf(input, 'role', '(root)', source, ['model', 'baseline'] as const, 'model'),
    ...(input.description === undefined ? {} : { description: input.description as string }),
    factors: factorsOf(input, source), preprocessing: preprocessingOf(input, source), selection: selectionOf(input, source),
    composite: compositeOf(input, source), allocator: allocatorOf(input, source), calendar: calendarOf(input, source),
    costs: { bps: num(costs, 'bps', 'costs', source, { min: 0, max: 1000 }) },
    execution: oneOf(input, 'execution', '(root)', source, ['close', 'next-open'] as const, 'close'), split,
  };
  if (spec.selection.rule === 'walk-forward' && spec.factors !== 'all' && spec.selection.k > spec.factors.length) {
    throw bad(source, 'selection.k', `selection.k = ${spec.selection.k} exceeds the ${spec.factors.length} listed factors`, `choose k <= ${spec.factors.length}`);
  }
  return spec;
}

/** Parse a spec file's text (MODEL_SPEC_NOT_JSON with the parser's message) and validate it. */
export function parseModelSpec(text: string, source = 'spec'): ModelSpec {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new RotationError('MODEL_SPEC_NOT_JSON', `The model spec is not valid JSON: ${(e as Error).message}`, { spec: source },
      'fix the JSON (a trailing comma or a missing quote is the usual cause) or start again from models/default.json');
  }
  return validateModelSpec(obj, source);
}

/** Canonical JSON: object keys sorted, no whitespace (the same spec always gives the same text). */
export function canonicalJson(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonicalJson).join(',')}]`;
  if (isObject(x)) return `{${Object.keys(x).sort().filter((k) => x[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(x[k])}`).join(',')}}`;
  return JSON.stringify(x as Json);
}

/** Spec hash: first 12 hex digits of sha256(canonicalJson(spec without description)). */
export function specHash(spec: ModelSpec): string {
  const { description: _d, ...rest } = spec;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 12);
}

/** A copy of `spec` with fields replaced (validated again), e.g. a robustness variant. */
export function variantOf(spec: ModelSpec, changes: Partial<{ -readonly [K in keyof ModelSpec]: ModelSpec[K] }>): ModelSpec {
  return validateModelSpec(JSON.parse(JSON.stringify({ ...spec, ...changes })), `variant of "${spec.name}"`);
}
