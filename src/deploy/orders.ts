/**
 * Orders that move holdings to target weights. Per instrument i (an industry, or the instruments
 * of an industry's basket when an instrument map is given, basket share s_i):
 *
 *   current value V_i = q_i · p_i,   cost reserve R = costBps/10⁴ · Σ_i |capital · w_i s_i − V_i|
 *   target value V*_i = (capital − R) · w_industry · s_i   (costs are funded up front, so lot
 *   rounding rather than cost cuts decides how far each instrument ends from its target)
 *   raw quantity Δ = (V*_i − V_i)/p_i; buys round DOWN to whole lots (lot·⌊Δ/lot⌋), sells round UP in
 *   size (−lot·⌈−Δ/lot⌉, at most the quantity held; a target of 0 sells everything, odd lots included)
 *   so every final value is within one lot of its target and never above it;
 *   |Δ·p| < minTradeValue → skipped (no trade);  cost = |Δ·p| · costBps / 10⁴
 *   residual cash = capital − Σ final value − Σ cost.
 * Cash never goes negative: while residual cash < 0 (costs, or a skipped sale, can overdraw it),
 * the largest buy is cut by one lot (status 'buy: cut for cash'); if no buy is left to cut the
 * inputs overdraw the account and DEPLOY_CASH_SHORTFALL names the shortfall.
 *
 * Rows: instruments in target order (industry, then basket order), then held instruments without a
 * target (sold), then one 'CASH' line; an instrument neither held nor wanted gets no row. Deterministic.
 */
import { RotationError } from '../errors.js';
import type { Holding } from './holdings.js';

export interface TargetWeight { industry: string; targetWeight: number }

export type InstrumentMap = Readonly<Record<string, string | readonly { instrument: string; share: number }[]>>;

export interface OrderOptions {
  /** Total capital to allocate (holdings value + cash), > 0. */
  capital: number;
  /** Shares per lot. Default 100. */
  lotSize?: number;
  /** Trades below this value are skipped. Default 0. */
  minTradeValue?: number;
  /** Cost per traded value in basis points. Default 0. */
  costBps?: number;
  /** Price by instrument (falls back to the holding's price). */
  prices: Readonly<Record<string, number>>;
  /** Industry → instrument or basket of { instrument, share } (shares sum to 1). Default: the industry code itself. */
  instrumentMap?: InstrumentMap;
}

export interface OrderRow {
  industry: string;
  instrument: string;
  price: number;
  currentQuantity: number;
  currentValue: number;
  targetWeight: number;
  targetValue: number;
  tradeQuantity: number;
  tradeValue: number;
  finalQuantity: number;
  finalValue: number;
  cost: number;
  status: 'buy' | 'buy: cut for cash' | 'sell' | 'hold' | 'skipped: below minimum' | 'cash';
}

export interface OrderTotals { capital: number; currentValue: number; targetValue: number; finalValue: number; tradedValue: number; cost: number; residualCash: number }

function bad(what: string, where: Record<string, string | number>, fix: string): RotationError {
  return new RotationError('DEPLOY_BAD_ARGUMENT', what, where, fix);
}

/** Residual cash = capital − Σ final value − Σ cost of the instrument rows. */
function residualCash(rows: readonly OrderRow[], capital: number): number {
  let v = capital;
  for (const r of rows) v -= r.finalValue + r.cost;
  return v;
}

/** Cut the largest buy by one lot until residual cash >= 0 (module comment). */
function keepCashNonNegative(rows: OrderRow[], capital: number, lot: number, costBps: number): void {
  let cash = residualCash(rows, capital);
  while (cash < -1e-9) {
    let best: OrderRow | undefined;
    for (const r of rows) if (r.tradeQuantity >= lot && (!best || r.tradeValue > best.tradeValue)) best = r;
    if (!best) {
      throw new RotationError('DEPLOY_CASH_SHORTFALL', `The orders overdraw the account by ${(-cash).toFixed(2)} and no buy is left to cut`, { capital, shortfall: -cash },
        'raise --capital to at least the holdings value plus costs, or lower --min-trade so that sales are not skipped');
    }
    best.tradeQuantity -= lot;
    best.tradeValue = best.tradeQuantity * best.price;
    best.finalQuantity = best.currentQuantity + best.tradeQuantity;
    best.finalValue = best.finalQuantity * best.price;
    best.cost = Math.abs(best.tradeValue) * costBps / 1e4;
    best.status = best.tradeQuantity > 0 ? 'buy: cut for cash' : 'hold';
    cash = residualCash(rows, capital);
  }
}

