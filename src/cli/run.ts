/**
 * `rotation run`: the whole research pipeline on one dataset, with progress, writing its
 * outputs under `<out>/<dataset>/`. Each stage added by the project extends this list.
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
import { toCsv, writeFileAtomic } from '../report/csv.js';
import { markdownTable } from '../report/table.js';
import { computeFactors } from '../factors/registry.js';
import { lossReportRows } from '../data/summary.js';

export interface RunOptions {
  data: string;
  seed: number;
  out: string;
  quiet: boolean;
}

interface Stage {
  name: string;
  run: () => void;
}

/** Load the dataset named by --data. */
export function loadDataset(data: string, seed: number): MarketDataset {
  if (data === 'sim') return simulateMarket({ seed }).dataset;
  if (data === 'citic') {
    if (!hasSharedData('citic_l1_industry')) {
      throw new RotationError('RUN_NO_SHARED_DATA', 'The CITIC data folder was not found', { tried: path.join(sharedDataDir(), 'citic_l1_industry') },
        'place the shared data beside the project (../shared/data) or set ROTATION_SHARED_DATA');
    }
    return loadCiticIndustry();
  }
  return loadExportsDir(path.resolve(data));
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

export async function runPipeline(opts: RunOptions): Promise<void> {
  const log = (s: string) => { if (!opts.quiet) console.log(s); };
  let ds: MarketDataset | undefined;
  let outDir = '';
  const stages: Stage[] = [
    { name: `load data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data})`, run: () => { ds = loadDataset(opts.data, opts.seed); } },
    {
      name: 'coverage, calendar and loss report',
      run: () => {
        const d = ds!;
        outDir = path.resolve(opts.out, slug(d.name));
        const rebalance = monthEndRebalanceDates(d.calendar);
        const summary = [
          `# ${d.name}`, '',
          markdownTable([datasetSummary(d)], { formats: { tradingDaysPerYear: { digits: 1 } } }), '',
          markdownTable([rebalanceSummary(rebalance, 12)]), '',
          markdownTable([coverageHeadline(d)], { formats: { 'median missing share': { percent: true, digits: 1 }, 'max missing share': { percent: true, digits: 1 } } }), '',
          '## Loss reports', '', ...d.losses.map((l) => `- ${formatLossReport(l)}`), '',
          '## Caveats', '', ...d.caveats.map((c) => `- ${c}`), '',
        ].join('\n');
        writeFileAtomic(path.join(outDir, 'summary.md'), summary);
        writeFileAtomic(path.join(outDir, 'coverage.csv'), toCsv(industryCoverage(d), ['asset', 'name', 'first', 'last', 'valid', 'missingShare', 'gapShare']));
        writeFileAtomic(path.join(outDir, 'loss_report.csv'), toCsv(d.losses.flatMap((l) => {
          const reasons = Object.entries(l.dropped);
          const base = { stage: l.stage, source: l.source, rows_read: l.rowsRead, rows_kept: l.rowsKept, dropped_total: totalDropped(l) };
          return reasons.length ? reasons.map(([reason, n]) => ({ ...base, reason, dropped: n })) : [{ ...base, reason: '', dropped: 0 }];
        }), ['stage', 'source', 'rows_read', 'rows_kept', 'dropped_total', 'reason', 'dropped']));
        writeFileAtomic(path.join(outDir, 'rebalance_dates.csv'), toCsv(rebalance.map((date) => ({ date })), ['date']));
      },
    },
    {
      name: 'industry factor library at month ends',
      run: () => {
        const d = ds!;
        const batch = computeFactors(d, monthEndRebalanceDates(d.calendar));
        const rows: { date: string; industry: string; factor: string; value: number }[] = [];
        for (const [id, r] of batch.results) {
          const p = r.panel, N = p.assets.length;
          for (let t = 0; t < p.dates.length; t++) {
            for (let i = 0; i < N; i++) {
              const v = p.values[t * N + i];
              if (!Number.isNaN(v)) rows.push({ date: p.dates[t], industry: p.assets[i], factor: id, value: v });
            }
          }
        }
        writeFileAtomic(path.join(outDir, 'factors.csv'), toCsv(rows, ['date', 'industry', 'factor', 'value']));
        writeFileAtomic(path.join(outDir, 'factor_loss_report.csv'), toCsv(lossReportRows([...batch.results.values()].map((r) => r.loss)), ['stage', 'source', 'read', 'kept', 'dropped', 'reasons', 'balanced']));
        writeFileAtomic(path.join(outDir, 'factors_unavailable.csv'), toCsv(batch.unavailable.map((u) => ({ factor: u.id, missing: u.missing.join(' ') })), ['factor', 'missing']));
        if (!opts.quiet) process.stdout.write(`${batch.results.size} factors, ${batch.unavailable.length} unavailable ... `);
      },
    },
  ];
  const t0 = Date.now();
  for (const [k, s] of stages.entries()) {
    const ts = Date.now();
    if (!opts.quiet) process.stdout.write(`[${k + 1}/${stages.length}] ${s.name} ... `);
    s.run();
    log(`done (${((Date.now() - ts) / 1000).toFixed(1)} s)`);
  }
  console.log(`run: ${ds!.name}: ${stages.length} stages in ${((Date.now() - t0) / 1000).toFixed(1)} s; outputs in ${path.relative(process.cwd(), outDir) || outDir}/`);
}
