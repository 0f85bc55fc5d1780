import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthEndRebalanceDates } from '../../../src/data/calendar.js';
import { loadCiticIndustry } from '../../../src/data/citic.js';
import { hasSharedData } from '../../../src/data/paths.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { dataDictionaryMarkdown } from '../../../src/data/dictionary.js';
import type { IntradayBars, MarketDataset } from '../../../src/data/types.js';
import { monthEndOfIndex, monthIndex } from '../../../src/data/frequency.js';
import {
  CONSTANT_FACTOR_REASON, availableFactors, computeFactor, computeFactors, factorDictionaryMarkdown, factorDictionarySection, factorRegistry, getFactor, newFactorCache,
} from '../../../src/factors/registry.js';
import { FACTOR_FAMILIES } from '../../../src/factors/types.js';
import { createPanel, type Panel } from '../../../src/panel/panel.js';
import { factorStudy } from '../../../src/model/evidence.js';
import { createRng, type Rng } from '../../../src/random.js';
import { throwsCode } from './helpers.js';
import { forecastColumns, forecastRecords } from '../../../src/data/forecasts.js';

const { dataset: simBase } = simulateMarket({ nStocks: 300, years: 4, seed: 3 });

/**
 * The simulator plus month-end series (the simulator has none), so the month-end factors are
 * covered too: the value of each field on the last trading day of a month, dated at the calendar
 * month end (pe = PE, bookToMarket = 1/PB, avgFirmSize = close, numFirms = volume).
 */
function withMonthEnd(ds: MarketDataset): MarketDataset {
  const cal = ds.calendar, J = ds.industries.length;
  const rows = cal.map((_, t) => t).filter((t) => t + 1 === cal.length || monthIndex(cal[t + 1]) > monthIndex(cal[t]));
  const dates = rows.map((t) => monthEndOfIndex(monthIndex(cal[t])));
  const codes = ds.industries.map((x) => x.code);
  const pick = (p: Panel, f: (v: number) => number): Panel => {
    const v = new Float64Array(rows.length * J);
    rows.forEach((t, r) => { for (let j = 0; j < J; j++) v[r * J + j] = f(p.values[t * J + j]); });
    return { dates, assets: codes, values: v };
  };
  const b = ds.industryBars;
  return { ...ds, monthEnd: { pe: pick(b.pe!, (x) => x), bookToMarket: pick(b.pb!, (x) => 1 / x), avgFirmSize: pick(b.close, (x) => x), numFirms: pick(b.volume, (x) => Math.round(x)) } };
}
const sim = withMonthEnd(simBase);
const simDates = monthEndRebalanceDates(sim.calendar);

/** The simulator reduced to what a CITIC export has: daily OHLCV, no stocks, no intraday bars. */
function citicShaped(ds: MarketDataset): MarketDataset {
  const { open, high, low, close, volume } = ds.industryBars;
  return { name: 'CITIC-shaped', calendar: ds.calendar, industries: ds.industries, industryBars: { open, high, low, close, volume }, losses: [], caveats: [] };
}

const TECHNICAL_AND_PROXIES = factorRegistry().filter((f) => f.family === 'technical' || f.proxy !== undefined).map((f) => f.id);

test('the registry: >= 24 factors over all six families, unique snake_case ids, complete records', () => {
  const all = factorRegistry();
  assert.ok(all.length >= 24, `${all.length} factors`);
  assert.equal(new Set(all.map((f) => f.id)).size, all.length);
  for (const fam of FACTOR_FAMILIES) assert.ok(all.some((f) => f.family === fam), `no ${fam} factor`);
  for (const f of all) {
    assert.match(f.id, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, f.id);
    assert.ok(f.definition.length > 10 && f.formula.length > 5 && f.pointInTime.length > 10, f.id);
    assert.ok(f.inputs.length > 0, f.id);
    assert.ok(f.direction === 1 || f.direction === -1, f.id);
    assert.equal(f.frequency, 'monthly');
    assert.ok(Number.isInteger(f.lookback.value) && f.lookback.value >= 0, f.id);
    assert.ok(Object.isFrozen(f), `${f.id} is frozen`);
    if (f.proxy !== undefined) assert.equal(f.family, 'high_frequency', f.id);
  }
  assert.notEqual(factorRegistry(), factorRegistry()); // a fresh array each time
  assert.equal(getFactor('mom_12_1').id, 'mom_12_1');
  throwsCode(() => getFactor('momentum'), 'FACTOR_UNKNOWN');
});

