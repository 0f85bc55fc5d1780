/**
 * HiGHS (WebAssembly) wrapper and the score optimizer.
 *
 * Load the solver once and pass it in (no module-level state):
 *
 *   const solver = await loadSolver();
 *   const res = optimizeScoreWeights(solver, { industries, scores, previous, constraints: { caps: 0.1, turnoverBudget: 0.4 } });
 *
 * Problems go through the array API. A MIP or QP is solved on a fresh HiGHS model that is freed
 * after the solve (`withModel`). An LP is solved on one HiGHS model that the solver keeps: when the
 * next LP has the same constraint matrix (same columns, rows and coefficients), only its costs,
 * bounds and sense are changed (`changeColsCost`, `changeColsBounds`, `changeRowsBounds`), otherwise
 * the whole LP is passed; either way the solver state (basis, solution) and the clocks (the time
 * limit is per solve) are cleared first, so every solve starts from scratch and returns, bit for
 * bit, what a fresh model returns (unit-tested on random LP sequences; an LP that is not optimal
 * is solved again on a fresh model, because HiGHS may leave the previous solution's values behind
 * when presolve ends the run). This saves creating a model, setting its options and copying the
 * matrix for each solve: an enhancement walk's months share one matrix while the universe is
 * unchanged.
 * Score optimizer (linear, or a MIP with a holdings limit):
 *
 *   maximize   sum_i a s_i w_i  -  (kappa + c) sum_i t_i
 *   subject to sum_i w_i = 1,  floor_i <= w_i <= cap_i  (w_i = 0 where the score is NaN),
 *              t_i >= w_i - w_prev,i,  t_i >= w_prev,i - w_i            (only with previous weights)
 *              sum_i t_i <= tau - (weight of removed industries)         (turnover budget)
 *              w_i <= cap_i z_i,  sum_i z_i <= K,  z_i in {0, 1}         (holdings limit, MIP)
 *
 * with a = scoreScale (default 1), kappa the turnover penalty and c the proportional cost rate
 * (both per unit of two-sided turnover, so the objective is expected score net of costs).
 * Feasibility is checked and relaxed first (constraints.ts); every returned vector passes
 * `checkWeights` against the (relaxed) caps.
 */
import highsLoader from 'highs';
import type { Highs, Model as HighsModel, ModelData } from 'highs';
import { RotationError } from '../errors.js';
import {
  checkFeasibility, cloneConstraints, relaxNextForSolver, relaxToFeasible, resolveConstraints,
  type ConstraintSet, type ConstraintSpec, type FeasibilityReport,
} from './constraints.js';
import type { AllocationContext, Allocator, RelaxationRecord, WeightVector } from './types.js';
import {
  checkWeights, eligibleFromScores, finishAllocation, newDiagnostics, polishSum, preferenceOrder, validateContext,
} from './weights.js';

