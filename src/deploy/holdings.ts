/**
 * Holdings file: CSV with a header naming an instrument/industry code column (`code`,
 * `instrument` or `industry`), `quantity` and `price`. One row per instrument; value = quantity·price.
 * Rows with quantity 0 may leave the price blank.
 */
import { RotationError } from '../errors.js';
import { NUM_BLANK, NUM_OK, parseNumberCell, splitCsvLine } from '../data/csv.js';

export interface Holding {
  /** Instrument or industry code. */
  code: string;
  quantity: number;
  /** NaN when blank (allowed only for quantity 0). */
  price: number;
  /** quantity · price (0 for quantity 0). */
  value: number;
}

const CODE_COLUMNS = ['code', 'instrument', 'industry'];

/**
 * Parse and validate a holdings CSV against the `known` codes. Errors (all name the row and column):
 * DEPLOY_HOLDINGS_COLUMNS (missing column), DEPLOY_HOLDINGS_UNKNOWN_CODE, DEPLOY_HOLDINGS_DUPLICATE,
 * DEPLOY_HOLDINGS_TEXT (text in a numeric column), DEPLOY_HOLDINGS_NEGATIVE (quantity < 0 or price <= 0),
 * DEPLOY_HOLDINGS_MISSING_PRICE (held instrument with a blank price).
 */
export function parseHoldings(csvText: string, source: string, known: readonly string[]): Holding[] {
  const lines = csvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.toLowerCase());
  const ci = header.findIndex((h) => CODE_COLUMNS.includes(h)), qi = header.indexOf('quantity'), pi = header.indexOf('price');
  if (ci < 0 || qi < 0 || pi < 0) {
    throw new RotationError('DEPLOY_HOLDINGS_COLUMNS', 'Holdings file lacks a code, quantity or price column', { file: source, header },
      'use the header "code,quantity,price" (code may also be named instrument or industry)');
  }
  const knownSet = new Set(known), seen = new Map<string, number>(), out: Holding[] = [];
  for (let r = 1; r < lines.length; r++) {
    if (lines[r].trim() === '') continue;
    const f = splitCsvLine(lines[r]);
    const row = r + 1, code = (f[ci] ?? '').trim();
    if (!knownSet.has(code)) {
      throw new RotationError('DEPLOY_HOLDINGS_UNKNOWN_CODE', `Unknown instrument/industry code "${code}"`, { file: source, row, column: header[ci] },
        'use a code of the dataset (its industries) or of the instrument map');
    }
    if (seen.has(code)) {
      throw new RotationError('DEPLOY_HOLDINGS_DUPLICATE', `Code "${code}" appears twice`, { file: source, row, firstRow: seen.get(code)!, column: header[ci] },
        'merge the two rows into one (sum the quantities)');
    }
    seen.set(code, row);
    const num = (i: number): { value: number; status: number } => {
      const c = parseNumberCell(f[i] ?? '');
      if (c.status !== NUM_OK && c.status !== NUM_BLANK) {
        throw new RotationError('DEPLOY_HOLDINGS_TEXT', `Text "${f[i]}" in numeric column ${header[i]}`, { file: source, row, column: header[i] }, 'write a plain number (no units or thousands separators)');
      }
      return c;
    };
    const q = num(qi), p = num(pi);
    if (q.status === NUM_BLANK) {
      throw new RotationError('DEPLOY_HOLDINGS_TEXT', 'Blank quantity', { file: source, row, column: header[qi] }, 'write the quantity held (0 if none)');
    }
    if (q.value < 0) {
      throw new RotationError('DEPLOY_HOLDINGS_NEGATIVE', `Negative quantity ${q.value} (short positions are not supported)`, { file: source, row, column: header[qi] }, 'use quantities >= 0');
    }
    if (p.status === NUM_BLANK && q.value > 0) {
      throw new RotationError('DEPLOY_HOLDINGS_MISSING_PRICE', `Missing price for held instrument "${code}"`, { file: source, row, column: header[pi] }, 'fill in the last price');
    }
    if (p.status === NUM_OK && !(p.value > 0)) {
      throw new RotationError('DEPLOY_HOLDINGS_NEGATIVE', `Price must be > 0, got ${p.value}`, { file: source, row, column: header[pi] }, 'fill in the last positive price');
    }
    out.push({ code, quantity: q.value, price: p.value, value: q.value > 0 ? q.value * p.value : 0 });
  }
  return out;
}