test('factorDictionaryMarkdown: deterministic, one row per factor with inputs, lookback, direction and PIT rule', () => {
  const md = factorDictionaryMarkdown();
  assert.equal(md, factorDictionaryMarkdown());
  for (const f of factorRegistry()) {
    const row = md.split('\n').find((l) => l.startsWith(`| \`${f.id}\` |`));
    assert.ok(row, `no row for ${f.id}`);
    assert.ok(row.includes(`${f.lookback.value} ${f.lookback.unit}`), f.id);
    assert.ok(row.includes(f.inputs.join(', ')), f.id);
    assert.equal(row.split(/(?<!\\)\|/).length, 10, `${f.id}: a stray | breaks the table`);
  }
  for (const fam of FACTOR_FAMILIES) assert.ok(md.includes(`### ${fam}`));
  // plugs into the generated data dictionary as an extra section
  const full = dataDictionaryMarkdown([factorDictionarySection()]);
  assert.ok(full.includes('## Industry factors') && full.includes('| `mom_12_1` |'));
});

test('every registered factor is available and computes on the simulator', () => {
  const avail = availableFactors(sim);
  assert.deepEqual(avail.unavailable, []);
  assert.equal(avail.available.length, factorRegistry().length);
  const batch = computeFactors(sim, simDates);
  assert.equal(batch.results.size, factorRegistry().length);
  for (const [id, r] of batch.results) {
    assert.deepEqual(r.panel.dates, simDates);
    assert.deepEqual(r.panel.assets, sim.industries.map((x) => x.code));
    const f = getFactor(id);
    const longLookback = f.lookback.unit === 'trading days' && f.lookback.value > 260; // the 3-year percentiles on 4 simulated years
    const fiveYears = f.lookback.unit === 'months' && f.lookback.value >= 48; // the 5-year percentile: only the last month of 4 years
    assert.ok(r.loss.rowsKept > (fiveYears ? 0 : longLookback ? 0.2 : 0.5) * r.loss.rowsRead, `${id}: only ${r.loss.rowsKept} of ${r.loss.rowsRead} cells`);
    assert.equal(r.loss.rowsRead, r.loss.rowsKept + Object.values(r.loss.dropped).reduce((a, b) => a + b, 0), id);
  }
});

test('CITIC-shaped data (OHLCV only): exactly the technical factors and the daily proxies are available', () => {
  const citic = citicShaped(sim);
  const avail = availableFactors(citic);
  assert.deepEqual([...avail.available].sort(), [...TECHNICAL_AND_PROXIES].sort());
  const byId = new Map(avail.unavailable.map((u) => [u.id, u.missing]));
  assert.deepEqual(byId.get('ep'), ['industryBars.pe']);
  assert.deepEqual(byId.get('np_yoy_q'), ['fundamentals', 'membership']);
  assert.deepEqual(byId.get('fy2_rev_3m'), ['forecasts', 'membership']);
  assert.deepEqual(byId.get('hf_last30_ret_1m'), ['industryIntraday']);
  const e = throwsCode(() => computeFactor('hf_last30_ret_1m', citic, simDates), 'FACTOR_MISSING_INPUT');
  assert.deepEqual(e.where.missing, ['industryIntraday']);
  assert.match(e.message, /hf_last30_ret_1m needs industryIntraday/);
  const batch = computeFactors(citic, simDates);
  assert.equal(batch.results.size, TECHNICAL_AND_PROXIES.length);
  assert.equal(batch.unavailable.length, factorRegistry().length - TECHNICAL_AND_PROXIES.length);
});

