/**
 * Alignment of a factor panel with a `ForwardReturns` object: the common dates (ascending) and
 * common assets (in the factor's order), the factor on them, and where each common date / asset
 * sits in the forward returns' level panel. The forward-return side is never copied.
 */
import { RotationError } from '../errors.js';
import { reindexTo, type Panel } from '../panel/panel.js';
import type { ForwardReturns } from './forwardReturns.js';

export interface EvaluationFrame {
  /** The factor on the common dates x common assets (the input itself when it already matches). */
  factor: Panel;
  /** rows[k] = row in fr.dates of the k-th common date. */
  rows: Int32Array;
  /** cols[j] = column in fr.assets of the j-th common asset; null when the assets are identical. */
  cols: Int32Array | null;
}

/**
 * Align `factor` to `fr`: dates = factor.dates ∩ fr.dates, assets = factor.assets ∩ fr.assets (the
 * factor's order). EVAL_NO_OVERLAP when either intersection is empty (naming what differs).
 */
export function alignFactor(factor: Panel, fr: ForwardReturns, what = 'factor'): EvaluationFrame {
  const frDate = new Map<string, number>();
  fr.dates.forEach((d, t) => frDate.set(d, t));
  const frAsset = new Map<string, number>();
  fr.assets.forEach((a, i) => frAsset.set(a, i));
  const dates = factor.dates.filter((d) => frDate.has(d));
  const assets = factor.assets.filter((a) => frAsset.has(a));
  if (dates.length === 0 || assets.length === 0) {
    const kind = dates.length === 0 ? 'dates' : 'assets';
    const mine = kind === 'dates' ? factor.dates : factor.assets;
    const theirs = kind === 'dates' ? fr.dates : fr.assets;
    throw new RotationError('EVAL_NO_OVERLAP', `The ${what} and the forward returns share no ${kind}`,
      {
        [`${what}First`]: mine[0], [`${what}Last`]: mine[mine.length - 1], [`${what}Count`]: mine.length,
        returnsFirst: theirs[0], returnsLast: theirs[theirs.length - 1], returnsCount: theirs.length,
      },
      kind === 'dates'
        ? 'compute the factor at the rebalance dates of the forward returns (same calendar), e.g. monthEndRebalanceDates(dataset.calendar)'
        : 'use the same universe (industry codes / stock codes) for the factor and the prices or returns');
  }
  const sameDates = dates.length === factor.dates.length;
  const sameAssets = assets.length === factor.assets.length;
  const f = sameDates && sameAssets ? factor : reindexTo(factor, dates, assets);
  const rows = new Int32Array(dates.length);
  for (let k = 0; k < dates.length; k++) rows[k] = frDate.get(dates[k])!;
  let identity = assets.length === fr.assets.length;
  const cols = new Int32Array(assets.length);
  for (let j = 0; j < assets.length; j++) {
    cols[j] = frAsset.get(assets[j])!;
    if (cols[j] !== j) identity = false;
  }
  return { factor: f, rows, cols: identity ? null : cols };
}

/** Reindex an auxiliary panel (e.g. cap weights) onto the frame's dates and assets (no copy when it matches). */
export function onFrame(p: Panel, frame: EvaluationFrame): Panel {
  const f = frame.factor;
  const same = p.dates.length === f.dates.length && p.assets.length === f.assets.length
    && p.dates.every((d, t) => d === f.dates[t]) && p.assets.every((a, i) => a === f.assets[i]);
  return same ? p : reindexTo(p, f.dates, f.assets);
}
