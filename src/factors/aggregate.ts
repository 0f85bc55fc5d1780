/**
 * Stock → industry aggregation with point-in-time membership: per date, each stock counts in the
 * industry it belonged to on that date. Cap-weighted, equal-weighted, median and sum aggregation
 * of any stock-level Panel, breadth (share of members that improved against a lag), and the
 * industry aggregate market cap (for market-cap neutralization at the industry level).
 *
 * Hot loops run over the dense dates x stocks Float64Array with Int32 industry codes; the median
 * buckets each date's values by industry (counting sort) and sorts each bucket in place.
 */
import { RotationError } from '../errors.js';
import { newLossReport, type LossReport } from '../data/loss.js';
import { membershipAsOf, type MembershipAsOf } from '../data/pointInTime.js';
import type { MarketDataset } from '../data/types.js';
import { selectDates, type Panel } from '../panel/panel.js';
import { membershipSchemes } from './engine.js';

/** Industry of each stock on each date (the shape of `MembershipAsOf`): codes[t*stocks.length + s] indexes `industries`, −1 = none. */
export interface IndustryMembership {
  readonly dates: readonly string[];
  readonly stocks: readonly string[];
  readonly industries: readonly string[];
  readonly codes: Int32Array;
}

export type AggregationMethod = 'cap' | 'equal' | 'median' | 'sum';

export interface AggregateOptions {
  /** 'cap': Σ w·x / Σ w; 'equal': mean; 'median': median; 'sum': Σ x. */
  method: AggregationMethod;
  /** Weights (market caps) for 'cap', same dates and stocks as the values. */
  weights?: Panel;
  /** An industry-date with fewer contributing members than this is NaN (counted). Default 1. */
  minMembers?: number;
}

export interface AggregateResult {
  /** dates x industries (membership.industries order). */
  panel: Panel;
  /** Contributing members per cell (date-major, dates x industries). */
  members: Int32Array;
  /** Stock cells read (valid values) / kept (contributing) / dropped by reason; industry cells below minMembers in `notes`. */
  loss: LossReport;
}

/** Column map from the panel's assets to membership stocks (identity when they match). */
function stockColumns(values: Panel, membership: IndustryMembership, where: string): Int32Array {
  const same = values.dates.length === membership.dates.length && values.dates.every((d, t) => d === membership.dates[t]);
  if (!same) {
    throw new RotationError('AGG_MISALIGNED', 'The values and the membership have different dates', { step: where, valueDates: values.dates.length, membershipDates: membership.dates.length },
      'build the membership on the panel\'s dates: membershipAsOf(records, scheme, panel.dates, panel.assets)');
  }
  const N = values.assets.length;
  const cols = new Int32Array(N);
  const identity = N === membership.stocks.length && values.assets.every((a, i) => a === membership.stocks[i]);
  if (identity) { for (let i = 0; i < N; i++) cols[i] = i; return cols; }
  const idx = new Map(membership.stocks.map((s, i) => [s, i]));
  for (let i = 0; i < N; i++) cols[i] = idx.get(values.assets[i]) ?? -1;
  return cols;
}

function checkMinMembers(m: number): void {
  if (!Number.isInteger(m) || m < 1) {
    throw new RotationError('AGG_BAD_ARGUMENT', `minMembers must be an integer >= 1, got ${m}`, { argument: 'minMembers' }, 'pass 1 (the default) or more');
  }
}

/**
 * Aggregate a stock-level panel to industries with point-in-time membership. For date t and
 * industry g, over the members M = { s : code(t, s) = g, x[t, s] valid (and w[t, s] > 0 for 'cap') }:
 *
 *   cap:    Σ_M w·x / Σ_M w        equal:  Σ_M x / |M|
 *   median: median_M x             sum:    Σ_M x
 *
 * NaN when |M| < minMembers (default 1). Errors: AGG_MISALIGNED (dates differ), AGG_BAD_ARGUMENT
 * (unknown method, 'cap' without weights, weights of another shape).
 */
