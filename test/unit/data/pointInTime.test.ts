import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, type Rng } from '../../../src/random.js';
import { assertBalanced } from '../../../src/data/loss.js';
import {
  asOfLatest,
  asOfPanel,
  checkFundamentalDates,
  fundamentalAsOf,
  membershipAsOf,
  type AsOfJoin,
} from '../../../src/data/pointInTime.js';
import type { FundamentalRecord, MembershipRecord } from '../../../src/data/types.js';
import { throwsCode } from '../assertions.js';


function fund(stock: string, reportPeriod: string, announceDate: string, netProfit: number): FundamentalRecord {
  return { stock, reportPeriod, announceDate, revenue: netProfit * 10, netProfit, grossProfit: NaN, operatingCashFlow: NaN, equity: 100, dividends: NaN };
}

const MONTH_ENDS = ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30'];
const FUNDS: FundamentalRecord[] = [
  fund('S1', '2023-09-30', '2023-10-28', 10),
  fund('S1', '2023-12-31', '2024-04-28', 12), // annual report and Q1 announced the same day:
  fund('S1', '2024-03-31', '2024-04-28', 15), // the later report period wins
  fund('S1', '2024-06-30', '2024-08-20', 99), // after every as-of date
  fund('S2', '2024-03-31', '2024-04-30', 7), // announced on an as-of date: visible that day
  fund('S3', '2024-03-31', '2024-04-15', 1), // not requested
];

test('pointInTime: hand case, latest announced netProfit at each month end', () => {
  const { panel, join } = fundamentalAsOf(FUNDS, 'netProfit', MONTH_ENDS, ['S1', 'S2']);
  const N = NaN;
  assert.deepEqual(Array.from(panel.values), [10, N, 10, N, 10, N, 15, 7, 15, 7, 15, 7]);
  assert.deepEqual(panel.dates, MONTH_ENDS);
  assert.deepEqual(panel.assets, ['S1', 'S2']);
  assert.equal(join.records[join.index[3 * 2 + 0]].reportPeriod, '2024-03-31');
  assertBalanced(join.loss);
  assert.equal(join.loss.dropped['entity not requested'], 1);
  // Another field from the same join; input order does not matter.
  const rev = fundamentalAsOf([...FUNDS].reverse(), 'revenue', MONTH_ENDS, ['S1', 'S2']).panel;
  assert.deepEqual(Array.from(rev.values), [100, N, 100, N, 100, N, 150, 70, 150, 70, 150, 70]);
  // Strict visibility: a report is usable from the as-of date after its announcement.
  const strict = fundamentalAsOf(FUNDS, 'netProfit', MONTH_ENDS, ['S1', 'S2'], { visibleOnKnownDate: false }).panel;
  assert.deepEqual(Array.from(strict.values), [10, N, 10, N, 10, N, 15, N, 15, 7, 15, 7]);
});

test('pointInTime: exact duplicates resolve to the later input and are counted', () => {
  const recs = [fund('S1', '2024-03-31', '2024-04-28', 1), fund('S1', '2024-03-31', '2024-04-28', 2)];
  const { panel, join } = fundamentalAsOf(recs, 'netProfit', ['2024-04-30'], ['S1']);
  assert.equal(panel.values[0], 2);
  assertBalanced(join.loss);
  assert.equal(Object.values(join.loss.dropped)[0], 1);
});

