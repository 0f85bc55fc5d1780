/**
 * The trading days of one month (stream STREAM_DAILY of that month). Per day t, regime s = s_t:
 *
 *   regime      s_t = s_{t-1} with prob 1 - 1/D_s, else another state (REGIME_EXIT)
 *   market      M_t = sigma_s sqrt(vM_t) zM_t,   log-variance hM_t = phi hM_{t-1} + theta (|zM_{t-1}| - E|z|),
 *               vM_t = exp(hM_t - Var(h)/2)  (EGARCH(1,1), unit mean; likewise vU for industries, vE for stocks)
 *   industry    X_jt = mu_s + beta_j M_t + sigma_j k_s sqrt(vU_jt) zU_jt + (news_j + drift_j) / n_m   (log return)
 *               R_jt = exp(X_jt) - 1 within +/- limit
 *   stock raw   r_it = exp(mu_s + beta_i (X_jt - mu_s) + sigma_i k_s sqrt(vE_it) zE_it + (news_i + drift_i) / n_m [+ jump]) - 1
 *   stock       r_it += c_jt,  c_jt = R_jt - sum_i w_i r_it / sum_i w_i  (w = previous free-float cap in j)
 *   realized    x_it = log(1 + r_it) + carry_i;  suspended: carry_i = x_it;
 *               else log move = clamp(x_it, log(1 - limit), log(1 + limit)), carry_i = x_it - move
 *   turnover    log tau_it = b_i + T_t + c_jt + x_it + 0.25 clamp(|realized return| / 3% - 0.8, -1, 3)
 * Log returns are symmetric, so a higher volatility does not lower the median (rank) return.
 * z ~ unit-variance Student-t clipped at +/- 6 (market +/- 4), mu_s and sigma_s the regime's daily drift and vol, k_s the
 * regime's idiosyncratic multiplier, T_t the market turnover level (AR(1) toward the regime level),
 * c_jt the industry crowding (AR(1) toward the latent C_j), x_it an AR(1) stock turnover noise.
 * Industry volume / amount are the sums over constituents; turnover = amount / free-float cap.
 */
import type { Rng } from '../../random.js';
import { clamp, egarchConstants } from './math.js';
import {
  BAR_VARIANCE_SHARE, BAR_VOLUME_SHARE, OVERNIGHT_BETA, OVERNIGHT_NOISE, REGIME_EXIT, REGIMES, T_DF_INDUSTRY,
  T_DF_MARKET, T_DF_STOCK, TRADING_DAYS_PER_YEAR, VOL_INDUSTRY, VOL_MARKET, VOL_STOCK,
} from './model.js';
import { NEVER, type SimState } from './state.js';

const BARS = BAR_VARIANCE_SHARE.length;
/** Innovations are clipped at +/- Z_MAX standard deviations (market: Z_MAX_MARKET), keeping the t tails finite. */
const Z_MAX = 6;
const Z_MAX_MARKET = 4;
const EG_MARKET = Object.freeze(egarchConstants(VOL_MARKET, T_DF_MARKET));
const EG_INDUSTRY = Object.freeze(egarchConstants(VOL_INDUSTRY, T_DF_INDUSTRY));
const EG_STOCK = Object.freeze(egarchConstants(VOL_STOCK, T_DF_STOCK));
const SQRT_SHARE: readonly number[] = Object.freeze(BAR_VARIANCE_SHARE.map(Math.sqrt));

/** Per-month scratch buffers (reused across the month's days). */
interface DayScratch {
  /** Industry simple and log returns of the day. */
  R: Float64Array;
  X: Float64Array;
  sigDay: Float64Array;
  raw: Float64Array;
  wsum: Float64Array;
  wr: Float64Array;
  shift: Float64Array;
  dVol: Float64Array;
  dAmt: Float64Array;
  dFloat: Float64Array;
  vCap: Float64Array;
  vNp: Float64Array;
  vEq: Float64Array;
  vRev: Float64Array;
  vDiv: Float64Array;
  barLog: Float64Array;
  barZ: Float64Array;
  volW: Float64Array;
}

