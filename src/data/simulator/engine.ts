/**
 * The simulation loop. After the static set-up (setup.ts), month by month over a 36-month latent
 * burn-in and then the trading months, in this order:
 *
 *   1. latent monthly states (latent.ts)                         stream STREAM_LATENT
 *   2. the month's trading days (daily.ts)                       stream STREAM_DAILY
 *   3. at a quarter end: fundamentals, announcement dates (fundamentals.ts)   STREAM_FUND
 *   4. analyst forecast events of the month (analysts.ts)        stream STREAM_EVENTS
 *   5. month end: planted factors, next month's drift, SIM500 weights (monthEnd.ts)
 *
 * Every (stream, month) has its own createRng(mixSeed(seed, stream, month)), so a month's draws do
 * not depend on earlier months' draw counts and `reseed` can replace every draw from a month on.
 */
import { buildDataset, buildTruth } from './assemble.js';
import { forecastMonth } from './analysts.js';
import type { ResolvedSimulatorConfig } from './config.js';
import { simulateMonthDays } from './daily.js';
import { closeQuarter } from './fundamentals.js';
import { stepLatent } from './latent.js';
import { monthEnd } from './monthEnd.js';
import { initState } from './setup.js';
import { STREAM_DAILY, STREAM_EVENTS, STREAM_FUND, STREAM_LATENT, streamRng } from './state.js';
import type { SimulatedMarket } from './types.js';

/** Run the simulation for a resolved, validated config (see simulateMarket for the public entry). */
export function runSimulation(cfg: ResolvedSimulatorConfig): SimulatedMarket {
  const s = initState(cfg);
  const { cal } = s;
  for (let lm = 0; lm < cal.nLatentMonths; lm++) {
    const m = lm - cal.burnIn;
    stepLatent(s, lm, streamRng(s, STREAM_LATENT, lm));
    if (m >= 0) simulateMonthDays(s, m, streamRng(s, STREAM_DAILY, lm));
    if ((cal.am0 + lm) % 3 === 2) closeQuarter(s, lm, streamRng(s, STREAM_FUND, lm));
    if (m < 0) continue;
    forecastMonth(s, m, lm, streamRng(s, STREAM_EVENTS, lm));
    monthEnd(s, m);
  }
  return { dataset: buildDataset(s), truth: buildTruth(s) };
}
