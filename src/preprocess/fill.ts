/**
 * Missing values: fill with the industry median of the date, or leave NaN and count.
 */
import { withValues, type Panel } from '../panel/panel.js';
import { checkIndustryCodes, type IndustryCodes } from './types.js';

export interface FillResult {
  panel: Panel;
  /** Cells that were NaN and got a value. */
  filled: number;
  /** Cells still NaN after the step (by reason). */
  stillMissing: { total: number; noIndustry: number; industryAllMissing: number };
}

/** Count of NaN cells in the panel, in total and per date. */
export function countMissing(p: Panel): { total: number; byDate: Int32Array } {
  const T = p.dates.length, N = p.assets.length;
  const byDate = new Int32Array(T);
  let total = 0;
  for (let t = 0; t < T; t++) {
    let c = 0;
    for (let i = 0; i < N; i++) if (p.values[t * N + i] !== p.values[t * N + i]) c++;
    byDate[t] = c;
    total += c;
  }
  return { total, byDate };
}

/**
 * Industry-median fill per date: a NaN cell of asset i in industry g on date t becomes
 *
 *   median { x[t, j] : j in g on date t, x[t, j] valid }
 *
 * (the average of the two middle values for an even count). A cell whose industry is −1, or whose
 * industry has no valid value on the date, stays NaN and is counted in `stillMissing`.
 * Valid cells are never changed.
 */
export function fillIndustryMedian(p: Panel, industry: IndustryCodes): FillResult {
  const { perDate } = checkIndustryCodes(p, industry, 'fill');
  const T = p.dates.length, N = p.assets.length, G = industry.industries.length;
  const out = new Float64Array(p.values);
  const count = new Int32Array(G), start = new Int32Array(G + 1), cursor = new Int32Array(G);
  const buf = new Float64Array(N);
  const med = new Float64Array(G);
  let filled = 0, noIndustry = 0, industryAllMissing = 0;
  for (let t = 0; t < T; t++) {
    const base = t * N;
    count.fill(0);
    let missing = 0;
    for (let i = 0; i < N; i++) {
      const v = p.values[base + i];
      const g = industry.codes[perDate ? base + i : i];
      if (v !== v) { missing++; continue; }
      if (g >= 0) count[g]++;
    }
    if (missing === 0) continue;
    start[0] = 0;
    for (let g = 0; g < G; g++) start[g + 1] = start[g] + count[g];
    for (let g = 0; g < G; g++) cursor[g] = start[g];
    for (let i = 0; i < N; i++) {
      const v = p.values[base + i];
      const g = industry.codes[perDate ? base + i : i];
      if (v === v && g >= 0) buf[cursor[g]++] = v;
    }
    for (let g = 0; g < G; g++) {
      const c = count[g];
      if (c === 0) { med[g] = NaN; continue; }
      const s = buf.subarray(start[g], start[g + 1]);
      s.sort();
      med[g] = c % 2 === 1 ? s[(c - 1) >> 1] : 0.5 * (s[c / 2 - 1] + s[c / 2]);
    }
    for (let i = 0; i < N; i++) {
      if (p.values[base + i] === p.values[base + i]) continue;
      const g = industry.codes[perDate ? base + i : i];
      if (g < 0) { noIndustry++; continue; }
      const m = med[g];
      if (m !== m) { industryAllMissing++; continue; }
      out[base + i] = m;
      filled++;
    }
  }
  return { panel: withValues(p, out), filled, stillMissing: { total: noIndustry + industryAllMissing, noIndustry, industryAllMissing } };
}
