/**
 * Vendor export layouts mapped onto the canonical schemas (schema.ts): Wind, JoinQuant,
 * RiceQuant (RQData) and Tushare column names, unit conversions, code suffixes and dates.
 *
 * Unit conversions (documented vendor units → canonical units; checked against the vendors' docs):
 * - Tushare `daily` / `index_daily`: `vol` in lots of 100 shares (手) → ×100; `amount` in
 *   thousands of CNY (千元) → ×1000. Tushare industry endpoints `ci_daily` (CITIC, codes `.CI`)
 *   and `sw_daily` (Shenwan, codes `.SI`): `vol` in 10,000 shares (万股) → ×1e4, `amount` in
 *   10,000 CNY (万元) → ×1e4 — decided per row from the code suffix. `daily_basic` `total_mv` /
 *   `circ_mv` in 万元 → ×1e4; `turnover_rate` in % → ÷100. `report_rc` `np` in 万元 → ×1e4.
 * - JoinQuant `get_price`: `volume` in shares, `money` in CNY; `valuation.market_cap` /
 *   `circulating_market_cap` in 亿元 → ×1e8; `turnover_ratio` in % → ÷100.
 * - RQData `get_price`: `volume` in shares, `total_turnover` in CNY. `index_weights` are fractions
 *   (the weight unit is detected from the per-date sums).
 * - Wind: the unit is in the header: 成交量(股) ×1, 成交量(手) ×100, 成交额(元) ×1, 成交额(千元)
 *   ×1e3, 成交额(万元) ×1e4, 成交额(亿元) ×1e8; 换手率(%) and 股息率(%) ÷100. Full-width
 *   parentheses （） are read as ().
 * A stock-bar file with close, volume and amount also gets a sanity check: the median of
 * amount / (volume × close) should be near 1 (VWAP ≈ close); if it is near 100, 1000, 0.01, ... the
 * notes say which unit looks wrong (the check is meaningless for adjusted closes, and says so).
 *
 * Codes: JoinQuant / RQData `.XSHG` → `.SH`, `.XSHE` → `.SZ`, `.BJSE`/`.XBSE` → `.BJ`; codes
 * are never parsed as numbers. Dates: 20240131, 2024/1/31, 2024-01-31 (+ time) all become ISO.
 */
import { RotationError } from '../errors.js';
import {
  NUM_BLANK, NUM_OK, NUM_TEXT, parseNumberCell, parseTextFileAsCsv, readCsvHeader, readTextFile,
  type CsvTable,
} from './csv.js';
import {
  SCHEMAS, schemaFor, validateForecasts, validateFundamentals, validateIndexWeights, validateIntradayBars,
  validateMembership, validateStockBars, validateStocks, normalizeDate, normalizeTime,
  type ForecastsResult, type FundamentalsResult, type IndexWeightsResult, type IndexWeightsValidateOptions,
  type IntradayResult, type MembershipResult, type MembershipValidateOptions, type StockBarsResult, type StocksResult,
  type TableName, type ValidateOptions,
} from './schema.js';

export type Vendor = 'canonical' | 'wind' | 'joinquant' | 'ricequant' | 'tushare';
export const VENDORS: readonly Vendor[] = Object.freeze(['canonical', 'wind', 'joinquant', 'ricequant', 'tushare'] as Vendor[]);

/** Value transforms applied while mapping (the source column is read as text). */
export type Transform =
  /** Chinese / English rating words → 1..5 (买入 5, 增持 4, 中性 3, 减持 2, 卖出 1). */
  | 'rating_text'
  /** "2024Q4", "2024" or "2024-12-31" → 2024. */
  | 'year_from_text'
  /** "2024-01-31 09:31:00" → date column and time column. */
  | 'split_datetime'
  /** "0000-00-00" (RQData: not delisted) → blank. */
  | 'zero_date_blank';

/** One vendor column and where it goes. */
export interface ColumnRule {
  /** Vendor header (trimmed; full-width parentheses read as ASCII). */
  readonly from: string;
  /** Canonical column. */
  readonly to: string;
  /** Multiply by this to reach the canonical unit. */
  readonly scale?: number;
  /** Per code-suffix scale overriding `scale` (Tushare industry endpoints). */
  readonly scaleBySuffix?: Readonly<Record<string, number>>;
  readonly transform?: Transform;
  /** Vendor unit → canonical unit, for docs and notes. */
  readonly unit?: string;
}

