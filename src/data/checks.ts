/**
 * Checks at the cause, run by the loaders after a file is validated:
 *
 * - the loss threshold: a file losing more than `maxLoss` of its rows (default 5 %, like
 *   alphalens' `max_loss`) fails at the loader with the loss report, the dominant reason and a
 *   fix (decimal commas → `--decimal ,`; month-first dates → `--date-format MM/DD/YYYY`);
 * - codes that differ only in case or whitespace (`ci005001.wi` vs `CI005001.WI`): a named error;
 * - probable rebases: a one-day close ratio beyond the thresholds (default −90 % / +900 %),
 *   flagged with the date and counted in the report's `flagged` counts, never silent;
 * - constant closes: an industry whose close never changes is flagged; every industry constant
 *   is a named error (no return, no factor, no evaluation can come out of it).
 */
import { RotationError } from '../errors.js';
import type { Panel } from '../panel/panel.js';
import { countFlag, totalDropped, type LossReport } from './loss.js';

/** Default largest share of a file's rows a load may lose before it fails (alphalens' max_loss is 35 %; ours is stricter). */
export const DEFAULT_MAX_LOSS = 0.05;

/** Default one-day close ratio thresholds of a probable rebase: r < −90 % or r > +900 %. */
export const DEFAULT_REBASE_THRESHOLDS = Object.freeze({ down: -0.9, up: 9 });

/**
 * Reasons that are not losses of data the file holds: rows after an explicit asOf (a requested
 * cut) and blank cells of a wide table (a series not yet published on that date; a long file
 * would have no row). Excluded from the threshold.
 */
function isRequestedCut(reason: string): boolean {
  return / after asOf /.test(reason) || reason.startsWith('blank cell (no value published)');
}

/**
 * Share of a report's rows lost, requested cuts and wide-table blanks excluded (see isRequestedCut):
 * loss = Σ_{reasons not a cut} dropped / (rowsRead − Σ_{cuts} dropped); 0 for an empty report.
 */
export function lossShare(report: LossReport): number {
  let lost = 0, cut = 0;
  for (const [reason, n] of Object.entries(report.dropped)) {
    if (isRequestedCut(reason)) cut += n;
    else lost += n;
  }
  const base = report.rowsRead - cut;
  return base > 0 ? lost / base : 0;
}

/** The reason with the most rows (ties: the first in alphabetical order), excluding requested cuts. */
export function dominantReason(report: LossReport): { reason: string; count: number } | undefined {
  let best: { reason: string; count: number } | undefined;
  const entries = Object.entries(report.dropped).filter(([r]) => !isRequestedCut(r)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [reason, count] of entries) if (!best || count > best.count) best = { reason, count };
  return best;
}

const DECIMAL_COMMA_RE = /^[+-]?\d+,\d+$/;
const YEAR_LAST_RE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})/;

/**
 * A diagnosis of why rows were lost, read from the examples of the dominant reason: decimal
 * commas ("2543,75"), year-last dates (01/02/2024: month first when some second part > 12 and no
 * first part does, day first in the opposite case, ambiguous otherwise), ragged records, or the
 * reason's own fix.
 */
