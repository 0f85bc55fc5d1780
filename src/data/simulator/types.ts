/**
 * What the simulator returns: the dataset (the same MarketDataset a vendor loader returns) plus
 * the ground truth a real market never shows: the regime path, the planted signal strengths, the
 * month-end factor values the drift was built from, the drifts themselves and the latent states.
 */
import type { Panel } from '../../panel/panel.js';
import type { MarketDataset } from '../types.js';
import type { IndustryFactorName, ResolvedSimulatorConfig, StockFactorName } from './config.js';

export interface RegimeInfo {
  name: string;
  /** Drift of the market factor, simple return per year. */
  annualDrift: number;
  /** Volatility of the market factor (before GARCH), per year. */
  annualVol: number;
  /** Expected stay, trading days (= 1 / (1 - p_stay)). */
  meanDurationDays: number;
}

export interface SwitchOffTruth {
  factor: IndustryFactorName;
  /** First month-end date whose next-month drift no longer carries the factor's signal. */
  date: string;
  icBefore: number;
  icAfter: number;
}

export interface SimulationTruth {
  /** The resolved config the data was generated from. */
  config: ResolvedSimulatorConfig;
  regimes: RegimeInfo[];
  /** Daily transition matrix P[from][to]. */
  transitionMatrix: number[][];
  /** Regime index (into `regimes`) of every trading day of the calendar. */
  regimePath: number[];
  /** Market-factor loading of each industry (mean 1). */
  industryBeta: Record<string, number>;
  /** Month-end dates at which factors are measured (the last trading day of each month). */
  monthEnds: string[];
  /** Planted monthly rank IC of each industry factor (the switch-off factor: value before the switch). */
  plantedIc: Record<IndustryFactorName, number>;
  switchOff: SwitchOffTruth;
  /** Planted monthly rank IC of each stock factor (stock-specific drift). */
  stockPlantedIc: Record<StockFactorName, number>;
  /** Formula of every planted factor, as the simulator computes it at a month end. */
  factorDefinitions: Record<string, string>;
  /** Industry factor values at month ends (monthEnds x industries), as the simulator measured them. */
  industryFactors: Record<IndustryFactorName, Panel>;
  /** Stock factor values at month ends (monthEnds x stocks). */
  stockFactors: Record<StockFactorName, Panel>;
  /** Planted drift added over the month after each month end (monthEnds x industries), simple return. */
  industryDrift: Panel;
  /** Planted stock-specific drift over the month after each month end (monthEnds x stocks). */
  stockDrift: Panel;
  /** Latent monthly states at month ends (monthEnds x industries). */
  latent: { industryGrowth: Panel; crowding: Panel; lateFlow: Panel };
}

export interface SimulatedMarket {
  dataset: MarketDataset;
  truth: SimulationTruth;
}
