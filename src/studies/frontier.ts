/**
 * The turnover frontier (issue 19 item 4): how much excess return after costs each unit of
 * turnover buys, for the two ways the model can trade less, with the baselines as single points.
 *
 * - Turnover budget of the score optimizer. Swept as a ONE-WAY budget b per rebalance (the
 *   fraction of the portfolio bought, = sold); the spec's `turnoverBudget` is two-sided
 *   (Σ_i |w_i − w_prev,i| <= τ, src/portfolio/optimizer.ts), so each point runs τ = 2b.
 *   Default grid b ∈ {5, 10, 20, 30, 45, 60, 80, 100}% (τ up to 2, the spec's maximum).
 * - Holding buffer of the top-k model: hold an industry until it leaves the top k + buffer
 *   (src/portfolio/weights.ts topKBufferedWeights), buffer ∈ {0, 1, 2, 3, 5, 8}.
 *
 * Every point is a spec variant run by `runModel` on one common window (the latest first
 * rebalance over all specs), at the spec's costs (10 bps per unit traded in the house specs):
 *   x = annual one-way turnover (summary `turnover`), y = arithmetic excess over equal weight
 *   after costs (summary `arithmeticExcess` = mean active return per period × periods per year),
 * plus the in-sample (to spec.split) and out-of-sample information ratios.
 *
 * Choice rule (stated before looking at out-of-sample numbers): the budget with the highest
 * IN-SAMPLE IR; IRs equal to two decimals tie, and a tie goes to the lower budget (less turnover).
 * `budgetChoice` reports the chosen budget's out-of-sample IR next to the default spec's, and the
 * choice "held out of sample" when its OOS IR >= the default's. The default spec is never changed
 * by code: the notebook reports what happened.
 *
 * Errors: FRONTIER_BAD_BUDGET (a one-way budget not a finite number, or above 1 = a full
 * round trip), FRONTIER_BUDGET_BELOW_MINIMUM (a budget <= 0, which could never trade, or a budget
 * the optimizer had to relax on every rebalance after the first: it names the largest forced
 * turnover, the minimum feasible), FRONTIER_BAD_SPEC (the sweep spec has the wrong allocator),
 * FRONTIER_BAD_BUFFER (a negative or fractional buffer).
 */
import { RotationError } from '../errors.js';
import { runModel, rebalanceSchedule, type ModelRun } from '../model/run.js';
import { modelScore } from '../model/score.js';
import type { ModelContext } from '../model/context.js';
import { variantOf, type ModelSpec } from '../model/spec.js';

/** One-way turnover budgets per rebalance swept by default. */
export const DEFAULT_ONE_WAY_BUDGETS: readonly number[] = Object.freeze([0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1]);
/** Top-k holding buffers swept by default. */
export const DEFAULT_BUFFERS: readonly number[] = Object.freeze([0, 1, 2, 3, 5, 8]);

export type FrontierFamily = 'turnover budget' | 'holding buffer' | 'baseline';

export interface FrontierPoint {
  family: FrontierFamily;
  /** e.g. "budget 30%", "buffer 2", or the baseline's name. */
  label: string;
  /** One-way budget (fraction) or buffer (industries); NaN for a baseline. */
  parameter: number;
  spec: string;
  /** Annual one-way turnover, whole common window. */
  turnover: number;
  /** Arithmetic excess over equal weight after costs (annualized), whole common window. */
  excess: number;
  /** Information ratio, whole / in-sample / out-of-sample. */
  ir: number;
  isIr: number;
  oosIr: number;
  oosExcess: number;
  /** Rebalances where the optimizer had to raise the turnover budget (0 for non-optimizer points). */
  relaxedDates: number;
}

export interface TurnoverFrontier {
  /** First rebalance date of the common window. */
  start: string;
  split: string;
  costBps: number;
  points: FrontierPoint[];
  runs: ModelRun[];
}

export interface FrontierOptions {
  /** A score-optimizer spec (models/optimizer.json): swept over the budgets. */
  optimizer: ModelSpec;
  /** A top-k spec (models/default.json): swept over the buffers. */
  topK: ModelSpec;
  /** Baselines shown as single points (MVO sample, MVO Ledoit-Wolf, HMM, momentum 12-1M, equal weight). */
  baselines?: readonly ModelSpec[];
  budgets?: readonly number[];
  buffers?: readonly number[];
}