/** The HiGHS model kept for the next LP (see the module comment) and what it holds. */
interface KeptLp {
  readonly model: HighsModel;
  /** Options set on the model, as JSON (other options get a new model). */
  options: string;
  numCols: number;
  numRows: number;
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/**
 * A loaded HiGHS runtime (load once with `loadSolver`, reuse everywhere) and the LP model it keeps
 * between solves. Use one solver per thread; solves on it are synchronous.
 */
export interface Solver {
  readonly highs: Highs;
  /** false: every LP on a fresh model, as MIPs and QPs are (the reference the kept model is tested against). */
  readonly reuseLpModel: boolean;
  /** @internal The kept LP model, or null before the first LP or after a failed solve. */
  kept: KeptLp | null;
}

/**
 * Load the HiGHS WebAssembly runtime (about 50 ms). Call once per process (or thread) and pass the
 * result in. `reuseLpModel: false` solves every LP on a fresh model (slower, same numbers).
 */
export async function loadSolver(options: { reuseLpModel?: boolean } = {}): Promise<Solver> {
  return { highs: await highsLoader(), reuseLpModel: options.reuseLpModel ?? true, kept: null };
}

/** Free the kept LP model (the solver stays usable: the next LP creates a new one). */
export function releaseSolverModel(solver: Solver): void {
  solver.kept?.model.dispose();
  solver.kept = null;
}

/** One linear row lower <= sum_k values[k] x[indices[k]] <= upper (either bound may be infinite). */
export interface LinearRow {
  readonly name: string;
  readonly indices: readonly number[];
  readonly values: readonly number[];
  readonly lower: number;
  readonly upper: number;
}

/**
 * A linear, quadratic or mixed-integer problem:
 *   minimize (or maximize) cost' x + 1/2 x' Q x,  lower <= x <= upper,  rows,  x_j integer where integer[j].
 * Q is a dense symmetric matrix over the first `hessian.dim` columns (row-major), the rest 0;
 * it must be PSD for minimization (NSD for maximization).
 */
export interface OptimizationProblem {
  readonly sense: 'minimize' | 'maximize';
  readonly colNames: readonly string[];
  readonly cost: ArrayLike<number>;
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  readonly integer?: ArrayLike<number>;
  readonly rows: readonly LinearRow[];
  readonly hessian?: { readonly dim: number; readonly values: Float64Array };
  /** Relative MIP gap (default 1e-7). */
  readonly mipRelGap?: number;
  /** Seconds (default 10). */
  readonly timeLimit?: number;
  /** Extra HiGHS options (snake_case names), applied last. */
  readonly options?: Readonly<Record<string, string | number | boolean>>;
}

export type SolveStatus = 'optimal' | 'infeasible' | 'unbounded' | 'limit' | 'error';

export interface SolveResult {
  readonly status: SolveStatus;
  /** HiGHS model status code (7 optimal, 8 infeasible, 9 unbounded or infeasible, 10 unbounded, 13 time limit ...). */
  readonly modelStatus: number;
  readonly x: Float64Array;
  readonly objective: number;
  readonly rowActivity: Float64Array;
}

/**
 * Solve `problem` with HiGHS (array API, model disposed after the call; output silenced).
 * Returns the status instead of throwing on infeasible/unbounded; throws OPT_BAD_PROBLEM on
 * malformed input (NaN coefficients, shape errors).
 */
export function solveProblem(solver: Solver, problem: OptimizationProblem): SolveResult {
  const n = problem.colNames.length, m = problem.rows.length;
  const check = (arr: ArrayLike<number>, what: string, allowInf: boolean): void => {
    if (arr.length !== n) {
      throw new RotationError('OPT_BAD_PROBLEM', `${what} has ${arr.length} entries for ${n} columns`, { field: what }, 'pass one entry per variable');
    }
    for (let j = 0; j < n; j++) {
      const v = arr[j];
      if (Number.isNaN(v) || (!allowInf && !Number.isFinite(v))) {
        throw new RotationError('OPT_BAD_PROBLEM', `${what}[${j}] = ${v}`, { field: what, column: problem.colNames[j] },
          'objective coefficients must be finite and bounds not NaN; check the scores / expected returns for NaN');
      }
    }
  };
  check(problem.cost, 'cost', false);
  check(problem.lower, 'lower', true);
  check(problem.upper, 'upper', true);
  // CSR rows.
  const starts: number[] = [0], indices: number[] = [], values: number[] = [];
  const rowLower: number[] = [], rowUpper: number[] = [];
  for (const r of problem.rows) {
    for (let k = 0; k < r.indices.length; k++) {
      const v = r.values[k];
      if (!Number.isFinite(v)) {
        throw new RotationError('OPT_BAD_PROBLEM', `Row ${r.name} has coefficient ${v}`, { row: r.name }, 'row coefficients must be finite');
      }
      if (v === 0) continue;
      indices.push(r.indices[k]); values.push(v);
    }
    starts.push(indices.length);
    rowLower.push(r.lower); rowUpper.push(r.upper);
  }
  const model: ModelData = {
    numCols: n,
    numRows: m,
    sense: problem.sense === 'maximize' ? solver.highs.constants.objectiveSense.maximize : solver.highs.constants.objectiveSense.minimize,
    colCost: Float64Array.from(problem.cost as ArrayLike<number>),
    colLower: Float64Array.from(problem.lower as ArrayLike<number>),
    colUpper: Float64Array.from(problem.upper as ArrayLike<number>),
    rowLower, rowUpper,
    matrix: { format: 'csr', numRows: m, numCols: n, starts, indices, values },
    integrality: problem.integer ? Int32Array.from(problem.integer as ArrayLike<number>) : undefined,
    hessian: problem.hessian ? lowerTriangleCsc(problem.hessian.values, problem.hessian.dim, n) : undefined,
  };
  const options: Record<string, string | number | boolean> = {
    output_flag: false,
    time_limit: problem.timeLimit ?? 10,
    primal_feasibility_tolerance: 1e-9,
    dual_feasibility_tolerance: 1e-9,
    ...(problem.integer ? { mip_rel_gap: problem.mipRelGap ?? 1e-7, mip_feasibility_tolerance: 1e-9 } : {}),
    ...(problem.options ?? {}),
  };
  const onKeptModel = solver.reuseLpModel && !problem.integer && !problem.hessian && n > 0;
  try {
    return onKeptModel ? solveOnKeptModel(solver, model, options, starts, indices, values) : solveOnFreshModel(solver, model, options);
  } catch (e) {
    // A native HiGHS error (status -1) is reported as status 'error', not thrown through; the kept
    // model, whose state is then unknown, is dropped.
    if (onKeptModel) releaseSolverModel(solver);
    if (e instanceof RotationError) throw e;
    return { status: 'error', modelStatus: -1, x: new Float64Array(n).fill(NaN), objective: NaN, rowActivity: new Float64Array(m).fill(NaN) };
  }
}

/**
 * Solve an LP on the solver's kept model (module comment): with the same options and the same
 * matrix (rows in CSR: starts, indices, values) as the LP it holds, change the sense, costs and
 * bounds; otherwise pass the whole LP (on a new model when the options differ). The solver state and
 * the clocks are cleared before the run, so the result does not depend on the previous solve.
 */
function solveOnKeptModel(
  solver: Solver, model: ModelData, options: Record<string, string | number | boolean>,
  starts: readonly number[], indices: readonly number[], values: readonly number[],
): SolveResult {
  const optionsKey = JSON.stringify(options);
  if (solver.kept && solver.kept.options !== optionsKey) releaseSolverModel(solver);
  let kept = solver.kept;
  if (kept && sameMatrix(kept, model.numCols, model.numRows, starts, indices, values)) {
    const mdl = kept.model, cols = { kind: 'range', from: 0, to: model.numCols - 1 } as const;
    mdl.changeObjectiveSense(model.sense!);
    mdl.changeColsCost(cols, model.colCost!);
    mdl.changeColsBounds(cols, model.colLower!, model.colUpper!);
    if (model.numRows > 0) mdl.changeRowsBounds({ kind: 'range', from: 0, to: model.numRows - 1 }, model.rowLower!, model.rowUpper!);
  } else {
    if (!kept) {
      const mdl = solver.highs.createModel();
      mdl.options.set(options);
      kept = { model: mdl, options: optionsKey, numCols: 0, numRows: 0, starts: new Int32Array(0), indices: new Int32Array(0), values: new Float64Array(0) };
      solver.kept = kept;
    }
    kept.model.passModel(model);
    kept.numCols = model.numCols; kept.numRows = model.numRows;
    kept.starts = Int32Array.from(starts); kept.indices = Int32Array.from(indices); kept.values = Float64Array.from(values);
  }
  kept.model.clearSolver();
  kept.model.zeroAllClocks(); // HiGHS's run clock adds up over runs; time_limit is per solve
  const res = runAndRead(solver, kept.model);
  if (res.status === 'optimal') return res;
  // When presolve alone ends the run (e.g. infeasible), HiGHS leaves the previous solve's values in
  // the solution; a fresh model reports zeros. So a non-optimal LP is solved again on a fresh model
  // (rare: relaxation paths), and the kept model is dropped.
  releaseSolverModel(solver);
  return solveOnFreshModel(solver, model, options);
}

/** Solve on a new HiGHS model, freed after the call. */
function solveOnFreshModel(solver: Solver, model: ModelData, options: Record<string, string | number | boolean>): SolveResult {
  return solver.highs.withModel(model, (mdl) => {
    mdl.options.set(options);
    return runAndRead(solver, mdl);
  });
}

/** Whether the kept LP has this shape and these CSR rows, coefficient for coefficient. */
function sameMatrix(kept: KeptLp, numCols: number, numRows: number, starts: readonly number[], indices: readonly number[], values: readonly number[]): boolean {
  if (kept.numCols !== numCols || kept.numRows !== numRows || kept.indices.length !== indices.length) return false;
  for (let r = 0; r <= numRows; r++) if (kept.starts[r] !== starts[r]) return false;
  for (let k = 0; k < indices.length; k++) if (kept.indices[k] !== indices[k] || kept.values[k] !== values[k]) return false;
  return true;
}

/** Run HiGHS on `mdl` and read the status, solution and objective. */
function runAndRead(solver: Solver, mdl: HighsModel): SolveResult {
  const run = mdl.run();
  const code = run.modelStatus as number;
  const st = solver.highs.constants.modelStatus;
  const status: SolveStatus = code === st.optimal ? 'optimal'
    : code === st.infeasible || code === st.unboundedOrInfeasible ? 'infeasible'
      : code === st.unbounded ? 'unbounded'
        : code === st.timeLimit || code === st.iterationLimit || code === st.interrupted || code === st.solutionLimit ? 'limit' : 'error';
  const sol = mdl.getSolution();
  return { status, modelStatus: code, x: Float64Array.from(sol.colValue), objective: mdl.getObjectiveValue(), rowActivity: Float64Array.from(sol.rowValue) };
}

/** Lower triangle (row >= col) of a dense symmetric dim x dim matrix, in CSC, padded to n columns. */
function lowerTriangleCsc(q: Float64Array, dim: number, n: number): { format: 'triangular'; dimension: number; starts: number[]; indices: number[]; values: number[] } {
  if (q.length !== dim * dim || dim > n) {
    throw new RotationError('OPT_BAD_PROBLEM', `Hessian has ${q.length} entries for dimension ${dim}`, { field: 'hessian' }, 'pass a dense dim x dim matrix');
  }
  const starts: number[] = [0], indices: number[] = [], values: number[] = [];
  for (let j = 0; j < n; j++) {
    if (j < dim) {
      for (let i = j; i < dim; i++) {
        const v = q[i * dim + j];
        if (!Number.isFinite(v)) {
          throw new RotationError('OPT_BAD_PROBLEM', `Hessian entry (${i}, ${j}) = ${v}`, { field: 'hessian' }, 'the covariance must be finite');
        }
        if (v !== 0) { indices.push(i); values.push(v); }
      }
    }
    starts.push(indices.length);
  }
  return { format: 'triangular', dimension: n, starts, indices, values };
}

/**
 * Append turnover auxiliaries to a problem over w = x[0..n): t_i = x[n + i] with
 *   w_i - t_i <= w_prev,i,   -w_i - t_i <= -w_prev,i   (so t_i >= |w_i - w_prev,i|),
 * and, when `budget` is finite, sum_i t_i <= budget. Returns the rows; the caller adds the t columns.
 */
export function turnoverRows(n: number, prev: ArrayLike<number>, budget: number, names: readonly string[]): LinearRow[] {
  const rows: LinearRow[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({ name: `tplus_${names[i]}`, indices: [i, n + i], values: [1, -1], lower: -Infinity, upper: prev[i] });
    rows.push({ name: `tminus_${names[i]}`, indices: [i, n + i], values: [-1, -1], lower: -Infinity, upper: -prev[i] });
  }
  if (budget !== Infinity) {
    rows.push({ name: 'turnover_budget', indices: Array.from({ length: n }, (_, i) => n + i), values: new Array(n).fill(1), lower: -Infinity, upper: budget });
  }
  return rows;
}

export interface ScoreOptimizerInput {
  readonly industries: readonly string[];
  /** Expected score per industry (NaN = excluded, weight 0). */
  readonly scores: ArrayLike<number>;
  readonly previous?: WeightVector;
  readonly constraints?: ConstraintSpec;
  /** Objective coefficient per unit score (default 1). */
  readonly scoreScale?: number;
  /** Penalty per unit of two-sided turnover in the objective (default 0). */
  readonly turnoverPenalty?: number;
  /** Proportional transaction cost per unit traded, subtracted from the objective (default 0). */
  readonly costRate?: number;
  /** 'relax' (default): apply RELAXATION_ORDER and record; 'throw': OPT_INFEASIBLE naming the conflicts. */
  readonly onInfeasible?: 'relax' | 'throw';
}

export interface ScoreOptimizerResult {
  readonly industries: readonly string[];
  readonly weights: Float64Array;
  /** sum a s_i w_i - (kappa + c) sum_i |w_i - w_prev,i| over the held set (removed names excluded: a constant). */
  readonly objective: number;
  /** sum_i s_i w_i. */
  readonly expectedScore: number;
  /** Two-sided turnover including removed industries (NaN without previous weights). */
  readonly turnover: number;
  /** costRate x turnover (0 without previous weights). */
  readonly cost: number;
  /** Feasibility of the constraints as given. */
  readonly feasibility: FeasibilityReport;
  /** Conflict names and binding per-industry bounds found before solving. */
  readonly binding: string[];
  readonly relaxed: RelaxationRecord[];
  /** The constraints actually solved (after relaxation). */
  readonly constraints: ConstraintSet;
  readonly usedMip: boolean;
  readonly notes: string[];
}

/**
 * Maximize expected score net of turnover penalty and costs under the constraints (module
 * comment). Checks feasibility first; with onInfeasible 'relax' resolves conflicts in
 * RELAXATION_ORDER (recorded), else throws OPT_INFEASIBLE naming them. Errors: OPT_BAD_INPUT,
 * WEIGHTS_NOTHING_ELIGIBLE, OPT_SOLVER_FAILED.
 */
export function optimizeScoreWeights(solver: Solver, input: ScoreOptimizerInput): ScoreOptimizerResult {
  const { industries, scores } = input;
  const n = industries.length;
  if (scores.length !== n) {
    throw new RotationError('OPT_BAD_INPUT', `${scores.length} scores for ${n} industries`, {}, 'pass one score per industry');
  }
  const a = input.scoreScale ?? 1, kappa = input.turnoverPenalty ?? 0, c = input.costRate ?? 0;
  for (const [k, v] of [['scoreScale', a], ['turnoverPenalty', kappa], ['costRate', c]] as const) {
    if (!Number.isFinite(v) || v < 0) {
      throw new RotationError('OPT_BAD_INPUT', `${k} = ${v} must be finite and >= 0`, { option: k }, `pass ${k} >= 0`);
    }
  }
  const eligible = new Uint8Array(n);
  let nEligible = 0;
  for (let i = 0; i < n; i++) if (Number.isFinite(scores[i])) { eligible[i] = 1; nEligible++; }
  if (nEligible === 0) {
    throw new RotationError('WEIGHTS_NOTHING_ELIGIBLE', 'Every score is NaN', { industries: n }, 'score at least one industry');
  }
  const original = resolveConstraints(industries, input.constraints ?? {}, eligible, input.previous);
  const notes = [...original.notes];
  const feasibility = checkFeasibility(original);
  const binding: string[] = [];
  for (const cf of feasibility.conflicts) binding.push(cf.name, ...cf.binding);
  let set: ConstraintSet;
  const relaxed: RelaxationRecord[] = [];
  if (!feasibility.feasible) {
    if (input.onInfeasible === 'throw') {
      throw new RotationError('OPT_INFEASIBLE', `Infeasible constraints: ${feasibility.conflicts.map((x) => x.message).join('; ')}`,
        { constraints: feasibility.conflicts.map((x) => x.name), binding },
        'loosen the named constraints, or pass onInfeasible: "relax" to apply the relaxation order (turnover, holdings, floors, caps)');
    }
    const r = relaxToFeasible(original);
    set = r.set;
    relaxed.push(...r.relaxed);
  } else {
    set = cloneConstraints(original);
  }
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) alpha[i] = eligible[i] ? a * scores[i] : 0;

