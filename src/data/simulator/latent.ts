/**
 * Latent monthly processes (stream STREAM_LATENT, one per latent month):
 *
 *   G_j,m = g + phi_G (G_j,m-1 - g) + eta_j,m          industry profit growth (annual log rate)
 *   u_i,m = phi_u u_i,m-1 + xi_i,m                      stock growth deviation
 *   C_j,m, L_j,m                                        crowding, late-session flow (AR(1))
 *   log E_i,m = log E_i,m-1 + (G_j,m + u_i,m) / 12 + s_E eps_i,m
 *               + (k_ind / 12) log(sum_j cap / sum_j E PE)  + (k_stk / 12) (log(cap_i / PE_i) - log E_i,m-1)
 *                 (listed stocks; caps at the last month end; sums over the industry's listed stocks)
 *               - 0.06                                            (in the year before a delisting)
 *   log Rev_i,m = log Rev_i,m-1 + (0.5 (G_j,m + u_i,m) + 0.5 g) / 12 + 0.015 eps'_i,m
 * Price news of the month (log return spread evenly over its trading days):
 *   industry news_j = D_ind eta_j,m,   stock news_i = s_E eps_i,m + D_stock xi_i,m
 * plus, with probability JUMP_PROB, one stock-specific jump JUMP_SCALE * t(3) (clipped) on a random day of the month.
 * Innovations are drawn fresh each month, so news is not predictable from earlier data.
 */
import type { Rng } from '../../random.js';
import { clamp } from './math.js';
import { JUMP_MAX, JUMP_PROB, JUMP_SCALE, LATENT } from './model.js';
import { industryOf, NEVER, type SimState } from './state.js';

interface Ar1 { mean: number; phi: number; sd: number }

/** Innovation of x_m = mean + phi (x_{m-1} - mean) + innovation, innovation ~ N(0, sd^2 (1 - phi^2)). */
function innovation(p: Ar1, rng: Rng): number {
  return p.sd * Math.sqrt(1 - p.phi * p.phi) * rng.normal();
}

function ar1Next(x: number, p: Ar1, innov: number): number {
  return p.mean + p.phi * (x - p.mean) + innov;
}

/** Advance the latent states by latent month lm (m = lm - burnIn is the trading month, < 0 in the burn-in). */
export function stepLatent(s: SimState, lm: number, rng: Rng): void {
  const { uni, lat, cal } = s;
  const m = lm - cal.burnIn;
  const mo = m >= 0 ? cal.months[m] : undefined;
  const prevEnd = m >= 1 ? cal.months[m - 1].last : -1;
  // industry valuation gaps at the last month end: log(sum cap / sum E * PE) over listed stocks
  const listedPrev = new Uint8Array(uni.N), indGap = new Float64Array(uni.J);
  if (prevEnd >= 0) {
    const capSum = new Float64Array(uni.J), fairSum = new Float64Array(uni.J);
    for (let i = 0; i < uni.N; i++) {
      if (prevEnd < uni.listDay[i] || prevEnd > uni.delistDay[i]) continue;
      listedPrev[i] = 1;
      const j = industryOf(uni, i, prevEnd);
      capSum[j] += s.out.sTotal[prevEnd * uni.N + i];
      fairSum[j] += Math.exp(lat.logE[i]) * uni.pe0[i];
    }
    for (let j = 0; j < uni.J; j++) if (capSum[j] > 0 && fairSum[j] > 0) indGap[j] = Math.log(capSum[j] / fairSum[j]);
  }
  for (let j = 0; j < uni.J; j++) {
    const innov = innovation(LATENT.growth, rng);
    lat.G[j] = ar1Next(lat.G[j], LATENT.growth, innov);
    lat.indNews[j] = LATENT.industryGrowthDuration * innov;
    lat.C[j] = ar1Next(lat.C[j], LATENT.crowding, innovation(LATENT.crowding, rng));
    lat.L[j] = ar1Next(lat.L[j], LATENT.lateFlow, innovation(LATENT.lateFlow, rng));
  }
  for (let i = 0; i < uni.N; i++) {
    const innov = innovation(LATENT.stockGrowth, rng);
    lat.u[i] = ar1Next(lat.u[i], LATENT.stockGrowth, innov);
    const j = mo ? industryOf(uni, i, mo.first) : uni.ind0[i];
    const shock = LATENT.earningsShock * rng.normal();
    const distress = mo && uni.delistDay[i] !== NEVER && uni.delistDay[i] - mo.first < 250 ? -0.06 : 0;
    const g = lat.G[j] + lat.u[i];
    let anchor = 0;
    if (listedPrev[i]) {
      anchor = (LATENT.industryValuationReversion / 12) * indGap[j]
        + (LATENT.stockValuationReversion / 12) * (Math.log(s.out.sTotal[prevEnd * uni.N + i] / uni.pe0[i]) - lat.logE[i]);
    }
    lat.logE[i] += g / 12 + shock + distress + anchor;
    lat.logRev[i] += (0.5 * g + 0.5 * LATENT.growth.mean) / 12 + 0.015 * rng.normal();
    lat.Esum[i] += Math.exp(lat.logE[i]);
    lat.Rsum[i] += Math.exp(lat.logRev[i]);
    lat.stockNews[i] = shock + LATENT.stockGrowthDuration * innov;
    lat.jumpDay[i] = -1;
    if (rng.uniform() < JUMP_PROB && mo) {
      lat.jumpDay[i] = mo.first + rng.int(mo.last - mo.first + 1);
      lat.jumpSize[i] = clamp(JUMP_SCALE * rng.studentT(3), -JUMP_MAX, JUMP_MAX);
    }
  }
}