export function aggregateToIndustries(values: Panel, membership: IndustryMembership, options: AggregateOptions): AggregateResult {
  const method = options.method;
  if (method !== 'cap' && method !== 'equal' && method !== 'median' && method !== 'sum') {
    throw new RotationError('AGG_BAD_ARGUMENT', `Unknown aggregation "${String(method)}"`, { argument: 'method' }, "use 'cap', 'equal', 'median' or 'sum'");
  }
  const minMembers = options.minMembers ?? 1;
  checkMinMembers(minMembers);
  const cols = stockColumns(values, membership, 'aggregateToIndustries');
  const w = options.weights;
  if (method === 'cap') {
    if (!w) throw new RotationError('AGG_BAD_ARGUMENT', "Cap-weighted aggregation needs `weights`", { argument: 'weights' }, 'pass the market-cap panel (stocks.bars.floatCap) as weights');
    if (w.values.length !== values.values.length || w.assets.some((a, i) => a !== values.assets[i]) || w.dates.some((d, t) => d !== values.dates[t])) {
      throw new RotationError('AGG_BAD_ARGUMENT', 'Weights have other dates or stocks than the values', { argument: 'weights' }, 'align the weights to the values first (reindexTo)');
    }
  }
  const T = values.dates.length, N = values.assets.length, S = membership.stocks.length, G = membership.industries.length;
  const out = new Float64Array(T * G).fill(NaN);
  const members = new Int32Array(T * G);
  const num = new Float64Array(G), den = new Float64Array(G), cnt = new Int32Array(G);
  const v = values.values, wv = w?.values, codes = membership.codes;
  let read = 0, noIndustry = 0, badWeight = 0, belowMin = 0;
  const loss = newLossReport(`aggregate:${method}`, 'stock panel');
  const buf = method === 'median' ? new Float64Array(N) : undefined;
  const start = method === 'median' ? new Int32Array(G + 1) : undefined;
  const cursor = method === 'median' ? new Int32Array(G) : undefined;
  for (let t = 0; t < T; t++) {
    const base = t * N, cbase = t * S;
    num.fill(0); den.fill(0); cnt.fill(0);
    for (let i = 0; i < N; i++) {
      const x = v[base + i];
      if (x !== x) continue;
      read++;
      const c = cols[i];
      const g = c >= 0 ? codes[cbase + c] : -1;
      if (g < 0) { noIndustry++; if (noIndustry <= 5) loss.examples.push({ reason: 'no industry on the date', where: { date: values.dates[t], stock: values.assets[i] } }); continue; }
      if (method === 'cap') {
        const wi = wv![base + i];
        if (!(wi > 0)) { badWeight++; if (badWeight <= 5) loss.examples.push({ reason: 'missing or non-positive weight', where: { date: values.dates[t], stock: values.assets[i] } }); continue; }
        num[g] += wi * x; den[g] += wi;
      } else {
        num[g] += x;
      }
      cnt[g]++;
    }
    if (method === 'median') {
      start![0] = 0;
      for (let g = 0; g < G; g++) start![g + 1] = start![g] + cnt[g];
      for (let g = 0; g < G; g++) cursor![g] = start![g];
      for (let i = 0; i < N; i++) {
        const x = v[base + i];
        if (x !== x) continue;
        const c = cols[i];
        const g = c >= 0 ? codes[cbase + c] : -1;
        if (g >= 0) buf![cursor![g]++] = x;
      }
    }
    const obase = t * G;
    for (let g = 0; g < G; g++) {
      const n = cnt[g];
      members[obase + g] = n;
      if (n === 0) continue;
      if (n < minMembers) { belowMin++; continue; }
      let r: number;
      if (method === 'cap') r = num[g] / den[g];
      else if (method === 'equal') r = num[g] / n;
      else if (method === 'sum') r = num[g];
      else {
        const s = buf!.subarray(start![g], start![g + 1]);
        s.sort();
        r = n % 2 === 1 ? s[(n - 1) >> 1] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
      }
      out[obase + g] = r;
    }
  }
  loss.rowsRead = read;
  if (noIndustry) loss.dropped['no industry on the date'] = noIndustry;
  if (badWeight) loss.dropped['missing or non-positive weight'] = badWeight;
  loss.rowsKept = read - noIndustry - badWeight;
  loss.notes.push(`cells are valid stock values (dates x stocks); ${belowMin} industry-date(s) with fewer than ${minMembers} member(s) set to NaN`);
  return { panel: { dates: [...values.dates], assets: [...membership.industries], values: out }, members, loss };
}

/**
 * Breadth: share of an industry's members whose value improved against `lag` rows earlier,
 *
 *   breadth[t, g] = #{s in g at t : x[t, s] > x[t − lag, s]} / #{s in g at t : both valid}
 *
 * (membership as of t; NaN for t < lag or fewer than minMembers comparable members).
 */