/** FRONTIER_BAD_BUDGET / FRONTIER_BUDGET_BELOW_MINIMUM for a one-way budget before any run. */
export function checkOneWayBudget(b: number): void {
  if (typeof b !== 'number' || Number.isNaN(b) || b === Infinity) {
    throw new RotationError('FRONTIER_BAD_BUDGET', `turnover budget ${String(b)} is not a finite number`, { budget: String(b) }, 'pass one-way budgets as fractions, e.g. 0.05 .. 1');
  }
  if (!(b > 0)) {
    throw new RotationError('FRONTIER_BUDGET_BELOW_MINIMUM', `one-way turnover budget ${b} is below the minimum feasible: a budget <= 0 can never trade after the first rebalance`,
      { budget: b, minimum: '> 0' }, 'use a positive budget, e.g. 0.05 (5% of the portfolio bought per rebalance)');
  }
  if (b > 1) {
    throw new RotationError('FRONTIER_BAD_BUDGET', `one-way turnover budget ${b} exceeds 1 (selling the whole portfolio and buying a new one)`, { budget: b, maximum: 1 },
      'pass one-way budgets <= 1 (the spec\'s two-sided turnoverBudget is 2 x the one-way budget, at most 2)');
  }
}

/** Rebalances of a run where the turnover budget was relaxed, and the largest budget the relaxation needed (two-sided). */
export function budgetRelaxations(run: ModelRun): { dates: number; largestForced: number } {
  let dates = 0, largest = 0;
  for (const d of run.walk.diagnostics) {
    const r = d.relaxed.filter((x) => x.constraint === 'turnover-budget');
    if (r.length) { dates++; for (const x of r) if (Number.isFinite(x.to) && x.to > largest) largest = x.to; }
  }
  return { dates, largestForced: largest };
}

function point(family: FrontierFamily, label: string, parameter: number, run: ModelRun): FrontierPoint {
  const [whole, ins, oos] = run.windows;
  return {
    family, label, parameter, spec: run.spec.name, turnover: whole.summary.values.turnover, excess: whole.summary.values.arithmeticExcess,
    ir: whole.summary.values.informationRatio, isIr: ins.summary.values.informationRatio, oosIr: oos ? oos.summary.values.informationRatio : NaN,
    oosExcess: oos ? oos.summary.values.arithmeticExcess : NaN, relaxedDates: family === 'turnover budget' ? budgetRelaxations(run).dates : 0,
  };
}

/** Percent label of a fraction (0.05 → "5%"). */
function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/** The frontier (module comment). */
export function turnoverFrontier(ctx: ModelContext, options: FrontierOptions): TurnoverFrontier {
  const opt = options.optimizer, top = options.topK;
  if (opt.allocator.name !== 'score-optimizer') {
    throw new RotationError('FRONTIER_BAD_SPEC', `the budget sweep needs a score-optimizer spec, got "${opt.name}" (${opt.allocator.name})`, { spec: opt.name }, 'pass models/optimizer.json');
  }
  if (top.allocator.name !== 'top-k') {
    throw new RotationError('FRONTIER_BAD_SPEC', `the buffer sweep needs a top-k spec, got "${top.name}" (${top.allocator.name})`, { spec: top.name }, 'pass models/default.json');
  }
  const budgets = options.budgets ?? DEFAULT_ONE_WAY_BUDGETS, buffers = options.buffers ?? DEFAULT_BUFFERS;
  for (const b of budgets) checkOneWayBudget(b);
  for (const b of buffers) {
    if (!Number.isInteger(b) || b < 0) throw new RotationError('FRONTIER_BAD_BUFFER', `holding buffer ${b} must be a whole number >= 0`, { buffer: b }, 'pass buffers such as 0, 1, 2, 3');
  }
  const baselines = options.baselines ?? [];
  const all = [opt, top, ...baselines];
  const start = all.reduce((m, s) => {
    const d = rebalanceSchedule(s, modelScore(s, ctx).scored).dates[0] ?? '';
    return d > m ? d : m;
  }, '');
  const runs: ModelRun[] = [], points: FrontierPoint[] = [];
  const base = opt.allocator;
  for (const b of budgets) {
    const spec = variantOf(opt, { name: `${opt.name}, budget ${pct(b)} one-way`, allocator: { ...base, turnoverBudget: 2 * b } });
    const run = runModel(spec, ctx, { start });
    const rel = budgetRelaxations(run);
    if (run.walk.dates.length > 1 && rel.dates >= run.walk.dates.length - 1) {
      throw new RotationError('FRONTIER_BUDGET_BELOW_MINIMUM', `one-way turnover budget ${pct(b)} is below the minimum feasible on ${ctx.ds.name}: the optimizer had to raise it on every rebalance`,
        { budget: b, rebalances: run.walk.dates.length, relaxed: rel.dates, minimumOneWay: rel.largestForced / 2 }, `use a one-way budget of at least ${pct(rel.largestForced / 2)}`);
    }
    runs.push(run);
    points.push(point('turnover budget', `budget ${pct(b)}`, b, run));
  }
  for (const b of buffers) {
    const spec = variantOf(top, { name: `${top.name}, buffer ${b}`, allocator: { name: 'top-k', k: top.allocator.k, buffer: b } });
    const run = runModel(spec, ctx, { start });
    runs.push(run);
    points.push(point('holding buffer', `buffer ${b}`, b, run));
  }
  for (const s of baselines) {
    const run = runModel(s, ctx, { start });
    runs.push(run);
    points.push(point('baseline', s.name, NaN, run));
  }
  return { start, split: opt.split, costBps: opt.costs.bps, points, runs };
}

