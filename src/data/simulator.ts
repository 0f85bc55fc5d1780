/**
 * The built-in market simulator: a seeded, A-share-like market of industries and stocks with
 * planted factor signals of known strength. Everything a vendor loader returns (industry bars,
 * intraday bars, stocks, fundamentals, forecasts, benchmark weights) plus the ground truth.
 *
 *   const { dataset, truth } = simulateMarket({ seed: 7 });
 *
 * Model, options, planted signals and calibration: docs/simulator.md.
 */
import { resolveSimulatorConfig, type SimulatorConfig } from './simulator/config.js';
import { runSimulation } from './simulator/engine.js';
import type { SimulatedMarket } from './simulator/types.js';

export {
  DEFAULT_PLANTED_IC, DEFAULT_STOCK_PLANTED_IC, INDUSTRY_FACTORS, STOCK_FACTORS, SWITCH_OFF_FACTOR,
  defaultSimulatorConfig, resolveSimulatorConfig,
} from './simulator/config.js';
export type { IndustryFactorName, ResolvedSimulatorConfig, SimulatorConfig, StockFactorName } from './simulator/config.js';
export type { RegimeInfo, SimulatedMarket, SimulationTruth, SwitchOffTruth } from './simulator/types.js';
export { simulatorCalendar, lunarNewYearDay } from './simulator/calendar.js';
export { FACTOR_DEFINITIONS } from './simulator/monthEnd.js';
export { calibrationStats, formatCalibrationTable } from './simulator/calibration.js';
export type { CalibrationRow } from './simulator/calibration.js';
export { INDUSTRY_SPECS } from './simulator/industries.js';

/**
 * Simulate a market. `config` is merged over `defaultSimulatorConfig` (seed 7, 30 industries,
 * 1,000 stocks, 2015-01-05 + 10 years) and validated: a bad option throws RotationError
 * `SIM_CONFIG` / `SIM_CONFIG_UNKNOWN_KEY`. Same config -> byte-identical output.
 */
export function simulateMarket(config: Partial<SimulatorConfig> = {}): SimulatedMarket {
  return runSimulation(resolveSimulatorConfig(config));
}
