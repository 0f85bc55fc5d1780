/**
 * The dense date x asset `Panel`: the one data structure every hot loop runs on.
 *
 *   values[t * nAssets + i] = value of asset i on date t,   NaN = missing.
 *
 * Dates are ISO `yyyy-mm-dd` strings, strictly ascending and unique; assets are unique strings.
 * One date's cross-section is the contiguous slice values[t*N .. (t+1)*N), so per-date kernels
 * are cache-friendly and allocation-free.
 */
import { RotationError } from '../errors.js';

export interface Panel {
  readonly dates: readonly string[];
  readonly assets: readonly string[];
  readonly values: Float64Array;
}

/** Days in month `mo` (1–12) of year `y`, Gregorian: February has 29 days when y % 4 = 0 and (y % 100 ≠ 0 or y % 400 = 0). */
function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** The digit 0–9 at s[i], or −1. */
function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/**
 * True when `s` is a real calendar date written yyyy-mm-dd (2023-02-30 is rejected). Checked by
 * character codes, without a regular expression or a Date (it runs for every date of every
 * panel). Years 0000–0099 take the leap rule of 1900–1999, as `Date.UTC` reads them (so 0000-02-29
 * is rejected); a unit test compares this with the regular-expression-and-Date definition.
 */
export function isIsoDate(s: string): boolean {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = digitAt(s, i);
    if (c < 0) return false;
    y = y * 10 + c;
  }
  const m1 = digitAt(s, 5), m2 = digitAt(s, 6), d1 = digitAt(s, 8), d2 = digitAt(s, 9);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return false;
  const mo = m1 * 10 + m2, d = d1 * 10 + d2;
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y < 100 ? y + 1900 : y, mo);
}

/**
 * Build a panel from its parts, validating everything: dates well-formed, strictly ascending and
 * unique; assets unique; `values.length = dates.length * assets.length`; no +/-Infinity.
 * `source` names where the data came from, for error messages.
 */
export function createPanel(
  dates: readonly string[],
  assets: readonly string[],
  values: Float64Array,
  source = 'panel',
): Panel {
  for (let t = 0; t < dates.length; t++) {
    if (!isIsoDate(dates[t])) {
      throw new RotationError('PANEL_BAD_DATE', `Unparseable date "${dates[t]}"`, { source, position: t },
        'write dates as ISO yyyy-mm-dd (e.g. 2024-01-31)');
    }
    if (t > 0 && dates[t] <= dates[t - 1]) {
      const dup = dates[t] === dates[t - 1];
      throw new RotationError(dup ? 'PANEL_DUPLICATE_DATE' : 'PANEL_UNSORTED_DATES',
        dup ? `Duplicate date ${dates[t]}` : `Dates not ascending: ${dates[t - 1]} is followed by ${dates[t]}`,
        { source, position: t },
        dup ? 'keep one row per date' : 'sort the dates ascending before building the panel (fromLong/fromWide sort for you)');
    }
  }
  const seen = new Set<string>();
  for (let i = 0; i < assets.length; i++) {
    if (seen.has(assets[i])) {
      throw new RotationError('PANEL_DUPLICATE_ASSET', `Duplicate asset "${assets[i]}"`, { source, position: i },
        'asset identifiers must be unique');
    }
    seen.add(assets[i]);
  }
  if (values.length !== dates.length * assets.length) {
    throw new RotationError('PANEL_SHAPE', `values has ${values.length} cells, expected ${dates.length} dates x ${assets.length} assets = ${dates.length * assets.length}`,
      { source }, 'pass a date-major Float64Array of length nDates * nAssets');
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v === Infinity || v === -Infinity) {
      const t = Math.floor(k / assets.length), i = k % assets.length;
      throw new RotationError('PANEL_INFINITE', `Infinite value ${v}`, { source, date: dates[t], asset: assets[i] },
        'replace infinities (often a division by zero upstream) with NaN or a finite value');
    }
  }
  return { dates: [...dates], assets: [...assets], values };
}

/** A panel of the given shape filled with `fill` (NaN by default). */
export function emptyPanel(dates: readonly string[], assets: readonly string[], fill = NaN): Panel {
  const values = new Float64Array(dates.length * assets.length);
  if (fill !== 0) values.fill(fill);
  return createPanel(dates, assets, values);
}

/** A panel with the same dates and assets as `like` and new values (not revalidated for order). */
export function withValues(like: Panel, values: Float64Array): Panel {
  if (values.length !== like.values.length) {
    throw new RotationError('PANEL_SHAPE', `values has ${values.length} cells, expected ${like.values.length}`, {},
      'pass values of the same shape as the template panel');
  }
  return { dates: like.dates, assets: like.assets, values };
}

