/**
 * Standardization per date (NaN-aware): put each date's cross-section on a common scale.
 *
 * - z-score: (x − mean)/std, ddof 1 (`zscore`, the panel kernel, re-exported);
 * - rank to [0, 1]: (midrank − 1)/(n − 1) (`rankToUnit`, the `percentileRank` kernel);
 * - rank to normal scores: Φ⁻¹((midrank − 0.5)/n) (`rankToNormal`, defined here), with an accurate
 *   inverse normal CDF (`inverseNormalCdf`: Acklam's rational approximation refined by one Halley
 *   step on an accurate Φ, relative error ~1e-15).
 */
import { midranksInto, newRankScratch, percentileRank, type KernelOptions } from '../panel/kernels.js';
import { withValues, type Panel } from '../panel/panel.js';
import { normalQuantile } from '../stats/distributions.js';

export { zscore } from '../panel/kernels.js';

/**
 * Rank to [0, 1] per date: u = (midrank − 1)/(n − 1) over the n valid cells (lowest 0, highest 1,
 * ties averaged; a single valid cell gives 0.5). Same as `percentileRank`.
 */
export function rankToUnit(p: Panel, options: KernelOptions = {}): Panel {
  return percentileRank(p, options);
}

const SQRT2 = Math.SQRT2;

/**
 * Rank to normal scores per date (van der Waerden / Blom-type with offset ½):
 *
 *   s = Φ⁻¹((midrank − 0.5)/n)
 *
 * over the n valid cells, so scores are symmetric around 0 and ties share a score. NaN stays NaN;
 * a date with a single valid cell gives 0; an all-NaN date is logged 'empty'.
 */
export function rankToNormal(p: Panel, options: KernelOptions = {}): Panel {
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = new Float64Array(src.length).fill(NaN);
  const vals = new Float64Array(N), pos = new Int32Array(N), r = new Float64Array(N);
  const scratch = newRankScratch(N);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    let n = 0;
    for (let i = 0; i < N; i++) {
      const v = src[base + i];
      if (v === v) { vals[n] = v; pos[n] = i; n++; }
    }
    if (n === 0) {
      if (options.log) {
        const list = options.log.degenerate.get('empty');
        if (list) list.push(p.dates[t]); else options.log.degenerate.set('empty', [p.dates[t]]);
      }
      continue;
    }
    midranksInto(vals, n, r, scratch);
    for (let m = 0; m < n; m++) out[base + pos[m]] = normalQuantile((r[m] - 0.5) / n);
  }
  return withValues(p, out);
}