test('the real CITIC L1 data: the same availability', { skip: hasSharedData('citic_l1_industry') ? false : 'shared CITIC data not present (../shared/data/citic_l1_industry)' }, () => {
  const citic = loadCiticIndustry();
  assert.deepEqual([...availableFactors(citic).available].sort(), [...TECHNICAL_AND_PROXIES].sort());
  const batch = computeFactors(citic, monthEndRebalanceDates(citic.calendar));
  for (const [id, r] of batch.results) assert.ok(r.loss.rowsKept > 0.8 * r.loss.rowsRead, id);
});

test('a cache belongs to one dataset', () => {
  throwsCode(() => computeFactor('mom_1m', sim, simDates, { cache: newFactorCache(citicShaped(sim)) }), 'FACTOR_CACHE_MISMATCH');
});

// ---------------------------------------------------------------------------------------------
// Look-ahead: perturb everything strictly after t and check every value at dates <= t is unchanged.

function perturbPanel(p: Panel, t: string, rng: Rng): Panel {
  const v = new Float64Array(p.values);
  const N = p.assets.length;
  for (let r = 0; r < p.dates.length; r++) {
    if (p.dates[r] <= t) continue;
    for (let i = 0; i < N; i++) v[r * N + i] *= Math.exp(0.3 * rng.normal());
  }
  return { dates: p.dates, assets: p.assets, values: v };
}

function perturbIntraday(b: IntradayBars, t: string, rng: Rng): IntradayBars {
  const out = { ...b, open: new Float64Array(b.open), high: new Float64Array(b.high), low: new Float64Array(b.low), close: new Float64Array(b.close), volume: new Float64Array(b.volume) };
  const C = b.codes.length, B = b.barsPerDay;
  for (let d = 0; d < b.days.length; d++) {
    if (b.days[d] <= t) continue;
    for (let k = d * C * B; k < (d + 1) * C * B; k++) {
      const m = Math.exp(0.05 * rng.normal());
      out.open[k] *= m; out.high[k] *= m * 1.01; out.low[k] *= m * 0.99; out.close[k] *= Math.exp(0.05 * rng.normal());
      out.volume[k] *= Math.exp(rng.normal());
    }
  }
  return out;
}

function perturbAfter(ds: MarketDataset, t: string, seed: number): MarketDataset {
  const rng = createRng(seed);
  const bars = ds.industryBars as unknown as Record<string, Panel | undefined>;
  const industryBars: Record<string, Panel> = {};
  for (const [k, p] of Object.entries(bars)) if (p) industryBars[k] = perturbPanel(p, t, rng);
  const st = ds.stocks!;
  const codes = ds.industries.map((x) => x.code);
  const fundamentals = st.fundamentals!.map((f) => (f.announceDate > t
    ? { ...f, netProfit: f.netProfit * (1 + rng.normal()), revenue: f.revenue * Math.exp(rng.normal()), grossProfit: f.grossProfit * 2, operatingCashFlow: -f.operatingCashFlow, equity: f.equity * 3 }
    : f));
  // restatements of old periods, and reports of new periods, announced after t
  for (const f of st.fundamentals!.slice(0, 400)) {
    fundamentals.push({ ...f, announceDate: '2099-01-01', netProfit: f.netProfit * 5 });
  }
  const forecasts = forecastRecords(st.forecasts!).map((f) => (f.forecastDate > t ? { ...f, netProfit: f.netProfit * Math.exp(rng.normal()) } : f));
  const tYear = Number(t.slice(0, 4));
  for (const f of forecastRecords(st.forecasts!).slice(0, 400)) {
    forecasts.push({ ...f, broker: 'LATE', forecastDate: `${tYear + 1}-01-02`, fiscalYear: tYear, netProfit: f.netProfit * 7 });
  }
  const membership = st.membership.map((m) => (m.validFrom > t ? { ...m, industry: codes[(codes.indexOf(m.industry) + 1) % codes.length] } : m));
  const monthEnd: Record<string, Panel> = {};
  for (const [k, p] of Object.entries(ds.monthEnd ?? {})) if (p) monthEnd[k] = perturbPanel(p, t, rng);
  return {
    ...ds,
    monthEnd,
    industryBars: industryBars as unknown as MarketDataset['industryBars'],
    industryIntraday: ds.industryIntraday ? perturbIntraday(ds.industryIntraday, t, rng) : undefined,
    stocks: { ...st, bars: { ...st.bars, close: perturbPanel(st.bars.close, t, rng) }, fundamentals, forecasts: forecastColumns(forecasts), membership },
  };
}

