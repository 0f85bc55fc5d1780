/**
 * Fixed model parameters of the simulator (the calibration knobs; see docs/simulator.md for the
 * equations they enter). They are constants, not config, so that the documented calibration table
 * stays true; change them here and re-run the calibration test.
 */

/** Hidden Markov regimes of the market factor. */
export const REGIMES = Object.freeze([
  Object.freeze({ name: 'calm-bull', annualDrift: 0.3, annualVol: 0.19, meanDurationDays: 120, idioMult: 1.0, turnoverLevel: 0.2 }),
  Object.freeze({ name: 'sideways', annualDrift: 0.02, annualVol: 0.155, meanDurationDays: 120, idioMult: 0.85, turnoverLevel: -0.2 }),
  Object.freeze({ name: 'volatile-bear', annualDrift: -0.3, annualVol: 0.42, meanDurationDays: 75, idioMult: 1.35, turnoverLevel: 0.1 }),
] as const);

/** Where a regime goes when it leaves: row = from, column = to (diagonal unused). */
export const REGIME_EXIT = Object.freeze([
  Object.freeze([0, 0.6, 0.4]),
  Object.freeze([0.6, 0, 0.4]),
  Object.freeze([0.4, 0.6, 0]),
] as const);

export const TRADING_DAYS_PER_YEAR = 244;

/** Student-t degrees of freedom of daily innovations (market, industry-specific, stock-specific). */
export const T_DF_MARKET = 6;
export const T_DF_INDUSTRY = 4;
export const T_DF_STOCK = 5;

/**
 * Volatility clustering: EGARCH(1,1) log-variance multipliers with unit mean,
 *   h_t = phi h_{t-1} + theta (|z_{t-1}| - E|z|),   v_t = exp(h_t - Var(h) / 2),
 *   Var(h) = theta^2 (1 - E|z|^2) / (1 - phi^2),
 * so E[v] = 1 and a 10-year path's average variance is near its expectation (a plain GARCH(1,1)
 * with Student-t shocks and persistence near 0.99 spends most of a finite path far below its mean).
 */
export const VOL_MARKET = Object.freeze({ phi: 0.985, theta: 0.15 });
export const VOL_INDUSTRY = Object.freeze({ phi: 0.97, theta: 0.25 });
export const VOL_STOCK = Object.freeze({ phi: 0.95, theta: 0.15 });

/** Industry-specific daily volatility (before the per-industry multiplier and the regime multiplier). */
export const INDUSTRY_IDIO_DAILY_VOL = 0.0105;
/** Stock-specific daily volatility of the median stock (before size tilt and regime multiplier). */
export const STOCK_IDIO_DAILY_VOL = 0.016;

/** Latent monthly processes: AR(1) x_m = mean + phi (x_{m-1} - mean) + sd sqrt(1 - phi^2) eps. */
export const LATENT = Object.freeze({
  /** Industry profit growth G_j (annual log rate). */
  growth: Object.freeze({ mean: 0.04, phi: 0.93, sd: 0.2 }),
  /** Stock profit growth deviation u_i (annual log rate). */
  stockGrowth: Object.freeze({ mean: 0, phi: 0.9, sd: 0.2 }),
  /** Industry crowding C_j (log turnover tilt). */
  crowding: Object.freeze({ mean: 0, phi: 0.85, sd: 0.3 }),
  /** Industry late-session flow L_j (log return added to the last 30-minute bar, per day). */
  lateFlow: Object.freeze({ mean: 0, phi: 0.7, sd: 0.0004 }),
  /**
   * Earnings follow prices (prices are never pulled, so no return becomes predictable): every
   * listed stock's log E moves by industryValuationReversion / 12 times its industry's gap
   * log(sum cap / sum (E * PE_i)) and by stockValuationReversion / 12 times its own gap
   * log(cap / PE_i) - log E, per month. Keeps industry PE, PB and dividend yield stationary while
   * stock profit growth keeps a large industry-common part.
   */
  industryValuationReversion: 1.0,
  stockValuationReversion: 0.2,
  /** Stock earnings-power shock, monthly log sd. */
  earningsShock: 0.04,
  /** Price response to a growth-rate innovation (years of duration): industries / stocks. */
  industryGrowthDuration: 0.1,
  stockGrowthDuration: 0.3,
});

/**
 * Stock-specific jumps: probability per stock-month; log size = JUMP_SCALE * Student-t(3), clipped
 * at +/- JUMP_MAX (moves beyond the price limit carry over the following days).
 */
export const JUMP_PROB = 0.02;
export const JUMP_SCALE = 0.6;
export const JUMP_MAX = 1.3;

/** Quarterly seasonality of single-quarter net profit and revenue (Q1..Q4, mean 1). */
export const PROFIT_SEASON = Object.freeze([0.9, 1.04, 1.0, 1.06]);
export const REVENUE_SEASON = Object.freeze([0.88, 1.02, 1.02, 1.08]);

/** 30-minute bar end times of the A-share session 09:30-11:30, 13:00-15:00. */
export const BAR_TIMES = Object.freeze(['10:00', '10:30', '11:00', '11:30', '13:30', '14:00', '14:30', '15:00']);
/** Share of intraday return variance per bar (U-shaped, sums to 1). */
export const BAR_VARIANCE_SHARE = Object.freeze([0.2, 0.12, 0.1, 0.09, 0.11, 0.1, 0.12, 0.16]);
/** Share of daily volume per bar (U-shaped, sums to 1). */
export const BAR_VOLUME_SHARE = Object.freeze([0.21, 0.13, 0.1, 0.09, 0.1, 0.1, 0.12, 0.15]);

/** Overnight part of the daily log return: on = OVERNIGHT_BETA * l + OVERNIGHT_NOISE * sigma_day * N(0,1). */
export const OVERNIGHT_BETA = 0.2;
export const OVERNIGHT_NOISE = 0.3;

/** Consensus: a broker's latest forecast counts while it is at most this many calendar days old. */
export const CONSENSUS_WINDOW_DAYS = 180;
/** Probability a covering broker reacts to a report, and its lag in trading days (1..max). */
export const FORECAST_REACTION_PROB = 0.8;
export const FORECAST_REACTION_MAX_LAG = 15;
/** Probability per covering broker and month of an unscheduled forecast update. */
export const FORECAST_RANDOM_PROB = 0.07;

/**
 * Calibration of planted drifts: the drift's covariance with each factor's normal scores is
 * IC_SCALE * ic* * sigma. Empirical factors (multi-seed development runs) that make the recovered mean rank IC
 * equal the planted one: industries recover ~1.1x the planted covariance (the model sigma is a
 * little above the realized dispersion), stocks ~0.8x (jumps and carry widen the realized
 * industry-relative dispersion).
 */
export const IC_SCALE_INDUSTRY = 0.9;
export const IC_SCALE_STOCK = 1.2;

/** Stock factors use stocks listed for at least this many trading days. */
export const STOCK_MIN_HISTORY = 60;
