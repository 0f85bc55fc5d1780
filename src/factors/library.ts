/**
 * Study helpers for the factor library (notebook 02): availability per dataset, coverage,
 * pooled distributions and the effect of a preprocessing pipeline on every factor.
 */
import type { Panel } from '../panel/panel.js';
import type { MarketDataset } from '../data/types.js';
import { availableFactors, factorRegistry, type FactorBatch } from './registry.js';
import { runPipeline, type PipelineContext, type PipelineRecord, type PipelineStep } from '../preprocess/pipeline.js';

/** One row per registered factor: family, definition, direction, lookback, and availability per dataset ("yes" or the missing inputs). */
export function factorLibraryRows(datasets: readonly MarketDataset[]): Record<string, string | number>[] {
  const avail = datasets.map((d) => {
    const a = availableFactors(d);
    return { name: d.name, missing: new Map(a.unavailable.map((u) => [u.id, u.missing.join(', ')])) };
  });
  return factorRegistry().map((f) => {
    const row: Record<string, string | number> = {
      id: f.id, family: f.family, definition: f.definition,
      direction: f.direction > 0 ? 'higher better' : 'lower better',
      lookback: `${f.lookback.value} ${f.lookback.unit}`,
      proxy: f.proxy ?? '',
    };
    for (const a of avail) row[a.name] = a.missing.has(f.id) ? `missing: ${a.missing.get(f.id)}` : 'yes';
    return row;
  });
}

/** Count of registered factors per family, and how many are available on each dataset. */
export function familyAvailability(datasets: readonly MarketDataset[]): Record<string, string | number>[] {
  const reg = factorRegistry();
  const fams = [...new Set(reg.map((f) => f.family))];
  const avail = datasets.map((d) => ({ name: d.name, ids: new Set(availableFactors(d).available) }));
  return fams.map((family) => {
    const ids = reg.filter((f) => f.family === family).map((f) => f.id);
    const row: Record<string, string | number> = { family, registered: ids.length };
    for (const a of avail) row[a.name] = ids.filter((id) => a.ids.has(id)).length;
    return row;
  });
}

/** Share of industries with a value, per factor (rows) and date (columns): the factor coverage heat map. */
export function factorCoverage(batch: FactorBatch): { factors: string[]; dates: string[]; share: Float64Array[] } {
  const factors = [...batch.results.keys()];
  const first = batch.results.get(factors[0])?.panel;
  const dates = first ? [...first.dates] : [];
  const share = factors.map((id) => {
    const p = batch.results.get(id)!.panel;
    const N = p.assets.length, out = new Float64Array(p.dates.length);
    for (let t = 0; t < p.dates.length; t++) {
      let c = 0;
      for (let i = 0; i < N; i++) if (!Number.isNaN(p.values[t * N + i])) c++;
      out[t] = N ? c / N : NaN;
    }
    return out;
  });
  return { factors, dates, share };
}

/** All valid values of a panel, pooled over dates and assets. */
export function pooledValues(p: Panel): Float64Array {
  let n = 0;
  for (let k = 0; k < p.values.length; k++) if (!Number.isNaN(p.values[k])) n++;
  const out = new Float64Array(n);
  let j = 0;
  for (let k = 0; k < p.values.length; k++) if (!Number.isNaN(p.values[k])) out[j++] = p.values[k];
  return out;
}

/** Pooled moments: mean, std (ddof 1), skewness g1 = m3/m2^1.5, excess kurtosis g2 = m4/m2² − 3. */
export function pooledMoments(x: ArrayLike<number>): { n: number; mean: number; std: number; skew: number; kurtosis: number } {
  const n = x.length;
  if (n < 2) return { n, mean: n ? x[0] : NaN, std: NaN, skew: NaN, kurtosis: NaN };
  let s = 0;
  for (let k = 0; k < n; k++) s += x[k];
  const mean = s / n;
  let m2 = 0, m3 = 0, m4 = 0;
  for (let k = 0; k < n; k++) { const d = x[k] - mean, d2 = d * d; m2 += d2; m3 += d2 * d; m4 += d2 * d2; }
  m2 /= n; m3 /= n; m4 /= n;
  return { n, mean, std: Math.sqrt((m2 * n) / (n - 1)), skew: m2 > 0 ? m3 / m2 ** 1.5 : NaN, kurtosis: m2 > 0 ? m4 / (m2 * m2) - 3 : NaN };
}

export interface PreprocessedFactors {
  panels: Map<string, Panel>;
  records: PipelineRecord[];
}

/** Run the same preprocessing pipeline on every factor of a batch, keeping each step record. */
export function preprocessFactors(batch: FactorBatch, steps: readonly PipelineStep[], context: PipelineContext = {}): PreprocessedFactors {
  const panels = new Map<string, Panel>();
  const records: PipelineRecord[] = [];
  for (const [id, r] of batch.results) {
    const out = runPipeline(r.panel, steps, { ...context, name: id });
    panels.set(id, out.panel);
    records.push(out.record);
  }
  return { panels, records };
}

/** One row per factor: raw vs processed pooled moments, cells changed by winsorizing, mean neutralization R². */
export function preprocessingRows(batch: FactorBatch, pre: PreprocessedFactors): Record<string, string | number>[] {
  return pre.records.map((rec) => {
    const raw = pooledMoments(pooledValues(batch.results.get(rec.name)!.panel));
    const out = pooledMoments(pooledValues(pre.panels.get(rec.name)!));
    const wins = rec.steps.find((s) => s.step === 'winsorize');
    const neut = rec.steps.find((s) => s.step === 'neutralize');
    return {
      factor: rec.name,
      'valid cells': rec.validIn,
      'raw skew': raw.skew, 'raw kurtosis': raw.kurtosis,
      'winsorized cells': wins ? wins.cellsChanged : 0,
      'final skew': out.skew, 'final kurtosis': out.kurtosis,
      'mean R² (cap)': neut && typeof neut.meanRSquared === 'number' ? neut.meanRSquared : NaN,
    };
  });
}
