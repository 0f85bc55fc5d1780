/**
 * Analyst forecasts by column (`ForecastColumns`, src/data/types.ts): the conversions between
 * records and columns, and a builder that appends one forecast at a time.
 */
import { RotationError, type Where } from '../errors.js';
import type { ForecastColumns, ForecastRecord } from './types.js';

/** The columns of `ForecastColumns`, in record order. */
const FORECAST_COLUMN_NAMES = ['stock', 'forecastDate', 'broker', 'fiscalYear', 'netProfit', 'eps', 'rating'] as const;

/** Number of forecasts held. */
export function forecastCount(f: ForecastColumns): number {
  return f.stock.length;
}

/**
 * Throws DATA_BAD_FORECASTS unless every column is present and as long as `stock` (columns built
 * by hand can disagree; the builder's cannot). `where` names the dataset in the message.
 */
export function checkForecastColumns(f: ForecastColumns, where: Where = {}): void {
  const n = forecastCount(f);
  for (const name of FORECAST_COLUMN_NAMES) {
    const col = f[name] as ArrayLike<unknown> | undefined;
    if (col === undefined || col.length !== n) {
      throw new RotationError('DATA_BAD_FORECASTS', `Forecast column "${name}" has ${col === undefined ? 'no values' : `${col.length} values`} where "stock" has ${n}`,
        { ...where, column: name }, 'give every forecast column one value per forecast (build them with forecastColumns or ForecastColumnsBuilder)');
    }
  }
}

/** Forecast r as a record. */
export function forecastAt(f: ForecastColumns, r: number): ForecastRecord {
  return {
    stock: f.stock[r], forecastDate: f.forecastDate[r], broker: f.broker[r], fiscalYear: f.fiscalYear[r],
    netProfit: f.netProfit[r], eps: f.eps[r], rating: f.rating[r],
  };
}

/** Every forecast as a record, in row order. */
export function forecastRecords(f: ForecastColumns): ForecastRecord[] {
  return Array.from({ length: forecastCount(f) }, (_, r) => forecastAt(f, r));
}

/** Appends forecasts one at a time (numbers into growable double arrays), then `columns()`. */
export class ForecastColumnsBuilder {
  private readonly stock: string[] = [];
  private readonly forecastDate: string[] = [];
  private readonly broker: string[] = [];
  private readonly fiscalYear: number[] = [];
  private readonly netProfit: number[] = [];
  private readonly eps: number[] = [];
  private readonly rating: number[] = [];

  push(r: ForecastRecord): void {
    this.stock.push(r.stock); this.forecastDate.push(r.forecastDate); this.broker.push(r.broker);
    this.fiscalYear.push(r.fiscalYear); this.netProfit.push(r.netProfit); this.eps.push(r.eps); this.rating.push(r.rating);
  }

  get length(): number {
    return this.stock.length;
  }

  /** The forecasts pushed so far, by column (copies: later pushes do not change them). */
  columns(): ForecastColumns {
    return {
      stock: this.stock.slice(), forecastDate: this.forecastDate.slice(), broker: this.broker.slice(),
      fiscalYear: Float64Array.from(this.fiscalYear), netProfit: Float64Array.from(this.netProfit),
      eps: Float64Array.from(this.eps), rating: Float64Array.from(this.rating),
    };
  }
}

/** Records to columns, in the records' order. */
export function forecastColumns(records: readonly ForecastRecord[]): ForecastColumns {
  const b = new ForecastColumnsBuilder();
  for (const r of records) b.push(r);
  return b.columns();
}
