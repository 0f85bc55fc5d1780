/**
 * Neutralization per date: the OLS residual of a factor against industry dummies and/or
 * (log) market cap and other exposures, plus the R-squared of each date's regression.
 *
 *   y_t = D_t·γ_t + X_t·β_t + e_t      (D: one dummy per industry, or a single intercept column;
 *                                       X: continuous exposures such as log cap)
 *
 * Industry dummies are never materialized. By the Frisch–Waugh–Lovell theorem the residual equals
 * the residual of the within-industry-demeaned y on the within-industry-demeaned X:
 *
 *   ỹ = y − mean_g(y),  X̃ = X − mean_g(X)   (g = the row's industry, or all rows for an intercept)
 *   e = ỹ − X̃·β̂,       β̂ = argmin ‖ỹ − X̃β‖²
 *
 * so a stock-level date with thousands of rows and 30 industries costs O(n·k) instead of
 * O(n·(30 + k)²). The k continuous columns are orthogonalized by modified Gram–Schmidt; a column
 * that is (numerically) a linear combination of the dummies and earlier columns — a constant log
 * cap, a dummy set that sums to the intercept, a duplicated column — makes the design singular:
 * `neutralize` throws NEUTRALIZE_COLLINEAR naming the column and the columns it is a combination
 * of, unless `dropCollinear: true`, which drops it on that date and records the drop.
 */
import { RotationError } from '../errors.js';
import type { CrossSectionLog } from '../panel/kernels.js';
import { assertSameShape, withValues, type Panel } from '../panel/panel.js';
import { checkIndustryCodes, type IndustryCodes } from './types.js';

export interface NeutralizeOptions {
  /** Industry of each cell; one dummy per industry (implies the intercept). Cells with code −1 are left out (NaN). */
  industry?: IndustryCodes;
  /** Market cap (> 0); the regressor is its natural log, named "log_cap". Cap <= 0 or NaN leaves the cell out. */
  cap?: Panel;
  /** Further regressors used as given (continuous exposures or explicit 0/1 dummy columns), by name. */
  columns?: Readonly<Record<string, Panel>>;
  /** Include an intercept when no industry is given. Default true. */
  intercept?: boolean;
  /** Drop a collinear column on the dates where it is collinear (recorded in `dropped`) instead of throwing. Default false. */
  dropCollinear?: boolean;
  /** Record degenerate dates ('empty', 'too-few', 'collinear'). */
  log?: CrossSectionLog;
}

/** A column dropped on one date because it was a linear combination of others. */
export interface CollinearDrop {
  date: string;
  column: string;
  /** The columns it is a combination of ("intercept", "industry dummies", or column names); empty when the column is all zero. */
  combinationOf: string[];
}

export interface NeutralizeResult {
  /** The residual e (NaN where y or a regressor is missing, the industry is −1, or the date is degenerate). */
  residual: Panel;
  /** R² per date = 1 − Σe²/Σ(y − ȳ)² (Σy² without intercept or industry); NaN on degenerate dates or when y is constant. */
  rSquared: Float64Array;
  /** Rows used per date. */
  nObs: Int32Array;
  /** Columns dropped as collinear (only with dropCollinear: true), in date order. */
  dropped: CollinearDrop[];
}

/** Relative norm below which a column counts as a combination of the earlier ones. */
const COLLINEAR_TOL = 1e-9;

function note(log: CrossSectionLog | undefined, reason: 'empty' | 'too-few' | 'collinear', date: string): void {
  if (!log) return;
  const list = log.degenerate.get(reason);
  if (list) list.push(date);
  else log.degenerate.set(reason, [date]);
}

/**
 * OLS residual of y per date on industry dummies and/or log cap and further columns (see the module
 * comment for the model and the Frisch–Waugh computation):
 *
 *   e_t = y_t − D_t·γ̂_t − X_t·β̂_t,    R²_t = 1 − Σe²/Σ(y − ȳ)²
 *
 * over the rows where y, every regressor and the industry are valid. A date whose rows do not
 * exceed the parameter count (industries present + columns kept) gives NaN ('too-few').
 * Errors: NEUTRALIZE_COLLINEAR (singular design, naming the column and what it is a combination
 * of; pass dropCollinear: true to drop it instead), NEUTRALIZE_NO_REGRESSOR (nothing to regress
 * on), PANEL_MISALIGNED (regressor panels of another shape), PREPROCESS_BAD_INDUSTRY.
 */
