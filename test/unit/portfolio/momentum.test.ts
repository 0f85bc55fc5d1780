/**
 * Momentum baselines (12-1M, 1M) on hand-built returns, calendar-month compounding, and the
 * allocator walk (drifted previous weights).
 * Run: node --import tsx --test test/unit/portfolio/momentum.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarMonthReturns, monthlyReturnsPanel, simpleReturns } from '../../../src/portfolio/history.js';
import { momentumAllocator, momentumScores } from '../../../src/portfolio/momentum.js';
import { walkAllocator } from '../../../src/portfolio/walk.js';
import { equalWeightAllocator } from '../../../src/portfolio/weights.js';
import type { Panel } from '../../../src/panel/panel.js';

/** assert.ok with a message always given (node's generated message re-parses the transpiled source: very slow). */
function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }

/** Month-end dates of 2020-01 .. 2021-12 (last calendar day; any ISO date in the month works). */
const MONTHS = Array.from({ length: 24 }, (_, m) => {
  const y = 2020 + Math.floor(m / 12), mo = (m % 12) + 1;
  return `${y}-${String(mo).padStart(2, '0')}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
});

/** Monthly returns: A earns 1% every month, B 2% except -10% in the latest month, C NaN before 2020-06. */
function monthlyPanel(): Panel {
  const v = new Float64Array(24 * 3);
  for (let m = 0; m < 24; m++) {
    v[m * 3] = 0.01;
    v[m * 3 + 1] = m === 23 ? -0.1 : 0.02;
    v[m * 3 + 2] = m < 5 ? NaN : 0.015;
  }
  return { dates: MONTHS, assets: ['A', 'B', 'C'], values: v };
}

describe('momentum scores', () => {
  const p = monthlyPanel();
  it('12-1M compounds months m-11 .. m-1 (the latest month skipped)', () => {
    const s = momentumScores(p, '2021-12-31', ['A', 'B', 'C'], 12, 1);
    ok(Math.abs(s[0] - (1.01 ** 11 - 1)) < 1e-12, `A ${s[0]}`);
    ok(Math.abs(s[1] - (1.02 ** 11 - 1)) < 1e-12, `B ${s[1]}`); // the -10% month is skipped
    ok(Math.abs(s[2] - (1.015 ** 11 - 1)) < 1e-12, `C ${s[2]}`);
  });
  it('1M is the latest month', () => {
    const s = momentumScores(p, '2021-12-31', ['A', 'B'], 1, 0);
    ok(Math.abs(s[0] - 0.01) < 1e-12 && Math.abs(s[1] + 0.1) < 1e-12, `${Array.from(s)}`);
  });
  it('is NaN without L complete months, and reads nothing after the date', () => {
    const s = momentumScores(p, '2020-12-31', ['A', 'C'], 12, 1);
    ok(Number.isFinite(s[0]) && Number.isNaN(s[1]), `${Array.from(s)}`); // C starts in June 2020
    const early = momentumScores(p, '2020-06-30', ['A'], 12, 1);
    ok(Number.isNaN(early[0]), 'six months is not enough');
  });
  it('the allocator holds the top k and excludes NaN scores', () => {
    const res = momentumAllocator({ k: 1 })({ date: '2020-12-31', industries: ['A', 'B', 'C'], returns: p });
    assert.deepEqual(Array.from(res.weights), [0, 1, 0]);
    assert.equal(res.diagnostics.nanScores, 1);
    const fallback = momentumAllocator()({ date: '2020-03-31', industries: ['A', 'B', 'C'], returns: p });
    assert.equal(fallback.diagnostics.details.fallback, true);
  });
});

describe('calendar months from daily returns', () => {
  it('compounds the valid days of each month; a month with fewer than half valid days is NaN', () => {
    const dates = ['2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02', '2024-02-05', '2024-03-01', '2024-03-04', '2024-03-05'];
    const r: Panel = { dates, assets: ['X'], values: new Float64Array([0.1, 0.1, -0.5, 0.2, NaN, NaN, NaN, 0.3]) };
    const m = calendarMonthReturns(r, 8, [0]);
    assert.deepEqual(m.months, ['2024-01', '2024-02', '2024-03']);
    assert.deepEqual(m.endDates, ['2024-01-31', '2024-02-05', '2024-03-05']);
    // Jan 1.1^2 - 1; Feb 2 of 3 days valid: 0.5 x 1.2 - 1 = -0.4; Mar 1 of 3 valid: NaN.
    ok(Math.abs(m.values[0] - 0.21) < 1e-12 && Math.abs(m.values[1] + 0.4) < 1e-12 && Number.isNaN(m.values[2]), `${Array.from(m.values)}`);
    // Rows after `end` are never read.
    const cut = calendarMonthReturns(r, 3, [0]);
    assert.deepEqual(cut.endDates, ['2024-01-31', '2024-02-01']);
  });
  it('with the panel\'s monthlyReturnsPanel: the same months to the bit at every end, and no row at or after end is read', () => {
    const dates: string[] = [];
    for (let d = Date.UTC(2023, 10, 27); dates.length < 90; d += 86400000) { const day = new Date(d).getUTCDay(); if (day !== 0 && day !== 6) dates.push(new Date(d).toISOString().slice(0, 10)); }
    const n = 4, values = new Float64Array(dates.length * n);
    for (let k = 0; k < values.length; k++) values[k] = k % 11 === 3 ? NaN : Math.sin(k * 1.7) * 0.02;
    const r: Panel = { dates, assets: ['A', 'B', 'C', 'D'], values };
    const monthly = monthlyReturnsPanel(r);
    for (let end = 0; end <= dates.length; end++) {
      for (const cols of [[0, 1, 2, 3], [2, 0]]) {
        const a = calendarMonthReturns(r, end, cols), b = calendarMonthReturns(r, end, cols, monthly);
        assert.deepEqual(b.months, a.months);
        assert.deepEqual(b.endDates, a.endDates);
        assert.deepEqual(Array.from(b.values), Array.from(a.values), `end ${end}`);
        // perturb the future: a panel changed from row `end` on gives the same months before it
        const future = { ...r, values: Float64Array.from(values, (v, k) => (k >= end * n ? v + 1 : v)) };
        assert.deepEqual(Array.from(calendarMonthReturns(future, end, cols, monthlyReturnsPanel(future)).values), Array.from(a.values));
      }
    }
  });
  it('simple returns from closes', () => {
    const close: Panel = { dates: ['2024-01-01', '2024-01-02', '2024-01-03'], assets: ['X'], values: new Float64Array([10, 11, 0]) };
    const r = simpleReturns(close);
    ok(Number.isNaN(r.values[0]) && Math.abs(r.values[1] - 0.1) < 1e-12 && r.values[2] === -1, `${Array.from(r.values)}`);
  });
});

describe('walkAllocator', () => {
  it('passes the previous target drifted by the returns in between', () => {
    const dates = ['2024-01-31', '2024-02-01', '2024-02-29'];
    const returns: Panel = { dates, assets: ['A', 'B'], values: new Float64Array([NaN, NaN, 1.0, 0, 0, 0]) };
    const w = walkAllocator(equalWeightAllocator(), { returns, rebalanceDates: ['2024-01-31', '2024-02-29'] });
    // Held going into 2024-02-29: (0.5 x 2, 0.5) / 1.5 = (2/3, 1/3); target (1/2, 1/2): turnover 1/3.
    ok(Math.abs(w.turnover[1] - 1 / 3) < 1e-12, `turnover ${w.turnover[1]}`);
    ok(Number.isNaN(w.turnover[0]), 'no turnover at the first date');
  });
});
