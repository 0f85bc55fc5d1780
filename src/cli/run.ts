/**
 * `rotation run`: the whole research pipeline on one dataset — load, coverage and loss report,
 * factor library, preprocessing, evaluation, composite, allocation (model and every baseline),
 * backtest, tear sheet — with progress, writing its outputs under `<out>/<dataset>/`
 * (schemas: docs/outputs.md). Every file is computed before any is written (outputs.ts).
 */
import path from 'node:path';
import { RotationError } from '../errors.js';
import { simulateMarket } from '../data/simulator.js';
import { loadCiticIndustry, loadExportsDir } from '../data/citic.js';
import { hasSharedData, sharedDataDir } from '../data/paths.js';
import { monthEndRebalanceDates } from '../data/calendar.js';
import { coverageHeadline, datasetSummary, industryCoverage, rebalanceSummary } from '../data/coverage.js';
import { formatLossReport, totalDropped } from '../data/loss.js';
import type { MarketDataset } from '../data/types.js';
import { toCsv } from '../report/csv.js';
import { markdownTable } from '../report/table.js';
import { lossReportRows } from '../data/summary.js';
import { factorStudy, leaderboardAt, type FactorStudy } from '../evaluate/study.js';
import { industryCap } from '../factors/aggregate.js';
import { preprocessFactors, preprocessingRows } from '../factors/library.js';
import { allocationStudy, allocationSummary, causalComposite, type AllocationRun } from '../portfolio/study.js';
import { loadSolver, type Solver } from '../portfolio/optimizer.js';
import { backtestRuns, comparisonRows, HEADLINE_METRICS, STUDY_SPLIT, trialSharpes } from '../backtest/study.js';
import type { BacktestResult } from '../backtest/types.js';
import { buildTearSheet, writeTearSheetHtml } from '../report/tearsheet.js';
import type { Panel } from '../panel/panel.js';
import { checkWritable, writeOutputs, type OutputFile } from './outputs.js';
import { runStages } from './progress.js';

export interface RunOptions {
  data: string;
  seed: number;
  out: string;
  quiet: boolean;
}

/** Load the dataset named by --data: "sim" (simulator with `seed`), "citic" (shared CITIC L1), or a folder of exports. */
export function loadDataset(data: string, seed: number): MarketDataset {
  if (data === 'sim') return simulateMarket({ seed }).dataset;
  if (data === 'citic') {
    if (!hasSharedData('citic_l1_industry')) {
      throw new RotationError('RUN_NO_SHARED_DATA', 'The CITIC data folder was not found', { tried: path.join(sharedDataDir(), 'citic_l1_industry') },
        'place the shared data beside the project (../shared/data) or set ROTATION_SHARED_DATA');
    }
    return loadCiticIndustry(undefined, { extendCloseWithWide: true });
  }
  return loadExportsDir(path.resolve(data));
}

/** Folder name of a dataset: lower case, non-alphanumerics to '_'. */
export function datasetSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** Long form of a panel: one row per non-NaN cell. */
function longRows(p: Panel, value: string, extra: Record<string, string> = {}): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  const N = p.assets.length;
  for (let t = 0; t < p.dates.length; t++) {
    for (let i = 0; i < N; i++) {
      const v = p.values[t * N + i];
      if (!Number.isNaN(v)) rows.push({ ...extra, date: p.dates[t], industry: p.assets[i], [value]: v });
    }
  }
  return rows;
}

/** The summary.md text: universe, calendar, coverage, loss reports, caveats. */
function summaryMarkdown(d: MarketDataset, rebalance: readonly string[]): string {
  return [
    `# ${d.name}`, '',
    markdownTable([datasetSummary(d)], { formats: { tradingDaysPerYear: { digits: 1 } } }), '',
    markdownTable([rebalanceSummary(rebalance, 12)]), '',
    markdownTable([coverageHeadline(d)], { formats: { 'median missing share': { percent: true, digits: 1 }, 'max missing share': { percent: true, digits: 1 } } }), '',
    '## Loss reports', '', ...d.losses.map((l) => `- ${formatLossReport(l)}`), '',
    '## Caveats', '', ...d.caveats.map((c) => `- ${c}`), '',
  ].join('\n');
}

/** Loss report rows, one per (stage, reason). */
function lossRows(d: MarketDataset): Record<string, string | number>[] {
  return d.losses.flatMap((l) => {
    const reasons = Object.entries(l.dropped);
    const base = { stage: l.stage, source: l.source, rows_read: l.rowsRead, rows_kept: l.rowsKept, dropped_total: totalDropped(l) };
    return reasons.length ? reasons.map(([reason, n]) => ({ ...base, reason, dropped: n })) : [{ ...base, reason: '', dropped: 0 }];
  });
}

interface RunState {
  ds?: MarketDataset;
  solver?: Solver;
  outDir: string;
  study?: FactorStudy;
  score?: Panel;
  runs?: AllocationRun[];
  bts?: BacktestResult[];
  files: OutputFile[];
}