/** Orders from target weights and holdings (module comment). */
export function ordersFromTargets(targets: readonly TargetWeight[], holdings: readonly Holding[], options: OrderOptions): { rows: OrderRow[]; totals: OrderTotals } {
  const { capital, prices } = options;
  if (!(Number.isFinite(capital) && capital > 0)) {
    throw new RotationError('DEPLOY_BAD_CAPITAL', `Capital must be a positive number, got ${String(capital)}`, { argument: 'capital' }, 'pass the total portfolio value (holdings + cash)');
  }
  const lot = options.lotSize ?? 100, minTrade = options.minTradeValue ?? 0, costBps = options.costBps ?? 0;
  if (!Number.isInteger(lot) || lot < 1) throw bad(`lotSize must be a positive integer, got ${lot}`, { argument: 'lotSize' }, 'pass e.g. 100');
  if (!(minTrade >= 0)) throw bad(`minTradeValue must be >= 0, got ${minTrade}`, { argument: 'minTradeValue' }, 'pass e.g. 0 or 5000');
  if (!(costBps >= 0)) throw bad(`costBps must be >= 0, got ${costBps}`, { argument: 'costBps' }, 'pass e.g. 10');
  const held = new Map(holdings.map((h) => [h.code, h]));
  const plan: { industry: string; instrument: string; weight: number; share: number }[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    if (!(t.targetWeight >= 0) || !Number.isFinite(t.targetWeight)) throw bad(`Target weight of ${t.industry} must be a finite number >= 0, got ${t.targetWeight}`, { industry: t.industry }, 'pass long-only target weights');
    const m = options.instrumentMap?.[t.industry];
    const legs = m === undefined ? [{ instrument: t.industry, share: 1 }] : typeof m === 'string' ? [{ instrument: m, share: 1 }] : m;
    for (const l of legs) {
      if (seen.has(l.instrument)) throw bad(`Instrument ${l.instrument} appears under two industries`, { instrument: l.instrument, industry: t.industry }, 'map each instrument to one industry');
      seen.add(l.instrument);
      plan.push({ industry: t.industry, instrument: l.instrument, weight: t.targetWeight, share: l.share });
    }
  }
  for (const h of holdings) if (!seen.has(h.code)) plan.push({ industry: '', instrument: h.code, weight: 0, share: 0 });
  const priceOf = (instrument: string): number => prices[instrument] ?? held.get(instrument)?.price ?? NaN;
  let reserve = 0;
  for (const p of plan) {
    const px = priceOf(p.instrument), v = (held.get(p.instrument)?.quantity ?? 0) * (px > 0 ? px : 0);
    reserve += Math.abs(capital * p.weight * p.share - v) * costBps / 1e4;
  }
  const investable = capital - reserve;
  const rows: OrderRow[] = [];
  for (const p of plan) {
    const h = held.get(p.instrument);
    const q = h?.quantity ?? 0;
    const price = priceOf(p.instrument);
    const targetValue = investable * p.weight * p.share;
    if (q === 0 && targetValue === 0) continue; // nothing held, nothing wanted: no row
    if (!(price > 0)) {
      throw new RotationError('DEPLOY_MISSING_PRICE', `No price for instrument ${p.instrument}`, { instrument: p.instrument, industry: p.industry }, 'add it to options.prices (or the holdings file)');
    }
    const currentValue = q * price;
    const raw = (targetValue - currentValue) / price;
    let dq = targetValue === 0 ? -q : raw >= 0 ? lot * Math.floor(raw / lot + 1e-9) : -Math.min(q, lot * Math.ceil(-raw / lot - 1e-9));
    let status: OrderRow['status'] = dq > 0 ? 'buy' : dq < 0 ? 'sell' : 'hold';
    if (dq !== 0 && Math.abs(dq * price) < minTrade) { dq = 0; status = 'skipped: below minimum'; }
    const tradeValue = dq * price;
    rows.push({
      industry: p.industry, instrument: p.instrument, price, currentQuantity: q, currentValue, targetWeight: p.weight * p.share, targetValue,
      tradeQuantity: dq, tradeValue, finalQuantity: q + dq, finalValue: (q + dq) * price, cost: Math.abs(tradeValue) * costBps / 1e4, status,
    });
  }
  keepCashNonNegative(rows, capital, lot, costBps);
  const sum = (k: keyof OrderRow): number => rows.reduce((a, r) => a + (r[k] as number), 0);
  const totals: OrderTotals = {
    capital, currentValue: sum('currentValue'), targetValue: sum('targetValue'), finalValue: sum('finalValue'),
    tradedValue: rows.reduce((a, r) => a + Math.abs(r.tradeValue), 0), cost: sum('cost'), residualCash: 0,
  };
  totals.residualCash = capital - totals.finalValue - totals.cost;
  rows.push({
    industry: '', instrument: 'CASH', price: 1, currentQuantity: NaN, currentValue: capital - totals.currentValue, targetWeight: NaN, targetValue: capital - totals.targetValue,
    tradeQuantity: NaN, tradeValue: NaN, finalQuantity: NaN, finalValue: totals.residualCash, cost: NaN, status: 'cash',
  });
  return { rows, totals };
}