const r = (from: string, to: string, extra: Partial<ColumnRule> = {}): ColumnRule => ({ from, to, ...extra });

const TS_INDEX_SUFFIX: Readonly<Record<string, number>> = Object.freeze({ '.CI': 1e4, '.SI': 1e4 });

/**
 * Column rules per vendor and table, in priority order: when two vendor columns map to the same
 * canonical column the first one present wins (the other is noted as ignored).
 */
export const VENDOR_COLUMNS: Readonly<Record<Exclude<Vendor, 'canonical'>, Readonly<Partial<Record<TableName, readonly ColumnRule[]>>>>> = deepFreeze({
  tushare: {
    industry_bars: [
      r('ts_code', 'code'), r('trade_date', 'date'), r('name', 'name'), r('open', 'open'), r('high', 'high'), r('low', 'low'), r('close', 'close'),
      r('vol', 'volume', { scale: 100, scaleBySuffix: TS_INDEX_SUFFIX, unit: 'index_daily: lots of 100 shares (手) ×100; ci_daily/sw_daily (.CI/.SI codes): 万股 ×1e4' }),
      r('amount', 'amount', { scale: 1000, scaleBySuffix: TS_INDEX_SUFFIX, unit: 'index_daily: thousand CNY (千元) ×1000; ci_daily/sw_daily: 万元 ×1e4' }),
      r('pe', 'pe'), r('pb', 'pb'),
    ],
    stock_bars: [
      r('ts_code', 'code'), r('trade_date', 'date'), r('close', 'close'),
      r('vol', 'volume', { scale: 100, unit: 'lots of 100 shares (手) ×100' }),
      r('amount', 'amount', { scale: 1000, unit: 'thousand CNY (千元) ×1000' }),
      r('circ_mv', 'float_cap', { scale: 1e4, unit: '万元 ×1e4' }), r('total_mv', 'total_cap', { scale: 1e4, unit: '万元 ×1e4' }),
    ],
    industry_membership: [
      r('con_code', 'stock'), r('ts_code', 'stock'), r('index_code', 'industry'), r('l1_code', 'industry'), r('index_name', 'industry_name'), r('l1_name', 'industry_name'),
      r('in_date', 'valid_from'), r('out_date', 'valid_to'),
    ],
    fundamentals: [
      r('ts_code', 'stock'), r('end_date', 'report_period'), r('f_ann_date', 'announce_date'), r('ann_date', 'announce_date'),
      r('revenue', 'revenue'), r('n_income_attr_p', 'net_profit'), r('n_cashflow_act', 'operating_cash_flow'),
      r('total_hldr_eqy_exc_min_int', 'equity'),
    ],
    analyst_forecasts: [
      r('ts_code', 'stock'), r('report_date', 'forecast_date'), r('org_name', 'broker'), r('quarter', 'fiscal_year', { transform: 'year_from_text' }),
      r('np', 'net_profit', { scale: 1e4, unit: '万元 ×1e4' }), r('eps', 'eps'), r('rating', 'rating', { transform: 'rating_text' }),
    ],
    intraday_bars: [
      r('ts_code', 'code'), r('trade_time', 'datetime', { transform: 'split_datetime' }), r('open', 'open'), r('high', 'high'), r('low', 'low'), r('close', 'close'),
      r('vol', 'volume'),
    ],
    index_weights: [r('trade_date', 'date'), r('index_code', 'index'), r('con_code', 'stock'), r('weight', 'weight_pct')],
    stocks: [r('ts_code', 'code'), r('name', 'name'), r('list_date', 'list_date'), r('delist_date', 'delist_date')],
  },
  joinquant: {
    industry_bars: [
      r('time', 'date'), r('date', 'date'), r('code', 'code'), r('name', 'name'), r('open', 'open'), r('high', 'high'), r('low', 'low'), r('close', 'close'),
      r('volume', 'volume'), r('money', 'amount', { unit: 'CNY' }), r('turnover_ratio', 'turnover', { scale: 0.01, unit: '% ÷100' }),
      r('pe_ratio', 'pe'), r('pb_ratio', 'pb'), r('ps_ratio', 'ps'),
    ],
    stock_bars: [
      r('time', 'date'), r('date', 'date'), r('code', 'code'), r('close', 'close'), r('volume', 'volume'), r('money', 'amount', { unit: 'CNY' }),
      r('circulating_market_cap', 'float_cap', { scale: 1e8, unit: '亿元 ×1e8' }), r('market_cap', 'total_cap', { scale: 1e8, unit: '亿元 ×1e8' }),
    ],
    industry_membership: [
      r('stock_code', 'stock'), r('code', 'stock'), r('industry_code', 'industry'), r('sw1_code', 'industry'), r('industry_name', 'industry_name'), r('sw1_name', 'industry_name'),
      r('start_date', 'valid_from'), r('end_date', 'valid_to'),
    ],
    fundamentals: [
      r('code', 'stock'), r('statDate', 'report_period'), r('pubDate', 'announce_date'),
      r('total_operating_revenue', 'revenue'), r('operating_revenue', 'revenue'), r('np_parent_company_owners', 'net_profit'),
      r('net_operate_cash_flow', 'operating_cash_flow'), r('equities_parent_company_owners', 'equity'),
    ],
    intraday_bars: [
      r('time', 'datetime', { transform: 'split_datetime' }), r('code', 'code'), r('open', 'open'), r('high', 'high'), r('low', 'low'), r('close', 'close'), r('volume', 'volume'),
    ],
    index_weights: [r('date', 'date'), r('index_code', 'index'), r('stock_code', 'stock'), r('code', 'stock'), r('weight_pct', 'weight_pct'), r('weight', 'weight_pct')],
    stocks: [r('code', 'code'), r('display_name', 'name'), r('start_date', 'list_date'), r('end_date', 'delist_date')],
  },
  ricequant: {
    industry_bars: [
      r('order_book_id', 'code'), r('date', 'date'), r('open', 'open'), r('high', 'high'), r('low', 'low'), r('close', 'close'),
      r('volume', 'volume'), r('total_turnover', 'amount', { unit: 'CNY' }),
    ],
    stock_bars: [
      r('order_book_id', 'code'), r('date', 'date'), r('close', 'close'), r('volume', 'volume'), r('total_turnover', 'amount', { unit: 'CNY' }),
      r('a_share_market_val_in_circulation', 'float_cap'), r('market_cap', 'total_cap'),
    ],
    industry_membership: [
      r('order_book_id', 'stock'), r('first_industry_code', 'industry'), r('first_industry_name', 'industry_name'),
      r('start_date', 'valid_from'), r('end_date', 'valid_to'),
    ],
    fundamentals: [
      r('order_book_id', 'stock'), r('quarter', 'report_period'), r('end_date', 'report_period'), r('info_date', 'announce_date'),
      r('revenue', 'revenue'), r('net_profit_parent_company', 'net_profit'), r('cash_flow_from_operating_activities', 'operating_cash_flow'),
      r('equity_parent_company', 'equity'),
    ],
    intraday_bars: [
      r('order_book_id', 'code'), r('datetime', 'datetime', { transform: 'split_datetime' }), r('open', 'open'), r('high', 'high'), r('low', 'low'), r('close', 'close'), r('volume', 'volume'),
    ],
    index_weights: [r('date', 'date'), r('index_code', 'index'), r('order_book_id', 'stock'), r('weight', 'weight_pct')],
    stocks: [r('order_book_id', 'code'), r('symbol', 'name'), r('listed_date', 'list_date'), r('de_listed_date', 'delist_date', { transform: 'zero_date_blank' })],
  },
  wind: {
    industry_bars: [
      r('代码', 'code'), r('证券代码', 'code'), r('Wind代码', 'code'), r('WINDCODE', 'code'), r('简称', 'name'), r('名称', 'name'), r('证券简称', 'name'),
      r('日期', 'date'), r('交易日期', 'date'), r('DATE', 'date'),
      r('开盘价(元)', 'open'), r('开盘价(点)', 'open'), r('开盘价', 'open'), r('OPEN', 'open'),
      r('最高价(元)', 'high'), r('最高价(点)', 'high'), r('最高价', 'high'), r('HIGH', 'high'),
      r('最低价(元)', 'low'), r('最低价(点)', 'low'), r('最低价', 'low'), r('LOW', 'low'),
      r('收盘价(元)', 'close'), r('收盘价(点)', 'close'), r('收盘价', 'close'), r('CLOSE', 'close'),
      r('成交量(股)', 'volume'), r('成交量(手)', 'volume', { scale: 100, unit: '手 ×100' }), r('成交量(万股)', 'volume', { scale: 1e4, unit: '万股 ×1e4' }), r('VOLUME', 'volume'),
      r('成交额(元)', 'amount'), r('成交额(千元)', 'amount', { scale: 1e3, unit: '千元 ×1e3' }), r('成交额(万元)', 'amount', { scale: 1e4, unit: '万元 ×1e4' }), r('成交额(亿元)', 'amount', { scale: 1e8, unit: '亿元 ×1e8' }), r('AMT', 'amount'),
      r('换手率(%)', 'turnover', { scale: 0.01, unit: '% ÷100' }), r('TURN', 'turnover', { scale: 0.01, unit: '% ÷100' }),
      r('市盈率', 'pe'), r('市盈率PE(TTM)', 'pe'), r('PE_TTM', 'pe'), r('市净率', 'pb'), r('市净率PB(LF)', 'pb'), r('PB_LF', 'pb'),
      r('市销率', 'ps'), r('市销率PS(TTM)', 'ps'), r('PS_TTM', 'ps'),
      r('股息率(%)', 'dividend_yield', { scale: 0.01, unit: '% ÷100' }), r('股息率(近12个月)(%)', 'dividend_yield', { scale: 0.01, unit: '% ÷100' }),
    ],
    stock_bars: [
      r('代码', 'code'), r('证券代码', 'code'), r('Wind代码', 'code'), r('WINDCODE', 'code'),
      r('日期', 'date'), r('交易日期', 'date'), r('DATE', 'date'),
      r('收盘价(元)', 'close'), r('收盘价', 'close'), r('CLOSE', 'close'),
      r('成交量(股)', 'volume'), r('成交量(手)', 'volume', { scale: 100, unit: '手 ×100' }), r('VOLUME', 'volume'),
      r('成交额(元)', 'amount'), r('成交额(千元)', 'amount', { scale: 1e3, unit: '千元 ×1e3' }), r('成交额(万元)', 'amount', { scale: 1e4, unit: '万元 ×1e4' }), r('AMT', 'amount'),
      r('流通市值(元)', 'float_cap'), r('总市值(元)', 'total_cap'), r('MKT_CAP_ARD', 'total_cap'),
    ],
    industry_membership: [
      r('代码', 'stock'), r('证券代码', 'stock'), r('所属行业代码', 'industry'), r('行业代码', 'industry'), r('所属行业名称', 'industry_name'), r('行业名称', 'industry_name'),
      r('纳入日期', 'valid_from'), r('剔除日期', 'valid_to'),
    ],
    fundamentals: [
      r('代码', 'stock'), r('证券代码', 'stock'), r('报告期', 'report_period'), r('公告日期', 'announce_date'), r('首次公告日期', 'announce_date'),
      r('营业总收入(元)', 'revenue'), r('营业收入(元)', 'revenue'), r('营业收入', 'revenue'),
      r('归属母公司股东的净利润(元)', 'net_profit'), r('归属母公司股东的净利润', 'net_profit'),
      r('毛利(元)', 'gross_profit'), r('经营活动产生的现金流量净额(元)', 'operating_cash_flow'),
      r('归属母公司股东的权益(元)', 'equity'), r('现金分红总额(元)', 'dividends'),
    ],
    analyst_forecasts: [
      r('代码', 'stock'), r('证券代码', 'stock'), r('预测日期', 'forecast_date'), r('机构名称', 'broker'), r('研究机构', 'broker'),
      r('预测年度', 'fiscal_year', { transform: 'year_from_text' }),
      r('预测净利润(元)', 'net_profit'), r('预测净利润(万元)', 'net_profit', { scale: 1e4, unit: '万元 ×1e4' }),
      r('预测每股收益(元)', 'eps'), r('评级', 'rating', { transform: 'rating_text' }),
    ],
    index_weights: [
      r('日期', 'date'), r('指数代码', 'index'), r('成分代码', 'stock'), r('代码', 'stock'), r('证券代码', 'stock'), r('权重(%)', 'weight_pct'),
    ],
    stocks: [
      r('代码', 'code'), r('证券代码', 'code'), r('简称', 'name'), r('证券简称', 'name'), r('名称', 'name'), r('上市日期', 'list_date'), r('退市日期', 'delist_date'),
    ],
  },
});

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

