/**
 * `rotation monitor`: the monitoring report of the model's factors as of a rebalance date
 * (src/monitor/report.ts): factor health with reasons, alert history, rolling 12M/36M IC and ICIR,
 * and the health timeline, written to `<out>/<dataset>/monitor_<date>/` (schemas: docs/outputs.md).
 */
import path from 'node:path';
import type { MarketDataset } from '../data/types.js';
import { factorStudy, type FactorStudy } from '../model/evidence.js';
import { specFactors } from '../model/score.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../model/files.js';
import type { ModelSpec } from '../model/spec.js';
import { alertSummary, healthCountRows, monitorReport, type MonitorReport } from '../monitor/report.js';
import { toCsv } from '../report/csv.js';
import { markdownTable } from '../report/table.js';
import { loadDataset } from './run.js';
import { runStages } from './progress.js';
import type { DataOptions } from './dataOptions.js';
import { commitOutputFolder, outputFolderName, type OutputFile } from './outputs.js';

export interface MonitorOptions {
  data: string;
  seed: number;
  /** A rebalance date, or 'latest'. */
  asOf: string;
  /** The model spec whose factors are monitored (default models/default.json). */
  model?: string;
  /** Loader options and factor minimum industries (the data flags). */
  dataOptions?: DataOptions;
  /** Output folder; files go to <out>/<dataset>/monitor_<date>/. */
  out: string;
  quiet: boolean;
}

/** The summary Markdown: counts, the health table, alert counts. */
function monitorMarkdown(r: MonitorReport): string {
  const f3 = { digits: 3 }, f2 = { digits: 2 };
  return [
    `# Factor monitor: ${r.dataset}, ${r.asOf}`, '',
    `Rules (minimum effect e = ${r.rules.minEffect} IC): low-ic raised when the ${r.rules.shortWindow}-IC mean < ${r.rules.lowIc} − e, cleared at >= ${r.rules.lowIc} + e; ` +
      `sign-flip raised when the ${r.rules.longWindow}-IC mean is beyond e on the other side of 0 from a long-run mean of at least e, cleared when back beyond e on its side; ` +
      `t-stat-drop raised when t over ${r.rules.longWindow} ICs < ${r.rules.minT} while the long-run t >= ${r.rules.significantT} and the mean fell by >= e, cleared at t >= ${r.rules.minT} + ${r.rules.tBand}. ` +
      `A raise or clear needs ${r.rules.confirm} consecutive dates; alerts are listed on the date they were raised. Only ICs known at each date are used.`, '',
    markdownTable(healthCountRows(r)), '',
    '## Health', '',
    markdownTable(r.health, { columns: ['factor', 'status', 'meanIcShort', 'meanIcLong', 'meanIcLongRun', 'tStatLong', 'reasons'],
      formats: { meanIcShort: f3, meanIcLong: f3, meanIcLongRun: f3, tStatLong: f2 } }), '',
    '## Alerts raised to date', '',
    markdownTable(alertSummary(r)), '',
  ].join('\n');
}

/** The report's files (module comment), not yet written. */
export function monitorFiles(r: MonitorReport, dir: string): OutputFile[] {
  const history = r.factors.flatMap((f) => r.history.dates.map((date, t) => ({ date, factor: f, status: r.history.status[f][t] })));
  return [
    { file: path.join(dir, 'monitor.md'), text: monitorMarkdown(r) },
    { file: path.join(dir, 'health.csv'), text: toCsv(r.health, ['date', 'factor', 'status', 'meanIcShort', 'meanIcLong', 'meanIcLongRun', 'tStatLong', 'reasons']) },
    { file: path.join(dir, 'alerts.csv'), text: toCsv(r.alerts, ['date', 'factor', 'alert', 'value', 'threshold']) },
    { file: path.join(dir, 'rolling_ic.csv'), text: toCsv(r.rolling, ['date', 'factor', 'window', 'n', 'meanIc', 'stdIc', 'icir', 'tStat']) },
    { file: path.join(dir, 'health_history.csv'), text: toCsv(history, ['date', 'factor', 'status']) },
  ];
}

/** `rotation monitor` (module comment). */
export async function monitorCommand(opts: MonitorOptions): Promise<{ report: MonitorReport; dir: string }> {
  const s: { ds?: MarketDataset; spec?: ModelSpec; study?: FactorStudy; report?: MonitorReport; dir?: string } = {};
  await runStages([
    { name: `load data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data}) and the model spec`, run: async () => {
      s.spec = loadModelSpec(opts.model ?? DEFAULT_MODEL_FILE);
      s.ds = await loadDataset(opts.data, opts.seed, opts.dataOptions?.load);
    } },
    { name: 'the spec\'s factors and their rank ICs', run: () => { s.study = factorStudy(s.ds!, [s.spec!.composite.horizon], s.spec!.calendar.frequency, { minIndustries: opts.dataOptions?.minIndustries }); } },
    { name: 'rolling ICs, alerts and factor health', run: () => {
      s.report = monitorReport(s.study!, { asOf: opts.asOf === 'latest' ? undefined : opts.asOf, factors: specFactors(s.spec!, s.study!).ids, horizon: s.spec!.composite.horizon });
    } },
    { name: 'write the monitor report', run: () => {
      s.dir = path.join(opts.out, outputFolderName(opts.data, s.ds!.name), `monitor_${s.report!.asOf}`);
      const dir = s.dir;
      commitOutputFolder(dir, monitorFiles(s.report!, dir).map((f) => ({ name: path.relative(dir, f.file).split(path.sep).join('/'), text: f.text })));
    } },
  ], opts.quiet);
  const r = s.report!;
  const counts = healthCountRows(r).filter((c) => c.factors > 0).map((c) => `${c.factors} ${c.status}`).join(', ');
  console.log(`monitor: ${r.dataset} ${r.asOf}: ${r.factors.length} factors (${counts}) → ${s.dir}/`);
  if (!opts.quiet) {
    for (const h of r.health.filter((x) => x.status === 'failed' || x.status === 'weakening')) console.log(`  ${h.status.padEnd(9)} ${h.factor}: ${h.reasons}`);
  }
  return { report: r, dir: s.dir! };
}
