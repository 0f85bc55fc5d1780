/**
 * Does the evaluation recover what the simulator planted? Over S >= 2 seeds, each seed simulates
 * the market (`simulateMarket({ ...config, seed })`) and measures, for every planted industry
 * signal, the mean monthly rank IC of the simulator's own month-end factor values
 * (truth.industryFactors) against the next month's industry index return, with the project's
 * evaluation path (`forwardReturnsFromPrices` on the month ends, `icForHorizon` at 1M).
 *
 * One seed is not evidence: the standard error of one seed's mean IC (~0.19/√108 ≈ 0.018 for 30
 * industries over 10 years) is as large as a planted effect of 0.02. Across seeds, per signal:
 *
 *   m_s   = mean over the months of seed s of the rank IC        (the seed's recovered IC)
 *   m̄     = (1/S) Σ_s m_s,   se = std(m_s, ddof 1)/√S           (seeds are independent)
 *   z     = (m̄ − planted)/se,  pass ⇔ |m̄ − planted| <= zMax·se  (default zMax = 3)
 *
 * The switch-off factor gives two rows: before `truth.switchOff.date` (planted icBefore) and from
 * that date on (planted icAfter = 0). Stock-level signals are not covered here (their recovery is
 * measured net of a no-signal simulation, see docs/simulator.md).
 */
import { RotationError } from '../errors.js';
import { simulateMarket, type SimulatorConfig } from '../data/simulator.js';
import { icForHorizon } from './crossSection.js';
import { forwardReturnsFromPrices } from './forwardReturns.js';

/** Options of `validateSimulatorRecovery`. */
export interface SimulatorValidationOptions {
  /** Seeds, at least 2, distinct integers (16 or more for a stated validation). */
  seeds: readonly number[];
  /** Simulator options applied to every seed (`seed` is overridden), e.g. { nStocks: 150, years: 10 }. */
  config?: Partial<Omit<SimulatorConfig, 'seed'>>;
  /** Pass when |m̄ − planted| <= zMax·se. Default 3. */
  zMax?: number;
}

/** Planted vs recovered for one signal (and window). */
export interface PlantedSignalRecovery {
  /** Factor name of the simulator. */
  signal: string;
  /** 'whole sample', or for the switch-off factor 'before switch' / 'after switch'. */
  window: 'whole sample' | 'before switch' | 'after switch';
  planted: number;
  /** m̄: mean over seeds of each seed's mean monthly rank IC. */
  meanRecovered: number;
  /** std(m_s, ddof 1)/√S. */
  stdError: number;
  /** (m̄ − planted)/se. */
  z: number;
  pass: boolean;
  /** Share of seeds whose mean IC has the planted sign (NaN when planted = 0). */
  signAgreement: number;
  /** m_s per seed, in the order of `seeds`. */
  perSeed: number[];
  /** Monthly ICs pooled over the seeds. */
  months: number;
}

export interface SimulatorValidation {
  seeds: number[];
  zMax: number;
  rows: PlantedSignalRecovery[];
  /** Every row passes. */
  allPass: boolean;
}

function checkSeeds(seeds: readonly number[]): void {
  if (!Array.isArray(seeds) || seeds.length < 2) {
    throw new RotationError('EVAL_TOO_FEW_SEEDS',
      `A simulator validation needs at least 2 seeds (a standard error across seeds), got ${Array.isArray(seeds) ? seeds.length : String(seeds)}`,
      { argument: 'seeds', count: Array.isArray(seeds) ? seeds.length : 0, minimum: 2 },
      'pass at least 2 distinct seeds; 16 or more for a stated validation (e.g. seeds 101..116)');
  }
  const seen = new Set<number>();
  for (const s of seeds) {
    if (!Number.isInteger(s)) {
      throw new RotationError('EVAL_BAD_ARGUMENT', `Seed ${String(s)} is not an integer`, { argument: 'seeds', seed: String(s) }, 'pass integer seeds');
    }
    if (seen.has(s)) {
      throw new RotationError('EVAL_BAD_ARGUMENT', `Seed ${s} is listed twice: the seeds would not be independent`, { argument: 'seeds', seed: s },
        'list each seed once');
    }
    seen.add(s);
  }
}