export function nDates(p: Panel): number {
  return p.dates.length;
}

export function nAssets(p: Panel): number {
  return p.assets.length;
}

/** Value at (date index t, asset index i). */
export function at(p: Panel, t: number, i: number): number {
  return p.values[t * p.assets.length + i];
}

/** The cross-section of date index t as a view (no copy) into the panel's values. */
export function crossSection(p: Panel, t: number): Float64Array {
  const n = p.assets.length;
  return p.values.subarray(t * n, (t + 1) * n);
}

/** The time series of asset index i (a copy, length nDates). */
export function series(p: Panel, i: number): Float64Array {
  const n = p.assets.length, T = p.dates.length;
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) out[t] = p.values[t * n + i];
  return out;
}

/** Index of each date, for lookups. */
export function dateIndex(p: Panel): Map<string, number> {
  return new Map(p.dates.map((d, t) => [d, t]));
}

/** Index of each asset, for lookups. */
export function assetIndex(p: Panel): Map<string, number> {
  return new Map(p.assets.map((a, i) => [a, i]));
}

/** Count of non-NaN cells. */
export function countValid(p: Panel): number {
  let c = 0;
  for (let k = 0; k < p.values.length; k++) if (!Number.isNaN(p.values[k])) c++;
  return c;
}

/** Dates in [from, to] (inclusive, ISO strings; either may be omitted). */
export function sliceDates(p: Panel, from?: string, to?: string): Panel {
  for (const [name, d] of [['from', from], ['to', to]] as const) {
    if (d !== undefined && !isIsoDate(d)) {
      throw new RotationError('PANEL_BAD_DATE', `Unparseable ${name} date "${d}"`, { argument: name }, 'write dates as ISO yyyy-mm-dd');
    }
  }
  let t0 = 0, t1 = p.dates.length;
  if (from !== undefined) while (t0 < t1 && p.dates[t0] < from) t0++;
  if (to !== undefined) while (t1 > t0 && p.dates[t1 - 1] > to) t1--;
  const n = p.assets.length;
  return { dates: p.dates.slice(t0, t1), assets: p.assets, values: p.values.slice(t0 * n, t1 * n) };
}

/** Select dates by index list (ascending), e.g. rebalance dates out of a daily panel. */
export function selectDateIndices(p: Panel, idx: readonly number[]): Panel {
  const n = p.assets.length;
  const values = new Float64Array(idx.length * n);
  for (let k = 0; k < idx.length; k++) {
    const t = idx[k];
    if (t < 0 || t >= p.dates.length || (k > 0 && t <= idx[k - 1])) {
      throw new RotationError('PANEL_BAD_INDEX', `Date index ${t} out of range or not ascending`, { position: k },
        `pass ascending indices in [0, ${p.dates.length})`);
    }
    values.set(p.values.subarray(t * n, (t + 1) * n), k * n);
  }
  return { dates: idx.map((t) => p.dates[t]), assets: p.assets, values };
}

/** Select dates by value; every requested date must exist in the panel. */
export function selectDates(p: Panel, dates: readonly string[]): Panel {
  const di = dateIndex(p);
  const missing = dates.filter((d) => !di.has(d));
  if (missing.length) {
    throw new RotationError('PANEL_UNKNOWN_DATE', `${missing.length} requested date(s) not in the panel`, { dates: missing },
      `request dates between ${p.dates[0]} and ${p.dates[p.dates.length - 1]} that exist in the panel`);
  }
  return selectDateIndices(p, dates.map((d) => di.get(d)!));
}

/** Select (and reorder) assets; every requested asset must exist in the panel. */
export function selectAssets(p: Panel, assets: readonly string[]): Panel {
  const ai = assetIndex(p);
  const missing = assets.filter((a) => !ai.has(a));
  if (missing.length) {
    throw new RotationError('PANEL_UNKNOWN_ASSET', `${missing.length} requested asset(s) not in the panel`, { assets: missing },
      'request assets that exist in the panel (see panel.assets)');
  }
  const cols = assets.map((a) => ai.get(a)!);
  return reindex(p, p.dates.map((_, t) => t), cols, assets);
}

/** Gather rows `rows` (date indices, -1 = all-NaN row) and columns `cols` (asset indices, -1 = NaN). */
function reindex(p: Panel, rows: readonly number[], cols: readonly number[], assets: readonly string[], dates?: readonly string[]): Panel {
  const n = p.assets.length, m = cols.length;
  const values = new Float64Array(rows.length * m).fill(NaN);
  for (let k = 0; k < rows.length; k++) {
    const t = rows[k];
    if (t < 0) continue;
    const base = t * n, outBase = k * m;
    for (let j = 0; j < m; j++) {
      const i = cols[j];
      if (i >= 0) values[outBase + j] = p.values[base + i];
    }
  }
  return { dates: dates ?? rows.map((t) => p.dates[t]), assets: [...assets], values };
}