/** Header as compared with the rules: trimmed, full-width parentheses and percent made ASCII. */
export function normalizeHeader(h: string): string {
  return h.trim().replace(/（/g, '(').replace(/）/g, ')').replace(/％/g, '%');
}

/** Vendor suffixes → canonical exchange suffixes. */
const SUFFIXES: Readonly<Record<string, string>> = Object.freeze({ XSHG: 'SH', XSHE: 'SZ', BJSE: 'BJ', XBSE: 'BJ' });

/** `000001.XSHE` → `000001.SZ`, `600000.XSHG` → `600000.SH`; anything else is returned unchanged. */
export function normalizeSecurityCode(code: string): string {
  const dot = code.lastIndexOf('.');
  if (dot < 0) return code;
  const rep = SUFFIXES[code.slice(dot + 1).toUpperCase()];
  return rep ? `${code.slice(0, dot)}.${rep}` : code;
}

const RATING_WORDS: Readonly<Record<string, number>> = Object.freeze({
  买入: 5, 强烈推荐: 5, 强推: 5, 'strong buy': 5, buy: 5,
  增持: 4, 推荐: 4, 跑赢行业: 4, 优于大市: 4, 强于大市: 4, 谨慎推荐: 4, outperform: 4, overweight: 4, accumulate: 4,
  中性: 3, 持有: 3, 同步大市: 3, 同步行业: 3, 观望: 3, neutral: 3, hold: 3,
  减持: 2, 弱于大市: 2, 跑输行业: 2, underperform: 2, underweight: 2,
  卖出: 1, sell: 1,
});

