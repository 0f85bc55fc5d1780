/**
 * `rotation` command-line tool (package.json "bin"; `npm run rotation -- <command>`; `npm start`
 * runs `rotation run` on the built-in simulator).
 *
 * Exit codes: 0 success; 1 a run failed (data or computation error: the message says what, where
 * and how to fix it); 2 usage error (unknown command or option, a bad option value).
 */
import { RotationError } from '../errors.js';
import { commandHelp, parseOptions, type CommandSpec, type OptionSpec, type ParsedOptions } from './args.js';
import { runPipeline } from './run.js';
import { allocateCommand, numberOption, ordersCommand, type AllocateOptions } from './deploy.js';
import { monitorCommand } from './monitor.js';
import { compareCommand, runsCommand } from './experiments.js';
import { pboCommand } from './pbo.js';
import { scoreCommand } from './score.js';
import { DATA_OPTION_SPECS, dataOptionsFrom, type DataOptions } from './dataOptions.js';

const PROGRAM = 'rotation';

const DATA: OptionSpec = { name: 'data', type: 'string', description: 'dataset: "sim" (built-in simulator), "citic" (shared CITIC L1 data), or a folder of exports', default: 'sim' };
const SEED: OptionSpec = { name: 'seed', type: 'string', description: 'simulator seed (with --data sim)', default: '7' };
const QUIET: OptionSpec = { name: 'quiet', type: 'boolean', description: 'print only the final summary' };
const ASOF: OptionSpec = { name: 'asof', type: 'string', description: 'rebalance date YYYY-MM-DD (a month end the model scores), or "latest"', default: 'latest' };
const METHOD: OptionSpec = { name: 'method', type: 'string', description: 'shortcut for a house spec: "top5" = models/default.json, "optimizer" = models/optimizer.json (HiGHS: caps 15%, <= 10 holdings, Σ|w − w_prev| <= 0.6, i.e. 30% one-way); not with --model' };
const MODEL: OptionSpec = { name: 'model', type: 'string', description: 'model spec file (JSON; copy models/default.json to make a variant)', default: 'models/default.json' };
const OUT_ROOT: OptionSpec = { name: 'out', type: 'string', description: 'results folder holding <dataset>/runs/<spec-hash>/ and experiments.jsonl', default: 'results' };

/** The spec file: --model, or the house spec a --method shortcut names (CLI_BAD_VALUE for both, or an unknown method). */
function modelFile(o: ParsedOptions, argv: readonly string[]): string {
  const method = o.method === undefined ? undefined : String(o.method);
  if (method === undefined) return String(o.model);
  if (argv.some((a) => a === '--model' || a.startsWith('--model='))) {
    throw new RotationError('CLI_BAD_VALUE', '--method and --model both choose the model spec', { argument: 'method' }, 'pass one of them (--method is a shortcut for a house spec)');
  }
  if (method !== 'top5' && method !== 'optimizer') {
    throw new RotationError('CLI_BAD_VALUE', `--method must be "top5" or "optimizer", got "${method}"`, { argument: 'method' }, 'e.g. --method top5, or --model FILE');
  }
  return method === 'top5' ? 'models/default.json' : 'models/optimizer.json';
}

interface Command extends CommandSpec {
  /** Runs the command; throws RotationError for data errors, CLI_BAD_VALUE for bad option values. */
  handler: (o: ParsedOptions, argv: readonly string[]) => Promise<void>;
}

/** Seed option as an integer (CLI_BAD_VALUE otherwise). */
function seedOption(o: ParsedOptions): number {
  const seed = Number(o.seed);
  if (!Number.isInteger(seed)) throw new RotationError('CLI_BAD_VALUE', `--seed must be an integer, got "${String(o.seed)}"`, { argument: 'seed' }, 'e.g. --seed 7');
  return seed;
}

/**
 * A command's options plus the parsed data flags (`dataOptions`; see dataOptions.ts). The
 * commands read `dataOptions` once run.ts / deploy.ts / monitor.ts pass it to their loader.
 */
function withData<T extends object>(o: ParsedOptions, options: T): T & { dataOptions: DataOptions } {
  return { ...options, dataOptions: dataOptionsFrom(o) };
}