/** Reindex a panel onto given dates and assets, filling absent cells with NaN. */
export function reindexTo(p: Panel, dates: readonly string[], assets: readonly string[]): Panel {
  const di = dateIndex(p), ai = assetIndex(p);
  return reindex(p, dates.map((d) => di.get(d) ?? -1), assets.map((a) => ai.get(a) ?? -1), assets, dates);
}

export type AlignMode = 'inner' | 'outer' | 'strict';

export interface AlignOptions {
  /** How to combine dates: 'inner' intersection, 'outer' union, 'strict' must match exactly. */
  dates?: AlignMode;
  /** How to combine assets (same modes). */
  assets?: AlignMode;
}

function symmetricDifference(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const sa = new Set(a), sb = new Set(b);
  return { onlyA: a.filter((x) => !sb.has(x)), onlyB: b.filter((x) => !sa.has(x)) };
}

function combineKeys(kind: 'dates' | 'assets', a: readonly string[], b: readonly string[], mode: AlignMode): string[] {
  const { onlyA, onlyB } = symmetricDifference(a, b);
  if (mode === 'strict') {
    if (onlyA.length || onlyB.length) {
      throw new RotationError('PANEL_MISALIGNED', `Panels differ in ${kind}: ${onlyA.length} only in the first, ${onlyB.length} only in the second`,
        { onlyInFirst: onlyA, onlyInSecond: onlyB },
        `use align(a, b, { ${kind}: 'inner' }) to keep the common ${kind}, or fix the source so both cover the same ${kind}`);
    }
    return [...a];
  }
  if (mode === 'inner') {
    const sb = new Set(b);
    const out = a.filter((x) => sb.has(x));
    return kind === 'dates' ? out.sort() : out;
  }
  const out = [...a, ...onlyB];
  return kind === 'dates' ? out.sort() : out;
}

/**
 * Align two panels onto common dates and assets. Default: dates 'inner', assets 'inner'.
 * 'strict' throws `PANEL_MISALIGNED` listing the symmetric difference. Dates stay ascending;
 * asset order follows the first panel, then assets only in the second.
 */
export function align(a: Panel, b: Panel, options: AlignOptions = {}): [Panel, Panel] {
  const dates = combineKeys('dates', a.dates, b.dates, options.dates ?? 'inner');
  const assets = combineKeys('assets', a.assets, b.assets, options.assets ?? 'inner');
  if (dates.length === 0 || assets.length === 0) {
    const { onlyA, onlyB } = symmetricDifference(dates.length === 0 ? a.dates : a.assets, dates.length === 0 ? b.dates : b.assets);
    throw new RotationError('PANEL_NO_OVERLAP', `Panels share no ${dates.length === 0 ? 'dates' : 'assets'}`,
      { onlyInFirst: onlyA, onlyInSecond: onlyB }, 'check that both panels come from the same calendar and universe');
  }
  return [reindexTo(a, dates, assets), reindexTo(b, dates, assets)];
}

/** Apply `fn` elementwise (NaN in, NaN out unless fn decides otherwise). */
export function mapValues(p: Panel, fn: (v: number) => number): Panel {
  const out = new Float64Array(p.values.length);
  for (let k = 0; k < out.length; k++) out[k] = fn(p.values[k]);
  return withValues(p, out);
}

/** Combine two panels of identical shape elementwise. */
export function zipValues(a: Panel, b: Panel, fn: (x: number, y: number) => number): Panel {
  assertSameShape(a, b);
  const out = new Float64Array(a.values.length);
  for (let k = 0; k < out.length; k++) out[k] = fn(a.values[k], b.values[k]);
  return withValues(a, out);
}

/** Throws `PANEL_MISALIGNED` unless both panels have the same dates and assets in the same order. */
export function assertSameShape(a: Panel, b: Panel): void {
  const sameDates = a.dates.length === b.dates.length && a.dates.every((d, t) => d === b.dates[t]);
  const sameAssets = a.assets.length === b.assets.length && a.assets.every((x, i) => x === b.assets[i]);
  if (!sameDates || !sameAssets) {
    const kind = !sameDates ? 'dates' : 'assets';
    const { onlyA, onlyB } = symmetricDifference(!sameDates ? a.dates : a.assets, !sameDates ? b.dates : b.assets);
    throw new RotationError('PANEL_MISALIGNED', `Panels differ in ${kind}${onlyA.length + onlyB.length === 0 ? ' (same set, different order)' : ''}`,
      { onlyInFirst: onlyA, onlyInSecond: onlyB }, 'align the panels first with align(a, b)');
  }
}