/** Rating text → 1..5, or a number given as text; NaN when unknown. */
export function ratingFromText(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const n = parseNumberCell(t);
  if (n.status === NUM_OK) return n.value;
  return RATING_WORDS[t.toLowerCase()] ?? NaN;
}

/** True for canonical columns that hold security codes (normalised with `normalizeSecurityCode`). */
function isCodeColumn(name: string): boolean {
  return name === 'code' || name === 'stock' || name === 'index';
}

/** How a table was mapped. */
export interface VendorDetection {
  vendor: Vendor;
  /** Vendor headers that matched the chosen mapping (evidence for the choice). */
  matched: string[];
}

/**
 * Guess the vendor from the headers: the vendor whose distinctive column names (names that are
 * not canonical) match most headers for this table; canonical when none match.
 */
export function detectVendor(header: readonly string[], table: TableName): VendorDetection {
  const norm = header.map(normalizeHeader);
  const canonical = new Set(SCHEMAS[table].fields.map((x) => x.name));
  let best: VendorDetection = { vendor: 'canonical', matched: norm.filter((h) => canonical.has(h)) };
  let bestScore = 0;
  for (const v of ['tushare', 'joinquant', 'ricequant', 'wind'] as const) {
    const rules = VENDOR_COLUMNS[v][table] ?? [];
    const froms = new Set(rules.map((x) => x.from));
    const distinctive = norm.filter((h) => froms.has(h) && !canonical.has(h));
    if (distinctive.length > bestScore) {
      bestScore = distinctive.length;
      best = { vendor: v, matched: norm.filter((h) => froms.has(h)) };
    }
  }
  return best;
}

