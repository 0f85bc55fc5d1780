/**
 * `npm run report [-- --dataset simulator|citic ...]`: the standalone offline HTML tear sheet
 * (model vs every baseline) → docs/reports/. Default: the simulator and, when ../shared/data holds
 * it, the CITIC L1 industries. A requested dataset whose data is absent is REPORT_DATASET_ABSENT.
 */
import path from 'node:path';
import { simulateMarket } from '../src/data/simulator.js';
import { loadCiticIndustry } from '../src/data/citic.js';
import { hasSharedData, sharedDataDir } from '../src/data/paths.js';
import { RotationError } from '../src/errors.js';
import { selectReportDatasets } from '../src/report/reportDatasets.js';
import { loadSolver } from '../src/portfolio/optimizer.js';
import { modelContext } from '../src/model/context.js';
import { allocationStudy, houseSpecs } from '../src/studies/modeling.js';
import { backtestRuns, trialSharpes } from '../src/studies/validation.js';
import { buildTearSheet, writeTearSheetHtml } from '../src/report/tearsheet.js';
import { industryNames } from '../src/report/figures.js';

const argv = process.argv.slice(2);
const requested = argv.flatMap((a, k) => (a === '--dataset' ? [argv[k + 1] ?? ''] : a.startsWith('--dataset=') ? [a.slice('--dataset='.length)] : []));
let ids: string[];
try {
  ids = selectReportDatasets(requested, (folder) => hasSharedData(folder), path.relative(process.cwd(), sharedDataDir()) || sharedDataDir());
} catch (e) {
  if (e instanceof RotationError) {
    console.error(`report: [${e.code}] ${e.message}`);
    process.exit(1);
  }
  throw e;
}
const solver = await loadSolver();
const datasets = ids.map((id) => (id === 'citic' ? loadCiticIndustry(undefined, { extendCloseWithWide: true }) : simulateMarket().dataset));
const specs = houseSpecs();
for (const ds of datasets) {
  const bts = backtestRuns(allocationStudy(modelContext(ds, { solver }), specs).runs);
  const sheet = buildTearSheet(bts, { title: `Industry rotation: model vs baselines — ${ds.name}`, split: specs[0].split, trials: trialSharpes(bts), notes: ds.caveats, names: industryNames(ds.industries) });
  const slug = ds.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const out = writeTearSheetHtml(sheet, path.join('docs', 'reports', `tearsheet_${slug}.html`));
  console.log(`report: ${out.file} (${out.charts} charts, ${(out.bytes / 1e6).toFixed(1)} MB)`);
}
