/**
 * Target weight schedules: resolve a Panel or a list of `TargetWeights` onto the backtest's
 * industries and check the long-only, fully-invested invariants, naming the date and industry of
 * every violation.
 *
 *   w_i finite;  w_i >= −1e-12 (then clipped to 0);  |Σ_i w_i − 1| <= tolerance;
 *   the row is then rescaled to Σ_i w_i = 1 exactly.
 */
import { RotationError } from '../errors.js';
import { isIsoDate, type Panel } from '../panel/panel.js';
import type { NamedWeights, TargetWeights, WeightSchedule } from './types.js';

/** Negative weights down to −1e-12 are solver noise and clipped to 0; below that is an error. */
export const NEGATIVE_WEIGHT_TOLERANCE = 1e-12;
/** Default |Σ w − 1| tolerance. */
export const DEFAULT_WEIGHT_TOLERANCE = 1e-6;

/** A schedule aligned with a list of industries: one dense row per date, dates ascending. */
export interface ResolvedSchedule {
  dates: string[];
  /** rows[k][i] = weight of industries[i] at dates[k]. */
  rows: Float64Array[];
}

function isPanel(s: WeightSchedule): s is Panel {
  return !Array.isArray(s) && typeof s === 'object' && s !== null && 'values' in s && 'assets' in s;
}

function isNamed(w: TargetWeights['weights']): w is NamedWeights {
  return typeof w === 'object' && w !== null && Array.isArray((w as NamedWeights).industries) && 'weights' in w;
}

/**
 * Resolve a weight schedule onto `industries` (industries absent from an entry get 0; an industry
 * unknown to the close panel is allowed only with weight 0) and check it. `what` names the schedule in errors ('weights', 'benchmark weights').
 *
 * Errors: BT_BAD_DATE, BT_DUPLICATE_WEIGHTS (a date twice), BT_UNKNOWN_INDUSTRY (a non-zero weight on an
 * industry not in the close panel), BT_WEIGHTS_SHAPE, BT_WEIGHTS_NAN, BT_WEIGHTS_NEGATIVE (date and industry),
 * BT_WEIGHTS_SUM (date and sum), BT_NO_WEIGHTS (empty).
 */
export function resolveWeightSchedule(
  schedule: WeightSchedule,
  industries: readonly string[],
  what = 'weights',
  tolerance = DEFAULT_WEIGHT_TOLERANCE,
): ResolvedSchedule {
  const index = new Map(industries.map((a, i) => [a, i]));
  const N = industries.length;
  const entries: { date: string; row: Float64Array }[] = [];
  const unknown = new Set<string>();
  const nanCells: string[] = [];

  if (isPanel(schedule)) {
    const M = schedule.assets.length;
    const cols = schedule.assets.map((a) => index.get(a) ?? -1);
    for (let k = 0; k < schedule.dates.length; k++) {
      const row = new Float64Array(N);
      for (let j = 0; j < M; j++) {
        const v = schedule.values[k * M + j];
        if (!Number.isFinite(v)) nanCells.push(`${schedule.dates[k]} ${schedule.assets[j]}`);
        else if (cols[j] >= 0) row[cols[j]] = v;
        else if (v !== 0) unknown.add(schedule.assets[j]);
      }
      entries.push({ date: schedule.dates[k], row });
    }
  } else {
    for (let k = 0; k < schedule.length; k++) {
      const e = schedule[k];
      const row = new Float64Array(N);
      const put = (name: string, v: number): void => {
        const i = index.get(name);
        if (i === undefined) { if (v !== 0) unknown.add(name); return; }
        if (!Number.isFinite(v)) { nanCells.push(`${e.date} ${name}`); return; }
        row[i] += v;
      };
      if (isNamed(e.weights)) {
        const w = e.weights;
        if (w.industries.length !== w.weights.length) {
          throw new RotationError('BT_WEIGHTS_SHAPE', `${what} at ${e.date}: ${w.industries.length} industries but ${w.weights.length} weights`,
            { date: e.date, position: k }, 'pass one weight per industry');
        }
        if (new Set(w.industries).size !== w.industries.length) {
          throw new RotationError('BT_WEIGHTS_SHAPE', `${what} at ${e.date} name an industry twice`, { date: e.date, position: k },
            'list each industry once');
        }
        for (let j = 0; j < w.industries.length; j++) put(w.industries[j], w.weights[j]);
      } else {
        for (const [name, v] of Object.entries(e.weights)) put(name, v);
      }
      entries.push({ date: e.date, row });
    }
    entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  if (entries.length === 0) {
    throw new RotationError('BT_NO_WEIGHTS', `The ${what} schedule is empty`, { schedule: what }, 'pass target weights for at least one rebalance date');
  }
  for (let k = 0; k < entries.length; k++) {
    if (!isIsoDate(entries[k].date)) {
      throw new RotationError('BT_BAD_DATE', `${what}: unparseable date "${entries[k].date}"`, { position: k }, 'write dates as ISO yyyy-mm-dd');
    }
    if (k > 0 && entries[k].date === entries[k - 1].date) {
      throw new RotationError('BT_DUPLICATE_WEIGHTS', `${what}: two entries for ${entries[k].date}`, { date: entries[k].date },
        'give one weight vector per rebalance date');
    }
  }
  if (unknown.size) {
    throw new RotationError('BT_UNKNOWN_INDUSTRY', `${what} name ${unknown.size} industr${unknown.size === 1 ? 'y' : 'ies'} absent from the close panel`,
      { industries: [...unknown] }, 'weight only industries that have prices (close.assets)');
  }
  if (nanCells.length) {
    throw new RotationError('BT_WEIGHTS_NAN', `${what}: ${nanCells.length} weight(s) are NaN or infinite`, { cells: nanCells },
      'write 0 for industries not held (e.g. mapValues(weights, v => Number.isNaN(v) ? 0 : v)) and fix any NaN from the allocator');
  }

  const negatives: string[] = [];
  const negDates = new Set<string>();
  const badSums: string[] = [];
  const badSumDates: string[] = [];
  for (const { date, row } of entries) {
    let sum = 0;
    for (let i = 0; i < N; i++) {
      const v = row[i];
      if (v < -NEGATIVE_WEIGHT_TOLERANCE) { negatives.push(`${date} ${industries[i]} = ${v}`); negDates.add(date); }
      else if (v < 0) row[i] = 0;
      sum += row[i];
    }
    if (!(Math.abs(sum - 1) <= tolerance)) { badSums.push(`${date} sum = ${sum}`); badSumDates.push(date); }
  }
  if (negatives.length) {
    throw new RotationError('BT_WEIGHTS_NEGATIVE', `${what}: ${negatives.length} negative weight(s), first ${negatives[0]}`,
      { dates: [...negDates], cells: negatives }, 'the backtest is long-only: weights must be >= 0 (short books are not supported)');
  }
  if (badSums.length) {
    throw new RotationError('BT_WEIGHTS_SUM', `${what}: weights do not sum to 1 on ${badSums.length} date(s), first ${badSums[0]}`,
      { dates: badSumDates, sums: badSums, tolerance }, 'normalize each date\'s weights to sum to 1 (fully invested; hold cash explicitly is not supported)');
  }
  for (const { row } of entries) {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += row[i];
    for (let i = 0; i < N; i++) row[i] /= sum;
  }
  return { dates: entries.map((e) => e.date), rows: entries.map((e) => e.row) };
}
