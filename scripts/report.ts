/**
 * `npm run report`: the standalone offline HTML tear sheet (model vs every baseline) for the
 * simulator and, when ../shared/data is present, the CITIC L1 industries → docs/reports/.
 */
import path from 'node:path';
import { simulateMarket } from '../src/data/simulator.js';
import { loadCiticIndustry } from '../src/data/citic.js';
import { hasSharedData } from '../src/data/paths.js';
import { factorStudy } from '../src/evaluate/study.js';
import { allocationStudy, causalComposite } from '../src/portfolio/study.js';
import { loadSolver } from '../src/portfolio/optimizer.js';
import { backtestRuns, STUDY_SPLIT, trialSharpes } from '../src/backtest/study.js';
import { buildTearSheet, writeTearSheetHtml } from '../src/report/tearsheet.js';
import { industryNames } from '../src/report/figures.js';

const solver = await loadSolver();
const datasets = [simulateMarket().dataset, ...(hasSharedData('citic_l1_industry') ? [loadCiticIndustry(undefined, { extendCloseWithWide: true })] : [])];
for (const ds of datasets) {
  const bts = backtestRuns(ds, allocationStudy(ds, causalComposite(factorStudy(ds)), solver).runs);
  const sheet = buildTearSheet(bts, { title: `Industry rotation: model vs baselines — ${ds.name}`, split: STUDY_SPLIT, trials: trialSharpes(bts), notes: ds.caveats, names: industryNames(ds.industries) });
  const slug = ds.name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
  const out = writeTearSheetHtml(sheet, path.join('docs', 'reports', `tearsheet_${slug}.html`));
  console.log(`report: ${out.file} (${out.charts} charts, ${(out.bytes / 1e6).toFixed(1)} MB)`);
}
