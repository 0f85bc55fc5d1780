/**
 * Trade and cost arithmetic of the backtest (fractions of portfolio value just before a trade).
 *
 *   traded   = Σ_i |w*_i − w̃_i|             (buys + sells; w* target, w̃ drifted weights)
 *   turnover = ½ traded                      (one-way, fully invested → fully invested)
 *   cost     = c · traded,  c = costBps / 10⁴ (charged on every unit bought or sold)
 *   1 + r_t  = (1 − cost)(1 + gross_t)       (booked in the first period the new weights are held)
 */
import { RotationError } from '../errors.js';

/** Throws BT_BAD_COST unless costBps is a finite number in [0, 10⁴). */
export function checkCostBps(costBps: number): void {
  if (!(typeof costBps === 'number' && Number.isFinite(costBps) && costBps >= 0 && costBps < 1e4)) {
    throw new RotationError('BT_BAD_COST', `costBps must be a finite number in [0, 10000), got ${String(costBps)}`, { costBps: String(costBps) },
      'pass the proportional cost per unit traded in basis points, e.g. 10 for 0.1% per side');
  }
}

/** Cost rate c = costBps / 10⁴ (fraction of traded value). */
export function costRate(costBps: number): number {
  checkCostBps(costBps);
  return costBps / 1e4;
}

/** Traded value Σ_i |target_i − drifted_i| (buys + sells), as a fraction of portfolio value. */
export function tradedValue(target: ArrayLike<number>, drifted: ArrayLike<number>): number {
  if (target.length !== drifted.length) {
    throw new RotationError('BT_WEIGHTS_SHAPE', `target has ${target.length} weights, drifted ${drifted.length}`, {}, 'align both vectors on the same industries');
  }
  let s = 0;
  for (let i = 0; i < target.length; i++) s += Math.abs(target[i] - drifted[i]);
  return s;
}

/** One-way turnover ½ Σ_i |target_i − drifted_i|. */
export function oneWayTurnover(target: ArrayLike<number>, drifted: ArrayLike<number>): number {
  return tradedValue(target, drifted) / 2;
}

/** Proportional trade cost c · traded with c = costBps / 10⁴ (fraction of portfolio value). */
export function tradeCost(traded: number, costBps: number): number {
  return costRate(costBps) * traded;
}

/** Net period return after a cost booked in it: (1 − cost)(1 + gross) − 1. */
export function netOfCost(gross: number, cost: number): number {
  return (1 - cost) * (1 + gross) - 1;
}
