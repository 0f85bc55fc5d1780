import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertBalanced, newLossReport } from '../../../src/data/loss.js';
import {
  monthEndRebalanceDates,
  periodReturns,
  periodWeekdayBounds,
  rebalanceCalendar,
  resampleBars,
  tradingCalendar,
} from '../../../src/data/calendar.js';
import { at, createPanel } from '../../../src/panel/panel.js';
import type { MarketDataset } from '../../../src/data/types.js';
import { throwsCode } from '../assertions.js';


/** Weekdays (Mon..Fri) from `from` to `to` inclusive, minus `holidays`. */
function weekdays(from: string, to: string, holidays: string[] = []): string[] {
  const out: string[] = [];
  const skip = new Set(holidays);
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
    const dt = new Date(d);
    const iso = dt.toISOString().slice(0, 10);
    if (dt.getUTCDay() !== 0 && dt.getUTCDay() !== 6 && !skip.has(iso)) out.push(iso);
  }
  return out;
}

// 2024 US-style holidays; 2024-03-29 (Good Friday) is the last weekday of March.
const HOLIDAYS_2024 = ['2024-01-01', '2024-01-15', '2024-02-19', '2024-03-29'];
const CAL = weekdays('2024-01-01', '2024-04-30', HOLIDAYS_2024);

test('calendar: month ends on a hand-made calendar, incl. a month whose last weekday is a holiday', () => {
  assert.deepEqual(monthEndRebalanceDates(CAL), ['2024-01-31', '2024-02-29', '2024-03-28', '2024-04-30']);
  assert.deepEqual(monthEndRebalanceDates(CAL, { from: '2024-02-01', to: '2024-03-31' }), ['2024-02-29', '2024-03-28']);
  assert.deepEqual(monthEndRebalanceDates(CAL, { from: '2024-02-29', to: '2024-02-29' }), ['2024-02-29']);
  // Data cut mid-April: April is partial and dropped; 'keep' uses the last date present.
  const cut = CAL.filter((d) => d <= '2024-04-26');
  assert.deepEqual(monthEndRebalanceDates(cut), ['2024-01-31', '2024-02-29', '2024-03-28']);
  assert.deepEqual(monthEndRebalanceDates(cut, { partial: 'keep' }), ['2024-01-31', '2024-02-29', '2024-03-28', '2024-04-26']);
  // Data ending on the month's last weekday are complete (2023-09-30 is a Saturday).
  assert.deepEqual(monthEndRebalanceDates(weekdays('2023-09-25', '2023-09-29')), ['2023-09-29']); // 09-30 is a Saturday
  // Data ending right before the holiday that closes March: dropped (conservative), kept with 'keep'.
  const toMarch = CAL.filter((d) => d <= '2024-03-28');
  assert.deepEqual(monthEndRebalanceDates(toMarch), ['2024-01-31', '2024-02-29']);
  assert.deepEqual(monthEndRebalanceDates(toMarch, { partial: 'keep' }).at(-1), '2024-03-28');
  // A gap month (no data at all) simply has no month end.
  const gap = CAL.filter((d) => d < '2024-02-01' || d > '2024-02-29');
  assert.deepEqual(monthEndRebalanceDates(gap), ['2024-01-31', '2024-03-28', '2024-04-30']);
});

