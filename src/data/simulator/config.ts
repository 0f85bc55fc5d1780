/**
 * Configuration of the built-in market simulator: the options, their defaults and validation.
 *
 * Every option is documented in docs/simulator.md. `simulateMarket` merges a partial config over
 * `defaultSimulatorConfig` and validates the result; bad values throw `RotationError` with code
 * `SIM_CONFIG` (bad value) or `SIM_CONFIG_UNKNOWN_KEY` (misspelt option).
 */
import { RotationError } from '../../errors.js';
import { isIsoDate } from '../../panel/panel.js';

/** Industry-level factors with a planted next-month return signal (see docs/simulator.md). */
export const INDUSTRY_FACTORS = Object.freeze([
  'momentum_12_1',
  'momentum_1m',
  'analyst_fy2_revision_3m',
  'growth_np_yoy',
  'quality_roe',
  'valuation_pb_percentile',
  'hf_last30_return',
  'turnover_crowding',
] as const);
export type IndustryFactorName = (typeof INDUSTRY_FACTORS)[number];

/** Stock-level factors with a planted next-month stock-specific return signal. */
export const STOCK_FACTORS = Object.freeze(['value_bp', 'growth_np_yoy', 'reversal_1m', 'volatility_60d'] as const);
export type StockFactorName = (typeof STOCK_FACTORS)[number];

/** The factor whose planted signal switches off at `switchOffFraction` of the history. */
export const SWITCH_OFF_FACTOR: IndustryFactorName = 'turnover_crowding';

export interface SimulatorConfig {
  /** Seed of every random draw (createRng). Same config -> byte-identical output. */
  seed: number;
  /** Number of industries (2..60); the first 30 carry CITIC-like names and parameters. */
  nIndustries: number;
  /** Number of stocks ever listed in the history (>= 5 per industry). */
  nStocks: number;
  /** First calendar day of the history (ISO); the calendar starts at the first trading day >= it. */
  startDate: string;
  /** Length of the history in years; it ends on the last trading day of the month before startDate + years. */
  years: number;
  /** Fraction of stocks listed on the first day; the rest list (IPO) later. */
  listedAtStartFraction: number;
  /** Fraction of stocks that delist before the end (survivorship). */
  delistFraction: number;
  /** Fraction of stocks that change industry once mid-history. */
  industryChangeFraction: number;
  /** Probability per listed stock-day that a suspension starts. */
  suspensionRate: number;
  /** Daily price limit as a fraction (0.10 = +/-10%); moves beyond it carry to the next day. */
  priceLimit: number;
  /** Multiplier on every planted IC (industry and stock); 0 switches all planted signals off. */
  signalStrength: number;
  /** Overrides of the planted monthly rank IC of industry factors (before the switch-off). */
  plantedIc: Partial<Record<IndustryFactorName, number>>;
  /** Overrides of the planted monthly rank IC of stock factors. */
  stockPlantedIc: Partial<Record<StockFactorName, number>>;
  /** Where in the history (fraction of months) the switch-off factor's signal stops. */
  switchOffFraction: number;
  /** Nominal number of SIM500 benchmark members (capped at half the eligible stocks). */
  benchmarkSize: number;
  /** Number of brokers issuing forecasts. */
  brokers: number;
  /**
   * What-if futures: every random draw of the months that start on or after `from` uses `seed`
   * instead of the main seed. Data before `from` is byte-identical to the run without it.
   */
  reseed?: { from: string; seed: number };
}

/** Default planted monthly rank ICs of the industry factors (REFERENCE.md section 4 magnitudes). */
export const DEFAULT_PLANTED_IC: Readonly<Record<IndustryFactorName, number>> = Object.freeze({
  momentum_12_1: 0.07,
  momentum_1m: -0.02,
  analyst_fy2_revision_3m: 0.06,
  growth_np_yoy: 0.04,
  quality_roe: 0.03,
  valuation_pb_percentile: -0.02,
  hf_last30_return: 0.03,
  turnover_crowding: -0.06,
});

/** Default planted monthly rank ICs of the stock factors. */
export const DEFAULT_STOCK_PLANTED_IC: Readonly<Record<StockFactorName, number>> = Object.freeze({
  value_bp: 0.03,
  growth_np_yoy: 0.03,
  reversal_1m: -0.04,
  volatility_60d: -0.03,
});

/** The defaults: small enough for CI and notebooks (about a second, ~150 MB). */
export const defaultSimulatorConfig: Readonly<SimulatorConfig> = Object.freeze({
  seed: 7,
  nIndustries: 30,
  nStocks: 1000,
  startDate: '2015-01-05',
  years: 10,
  listedAtStartFraction: 0.45,
  delistFraction: 0.05,
  industryChangeFraction: 0.01,
  suspensionRate: 0.0012,
  priceLimit: 0.1,
  signalStrength: 1,
  plantedIc: Object.freeze({}),
  stockPlantedIc: Object.freeze({}),
  switchOffFraction: 0.5,
  benchmarkSize: 500,
  brokers: 40,
});

