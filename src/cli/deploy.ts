/**
 * `rotation allocate` and `rotation orders`: the model's target sector weights for a rebalance date,
 * and the orders that move a holdings file there. Inputs are validated before any computation;
 * outputs are written only after everything succeeded (outputs.ts).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import type { MarketDataset } from '../data/types.js';
import { displayPath } from '../data/csv.js';
import { loadSolver, type Solver } from '../portfolio/optimizer.js';
import { modelContext } from '../model/context.js';
import { needsSolver } from '../model/allocators.js';
import { DEFAULT_MODEL_FILE, loadModelSpec } from '../model/files.js';
import { specHash, type ModelSpec } from '../model/spec.js';
import { targetWeights, type TargetRow } from '../deploy/targets.js';
import { parseInstrumentMap, type ParsedInstrumentMap } from '../deploy/instruments.js';
import { deploymentOrders, parseDatasetHoldings, ORDER_COLUMNS, TARGET_COLUMNS, type DeploymentOrders } from '../deploy/plan.js';
import type { Holding } from '../deploy/holdings.js';
import { toCsv } from '../report/csv.js';
import { loadDataset } from './run.js';
import { runStages } from './progress.js';
import type { DataOptions } from './dataOptions.js';
import { outputFolderName, outputSlug, writeOutputs } from './outputs.js';

export interface AllocateOptions {
  data: string;
  seed: number;
  asOf: string;
  /** The model spec file (default models/default.json). */
  model?: string;
  /** Loader options, factor minimum industries and the backtest gap policy (the data flags). */
  dataOptions?: DataOptions;
  out?: string;
  quiet: boolean;
}

export interface OrdersOptions extends AllocateOptions {
  holdings: string;
  capital: number;
  instruments?: string;
  lotSize: number;
  minTradeValue: number;
  costBps: number;
}

function usageError(what: string, argument: string, fix: string): RotationError {
  return new RotationError('CLI_BAD_VALUE', what, { argument }, fix);
}

/** A number option: finite, and > 0 / >= 0 / integer >= 1 as asked. CLI_BAD_VALUE otherwise. */
export function numberOption(text: string, name: string, kind: 'positive' | 'non-negative' | 'lot'): number {
  const v = Number(text.trim());
  const ok = text.trim() !== '' && Number.isFinite(v) && (kind === 'positive' ? v > 0 : kind === 'non-negative' ? v >= 0 : Number.isInteger(v) && v >= 1);
  if (!ok) {
    const want = kind === 'positive' ? 'a number > 0' : kind === 'non-negative' ? 'a number >= 0' : 'a whole number >= 1';
    throw usageError(`--${name} must be ${want}, got "${text}"`, name, `e.g. --${name} ${kind === 'positive' ? '10000000' : kind === 'lot' ? '100' : '0'}`);
  }
  return v;
}

/** Read an input file the user named; CLI_INPUT_NOT_FOUND when it is missing or a folder. */
export function readInputFile(file: string, option: string): { text: string; source: string } {
  const abs = path.resolve(file);
  if (!existsSync(abs) || statSync(abs).isDirectory()) {
    throw new RotationError('CLI_INPUT_NOT_FOUND', `The ${option} file ${file} does not exist${existsSync(abs) ? ' (it is a folder)' : ''}`, { file, option: `--${option}` },
      `pass the path of a CSV file (see docs/outputs.md for its layout)`);
  }
  return { text: readFileSync(abs, 'utf8'), source: displayPath(abs) };
}

/** Default output file: results/<dataset>/<kind>_<asOf>.csv. */
/**
 * Default output file: results/<dataset folder>/<kind>_<asOf>.csv for the default spec, and
 * <kind>_<asOf>_<spec name slug>.csv for any other spec, so two specs never overwrite each
 * other's targets or orders.
 */
function defaultOut(opts: AllocateOptions, ds: MarketDataset, spec: ModelSpec, kind: string, asOf: string): string {
  const isDefault = path.resolve(opts.model ?? DEFAULT_MODEL_FILE) === path.resolve(DEFAULT_MODEL_FILE);
  return path.join('results', outputFolderName(opts.data, ds.name), `${kind}_${asOf}${isDefault ? '' : `_${outputSlug(spec.name)}`}.csv`);
}

interface Computed { ds: MarketDataset; targets: TargetRow[] }

/** What the commands compute, stage by stage. */
interface CommandState { ds?: MarketDataset; spec?: ModelSpec; solver?: Solver; targets?: TargetRow[]; file?: string }

