/**
 * The data options every command shares: how a folder of exports is read (`--decimal`,
 * `--date-format`, `--vendor`, `--renormalize`, `--max-loss`, `--strict`), the factor cross-section
 * minimum (`--min-industries`) and the backtest gap policy (`--max-carry-days`). They are the CLI
 * flags of the library options that errors name in their fixes. Parsed once into `DataOptions`.
 */
import { RotationError } from '../errors.js';
import { DEFAULT_MAX_LOSS } from '../data/checks.js';
import { DATE_FORMATS, type DateFormat } from '../data/schema.js';
import { VENDORS, type Vendor } from '../data/vendors.js';
import type { LoadOptions } from '../data/citic.js';
import { DEFAULT_MAX_CARRY_DAYS } from '../backtest/engine.js';
import type { GapPolicy } from '../backtest/types.js';
import type { OptionSpec, ParsedOptions } from './args.js';

/** Option specs of the shared data flags (append to a command's options). */
export const DATA_OPTION_SPECS: readonly OptionSpec[] = Object.freeze([
  { name: 'decimal', type: 'string', description: 'decimal mark of numbers in --data files: "." or "," (2543,75)', default: '.' },
  { name: 'date-format', type: 'string', description: `how dates are written in --data files: ${DATE_FORMATS.join(', ')}`, default: 'YYYY-MM-DD' },
  { name: 'vendor', type: 'string', description: `column layout of every --data file (${VENDORS.join(', ')}); detected per file when omitted` },
  { name: 'renormalize', type: 'boolean', description: 'rescale index weights that do not sum to 100% instead of failing' },
  { name: 'strict', type: 'boolean', description: 'fail on the first bad row instead of dropping and counting it' },
  { name: 'max-loss', type: 'string', description: 'largest share of a file\'s rows that may be dropped or masked before the load fails (0..1)', default: String(DEFAULT_MAX_LOSS) },
  { name: 'min-industries', type: 'string', description: 'fewest industries with a value for a factor cross-section on a date', default: '5' },
  { name: 'max-carry-days', type: 'string', description: 'trading days a missing close of a held industry is carried (return 0) before it counts as suspended (weight frozen); "error" fails instead', default: String(DEFAULT_MAX_CARRY_DAYS) },
] as OptionSpec[]);

/** What the data flags resolve to. */
export interface DataOptions {
  /** For `loadExportsDir(dir, load)` (and `asOf`/`strict` for the CITIC loader). */
  load: LoadOptions;
  /** For computeFactors / computeFactor (`FactorComputeOptions.minIndustries`). */
  minIndustries: number;
  /** For runBacktest (`BacktestInput.gapPolicy`). */
  gapPolicy: GapPolicy;
}

function bad(name: string, got: unknown, fix: string): RotationError {
  return new RotationError('CLI_BAD_VALUE', `--${name}: bad value "${String(got)}"`, { argument: name }, fix);
}

/** Parse the data flags (CLI_BAD_VALUE, exit 2, on a bad value). Absent flags take their defaults. */
export function dataOptionsFrom(o: ParsedOptions): DataOptions {
  const decimal = String(o.decimal ?? '.');
  if (decimal !== '.' && decimal !== ',') throw bad('decimal', decimal, 'use --decimal , for files written with decimal commas (default .)');
  const dateFormat = String(o['date-format'] ?? 'YYYY-MM-DD');
  if (!DATE_FORMATS.includes(dateFormat as DateFormat)) throw bad('date-format', dateFormat, `use one of ${DATE_FORMATS.join(', ')}`);
  const vendor = o.vendor === undefined ? undefined : String(o.vendor);
  if (vendor !== undefined && !VENDORS.includes(vendor as Vendor)) throw bad('vendor', vendor, `use one of ${VENDORS.join(', ')}`);
  const maxLoss = Number(o['max-loss'] ?? DEFAULT_MAX_LOSS);
  if (!(maxLoss >= 0 && maxLoss <= 1)) throw bad('max-loss', o['max-loss'], 'a fraction in [0, 1], e.g. --max-loss 0.05 (1 disables the check)');
  const minIndustries = Number(o['min-industries'] ?? 5);
  if (!Number.isInteger(minIndustries) || minIndustries < 1) throw bad('min-industries', o['min-industries'], 'an integer >= 1, e.g. --min-industries 5');
  const carry = String(o['max-carry-days'] ?? DEFAULT_MAX_CARRY_DAYS);
  let gapPolicy: GapPolicy;
  if (carry === 'error') gapPolicy = 'error';
  else {
    const m = Number(carry);
    if (!Number.isInteger(m) || m < 0) throw bad('max-carry-days', carry, 'an integer >= 0 (e.g. 5), or "error" to fail on any held gap');
    gapPolicy = { maxCarryDays: m };
  }
  const load: LoadOptions = { maxLoss };
  if (decimal === ',') load.decimal = ',';
  if (dateFormat !== 'YYYY-MM-DD') load.dateFormat = dateFormat as DateFormat;
  if (vendor !== undefined) load.vendor = vendor as Vendor;
  if (o.renormalize === true) load.renormalize = true;
  if (o.strict === true) load.strict = true;
  return { load, minIndustries, gapPolicy };
}