function allocateOptions(o: ParsedOptions, argv: readonly string[]): AllocateOptions {
  return withData(o, { data: String(o.data), seed: seedOption(o), asOf: String(o.asof), model: modelFile(o, argv), out: o.out === undefined ? undefined : String(o.out), quiet: o.quiet === true });
}

const COMMANDS: Command[] = [
  {
    name: 'run',
    summary: 'Run the whole research pipeline (load, factors, preprocessing, evaluation, composite, allocation, backtest, tear sheet) and write its outputs under --out.',
    options: [DATA, SEED, MODEL, { name: 'out', type: 'string', description: 'output folder (files go to <out>/<dataset>/, records to <out>/<dataset>/runs/<spec-hash>/, the run log to <out>/experiments.jsonl)', default: 'results' }, QUIET, ...DATA_OPTION_SPECS],
    handler: (o) => runPipeline(withData(o, { data: String(o.data), seed: seedOption(o), out: String(o.out), quiet: o.quiet === true, model: String(o.model) })),
  },
  {
    name: 'allocate',
    summary: 'Write the target sector weights for a rebalance date as CSV (date, industry, name, score, rank, targetWeight, previousWeight, change).',
    options: [ASOF, DATA, SEED, MODEL, METHOD, { name: 'out', type: 'string', description: 'output CSV (default results/<dataset>/targets_<date>.csv)' },
      { name: 'force', type: 'boolean', description: 'overwrite an existing targets file written by another spec (its specHash column differs)' },
      { name: 'require-healthy', type: 'boolean', description: 'exit 1 (DEPLOY_UNHEALTHY_FACTORS) instead of warning when more than half of the spec\'s factors are failed or stale' },
      QUIET, ...DATA_OPTION_SPECS],
    handler: async (o, argv) => { await allocateCommand({ ...allocateOptions(o, argv), force: o.force === true, requireHealthy: o['require-healthy'] === true }); },
  },
  {
    name: 'orders',
    summary: 'Write the orders that move a holdings file to the target weights: lot-rounded, minimum trade size, estimated cost, residual cash line.',
    options: [
      { name: 'holdings', type: 'string', description: 'holdings CSV with columns code,quantity,price (required; layout in docs/outputs.md)' },
      { name: 'capital', type: 'string', description: 'total capital = holdings value + cash, > 0 (required)' },
      { name: 'instruments', type: 'string', description: 'optional CSV mapping industries to tradable instruments: industry,instrument,share[,price]' },
      { name: 'lot', type: 'string', description: 'shares per lot', default: '100' },
      { name: 'min-trade', type: 'string', description: 'skip trades smaller than this value', default: '0' },
      { name: 'cost-bps', type: 'string', description: 'estimated cost per unit traded, basis points', default: '10' },
      ASOF, DATA, SEED, MODEL, METHOD,
      { name: 'out', type: 'string', description: 'output CSV (default results/<dataset>/orders_<date>.csv)' }, QUIET, ...DATA_OPTION_SPECS,
    ],
    handler: async (o, argv) => {
      for (const req of ['holdings', 'capital']) {
        if (o[req] === undefined) throw new RotationError('CLI_MISSING_OPTION', `--${req} is required`, { argument: req }, `e.g. rotation orders --holdings data/samples/holdings_sim.csv --capital 10000000`);
      }
      await ordersCommand({
        ...allocateOptions(o, argv), holdings: String(o.holdings), capital: numberOption(String(o.capital), 'capital', 'positive'),
        instruments: o.instruments === undefined ? undefined : String(o.instruments),
        lotSize: numberOption(String(o.lot), 'lot', 'lot'), minTradeValue: numberOption(String(o['min-trade']), 'min-trade', 'non-negative'),
        costBps: numberOption(String(o['cost-bps']), 'cost-bps', 'non-negative'),
      });
    },
  },
  {
    name: 'monitor',
    summary: 'Write the factor monitoring report: health (healthy / weakening / failed / stale) with reasons, alert history, rolling 12M/36M IC and ICIR.',
    options: [
      { name: 'asof', type: 'string', description: 'report date: a month end of the data, or "latest"', default: 'latest' }, DATA, SEED, MODEL,
      { name: 'out', type: 'string', description: 'output folder (files go to <out>/<dataset>/monitor_<date>/)', default: 'results' }, QUIET, ...DATA_OPTION_SPECS,
    ],
    handler: async (o) => { await monitorCommand(withData(o, { data: String(o.data), seed: seedOption(o), asOf: String(o.asof), out: String(o.out), quiet: o.quiet === true, model: String(o.model) })); },
  },
  {
    name: 'score',
    summary: 'Write the composite score and industry ranks at the close of any trading day (factors as of that day, weights of the last month end), with each rank\'s change since the last rebalance.',
    options: [
      { name: 'asof', type: 'string', description: 'a trading day YYYY-MM-DD (mid-month days too), or "latest"', default: 'latest' }, DATA, SEED, MODEL,
      { name: 'out', type: 'string', description: 'output CSV (default results/<dataset>/scores_<date>.csv)' }, QUIET, ...DATA_OPTION_SPECS,
    ],
    handler: async (o) => { await scoreCommand(withData(o, { data: String(o.data), seed: seedOption(o), asOf: String(o.asof), model: String(o.model), out: o.out === undefined ? undefined : String(o.out), quiet: o.quiet === true })); },
  },
  {
    name: 'runs',
    summary: 'List the experiment records (one per spec and dataset run by `rotation run`): headline metrics with their t, how often each was run, how many specs were tried on the data.',
    options: [OUT_ROOT, { name: 'data', type: 'string', description: 'only this dataset folder (e.g. simulator_seed_7, citic_l1_wind_export)' }],
    handler: async (o) => { runsCommand({ out: String(o.out), data: o.data === undefined ? undefined : String(o.data) }); },
  },
  {
    name: 'compare',
    summary: 'Print two experiment records side by side: every metric per window, the difference, and the paired t of the monthly active-return difference.',
    positionals: [{ name: 'a', description: 'run id: a spec hash (or a unique prefix), or dataset/hash' }, { name: 'b', description: 'the other run id' }],
    options: [OUT_ROOT],
    handler: async (o) => { compareCommand(String(o.a), String(o.b), String(o.out)); },
  },
  {
    name: 'pbo',
    summary: 'Probability of backtest overfitting (CSCV) of the variants recorded on a dataset, with the minimum backtest length and the deflated Sharpe of the best; writes <out>/<dataset>/pbo*.csv.',
    options: [
      { name: 'data', type: 'string', description: 'dataset folder under --out (e.g. citic_l1_wind_export) or a short name: sim, citic, sw, frenchN', default: 'sim' },
      OUT_ROOT, { name: 'blocks', type: 'string', description: 'number of CSCV blocks S (even)', default: '16' }, QUIET,
    ],
    handler: async (o) => { pboCommand({ data: String(o.data), out: String(o.out), blocks: String(o.blocks), quiet: o.quiet === true }); },
  },
];