export function industryBreadth(values: Panel, membership: IndustryMembership, lag = 1, options: { minMembers?: number } = {}): AggregateResult {
  if (!Number.isInteger(lag) || lag < 1) {
    throw new RotationError('AGG_BAD_ARGUMENT', `lag must be a positive integer, got ${lag}`, { argument: 'lag' }, 'pass the lag in rows of the panel, e.g. 1');
  }
  const minMembers = options.minMembers ?? 1;
  checkMinMembers(minMembers);
  const cols = stockColumns(values, membership, 'industryBreadth');
  const T = values.dates.length, N = values.assets.length, S = membership.stocks.length, G = membership.industries.length;
  const out = new Float64Array(T * G).fill(NaN);
  const members = new Int32Array(T * G);
  const up = new Int32Array(G), cnt = new Int32Array(G);
  const v = values.values, codes = membership.codes;
  const loss = newLossReport('aggregate:breadth', 'stock panel');
  let noIndustry = 0, noLag = 0;
  for (let t = 0; t < T; t++) {
    up.fill(0); cnt.fill(0);
    for (let i = 0; i < N; i++) {
      const x = v[t * N + i];
      if (x !== x) continue;
      loss.rowsRead++;
      const c = cols[i];
      const g = c >= 0 ? codes[t * S + c] : -1;
      if (g < 0) { noIndustry++; continue; }
      const p = t >= lag ? v[(t - lag) * N + i] : NaN;
      if (p !== p) { noLag++; continue; }
      cnt[g]++;
      if (x > p) up[g]++;
    }
    for (let g = 0; g < G; g++) {
      members[t * G + g] = cnt[g];
      if (cnt[g] >= minMembers && cnt[g] > 0) out[t * G + g] = up[g] / cnt[g];
    }
  }
  if (noIndustry) loss.dropped['no industry on the date'] = noIndustry;
  if (noLag) loss.dropped['no lagged value'] = noLag;
  loss.rowsKept = loss.rowsRead - noIndustry - noLag;
  return { panel: { dates: [...values.dates], assets: [...membership.industries], values: out }, members, loss };
}

/**
 * Point-in-time membership of the dataset's stocks on `dates` (membershipAsOf with the scheme that
 * covers the dataset's industries, or `scheme`); `industries` = the dataset's industry codes
 * (codes of other industries become −1). Errors: AGG_NO_MEMBERSHIP when the dataset has none.
 */
export function datasetMembership(dataset: MarketDataset, dates: readonly string[], options: { scheme?: string; stocks?: readonly string[] } = {}): MembershipAsOf {
  const schemes = membershipSchemes(dataset);
  const scheme = options.scheme ?? schemes[0]?.scheme;
  if (!dataset.stocks || scheme === undefined) {
    throw new RotationError('AGG_NO_MEMBERSHIP', `Dataset "${dataset.name}" has no stock membership for its industries`, { dataset: dataset.name },
      'use a dataset with stocks and membership records (e.g. the simulator)');
  }
  const codes = dataset.industries.map((x) => x.code);
  const known = new Set(codes);
  const records = dataset.stocks.membership;
  const extra = [...new Set(records.filter((m) => m.scheme === scheme && !known.has(m.industry)).map((m) => m.industry))].sort();
  const stocks = options.stocks ?? dataset.stocks.bars.close.assets;
  const m = membershipAsOf(records, scheme, dates, stocks, { industries: [...codes, ...extra], source: `${dataset.name} membership` });
  const J = codes.length;
  for (let k = 0; k < m.codes.length; k++) if (m.codes[k] >= J) m.codes[k] = -1;
  return { ...m, industries: codes };
}

/**
 * Industry aggregate market cap at `dates`: cap[t, g] = Σ_{s in g at t} cap[t, s] (floatCap by
 * default, or totalCap). The input for market-cap neutralization at the industry level
 * (neutralize(factor, { cap: industryCap(...).panel })). Errors: AGG_NO_MEMBERSHIP, AGG_NO_CAP.
 */
export function industryCap(dataset: MarketDataset, dates: readonly string[], field: 'floatCap' | 'totalCap' = 'floatCap'): AggregateResult {
  const cap = dataset.stocks?.bars[field];
  if (!cap) {
    throw new RotationError('AGG_NO_CAP', `Dataset "${dataset.name}" has no stock ${field}`, { dataset: dataset.name, field },
      `use a dataset with stocks.bars.${field}${field === 'floatCap' ? ", or pass 'totalCap'" : ''}`);
  }
  const sub = selectDates(cap, dates);
  const m = datasetMembership(dataset, dates, { stocks: sub.assets });
  return aggregateToIndustries(sub, m, { method: 'sum' });
}
