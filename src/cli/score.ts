/**
 * `rotation score --asof D`: the model's composite score and industry ranks at the close of any
 * trading day D (src/model/score.ts daily rule: factors computed at D, composite weights of the
 * last month end <= D), with the rank change of each industry since the last rebalance; written
 * to `results/<dataset>/scores_<D>.csv` (or --out). A non-trading day is MODEL_NOT_TRADING_DAY,
 * naming the nearest trading days. Rebalancing itself stays on the spec's calendar.
 */
import path from 'node:path';
import type { MarketDataset } from '../data/types.js';
import { modelContext } from '../model/context.js';
import { scoreModel } from '../model/score.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../model/files.js';
import { specHash, type ModelSpec } from '../model/spec.js';
import { dailyScoreHistory, rankMovesSinceRebalance, type RankMove } from '../monitor/dailyScores.js';
import { toCsv } from '../report/csv.js';
import { loadDataset } from './run.js';
import { runStages } from './progress.js';
import type { ModelCommandOptions } from './deploy.js';
import { outputFolderName, outputSlug, writeOutputs } from './outputs.js';

/** asOf: a trading day YYYY-MM-DD, or 'latest' (the last scored month end); out: default results/<dataset>/scores_<date>.csv (a non-default spec adds its name). */
export type ScoreOptions = ModelCommandOptions;

export const SCORE_COLUMNS = ['date', 'industry', 'name', 'score', 'rank', 'lastRebalance', 'rankAtRebalance', 'rankChange'];

/** `rotation score` (module comment). */
export async function scoreCommand(opts: ScoreOptions): Promise<{ file: string; rows: Record<string, string | number>[] }> {
  const s: { ds?: MarketDataset; spec?: ModelSpec; rows?: Record<string, string | number>[]; moves?: RankMove[]; last?: string; file?: string } = {};
  await runStages([
    { name: `load the model spec and the data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data})`, run: async () => {
      s.spec = loadModelSpec(opts.model ?? DEFAULT_MODEL_FILE);
      s.ds = await loadDataset(opts.data, opts.seed, opts.dataOptions?.load);
    } },
    { name: 'factors at the day, the composite and the ranks since the last rebalance', run: () => {
      const ctx = modelContext(s.ds!, { minIndustries: opts.dataOptions?.minIndustries });
      const day = opts.asOf === 'latest' ? scoreModel(s.spec!, ctx, 'latest')[0].date : opts.asOf;
      scoreModel(s.spec!, ctx, day); // named errors first (bad date, non-trading day, warm-up)
      const h = dailyScoreHistory(s.spec!, ctx, day, 1);
      s.last = h.lastRebalance;
      s.moves = rankMovesSinceRebalance(h);
      const move = new Map(s.moves.map((m) => [m.industry, m]));
      s.rows = h.rows[h.rows.length - 1].map((r) => ({ ...r, lastRebalance: h.lastRebalance, rankAtRebalance: move.get(r.industry)!.rankAtRebalance, rankChange: move.get(r.industry)!.change }));
    } },
    { name: 'write scores', run: () => {
      const isDefault = path.resolve(opts.model ?? DEFAULT_MODEL_FILE) === path.resolve(DEFAULT_MODEL_FILE);
      s.file = opts.out ?? path.join('results', outputFolderName(opts.data, s.ds!.name), `scores_${s.rows![0].date}${isDefault ? '' : `_${outputSlug(s.spec!.name)}`}.csv`);
      writeOutputs([{ file: s.file, text: toCsv(s.rows!, SCORE_COLUMNS) }]);
    } },
  ], opts.quiet);
  const rows = s.rows!;
  console.log(`score: ${s.ds!.name} ${rows[0].date} (${s.spec!.name} [${specHash(s.spec!)}]), last rebalance ${s.last}: ${rows.filter((r) => Number.isFinite(r.rank as number)).length} industries ranked → ${s.file}`);
  if (!opts.quiet) {
    for (const r of rows.filter((x) => Number.isFinite(x.rank as number)).slice(0, 10)) {
      const ch = r.rankChange as number;
      console.log(`  ${String(r.rank).padStart(2)}  ${r.industry}  ${r.name}  ${(r.score as number).toFixed(3)}  (${Number.isNaN(ch) ? 'new' : ch === 0 ? 'unchanged' : ch > 0 ? `up ${ch}` : `down ${-ch}`} since ${s.last})`);
    }
  }
  return { file: s.file!, rows };
}