  for (let attempt = 0; attempt < 6; attempt++) {
    const built = buildScoreProblem(set, alpha, kappa + c);
    const res = solveProblem(solver, built.problem);
    if (res.status === 'optimal') {
      const w = polishSum(res.x.slice(0, n), set.caps, set.eligible, set.floors);
      const excluded = new Uint8Array(n);
      for (let i = 0; i < n; i++) excluded[i] = set.eligible[i] ? 0 : 1;
      const weights = checkWeights(w, { caps: set.caps, excluded, industries, where: { allocator: 'score-optimizer' } });
      let expectedScore = 0;
      for (let i = 0; i < n; i++) if (eligible[i]) expectedScore += scores[i] * weights[i];
      let to = NaN, held = 0;
      if (set.prev) {
        to = set.alignment?.removedWeight ?? 0;
        for (let i = 0; i < n; i++) { held += Math.abs(weights[i] - set.prev[i]); }
        to += held;
      }
      let obj = 0;
      for (let i = 0; i < n; i++) obj += alpha[i] * weights[i];
      if (set.prev) obj -= (kappa + c) * held;
      return {
        industries, weights, objective: obj, expectedScore, turnover: to, cost: set.prev ? c * to : 0,
        feasibility, binding, relaxed, constraints: set, usedMip: built.mip, notes,
      };
    }
    if (res.status === 'infeasible' && input.onInfeasible !== 'throw') {
      const r = relaxNextForSolver(set);
      if (r) { relaxed.push(r); binding.push('solver-infeasible'); continue; }
    }
    throw new RotationError('OPT_SOLVER_FAILED', `HiGHS returned status ${res.status} (model status ${res.modelStatus})`,
      { industries: n, constraints: [set.turnoverBudget !== Infinity ? 'turnover-budget' : '', set.maxHoldings !== Infinity ? 'max-holdings' : ''].filter(Boolean) },
      res.status === 'infeasible' ? 'loosen the constraints or pass onInfeasible: "relax"' : 'check the inputs for extreme values; raise the time limit');
  }
  throw new RotationError('OPT_SOLVER_FAILED', 'No feasible solution after relaxing every constraint family', { industries: n },
    'check the inputs (NaN scores, previous weights)');
}

