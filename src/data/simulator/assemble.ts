/**
 * Turn the finished simulation state into the public shapes: the MarketDataset (panels, intraday
 * bars, stock records, loss report, caveats) and the SimulationTruth.
 */
import { createPanel, type Panel } from '../../panel/panel.js';
import { countLoss, newLossReport, type LossReport } from '../loss.js';
import type { FundamentalRecord, IntradayBars, MarketDataset, MembershipRecord, StockInfo } from '../types.js';
import { dayNumberToIso } from './calendar.js';
import { INDUSTRY_FACTORS, STOCK_FACTORS, SWITCH_OFF_FACTOR, type IndustryFactorName, type StockFactorName } from './config.js';
import { BAR_TIMES, REGIMES } from './model.js';
import { FACTOR_DEFINITIONS } from './monthEnd.js';
import { transitionMatrix } from './setup.js';
import { NEVER, type SimState } from './state.js';
import type { SimulationTruth } from './types.js';

const SCHEME = 'sim_l1';

/** Dataset name shown in reports. */
export function datasetName(s: SimState): string {
  return `simulator(seed=${s.cfg.seed})`;
}

function stockInfoAndMembership(s: SimState): { stocks: StockInfo[]; membership: MembershipRecord[] } {
  const { uni, cal } = s;
  const stocks: StockInfo[] = [];
  const membership: MembershipRecord[] = [];
  const perInd = new Int32Array(uni.J);
  for (let i = 0; i < uni.N; i++) {
    const code = uni.stockCodes[i];
    const info: StockInfo = { code, name: `${uni.specs[uni.ind0[i]].name} ${++perInd[uni.ind0[i]]}`, listDate: cal.dates[uni.listDay[i]] };
    const end = uni.delistDay[i] !== NEVER ? cal.dates[uni.delistDay[i]] : undefined;
    if (end) info.delistDate = end;
    stocks.push(info);
    const open = (industry: string, validFrom: string): MembershipRecord => {
      const r: MembershipRecord = { stock: code, industry, scheme: SCHEME, validFrom };
      if (end) r.validTo = end;
      return r;
    };
    if (uni.switchDay[i] !== NEVER) {
      membership.push({ stock: code, industry: uni.indCodes[uni.ind0[i]], scheme: SCHEME, validFrom: cal.dates[uni.listDay[i]], validTo: cal.dates[uni.switchDay[i] - 1] });
      membership.push(open(uni.indCodes[uni.ind1[i]], cal.dates[uni.switchDay[i]]));
    } else {
      membership.push(open(uni.indCodes[uni.ind0[i]], cal.dates[uni.listDay[i]]));
    }
  }
  return { stocks, membership };
}

/**
 * Fundamental records: quarters announced within the history, from 36 months before listing (or
 * before the first day for stocks listed then) on; sorted by stock, then report period.
 */
function fundamentalRecords(s: SimState): FundamentalRecord[] {
  const { uni, cal, fund } = s;
  const nQ = cal.nQuarters;
  const out: FundamentalRecord[] = [];
  const isoCache = new Map<number, string>();
  const iso = (d: number): string => {
    let v = isoCache.get(d);
    if (v === undefined) { v = dayNumberToIso(d); isoCache.set(d, v); }
    return v;
  };
  for (let i = 0; i < uni.N; i++) {
    const listAm = cal.months[cal.monthOfDay[uni.listDay[i]]].am;
    for (let q = 0; q < nQ; q++) {
      const k = i * nQ + q;
      if (fund.known[k] === NEVER || Number.isNaN(fund.np[k])) continue;
      const endAm = cal.am0 + 3 * q + 2;
      if (endAm < listAm - 36) continue;
      const Y = Math.floor(endAm / 12), mo = endAm % 12;
      out.push({
        stock: uni.stockCodes[i], reportPeriod: iso(Date.UTC(Y, mo + 1, 0) / 86_400_000),
        announceDate: iso(fund.annDay[k]), revenue: fund.rev[k], netProfit: fund.np[k], grossProfit: fund.gp[k],
        operatingCashFlow: fund.ocf[k], equity: fund.eq[k], dividends: fund.div[k],
      });
    }
  }
  return out;
}

function lossReport(s: SimState): LossReport {
  const { uni, cal, dyn } = s;
  const name = datasetName(s);
  const loss = newLossReport('simulate', name);
  loss.rowsRead = cal.dates.length * uni.N;
  loss.rowsKept = dyn.cellsTraded;
  const firstIpo = uni.listDay.findIndex((d) => d > 0);
  const firstDelist = uni.delistDay.findIndex((d) => d !== NEVER);
  countLoss(loss, 'not yet listed', dyn.cellsNotListed, firstIpo >= 0 ? { asset: uni.stockCodes[firstIpo], date: cal.dates[0] } : undefined);
  countLoss(loss, 'delisted', dyn.cellsDelisted,
    firstDelist >= 0 ? { asset: uni.stockCodes[firstDelist], date: cal.dates[Math.min(cal.dates.length - 1, uni.delistDay[firstDelist] + 1)] } : undefined);
  countLoss(loss, 'suspended', dyn.cellsSuspended);
  countLoss(loss, 'limit-locked', dyn.cellsLocked);
  let nIpo = 0, nDel = 0, nSw = 0;
  for (let i = 0; i < uni.N; i++) {
    if (uni.listDay[i] > 0) nIpo++;
    if (uni.delistDay[i] !== NEVER) nDel++;
    if (uni.switchDay[i] !== NEVER) nSw++;
  }
  loss.notes.push(
    'stock-day cells (dates x stocks): NaN everywhere before listDate and after delistDate; suspended days keep the last close and caps with volume 0 and tradable 0; limit-locked days (close at the price limit with the rest of the move carried) have tradable 0',
    `${nIpo} IPOs after the first day, ${nDel} delistings, ${nSw} industry changes`,
  );
  return loss;
}

