/**
 * `npm run report`: the standalone offline HTML tear sheet (model vs every baseline) for the
 * simulator and, when ../shared/data is present, the CITIC L1 industries → docs/reports/.
 */
import path from 'node:path';
import { simulateMarket } from '../src/data/simulator.js';
import { loadCiticIndustry } from '../src/data/citic.js';
import { hasSharedData } from '../src/data/paths.js';
import { loadSolver } from '../src/portfolio/optimizer.js';
import { modelContext } from '../src/model/context.js';
import { allocationStudy, houseSpecs } from '../src/studies/modeling.js';
import { backtestRuns, trialSharpes } from '../src/studies/validation.js';
import { buildTearSheet, writeTearSheetHtml } from '../src/report/tearsheet.js';

const solver = await loadSolver();
const datasets = [simulateMarket().dataset, ...(hasSharedData('citic_l1_industry') ? [loadCiticIndustry(undefined, { extendCloseWithWide: true })] : [])];
const specs = houseSpecs();
for (const ds of datasets) {
  const bts = backtestRuns(allocationStudy(modelContext(ds, { solver }), specs).runs);
  const sheet = buildTearSheet(bts, { title: `Industry rotation: model vs baselines — ${ds.name}`, split: specs[0].split, trials: trialSharpes(bts), notes: ds.caveats });
  const slug = ds.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const out = writeTearSheetHtml(sheet, path.join('docs', 'reports', `tearsheet_${slug}.html`));
  console.log(`report: ${out.file} (${out.charts} charts, ${(out.bytes / 1e6).toFixed(1)} MB)`);
}