/** Columns: w (n), then t (n) with previous weights, then z (n) with a holdings limit. */
function buildScoreProblem(s: ConstraintSet, alpha: Float64Array, tradeCost: number): { problem: OptimizationProblem; mip: boolean } {
  const n = s.industries.length;
  const names = s.industries;
  let nEligible = 0;
  for (let i = 0; i < n; i++) if (s.eligible[i]) nEligible++;
  const withT = s.prev !== undefined;
  const mip = s.maxHoldings !== Infinity && s.maxHoldings < nEligible;
  const nCols = n + (withT ? n : 0) + (mip ? n : 0);
  const colNames: string[] = [], cost = new Float64Array(nCols), lower = new Float64Array(nCols), upper = new Float64Array(nCols);
  const integer = mip ? new Uint8Array(nCols) : undefined;
  for (let i = 0; i < n; i++) {
    colNames.push(`w_${names[i]}`);
    cost[i] = alpha[i];
    lower[i] = s.eligible[i] ? s.floors[i] : 0;
    upper[i] = s.eligible[i] ? s.caps[i] : 0;
  }
  const rows: LinearRow[] = [{ name: 'full_investment', indices: Array.from({ length: n }, (_, i) => i), values: new Array(n).fill(1), lower: 1, upper: 1 }];
  if (withT) {
    for (let i = 0; i < n; i++) {
      colNames.push(`t_${names[i]}`);
      cost[n + i] = -tradeCost;
      lower[n + i] = 0; upper[n + i] = Infinity;
    }
    const budget = s.turnoverBudget === Infinity ? Infinity : Math.max(0, s.turnoverBudget - (s.alignment?.removedWeight ?? 0));
    rows.push(...turnoverRows(n, s.prev!, budget, names));
  }
  if (mip) {
    const z0 = n + (withT ? n : 0);
    for (let i = 0; i < n; i++) {
      colNames.push(`z_${names[i]}`);
      lower[z0 + i] = 0; upper[z0 + i] = s.eligible[i] ? 1 : 0;
      integer![z0 + i] = 1;
      rows.push({ name: `hold_${names[i]}`, indices: [i, z0 + i], values: [1, -s.caps[i]], lower: -Infinity, upper: 0 });
    }
    rows.push({ name: 'max_holdings', indices: Array.from({ length: n }, (_, i) => z0 + i), values: new Array(n).fill(1), lower: -Infinity, upper: s.maxHoldings });
  }
  return { problem: { sense: 'maximize', colNames, cost, lower, upper, integer, rows }, mip };
}