export function lossDiagnosis(report: LossReport, reason: string): { cause: string; fix: string } {
  const ex = report.examples.filter((e) => e.reason === reason).map((e) => e.where);
  const texts = ex.map((w) => String(w.text ?? w.record ?? ''));
  if (texts.length && texts.every((t) => DECIMAL_COMMA_RE.test(t.trim()))) {
    return { cause: `numbers written with decimal commas (e.g. "${texts[0]}")`, fix: "re-export with '.' decimals, or pass --decimal , (library: { decimal: ',' })" };
  }
  if (texts.length && texts.every((t) => /^[+-]?[\d.,]+\s*%$/.test(t.trim()))) {
    return { cause: `numbers written with a percent sign (e.g. "${texts[0]}")`, fix: 'export plain numbers (2543.75, not 2543.75%; a percentage as a fraction or in a column whose name says %)' };
  }
  const hint = /unparseable date/.test(reason) ? report.notes.find((n) => n.startsWith('dates look like ')) : undefined;
  const ymd = texts.map((t) => YEAR_LAST_RE.exec(t.trim())).filter((m): m is RegExpExecArray => m !== null);
  if (hint || (ymd.length && ymd.length === texts.length)) {
    // the validators' note covers every rejected date text; the examples only the first few
    const fmt = hint ? hint.slice('dates look like '.length).replace(/ \(.*$/, '') : 'MM/DD/YYYY or DD/MM/YYYY';
    return {
      cause: hint ?? `dates look like ${fmt} (e.g. "${texts[0]}")`,
      fix: `pass --date-format ${fmt.includes(' or ') ? 'MM/DD/YYYY (or DD/MM/YYYY: check a date whose day is above 12)' : fmt} (library: { dateFormat }), or re-export dates as yyyy-mm-dd`,
    };
  }
  if (/wrong number of fields/.test(reason)) {
    const comma = texts.some((t) => /\d,\d{1,2}(,|$)/.test(t));
    return {
      cause: comma ? 'records with more fields than the header: probably decimal commas in a comma-delimited file' : 'records with the wrong number of fields',
      fix: comma ? "re-export with '.' decimals (or ';' as the delimiter and pass --decimal ,)" : 'quote fields that contain the delimiter, and remove footer/notes lines',
    };
  }
  if (/in the future/.test(reason)) return { cause: 'rows dated in the future', fix: 'correct the dates (a typo such as 2030 for 2020) or pass --asof' };
  return { cause: reason, fix: 'see the examples (file and line) for the rows lost and correct them in the export' };
}

/** Throws DATA_BAD_ARGUMENT unless `maxLoss` is a fraction in [0, 1]. */
export function assertMaxLoss(maxLoss: number): void {
  if (!(maxLoss >= 0 && maxLoss <= 1)) {
    throw new RotationError('DATA_BAD_ARGUMENT', `maxLoss must be a fraction in [0, 1], got ${String(maxLoss)}`, { argument: 'maxLoss' },
      'pass e.g. --max-loss 0.05 (5 % of a file\'s rows)');
  }
}

/**
 * Fail when a file lost more than `maxLoss` of its rows (see `lossShare`): DATA_LOSS_OVER_THRESHOLD
 * with the loss report, the dominant reason, its diagnosis and fix. `maxLoss` in [0, 1]
 * (DATA_BAD_ARGUMENT otherwise); 1 disables the check.
 */
export function checkLossThreshold(report: LossReport, maxLoss = DEFAULT_MAX_LOSS): void {
  assertMaxLoss(maxLoss);
  const share = lossShare(report);
  if (share <= maxLoss) return;
  const dom = dominantReason(report)!;
  const diag = lossDiagnosis(report, dom.reason);
  const where: Record<string, string | number | string[]> = {
    file: report.source, rowsRead: report.rowsRead, rowsKept: report.rowsKept, lost: totalDropped(report),
    reasons: Object.entries(report.dropped).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r}: ${n}`),
    examples: report.examples.filter((e) => e.reason === dom.reason).slice(0, 3).map((e) => Object.entries(e.where).map(([k, v]) => `${k}=${v}`).join(' ')),
  };
  throw new RotationError('DATA_LOSS_OVER_THRESHOLD',
    `${report.stage}: ${(share * 100).toFixed(1)}% of the rows of ${report.source} were lost (limit ${(maxLoss * 100).toFixed(1)}%); dominant reason "${dom.reason}" (${dom.count} rows): ${diag.cause}`,
    where, `${diag.fix}; or pass --max-loss ${Math.min(1, Math.ceil(share * 100 + 1) / 100).toFixed(2)} to accept this loss`);
}

/**
 * Codes that differ only in letter case or surrounding/inner whitespace name one industry (or
 * stock) twice: DATA_CODE_CASE_VARIANT listing each group (e.g. "CI005001.WI | ci005001.wi").
 */
export function assertNoCaseVariantCodes(codes: readonly string[], source: string, column = 'code'): void {
  const groups = new Map<string, Set<string>>();
  for (const c of codes) {
    const k = c.replace(/\s+/g, '').toUpperCase();
    let g = groups.get(k);
    if (!g) groups.set(k, (g = new Set()));
    g.add(c);
  }
  const clash = [...groups.values()].filter((g) => g.size > 1).map((g) => [...g].sort().join(' | ')).sort();
  if (clash.length) {
    throw new RotationError('DATA_CODE_CASE_VARIANT', `${clash.length} ${column} value(s) differ only in letter case or whitespace and would become separate series`,
      { file: source, column, variants: clash }, `write each ${column} one way (e.g. upper case, no spaces) in the export`);
  }
}

/** Reason under which probable rebases are flagged (LossReport.flagged). */
export const REBASE_FLAG = 'probable rebase or unit change (one-day close ratio beyond the thresholds; kept)';
/** Reason under which constant-close series are flagged. */
export const CONSTANT_FLAG = 'close constant over the whole file (no returns; kept)';

/**
 * Flag probable rebases in a close panel: for each asset, consecutive valid closes (gaps skipped)
 * with r = c_t / c_prev − 1 < down or > up (default −90 % / +900 %). Each is counted in
 * `report.flagged[REBASE_FLAG]` with its date, and returned as a caveat sentence.
 */
export function flagProbableRebases(close: Panel, report: LossReport, thresholds: { down: number; up: number } = DEFAULT_REBASE_THRESHOLDS): string[] {
  const T = close.dates.length, N = close.assets.length;
  const out: string[] = [];
  for (let i = 0; i < N; i++) {
    let prev = NaN, prevT = -1;
    for (let t = 0; t < T; t++) {
      const c = close.values[t * N + i];
      if (!(c > 0)) continue;
      if (prevT >= 0) {
        const r = c / prev - 1;
        if (r < thresholds.down || r > thresholds.up) {
          const where = { file: report.source, code: close.assets[i], date: close.dates[t], previousDate: close.dates[prevT], previous: prev, close: c };
          countFlag(report, REBASE_FLAG, 1, where);
          out.push(`Probable rebase or unit change in ${close.assets[i]} on ${close.dates[t]}: close ${prev} on ${close.dates[prevT]} → ${c} (${(r * 100).toFixed(1)}% in one day); the return across it is not economic: re-base the series before that date or drop it.`);
        }
      }
      prev = c; prevT = t;
    }
  }
  return out;
}

/**
 * Flag assets whose close never changes (at least 2 valid closes, all equal): counted in
 * `report.flagged[CONSTANT_FLAG]`. When every asset with closes is constant, DATA_CONSTANT_PRICES:
 * there is no return to evaluate or backtest.
 */
export function flagConstantCloses(close: Panel, report: LossReport): string[] {
  const T = close.dates.length, N = close.assets.length;
  const constant: string[] = [];
  let priced = 0;
  for (let i = 0; i < N; i++) {
    let first = NaN, n = 0, same = true;
    for (let t = 0; t < T; t++) {
      const c = close.values[t * N + i];
      if (!(c > 0)) continue;
      if (n === 0) first = c;
      else if (c !== first) { same = false; break; }
      n++;
    }
    if (n >= 1) priced++;
    if (same && n >= 2) {
      constant.push(close.assets[i]);
      countFlag(report, CONSTANT_FLAG, 1, { file: report.source, code: close.assets[i], close: first });
    }
  }
  if (priced > 0 && constant.length === priced) {
    throw new RotationError('DATA_CONSTANT_PRICES', `Every series in ${report.source} has a constant close: there are no returns`,
      { file: report.source, codes: constant }, 'check the export (a price column filled with one value, or the wrong column mapped to close)');
  }
  return constant.map((c) => `Close of ${c} is constant over the whole file (no returns): it never ranks on return-based factors.`);
}
