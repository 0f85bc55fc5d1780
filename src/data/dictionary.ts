/**
 * The data dictionary (docs/data_dictionary.md) generated from the canonical schemas and the
 * vendor mappings. Pure and deterministic: the same code gives byte-identical Markdown. This module
 * does not write files; the caller (the lead's docs script) writes the returned string.
 */
import { SCHEMAS, TABLE_NAMES, type TableSchema } from './schema.js';
import { VENDOR_COLUMNS, type Vendor } from './vendors.js';

/** An extra section appended after the generated ones. */
export interface DictionarySection {
  title: string;
  /** Markdown body (no leading heading). */
  markdown: string;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function tableSection(s: TableSchema): string {
  const lines: string[] = [];
  lines.push(`## ${s.title} (\`${s.name}\`)`, '');
  lines.push(s.description, '');
  lines.push(`- Key (duplicates are an error): ${s.key.map((k) => `\`${k}\``).join(', ')}`);
  lines.push(`- Known on (checked against \`asOf\`): \`${s.knownDate}\``);
  lines.push(`- File names in a \`--data DIR\` folder: ${s.fileNames.map((f) => `\`${f}\``).join(', ')}`, '');
  lines.push('| field | type | unit | required | meaning | point in time |', '|---|---|---|---|---|---|');
  for (const f of s.fields) {
    lines.push(`| \`${f.name}\` | ${f.type} | ${cell(f.unit)} | ${f.required ? 'yes' : 'no'} | ${cell(f.meaning)} | ${cell(f.pointInTime)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

const VENDOR_TITLES: Readonly<Record<Exclude<Vendor, 'canonical'>, string>> = Object.freeze({
  wind: 'Wind', joinquant: 'JoinQuant', ricequant: 'RiceQuant (RQData)', tushare: 'Tushare',
});

function vendorSection(v: Exclude<Vendor, 'canonical'>): string {
  const lines: string[] = [`### ${VENDOR_TITLES[v]} (\`${v}\`)`, '', '| table | vendor column | canonical column | unit conversion |', '|---|---|---|---|'];
  for (const t of TABLE_NAMES) {
    for (const r of VENDOR_COLUMNS[v][t] ?? []) {
      const conv = r.unit ?? (r.scale !== undefined ? `×${r.scale}` : r.transform ? r.transform.replace(/_/g, ' ') : '-');
      lines.push(`| ${t} | \`${cell(r.from)}\` | \`${r.to}\` | ${cell(conv)} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * Markdown of docs/data_dictionary.md: conventions, one section per canonical table (field, type,
 * unit, required, meaning, point-in-time rule), the vendor column mappings and the validation
 * policy, then `extraSections` in the order given.
 */
export function dataDictionaryMarkdown(extraSections: readonly DictionarySection[] = []): string {
  const out: string[] = [];
  out.push('# Data dictionary', '');
  out.push('Generated from `src/data/schema.ts` and `src/data/vendors.ts` by `dataDictionaryMarkdown()`; do not edit by hand.', '');
  out.push('## Conventions', '');
  out.push('- Dates are ISO `yyyy-mm-dd` text. Loaders also accept `20240131`, `2024/1/31`, `2024.1.31`, `2024年1月31日` and a trailing time, and normalise them.');
  out.push('- Codes are text and never parsed as numbers (`000001.SZ` keeps its zeros). `.XSHG`/`.XSHE`/`.BJSE` become `.SH`/`.SZ`/`.BJ`.');
  out.push('- Missing numbers are blank (also `NA`, `N/A`, `NaN`, `null`, `None`, `--`); in memory they are `NaN`.');
  out.push('- Money in CNY, volume in shares, ratios as fractions (percent inputs are converted), index weights in percent on file and fractions in memory.');
  out.push('- Files may be gzip-compressed (detected by magic bytes), UTF-8 (a BOM is stripped) or GBK.', '');
  for (const name of TABLE_NAMES) out.push(tableSection(SCHEMAS[name]));
  out.push('## Vendor column mappings', '');
  out.push('A file\'s vendor is detected from its headers (or given with `{ vendor }` / `--vendor`). Columns not listed keep their names and are reported as unknown.', '');
  for (const v of ['wind', 'joinquant', 'ricequant', 'tushare'] as const) out.push(vendorSection(v));
  out.push('## Validation policy', '');
  out.push('- Structural problems throw a `RotationError`: `DATA_FILE_NOT_FOUND`, `DATA_EMPTY_FILE`, `DATA_ENCODING`, `DATA_MISSING_COLUMN` (lists expected and found), `DATA_DUPLICATE_COLUMN`, `DATA_DUPLICATE_KEY`, `DATA_MEMBERSHIP_OVERLAP` (names the stock and both windows), `DATA_WEIGHTS_NOT_100` (lists the dates; `{ renormalize: true }` / `--renormalize` rescales instead), `DATA_CODE_CASE_VARIANT` (codes differing only in case or whitespace), `DATA_CONSTANT_PRICES` (every close series constant), `DATA_FILE_TOO_LARGE` (a file decoding past the engine\'s string limit).');
  out.push('- Row-level problems are dropped or masked to NaN and counted in the loss report with file, line, column and value examples; `{ strict: true }` throws instead: `DATA_NOT_A_NUMBER`, `DATA_NONPOSITIVE_PRICE`, `DATA_NEGATIVE_VOLUME`, `DATA_HIGH_BELOW_LOW`, `DATA_AFTER_AS_OF`, `DATA_ANNOUNCED_BEFORE_PERIOD_END`, `DATA_BAD_DATE`, `DATA_BAD_WINDOW`, `DATA_BAD_WEIGHT`, `DATA_MISSING_VALUE`, `DATA_RAGGED_ROW`, `DATA_FUTURE_DATE` (bars after today when no asOf is given).');
  out.push('- A folder of exports fails at the loader when a file loses more than `maxLoss` of its rows (default 5 %; `--max-loss`): `DATA_LOSS_OVER_THRESHOLD` names the dominant reason and the fix (decimal commas: `--decimal ,`; year-last dates: `--date-format MM/DD/YYYY` or `DD/MM/YYYY`). Probable rebases (one-day close ratio beyond −90 % / +900 %) and constant closes are kept and flagged (`LossReport.flagged`, dataset caveats).');
  out.push('- Each row is counted once, under its first problem, so `rowsRead = rowsKept + sum(dropped)`; `rowsKept` counts rows kept intact. Unknown columns are listed in the notes.', '');
  for (const s of extraSections) out.push(`## ${s.title}`, '', s.markdown.trimEnd(), '');
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