export interface ScoreOptimizerAllocatorOptions {
  readonly constraints?: ConstraintSpec;
  readonly scoreScale?: number;
  readonly turnoverPenalty?: number;
  readonly costRate?: number;
  readonly onInfeasible?: 'relax' | 'throw';
  readonly name?: string;
}

/** Allocator wrapper of `optimizeScoreWeights` over `context.scores` and `context.previous`. */
export function scoreOptimizerAllocator(solver: Solver, options: ScoreOptimizerAllocatorOptions = {}): Allocator {
  const name = options.name ?? 'score-optimizer';
  return (ctx: AllocationContext) => {
    validateContext(ctx, name, { scores: true });
    const diag = newDiagnostics(name, ctx.date);
    const eligible = eligibleFromScores(ctx.industries, ctx.scores!, diag);
    const res = optimizeScoreWeights(solver, {
      industries: ctx.industries, scores: ctx.scores!, previous: ctx.previous, constraints: options.constraints,
      scoreScale: options.scoreScale, turnoverPenalty: options.turnoverPenalty, costRate: options.costRate, onInfeasible: options.onInfeasible,
    });
    diag.binding.push(...res.binding);
    diag.relaxed.push(...res.relaxed);
    diag.notes.push(...res.notes);
    diag.details.objective = res.objective;
    diag.details.expectedScore = res.expectedScore;
    diag.details.cost = res.cost;
    diag.details.usedMip = res.usedMip;
    diag.details.caps = res.constraints.caps;
    return finishAllocation(ctx, res.weights, diag, {
      caps: res.constraints.caps, eligible, order: preferenceOrder(ctx.scores!, eligible), skipCaps: true,
    });
  };
}
