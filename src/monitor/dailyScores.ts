/**
 * Daily score monitoring: the model's composite and industry ranks at the close of each of the last
 * N trading days (`dailyScores`, src/model/score.ts: factors computed at the day, composite weights
 * of the last month end at or before it), and how the ranks moved since the last rebalance.
 * Rebalancing stays on the spec's calendar (monthly): this only watches the ranks between
 * rebalances.
 */
import { RotationError } from '../errors.js';
import { dailyScores, modelScore, type ScoreRow } from '../model/score.js';
import { rebalanceSchedule } from '../model/run.js';
import type { ModelContext } from '../model/context.js';
import type { ModelSpec } from '../model/spec.js';

export interface DailyScoreHistory {
  /** Trading days, ascending, ending at asOf. */
  dates: string[];
  /** Last rebalance date <= asOf (the spec's calendar). */
  lastRebalance: string;
  /** Ranked rows per date (aligned with `dates`). */
  rows: ScoreRow[][];
}

/**
 * Ranks of the last `days` trading days up to and including `asOf` (default 20), plus the last
 * rebalance date <= asOf, whose row set is always included (the history starts there when it is
 * further back). Errors: those of `dailyScores` (MODEL_NOT_TRADING_DAY, MODEL_NOT_SCORED),
 * MONITOR_BAD_DAYS (days not a whole number >= 1), MONITOR_NO_REBALANCE (no rebalance at or
 * before asOf).
 */
export function dailyScoreHistory(spec: ModelSpec, ctx: ModelContext, asOf: string, days = 20): DailyScoreHistory {
  if (!Number.isInteger(days) || days < 1) {
    throw new RotationError('MONITOR_BAD_DAYS', `days = ${days} must be a whole number >= 1`, { days }, 'pass e.g. 20 (about a month of trading days)');
  }
  const m = modelScore(spec, ctx);
  const reb = rebalanceSchedule(spec, m.scored).dates.filter((d) => d <= asOf);
  if (reb.length === 0) {
    throw new RotationError('MONITOR_NO_REBALANCE', `no rebalance date of "${spec.name}" at or before ${asOf}`, { asOf, firstScored: m.scored[0] ?? 'none' },
      `use a date on or after ${m.scored[0] ?? 'the first scored date'}`);
  }
  const last = reb[reb.length - 1];
  const cal = ctx.ds.calendar;
  const end = cal.indexOf(asOf);
  const from = Math.min(end >= 0 ? Math.max(0, end - days + 1) : 0, cal.indexOf(last));
  const dates = end >= 0 ? cal.slice(from, end + 1) : [asOf];
  return { dates, lastRebalance: last, rows: dailyScores(spec, ctx, dates, m) };
}

export interface RankMove {
  industry: string;
  name: string;
  /** Rank at the last rebalance and at asOf (1 = best; NaN unscored). */
  rankAtRebalance: number;
  rankNow: number;
  /** rankAtRebalance − rankNow: positive = moved up. */
  change: number;
  scoreAtRebalance: number;
  scoreNow: number;
}

/** Rank change per industry between the last rebalance and the last day of the history, biggest moves first. */
export function rankMovesSinceRebalance(h: DailyScoreHistory): RankMove[] {
  const then = h.rows[h.dates.indexOf(h.lastRebalance)], now = h.rows[h.rows.length - 1];
  const before = new Map(then.map((r) => [r.industry, r]));
  const out = now.map((r) => {
    const b = before.get(r.industry)!;
    return { industry: r.industry, name: r.name, rankAtRebalance: b.rank, rankNow: r.rank, change: b.rank - r.rank, scoreAtRebalance: b.score, scoreNow: r.score };
  });
  out.sort((a, b) => (Number.isNaN(a.change) ? 1 : 0) - (Number.isNaN(b.change) ? 1 : 0) || Math.abs(b.change) - Math.abs(a.change) || a.rankNow - b.rankNow);
  return out;
}

/** Long table of a history: one row per date and industry (date, industry, name, score, rank). */
export function dailyHistoryRows(h: DailyScoreHistory): ScoreRow[] {
  return h.rows.flat();
}