test('pointInTime: errors (future record, announced before period end, bad inputs)', () => {
  let e = throwsCode(() => fundamentalAsOf(FUNDS, 'netProfit', MONTH_ENDS, ['S1', 'S2'], { asOfLimit: '2024-06-30' }), 'PIT_FUTURE_RECORD');
  assert.equal(e.where.knownDate, '2024-08-20');
  assert.equal(e.where.record, 3);
  e = throwsCode(() => checkFundamentalDates([fund('S9', '2024-03-31', '2024-03-31', 1)]), 'PIT_ANNOUNCED_BEFORE_PERIOD_END');
  assert.equal(e.where.stock, 'S9');
  throwsCode(() => fundamentalAsOf([fund('S9', '2024-03-31', '2024-02-10', 1)], 'netProfit', MONTH_ENDS, ['S9']), 'PIT_ANNOUNCED_BEFORE_PERIOD_END');
  throwsCode(() => checkFundamentalDates([fund('S9', '2024-03-31', '2024/05/10', 1)]), 'PIT_BAD_DATE');
  throwsCode(() => fundamentalAsOf(FUNDS, 'netProfit', ['2024-02-29', '2024-01-31'], ['S1']), 'PIT_UNSORTED_DATES');
  throwsCode(() => fundamentalAsOf(FUNDS, 'netProfit', [], ['S1']), 'PIT_EMPTY');
  throwsCode(() => fundamentalAsOf(FUNDS, 'netProfit', MONTH_ENDS, ['S1', 'S1']), 'PIT_DUPLICATE_ENTITY');
  throwsCode(() => asOfLatest([{ k: 'a', d: '2024-13-01' }], { key: 'k', knownDate: 'd', asOfDates: MONTH_ENDS, entities: ['a'] }), 'PIT_BAD_DATE');
});

// ---- randomized properties ----

interface Rec { e: string; known: string; tie: number; v: number }

const BASE = Date.UTC(2020, 0, 1);
const iso = (day: number) => new Date(BASE + day * 86_400_000).toISOString().slice(0, 10);

function randomCase(rng: Rng): { recs: Rec[]; asOf: string[]; entities: string[] } {
  const nEnt = 1 + rng.int(4);
  const entities = Array.from({ length: nEnt }, (_, i) => `E${i}`);
  const nRec = rng.int(30);
  const recs: Rec[] = [];
  for (let r = 0; r < nRec; r++) {
    recs.push({ e: `E${rng.int(nEnt + 1)}`, known: iso(rng.int(120)), tie: rng.int(3), v: Math.round(rng.normal() * 100) });
  }
  const days = new Set<number>();
  const nDates = 1 + rng.int(12);
  while (days.size < nDates) days.add(rng.int(130));
  const asOf = [...days].sort((a, b) => a - b).map(iso);
  return { recs, asOf, entities };
}

function join(recs: Rec[], asOf: string[], entities: string[]): AsOfJoin<Rec> {
  return asOfLatest(recs, { key: 'e', knownDate: 'known', tieBreak: 'tie', asOfDates: asOf, entities });
}

/** Record seen at each cell (object identity), or undefined. */
function seen(j: AsOfJoin<Rec>): (Rec | undefined)[] {
  return Array.from(j.index, (r) => (r >= 0 ? j.records[r] : undefined));
}

test('pointInTime PROPERTY: the sweep equals a brute-force as-of scan', () => {
  const rng = createRng(11);
  for (let c = 0; c < 400; c++) {
    const { recs, asOf, entities } = randomCase(rng);
    const j = join(recs, asOf, entities);
    for (let t = 0; t < asOf.length; t++) {
      for (let i = 0; i < entities.length; i++) {
        let best = -1;
        for (let r = 0; r < recs.length; r++) {
          const x = recs[r];
          if (x.e !== entities[i] || x.known > asOf[t]) continue;
          if (best < 0) { best = r; continue; }
          const b = recs[best];
          if (x.known > b.known || (x.known === b.known && x.tie >= b.tie)) best = r; // later input wins exact ties
        }
        assert.equal(j.index[t * entities.length + i], best, `case ${c} t=${t} i=${i}`);
      }
    }
    assertBalanced(j.loss);
  }
});

