/**
 * Canonical file schemas: one typed definition per table (fields, types, units, whether required,
 * meaning, point-in-time rule). The data dictionary is generated from them.
 */
import { RotationError } from '../../errors.js';

export type TableName =
  | 'industry_bars' | 'stock_bars' | 'industry_membership' | 'fundamentals'
  | 'analyst_forecasts' | 'intraday_bars' | 'index_weights' | 'stocks';

export type FieldType = 'date' | 'string' | 'number' | 'integer' | 'time';

/** One column of a canonical file. */
export interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  /** Unit after loading (vendor units are converted by vendors.ts). */
  readonly unit: string;
  readonly required: boolean;
  readonly meaning: string;
  /** When the value may be used (point-in-time rule). */
  readonly pointInTime: string;
}

/** A canonical table layout. */
export interface TableSchema {
  readonly name: TableName;
  readonly title: string;
  readonly description: string;
  /** Columns that identify a row: duplicates are an error. */
  readonly key: readonly string[];
  /** The column holding the date the row became known (checked against `asOf`). */
  readonly knownDate: string;
  /** File names the loader looks for in a `--data DIR` folder (gz allowed). */
  readonly fileNames: readonly string[];
  readonly fields: readonly FieldSpec[];
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

const f = (name: string, type: FieldType, unit: string, required: boolean, meaning: string, pointInTime: string): FieldSpec =>
  ({ name, type, unit, required, meaning, pointInTime });

const BAR_PIT = 'known at that day\'s close; usable for decisions made after the close of `date`';

/** The canonical schemas, by table name. Frozen. */
export const SCHEMAS: Readonly<Record<TableName, TableSchema>> = deepFreeze({
  industry_bars: {
    name: 'industry_bars', title: 'Industry index daily bars',
    description: 'One row per (trading day, industry index). Long layout; a wide close-only layout (date + one column per industry) is also read by loadIndustryBarsCsv.',
    key: ['date', 'code'], knownDate: 'date', fileNames: ['industry_bars.csv', 'industry_bars.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'trading day', BAR_PIT),
      f('code', 'string', '-', true, 'industry index code, e.g. CI005001.WI (never parsed as a number)', 'static'),
      f('name', 'string', '-', false, 'industry short name', 'static'),
      f('open', 'number', 'index points', false, 'opening level (NaN panel if the column is absent)', BAR_PIT),
      f('high', 'number', 'index points', false, 'highest level', BAR_PIT),
      f('low', 'number', 'index points', false, 'lowest level', BAR_PIT),
      f('close', 'number', 'index points', true, 'closing level (price index)', BAR_PIT),
      f('volume', 'number', 'shares', false, 'shares traded', BAR_PIT),
      f('amount', 'number', 'CNY', false, 'traded value', BAR_PIT),
      f('turnover', 'number', 'fraction per day', false, 'traded shares / free-float shares', BAR_PIT),
      f('pe', 'number', 'ratio', false, 'index price / earnings', BAR_PIT),
      f('pb', 'number', 'ratio', false, 'index price / book', BAR_PIT),
      f('ps', 'number', 'ratio', false, 'index price / sales', BAR_PIT),
      f('dividend_yield', 'number', 'fraction per year', false, 'trailing dividend yield', BAR_PIT),
    ],
  },
  stock_bars: {
    name: 'stock_bars', title: 'Stock daily bars',
    description: 'One row per (trading day, stock). Suspended days may be absent (NaN in the panels).',
    key: ['date', 'code'], knownDate: 'date', fileNames: ['stock_bars.csv', 'stock_bars.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'trading day', BAR_PIT),
      f('code', 'string', '-', true, 'stock code with exchange suffix, e.g. 000001.SZ (kept as text: leading zeros matter)', 'static'),
      f('close', 'number', 'CNY (adjusted)', true, 'total-return adjusted close (back-adjusted levels)', BAR_PIT),
      f('volume', 'number', 'shares', false, 'shares traded (NaN panel if the column is absent)', BAR_PIT),
      f('amount', 'number', 'CNY', false, 'traded value', BAR_PIT),
      f('float_cap', 'number', 'CNY', false, 'free-float market cap', BAR_PIT),
      f('total_cap', 'number', 'CNY', false, 'total market cap', BAR_PIT),
      f('tradable', 'number', '0/1', false, '1 = traded that day, 0 = suspended or limit-locked', BAR_PIT),
    ],
  },
  industry_membership: {
    name: 'industry_membership', title: 'Industry membership',
    description: 'One row per (stock, classification scheme, validity window). Windows of one stock in one scheme must not overlap.',
    key: ['stock', 'scheme', 'valid_from'], knownDate: 'valid_from', fileNames: ['industry_membership.csv', 'industry_membership.csv.gz'],
    fields: [
      f('stock', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('industry', 'string', '-', true, 'industry code in the scheme', 'valid from valid_from'),
      f('industry_name', 'string', '-', false, 'industry name', 'static'),
      f('scheme', 'string', '-', false, 'classification scheme, e.g. citic_l1, sw_l1 (default from the loader option)', 'static'),
      f('valid_from', 'date', 'ISO yyyy-mm-dd', true, 'first day of membership (inclusive)', 'membership is known from valid_from; a snapshot back-dated to the start of the data is look-ahead (the loader says so in caveats)'),
      f('valid_to', 'date', 'ISO yyyy-mm-dd', false, 'last day of membership (inclusive); blank or a date in year >= 2100 (e.g. 2200-01-01) = still valid', 'known on valid_to'),
    ],
  },
  fundamentals: {
    name: 'fundamentals', title: 'Quarterly fundamentals',
    description: 'One row per (stock, report period, announcement). Restatements are new rows with a later announce_date.',
    key: ['stock', 'report_period', 'announce_date'], knownDate: 'announce_date', fileNames: ['fundamentals.csv', 'fundamentals.csv.gz'],
    fields: [
      f('stock', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('report_period', 'date', 'ISO quarter end', true, 'fiscal period end (yyyy-03-31, -06-30, -09-30, -12-31; 2024q1 accepted)', 'never usable before announce_date'),
      f('announce_date', 'date', 'ISO yyyy-mm-dd', true, 'date the report became public; must be after report_period', 'the record may be used from announce_date on (as-of join on this column)'),
      f('revenue', 'number', 'CNY', true, 'single-quarter revenue', 'from announce_date'),
      f('net_profit', 'number', 'CNY', true, 'single-quarter net profit attributable to parent', 'from announce_date'),
      f('gross_profit', 'number', 'CNY', false, 'single-quarter gross profit', 'from announce_date'),
      f('operating_cash_flow', 'number', 'CNY', false, 'single-quarter operating cash flow', 'from announce_date'),
      f('equity', 'number', 'CNY', false, 'shareholders\' equity at period end', 'from announce_date'),
      f('dividends', 'number', 'CNY', false, 'cash dividends declared over the trailing year', 'from announce_date'),
    ],
  },
  analyst_forecasts: {
    name: 'analyst_forecasts', title: 'Analyst forecasts',
    description: 'One row per (stock, forecast date, broker, fiscal year).',
    key: ['stock', 'forecast_date', 'broker', 'fiscal_year'], knownDate: 'forecast_date', fileNames: ['analyst_forecasts.csv', 'analyst_forecasts.csv.gz'],
    fields: [
      f('stock', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('forecast_date', 'date', 'ISO yyyy-mm-dd', true, 'date the forecast was published', 'usable from forecast_date on'),
      f('broker', 'string', '-', true, 'issuing broker / institution', 'static'),
      f('fiscal_year', 'integer', 'year', true, 'fiscal year forecast (FY1/FY2 are relative to forecast_date)', 'from forecast_date'),
      f('net_profit', 'number', 'CNY', true, 'forecast annual net profit attributable to parent', 'from forecast_date'),
      f('eps', 'number', 'CNY per share', false, 'forecast EPS', 'from forecast_date'),
      f('rating', 'number', '1..5', false, 'rating, 1 = sell .. 5 = strong buy', 'from forecast_date'),
    ],
  },
  intraday_bars: {
    name: 'intraday_bars', title: 'Intraday bars',
    description: 'One row per (day, bar end time, instrument); the same bar times every day.',
    key: ['date', 'time', 'code'], knownDate: 'date', fileNames: ['intraday_bars.csv', 'intraday_bars.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'trading day', 'known at the bar end time'),
      f('time', 'time', 'HH:MM', true, 'bar end time (local exchange time)', 'known at the bar end time'),
      f('code', 'string', '-', true, 'instrument code', 'static'),
      f('open', 'number', 'price or index points', false, 'bar open', 'known at the bar end time'),
      f('high', 'number', 'price or index points', false, 'bar high', 'known at the bar end time'),
      f('low', 'number', 'price or index points', false, 'bar low', 'known at the bar end time'),
      f('close', 'number', 'price or index points', true, 'bar close', 'known at the bar end time'),
      f('volume', 'number', 'shares', false, 'shares traded in the bar', 'known at the bar end time'),
    ],
  },
  index_weights: {
    name: 'index_weights', title: 'Index constituent weights',
    description: 'One row per (date, index, stock). Weights of one index on one date sum to 100 (percent) within 0.5 pp; in memory they are fractions summing to 1.',
    key: ['date', 'index', 'stock'], knownDate: 'date', fileNames: ['index_weights.csv', 'index_weights.csv.gz'],
    fields: [
      f('date', 'date', 'ISO yyyy-mm-dd', true, 'date the weights apply to', 'known on date (published weights; usable from the next rebalance)'),
      f('index', 'string', '-', true, 'index code, e.g. 000905.SH', 'static'),
      f('stock', 'string', '-', true, 'constituent stock code', 'static'),
      f('weight_pct', 'number', 'percent', true, 'weight in percent (loaded as a fraction)', 'known on date'),
    ],
  },
  stocks: {
    name: 'stocks', title: 'Stock list',
    description: 'One row per stock.',
    key: ['code'], knownDate: 'list_date', fileNames: ['stocks.csv', 'stocks.csv.gz'],
    fields: [
      f('code', 'string', '-', true, 'stock code with exchange suffix', 'static'),
      f('name', 'string', '-', true, 'short name (latest)', 'the latest name, not point in time'),
      f('list_date', 'date', 'ISO yyyy-mm-dd', true, 'first trading day', 'static'),
      f('delist_date', 'date', 'ISO yyyy-mm-dd', false, 'last trading day if delisted', 'known on delist_date'),
    ],
  },
} satisfies Record<TableName, TableSchema>);

/** All canonical table names, in documentation order. */
export const TABLE_NAMES: readonly TableName[] = Object.freeze([
  'industry_bars', 'stock_bars', 'industry_membership', 'fundamentals', 'analyst_forecasts', 'intraday_bars', 'index_weights', 'stocks',
] as TableName[]);

/** The schema of a table; throws `DATA_UNKNOWN_TABLE` for a name that is not canonical. */
export function schemaFor(name: string): TableSchema {
  const s = (SCHEMAS as Record<string, TableSchema>)[name];
  if (!s) {
    throw new RotationError('DATA_UNKNOWN_TABLE', `Unknown table "${name}"`, { table: name }, `use one of ${TABLE_NAMES.join(', ')}`);
  }
  return s;
}

/** Names of the numeric (number/integer) fields of a table. */
export function numericFieldNames(name: TableName): string[] {
  return SCHEMAS[name].fields.filter((x) => x.type === 'number' || x.type === 'integer').map((x) => x.name);
}