function scratch(J: number, N: number): DayScratch {
  const fj = (): Float64Array => new Float64Array(J);
  return {
    R: fj(), X: fj(), sigDay: fj(), raw: new Float64Array(N), wsum: fj(), wr: fj(), shift: fj(), dVol: fj(), dAmt: fj(), dFloat: fj(),
    vCap: fj(), vNp: fj(), vEq: fj(), vRev: fj(), vDiv: fj(),
    barLog: new Float64Array(BARS), barZ: new Float64Array(BARS), volW: new Float64Array(BARS),
  };
}

/** Simulate every trading day of trading month m. */
export function simulateMonthDays(s: SimState, m: number, rng: Rng): void {
  const mo = s.cal.months[m];
  const nDays = mo.last - mo.first + 1;
  const sc = scratch(s.uni.J, s.uni.N);
  s.dyn.hfSum.fill(0);
  for (let t = mo.first; t <= mo.last; t++) {
    stepMarketAndIndustries(s, t, nDays, rng, sc);
    stepStocks(s, t, nDays, rng, sc);
    industryBarsDay(s, t, rng, sc);
  }
}

/** Regime, market factor and industry returns of day t (into sc.R, sc.sigDay). */
function stepMarketAndIndustries(s: SimState, t: number, nDays: number, rng: Rng, sc: DayScratch): void {
  const { dyn, uni, lat } = s;
  if (t > 0) {
    const stay = 1 - 1 / REGIMES[dyn.regime].meanDurationDays;
    const uu = rng.uniform();
    if (uu >= stay) {
      const w = (uu - stay) / (1 - stay);
      const ex = REGIME_EXIT[dyn.regime];
      let acc = 0;
      for (let c = 0; c < ex.length; c++) {
        acc += ex[c];
        if (w < acc && ex[c] > 0) { dyn.regime = c; break; }
      }
    }
  }
  s.out.regimePath[t] = dyn.regime;
  const Rg = REGIMES[dyn.regime];
  const mu = Rg.annualDrift / TRADING_DAYS_PER_YEAR;
  const sigM = Rg.annualVol / Math.sqrt(TRADING_DAYS_PER_YEAR);
  if (t > 0) {
    dyn.hM = VOL_MARKET.phi * dyn.hM + VOL_MARKET.theta * (Math.abs(dyn.zMprev) - EG_MARKET.meanAbs);
    dyn.vM = Math.exp(dyn.hM - EG_MARKET.centre);
  }
  const zM = clamp(rng.studentT(T_DF_MARKET), -Z_MAX_MARKET, Z_MAX_MARKET);
  dyn.zMprev = zM;
  const mkt = sigM * Math.sqrt(dyn.vM) * zM;
  dyn.mTurn = 0.97 * dyn.mTurn + 0.03 * Rg.turnoverLevel + 0.03 * rng.normal();
  const { hU, vU, zUprev, cInd } = dyn;
  const limit = s.cfg.priceLimit;
  for (let j = 0; j < uni.J; j++) {
    if (t > 0) {
      hU[j] = VOL_INDUSTRY.phi * hU[j] + VOL_INDUSTRY.theta * (Math.abs(zUprev[j]) - EG_INDUSTRY.meanAbs);
      vU[j] = Math.exp(hU[j] - EG_INDUSTRY.centre);
    }
    const z = clamp(rng.studentT(T_DF_INDUSTRY), -Z_MAX, Z_MAX);
    zUprev[j] = z;
    const idio = uni.sigU[j] * Rg.idioMult * Math.sqrt(vU[j]);
    const x = mu + uni.betaInd[j] * mkt + idio * z + (lat.indNews[j] + dyn.driftInd[j]) / nDays;
    sc.R[j] = clamp(Math.exp(x) - 1, -limit, limit);
    sc.X[j] = Math.log(1 + sc.R[j]);
    sc.sigDay[j] = Math.sqrt((uni.betaInd[j] * sigM) ** 2 * dyn.vM + idio * idio);
    cInd[j] = 0.9 * cInd[j] + 0.1 * lat.C[j] + 0.05 * rng.normal();
  }
}

