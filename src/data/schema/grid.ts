/** Long rows (date, code, value) arranged into date x asset panels. */
import { RotationError } from '../../errors.js';
import { createPanel, type Panel } from '../../panel/panel.js';

// ---------------------------------------------------------------------------------------------
// Long rows -> panels

/** Result of arranging long rows into date x asset panels. */
export interface PanelGrid {
  dates: string[];
  assets: string[];
  /** Cell index t * nAssets + i of each row, -1 for rows not placed. */
  cell: Int32Array;
}

/**
 * Arrange rows (date, asset) into a grid: dates ascending, assets ascending (code order), one
 * cell per row. Rows with `use[i] = 0` are not placed. Throws `DATA_DUPLICATE_KEY` listing the
 * first duplicates (date, code, both lines).
 */
export function gridFromRows(dates: readonly string[], assets: readonly string[], use: Uint8Array, source: string, lines?: Int32Array,
  keyNames: [string, string] = ['date', 'code']): PanelGrid {
  const n = dates.length;
  const dset = new Map<string, number>(), aset = new Map<string, number>();
  for (let r = 0; r < n; r++) {
    if (!use[r]) continue;
    if (!dset.has(dates[r])) dset.set(dates[r], 0);
    if (!aset.has(assets[r])) aset.set(assets[r], 0);
  }
  const D = [...dset.keys()].sort();
  const A = [...aset.keys()].sort();
  D.forEach((d, t) => dset.set(d, t));
  A.forEach((a, i) => aset.set(a, i));
  const nA = A.length;
  const owner = new Int32Array(D.length * nA).fill(-1);
  const cell = new Int32Array(n).fill(-1);
  const dups: string[] = [];
  let nDup = 0;
  for (let r = 0; r < n; r++) {
    if (!use[r]) continue;
    const k = dset.get(dates[r])! * nA + aset.get(assets[r])!;
    if (owner[k] >= 0) {
      nDup++;
      if (dups.length < 10) {
        const a = owner[k];
        dups.push(`${dates[r]} ${assets[r]} (${lines ? `lines ${lines[a]} and ${lines[r]}` : `rows ${a + 1} and ${r + 1}`})`);
      }
      continue;
    }
    owner[k] = r;
    cell[r] = k;
  }
  if (nDup) {
    throw new RotationError('DATA_DUPLICATE_KEY', `${nDup} duplicate (${keyNames[0]}, ${keyNames[1]}) row(s)`,
      { file: source, duplicates: dups },
      `keep one row per (${keyNames[0]}, ${keyNames[1]}); a vendor export appended twice or two files merged is the usual cause`);
  }
  return { dates: D, assets: A, cell };
}

/** Scatter row values into a panel on a grid (NaN where no row). */
export function panelFromGrid(grid: PanelGrid, rowValues: Float64Array, source: string): Panel {
  const out = new Float64Array(grid.dates.length * grid.assets.length).fill(NaN);
  const cell = grid.cell;
  for (let r = 0; r < cell.length; r++) if (cell[r] >= 0) out[cell[r]] = rowValues[r];
  return createPanel(grid.dates, grid.assets, out, source);
}