/** A config after merging and validation, with the planted ICs filled in. */
export interface ResolvedSimulatorConfig extends SimulatorConfig {
  plantedIc: Record<IndustryFactorName, number>;
  stockPlantedIc: Record<StockFactorName, number>;
}

const KNOWN_KEYS: readonly string[] = Object.freeze([...Object.keys(defaultSimulatorConfig), 'reseed']);

function bad(option: string, value: unknown, fix: string): RotationError {
  return new RotationError('SIM_CONFIG', `Invalid simulator option ${option} = ${JSON.stringify(value)}`,
    { option, value: typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value) }, fix);
}

function checkNumber(name: string, v: unknown, lo: number, hi: number, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw bad(name, v, `pass ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}]`);
  }
  return v;
}

function checkIcs<K extends string>(name: string, given: unknown, names: readonly K[], defaults: Readonly<Record<K, number>>): Record<K, number> {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw bad(name, given, `pass an object such as { ${names[0]}: 0.05 }`);
  }
  const out = { ...defaults } as Record<K, number>;
  for (const [k, v] of Object.entries(given as Record<string, unknown>)) {
    if (!(names as readonly string[]).includes(k)) {
      throw new RotationError('SIM_CONFIG_UNKNOWN_KEY', `Unknown factor "${k}" in ${name}`, { option: name, key: k },
        `use one of: ${names.join(', ')}`);
    }
    out[k as K] = checkNumber(`${name}.${k}`, v, -0.3, 0.3, false);
  }
  return out;
}

/**
 * Merge `config` over the defaults and validate every option.
 * Throws RotationError SIM_CONFIG (value out of range), SIM_CONFIG_UNKNOWN_KEY (misspelt option).
 */
export function resolveSimulatorConfig(config: Partial<SimulatorConfig> = {}): ResolvedSimulatorConfig {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw bad('config', config, 'pass an object of options, e.g. { seed: 1, nStocks: 500 }');
  }
  for (const k of Object.keys(config)) {
    if (!KNOWN_KEYS.includes(k)) {
      throw new RotationError('SIM_CONFIG_UNKNOWN_KEY', `Unknown simulator option "${k}"`, { option: k },
        `use one of: ${[...KNOWN_KEYS].join(', ')}`);
    }
  }
  const c = { ...defaultSimulatorConfig, ...config } as SimulatorConfig;
  checkNumber('seed', c.seed, -(2 ** 53), 2 ** 53, false);
  checkNumber('nIndustries', c.nIndustries, 2, 60, true);
  const minStocks = c.nIndustries * 5;
  if (typeof c.nStocks !== 'number' || !Number.isInteger(c.nStocks) || c.nStocks < minStocks || c.nStocks > 20000) {
    throw bad('nStocks', c.nStocks, `pass an integer in [${minStocks}, 20000] (at least 5 stocks per industry for ${c.nIndustries} industries)`);
  }
  if (typeof c.startDate !== 'string' || !isIsoDate(c.startDate) || c.startDate < '1990-01-01' || c.startDate > '2090-01-01') {
    throw bad('startDate', c.startDate, 'write an ISO date yyyy-mm-dd between 1990-01-01 and 2090-01-01');
  }
  if (typeof c.years !== 'number' || !Number.isFinite(c.years) || c.years <= 0 || c.years > 60) {
    throw bad('years', c.years, 'pass a number of years in (0, 60]; at least 2 gives the monthly signals room');
  }
  checkNumber('listedAtStartFraction', c.listedAtStartFraction, 0.05, 1, false);
  checkNumber('delistFraction', c.delistFraction, 0, 0.5, false);
  checkNumber('industryChangeFraction', c.industryChangeFraction, 0, 0.5, false);
  checkNumber('suspensionRate', c.suspensionRate, 0, 0.05, false);
  checkNumber('priceLimit', c.priceLimit, 0.01, 1, false);
  checkNumber('signalStrength', c.signalStrength, 0, 3, false);
  checkNumber('switchOffFraction', c.switchOffFraction, 0, 1, false);
  checkNumber('benchmarkSize', c.benchmarkSize, 10, 5000, true);
  checkNumber('brokers', c.brokers, 1, 500, true);
  const plantedIc = checkIcs('plantedIc', c.plantedIc, INDUSTRY_FACTORS, DEFAULT_PLANTED_IC);
  const stockPlantedIc = checkIcs('stockPlantedIc', c.stockPlantedIc, STOCK_FACTORS, DEFAULT_STOCK_PLANTED_IC);
  if (c.reseed !== undefined) {
    const r = c.reseed as unknown;
    if (r === null || typeof r !== 'object' || typeof (r as { from?: unknown }).from !== 'string' || !isIsoDate((r as { from: string }).from)) {
      throw bad('reseed', r, 'pass { from: "yyyy-mm-dd", seed: <number> } or leave it out');
    }
    checkNumber('reseed.seed', (r as { seed?: unknown }).seed, -(2 ** 53), 2 ** 53, false);
  }
  return { ...c, plantedIc, stockPlantedIc };
}