test('pointInTime PROPERTY: moving a record\'s knownDate later never makes it visible at an earlier as-of date', () => {
  const rng = createRng(20240531);
  let checked = 0;
  for (let c = 0; c < 500; c++) {
    const { recs, asOf, entities } = randomCase(rng);
    if (recs.length === 0) continue;
    const r = rng.int(recs.length);
    const oldKnown = recs[r].known;
    const newKnown = iso(Math.round((Date.parse(oldKnown) - BASE) / 86_400_000) + rng.int(60));
    const moved = recs.map((x, k) => (k === r ? { ...x, known: newKnown } : x));
    const without = recs.filter((_, k) => k !== r);
    const before = seen(join(recs, asOf, entities));
    const after = seen(join(moved, asOf, entities));
    const minus = seen(join(without, asOf, entities));
    const N = entities.length;
    for (let t = 0; t < asOf.length; t++) {
      for (let i = 0; i < N; i++) {
        const k = t * N + i;
        if (after[k] === moved[r]) assert.ok(asOf[t] >= newKnown, `case ${c}: visible at ${asOf[t]} before ${newKnown}`);
        if (asOf[t] < oldKnown) assert.equal(after[k], before[k], `case ${c}: changed before the old known date`);
        else if (asOf[t] < newKnown) assert.equal(after[k], minus[k], `case ${c}: between old and new known date it must be as if absent`);
      }
    }
    checked++;
  }
  assert.ok(checked > 400);
});

test('pointInTime PROPERTY: perturbing records known after t changes nothing computed for as-of dates <= t', () => {
  const rng = createRng(7);
  for (let c = 0; c < 500; c++) {
    const { recs, asOf, entities } = randomCase(rng);
    const tDay = rng.int(130);
    const t = iso(tDay);
    const perturbed = recs.map((x) => (x.known > t
      ? { e: `E${rng.int(entities.length + 1)}`, known: iso(tDay + 1 + rng.int(90)), tie: rng.int(5), v: rng.normal() * 1e6 }
      : x));
    // And some brand-new records, all known after t.
    for (let k = rng.int(5); k > 0; k--) perturbed.push({ e: entities[rng.int(entities.length)], known: iso(tDay + 1 + rng.int(30)), tie: rng.int(5), v: 123 });
    const a = asOfPanel(join(recs, asOf, entities), 'v');
    const b = asOfPanel(join(perturbed, asOf, entities), 'v');
    const N = entities.length;
    for (let d = 0; d < asOf.length && asOf[d] <= t; d++) {
      for (let i = 0; i < N; i++) {
        assert.ok(Object.is(a.values[d * N + i], b.values[d * N + i]), `case ${c}: as-of ${asOf[d]} <= ${t} changed`);
      }
    }
  }
});

test('pointInTime PROPERTY: result does not depend on input order (distinct entity/knownDate/tieBreak)', () => {
  const rng = createRng(99);
  for (let c = 0; c < 200; c++) {
    const { recs, asOf, entities } = randomCase(rng);
    const seenKeys = new Set<string>();
    const uniq = recs.filter((x) => { const k = `${x.e}|${x.known}|${x.tie}`; if (seenKeys.has(k)) return false; seenKeys.add(k); return true; });
    const shuffled = [...uniq];
    for (let k = shuffled.length - 1; k > 0; k--) { const j = rng.int(k + 1); [shuffled[k], shuffled[j]] = [shuffled[j], shuffled[k]]; }
    assert.deepEqual(seen(join(shuffled, asOf, entities)), seen(join(uniq, asOf, entities)));
  }
});

// ---- membership ----

function mem(stock: string, industry: string, validFrom: string, validTo?: string, scheme = 'sw_l1'): MembershipRecord {
  return { stock, industry, scheme, validFrom, validTo };
}