/** Stocks of day t: raw returns, the cap-weighted shift, limits, suspensions, caps, volume, industry sums. */
function stepStocks(s: SimState, t: number, nDays: number, rng: Rng, sc: DayScratch): void {
  const { uni, dyn, lat, fund, out, cfg } = s;
  const N = uni.N, nQ = s.cal.nQuarters;
  const Rg = REGIMES[dyn.regime];
  const mu = Rg.annualDrift / TRADING_DAYS_PER_YEAR;
  const kS = Rg.idioMult;
  const { listDay, delistDay, switchDay, ind0, ind1, sigE, betaStock, turnBase, floatFinal } = uni;
  const { hE, vE, zEprev, price, shares, carry, suspLeft, xTurn, floatCapPrev, driftStock, cInd } = dyn;
  const { stockNews, jumpDay, jumpSize } = lat;
  const { raw, wsum, wr, shift, R, X } = sc;
  const phiE = VOL_STOCK.phi, thE = VOL_STOCK.theta, mAbsE = EG_STOCK.meanAbs, cE = EG_STOCK.centre;
  wsum.fill(0); wr.fill(0);
  // pass 1: raw returns and free-float cap weights
  for (let i = 0; i < N; i++) {
    if (t <= listDay[i] || t > delistDay[i]) continue;
    const j = t >= switchDay[i] ? ind1[i] : ind0[i];
    const h = phiE * hE[i] + thE * (Math.abs(zEprev[i]) - mAbsE);
    hE[i] = h;
    const sv = Math.exp(0.5 * (h - cE));
    vE[i] = sv * sv;
    const z = clamp(rng.studentT(T_DF_STOCK), -Z_MAX, Z_MAX);
    zEprev[i] = z;
    let e = sigE[i] * kS * sv * z + (stockNews[i] + driftStock[i]) / nDays;
    if (jumpDay[i] === t) e += jumpSize[i];
    if (delistDay[i] !== NEVER && delistDay[i] - t < 120) e -= 0.0025;
    const r = Math.exp(mu + betaStock[i] * (X[j] - mu) + e) - 1;
    raw[i] = r;
    const w = floatCapPrev[i];
    wsum[j] += w; wr[j] += w * r;
  }
  for (let j = 0; j < uni.J; j++) shift[j] = wsum[j] > 0 ? R[j] - wr[j] / wsum[j] : 0;
  // pass 2: realize
  const { dVol, dAmt, dFloat, vCap, vNp, vEq, vRev, vDiv } = sc;
  dVol.fill(0); dAmt.fill(0); dFloat.fill(0); vCap.fill(0); vNp.fill(0); vEq.fill(0); vRev.fill(0); vDiv.fill(0);
  const { sClose, sVol, sAmt, sTotal, sFloat, sTrad } = out;
  const limitDown = -cfg.priceLimit, limitUp = cfg.priceLimit;
  const limitLo = Math.log(1 - cfg.priceLimit), limitHi = Math.log(1 + cfg.priceLimit);
  const suspRate = cfg.suspensionRate;
  const base = t * N;
  for (let i = 0; i < N; i++) {
    if (t < listDay[i]) { dyn.cellsNotListed++; continue; }
    if (t > delistDay[i]) { dyn.cellsDelisted++; continue; }
    const j = t >= switchDay[i] ? ind1[i] : ind0[i];
    // reports announced by t
    let q = fund.latest[i];
    if (q + 1 < nQ && fund.known[i * nQ + q + 1] <= t) {
      while (q + 1 < nQ && fund.known[i * nQ + q + 1] <= t) q++;
      fund.latest[i] = q;
      updateTrailing(s, i);
    }
    const since = t - listDay[i];
    const ff = listDay[i] === 0 ? floatFinal[i] : since < 250 ? 0.25 : since < 750 ? Math.max(0.25, 0.6 * floatFinal[i]) : floatFinal[i];
    let tradable = 1, turnover = 0;
    if (t === listDay[i]) {
      price[i] = uni.price0[i];
      shares[i] = t === 0 ? uni.size0[i] / uni.price0[i] : (Math.exp(lat.logE[i]) * uni.pe0[i] * 1.1) / uni.price0[i];
      turnover = Math.exp(turnBase[i] + 1);
      dyn.cellsTraded++;
    } else {
      const r = raw[i] + shift[j];
      let suspended = suspLeft[i] > 0;
      if (suspended) suspLeft[i]--;
      else if (rng.uniform() < suspRate) {
        suspended = true;
        suspLeft[i] = Math.floor(-Math.log(1 - rng.uniform()) * (rng.uniform() < 0.1 ? 40 : 5));
      }
      if (suspended) {
        carry[i] += Math.log(1 + Math.max(r, -0.9));
        tradable = 0;
        dyn.cellsSuspended++;
      } else {
        let absMove: number;
        if (carry[i] === 0 && r > limitDown && r < limitUp) {
          price[i] *= 1 + r; // common case: no carry, inside the limits (same as the log form below)
          absMove = r < 0 ? -r : r;
        } else {
          const x = Math.log(1 + Math.max(r, -0.9)) + carry[i];
          const move = x < limitLo ? limitLo : x > limitHi ? limitHi : x;
          carry[i] = x - move;
          if (carry[i] < 1e-12 && carry[i] > -1e-12) carry[i] = 0;
          price[i] *= Math.exp(move);
          absMove = Math.abs(Math.exp(move) - 1);
        }
        xTurn[i] = 0.7 * xTurn[i] + 0.2 * rng.normal();
        turnover = Math.exp(turnBase[i] + dyn.mTurn + cInd[j] + xTurn[i] + 0.25 * clamp(absMove / 0.03 - 0.8, -1, 3));
        if (carry[i] !== 0) { tradable = 0; turnover *= 0.15; dyn.cellsLocked++; } else dyn.cellsTraded++;
      }
    }
    const totalCap = price[i] * shares[i];
    const floatCap = totalCap * ff;
    const amt = turnover * floatCap;
    const vol = amt / price[i];
    sClose[base + i] = price[i];
    sVol[base + i] = vol;
    sAmt[base + i] = amt;
    sTotal[base + i] = totalCap;
    sFloat[base + i] = floatCap;
    sTrad[base + i] = tradable;
    floatCapPrev[i] = floatCap;
    dVol[j] += vol; dAmt[j] += amt; dFloat[j] += floatCap;
    if (q >= 3) {
      vCap[j] += totalCap; vNp[j] += fund.ttmNp[i]; vEq[j] += fund.eq[i * nQ + q]; vRev[j] += fund.ttmRev[i]; vDiv[j] += fund.div[i * nQ + q];
    }
  }
}

