/**
 * `rotation pbo --data D [--out results] [--blocks 16]`: the probability of backtest overfitting
 * of every variant recorded on a dataset (src/studies/overfitting.ts), printed as tables and
 * written as `<out>/<dataset>/pbo.csv` (headline figures), `pbo_variants.csv` (one row per
 * variant) and `pbo_logits.csv` (one row per CSCV split: the logit λ and the chosen variant's
 * in-sample and out-of-sample active Sharpe), each file atomically (`writeOutputs`).
 */
import path from 'node:path';
import { RotationError } from '../errors.js';
import { toCsv } from '../report/csv.js';
import { markdownTable } from '../report/table.js';
import { overfittingStudy, overfittingSummaryRows, type OverfittingStudy } from '../studies/overfitting.js';
import { writeOutputs } from './outputs.js';

export interface PboCommandOptions {
  data: string;
  out: string;
  blocks: string | number;
  quiet?: boolean;
}

/** `--blocks` as an even integer (CLI_BAD_VALUE otherwise; the range is checked by the PBO itself). */
function blocksOption(v: string | number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n % 2 !== 0) {
    throw new RotationError('CLI_BAD_VALUE', `--blocks must be an even integer >= 2, got "${String(v)}"`, { argument: 'blocks' }, 'e.g. --blocks 16 (Bailey et al. 2015)');
  }
  return n;
}

/** Run the study, print it, write the CSV files; returns the study and the files written. */
export function pboCommand(opts: PboCommandOptions): { study: OverfittingStudy; files: string[] } {
  const study = overfittingStudy(opts.out, opts.data, { blocks: blocksOption(opts.blocks) });
  const dir = path.join(opts.out, study.dataset);
  const summary = overfittingSummaryRows(study);
  const variants = study.rows.map((r) => ({ variant: r.variant, specHash: r.specHash, role: r.role, periods: r.periods, informationRatio: r.informationRatio, chosenShare: r.chosenShare }));
  const logits = Array.from(study.pbo.logits, (l, c) => ({ split: c + 1, logit: l, inSampleSharpe: study.pbo.inSample[c], outOfSampleSharpe: study.pbo.outOfSample[c] }));
  const files = [
    { file: path.join(dir, 'pbo.csv'), text: toCsv(summary) },
    { file: path.join(dir, 'pbo_variants.csv'), text: toCsv(variants) },
    { file: path.join(dir, 'pbo_logits.csv'), text: toCsv(logits) },
  ];
  writeOutputs(files);
  const f = (x: number | string, q: string): string => typeof x === 'string' ? x
    : ['PBO', 'probability of loss', 'deflated Sharpe'].includes(q) ? `${(100 * x).toFixed(1)}%`
      : Number.isInteger(x) ? String(x) : x.toFixed(3);
  console.log(`pbo: ${study.dataset}: ${study.pbo.variants} variants, ${study.dates.length} common periods, S = ${study.pbo.blocks}`);
  console.log(markdownTable(summary.map((r) => ({ quantity: r.quantity, value: f(r.value, r.quantity), note: r.note }))));
  if (!opts.quiet) {
    console.log('');
    console.log(markdownTable(study.rows.map((r) => ({ variant: r.variant, role: r.role, IR: r.informationRatio.toFixed(3), 'chosen in sample': `${(100 * r.chosenShare).toFixed(1)}%` }))));
  }
  for (const n of study.notes) console.log(`note: ${n}`);
  for (const [reason, n] of Object.entries(study.loss.dropped)) console.log(`note: alignment left out ${n} variant-period(s): ${reason}`);
  console.log(`pbo: wrote ${files.map((x) => x.file).join(', ')}`);
  return { study, files: files.map((x) => x.file) };
}