export function neutralize(y: Panel, options: NeutralizeOptions = {}): NeutralizeResult {
  const names: string[] = [];
  const cols: Float64Array[] = [];
  const isCap: boolean[] = [];
  if (options.cap) {
    assertSameShape(y, options.cap);
    names.push('log_cap'); cols.push(options.cap.values); isCap.push(true);
  }
  for (const [name, panel] of Object.entries(options.columns ?? {})) {
    assertSameShape(y, panel);
    if (names.includes(name)) {
      throw new RotationError('NEUTRALIZE_BAD_ARGUMENT', `Column name "${name}" given twice`, { column: name },
        'give every regressor a distinct name ("log_cap" is taken by `cap`)');
    }
    names.push(name); cols.push(panel.values); isCap.push(false);
  }
  const ind = options.industry;
  const perDate = ind ? checkIndustryCodes(y, ind, 'neutralize').perDate : false;
  const intercept = ind ? true : options.intercept ?? true;
  if (!ind && cols.length === 0 && !intercept) {
    throw new RotationError('NEUTRALIZE_NO_REGRESSOR', 'Nothing to neutralize against', {},
      'pass industry codes, a market cap, columns, or keep the intercept');
  }
  const groupName = ind ? 'industry dummies' : 'intercept';
  const T = y.dates.length, N = y.assets.length, K = cols.length;
  const G = ind ? ind.industries.length : 1;
  const out = new Float64Array(y.values.length).fill(NaN);
  const r2 = new Float64Array(T).fill(NaN);
  const nObs = new Int32Array(T);
  const dropped: CollinearDrop[] = [];

  const pos = new Int32Array(N), grp = new Int32Array(N);
  const ry = new Float64Array(N);
  const X = new Float64Array(Math.max(1, K) * N); // raw then demeaned columns, column j at j*N
  const Q = new Float64Array(Math.max(1, K) * N); // orthonormalized accepted columns
  const R = new Float64Array(Math.max(1, K * K)); // R[a*K + j] = q_a · x̃_j (Gram–Schmidt coefficients)
  const accepted = new Int32Array(Math.max(1, K));
  const gCount = new Float64Array(G), gSum = new Float64Array(G);
  const gMeans = new Float64Array(Math.max(1, K + 1) * G); // group means of each raw column, for naming
  const rawNorm = new Float64Array(Math.max(1, K));
  const yv = y.values;

  for (let t = 0; t < T; t++) {
    const base = t * N;
    let n = 0;
    for (let i = 0; i < N; i++) {
      const v = yv[base + i];
      if (v !== v) continue;
      let g = 0;
      if (ind) { g = ind.codes[perDate ? base + i : i]; if (g < 0) continue; }
      let ok = true;
      for (let j = 0; j < K; j++) {
        const w = cols[j][base + i];
        if (w !== w || (isCap[j] && !(w > 0))) { ok = false; break; }
      }
      if (!ok) continue;
      pos[n] = i; grp[n] = g; ry[n] = v;
      for (let j = 0; j < K; j++) { const w = cols[j][base + i]; X[j * N + n] = isCap[j] ? Math.log(w) : w; }
      n++;
    }
    nObs[t] = n;
    if (n === 0) { note(options.log, 'empty', y.dates[t]); continue; }

    // SST around the overall mean (or raw with no intercept).
    let ybar = 0;
    if (intercept) { for (let m = 0; m < n; m++) ybar += ry[m]; ybar /= n; }
    let sst = 0;
    for (let m = 0; m < n; m++) { const d = ry[m] - ybar; sst += d * d; }

    // Number of groups present (dummies with at least one row).
    let groups = 0;
    if (intercept) {
      gCount.fill(0);
      for (let m = 0; m < n; m++) gCount[grp[m]]++;
      for (let g = 0; g < G; g++) if (gCount[g] > 0) groups++;
    }
    // Demean y and every column within groups (FWL); keep raw norms and group means for naming.
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let m = 0; m < n; m++) { const w = X[j * N + m]; s += w * w; }
      rawNorm[j] = Math.sqrt(s);
    }
    if (intercept) {
      for (let j = -1; j < K; j++) {
        const arr = j < 0 ? ry : X, off = j < 0 ? 0 : j * N;
        gSum.fill(0);
        for (let m = 0; m < n; m++) gSum[grp[m]] += arr[off + m];
        for (let g = 0; g < G; g++) gMeans[(j + 1) * G + g] = gCount[g] > 0 ? gSum[g] / gCount[g] : 0;
        for (let m = 0; m < n; m++) arr[off + m] -= gMeans[(j + 1) * G + grp[m]];
      }
    }
    // Modified Gram–Schmidt over the continuous columns.
    let nAcc = 0;
    let dateDropped = false;
    for (let j = 0; j < K; j++) {
      const xj = j * N;
      let norm0 = 0;
      for (let m = 0; m < n; m++) norm0 += X[xj + m] * X[xj + m];
      norm0 = Math.sqrt(norm0);
      const qj = nAcc * N;
      for (let m = 0; m < n; m++) Q[qj + m] = X[xj + m];
      for (let a = 0; a < nAcc; a++) {
        const qa = a * N;
        let d = 0;
        for (let m = 0; m < n; m++) d += Q[qa + m] * Q[qj + m];
        R[a * K + j] = d;
        for (let m = 0; m < n; m++) Q[qj + m] -= d * Q[qa + m];
      }
      let norm = 0;
      for (let m = 0; m < n; m++) norm += Q[qj + m] * Q[qj + m];
      norm = Math.sqrt(norm);
      let combination: string[] | null = null;
      if (rawNorm[j] === 0) combination = [];
      else if (norm0 <= COLLINEAR_TOL * rawNorm[j]) combination = intercept ? [groupName] : [];
      else if (norm <= COLLINEAR_TOL * norm0) combination = collinearWith(j, nAcc, accepted, R, K, names, intercept, groupName, gMeans, G, gCount);
      if (combination) {
        if (!options.dropCollinear) {
          const what = combination.length === 0
            ? `Column "${names[j]}" is all zero on ${y.dates[t]} (over the ${n} rows used), so the design is singular`
            : `Column "${names[j]}" is a linear combination of ${combination.map((c) => `"${c}"`).join(', ')} on ${y.dates[t]} (over the ${n} rows used), so the design is singular`;
          throw new RotationError('NEUTRALIZE_COLLINEAR', what,
            { date: y.dates[t], column: names[j], collinearWith: combination, rows: n },
            `remove "${names[j]}" (or one of the columns it duplicates), or pass dropCollinear: true to drop it on the dates where it is collinear`);
        }
        dropped.push({ date: y.dates[t], column: names[j], combinationOf: combination });
        dateDropped = true;
        continue;
      }
      const inv = 1 / norm;
      for (let m = 0; m < n; m++) Q[qj + m] *= inv;
      R[nAcc * K + j] = norm;
      accepted[nAcc++] = j;
    }
    if (dateDropped) note(options.log, 'collinear', y.dates[t]);
    if (n <= groups + nAcc) { note(options.log, 'too-few', y.dates[t]); continue; }
    for (let a = 0; a < nAcc; a++) {
      const qa = a * N;
      let d = 0;
      for (let m = 0; m < n; m++) d += Q[qa + m] * ry[m];
      for (let m = 0; m < n; m++) ry[m] -= d * Q[qa + m];
    }
    let sse = 0;
    for (let m = 0; m < n; m++) { sse += ry[m] * ry[m]; out[base + pos[m]] = ry[m]; }
    r2[t] = sst > 0 ? 1 - sse / sst : NaN;
  }
  return { residual: withValues(y, out), rSquared: r2, nObs, dropped };
}

