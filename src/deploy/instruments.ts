/**
 * Instrument map: which tradable instruments (ETFs, baskets) carry each industry's weight.
 * CSV with header `industry,instrument,share` and an optional `price` column (the instrument's
 * price on the as-of date). An industry's shares must sum to 1 (±1e-6); an industry without rows
 * is traded as its own index (instrument = industry code).
 */
import { RotationError } from '../errors.js';
import { NUM_OK, parseNumberCell, splitCsvLine } from '../data/csv.js';
import type { InstrumentMap } from './orders.js';

export interface ParsedInstrumentMap {
  map: InstrumentMap;
  /** Prices from the optional price column, by instrument. */
  prices: Record<string, number>;
  /** Every instrument named, in file order. */
  instruments: string[];
}

function mapError(code: string, what: string, where: Record<string, string | number>, fix: string): RotationError {
  return new RotationError(code, what, where, fix);
}

/**
 * Parse and validate an instrument map against the dataset's industry codes. Errors (file, row,
 * column named): DEPLOY_MAP_COLUMNS, DEPLOY_MAP_UNKNOWN_INDUSTRY, DEPLOY_MAP_DUPLICATE (an instrument
 * twice), DEPLOY_MAP_TEXT (text or blank in share/price), DEPLOY_MAP_BAD_SHARE (share outside (0, 1]
 * or an industry's shares not summing to 1), DEPLOY_MAP_BAD_PRICE (price <= 0).
 */
export function parseInstrumentMap(csvText: string, source: string, industries: readonly string[]): ParsedInstrumentMap {
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  const gi = header.indexOf('industry'), ii = header.indexOf('instrument'), si = header.indexOf('share'), pi = header.indexOf('price');
  if (gi < 0 || ii < 0 || si < 0) {
    throw mapError('DEPLOY_MAP_COLUMNS', 'Instrument map lacks an industry, instrument or share column', { file: source, header: header.join(',') },
      'use the header "industry,instrument,share[,price]"');
  }
  const known = new Set(industries);
  const legs = new Map<string, { instrument: string; share: number }[]>();
  const firstRow = new Map<string, number>();
  const rowOf = new Map<string, number>();
  const prices: Record<string, number> = {};
  const instruments: string[] = [];
  for (let r = 1; r < lines.length; r++) {
    if (lines[r].trim() === '') continue;
    const f = splitCsvLine(lines[r]);
    const row = r + 1;
    const industry = (f[gi] ?? '').trim(), instrument = (f[ii] ?? '').trim();
    if (!known.has(industry)) {
      throw mapError('DEPLOY_MAP_UNKNOWN_INDUSTRY', `Unknown industry code "${industry}"`, { file: source, row, column: 'industry' }, 'use an industry code of the dataset (see results/<dataset>/coverage.csv)');
    }
    if (instrument === '') throw mapError('DEPLOY_MAP_TEXT', 'Blank instrument code', { file: source, row, column: 'instrument' }, 'name the instrument (e.g. the ETF code)');
    if (rowOf.has(instrument)) {
      throw mapError('DEPLOY_MAP_DUPLICATE', `Instrument "${instrument}" appears twice`, { file: source, row, firstRow: rowOf.get(instrument)!, column: 'instrument' },
        'map each instrument to one industry, once');
    }
    rowOf.set(instrument, row);
    const share = parseNumberCell(f[si] ?? '');
    if (share.status !== NUM_OK) throw mapError('DEPLOY_MAP_TEXT', `Share "${f[si] ?? ''}" is not a number`, { file: source, row, column: 'share' }, 'write the fraction of the industry weight, e.g. 1 or 0.5');
    if (!(share.value > 0 && share.value <= 1)) throw mapError('DEPLOY_MAP_BAD_SHARE', `Share ${share.value} is outside (0, 1]`, { file: source, row, column: 'share' }, 'write a fraction in (0, 1]');
    if (pi >= 0 && (f[pi] ?? '').trim() !== '') {
      const p = parseNumberCell(f[pi]);
      if (p.status !== NUM_OK) throw mapError('DEPLOY_MAP_TEXT', `Price "${f[pi]}" is not a number`, { file: source, row, column: 'price' }, 'write a plain number, or leave it blank');
      if (!(p.value > 0)) throw mapError('DEPLOY_MAP_BAD_PRICE', `Price must be > 0, got ${p.value}`, { file: source, row, column: 'price' }, 'write the instrument\'s last price');
      prices[instrument] = p.value;
    }
    if (!legs.has(industry)) { legs.set(industry, []); firstRow.set(industry, row); }
    legs.get(industry)!.push({ instrument, share: share.value });
    instruments.push(instrument);
  }
  for (const [industry, l] of legs) {
    const s = l.reduce((a, x) => a + x.share, 0);
    if (Math.abs(s - 1) > 1e-6) {
      throw mapError('DEPLOY_MAP_BAD_SHARE', `The shares of industry ${industry} sum to ${s}, not 1`, { file: source, row: firstRow.get(industry)!, column: 'share', industry },
        'make the shares of each industry sum to 1');
    }
  }
  const map: Record<string, readonly { instrument: string; share: number }[]> = {};
  for (const [industry, l] of legs) map[industry] = l;
  return { map, prices, instruments };
}