test('pointInTime: membership windows are inclusive at both ends', () => {
  const recs = [
    mem('S1', 'A', '2024-01-10', '2024-01-20'),
    mem('S1', 'B', '2024-01-21'),
    mem('S2', 'B', '2024-01-15', '2024-01-15'), // a one-day window
    mem('S1', 'Z', '2020-01-01', undefined, 'citic_l1'), // other scheme: ignored
    mem('S9', 'A', '2024-01-01'), // not requested: counted
  ];
  const dates = ['2024-01-09', '2024-01-10', '2024-01-15', '2024-01-20', '2024-01-21', '2024-01-31'];
  const m = membershipAsOf(recs, 'sw_l1', dates, ['S1', 'S2']);
  assert.deepEqual(m.industries, ['A', 'B']);
  const label = (k: number) => (m.codes[k] < 0 ? '-' : m.industries[m.codes[k]]);
  assert.deepEqual(dates.map((_, t) => label(t * 2)), ['-', 'A', 'A', 'A', 'B', 'B']);
  assert.deepEqual(dates.map((_, t) => label(t * 2 + 1)), ['-', '-', 'B', '-', '-', '-']);
  assertBalanced(m.loss);
  assert.equal(m.loss.dropped['stock not requested'], 1);
  assert.ok(m.loss.notes.some((s) => s.includes('other schemes')));
  // A fixed industry list fixes the numbering.
  const fixed = membershipAsOf(recs, 'sw_l1', dates, ['S1', 'S2'], { industries: ['B', 'A', 'C'] });
  assert.equal(fixed.codes[1 * 2], 1);
  assert.equal(fixed.codes[4 * 2], 0);
});

test('pointInTime: membership errors', () => {
  const e = throwsCode(() => membershipAsOf([mem('S1', 'A', '2024-01-10', '2024-01-21'), mem('S1', 'B', '2024-01-21')], 'sw_l1', ['2024-01-21'], ['S1']),
    'PIT_OVERLAPPING_MEMBERSHIP');
  assert.equal(e.where.stock, 'S1');
  throwsCode(() => membershipAsOf([mem('S1', 'A', '2024-01-10'), mem('S1', 'B', '2025-01-01')], 'sw_l1', ['2024-01-21'], ['S1']), 'PIT_OVERLAPPING_MEMBERSHIP');
  throwsCode(() => membershipAsOf([mem('S1', 'A', '2024-01-10', '2024-01-01')], 'sw_l1', ['2024-01-21'], ['S1']), 'PIT_BAD_WINDOW');
  throwsCode(() => membershipAsOf([mem('S1', 'A', '2024-01-10')], 'citic_l1', ['2024-01-21'], ['S1']), 'PIT_UNKNOWN_SCHEME');
  throwsCode(() => membershipAsOf([mem('S1', 'A', '2024-1-10')], 'sw_l1', ['2024-01-21'], ['S1']), 'PIT_BAD_DATE');
  throwsCode(() => membershipAsOf([mem('S1', 'A', '2024-01-10')], 'sw_l1', ['2024-01-21'], ['S1'], { industries: ['B'] }), 'PIT_UNKNOWN_INDUSTRY');
});

test('pointInTime PROPERTY: membership sweep equals a brute-force scan', () => {
  const rng = createRng(5);
  for (let c = 0; c < 300; c++) {
    const stocks = ['S0', 'S1', 'S2'];
    const recs: MembershipRecord[] = [];
    for (const s of stocks) {
      let day = rng.int(10);
      for (let w = rng.int(4); w > 0; w--) {
        const len = rng.int(15);
        const open = w === 1 && rng.uniform() < 0.3;
        recs.push(mem(s, `I${rng.int(3)}`, iso(day), open ? undefined : iso(day + len)));
        day += len + 1 + rng.int(5);
      }
    }
    if (recs.length === 0) continue;
    const days = new Set<number>();
    for (let k = 1 + rng.int(15); k > 0; k--) days.add(rng.int(80));
    const dates = [...days].sort((a, b) => a - b).map(iso);
    const m = membershipAsOf(recs, 'sw_l1', dates, stocks);
    for (let t = 0; t < dates.length; t++) {
      for (let i = 0; i < stocks.length; i++) {
        const hit = recs.find((r) => r.stock === stocks[i] && r.validFrom <= dates[t] && (r.validTo === undefined || dates[t] <= r.validTo));
        assert.equal(m.codes[t * stocks.length + i], hit ? m.industries.indexOf(hit.industry) : -1, `case ${c}`);
      }
    }
  }
});