/** Trailing-four-quarter net profit and revenue of stock i's latest announced quarter. */
export function updateTrailing(s: SimState, i: number): void {
  const { fund } = s;
  const q = fund.latest[i], b = i * s.cal.nQuarters;
  if (q < 3) { fund.ttmNp[i] = NaN; fund.ttmRev[i] = NaN; return; }
  fund.ttmNp[i] = fund.np[b + q] + fund.np[b + q - 1] + fund.np[b + q - 2] + fund.np[b + q - 3];
  fund.ttmRev[i] = fund.rev[b + q] + fund.rev[b + q - 1] + fund.rev[b + q - 2] + fund.rev[b + q - 3];
}

/**
 * Industry daily bars, intraday bars and valuation of day t.
 * Daily log return l = log(close / prevClose) splits into overnight on = 0.2 l + 0.3 sigma_day N(0,1)
 * and intraday x = l - on; the 8 bar log returns are a Brownian bridge with U-shaped variance shares
 * v_b:  b_k = x v_k + 0.8 sigma_day (sqrt(v_k) z_k - v_k sum_l sqrt(v_l) z_l)  (sum_k b_k = x exactly),
 * then the late-session flow L_j is added to the last bar and taken pro rata from the others.
 * Bar volume = daily volume x U-shaped share x lognormal noise (normalized); day volume = sum of bars.
 */