/** The vendor headers of a file that will be parsed as numbers for `table`. */
export function numericVendorColumns(header: readonly string[], table: TableName, vendor: Vendor): Set<string> {
  const numericCanon = new Set(SCHEMAS[table].fields.filter((x) => x.type === 'number' || x.type === 'integer').map((x) => x.name));
  const out = new Set<string>();
  if (vendor === 'canonical') {
    for (const h of header) if (numericCanon.has(h)) out.add(h);
    return out;
  }
  const rules = VENDOR_COLUMNS[vendor][table] ?? [];
  for (const h of header) {
    const rule = rules.find((x) => x.from === normalizeHeader(h));
    if (rule && !rule.transform && numericCanon.has(rule.to)) out.add(h);
  }
  return out;
}

export interface MapOptions {
  /** Constant columns added when absent, e.g. `{ date: '2020-10-10', index: '000905.SH' }` for a snapshot. */
  constants?: Readonly<Record<string, string>>;
}

/**
 * Rename a parsed vendor table to canonical columns, converting units, code suffixes and the
 * transforms of the rules; facts go into `notes`. Unknown columns keep their names (the validator
 * lists them). A numeric source column keeps its statuses; scaling leaves NaN as NaN.
 */
export function mapVendorColumns(t: CsvTable, table: TableName, vendor: Vendor, options: MapOptions = {}): CsvTable {
  const out: CsvTable = { ...t, header: [], text: {}, num: {}, numStatus: {}, badText: {}, notes: [...t.notes] };
  const rules = vendor === 'canonical' ? [] : VENDOR_COLUMNS[vendor][table] ?? [];
  const conversions: string[] = [];
  const ignored: string[] = [];
  // 1. assign targets: rule columns first (in rule priority order), then the others under their own name
  const assigned = new Map<string, { target: string; rule?: ColumnRule }>();
  const taken = new Map<string, string>();
  const targetsOf = (rule: ColumnRule) => (rule.transform === 'split_datetime' ? ['date', 'time'] : [rule.to]);
  for (const rule of rules) {
    for (const h of t.header) {
      if (h === '' || assigned.has(h) || normalizeHeader(h) !== rule.from) continue;
      const targets = targetsOf(rule);
      const clash = targets.find((x) => taken.has(x));
      if (clash) { ignored.push(`${h} (${taken.get(clash)} already gives ${clash})`); assigned.set(h, { target: '' }); continue; }
      for (const x of targets) taken.set(x, h);
      assigned.set(h, { target: rule.to, rule });
    }
  }
  for (const h of t.header) {
    if (h === '' || assigned.has(h)) continue;
    if (taken.has(h)) { ignored.push(`${h} (${taken.get(h)} already gives ${h})`); assigned.set(h, { target: '' }); continue; }
    taken.set(h, h);
    assigned.set(h, { target: h });
  }
  if (ignored.length) out.notes.push(`column(s) ignored: ${ignored.join('; ')}`);
  const codeHeader = taken.get('code');
  const codes = codeHeader !== undefined ? t.text[codeHeader] : undefined;
  // 2. build the columns in file order
  for (const h of t.header) {
    const a = assigned.get(h);
    if (!a || a.target === '') continue;
    const { target, rule } = a;
    if (rule?.transform) {
      applyTransform(out, t, h, rule, conversions);
      continue;
    }
    out.header.push(target);
    if (t.num[h]) {
      let values = t.num[h];
      if (rule && (rule.scale !== undefined || rule.scaleBySuffix)) {
        values = scaleColumn(values, rule, codes);
        conversions.push(`${h} → ${target} (${rule.unit ?? `×${rule.scale}`})`);
      } else if (rule && rule.from !== rule.to) conversions.push(`${h} → ${target}`);
      out.num[target] = values;
      out.numStatus[target] = t.numStatus[h];
      if (t.badText[h]) out.badText[target] = t.badText[h];
    } else {
      let col = t.text[h];
      if (isCodeColumn(target)) {
        const res = normalizeCodes(col);
        col = res.codes;
        if (res.changed) conversions.push(`${h}: ${res.changed} code(s) with .XSHG/.XSHE/.BJSE suffix converted to .SH/.SZ/.BJ`);
      }
      if (rule && rule.from !== rule.to) conversions.push(`${h} → ${target}`);
      out.text[target] = col;
    }
  }
  for (const [k, v] of Object.entries(options.constants ?? {})) {
    if (out.header.includes(k)) continue;
    out.header.push(k);
    out.text[k] = new Array<string>(t.nRows).fill(v);
    out.notes.push(`column ${k} absent: filled with the constant "${v}"`);
  }
  if (conversions.length) out.notes.push(`column mapping (${vendor}): ${conversions.join('; ')}`);
  if (table === 'stock_bars') out.notes.push(...unitSanityNotes(out));
  if (vendor === 'tushare' && table === 'stock_bars') {
    out.notes.push('Tushare `daily` close is not adjusted: export pro_bar(adj="hfq") or multiply close by adj_factor before loading, else returns jump at dividends and splits');
  }
  if (vendor === 'tushare' && table === 'fundamentals') {
    out.notes.push('Tushare statements are year-to-date unless exported with report_type=2 (single quarter); the canonical fields are single-quarter');
  }
  return out;
}

