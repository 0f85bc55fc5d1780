/**
 * Tail metrics of a return series (per period: monthly for a month-end rebalanced backtest):
 * historical conditional value at risk and downside capture. Conventions are stated with each
 * function; both are reported as returns (a CVaR of −0.08 means the worst tail averaged −8% a period).
 */
import { RotationError } from '../errors.js';
import { checkReturns, checkSameLength } from './returns.js';

/**
 * Historical conditional value at risk (expected shortfall) at confidence c, as a return:
 *
 *   k = max(1, ⌈(1 − c) · T⌉),  CVaR_c = (1/k) Σ of the k lowest returns,
 *
 * i.e. the mean of the worst (1 − c) share of periods, at least one period (T = 120 months:
 * CVaR95 = mean of the 6 worst, CVaR99 = mean of the 2 worst). Negative = a loss. NaN when T = 0.
 * METRIC_BAD_ARGUMENT for c outside (0, 1).
 */
export function conditionalValueAtRisk(returns: ArrayLike<number>, confidence = 0.95): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RotationError('METRIC_BAD_ARGUMENT', `CVaR confidence must be in (0, 1), got ${confidence}`, { argument: 'confidence' }, 'e.g. 0.95 or 0.99');
  }
  checkReturns(returns, 'returns');
  const T = returns.length;
  if (T === 0) return NaN;
  const k = Math.max(1, Math.ceil((1 - confidence) * T - 1e-9));
  const sorted = Float64Array.from(returns).sort();
  let s = 0;
  for (let i = 0; i < k; i++) s += sorted[i];
  return s / k;
}

/**
 * Downside capture of r against b: the mean return of r in the periods where b fell, over the
 * mean return of b in those periods,
 *
 *   DC = mean{ r_t : b_t < 0 } / mean{ b_t : b_t < 0 }.
 *
 * DC < 1: the strategy loses less than the benchmark when it falls (1 for b itself). NaN when b
 * never fell. Same-length series (METRIC_LENGTH_MISMATCH otherwise).
 */
export function downsideCapture(r: ArrayLike<number>, b: ArrayLike<number>): number {
  checkSameLength(r, b);
  checkReturns(r, 'strategy returns');
  checkReturns(b, 'benchmark returns');
  let sr = 0, sb = 0, n = 0;
  for (let t = 0; t < b.length; t++) if (b[t] < 0) { sr += r[t]; sb += b[t]; n++; }
  return n > 0 ? sr / sb : NaN;
}