export interface BudgetChoice {
  rule: string;
  /** One-way budgets: chosen by the rule, and the default spec's (τ/2). */
  chosen: number;
  defaultBudget: number;
  chosenIsIr: number;
  chosenOosIr: number;
  defaultIsIr: number;
  defaultOosIr: number;
  /** Chosen OOS IR >= default OOS IR. */
  held: boolean;
  sentence: string;
}

/** The IR-rounding tie rule of the module comment: round to 2 decimals. */
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * The budget the in-sample rule picks (module comment) and whether it held out of sample against
 * the default spec's budget (which must be one of the swept budgets: FRONTIER_DEFAULT_NOT_SWEPT).
 */
export function budgetChoice(frontier: TurnoverFrontier, defaultSpec: ModelSpec): BudgetChoice {
  if (defaultSpec.allocator.name !== 'score-optimizer') {
    throw new RotationError('FRONTIER_BAD_SPEC', `the default must be a score-optimizer spec, got "${defaultSpec.name}"`, { spec: defaultSpec.name }, 'pass models/optimizer.json');
  }
  const pts = frontier.points.filter((p) => p.family === 'turnover budget' && Number.isFinite(p.isIr));
  const defB = defaultSpec.allocator.turnoverBudget / 2;
  const def = pts.find((p) => Math.abs(p.parameter - defB) < 1e-12);
  if (!def || pts.length === 0) {
    throw new RotationError('FRONTIER_DEFAULT_NOT_SWEPT', `the default one-way budget ${pct(defB)} is not among the swept budgets`, { default: defB, swept: pts.map((p) => p.parameter) },
      `add ${defB} to the budgets`);
  }
  const best = [...pts].sort((a, b) => round2(b.isIr) - round2(a.isIr) || a.parameter - b.parameter)[0];
  const held = best.oosIr >= def.oosIr;
  const same = best === def;
  const sentence = same
    ? `The in-sample rule picks the default budget itself (${pct(best.parameter)} one-way, IS IR ${best.isIr.toFixed(2)}); out of sample it has IR ${best.oosIr.toFixed(2)}: the default spec stands.`
    : `The in-sample rule picks a ${pct(best.parameter)} one-way budget (IS IR ${best.isIr.toFixed(2)} vs ${def.isIr.toFixed(2)} for the default ${pct(defB)}); ` +
      `out of sample it has IR ${best.oosIr.toFixed(2)} against the default's ${def.oosIr.toFixed(2)}: the choice ${held ? 'held' : 'did not hold'} out of sample` +
      `${held ? '' : ', so the default spec keeps its budget'}.`;
  return {
    rule: 'highest in-sample IR (to spec.split); IRs equal to 2 decimals tie, ties to the lower budget', chosen: best.parameter, defaultBudget: defB,
    chosenIsIr: best.isIr, chosenOosIr: best.oosIr, defaultIsIr: def.isIr, defaultOosIr: def.oosIr, held, sentence,
  };
}

/** Table rows of the frontier (fractions; the notebook formats them). */
export function frontierRows(f: TurnoverFrontier): Record<string, string | number>[] {
  return f.points.map((p) => ({
    family: p.family, point: p.label, turnover: p.turnover, excess: p.excess, 'IS IR': p.isIr, 'OOS IR': p.oosIr, 'OOS excess': p.oosExcess, 'budget relaxed (rebalances)': p.relaxedDates,
  }));
}