/**
 * Name the columns a collinear column j is a combination of: back-substitute R (upper triangular
 * over the accepted columns) for the coefficients c of x̃_j = Σ c_a x̃_a, keep the columns with
 * non-negligible |c_a|·‖x̃_a‖, and add the group term (intercept / industry dummies) when the
 * combination needs an offset, i.e. some group mean of x_j − Σ c_a x_a is non-zero.
 */
function collinearWith(
  j: number, nAcc: number, accepted: Int32Array, R: Float64Array, K: number, names: readonly string[],
  intercept: boolean, groupName: string, gMeans: Float64Array, G: number, gCount: Float64Array,
): string[] {
  // x̃_j = Σ_a d_a q_a with d_a = R[a*K + j]; q_a = (x̃_{acc a} − Σ_{b<a} R[b*K + acc a] q_b)/R[a*K + acc a].
  const c = new Float64Array(nAcc);
  const d = new Float64Array(nAcc);
  for (let a = 0; a < nAcc; a++) d[a] = R[a * K + j];
  for (let a = nAcc - 1; a >= 0; a--) {
    let s = d[a];
    for (let b = a + 1; b < nAcc; b++) s -= R[a * K + accepted[b]] * c[b];
    c[a] = s / R[a * K + accepted[a]];
  }
  const out: string[] = [];
  let scale = 0;
  for (let a = 0; a < nAcc; a++) scale = Math.max(scale, Math.abs(d[a]));
  for (let a = 0; a < nAcc; a++) {
    if (Math.abs(c[a]) * R[a * K + accepted[a]] > 1e-6 * scale) out.push(names[accepted[a]]);
  }
  if (intercept) {
    let offset = 0, mag = 0;
    for (let g = 0; g < G; g++) {
      if (!(gCount[g] > 0)) continue;
      let o = gMeans[(j + 1) * G + g];
      mag = Math.max(mag, Math.abs(o));
      for (let a = 0; a < nAcc; a++) {
        const term = c[a] * gMeans[(accepted[a] + 1) * G + g];
        mag = Math.max(mag, Math.abs(term));
        o -= term;
      }
      offset = Math.max(offset, Math.abs(o));
    }
    if (mag > 0 && offset > 1e-6 * mag) out.unshift(groupName);
  }
  return out;
}
