/**
 * A preprocessing pipeline: run steps (winsorize, standardize, neutralize, fill) in order on a
 * Panel and keep a serializable record of what ran, with which parameters (defaults filled in),
 * and what each step did: cells changed, NaN produced, NaN filled, degenerate dates by reason.
 * The record is plain JSON (numbers, strings, arrays), so a notebook can display or save it.
 */
import { RotationError } from '../errors.js';
import { degenerateCounts, newCrossSectionLog, type CrossSectionLog } from '../panel/kernels.js';
import type { Panel } from '../panel/panel.js';
import { fillIndustryMedian } from './fill.js';
import { neutralize } from './neutralize.js';
import { rankToNormal, rankToUnit, zscore } from './standardize.js';
import type { IndustryCodes } from './types.js';
import { winsorizeMad, winsorizeQuantile, winsorizeSigma } from './winsorize.js';

/** One step. Parameters left out take the defaults shown in the record. */
export type PipelineStep =
  | { step: 'winsorize'; method: 'mad'; k?: number; scale?: boolean }
  | { step: 'winsorize'; method: 'quantile'; lower?: number; upper?: number }
  | { step: 'winsorize'; method: 'sigma'; k?: number }
  | { step: 'standardize'; method: 'zscore' | 'rank' | 'normal' }
  | { step: 'neutralize'; industry?: boolean; cap?: boolean; columns?: string[]; dropCollinear?: boolean }
  | { step: 'fill'; method: 'industry-median' | 'none' };

/** What the steps may need besides the panel. */
export interface PipelineContext {
  /** Name shown in the record (e.g. the factor id). */
  name?: string;
  /** Industry codes for 'neutralize' (industry: true) and 'fill' (industry-median). */
  industry?: IndustryCodes;
  /** Market cap (> 0) for 'neutralize' (cap: true); its log is the regressor. */
  cap?: Panel;
  /** Named further regressors for 'neutralize' (columns: [...names]). */
  columns?: Readonly<Record<string, Panel>>;
}

/** What one step did. */
export interface PipelineStepRecord {
  index: number;
  step: PipelineStep['step'];
  /** Every parameter, defaults filled in. */
  params: Record<string, string | number | boolean | string[]>;
  validBefore: number;
  validAfter: number;
  /** Cells valid before and after whose value changed. */
  cellsChanged: number;
  /** Cells valid before and NaN after. */
  nanProduced: number;
  /** Cells NaN before and valid after. */
  nanFilled: number;
  /** Degenerate dates by reason (empty, too-few, constant, collinear), with up to 5 example dates each. */
  degenerateDates: Record<string, number>;
  degenerateExamples: Record<string, string[]>;
  /** Cells NaN after the step (for fill 'none': the count left missing). */
  missingAfter: number;
  /** neutralize only: mean R² over the dates that have one (null when none), and columns dropped as collinear. */
  meanRSquared?: number | null;
  droppedColumns?: { date: string; column: string; combinationOf: string[] }[];
}

export interface PipelineRecord {
  name: string;
  dates: number;
  assets: number;
  firstDate: string;
  lastDate: string;
  validIn: number;
  validOut: number;
  steps: PipelineStepRecord[];
}

function countValid(v: Float64Array): number {
  let c = 0;
  for (let k = 0; k < v.length; k++) if (v[k] === v[k]) c++;
  return c;
}

function bad(what: string, index: number, fix: string): RotationError {
  return new RotationError('PIPELINE_BAD_STEP', what, { step: index }, fix);
}

/**
 * Run `steps` in order on `panel`:
 *
 *   x_0 = panel,   x_{s+1} = step_s(x_s),   result = x_S
 *
 * and record each step's parameters (defaults filled in) and counts (`PipelineStepRecord`).
 * Steps: winsorize (mad: median ± k·1.4826·MAD, k = 3; quantile: [lower, upper] = [0.01, 0.99];
 * sigma: mean ± k·σ, k = 3), standardize (zscore, rank to [0, 1], rank to normal scores),
 * neutralize (OLS residual on industry dummies and/or log cap and named columns; collinear design
 * throws NEUTRALIZE_COLLINEAR unless dropCollinear), fill (industry-median, or 'none': leave NaN and count).
 * Errors: PIPELINE_BAD_STEP (unknown step or method), PIPELINE_MISSING_CONTEXT (a step needs
 * industry codes, cap or a column the context lacks), and the steps' own errors.
 */