test('calendar: rebalanceCalendar frequencies, anchors and periodsPerYear', () => {
  const m = rebalanceCalendar(CAL, { frequency: 'M', anchor: 'start' });
  assert.deepEqual(m.dates, ['2024-01-02', '2024-02-01', '2024-03-01', '2024-04-01']);
  assert.equal(m.periodsPerYear, 12);
  // anchor 'start' with partial 'drop': 2024-01-01 (first weekday) is a holiday, so January looks partial.
  assert.deepEqual(rebalanceCalendar(CAL, { frequency: 'M', anchor: 'start', partial: 'drop' }).dates[0], '2024-02-01');

  const long = weekdays('2023-01-02', '2024-04-30', HOLIDAYS_2024);
  const q = rebalanceCalendar(long, { frequency: 'Q', anchor: 'end' });
  assert.deepEqual(q.dates, ['2023-03-31', '2023-06-30', '2023-09-29', '2023-12-29', '2024-03-28']); // 2024-Q2 partial
  assert.equal(q.periodsPerYear, 4);
  assert.deepEqual(rebalanceCalendar(long, { frequency: 'Q', anchor: 'start' }).dates,
    ['2023-01-02', '2023-04-03', '2023-07-03', '2023-10-02', '2024-01-02', '2024-04-01']);

  const b = rebalanceCalendar(long, { frequency: '2M', anchor: 'end' });
  assert.deepEqual(b.dates, ['2023-02-28', '2023-04-28', '2023-06-30', '2023-08-31', '2023-10-31', '2023-12-29', '2024-02-29', '2024-04-30']);
  assert.equal(b.periodsPerYear, 6);

  const w = rebalanceCalendar(weekdays('2024-01-01', '2024-01-19', HOLIDAYS_2024), { frequency: 'W', anchor: 'end' });
  assert.deepEqual(w.dates, ['2024-01-05', '2024-01-12', '2024-01-19']);
  assert.equal(w.periodsPerYear, 52);
  assert.deepEqual(rebalanceCalendar(weekdays('2024-01-01', '2024-01-19', HOLIDAYS_2024), { frequency: 'W', anchor: 'start' }).dates,
    ['2024-01-02', '2024-01-08', '2024-01-16']); // Monday 01-15 is a holiday
  // ISO weeks cross year ends: Mon 2024-12-30 .. Fri 2025-01-03 is one week.
  assert.deepEqual(rebalanceCalendar(weekdays('2024-12-23', '2025-01-10', ['2024-12-25', '2025-01-01']), { frequency: 'W', anchor: 'end' }).dates,
    ['2024-12-27', '2025-01-03', '2025-01-10']);
  assert.deepEqual(periodWeekdayBounds('2024-03-15', 'M'), { first: '2024-03-01', last: '2024-03-29' });
  assert.deepEqual(periodWeekdayBounds('2025-01-01', 'W'), { first: '2024-12-30', last: '2025-01-03' });
});

test('calendar: resampling daily bars, hand case', () => {
  const dates = ['2024-01-29', '2024-01-30', '2024-01-31', '2024-02-01', '2024-02-02', '2024-02-05'];
  const assets = ['A', 'B', 'C'];
  const N = NaN;
  // Columns A, B (suspended on the last day), C (no data in the second period).
  const mk = (rows: number[][]) => createPanel(dates, assets, Float64Array.from(rows.flat()));
  const bars = {
    open: mk([[10, 20, 5], [11, N, 5], [12, 22, 5], [13, 23, N], [14, 24, N], [15, N, N]]),
    high: mk([[11, 21, 6], [12, 22, 6], [13, 23, 6], [14, 24, N], [15, 25, N], [16, N, N]]),
    low: mk([[9, 19, 4], [10, 20, 4], [11, 21, 4], [12, 22, N], [13, 23, N], [14, N, N]]),
    close: mk([[10.5, 20, 5], [11.5, 21, 5], [12.5, 22, 5], [13.5, 23, N], [14.5, 24, N], [15.5, N, N]]),
    volume: mk([[100, 10, 1], [200, 20, 1], [300, 30, 1], [400, 40, N], [500, 50, N], [600, N, N]]),
  };
  const { bars: r, loss } = resampleBars(bars, ['2024-01-31', '2024-02-05']);
  assert.deepEqual(r.close.dates, ['2024-01-31', '2024-02-05']);
  const row = (p: typeof r.close, t: number) => [at(p, t, 0), at(p, t, 1), at(p, t, 2)];
  assert.deepEqual(row(r.open!, 0), [10, 20, 5]);
  assert.deepEqual(row(r.high!, 0), [13, 23, 6]);
  assert.deepEqual(row(r.low!, 0), [9, 19, 4]);
  assert.deepEqual(row(r.close, 0), [12.5, 22, 5]);
  assert.deepEqual(row(r.volume!, 0), [600, 60, 3]);
  assert.deepEqual(row(r.open!, 1), [13, 23, N]);
  assert.deepEqual(row(r.high!, 1), [16, 25, N]);
  assert.deepEqual(row(r.low!, 1), [12, 22, N]);
  assert.deepEqual(row(r.close, 1), [15.5, 24, N]); // B: last close in the period (02-02)
  assert.deepEqual(row(r.volume!, 1), [1500, 90, N]);
  assert.equal(r.amount, undefined);
  assertBalanced(loss);
  assert.equal(loss.dropped['no close in period'], 1);
  assert.equal(loss.examples[0].where.asset, 'C');
  // firstPeriodStart bounds the first period.
  const r2 = resampleBars(bars, ['2024-01-31', '2024-02-05'], { firstPeriodStart: '2024-01-30' }).bars;
  assert.deepEqual(row(r2.open!, 0), [11, 22, 5]);
  assert.deepEqual(row(r2.volume!, 0), [500, 50, 2]);
  // Rebalance date not in the calendar; unsorted rebalance dates.
  const e = throwsCode(() => resampleBars(bars, ['2024-01-31', '2024-02-03']), 'CAL_DATE_NOT_IN_CALENDAR');
  assert.equal(e.where.date, '2024-02-03');
  throwsCode(() => resampleBars(bars, ['2024-02-05', '2024-01-31']), 'CAL_UNSORTED');
});

