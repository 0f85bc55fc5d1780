/**
 * HTML tables for notebooks and reports, from row objects or arquero tables.
 * Numbers are formatted deterministically (fixed decimals or percent), so reports diff cleanly.
 */
export type Cell = string | number | boolean | null | undefined;
export type Row = Record<string, Cell>;

export interface ColumnFormat {
  /** Decimal places for numbers (default 4). */
  digits?: number;
  /** Show numbers as percent with `digits` decimals (0.0531 → 5.31%). */
  percent?: boolean;
  /** Header text (default: the key). */
  label?: string;
}

export interface TableOptions {
  columns?: string[];
  formats?: Record<string, ColumnFormat>;
  caption?: string;
  /** Show at most this many rows (a note says how many were omitted). Default 200. */
  maxRows?: number;
}

/** Anything with arquero's `objects()` method. */
export interface ObjectsTable {
  objects(options?: unknown): object[];
}

/** Table input: row objects (any interface whose values are cells) or an arquero table. */
export type TableData = readonly object[] | ObjectsTable;

/** Rows from an arquero table or pass-through. */
export function toRows(data: TableData): Row[] {
  return (Array.isArray(data) ? data : (data as ObjectsTable).objects()) as Row[];
}

/** Format one cell: NaN/null/undefined → "–", numbers by `fmt`. */
export function formatCell(v: Cell, fmt: ColumnFormat = {}): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '–';
    if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
    const digits = fmt.digits ?? (Number.isInteger(v) ? 0 : 4);
    const s = fmt.percent ? `${(v * 100).toFixed(digits)}%` : v.toFixed(digits);
    return s === '-0' || /^-0\.0*%?$/.test(s) ? s.slice(1) : s;
  }
  return String(v);
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An HTML `<table>` of the rows; numeric cells right-aligned. The table sits in a
 * `<div class="rotation-table-wrap">` that scrolls horizontally, so a wide table never clips.
 */
export function htmlTable(data: TableData, options: TableOptions = {}): string {
  const rows = toRows(data);
  const columns = options.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const formats = options.formats ?? {};
  const maxRows = options.maxRows ?? 200;
  const head = columns.map((c) => `<th>${escapeHtml(formats[c]?.label ?? c)}</th>`).join('');
  const body = rows
    .slice(0, maxRows)
    .map((r) => `<tr>${columns.map((c) => {
      const v = r[c];
      const align = typeof v === 'number' ? ' style="text-align:right"' : '';
      return `<td${align}>${escapeHtml(formatCell(v, formats[c]))}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  const more = rows.length > maxRows ? `<p><em>${rows.length - maxRows} more rows not shown.</em></p>` : '';
  const caption = options.caption ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(options.caption)}</caption>` : '';
  return `<div class="rotation-table-wrap" style="overflow-x:auto;max-width:100%"><table class="rotation-table">${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${more}`;
}

/** A Markdown table of the rows (for docs/results), formatted like `htmlTable`. */
export function markdownTable(data: TableData, options: TableOptions = {}): string {
  const rows = toRows(data);
  const columns = options.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  const formats = options.formats ?? {};
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `| ${columns.map((c) => esc(formats[c]?.label ?? c)).join(' | ')} |`,
    `| ${columns.map((c) => (rows.length && typeof rows[0][c] === 'number' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${columns.map((c) => esc(formatCell(r[c], formats[c]))).join(' | ')} |`),
  ];
  return lines.join('\n');
}