for (const month of ['-03-', '-09-']) {
  // t just before a reporting season (April / October announcements), so that a reader that peeks
  // even a few days past t sees perturbed records.
  const t = simDates.filter((d) => d.includes(month))[1];
  test(`look-ahead (t = ${t}): every factor value at dates <= t is bitwise unchanged when all data after t changes`, () => {
    const base = computeFactors(sim, simDates);
    const moved = computeFactors(perturbAfter(sim, t, 99), simDates);
    const J = sim.industries.length;
    const k0 = simDates.indexOf(t);
    for (const f of factorRegistry()) {
      const a = base.results.get(f.id)!.panel.values, b = moved.results.get(f.id)!.panel.values;
      for (let k = 0; k <= k0; k++) {
        for (let j = 0; j < J; j++) {
          assert.ok(Object.is(a[k * J + j], b[k * J + j]), `${f.id} changed at ${simDates[k]} ${sim.industries[j].code}: ${a[k * J + j]} -> ${b[k * J + j]}`);
        }
      }
      // the perturbation is not vacuous: something after t moved
      let changed = 0;
      for (let q = (k0 + 1) * J; q < a.length; q++) if (!Object.is(a[q], b[q])) changed++;
      assert.ok(changed > 0, `${f.id}: nothing changed after ${t}, the test would not catch a leak`);
    }
  });
}

test('a factor constant across industries on every date is reported unavailable naming it, not an evaluation abort', () => {
  const base = citicShaped(sim);
  const vol = base.industryBars.volume, N = vol.assets.length;
  const v = new Float64Array(vol.values.length);
  // every industry trades the same volume each day: volume factors have no cross-section
  for (let t = 0; t < vol.dates.length; t++) for (let i = 0; i < N; i++) v[t * N + i] = 1e8 * (1 + 0.3 * Math.sin(t / 7));
  const ds: MarketDataset = { ...base, name: 'equal volume', industryBars: { ...base.industryBars, volume: createPanel(vol.dates, vol.assets, v) } };
  const batch = computeFactors(ds, simDates);
  const constant = batch.unavailable.filter((u) => u.reason === CONSTANT_FACTOR_REASON).map((u) => u.id);
  assert.deepEqual(constant, ['volume_chg_1m', 'crowding_volume_z']);
  assert.ok(!batch.results.has('volume_chg_1m'));
  assert.equal(batch.results.size, TECHNICAL_AND_PROXIES.length - 2);
  // the evaluation runs through on the others
  const study = factorStudy(ds, [1]);
  assert.equal(study.reports.length, TECHNICAL_AND_PROXIES.length - 2);
  // asked for by id, it is a named error naming the factor
  const e = throwsCode(() => computeFactors(ds, simDates, { ids: ['mom_12_1', 'volume_chg_1m'] }), 'FACTOR_CONSTANT');
  assert.equal(e.where.factor, 'volume_chg_1m');
});