test('calendar: periodReturns hand case (labelled at the period end)', () => {
  const dates = ['2024-01-31', '2024-02-15', '2024-02-29', '2024-03-29'];
  const close = createPanel(dates, ['A', 'B', 'Z'], Float64Array.from([
    100, 50, 0,
    999, 999, 5,
    110, NaN, 5,
    99, 40, 6,
  ]));
  const rc = rebalanceCalendar(dates, { frequency: 'M', anchor: 'end' });
  assert.deepEqual(rc.dates, ['2024-01-31', '2024-02-29', '2024-03-29']);
  const r = periodReturns(close, rc);
  assert.deepEqual(r.dates, rc.dates);
  assert.ok([0, 1, 2].every((i) => Number.isNaN(at(r, 0, i))));
  assert.ok(Math.abs(at(r, 1, 0) - 0.1) < 1e-12); // 110 / 100 - 1, the mid-month 999 is ignored
  assert.ok(Number.isNaN(at(r, 1, 1))); // NaN close
  assert.ok(Number.isNaN(at(r, 1, 2))); // zero previous close -> NaN, not Infinity
  assert.ok(Math.abs(at(r, 2, 0) - (99 / 110 - 1)) < 1e-12);
  assert.ok(Number.isNaN(at(r, 2, 1)));
  assert.ok(Math.abs(at(r, 2, 2) - 0.2) < 1e-12);
  // Horizons are counted in periods: a plain date list works the same.
  assert.deepEqual(Array.from(periodReturns(close, rc.dates).values).map(String), Array.from(r.values).map(String));
  throwsCode(() => periodReturns(close, ['2024-01-31', '2024-03-01']), 'CAL_DATE_NOT_IN_CALENDAR');
  throwsCode(() => periodReturns(close, ['2024-02-29', '2024-01-31']), 'CAL_UNSORTED');
  throwsCode(() => periodReturns(close, []), 'CAL_EMPTY');
});

test('calendar: errors for empty, unsorted and malformed calendars and options', () => {
  throwsCode(() => monthEndRebalanceDates([]), 'CAL_EMPTY');
  throwsCode(() => tradingCalendar([]), 'CAL_EMPTY');
  throwsCode(() => monthEndRebalanceDates(['2024-01-02', '2024-01-01']), 'CAL_UNSORTED');
  throwsCode(() => tradingCalendar(['2024-01-02', '2024-01-02']), 'CAL_DUPLICATE_DATE');
  throwsCode(() => tradingCalendar(['2024-01-02', '2024/01/03']), 'CAL_BAD_DATE');
  throwsCode(() => monthEndRebalanceDates(CAL, { from: '2024-13-01' }), 'CAL_BAD_DATE');
  throwsCode(() => monthEndRebalanceDates(CAL, { from: '2025-01-01' }), 'CAL_EMPTY');
  throwsCode(() => rebalanceCalendar(CAL, { frequency: 'D' as never, anchor: 'end' }), 'CAL_BAD_FREQUENCY');
  throwsCode(() => rebalanceCalendar(CAL, { frequency: 'M', anchor: 'middle' as never }), 'CAL_BAD_ANCHOR');
});

test('calendar: tradingCalendar from a dataset keeps dates with any industry close and counts the rest', () => {
  const dates = ['2024-01-02', '2024-01-03', '2024-01-04'];
  const close = createPanel(dates, ['X', 'Y'], Float64Array.from([1, NaN, NaN, NaN, 1.1, 2]));
  const nan = createPanel(dates, ['X', 'Y'], new Float64Array(6).fill(NaN));
  const ds: MarketDataset = {
    name: 'hand', calendar: dates, industries: [{ code: 'X', name: 'X' }, { code: 'Y', name: 'Y' }],
    industryBars: { open: nan, high: nan, low: nan, close, volume: nan }, losses: [], caveats: [],
  };
  const loss = newLossReport('calendar', 'hand');
  assert.deepEqual(tradingCalendar(ds, loss), ['2024-01-02', '2024-01-04']);
  assertBalanced(loss);
  assert.equal(loss.dropped['no industry close on the date'], 1);
  assert.deepEqual(tradingCalendar(dates), dates);
  const bad = { ...ds, calendar: ['2024-01-02', '2024-01-03', '2024-01-05'] };
  throwsCode(() => tradingCalendar(bad), 'CAL_MISALIGNED');
});