function industryBarsDay(s: SimState, t: number, rng: Rng, sc: DayScratch): void {
  const { uni, dyn, out, lat } = s;
  const J = uni.J;
  const { barLog, barZ, volW, R, sigDay, dVol, dAmt, dFloat, vCap, vNp, vEq, vRev, vDiv } = sc;
  const lateShare = 1 - BAR_VARIANCE_SHARE[BARS - 1];
  for (let j = 0; j < J; j++) {
    const k = t * J + j;
    const prevClose = dyn.indLevel[j];
    const close = prevClose * (1 + R[j]);
    dyn.indLevel[j] = close;
    const l = Math.log(close / prevClose);
    const on = OVERNIGHT_BETA * l + OVERNIGHT_NOISE * sigDay[j] * rng.normal();
    const x = l - on;
    const sigIn = 0.8 * sigDay[j];
    let S = 0;
    for (let b = 0; b < BARS; b++) { barZ[b] = rng.normal(); S += SQRT_SHARE[b] * barZ[b]; }
    for (let b = 0; b < BARS; b++) barLog[b] = x * BAR_VARIANCE_SHARE[b] + sigIn * (SQRT_SHARE[b] * barZ[b] - BAR_VARIANCE_SHARE[b] * S);
    for (let b = 0; b < BARS - 1; b++) barLog[b] -= (lat.L[j] * BAR_VARIANCE_SHARE[b]) / lateShare;
    barLog[BARS - 1] += lat.L[j];
    let wTot = 0;
    for (let b = 0; b < BARS; b++) { volW[b] = BAR_VOLUME_SHARE[b] * Math.exp(0.15 * rng.normal()); wTot += volW[b]; }
    const kb = k * BARS;
    let level = prevClose * Math.exp(on);
    let hi = -Infinity, lo = Infinity, volSum = 0;
    for (let b = 0; b < BARS; b++) {
      const o = level;
      const c = b === BARS - 1 ? close : o * Math.exp(barLog[b]);
      const wig = 0.3 * sigIn * SQRT_SHARE[b];
      const h = Math.max(o, c) * Math.exp(Math.abs(rng.normal()) * wig);
      const lw = Math.min(o, c) * Math.exp(-Math.abs(rng.normal()) * wig);
      out.bOpen[kb + b] = o; out.bClose[kb + b] = c; out.bHigh[kb + b] = h; out.bLow[kb + b] = lw;
      const bv = (dVol[j] * volW[b]) / wTot;
      out.bVol[kb + b] = bv;
      volSum += bv;
      if (h > hi) hi = h;
      if (lw < lo) lo = lw;
      level = c;
    }
    dyn.hfSum[j] += out.bClose[kb + BARS - 1] / out.bClose[kb + BARS - 2] - 1;
    out.iOpen[k] = out.bOpen[kb]; out.iHigh[k] = hi; out.iLow[k] = lo; out.iClose[k] = close;
    out.iVol[k] = volSum; out.iAmt[k] = dAmt[j];
    out.iTurn[k] = dFloat[j] > 0 ? dAmt[j] / dFloat[j] : NaN;
    if (vCap[j] > 0) {
      out.iPe[k] = vNp[j] > 0 ? vCap[j] / vNp[j] : NaN;
      out.iPb[k] = vEq[j] > 0 ? vCap[j] / vEq[j] : NaN;
      out.iPs[k] = vRev[j] > 0 ? vCap[j] / vRev[j] : NaN;
      out.iDy[k] = vDiv[j] / vCap[j];
    }
  }
}
