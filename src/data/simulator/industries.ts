/**
 * Static parameters of the simulated industries: CITIC-level-1-like names, relative number of
 * listed stocks (min 10 / median 115 / max 600 at ~5,200 stocks, as CALIBRATION.md), a market-cap
 * multiplier, valuation anchors (PE, PB, from which ROE = PB / PE), net and gross margin, dividend
 * payout, market beta and an industry-specific volatility multiplier.
 */
export interface IndustrySpec {
  name: string;
  /** Relative number of stocks. */
  size: number;
  /** Multiplier on the median stock market cap. */
  capMult: number;
  pe: number;
  pb: number;
  netMargin: number;
  grossMargin: number;
  payout: number;
  /** Loading on the market factor before normalization to mean 1. */
  beta: number;
  /** Multiplier on the industry-specific volatility. */
  idioMult: number;
}

const row = (name: string, size: number, capMult: number, pe: number, pb: number, netMargin: number,
  grossMargin: number, payout: number, beta: number, idioMult: number): IndustrySpec =>
  Object.freeze({ name, size, capMult, pe, pb, netMargin, grossMargin, payout, beta, idioMult });

/** The 30 named industries, in code order IND01..IND30. */
export const INDUSTRY_SPECS: readonly IndustrySpec[] = Object.freeze([
  row('Petroleum & Petrochemicals', 50, 4.0, 12, 1.2, 0.05, 0.18, 0.45, 0.85, 1.05),
  row('Coal', 40, 2.0, 10, 1.2, 0.12, 0.30, 0.55, 0.95, 1.25),
  row('Non-ferrous Metals', 130, 1.2, 30, 2.5, 0.04, 0.12, 0.25, 1.10, 1.05),
  row('Power & Utilities', 180, 1.3, 20, 1.6, 0.10, 0.25, 0.45, 0.80, 0.90),
  row('Steel', 45, 1.5, 12, 1.0, 0.03, 0.10, 0.35, 1.00, 1.15),
  row('Basic Chemicals', 420, 0.8, 25, 2.2, 0.07, 0.22, 0.30, 1.05, 0.80),
  row('Construction', 150, 1.2, 11, 1.1, 0.03, 0.12, 0.20, 0.95, 1.05),
  row('Building Materials', 90, 1.0, 16, 2.0, 0.10, 0.30, 0.35, 1.00, 1.00),
  row('Light Manufacturing', 160, 0.6, 28, 2.2, 0.06, 0.24, 0.30, 1.00, 0.80),
  row('Machinery', 600, 0.7, 35, 2.5, 0.06, 0.26, 0.25, 1.05, 0.75),
  row('Power Equipment & New Energy', 350, 1.0, 35, 3.0, 0.06, 0.25, 0.20, 1.15, 1.15),
  row('Defense & Military', 110, 1.2, 60, 3.5, 0.05, 0.25, 0.15, 1.20, 1.25),
  row('Autos', 250, 0.9, 25, 2.2, 0.04, 0.18, 0.30, 1.05, 0.95),
  row('Retail', 100, 0.7, 30, 1.8, 0.02, 0.20, 0.30, 1.00, 0.90),
  row('Consumer Services', 50, 0.8, 45, 3.5, 0.08, 0.40, 0.25, 1.05, 1.15),
  row('Home Appliances', 90, 1.2, 18, 3.0, 0.06, 0.25, 0.45, 0.95, 1.05),
  row('Textiles & Apparel', 100, 0.5, 28, 2.0, 0.05, 0.28, 0.35, 1.00, 0.85),
  row('Pharmaceuticals', 480, 0.9, 35, 3.5, 0.10, 0.50, 0.25, 0.90, 0.95),
  row('Food & Beverage', 120, 2.0, 32, 5.0, 0.15, 0.45, 0.50, 0.90, 1.20),
  row('Agriculture', 100, 0.8, 40, 2.8, 0.04, 0.15, 0.20, 0.95, 1.15),
  row('Banks', 42, 10.0, 6, 0.7, 0.35, 0.90, 0.30, 0.75, 1.20),
  row('Non-bank Finance', 90, 3.0, 18, 1.6, 0.20, 0.50, 0.30, 1.25, 1.15),
  row('Real Estate', 110, 1.2, 12, 1.1, 0.08, 0.25, 0.25, 1.05, 1.10),
  row('Transportation', 120, 1.5, 18, 1.6, 0.08, 0.18, 0.40, 0.90, 0.90),
  row('Electronics', 470, 0.9, 45, 3.5, 0.06, 0.22, 0.20, 1.20, 1.05),
  row('Telecom', 120, 1.0, 40, 2.8, 0.05, 0.25, 0.25, 1.10, 1.10),
  row('Computers', 300, 0.8, 60, 4.0, 0.06, 0.35, 0.15, 1.25, 1.15),
  row('Media', 150, 0.7, 40, 2.5, 0.06, 0.30, 0.25, 1.15, 1.10),
  row('Conglomerates', 20, 0.6, 40, 2.0, 0.03, 0.15, 0.20, 1.00, 0.95),
  row('Diversified Finance', 10, 1.0, 30, 2.0, 0.15, 0.40, 0.30, 1.10, 1.20),
]);

/** Spec of industry j (0-based); beyond the named 30, generic mid-range parameters. */
export function industrySpec(j: number): IndustrySpec {
  if (j < INDUSTRY_SPECS.length) return INDUSTRY_SPECS[j];
  return row(`Industry ${j + 1}`, 100, 1, 25, 2.2, 0.07, 0.25, 0.3, 1, 1);
}

/** Industry code of index j: IND01, IND02, ... */
export function industryCode(j: number): string {
  return `IND${String(j + 1).padStart(2, '0')}`;
}
