/**
 * Holdings parsing (every bad input) and orders by hand: lot rounding, minimum trade, cost,
 * reconciliation to capital within one lot per instrument, instrument baskets.
 * Run: node --import tsx --test test/unit/deploy/orders.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHoldings } from '../../../src/deploy/holdings.js';
import { ordersFromTargets } from '../../../src/deploy/orders.js';
import { RotationError } from '../../../src/errors.js';

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
const KNOWN = ['A', 'B', 'C', 'D'];
function code(c: string, fn: () => unknown, row?: number): void {
  assert.throws(fn, (e: unknown) => {
    ok(e instanceof RotationError, 'RotationError');
    const r = e as RotationError;
    assert.equal(r.code, c);
    if (row !== undefined) assert.equal(r.where.row, row);
    return true;
  });
}

describe('parseHoldings', () => {
  it('parses a valid file', () => {
    const h = parseHoldings('code,quantity,price\nA,200,10\nB,0,\n', 'h.csv', KNOWN);
    assert.deepEqual(h.map((x) => [x.code, x.quantity, x.value]), [['A', 200, 2000], ['B', 0, 0]]);
  });
  it('names every bad input', () => {
    code('DEPLOY_HOLDINGS_COLUMNS', () => parseHoldings('code,qty,price\nA,1,1', 'h.csv', KNOWN));
    code('DEPLOY_HOLDINGS_UNKNOWN_CODE', () => parseHoldings('code,quantity,price\nA,1,1\nZ,1,1', 'h.csv', KNOWN), 3);
    code('DEPLOY_HOLDINGS_NEGATIVE', () => parseHoldings('code,quantity,price\nA,-100,1', 'h.csv', KNOWN), 2);
    code('DEPLOY_HOLDINGS_DUPLICATE', () => parseHoldings('code,quantity,price\nA,1,1\nB,1,1\nA,2,1', 'h.csv', KNOWN), 4);
    code('DEPLOY_HOLDINGS_MISSING_PRICE', () => parseHoldings('code,quantity,price\nA,100,', 'h.csv', KNOWN), 2);
    code('DEPLOY_HOLDINGS_TEXT', () => parseHoldings('code,quantity,price\nA,100 shares,5', 'h.csv', KNOWN), 2);
    code('DEPLOY_HOLDINGS_TEXT', () => parseHoldings('code,quantity,price\nA,100,abc', 'h.csv', KNOWN), 2);
    try { parseHoldings('code,quantity,price\nA,100,abc', 'h.csv', KNOWN); } catch (e) { assert.equal((e as RotationError).where.column, 'price'); }
  });
});

describe('ordersFromTargets', () => {
  const prices = { A: 10, B: 20, C: 7, D: 3 };
  it('rounds to lots, skips small trades, charges cost, lists cash last', () => {
    const holdings = parseHoldings('code,quantity,price\nA,1000,10\nD,150,3\n', 'h.csv', KNOWN);
    const { rows, totals } = ordersFromTargets([{ industry: 'A', targetWeight: 0.5 }, { industry: 'B', targetWeight: 0.3 }, { industry: 'C', targetWeight: 0.2 }],
      holdings, { capital: 100_000, prices, costBps: 10, minTradeValue: 1000 });
    assert.deepEqual(rows.map((r) => r.instrument), ['A', 'B', 'C', 'D', 'CASH']);
    const [a, b, c, d] = rows;
    // Cost reserve R = 10 bps · (|50000 − 10000| + |30000 − 0| + |20000 − 0| + |0 − 450|) = 90.45,
    // so targets are taken on 100000 − 90.45 = 99909.55:
    // A 49954.775 → +3995.5 shares → 3900 (lots, down); B 29972.865/20 = 1498.6 → 1400; C 19981.91/7 = 2854.6 → 2800.
    assert.equal(a.tradeQuantity, 3900); assert.equal(a.status, 'buy');
    assert.equal(b.tradeQuantity, 1400); assert.equal(c.tradeQuantity, 2800);
    assert.ok(Math.abs(a.targetValue - 49954.775) < 1e-9);
    // D: held 150 (odd lot) with target 0 -> sell all, but 450 < minTradeValue 1000 -> skipped
    assert.equal(d.tradeQuantity, 0); assert.equal(d.status, 'skipped: below minimum');
    assert.equal(a.cost, 39); assert.equal(b.cost, 28); assert.equal(c.cost, 19.6);
    assert.ok(Math.abs(totals.cost - 86.6) < 1e-9);
    assert.ok(Math.abs(totals.residualCash - (100_000 - (49_000 + 28_000 + 19_600 + 450) - 86.6)) < 1e-9);
    assert.equal(rows[4].finalValue, totals.residualCash);
  });
  it('a skipped sale that would overdraw cash cuts the largest buy by whole lots', () => {
    // D: 1000 @ 3 = 3000 to sell, but below the 5000 minimum; A: buy 10000 @ 1. Final 13000 > capital
    // 10000, so A is cut by 30 lots to 7000 and cash ends at exactly 0.
    const holdings = parseHoldings('code,quantity,price\nD,1000,3\n', 'h.csv', KNOWN);
    const { rows, totals } = ordersFromTargets([{ industry: 'A', targetWeight: 1 }], holdings, { capital: 10_000, prices: { A: 1, D: 3 }, minTradeValue: 5000 });
    assert.equal(rows[0].tradeQuantity, 7000); assert.equal(rows[0].status, 'buy: cut for cash');
    assert.equal(rows[1].status, 'skipped: below minimum');
    assert.equal(totals.residualCash, 0);
    assert.equal(rows[2].instrument, 'CASH'); assert.equal(rows[2].finalValue, 0);
  });
  it('an account that cannot be kept out of overdraft is a named error', () => {
    const holdings = parseHoldings('code,quantity,price\nD,150,3\n', 'h.csv', KNOWN);
    // Capital below the holdings' value with the only sale skipped: nothing to cut.
    code('DEPLOY_CASH_SHORTFALL', () => ordersFromTargets([{ industry: 'A', targetWeight: 1 }], holdings, { capital: 400, prices, minTradeValue: 1000 }));
  });
  it('sells round up in size, never more than held; reconciles to capital within one lot per instrument', () => {
    const holdings = parseHoldings('code,quantity,price\nA,3050,10\nB,400,20\n', 'h.csv', KNOWN);
    const targets = [{ industry: 'A', targetWeight: 0.123 }, { industry: 'B', targetWeight: 0.4 }, { industry: 'C', targetWeight: 0.277 }, { industry: 'D', targetWeight: 0.2 }];
    const capital = 123_457;
    const { rows, totals } = ordersFromTargets(targets, holdings, { capital, prices });
    const a = rows[0]; // target 15185.2/10 = 1518.5 shares; sell 3050-1518.5 = 1531.5 -> 1600
    assert.equal(a.tradeQuantity, -1600); assert.equal(a.finalQuantity, 1450);
    let slack = 0;
    for (const r of rows.filter((x) => x.status !== 'cash')) {
      ok(r.finalValue <= r.targetValue + 1e-9 && r.targetValue - r.finalValue < 100 * r.price, `${r.instrument} within one lot`);
      ok(r.tradeQuantity % 100 === 0, 'whole lots');
      slack += 100 * r.price;
    }
    ok(Math.abs(totals.finalValue + totals.residualCash + totals.cost - capital) < 1e-6, 'cash line closes the capital');
    ok(capital - totals.finalValue >= 0 && capital - totals.finalValue < slack, 'invested within one lot per instrument');
  });
  it('splits an industry over a basket of instruments', () => {
    const { rows } = ordersFromTargets([{ industry: 'A', targetWeight: 1 }], [], {
      capital: 100_000, prices: { ETF1: 1, ETF2: 2 }, instrumentMap: { A: [{ instrument: 'ETF1', share: 0.6 }, { instrument: 'ETF2', share: 0.4 }] },
    });
    assert.deepEqual(rows.map((r) => [r.industry, r.instrument, r.tradeQuantity]), [['A', 'ETF1', 60000], ['A', 'ETF2', 20000], ['', 'CASH', NaN]]);
  });
  it('rejects capital <= 0 and missing prices', () => {
    code('DEPLOY_BAD_CAPITAL', () => ordersFromTargets([], [], { capital: 0, prices }));
    code('DEPLOY_BAD_CAPITAL', () => ordersFromTargets([], [], { capital: -5, prices }));
    code('DEPLOY_MISSING_PRICE', () => ordersFromTargets([{ industry: 'X', targetWeight: 1 }], [], { capital: 10, prices }));
  });
});