export function runPipeline(panel: Panel, steps: readonly PipelineStep[], context: PipelineContext = {}): { panel: Panel; record: PipelineRecord } {
  let cur = panel;
  const records: PipelineStepRecord[] = [];
  for (let s = 0; s < steps.length; s++) {
    const st = steps[s];
    const log: CrossSectionLog = newCrossSectionLog();
    let next: Panel;
    let params: PipelineStepRecord['params'];
    let extra: Partial<PipelineStepRecord> = {};
    switch (st.step) {
      case 'winsorize': {
        if (st.method === 'mad') {
          const k = st.k ?? 3, scale = st.scale ?? true;
          params = { method: 'mad', k, scale };
          next = winsorizeMad(cur, k, { log, scale });
        } else if (st.method === 'quantile') {
          const lower = st.lower ?? 0.01, upper = st.upper ?? 0.99;
          params = { method: 'quantile', lower, upper };
          next = winsorizeQuantile(cur, lower, upper, { log });
        } else if (st.method === 'sigma') {
          const k = st.k ?? 3;
          params = { method: 'sigma', k };
          next = winsorizeSigma(cur, k, { log });
        } else {
          throw bad(`Unknown winsorize method "${(st as { method: string }).method}"`, s, "use 'mad', 'quantile' or 'sigma'");
        }
        break;
      }
      case 'standardize': {
        params = { method: st.method };
        if (st.method === 'zscore') next = zscore(cur, { log });
        else if (st.method === 'rank') next = rankToUnit(cur, { log });
        else if (st.method === 'normal') next = rankToNormal(cur, { log });
        else throw bad(`Unknown standardize method "${(st as { method: string }).method}"`, s, "use 'zscore', 'rank' or 'normal'");
        break;
      }
      case 'neutralize': {
        const useInd = st.industry ?? context.industry !== undefined;
        const useCap = st.cap ?? context.cap !== undefined;
        const colNames = st.columns ?? [];
        const dropCollinear = st.dropCollinear ?? false;
        params = { industry: useInd, cap: useCap, columns: colNames, dropCollinear };
        if (useInd && !context.industry) throw missingContext('industry codes', s, 'neutralize');
        if (useCap && !context.cap) throw missingContext('cap', s, 'neutralize');
        const columns: Record<string, Panel> = {};
        for (const c of colNames) {
          const p = context.columns?.[c];
          if (!p) throw missingContext(`column "${c}"`, s, 'neutralize');
          columns[c] = p;
        }
        const res = neutralize(cur, {
          industry: useInd ? context.industry : undefined,
          cap: useCap ? context.cap : undefined,
          columns, dropCollinear, log,
        });
        next = res.residual;
        let sum = 0, n = 0;
        for (const v of res.rSquared) if (v === v) { sum += v; n++; }
        extra = { meanRSquared: n > 0 ? sum / n : null, droppedColumns: res.dropped };
        break;
      }
      case 'fill': {
        params = { method: st.method };
        if (st.method === 'industry-median') {
          if (!context.industry) throw missingContext('industry codes', s, 'fill');
          next = fillIndustryMedian(cur, context.industry).panel;
        } else if (st.method === 'none') {
          next = cur;
        } else {
          throw bad(`Unknown fill method "${(st as { method: string }).method}"`, s, "use 'industry-median' or 'none'");
        }
        break;
      }
      default:
        throw bad(`Unknown step "${(st as { step: string }).step}"`, s, "use 'winsorize', 'standardize', 'neutralize' or 'fill'");
    }
    const a = cur.values, b = next.values;
    let changed = 0, produced = 0, filledN = 0, vb = 0, va = 0;
    for (let k = 0; k < a.length; k++) {
      const x = a[k], y = b[k];
      const okx = x === x, oky = y === y;
      if (okx) vb++;
      if (oky) va++;
      if (okx && oky) { if (x !== y) changed++; } else if (okx) produced++; else if (oky) filledN++;
    }
    const counts = degenerateCounts(log);
    const degenerateDates: Record<string, number> = {};
    const degenerateExamples: Record<string, string[]> = {};
    for (const [reason, c] of Object.entries(counts)) {
      if (c > 0) {
        degenerateDates[reason] = c;
        degenerateExamples[reason] = (log.degenerate.get(reason as keyof typeof counts) ?? []).slice(0, 5);
      }
    }
    records.push({
      index: s, step: st.step, params, validBefore: vb, validAfter: va,
      missingAfter: b.length - va, cellsChanged: changed, nanProduced: produced, nanFilled: filledN, degenerateDates, degenerateExamples, ...extra,
    });
    cur = next;
  }
  return {
    panel: cur,
    record: {
      name: context.name ?? 'panel',
      dates: panel.dates.length,
      assets: panel.assets.length,
      firstDate: panel.dates[0] ?? '',
      lastDate: panel.dates[panel.dates.length - 1] ?? '',
      validIn: countValid(panel.values),
      validOut: countValid(cur.values),
      steps: records,
    },
  };
}

function missingContext(what: string, index: number, step: string): RotationError {
  return new RotationError('PIPELINE_MISSING_CONTEXT', `Step ${index} (${step}) needs ${what}, which the context lacks`,
    { step: index, needs: what }, `pass it in the context (runPipeline(panel, steps, { ${what.startsWith('column') ? 'columns' : what === 'cap' ? 'cap' : 'industry'}: ... }))`);
}

/** The record as a Markdown table (one row per step), for notebook display. Deterministic. */
export function pipelineRecordMarkdown(record: PipelineRecord): string {
  const fmtParams = (p: PipelineStepRecord['params']): string =>
    Object.entries(p).map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ');
  const lines = [
    `Pipeline "${record.name}": ${record.dates} dates x ${record.assets} assets (${record.firstDate} .. ${record.lastDate}), valid cells ${record.validIn} -> ${record.validOut}`,
    '',
    '| # | step | parameters | valid before | valid after | changed | NaN produced | NaN filled | degenerate dates | mean R² |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of record.steps) {
    const deg = Object.entries(s.degenerateDates).map(([k, v]) => `${k}: ${v}`).join(', ') || '0';
    const r2 = s.meanRSquared === undefined ? '' : s.meanRSquared === null ? 'n/a' : s.meanRSquared.toFixed(4);
    lines.push(`| ${s.index} | ${s.step} | ${fmtParams(s.params)} | ${s.validBefore} | ${s.validAfter} | ${s.cellsChanged} | ${s.nanProduced} | ${s.nanFilled} | ${deg} | ${r2} |`);
  }
  return lines.join('\n') + '\n';
}
