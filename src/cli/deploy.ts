/**
 * `rotation allocate` and `rotation orders`: the model's target sector weights for a rebalance date,
 * and the orders that move a holdings file there. Inputs are validated before any computation;
 * outputs are written only after everything succeeded (outputs.ts).
 *
 * Safe deployment (allocate):
 * - Before the targets are written, the monitor's health check runs on the spec's factors at the
 *   as-of date (`deployHealth`: `monitorReportFromIcs` on the same cached factor study the targets
 *   used). When more than half of the spec's factors are failed or stale a warning block is
 *   printed (stderr); `--require-healthy` makes it the error DEPLOY_UNHEALTHY_FACTORS (exit 1,
 *   nothing written).
 * - Every targets row carries the `specHash` of the spec that wrote it; an existing file at the
 *   output path whose `specHash` differs (or that has none: unknown provenance) is not
 *   overwritten without `--force` (DEPLOY_OUTPUT_OTHER_SPEC). Rerunning the same spec overwrites.
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
import { specFactors } from '../model/score.js';
import type { ModelContext } from '../model/context.js';
import { monitorIcs, monitorReportFromIcs } from '../monitor/report.js';
import type { FactorHealthRow, HealthStatus } from '../monitor/health.js';
import { toCsv } from '../report/csv.js';
import { loadDataset } from './run.js';
import { runStages } from './progress.js';
import type { DataOptions } from './dataOptions.js';
import { outputFolderName, outputSlug, writeOutputs } from './outputs.js';

/** What every command that runs a model spec on a dataset at a date takes (allocate, orders, score). */
export interface ModelCommandOptions {
  data: string;
  seed: number;
  /** The date (YYYY-MM-DD) or 'latest'. */
  asOf: string;
  /** The model spec file (default models/default.json). */
  model?: string;
  /** Loader options, factor minimum industries and the backtest gap policy (the data flags). */
  dataOptions?: DataOptions;
  /** Output CSV (default under results/<dataset>/). */
  out?: string;
  quiet: boolean;
}

export interface AllocateOptions extends ModelCommandOptions {
  /** allocate: overwrite an existing targets file written by another spec (or of unknown provenance). */
  force?: boolean;
  /** allocate: fail (DEPLOY_UNHEALTHY_FACTORS) instead of warning when most of the spec's factors are failed or stale. */
  requireHealthy?: boolean;
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
interface CommandState { ds?: MarketDataset; spec?: ModelSpec; solver?: Solver; ctx?: ModelContext; targets?: TargetRow[]; file?: string }

/** Load, study, and compute the target rows (progress stages). */
function targetStages(opts: AllocateOptions, state: CommandState) {
  return [
    { name: `load data (${opts.data === 'sim' ? `simulator, seed ${opts.seed}` : opts.data}) and the model spec`, run: async () => {
      state.spec = loadModelSpec(opts.model ?? DEFAULT_MODEL_FILE);
      state.ds = await loadDataset(opts.data, opts.seed, opts.dataOptions?.load);
      if (needsSolver(state.spec.allocator)) state.solver = await loadSolver();
    } },
    { name: 'factors, ICs, the spec\'s composite score and allocator walk', run: () => {
      state.ctx = modelContext(state.ds!, { solver: state.solver, minIndustries: opts.dataOptions?.minIndustries });
      state.targets = targetWeights(state.ctx, state.spec!, opts.asOf);
    } },
  ];
}

// ---------------------------------------------------------------------------------------------
// Factor health before deployment

/** The deployment warning fires when strictly more than this share of the spec's factors is failed or stale. */
export const UNHEALTHY_SHARE = 0.5;

/** Severity order of the health statuses for "worst first" (failed, stale, weakening, warmup, healthy). */
const SEVERITY: Record<HealthStatus, number> = { failed: 0, stale: 1, weakening: 2, warmup: 3, healthy: 4 };

/** The monitor's health check of a spec's factors at a deployment date. */
export interface DeployHealth {
  dataset: string;
  spec: string;
  specHash: string;
  /** The targets date. */
  asOf: string;
  /** The monitor date: the last factor (IC) date <= asOf (= asOf for a monthly spec). */
  monitorDate: string;
  /** Number of the spec's factors (specFactors). */
  factors: number;
  counts: Record<HealthStatus, number>;
  /** counts.failed + counts.stale. */
  unhealthy: number;
  /** unhealthy > UNHEALTHY_SHARE · factors. */
  warn: boolean;
  /** Health rows, worst first: by status severity, then by long-window mean IC ascending (NaN last), then spec order. */
  worst: FactorHealthRow[];
}

/**
 * Health check before deployment: the monitor report (src/monitor/report.ts, default rules) of the
 * spec's factors (`specFactors`) at the last factor date d <= asOf, computed on `ctx.study` — the
 * study the targets already computed, cached in the context (no second evaluation); only ICs
 * known at d are read. warn ⇔ #{failed or stale} > UNHEALTHY_SHARE · #factors.
 * Errors: MONITOR_UNKNOWN_DATE when no factor date is <= asOf.
 */
export function deployHealth(ctx: ModelContext, spec: ModelSpec, asOf: string): DeployHealth {
  const study = ctx.study(spec.calendar.frequency);
  const ids = specFactors(spec, study).ids;
  const ics = monitorIcs(study, { factors: ids, horizon: spec.composite.horizon });
  const dates = ics[ids[0]].dates;
  let d = '';
  for (const x of dates) if (x <= asOf) d = x;
  const report = monitorReportFromIcs(ics, { asOf: d === '' ? asOf : d, horizon: spec.composite.horizon, dataset: study.dataset });
  const order = new Map(ids.map((f, i) => [f, i]));
  const key = (x: number) => (Number.isNaN(x) ? Infinity : x);
  const worst = report.health.slice().sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || key(a.meanIcLong) - key(b.meanIcLong) || order.get(a.factor)! - order.get(b.factor)!);
  const unhealthy = report.counts.failed + report.counts.stale;
  return {
    dataset: study.dataset, spec: spec.name, specHash: specHash(spec), asOf, monitorDate: report.asOf, factors: ids.length,
    counts: report.counts, unhealthy, warn: unhealthy > UNHEALTHY_SHARE * ids.length, worst,
  };
}

