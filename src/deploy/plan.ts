/**
 * The deployment plan at a rebalance date: target weights (targets.ts) and the orders that move
 * the actual holdings there (orders.ts), priced at the as-of date.
 *
 * Prices, in order of precedence: the instrument map's price column; the industry index close on
 * the as-of date (an industry traded as its own index basket); the holdings file's price (an
 * instrument held but priced nowhere else). A held instrument with none of these is
 * DEPLOY_MISSING_PRICE.
 */
import type { MarketDataset } from '../data/types.js';
import { RotationError } from '../errors.js';
import { parseHoldings, type Holding } from './holdings.js';
import type { ParsedInstrumentMap } from './instruments.js';
import { ordersFromTargets, type OrderRow, type OrderTotals } from './orders.js';
import type { ModelContext } from '../model/context.js';
import type { ModelSpec } from '../model/spec.js';
import { targetWeights, type TargetRow } from './targets.js';
import type { Panel } from '../panel/panel.js';

/** Industry index closes on `asOf` by industry code (industries without a close are absent). */
export function industryClosesAt(ds: MarketDataset, asOf: string): Record<string, number> {
  const close = ds.industryBars.close, N = close.assets.length;
  const t = close.dates.indexOf(asOf);
  if (t < 0) {
    throw new RotationError('DEPLOY_NOT_TRADING_DAY', `${asOf} is not a date of the industry bars`, { asOf, first: close.dates[0], last: close.dates[close.dates.length - 1] },
      'pass a trading day of the dataset');
  }
  const out: Record<string, number> = {};
  for (let i = 0; i < N; i++) { const v = close.values[t * N + i]; if (v > 0) out[close.assets[i]] = v; }
  return out;
}

/** Codes a holdings file may name: the dataset's industries and the map's instruments. */
export function holdingCodes(ds: MarketDataset, instruments?: ParsedInstrumentMap): string[] {
  return [...ds.industries.map((x) => x.code), ...(instruments?.instruments ?? [])];
}

/** Parse a holdings CSV against the dataset (and instrument map) codes. */
export function parseDatasetHoldings(ds: MarketDataset, csvText: string, source: string, instruments?: ParsedInstrumentMap): Holding[] {
  return parseHoldings(csvText, source, holdingCodes(ds, instruments));
}

export interface DeploymentOrderOptions {
  capital: number;
  lotSize?: number;
  minTradeValue?: number;
  costBps?: number;
  instruments?: ParsedInstrumentMap;
}

export interface DeploymentOrders {
  asOf: string;
  rows: (OrderRow & { date: string })[];
  totals: OrderTotals;
}

/** Orders from the target rows of one date and the holdings (module comment for prices). */
export function deploymentOrders(ds: MarketDataset, targets: readonly TargetRow[], holdings: readonly Holding[], options: DeploymentOrderOptions): DeploymentOrders {
  const asOf = targets[0]?.date;
  if (asOf === undefined || targets.some((t) => t.date !== asOf)) {
    throw new RotationError('DEPLOY_BAD_ARGUMENT', 'Target rows must be non-empty and all of one date', { dates: [...new Set(targets.map((t) => t.date))].join(' ') || 'none' },
      'pass the rows of targetWeights for one as-of date');
  }
  const prices = { ...industryClosesAt(ds, asOf), ...(options.instruments?.prices ?? {}) };
  const { rows, totals } = ordersFromTargets(targets.map((t) => ({ industry: t.industry, targetWeight: t.targetWeight })), holdings, {
    capital: options.capital, lotSize: options.lotSize, minTradeValue: options.minTradeValue, costBps: options.costBps,
    prices, instrumentMap: options.instruments?.map,
  });
  return { asOf, rows: rows.map((r) => ({ date: asOf, ...r })), totals };
}

/** Column order of the orders file (docs/outputs.md). */
export const ORDER_COLUMNS = ['date', 'industry', 'instrument', 'price', 'currentQuantity', 'currentValue', 'targetWeight', 'targetValue',
  'tradeQuantity', 'tradeValue', 'finalQuantity', 'finalValue', 'cost', 'status'] as const;

/** Column order of the targets file (docs/outputs.md). */
export const TARGET_COLUMNS = ['date', 'industry', 'name', 'score', 'rank', 'targetWeight', 'previousWeight', 'change'] as const;

/**
 * The book a manager following the model holds after rebalancing at `date`: each target weight
 * turned into whole lots at that date's prices, q_i = lot·⌊capital·w_i / (p_i·lot)⌋ (p_i = the
 * industry close divided by `priceDivisor`, e.g. 1000 for an ETF priced at index/1000). Used to
 * make sample holdings files; rows of held industries in target order.
 */
export function modelBook(ctx: ModelContext, spec: ModelSpec, date: string, options: { capital: number; lotSize: number; priceDivisor?: number; instrument?: (industry: string) => string }): Holding[] {
  const ds = ctx.ds;
  const closes = industryClosesAt(ds, date), div = options.priceDivisor ?? 1, lot = options.lotSize;
  return targetWeights(ctx, spec, date).filter((r) => r.targetWeight > 0).map((r) => {
    const price = Math.round((closes[r.industry] / div) * 1e4) / 1e4;
    const quantity = lot * Math.floor((options.capital * r.targetWeight) / price / lot);
    return { code: options.instrument ? options.instrument(r.industry) : r.industry, quantity, price, value: quantity * price };
  });
}

/** Reconciliation of an order file: the identity and the largest deviation from target, in lots. */
export interface OrderReconciliation {
  date: string;
  capital: number;
  holdingsBefore: number;
  finalHoldings: number;
  cost: number;
  residualCash: number;
  /** capital − (finalHoldings + cost + residualCash): 0 up to rounding. */
  identityError: number;
  trades: number;
  tradedValue: number;
  /** max over traded or targeted instruments of |finalValue − targetValue| / (lot · price), skipped trades excluded. */
  maxDeviationLots: number;
}

/** Reconcile orders to the capital (see OrderReconciliation). */
export function orderReconciliation(orders: DeploymentOrders, lotSize = 100): OrderReconciliation {
  const inst = orders.rows.filter((r) => r.instrument !== 'CASH');
  const t = orders.totals;
  let maxDev = 0;
  for (const r of inst) if (r.status !== 'skipped: below minimum') maxDev = Math.max(maxDev, Math.abs(r.finalValue - r.targetValue) / (lotSize * r.price));
  return {
    date: orders.asOf, capital: t.capital, holdingsBefore: t.currentValue, finalHoldings: t.finalValue, cost: t.cost, residualCash: t.residualCash,
    identityError: t.capital - (t.finalValue + t.cost + t.residualCash), trades: inst.filter((r) => r.tradeQuantity !== 0).length, tradedValue: t.tradedValue,
    maxDeviationLots: maxDev,
  };
}