export async function runPipeline(opts: RunOptions): Promise<void> {
  const s: RunState = { outDir: '', files: [] };
  const add = (name: string, text: string) => s.files.push({ file: path.join(s.outDir, name), text });
  const stages = [
    { name: `load data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data})`, run: async () => {
      s.ds = loadDataset(opts.data, opts.seed);
      s.outDir = path.resolve(opts.out, datasetSlug(s.ds.name));
      checkWritable(path.join(s.outDir, 'summary.md'));
      s.solver = await loadSolver();
    } },
    { name: 'coverage, calendar and loss report', run: () => {
      const d = s.ds!, rebalance = monthEndRebalanceDates(d.calendar);
      add('summary.md', summaryMarkdown(d, rebalance));
      add('coverage.csv', toCsv(industryCoverage(d), ['asset', 'name', 'first', 'last', 'valid', 'missingShare', 'gapShare']));
      add('loss_report.csv', toCsv(lossRows(d), ['stage', 'source', 'rows_read', 'rows_kept', 'dropped_total', 'reason', 'dropped']));
      add('rebalance_dates.csv', toCsv(rebalance.map((date) => ({ date })), ['date']));
    } },
    { name: 'factor library at month ends, evaluated at 1M/3M/6M', run: () => {
      const study = factorStudy(s.ds!);
      s.study = study;
      const rows = [...study.batch.results].flatMap(([id, r]) => longRows(r.panel, 'value', { factor: id }));
      add('factors.csv', toCsv(rows, ['date', 'industry', 'factor', 'value']));
      add('factor_loss_report.csv', toCsv(lossReportRows([...study.batch.results.values()].map((r) => r.loss)), ['stage', 'source', 'read', 'kept', 'dropped', 'reasons', 'balanced']));
      add('factors_unavailable.csv', toCsv(study.batch.unavailable.map((u) => ({ factor: u.id, missing: u.missing.join(' ') })), ['factor', 'missing']));
      add('ic_summary.csv', toCsv(['1M', '3M', '6M'].flatMap((h) => leaderboardAt(study, h)),
        ['factor', 'horizon', 'ic', 'icir', 'rankIc', 'rankIcir', 't', 'tNeweyWest', 'pValueNeweyWest', 'winRate', 'meanSpread', 'longShortAnnualized', 'topTurnover', 'dates']));
    } },
    { name: 'preprocessing (MAD winsorize, z-score, cap neutralization where caps exist)', run: () => {
      const d = s.ds!, batch = s.study!.batch;
      const cap = d.stocks?.bars.floatCap ? industryCap(d, s.study!.dates).panel : undefined;
      const pre = preprocessFactors(batch, [
        { step: 'winsorize', method: 'mad', k: 3 }, { step: 'standardize', method: 'zscore' }, ...(cap ? [{ step: 'neutralize' as const, cap: true }] : []),
      ], cap ? { cap } : {});
      add('preprocessing.csv', toCsv(preprocessingRows(batch, pre)));
    } },
    { name: 'causal composite score (expanding ICIR weights)', run: () => {
      s.score = causalComposite(s.study!);
      add('composite.csv', toCsv(longRows(s.score, 'score'), ['date', 'industry', 'score']));
    } },
    { name: 'allocation: model and every baseline, walked month by month', run: () => {
      const a = allocationStudy(s.ds!, s.score!, s.solver!, opts.seed);
      s.runs = a.runs;
      add('weights.csv', toCsv(a.runs.flatMap((r) => longRows(r.weights, 'weight', { strategy: r.name }).filter((x) => (x.weight as number) > 0)),
        ['strategy', 'date', 'industry', 'weight']));
      add('allocation_summary.csv', toCsv(allocationSummary(a.runs)));
    } },
    { name: 'backtest (daily, 10 bps, vs equal weight)', run: () => {
      s.bts = backtestRuns(s.ds!, s.runs!);
      add('performance.csv', toCsv(comparisonRows(s.bts), ['strategy', ...HEADLINE_METRICS]));
    } },
    { name: 'write outputs and the tear sheet', run: () => {
      writeOutputs(s.files);
      const sheet = buildTearSheet(s.bts!, { title: `Industry rotation: model vs baselines — ${s.ds!.name}`, split: STUDY_SPLIT, trials: trialSharpes(s.bts!), notes: s.ds!.caveats });
      writeTearSheetHtml(sheet, path.join(s.outDir, 'tearsheet.html'));
    } },
  ];
  const seconds = await runStages(stages, opts.quiet);
  const model = comparisonRows(s.bts!).find((r) => r.strategy === 'model: top-5');
  const pct = (x: unknown) => `${(100 * Number(x)).toFixed(1)}%`;
  console.log(`run: ${s.ds!.name}: ${stages.length} stages in ${seconds.toFixed(1)} s; model top-5 excess CAGR ${pct(model?.excessCagr)}, IR ${Number(model?.informationRatio).toFixed(2)}; ` +
    `outputs in ${path.relative(process.cwd(), s.outDir) || s.outDir}/`);
}