/** Codes that are usage errors (exit 2, usage shown). */
const USAGE_CODES = new Set(['CLI_BAD_VALUE', 'CLI_MISSING_OPTION', 'CLI_UNKNOWN_OPTION', 'CLI_UNEXPECTED_ARGUMENT', 'CLI_MISSING_VALUE']);

function usage(): string {
  const lines = [`Usage: ${PROGRAM} <command> [options]`, '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)}${c.summary}`);
  lines.push('', `Run \`${PROGRAM} <command> --help\` for a command's options.`, 'Exit codes: 0 ok, 1 data or computation error, 2 usage error.');
  return lines.join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    console.error(`${PROGRAM}: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandHelp(PROGRAM, cmd));
    return 0;
  }
  try {
    await cmd.handler(parseOptions(cmd, rest), rest);
    return 0;
  } catch (e) {
    if (e instanceof RotationError) {
      if (USAGE_CODES.has(e.code)) {
        console.error(`${PROGRAM} ${cmd.name}: ${e.message}\n\n${commandHelp(PROGRAM, cmd)}`);
        return 2;
      }
      console.error(`\n${PROGRAM} ${cmd.name}: [${e.code}] ${e.message}`);
      return 1;
    }
    throw e;
  }
}

const invokedDirectly = process.argv[1] && /main\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
