/**
 * The notebook workbench: every study result as an arquero table the researcher can filter,
 * group and join in the next cell, and one helper that displays any table as HTML.
 *
 *   const t = asTable(comparisonRows(s.bts));                 // arquero ColumnTable
 *   showTable(t.filter((d) => d.informationRatio > 0.3).orderby(aq.desc('cagr')), { caption: 'IR > 0.3' });
 *
 * Display goes through the tslab display channel (text/html + text/plain); outside a kernel the
 * HTML is only returned. Formatting is htmlTable's (fixed decimals, "–" for missing, wide tables scroll).
 */
import { from as aqFrom, type ColumnTable } from 'arquero';
import { RotationError } from '../errors.js';
import { tslabSink, type DisplaySink } from './display.js';
import { htmlTable, toRows, type TableData, type TableOptions } from './table.js';

/**
 * An arquero table of row objects (each object a row, keys the columns), or the table itself when
 * it already is one. Typed arrays in cells are not expanded. Empty input gives an empty table.
 */
export function asTable(data: TableData | ColumnTable): ColumnTable {
  if (!Array.isArray(data)) {
    const t = data as Partial<ColumnTable>;
    if (typeof t.objects === 'function' && typeof t.columnNames === 'function') return data as ColumnTable;
    throw new RotationError('REPORT_NOT_A_TABLE', 'showTable/asTable got neither row objects nor an arquero table', { type: typeof data },
      'pass an array of row objects (e.g. comparisonRows(...)) or an arquero table');
  }
  return aqFrom(data as object[]);
}

/**
 * Display a table (arquero table or row objects) as an HTML table in the notebook and return the
 * HTML. `options` as htmlTable (columns, formats, caption, maxRows). `sink` overrides the display
 * channel (tests); default: tslab when inside a kernel, else nothing is displayed.
 */
export function showTable(data: TableData | ColumnTable, options: TableOptions = {}, sink: DisplaySink | undefined = tslabSink()): string {
  const rows = toRows(asTable(data));
  const html = htmlTable(rows, options);
  const cols = options.columns ?? (rows.length ? Object.keys(rows[0]) : []);
  sink?.({ 'text/html': html, 'text/plain': `(table: ${rows.length} rows x ${cols.length} columns${options.caption ? `: ${options.caption}` : ''})` });
  return html;
}