/** The failed and stale factors, worst first, at most `max`, as "factor status (reasons)". */
function worstLines(h: DeployHealth, max = 5): string[] {
  return h.worst.filter((r) => r.status === 'failed' || r.status === 'stale').slice(0, max).map((r) => `${r.factor} ${r.status} (${r.reasons})`);
}

/** Counts in display order, "healthy 2, weakening 1, failed 3, stale 8, warmup 0". */
function countText(h: DeployHealth): string {
  return (['healthy', 'weakening', 'failed', 'stale', 'warmup'] as HealthStatus[]).map((s) => `${s} ${h.counts[s]}`).join(', ');
}

/** The warning block printed before targets are written when `h.warn` (lines prefixed "WARNING"). */
export function deployHealthWarning(h: DeployHealth, data: string): string {
  const worst = worstLines(h);
  const more = h.unhealthy - worst.length;
  return [
    `WARNING factor health: ${h.unhealthy} of ${h.factors} factors of spec "${h.spec}" [${h.specHash}] are failed or stale at ${h.monitorDate} (more than ${100 * UNHEALTHY_SHARE}%)`,
    `WARNING   ${h.dataset}: ${countText(h)}`,
    ...worst.map((w) => `WARNING   ${w}`),
    ...(more > 0 ? [`WARNING   ... and ${more} more`] : []),
    `WARNING   these targets rest mostly on factors the monitor no longer trusts: read \`rotation monitor --data ${data} --asof ${h.monitorDate}\` before trading;`,
    'WARNING   --require-healthy turns this warning into an error (exit 1, nothing written)',
  ].join('\n');
}

/** DEPLOY_UNHEALTHY_FACTORS: the counts and the worst factors of an unhealthy check. */
export function unhealthyError(h: DeployHealth, data: string): RotationError {
  return new RotationError('DEPLOY_UNHEALTHY_FACTORS',
    `${h.unhealthy} of ${h.factors} factors of spec "${h.spec}" are failed or stale at ${h.monitorDate} (more than ${100 * UNHEALTHY_SHARE}%): ${countText(h)}`,
    { dataset: h.dataset, asOf: h.asOf, spec: h.specHash, worst: worstLines(h) },
    `read \`rotation monitor --data ${data} --asof ${h.monitorDate}\`; deploy a spec whose factors are healthy, pick another --asof, or drop --require-healthy to write the targets with a warning`);
}

// ---------------------------------------------------------------------------------------------
// Targets files carry their spec

/** Column of the targets CSV recording the hash of the spec that wrote the row. */
export const SPEC_HASH_COLUMN = 'specHash';

