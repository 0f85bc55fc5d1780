/**
 * `rotation run`: the whole research pipeline on one dataset — load, coverage and loss report,
 * factor library, preprocessing, evaluation, composite, allocation (model and every baseline),
 * backtest, tear sheet — with progress, writing its outputs under `<out>/<dataset>/`
 * (schemas: docs/outputs.md). Every file is computed before any is written (outputs.ts).
 */
import path from 'node:path';
import { simulateMarket } from '../data/simulator.js';
import { loadNamedDataset } from '../data/datasets.js';
import { monthEndRebalanceDates } from '../data/calendar.js';
import { coverageHeadline, datasetSummary, industryCoverage, rebalanceSummary } from '../data/coverage.js';
import { formatLossReport, totalDropped } from '../data/loss.js';
import type { MarketDataset } from '../data/types.js';
import { panelsToLongCsv, toCsv, type LongCsvBlock } from '../report/csv.js';
import { markdownTable } from '../report/table.js';
import { lossReportRows, lossSummaryRows, type LossSummaryRow } from '../data/summary.js';
import type { LoadOptions } from '../data/citic.js';
import type { DataOptions } from './dataOptions.js';
import { leaderboardAt } from '../studies/factorTesting.js';
import type { FactorStudy } from '../model/evidence.js';
import { industryLevelContext, modelContext, type ModelContext } from '../model/context.js';
import { modelScore } from '../model/score.js';
import type { ModelSpec } from '../model/spec.js';
import type { ModelRun } from '../model/run.js';
import { DEFAULT_MODEL_FILE, loadComparisonSpecs, loadModelSpec, strategySet } from '../model/files.js';
import { appendRunLog, experimentRecord, readRunLog, recordJson, runLogLine, softwareVersion, type ExperimentRecord } from '../model/record.js';
import { industryCap } from '../factors/aggregate.js';
import { preprocessFactors, preprocessingRows } from '../factors/library.js';
import { allocationStudy, allocationSummary, type AllocationRun } from '../studies/modeling.js';
import { loadSolver, type Solver } from '../portfolio/optimizer.js';
import { defaultWalkPool, type WalkPool } from '../model/walkPool.js';
import { backtestRuns, HEADLINE_METRICS, PERFORMANCE_SIGNIFICANCE_COLUMNS, performanceRows, runLogTrials } from '../studies/validation.js';
import type { BacktestResult } from '../backtest/types.js';
import { buildTearSheet, tearSheetHtml } from '../report/tearsheet.js';
import { industryNames } from '../report/figures.js';
import type { Panel } from '../panel/panel.js';
import { acquireOutputLock, commitOutputFolder, outputFolderName, outputSlug, type OutputFolderFile, type OutputLock } from './outputs.js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { runStages } from './progress.js';
import { collectGarbage } from './gc.js';

export interface RunOptions {
  data: string;
  seed: number;
  out: string;
  quiet: boolean;
  /** The model spec file (default models/default.json); the comparison set (models/comparison.json) runs beside it. */
  model?: string;
  /** Loader options, factor minimum industries and the backtest gap policy (the data flags). */
  dataOptions?: DataOptions;
}

/**
 * Load the dataset named by --data (src/data/datasets.ts): "sim" (simulator with `seed`), "citic"
 * (shared CITIC L1 with the Wind PE), "sw" (Shenwan L1 with the Wind PE), "french49" etc. (the
 * French industry files, monthly), or a folder of exports, with the data flags' loader options.
 */
export function loadDataset(data: string, seed: number, load: LoadOptions = {}): Promise<MarketDataset> {
  return loadNamedDataset(data, { seed, load });
}

/** Folder name of a dataset name: lower case, non-alphanumerics to '_' (outputs.ts outputSlug). */
export function datasetSlug(name: string): string {
  return outputSlug(name);
}

