/**
 * IC decay (jqfactor `calc_ic_mean_n_days_lag`): how long a factor's information lasts.
 *
 * For lag k = 0..K, the IC of the factor at t against the ONE-period return realized k periods
 * later,
 *
 *   IC_k(t) = corr(f_t, r_{t+k+1}),   r_{s+1} = L[s + 1]/L[s] − 1   (return over (d_s, d_{s+1}]),
 *
 * and the decay curve is mean_t IC_k(t) over the dates with a value. Lag 0 is the usual
 * one-period IC. Periods are rows of the forward returns' calendar (months on month ends).
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { alignFactor } from './frame.js';
import { forwardReturnRowInto, type ForwardReturns } from './forwardReturns.js';
import type { IcByDate, IcSkipReason } from './ic.js';
import { correlatePairs, newPairScratch, type CorrelationMethod } from './pairs.js';

export interface IcDecayOptions {
  /** Largest lag K (periods). Default 12. */
  maxLag?: number;
  /** 'rank' (default) or 'pearson'. */
  method?: CorrelationMethod;
  /** Minimum jointly valid pairs per date. Default 3. */
  minAssets?: number;
}

export interface IcDecay {
  lags: number[];
  method: CorrelationMethod;
  /** mean[k] = mean over dates of IC_k(t) (NaN if no date has a value). */
  mean: Float64Array;
  /** Dates with a value per lag. */
  n: Int32Array;
  /** The per-date series of each lag. */
  series: IcByDate[];
}

/**
 * IC decay curve, lags 0..maxLag (formula in the module comment). Errors: EVAL_BAD_ARGUMENT
 * (maxLag not an integer >= 0, minAssets < 2), EVAL_HORIZON_TOO_LONG (maxLag + 1 >= the number of
 * dates of the forward returns), EVAL_NO_OVERLAP.
 */
export function icDecay(factor: Panel, fr: ForwardReturns, options: IcDecayOptions = {}): IcDecay {
  const K = options.maxLag ?? 12, method = options.method ?? 'rank', minAssets = options.minAssets ?? 3;
  if (!Number.isInteger(K) || K < 0) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `maxLag must be an integer >= 0, got ${K}`, { argument: 'maxLag' }, 'pass e.g. 12 (months)');
  }
  if (!Number.isInteger(minAssets) || minAssets < 2) {
    throw new RotationError('EVAL_BAD_ARGUMENT', `minAssets must be an integer >= 2, got ${minAssets}`, { argument: 'minAssets' }, 'pass minAssets >= 2');
  }
  const Tfr = fr.dates.length;
  if (K + 1 >= Tfr) {
    throw new RotationError('EVAL_HORIZON_TOO_LONG', `IC decay to lag ${K} needs more than ${K + 1} dates; the forward returns have ${Tfr}`,
      { maxLag: K, dates: Tfr }, `use maxLag <= ${Math.max(0, Tfr - 2)}, or a longer history`);
  }
  const frame = alignFactor(factor, fr);
  const f = frame.factor, T = f.dates.length, N = f.assets.length, Nfr = fr.assets.length;
  const rowFr = new Float64Array(Nfr), row = new Float64Array(N);
  const s = newPairScratch(N);
  const series: IcByDate[] = [];
  const mean = new Float64Array(K + 1), nOut = new Int32Array(K + 1);
  for (let k = 0; k <= K; k++) {
    const ic = new Float64Array(T).fill(NaN), cnt = new Int32Array(T);
    const skipped: Record<IcSkipReason, number> = { 'too-few-pairs': 0, 'zero-variance': 0 };
    let sum = 0, c = 0;
    for (let t = 0; t < T; t++) {
      forwardReturnRowInto(fr, 1, frame.rows[t] + k, rowFr);
      if (frame.cols === null) row.set(rowFr.subarray(0, N));
      else for (let j = 0; j < N; j++) row[j] = rowFr[frame.cols[j]];
      const v = correlatePairs(f.values, t * N, row, 0, N, method, minAssets, s);
      cnt[t] = s.n;
      if (v === v) { ic[t] = v; sum += v; c++; } else skipped[s.reason!]++;
    }
    mean[k] = c > 0 ? sum / c : NaN;
    nOut[k] = c;
    series.push({ dates: f.dates.slice(), ic, n: cnt, skipped });
  }
  return { lags: Array.from({ length: K + 1 }, (_, k) => k), method, mean, n: nOut, series };
}