/** Targets CSV columns: TARGET_COLUMNS then specHash (last). */
export const TARGET_FILE_COLUMNS = [...TARGET_COLUMNS, SPEC_HASH_COLUMN] as const;

/**
 * The spec hash recorded in a targets CSV's text: the last field of the first data row when the
 * header's last column is `specHash` (a hex hash, never quoted); '' when there is no such column
 * or no row (a file of unknown provenance, e.g. written before the column existed).
 */
export function recordedSpecHash(text: string): string {
  const lines = text.split(/\r?\n/, 2);
  if (lines.length < 2 || lines[0].split(',').pop() !== SPEC_HASH_COLUMN) return '';
  const v = lines[1].slice(lines[1].lastIndexOf(',') + 1);
  return /^[0-9a-f]+$/i.test(v) ? v : '';
}

/**
 * Refuse to overwrite an existing targets file written by another spec: when `file` exists and
 * its recorded spec hash (`recordedSpecHash`) is not `hash`, DEPLOY_OUTPUT_OTHER_SPEC unless
 * `force`. Returns the other hash being overwritten under `force` ('' when nothing is overwritten
 * or it is the same spec). A folder at the path is left to writeOutputs (CLI_OUTPUT_NOT_WRITABLE).
 */
export function checkTargetsOverwrite(file: string, hash: string, specName: string, force: boolean): string | undefined {
  if (!existsSync(file) || statSync(file).isDirectory()) return undefined;
  const other = recordedSpecHash(readFileSync(file, 'utf8'));
  if (other === hash) return undefined;
  if (force) return other || 'unknown';
  throw new RotationError('DEPLOY_OUTPUT_OTHER_SPEC',
    `${displayPath(path.resolve(file))} already exists and was written by ${other ? `another spec [${other}]` : 'an unknown spec (no specHash column)'}, not by spec "${specName}" [${hash}]`,
    { file: displayPath(path.resolve(file)), existingSpec: other || 'unknown', spec: hash },
    'pass a different --out, leave --out off (non-default specs get their own targets_<date>_<spec>.csv), or add --force to overwrite it');
}

/** One line per held industry, for the terminal. */
function targetSummary(rows: readonly TargetRow[]): string {
  return rows.filter((r) => r.targetWeight > 1e-9).map((r) => `  ${String(r.rank).padStart(2)}  ${r.industry}  ${r.name}  ${(100 * r.targetWeight).toFixed(2)}% (change ${(100 * r.change >= 0 ? '+' : '')}${(100 * r.change).toFixed(2)}%)`).join('\n');
}

/** `rotation allocate`: health check, then write the targets CSV (module comment); returns what was written. */
export async function allocateCommand(opts: AllocateOptions): Promise<Computed & { file: string; health: DeployHealth }> {
  const state: CommandState & { health?: DeployHealth; hash?: string; overwritten?: string } = {};
  await runStages([...targetStages(opts, state), { name: 'factor health at the as-of date (monitor)', run: () => {
    state.health = deployHealth(state.ctx!, state.spec!, state.targets![0].date);
    if (state.health.warn) {
      if (opts.requireHealthy) throw unhealthyError(state.health, opts.data);
      if (!opts.quiet) process.stdout.write('\n');
      console.error(deployHealthWarning(state.health, opts.data));
    }
  } }, { name: 'write targets', run: () => {
    state.file = opts.out ?? defaultOut(opts, state.ds!, state.spec!, 'targets', state.targets![0].date);
    state.hash = specHash(state.spec!);
    state.overwritten = checkTargetsOverwrite(state.file, state.hash, state.spec!.name, opts.force === true);
    const hash = state.hash;
    writeOutputs([{ file: state.file, text: toCsv(state.targets!.map((r) => ({ ...r, [SPEC_HASH_COLUMN]: hash })), TARGET_FILE_COLUMNS) }]);
  } }], opts.quiet);
  if (state.overwritten) console.error(`note: --force: overwrote ${state.file} written by spec [${state.overwritten}]`);
  const file = state.file!;
  console.log(`allocate: ${state.ds!.name} ${state.targets![0].date} (${state.spec!.name} [${specHash(state.spec!)}]): ${state.targets!.filter((r) => r.targetWeight > 1e-9).length} industries held → ${file}`);
  if (!opts.quiet) console.log(targetSummary(state.targets!));
  const h = state.health!;
  if (!opts.quiet && !h.warn) console.log(`factor health at ${h.monitorDate}: ${countText(h)} (${h.factors} factors of the spec)`);
  return { ds: state.ds!, targets: state.targets!, file, health: h };
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