function scaleColumn(values: Float64Array, rule: ColumnRule, codes: string[] | undefined): Float64Array {
  const res = new Float64Array(values.length);
  const def = rule.scale ?? 1;
  const bySuffix = rule.scaleBySuffix;
  for (let i = 0; i < values.length; i++) {
    let s = def;
    if (bySuffix && codes) {
      const c = codes[i];
      const dot = c.lastIndexOf('.');
      if (dot >= 0) s = bySuffix[c.slice(dot).toUpperCase()] ?? def;
    }
    res[i] = values[i] * s;
  }
  return res;
}

function normalizeCodes(col: string[]): { codes: string[]; changed: number } {
  let changed = 0;
  const cache = new Map<string, string>();
  const codes = col.map((c) => {
    let v = cache.get(c);
    if (v === undefined) { v = normalizeSecurityCode(c); cache.set(c, v); }
    if (v !== c) changed++;
    return v;
  });
  return { codes, changed };
}

function applyTransform(out: CsvTable, t: CsvTable, h: string, rule: ColumnRule, conversions: string[]): void {
  const src = t.text[h] ?? Array.from(t.num[h] ?? [], (x) => (Number.isNaN(x) ? '' : String(x)));
  const n = t.nRows;
  switch (rule.transform) {
    case 'rating_text':
    case 'year_from_text': {
      const values = new Float64Array(n), status = new Uint8Array(n), bad = new Map<number, string>();
      for (let i = 0; i < n; i++) {
        const s = src[i].trim();
        let v = NaN;
        if (s === '') { status[i] = NUM_BLANK; values[i] = NaN; continue; }
        if (rule.transform === 'rating_text') v = ratingFromText(s);
        else {
          const m = /^(\d{4})/.exec(s);
          v = m ? Number(m[1]) : NaN;
        }
        values[i] = v;
        status[i] = Number.isNaN(v) ? NUM_TEXT : NUM_OK;
        if (Number.isNaN(v)) bad.set(i, s);
      }
      out.header.push(rule.to);
      out.num[rule.to] = values;
      out.numStatus[rule.to] = status;
      out.badText[rule.to] = bad;
      conversions.push(`${h} → ${rule.to} (${rule.transform === 'rating_text' ? 'rating words → 1..5' : 'year from text'})`);
      return;
    }
    case 'split_datetime': {
      const dates = new Array<string>(n), times = new Array<string>(n);
      for (let i = 0; i < n; i++) {
        const s = src[i].trim();
        const m = /^(.+?)[ T](\d{1,2}:\d{2}(?::\d{2})?)/.exec(s);
        dates[i] = m ? normalizeDate(m[1]) ?? m[1] : s;
        times[i] = m ? normalizeTime(m[2]) ?? m[2] : '';
      }
      out.header.push('date', 'time');
      out.text.date = dates;
      out.text.time = times;
      conversions.push(`${h} split into date and time`);
      return;
    }
    case 'zero_date_blank': {
      out.header.push(rule.to);
      out.text[rule.to] = src.map((s) => (/^0000-?00-?00/.test(s.trim()) ? '' : s));
      conversions.push(`${h} → ${rule.to} (0000-00-00 = not delisted)`);
      return;
    }
    default:
      throw new RotationError('DATA_BAD_ARGUMENT', `Unknown transform ${String(rule.transform)}`, { column: h }, 'fix the vendor rule');
  }
}