/**
 * Planted vs recovered rank IC of every planted industry signal over the seeds (see the module
 * comment for the statistics and the pass rule). Errors: EVAL_TOO_FEW_SEEDS (fewer than 2),
 * EVAL_BAD_ARGUMENT (a non-integer or repeated seed, zMax <= 0), SIM_CONFIG (a bad simulator option).
 */
export function validateSimulatorRecovery(options: SimulatorValidationOptions): SimulatorValidation {
  checkSeeds(options.seeds);
  const zMax = options.zMax ?? 3;
  if (!(zMax > 0) || !Number.isFinite(zMax)) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `zMax must be a positive number, got ${zMax}`, { argument: 'zMax' }, 'pass e.g. 3 (standard errors)');
  }
  type Acc = { signal: string; window: PlantedSignalRecovery['window']; planted: number; perSeed: number[]; months: number };
  const acc = new Map<string, Acc>();
  const add = (signal: string, window: Acc['window'], planted: number, seedMean: number, months: number): void => {
    const key = `${signal}|${window}`;
    let a = acc.get(key);
    if (!a) { a = { signal, window, planted, perSeed: [], months: 0 }; acc.set(key, a); }
    a.perSeed.push(seedMean);
    a.months += months;
  };
  for (const seed of options.seeds) {
    const { dataset, truth } = simulateMarket({ ...(options.config ?? {}), seed });
    const fr = forwardReturnsFromPrices(dataset.industryBars.close, { horizons: [1], rebalance: truth.monthEnds, periodsPerYear: 12 });
    for (const [name, planted] of Object.entries(truth.plantedIc)) {
      const ic = icForHorizon(truth.industryFactors[name as keyof typeof truth.industryFactors], fr, 1);
      const isSwitch = name === truth.switchOff.factor;
      const windows: [Acc['window'], number, (d: string) => boolean][] = isSwitch
        ? [['before switch', truth.switchOff.icBefore, (d) => d < truth.switchOff.date], ['after switch', truth.switchOff.icAfter, (d) => d >= truth.switchOff.date]]
        : [['whole sample', planted, () => true]];
      for (const [window, p, inWindow] of windows) {
        let s = 0, c = 0;
        for (let k = 0; k < ic.ic.length; k++) {
          const v = ic.ic[k];
          if (v === v && inWindow(ic.dates[k])) { s += v; c++; }
        }
        add(name, window, p, c > 0 ? s / c : NaN, c);
      }
    }
  }
  const S = options.seeds.length;
  const rows: PlantedSignalRecovery[] = [];
  for (const a of acc.values()) {
    const m = a.perSeed.reduce((u, x) => u + x, 0) / S;
    const ss = a.perSeed.reduce((u, x) => u + (x - m) * (x - m), 0);
    const se = Math.sqrt(ss / (S - 1)) / Math.sqrt(S);
    const z = se > 0 ? (m - a.planted) / se : NaN;
    const agree = a.planted === 0 ? NaN : a.perSeed.filter((x) => Math.sign(x) === Math.sign(a.planted)).length / S;
    rows.push({
      signal: a.signal, window: a.window, planted: a.planted, meanRecovered: m, stdError: se, z,
      pass: Number.isFinite(m) && Math.abs(m - a.planted) <= zMax * se, signAgreement: agree, perSeed: a.perSeed, months: a.months,
    });
  }
  return { seeds: options.seeds.slice(), zMax, rows, allPass: rows.every((r) => r.pass) };
}

/** Display rows (signal, window, planted, mean recovered, se, z, pass, sign agreement) with fixed decimals. */
export function simulatorValidationTable(v: SimulatorValidation): Record<string, string>[] {
  const f = (x: number, d: number): string => (Number.isFinite(x) ? (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(d) : '–');
  return v.rows.map((r) => ({
    signal: r.signal, window: r.window, planted: f(r.planted, 3), 'mean recovered': f(r.meanRecovered, 4), 'std error': r.stdError.toFixed(4),
    z: f(r.z, 2), [`pass (|z| <= ${v.zMax})`]: r.pass ? 'pass' : 'FAIL', 'seeds with planted sign': Number.isFinite(r.signAgreement) ? `${Math.round(r.signAgreement * v.seeds.length)}/${v.seeds.length}` : '–',
  }));
}