/** Long CSV of industry panels (`panelsToLongCsv` with the asset column named 'industry'). */
function industryLongCsv(blocks: readonly LongCsvBlock[], columns: readonly string[], valueColumn: string, positiveOnly = false): string {
  return panelsToLongCsv(blocks, columns, { valueColumn, assetColumn: 'industry', positiveOnly });
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

/**
 * The experiment records of earlier runs in the dataset folder (runs/<hash>/ of specs this run does
 * not run), carried into the new folder so that a run replaces only its own records.
 */
function earlierRecords(outDir: string, current: ReadonlySet<string>): OutputFolderFile[] {
  const runs = path.join(outDir, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).sort().filter((h) => !current.has(h)).flatMap((h) =>
    readdirSync(path.join(runs, h)).sort().map((f) => ({ name: `runs/${h}/${f}`, text: readFileSync(path.join(runs, h, f), 'utf8') })));
}

interface RunState {
  ds?: MarketDataset;
  solver?: Solver;
  ctx?: ModelContext;
  specs?: ModelSpec[];
  records?: ExperimentRecord[];
  outDir: string;
  study?: FactorStudy;
  score?: Panel;
  runs?: AllocationRun[];
  standalone?: ModelRun[];
  lossSummary?: LossSummaryRow[];
  bts?: BacktestResult[];
  files: OutputFolderFile[];
  lock?: OutputLock;
}

export async function runPipeline(opts: RunOptions): Promise<void> {
  const s: RunState = { outDir: '', files: [] };
  const add = (name: string, text: string) => s.files.push({ name, text });
  let walkPool: WalkPool | undefined;
  const stages = [
    { name: `load data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data})`, run: async () => {
      s.specs = strategySet(loadModelSpec(opts.model ?? DEFAULT_MODEL_FILE), loadComparisonSpecs());
      s.ds = await loadDataset(opts.data, opts.seed, opts.dataOptions?.load);
      s.outDir = path.resolve(opts.out, outputFolderName(opts.data, s.ds.name));
      s.lock = acquireOutputLock(s.outDir, { command: `run --data ${opts.data}` });
      s.solver = await loadSolver();
      s.ctx = modelContext(s.ds, { solver: s.solver, gapPolicy: opts.dataOptions?.gapPolicy, minIndustries: opts.dataOptions?.minIndustries });
    } },
    { name: 'coverage, calendar and loss report', run: () => {
      const d = s.ds!, rebalance = monthEndRebalanceDates(d.calendar);
      add('summary.md', summaryMarkdown(d, rebalance));
      add('coverage.csv', toCsv(industryCoverage(d), ['asset', 'name', 'first', 'last', 'valid', 'missingShare', 'gapShare']));
      add('loss_report.csv', toCsv(lossRows(d), ['stage', 'source', 'rows_read', 'rows_kept', 'dropped_total', 'reason', 'dropped']));
      add('rebalance_dates.csv', toCsv(rebalance.map((date) => ({ date })), ['date']));
    } },
    { name: 'factor library at month ends, evaluated at 1M/3M/6M', run: () => {
      const study = s.ctx!.study(s.specs![0].calendar.frequency);
      s.study = study;
      add('factors.csv', industryLongCsv([...study.batch.results].map(([id, r]) => ({ panel: r.panel, fixed: { factor: id } })),
        ['date', 'industry', 'factor', 'value'], 'value'));
      add('factor_loss_report.csv', toCsv(lossReportRows([...study.batch.results.values()].map((r) => r.loss)), ['stage', 'source', 'read', 'kept', 'dropped', 'reasons', 'balanced']));
      add('factors_unavailable.csv', toCsv(study.batch.unavailable.map((u) => ({ factor: u.id, missing: u.missing.join(' '), reason: u.reason ?? '' })), ['factor', 'missing', 'reason']));
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
      // The stages below read the industry level only: keep the factor studies of every spec's
      // calendar and drop the stock-level data (~200 MB of the default market) before the walks.
      // From 20 industries a walk worker (defaultWalkPool) starts now, after the drop, and loads
      // while the composite is computed: its memory is not added to the factor stage's peak.
      walkPool = defaultWalkPool(s.ds!.industries.length);
      s.ctx = industryLevelContext(s.ctx!, [...new Set(s.specs!.map((spec) => spec.calendar.frequency))], { walkPool });
      s.ds = s.ctx.ds;
    } },
    { name: 'causal composite score of the model spec', run: () => {
      collectGarbage(); // frees the stock-level data the last stage dropped, before anything else is allocated (gc.ts)
      s.score = modelScore(s.specs![0], s.ctx!).score;
      add('composite.csv', industryLongCsv([{ panel: s.score }], ['date', 'industry', 'score'], 'score'));
    } },
    { name: 'allocation: model and every baseline, walked month by month', run: () => {
      const a = allocationStudy(s.ctx!, s.specs!);
      s.runs = a.runs;
      s.standalone = a.standalone;
      add('weights.csv', industryLongCsv(a.runs.map((r) => ({ panel: r.weights, fixed: { strategy: r.name } })),
        ['strategy', 'date', 'industry', 'weight'], 'weight', true));
      add('allocation_summary.csv', toCsv(allocationSummary(a.runs)));
    } },
    { name: 'backtest (daily, each spec\'s costs, vs equal weight) and experiment records', run: () => {
      s.bts = backtestRuns(s.runs!);
      add('performance.csv', toCsv(performanceRows(s.runs!, s.specs![0].split), ['strategy', ...HEADLINE_METRICS, 'window', ...PERFORMANCE_SIGNIFICANCE_COLUMNS, 'bestBaseline']));
      s.lossSummary = lossSummaryRows([...s.ds!.losses, ...s.bts.map((b) => b.gapLoss)]);
      add('loss_summary.csv', toCsv(s.lossSummary, ['stage', 'source', 'reason', 'dropped', 'masked', 'carried', 'frozen', 'cut', 'flagged', 'share']));
      const software = softwareVersion();
      s.records = s.standalone!.map((r) => experimentRecord(r, s.ds!, software));
      for (const [k, rec] of s.records.entries()) {
        const dir = `runs/${rec.specHash}`, run = s.standalone![k];
        add(`${dir}/record.json`, recordJson(rec));
        add(`${dir}/scores.csv`, industryLongCsv([{ panel: run.score.score }], ['date', 'industry', 'score'], 'score'));
        add(`${dir}/weights.csv`, industryLongCsv([{ panel: run.weights }], ['date', 'industry', 'weight'], 'weight', true));
        add(`${dir}/returns.csv`, toCsv(Array.from(run.backtest.dates, (date, t) => ({ date, strategy: run.backtest.returns[t], benchmark: run.backtest.benchmarkReturns[t] })), ['date', 'strategy', 'benchmark']));
      }
    } },
    { name: 'write outputs, the tear sheet and the run log', run: () => {
      // trials of the deflated active Sharpe: distinct specs tried on these data (run log, plus this run's)
      const dataHash = s.records![0].data.contentHash;
      const tried = new Set([...readRunLog(path.resolve(opts.out)).filter((l) => l.dataHash === dataHash).map((l) => l.specHash), ...s.records!.map((r) => r.specHash)]).size;
      const sheet = buildTearSheet(s.bts!, { title: `Industry rotation: model vs baselines — ${s.ds!.name}`, split: s.specs![0].split,
        trials: runLogTrials(s.bts!, tried), trialsSource: 'from the run log', baselines: s.runs!.filter((r) => r.kind === 'baseline').map((r) => r.name),
        notes: s.ds!.caveats, names: industryNames(s.ds!.industries) });
      add('tearsheet.html', tearSheetHtml(sheet).html);
      s.files.push(...earlierRecords(s.outDir, new Set(s.records!.map((r) => r.specHash))));
      commitOutputFolder(s.outDir, s.files, { lock: s.lock, meta: { command: 'run' } });
      const time = new Date().toISOString();
      appendRunLog(path.resolve(opts.out), s.records!.map((r) => runLogLine(r, path.basename(s.outDir), time)));
    } },
  ];
  let seconds: number;
  try {
    seconds = await runStages(stages, opts.quiet);
  } finally {
    s.lock?.release();
    await walkPool?.close();
  }
  const head = s.records![0].windows[0];
  const log = readRunLog(path.resolve(opts.out)).filter((l) => l.dataHash === s.records![0].data.contentHash);
  const pct = (x: unknown) => `${(100 * Number(x)).toFixed(1)}%`;
  const lost = s.lossSummary!.filter((r) => r.reason !== '');
  if (lost.length) {
    console.log('loss summary (dropped / masked / carried / frozen / flagged, per file and reason; loss_summary.csv):');
    for (const r of lost) console.log(`  ${r.source}: ${r.reason}: ${[r.dropped, r.masked, r.carried, r.frozen, r.flagged].join(' / ')}`);
  }
  const t = head.significance.t;
  console.log(`run: ${s.ds!.name}: ${stages.length} stages in ${seconds.toFixed(1)} s; ${s.specs![0].name} [${s.records![0].specHash}] ${head.first}..${head.last}: excess CAGR ${pct(head.metrics.excessCagr)}, IR ${Number(head.metrics.informationRatio).toFixed(2)}, ` +
    `t ${t === null ? 'n/a' : t.toFixed(2)} (mean active return per rebalance period); ${new Set(log.map((l) => l.specHash)).size} specs tried on these data (run log); ` +
    `outputs in ${path.relative(process.cwd(), s.outDir) || s.outDir}/`);
}