/**
 * Units check for stock bars: median of amount / (volume × close) over rows with all three > 0.
 * Near 1 when volume is in shares and amount in CNY; otherwise a note names the likely factor.
 */
export function unitSanityNotes(t: CsvTable): string[] {
  const a = t.num.amount, v = t.num.volume, c = t.num.close;
  if (!a || !v || !c) return [];
  const ratios: number[] = [];
  const step = Math.max(1, Math.floor(t.nRows / 5000));
  for (let i = 0; i < t.nRows; i += step) if (a[i] > 0 && v[i] > 0 && c[i] > 0) ratios.push(a[i] / (v[i] * c[i]));
  if (ratios.length < 3) return [];
  ratios.sort((x, y) => x - y);
  const med = ratios[Math.floor(ratios.length / 2)];
  if (med > 0.5 && med < 2) return [`units check: median amount / (volume × close) = ${med.toPrecision(3)} (volume in shares, amount in CNY: consistent)`];
  const factor = Math.pow(10, Math.round(Math.log10(med)));
  return [`units check: median amount / (volume × close) = ${med.toPrecision(3)}, about ${factor}: volume or amount is probably in other units (Tushare vol is in lots of 100 and amount in thousands of CNY; Wind headers carry the unit). Ignore this if close is an adjusted price.`];
}

