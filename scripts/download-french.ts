/**
 * Download a Kenneth French industry portfolio file and validate it:
 *
 *   npm run data:french -- 49     ->  data/french/49_Industry_Portfolios.CSV
 *
 * N must be one of 5, 10, 12, 17, 30, 38, 48, 49. Needs network access; offline, use the shared
 * 202104 copies (frenchSharedFile(n) in src/data/french.ts).
 */
import path from 'node:path';
import { RotationError } from '../src/errors.js';
import { formatLossReport } from '../src/data/loss.js';
import { downloadFrenchIndustryFile, parseIndustryCountArg } from '../src/data/frenchDownload.js';

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run data:french -- <N>   (N = 5, 10, 12, 17, 30, 38, 48 or 49)');
    return 0;
  }
  const n = parseIndustryCountArg(argv);
  const { file, url, parsed } = await downloadFrenchIndustryFile(n);
  const vw = parsed.meta.vwMonthly;
  console.log(`downloaded ${url}`);
  console.log(`wrote ${path.relative(process.cwd(), file)} (CRSP vintage ${parsed.vintage}, ${parsed.industries.length} industries, ` +
    `monthly ${vw.firstDate} .. ${vw.lastDate})`);
  for (const l of parsed.losses) console.log(`  ${formatLossReport(l)}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    if (e instanceof RotationError) console.error(`error [${e.code}]: ${e.message}`);
    else console.error(e);
    process.exitCode = 1;
  },
);
