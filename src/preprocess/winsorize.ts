/**
 * Winsorization per date (NaN-aware): clip each date's cross-section to a robust band.
 *
 * - median ± k·MAD (`winsorizeMad`) and empirical quantiles (`winsorizeQuantile`) are the panel
 *   kernels of src/panel/kernels.ts, re-exported here so preprocessing has one entry point;
 * - mean ± k·σ (`winsorizeSigma`, jqfactor's `winsorize(scale=k)`) is defined here.
 */
import { RotationError } from '../errors.js';
import { type CrossSectionLog, type KernelOptions } from '../panel/kernels.js';
import { withValues, type Panel } from '../panel/panel.js';

export { MAD_NORMAL_SCALE, winsorizeMad, winsorizeQuantile } from '../panel/kernels.js';

function note(log: CrossSectionLog | undefined, reason: 'empty' | 'too-few' | 'constant', date: string): void {
  if (!log) return;
  const list = log.degenerate.get(reason);
  if (list) list.push(date);
  else log.degenerate.set(reason, [date]);
}

/**
 * Sigma winsorization per date: with mean m and sample standard deviation s (ddof 1) of the date's
 * n valid cells,
 *
 *   x ↦ min(max(x, m − k·s), m + k·s).
 *
 * A date with n < 2 is left unchanged and logged 'too-few'; a date with s = 0 is left unchanged
 * and logged 'constant'; an all-NaN date is logged 'empty'. Requires a finite k > 0
 * (PANEL_BAD_ARGUMENT). NaN stays NaN; the input is not mutated.
 */
export function winsorizeSigma(p: Panel, k = 3, options: KernelOptions = {}): Panel {
  if (!(k > 0) || !Number.isFinite(k)) {
    throw new RotationError('PANEL_BAD_ARGUMENT', `Sigma multiple k must be a positive finite number, got ${k}`,
      { argument: 'k', value: String(k) }, 'pass k such as 3');
  }
  const log = options.log;
  const T = p.dates.length, N = p.assets.length, src = p.values;
  const out = new Float64Array(src);
  for (let t = 0; t < T; t++) {
    const base = t * N;
    let n = 0, sum = 0;
    for (let i = 0; i < N; i++) {
      const v = src[base + i];
      if (v === v) { n++; sum += v; }
    }
    if (n === 0) { note(log, 'empty', p.dates[t]); continue; }
    if (n < 2) { note(log, 'too-few', p.dates[t]); continue; }
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < N; i++) {
      const v = src[base + i];
      if (v === v) { const d = v - mean; ss += d * d; }
    }
    const sd = Math.sqrt(ss / (n - 1));
    if (!(sd > 0)) { note(log, 'constant', p.dates[t]); continue; }
    const lo = mean - k * sd, hi = mean + k * sd;
    for (let i = 0; i < N; i++) {
      const v = src[base + i];
      if (v < lo) out[base + i] = lo;
      else if (v > hi) out[base + i] = hi;
    }
  }
  return withValues(p, out);
}