export interface ReadTableOptions extends MapOptions {
  /** Vendor layout; detected from the headers when omitted. */
  vendor?: Vendor;
  /** Decimal mark of numbers: '.' (default) or ',' ("2543,75"). */
  decimal?: '.' | ',';
}

/**
 * Read a vendor or canonical CSV export as a canonical table (not yet validated): reads and
 * decodes the file, detects the vendor, parses only numeric columns as numbers and maps names
 * and units. Throws `DATA_UNKNOWN_TABLE`, `DATA_FILE_NOT_FOUND`, `DATA_EMPTY_FILE`, `DATA_ENCODING`.
 */
export function readTable(file: string, table: TableName, options: ReadTableOptions = {}): CsvTable & { vendor: Vendor } {
  schemaFor(table);
  const tf = readTextFile(file);
  const header = readCsvHeader(tf.text);
  const det = options.vendor ? { vendor: options.vendor, matched: [] } : detectVendor(header, table);
  const numeric = numericVendorColumns(header, table, det.vendor);
  const parsed = parseTextFileAsCsv(tf, { numeric: [...numeric], decimal: options.decimal });
  if (!options.vendor) {
    parsed.notes.push(det.vendor === 'canonical'
      ? 'layout: canonical column names'
      : `layout: ${det.vendor} (auto-detected from headers ${det.matched.join(', ')})`);
  } else {
    parsed.notes.push(`layout: ${options.vendor} (given)`);
  }
  const mapped = mapVendorColumns(parsed, table, det.vendor, options);
  return { ...mapped, vendor: det.vendor };
}

/** Options of the generic loaders: vendor/constants of `readTable` plus validation options. */
export type LoadCsvOptions = ReadTableOptions & ValidateOptions;

/** Load stock daily bars from a vendor or canonical CSV export. */
export function loadStockBarsCsv(file: string, options: LoadCsvOptions = {}): StockBarsResult {
  return validateStockBars(readTable(file, 'stock_bars', options), options);
}

/** Load industry membership windows from a vendor or canonical CSV export. */
export function loadMembershipCsv(file: string, options: ReadTableOptions & MembershipValidateOptions = {}): MembershipResult {
  return validateMembership(readTable(file, 'industry_membership', options), options);
}

/** Load quarterly fundamentals from a vendor or canonical CSV export. */
export function loadFundamentalsCsv(file: string, options: LoadCsvOptions = {}): FundamentalsResult {
  return validateFundamentals(readTable(file, 'fundamentals', options), options);
}

/** Load analyst forecasts from a vendor or canonical CSV export. */
export function loadForecastsCsv(file: string, options: LoadCsvOptions = {}): ForecastsResult {
  return validateForecasts(readTable(file, 'analyst_forecasts', options), options);
}

/** Load intraday bars from a vendor or canonical CSV export. */
export function loadIntradayBarsCsv(file: string, options: LoadCsvOptions = {}): IntradayResult {
  return validateIntradayBars(readTable(file, 'intraday_bars', options), options);
}

/**
 * Load index weights from a vendor or canonical CSV export. Canonical files are in percent;
 * vendor files default to `weightUnit: 'auto'` (RQData and Tushare CITIC weights are fractions).
 */
export function loadIndexWeightsCsv(file: string, options: ReadTableOptions & IndexWeightsValidateOptions = {}): IndexWeightsResult {
  const t = readTable(file, 'index_weights', options);
  return validateIndexWeights(t, { weightUnit: t.vendor === 'canonical' ? 'percent' : 'auto', ...options });
}

/** Load a stock list from a vendor or canonical CSV export. */
export function loadStocksCsv(file: string, options: LoadCsvOptions = {}): StocksResult {
  return validateStocks(readTable(file, 'stocks', options), options);
}
