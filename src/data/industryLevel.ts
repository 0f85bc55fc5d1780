/**
 * The industry level of a dataset: what the allocation, backtest and report stages read once the
 * factor library exists. A command that has computed its factors keeps only this, so that the
 * stock-level data (daily stock bars, fundamentals, forecasts, constituents) and the intraday
 * industry bars can be freed: ~200 MB of the default simulated market.
 */
import type { IndustryBars, MarketDataset, MonthEndSeries } from './types.js';
import type { Panel } from '../panel/panel.js';

/** A copy of `p` whose values own their memory (not a view into a larger buffer). */
function ownedPanel(p: Panel): Panel {
  return { ...p, values: p.values.slice() };
}

/** Every panel of a record of panels, copied with `ownedPanel` (absent fields stay absent). */
function ownedPanels<T extends object>(panels: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(panels)) out[k] = v === undefined ? undefined : ownedPanel(v as Panel);
  return out as T;
}

/**
 * `ds` without `stocks` and `industryIntraday`, its industry bars and month-end series copied so
 * that none is a view into the buffer the dataset was decoded from (src/data/simulatorCache.ts reads
 * one file into one buffer and views into it: one surviving view would keep the whole buffer, stock
 * bars included). Every other field is shared with `ds`; values are unchanged, bit for bit.
 */
export function industryLevelDataset(ds: MarketDataset): MarketDataset {
  const { stocks: _stocks, industryIntraday: _intraday, ...rest } = ds;
  return {
    ...rest,
    industryBars: ownedPanels<IndustryBars>(ds.industryBars),
    ...(ds.monthEnd ? { monthEnd: ownedPanels<MonthEndSeries>(ds.monthEnd) } : {}),
  };
}