/** Load, study, and compute the target rows (progress stages). */
function targetStages(opts: AllocateOptions, state: CommandState) {
  return [
    { name: `load data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data}) and the model spec`, run: async () => {
      state.spec = loadModelSpec(opts.model ?? DEFAULT_MODEL_FILE);
      state.ds = await loadDataset(opts.data, opts.seed, opts.dataOptions?.load);
      if (needsSolver(state.spec.allocator)) state.solver = await loadSolver();
    } },
    { name: 'factors, ICs, the spec\'s composite score and allocator walk', run: () => {
      state.targets = targetWeights(modelContext(state.ds!, { solver: state.solver, minIndustries: opts.dataOptions?.minIndustries }), state.spec!, opts.asOf);
    } },
  ];
}

/** One line per held industry, for the terminal. */
function targetSummary(rows: readonly TargetRow[]): string {
  return rows.filter((r) => r.targetWeight > 1e-9).map((r) => `  ${String(r.rank).padStart(2)}  ${r.industry}  ${r.name}  ${(100 * r.targetWeight).toFixed(2)}% (change ${(100 * r.change >= 0 ? '+' : '')}${(100 * r.change).toFixed(2)}%)`).join('\n');
}

/** `rotation allocate`: write the targets CSV; returns what was written. */
export async function allocateCommand(opts: AllocateOptions): Promise<Computed & { file: string }> {
  const state: CommandState = {};
  await runStages([...targetStages(opts, state), { name: 'write targets', run: () => {
    state.file = opts.out ?? defaultOut(opts, state.ds!, state.spec!, 'targets', state.targets![0].date);
    writeOutputs([{ file: state.file, text: toCsv(state.targets!, TARGET_COLUMNS) }]);
  } }], opts.quiet);
  const file = state.file!;
  console.log(`allocate: ${state.ds!.name} ${state.targets![0].date} (${state.spec!.name} [${specHash(state.spec!)}]): ${state.targets!.filter((r) => r.targetWeight > 1e-9).length} industries held → ${file}`);
  if (!opts.quiet) console.log(targetSummary(state.targets!));
  return { ds: state.ds!, targets: state.targets!, file };
}

/** `rotation orders`: validate the holdings (and instrument map) first, then targets, then orders; write the orders CSV. */
export async function ordersCommand(opts: OrdersOptions): Promise<{ orders: DeploymentOrders; file: string }> {
  const holdingsFile = readInputFile(opts.holdings, 'holdings');
  const mapFile = opts.instruments ? readInputFile(opts.instruments, 'instruments') : undefined;
  const state: CommandState & { holdings?: Holding[]; map?: ParsedInstrumentMap; orders?: DeploymentOrders } = {};
  const [load, study] = targetStages(opts, state);
  await runStages([
    load,
    { name: 'validate holdings' + (mapFile ? ' and instrument map' : ''), run: () => {
      state.map = mapFile ? parseInstrumentMap(mapFile.text, mapFile.source, state.ds!.industries.map((x) => x.code)) : undefined;
      state.holdings = parseDatasetHoldings(state.ds!, holdingsFile.text, holdingsFile.source, state.map);
    } },
    study,
    { name: 'orders (lots, minimum trade, cost, residual cash)', run: () => {
      state.orders = deploymentOrders(state.ds!, state.targets!, state.holdings!, {
        capital: opts.capital, lotSize: opts.lotSize, minTradeValue: opts.minTradeValue, costBps: opts.costBps, instruments: state.map,
      });
    } },
    { name: 'write orders', run: () => {
      state.file = opts.out ?? defaultOut(opts, state.ds!, state.spec!, 'orders', state.orders!.asOf);
      writeOutputs([{ file: state.file, text: toCsv(state.orders!.rows, ORDER_COLUMNS) }]);
    } },
  ], opts.quiet);
  const o = state.orders!, t = o.totals;
  const trades = o.rows.filter((r) => r.tradeQuantity !== 0 && r.instrument !== 'CASH').length;
  console.log(`orders: ${state.ds!.name} ${o.asOf}: ${trades} trades, traded ${t.tradedValue.toFixed(2)}, cost ${t.cost.toFixed(2)}, ` +
    `final holdings ${t.finalValue.toFixed(2)} + cost + residual cash ${t.residualCash.toFixed(2)} = capital ${t.capital.toFixed(2)} → ${state.file}`);
  if (t.currentValue > t.capital) {
    console.log(`note: --capital ${t.capital.toFixed(2)} is below the holdings' value at ${o.asOf} prices (${t.currentValue.toFixed(2)}); ` +
      'the orders shrink the book to the capital (capital means holdings value plus cash)');
  }
  return { orders: o, file: state.file! };
}
