/**
 * Correlation matrices of factors:
 *
 *   factor correlation  ρ_ab = mean over dates t of corr_t(f_a, f_b)   (cross-sectional, per date,
 *                       over the assets where both are valid; Spearman by default)
 *   IC correlation      ρ_ab = Pearson(IC_a, IC_b) over the dates where both ICs exist
 */
import { RotationError } from '../errors.js';
import type { IcByDate } from './ic.js';
import { selectFactors, type FactorSet } from './factorSet.js';
import { correlatePairs, newPairScratch, type CorrelationMethod } from './pairs.js';

export interface CorrelationMatrix {
  names: string[];
  /** matrix[a][b]; 1 on the diagonal; NaN where no date (or pair of ICs) is available. */
  matrix: number[][];
  /** Dates that entered each entry. */
  n: number[][];
}

/**
 * Mean cross-sectional correlation of every pair of factors: ρ_ab = (1/|D_ab|) Σ_{t∈D_ab} corr_t,
 * corr_t = Spearman (method 'rank', default) or Pearson over the assets where both factors are
 * valid, D_ab = dates where corr_t exists (>= minAssets pairs, neither side constant).
 * All panels must share dates and assets (PANEL_MISALIGNED); unknown names EVAL_UNKNOWN_FACTOR.
 */
export function factorCorrelationMatrix(factors: FactorSet, options: { names?: readonly string[]; method?: CorrelationMethod; minAssets?: number } = {}): CorrelationMatrix {
  const picked = selectFactors(factors, options.names, 'EVAL');
  const method = options.method ?? 'rank', minAssets = options.minAssets ?? 3;
  const K = picked.length, T = picked[0][1].dates.length, N = picked[0][1].assets.length;
  const s = newPairScratch(N);
  const matrix = Array.from({ length: K }, () => new Array<number>(K).fill(NaN));
  const n = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let a = 0; a < K; a++) {
    matrix[a][a] = 1;
    let c = 0;
    for (let t = 0; t < T; t++) {
      let v = 0;
      for (let i = 0; i < N; i++) if (picked[a][1].values[t * N + i] === picked[a][1].values[t * N + i]) v++;
      if (v >= minAssets) c++;
    }
    n[a][a] = c;
    for (let b = a + 1; b < K; b++) {
      let sum = 0, cnt = 0;
      for (let t = 0; t < T; t++) {
        const r = correlatePairs(picked[a][1].values, t * N, picked[b][1].values, t * N, N, method, minAssets, s);
        if (r === r) { sum += r; cnt++; }
      }
      matrix[a][b] = matrix[b][a] = cnt > 0 ? sum / cnt : NaN;
      n[a][b] = n[b][a] = cnt;
    }
  }
  return { names: picked.map(([k]) => k), matrix, n };
}

/**
 * Pearson correlation of IC series: ρ_ab over the dates where both are non-NaN (needs >= 3 such
 * dates and non-constant series, else NaN). Series must have equal length (EVAL_MISALIGNED).
 */
export function icCorrelationMatrix(ics: Readonly<Record<string, IcByDate | ArrayLike<number>>>): CorrelationMatrix {
  const names = Object.keys(ics);
  if (names.length === 0) {
    throw new RotationError('EVAL_NO_FACTORS', 'No IC series given', { argument: 'ics' }, 'pass { name: icSeries, ... }');
  }
  const xs = names.map((k) => { const v = ics[k]; return 'ic' in (v as IcByDate) && 'dates' in (v as IcByDate) ? (v as IcByDate).ic : (v as ArrayLike<number>); });
  const T = xs[0].length;
  xs.forEach((x, k) => {
    if (x.length !== T) {
      throw new RotationError('EVAL_MISALIGNED', `IC series "${names[k]}" has ${x.length} dates, "${names[0]}" has ${T}`, { factor: names[k] },
        'compute every IC series on the same dates (the same forward returns and rebalance calendar)');
    }
  });
  const K = names.length;
  const s = newPairScratch(T);
  const matrix = Array.from({ length: K }, () => new Array<number>(K).fill(NaN));
  const n = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const fa = xs.map((x) => Float64Array.from(x as ArrayLike<number>));
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      const r = correlatePairs(fa[a], 0, fa[b], 0, T, 'pearson', 3, s);
      matrix[a][b] = matrix[b][a] = a === b ? (s.n > 0 ? 1 : NaN) : r;
      n[a][b] = n[b][a] = s.n;
    }
  }
  return { names, matrix, n };
}