/** The MarketDataset of a finished simulation. */
export function buildDataset(s: SimState): MarketDataset {
  const { uni, cal, out, fc } = s;
  const dates = cal.dates, ind = uni.indCodes, stk = uni.stockCodes;
  const P = (values: Float64Array, assets: readonly string[], what: string): Panel => createPanel(dates, assets, values, `simulator ${what}`);
  const { stocks, membership } = stockInfoAndMembership(s);
  const intraday: IntradayBars = {
    codes: [...ind], days: [...dates], times: [...BAR_TIMES], barsPerDay: BAR_TIMES.length,
    open: out.bOpen, high: out.bHigh, low: out.bLow, close: out.bClose, volume: out.bVol,
  };
  const name = datasetName(s);
  return {
    name,
    calendar: [...dates],
    industries: ind.map((code, j) => ({ code, name: uni.specs[j].name })),
    industryBars: {
      open: P(out.iOpen, ind, 'industry open'), high: P(out.iHigh, ind, 'industry high'), low: P(out.iLow, ind, 'industry low'),
      close: P(out.iClose, ind, 'industry close'), volume: P(out.iVol, ind, 'industry volume'), amount: P(out.iAmt, ind, 'industry amount'),
      turnover: P(out.iTurn, ind, 'industry turnover'), pe: P(out.iPe, ind, 'industry pe'), pb: P(out.iPb, ind, 'industry pb'),
      ps: P(out.iPs, ind, 'industry ps'), dividendYield: P(out.iDy, ind, 'industry dividend yield'),
    },
    industryIntraday: intraday,
    stocks: {
      stocks,
      bars: {
        close: P(out.sClose, stk, 'stock close'), volume: P(out.sVol, stk, 'stock volume'), amount: P(out.sAmt, stk, 'stock amount'),
        floatCap: P(out.sFloat, stk, 'stock float cap'), totalCap: P(out.sTotal, stk, 'stock total cap'),
        tradable: P(out.sTrad, stk, 'stock tradable'),
      },
      membership,
      fundamentals: fundamentalRecords(s),
      forecasts: fc.forecasts.columns(),
      indexWeights: out.indexWeights,
    },
    losses: [lossReport(s)],
    caveats: [
      `Simulated data (${name}): a seeded synthetic A-share-like market, not real prices. Planted signals and their strengths are in the simulator's truth; see docs/simulator.md.`,
      'Survivorship: delisted stocks are kept (NaN after their delistDate); a universe of the stocks listed at the end would be survivorship-biased.',
      'Industry indices are the primary series; the free-float-cap-weighted return of the constituents equals the index return except for price-limit and suspension carry.',
      'Stock closes are total-return levels and market caps use them (no ex-dividend drops).',
    ],
  };
}

/** The SimulationTruth of a finished simulation. */
export function buildTruth(s: SimState): SimulationTruth {
  const { uni, cal, cfg, out, truth } = s;
  const me = cal.monthEnds, ind = uni.indCodes, stk = uni.stockCodes;
  const Pm = (values: Float64Array, assets: readonly string[], what: string): Panel => createPanel(me, assets, values, `simulator truth ${what}`);
  return {
    config: cfg,
    regimes: REGIMES.map((r) => ({ name: r.name, annualDrift: r.annualDrift, annualVol: r.annualVol, meanDurationDays: r.meanDurationDays })),
    transitionMatrix: transitionMatrix(),
    regimePath: out.regimePath,
    industryBeta: Object.fromEntries(ind.map((c, j) => [c, uni.betaInd[j]])),
    monthEnds: [...me],
    plantedIc: { ...cfg.plantedIc },
    switchOff: { factor: SWITCH_OFF_FACTOR, date: me[truth.switchMonth], icBefore: cfg.plantedIc[SWITCH_OFF_FACTOR], icAfter: 0 },
    stockPlantedIc: { ...cfg.stockPlantedIc },
    factorDefinitions: { ...FACTOR_DEFINITIONS },
    industryFactors: Object.fromEntries(INDUSTRY_FACTORS.map((f, k) => [f, Pm(truth.indFactors[k], ind, f)])) as Record<IndustryFactorName, Panel>,
    stockFactors: Object.fromEntries(STOCK_FACTORS.map((f, k) => [f, Pm(truth.stockFactors[k], stk, `stock ${f}`)])) as Record<StockFactorName, Panel>,
    industryDrift: Pm(truth.indDrift, ind, 'industry drift'),
    stockDrift: Pm(truth.stockDrift, stk, 'stock drift'),
    latent: {
      industryGrowth: Pm(truth.latG, ind, 'latent growth'),
      crowding: Pm(truth.latC, ind, 'latent crowding'),
      lateFlow: Pm(truth.latL, ind, 'latent late flow'),
    },
  };
}
