/**
 * The one conventions table of the performance layer: every metric, series and table a backtest
 * summary or tear sheet shows, with its exact formula and how it relates to empyrical /
 * quantstats / qlib. Reports print their footer from this table (`definitionFooter`), so the code,
 * docs/conventions.md and every report state the same definitions.
 *
 * Notation: r_t simple strategy return of period t = 1..T, b_t benchmark return, a_t = r_t − b_t
 * (active return), P = periodsPerYear of the series, W_t = Π_{s≤t}(1 + r_s) with W_0 = 1,
 * B_t = Π_{s≤t}(1 + b_s), mean = arithmetic mean over the T periods, std = sample standard
 * deviation (ddof 1).
 */

export type MetricKey =
  | 'totalReturn' | 'cagr' | 'annualMean' | 'volatility' | 'sharpe' | 'downsideRisk' | 'sortino'
  | 'maxDrawdown' | 'calmar' | 'excessCagr' | 'arithmeticExcess' | 'trackingError' | 'informationRatio'
  | 'excessMaxDrawdown' | 'monthlyWinRate' | 'turnover' | 'costDrag' | 'meanExcessT' | 'psr' | 'dsr';

export type SeriesKey =
  | 'wealth' | 'relativeWealth' | 'underwater' | 'excessUnderwater' | 'rolling12mExcess' | 'rolling12mIr'
  | 'annualTable' | 'monthlyExcess' | 'drawdownTable' | 'dailyWeights' | 'rebalanceTurnover' | 'benchmark'
  | 'costModel' | 'execution' | 'minimumWindow';

export interface MetricDefinition {
  readonly key: MetricKey | SeriesKey;
  /** Label used in tables and charts. */
  readonly label: string;
  /** 'metric': a number in the summary; 'series' / 'table': a chart or table of the tear sheet; 'rule': an engine convention. */
  readonly kind: 'metric' | 'series' | 'table' | 'rule';
  /** How the value is displayed: a fraction (shown as %), a ratio, a probability, a t statistic. */
  readonly unit: 'fraction' | 'ratio' | 'probability' | 't' | 'none';
  /** The exact formula, in the module's notation. */
  readonly formula: string;
  /** Relation to empyrical / quantstats / qlib (equal, or the difference). */
  readonly reference: string;
  /** True when the metric is annualized with periodsPerYear. */
  readonly annualized: boolean;
  /** Needs a benchmark series. */
  readonly relative: boolean;
  /**
   * Minimum window, in rebalance periods, below which the summary reports NaN with a reason
   * instead of the value (0 = always computed).
   */
  readonly minWindowPeriods: number;
}

/** Rebalance periods a backtest window needs before annualized metrics are reported. */
export const MIN_WINDOW_PERIODS = 12;

/** Trading days assumed per year when annualizing daily returns (the convention's default). */
export const DAILY_PERIODS_PER_YEAR = 252;

const M = MIN_WINDOW_PERIODS;

/** The conventions table (data). Order = display order of the metric table. */
export const METRIC_DEFINITIONS: readonly MetricDefinition[] = Object.freeze(([] as MetricDefinition[]).concat([
  { key: 'totalReturn', label: 'Total return', kind: 'metric', unit: 'fraction', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'W_T − 1 = Π_t (1 + r_t) − 1',
    reference: 'empyrical cum_returns_final − 1' },
  { key: 'cagr', label: 'CAGR', kind: 'metric', unit: 'fraction', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'W_T^(P/T) − 1, T = number of periods (count-based); NaN with a reason when W_T ≤ 0 (no power or log of a non-positive wealth)',
    reference: 'empyrical annual_return (= cagr); quantstats cagr (row-count based)' },
  { key: 'annualMean', label: 'Arithmetic annual return', kind: 'metric', unit: 'fraction', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'mean(r) · P (uncompounded; shown next to CAGR, labelled)',
    reference: "qlib risk_analysis 'sum' mode annualized return" },
  { key: 'volatility', label: 'Volatility (ann.)', kind: 'metric', unit: 'fraction', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'std(r, ddof 1) · √P',
    reference: 'empyrical annual_volatility' },
  { key: 'sharpe', label: 'Sharpe (rf = 0)', kind: 'metric', unit: 'ratio', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'mean(r) / std(r, ddof 1) · √P, risk-free rate 0',
    reference: 'empyrical sharpe_ratio(risk_free=0); quantstats sharpe' },
  { key: 'downsideRisk', label: 'Downside risk (ann.)', kind: 'metric', unit: 'fraction', annualized: true, relative: false, minWindowPeriods: M,
    formula: '√( (1/T) Σ_t min(r_t, 0)² ) · √P, the mean over all T periods (positive periods count as 0)',
    reference: 'empyrical downside_risk(required_return=0)' },
  { key: 'sortino', label: 'Sortino', kind: 'metric', unit: 'ratio', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'mean(r) · P / downside risk',
    reference: 'empyrical sortino_ratio(required_return=0)' },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'metric', unit: 'fraction', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'min_t ( W_t / max_{0≤s≤t} W_s − 1 ), W_0 = 1 counts (a first-period loss is a drawdown); compounded, never cumsum',
    reference: 'empyrical max_drawdown (starting value prepended); differs from qlib sum-mode (cumsum − cummax)' },
  { key: 'calmar', label: 'Calmar', kind: 'metric', unit: 'ratio', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'CAGR / |max drawdown|; NaN when max drawdown = 0',
    reference: 'empyrical calmar_ratio' },
  { key: 'excessCagr', label: 'Excess CAGR (difference of CAGRs)', kind: 'metric', unit: 'fraction', annualized: true, relative: true, minWindowPeriods: M,
    formula: 'CAGR(r) − CAGR(b)',
    reference: 'geometric excess; brokers\' "年化超额" is usually this' },
  { key: 'arithmeticExcess', label: 'Arithmetic excess (mean active × P)', kind: 'metric', unit: 'fraction', annualized: true, relative: true, minWindowPeriods: M,
    formula: 'mean(a) · P, a_t = r_t − b_t',
    reference: 'qlib excess_return_without_cost annualized return (sum mode)' },
  { key: 'trackingError', label: 'Tracking error (ann.)', kind: 'metric', unit: 'fraction', annualized: true, relative: true, minWindowPeriods: M,
    formula: 'std(a, ddof 1) · √P',
    reference: 'qlib std · √N' },
  { key: 'informationRatio', label: 'Information ratio (ann.)', kind: 'metric', unit: 'ratio', annualized: true, relative: true, minWindowPeriods: M,
    formula: 'mean(a) / std(a, ddof 1) · √P — annualized',
    reference: 'empyrical excess_sharpe · √P; quantstats information_ratio · √P (both are NOT annualized)' },
  { key: 'excessMaxDrawdown', label: 'Excess max drawdown (relative wealth)', kind: 'metric', unit: 'fraction', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'max drawdown of the relative wealth R_t = W_t / B_t (R_0 = 1), i.e. of the relative returns (1 + r_t)/(1 + b_t) − 1',
    reference: 'not in empyrical / quantstats; not the drawdown of cumulated a_t' },
  { key: 'monthlyWinRate', label: 'Monthly win rate vs benchmark', kind: 'metric', unit: 'probability', annualized: false, relative: true, minWindowPeriods: M,
    formula: 'share of calendar months m with r_m > b_m, r_m = Π_{t∈m}(1 + r_t) − 1 (partial first/last months included; a tie is not a win)',
    reference: 'empyrical batting_average on monthly returns (ties differ: empyrical counts r = b as neither)' },
  { key: 'turnover', label: 'Turnover (ann., one-way)', kind: 'metric', unit: 'fraction', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'Σ_k ½ Σ_i |w*_k,i − w̃_k,i| / (T / P) over rebalances k after the initial build (w* target, w̃ drifted weights before the trade)',
    reference: 'pyfolio get_turnover uses traded value / average gross book per day; ours is one-way (half of Σ|Δw|) per year' },
  { key: 'costDrag', label: 'Cost drag (ann.)', kind: 'metric', unit: 'fraction', annualized: true, relative: false, minWindowPeriods: M,
    formula: 'CAGR(gross returns) − CAGR(net returns)',
    reference: 'project definition' },
  { key: 'meanExcessT', label: 't of mean excess', kind: 'metric', unit: 't', annualized: false, relative: true, minWindowPeriods: M,
    formula: 't = mean(a) / (std(a, ddof 1) / √T) (iid; = IR · √(T/P))',
    reference: 'one-sample t statistic' },
  { key: 'psr', label: 'Probabilistic Sharpe (SR* = 0)', kind: 'metric', unit: 'probability', annualized: false, relative: false, minWindowPeriods: M,
    formula: 'Φ( (SR − SR*) √(T − 1) / √(1 − γ3·SR + (γ4 − 1)/4 · SR²) ), SR = mean(r)/std(r, ddof 1) per period (not annualized), γ3 = m3/m2^1.5, γ4 = m4/m2² (population moments, γ4 = 3 for normal)',
    reference: 'Bailey & López de Prado (2012); quantstats probabilistic_ratio uses pandas bias-corrected excess kurtosis' },
  { key: 'dsr', label: 'Deflated Sharpe', kind: 'metric', unit: 'probability', annualized: false, relative: false, minWindowPeriods: M,
    formula: 'PSR(SR*0), SR*0 = √V · ( (1 − γ)Φ⁻¹(1 − 1/N) + γ Φ⁻¹(1 − 1/(N·e)) ), N = configurations tried, V = variance of their per-period Sharpes, γ = 0.5772… (Euler–Mascheroni); NaN unless N and V are given',
    reference: 'Bailey & López de Prado (2014), "The Deflated Sharpe Ratio"' },

  { key: 'wealth', label: 'Cumulative wealth', kind: 'series', unit: 'none', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'W_t = Π_{s≤t}(1 + r_s), W_0 = 1 at the close of the first rebalance date (compounded)',
    reference: 'empyrical cum_returns + 1' },
  { key: 'relativeWealth', label: 'Relative wealth', kind: 'series', unit: 'none', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'R_t = W_t / B_t',
    reference: 'project definition' },
  { key: 'underwater', label: 'Underwater (drawdown)', kind: 'series', unit: 'fraction', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'dd_t = W_t / max(1, max_{s≤t} W_s) − 1',
    reference: 'empyrical drawdown_series with the starting value' },
  { key: 'excessUnderwater', label: 'Excess underwater', kind: 'series', unit: 'fraction', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'R_t / max(1, max_{s≤t} R_s) − 1 on the relative wealth',
    reference: 'project definition' },
  { key: 'rolling12mExcess', label: 'Rolling 12M excess', kind: 'series', unit: 'fraction', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'over the last L = round(P) periods: Π(1 + r) − Π(1 + b) (difference of compounded window returns); NaN before L periods',
    reference: 'project definition' },
  { key: 'rolling12mIr', label: 'Rolling 12M information ratio', kind: 'series', unit: 'ratio', annualized: true, relative: true, minWindowPeriods: 0,
    formula: 'over the last L = round(P) periods: mean(a)/std(a, ddof 1) · √P',
    reference: 'empyrical roll_excess_sharpe · √P' },
  { key: 'annualTable', label: 'Per-year table', kind: 'table', unit: 'fraction', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'per calendar year y: r_y = Π_{t∈y}(1 + r_t) − 1, b_y likewise, excess = r_y − b_y, max drawdown within the year (wealth reset to 1 at the year start), IR within the year',
    reference: 'pyfolio / quantstats annual returns (EOY)' },
  { key: 'monthlyExcess', label: 'Monthly excess heat map', kind: 'table', unit: 'fraction', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'cell (year, month) = r_m − b_m with r_m = Π_{t∈m}(1 + r_t) − 1',
    reference: 'quantstats monthly_heatmap of active returns (quantstats compounds r − b instead)' },
  { key: 'drawdownTable', label: 'Drawdown table (top 5)', kind: 'table', unit: 'fraction', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'episodes from a wealth high (start) to the next date W_t ≥ that high (recovery); trough = lowest W inside; depth = W_trough / W_start − 1; length = periods start → recovery (→ last date if not recovered); top 5 by depth',
    reference: 'pyfolio gen_drawdown_table' },
  { key: 'dailyWeights', label: 'Weights (drifted)', kind: 'series', unit: 'fraction', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'between trades w_i ← w_i (1 + r_i) / Σ_j w_j (1 + r_j); end-of-day weights, after the trade on a trade date',
    reference: 'buy-and-hold drift between rebalances' },
  { key: 'rebalanceTurnover', label: 'Turnover per rebalance (one-way)', kind: 'series', unit: 'fraction', annualized: false, relative: false, minWindowPeriods: 0,
    formula: '½ Σ_i |w*_i − w̃_i| at each trade (traded value = Σ_i |w*_i − w̃_i| of wealth)',
    reference: 'project definition' },
  { key: 'benchmark', label: 'Benchmark', kind: 'rule', unit: 'none', annualized: false, relative: true, minWindowPeriods: 0,
    formula: 'default: equal weight over the industries with a valid return that day, rebalanced daily: b_t = mean_i r_t,i',
    reference: 'docs/conventions.md: equal-weight industry benchmark' },
  { key: 'costModel', label: 'Costs', kind: 'rule', unit: 'none', annualized: false, relative: false, minWindowPeriods: 0,
    formula: 'cost_k = c · Σ_i |w*_i − w̃_i| (c = costBps / 10⁴ per unit traded, charged on buys and sells); booked in the first period the new weights are held: 1 + r_t = (1 − cost_k)(1 + gross_t); the initial build is charged',
    reference: 'proportional cost on traded value' },
  { key: 'execution', label: 'Execution', kind: 'rule', unit: 'none', annualized: false, relative: false, minWindowPeriods: 0,
    formula: "'close': trade at the close of the rebalance date; 'next-open': trade at the next day's open (overnight on old weights, open → close on new weights; a missing open falls back to the previous close)",
    reference: 'project definition' },
  { key: 'minimumWindow', label: 'Minimum window', kind: 'rule', unit: 'none', annualized: false, relative: false, minWindowPeriods: 0,
    formula: `metrics marked annualized (and win rate, t, PSR, DSR) are NaN with a reason when the window has fewer than ${M} rebalance periods`,
    reference: 'project rule' },
]).map((d) => Object.freeze(d)));

/** The definition of a key; throws if unknown (a programming error, not input). */
export function metricDefinition(key: MetricKey | SeriesKey): MetricDefinition {
  const d = METRIC_DEFINITIONS.find((x) => x.key === key);
  if (!d) throw new Error(`no metric definition for "${key}"`);
  return d;
}

/** Keys of every `kind: 'metric'` definition, in display order. */
export function metricKeys(): MetricKey[] {
  return METRIC_DEFINITIONS.filter((d) => d.kind === 'metric').map((d) => d.key as MetricKey);
}

/**
 * Footer lines for a report: first the annualization basis, then "label: formula [reference]"
 * for each definition in `keys` (default: all), in table order.
 *
 *   line 0 = "periodsPerYear P = <P> (<basis>); simple returns, compounded wealth from 1"
 */
export function definitionFooter(periodsPerYear: number, basis: string, keys?: readonly (MetricKey | SeriesKey)[]): string[] {
  const chosen = keys ? METRIC_DEFINITIONS.filter((d) => keys.includes(d.key)) : METRIC_DEFINITIONS;
  return [
    `periodsPerYear P = ${periodsPerYear} (${basis}); simple returns; wealth compounded from 1; std with ddof 1; r strategy, b benchmark, a = r − b, T periods.`,
    ...chosen.map((d) => `${d.label}: ${d.formula} [${d.reference}]`),
  ];
}

/**
 * The conventions table as Markdown (the "Metric definitions" table of docs/conventions.md; a
 * unit test keeps the doc equal to this): | name | kind | formula | relation to peers |.
 */
export function conventionsMarkdown(): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [
    '| name | kind | formula | relation to empyrical / quantstats / qlib |',
    '|---|---|---|---|',
    ...METRIC_DEFINITIONS.map((d) => {
      const kind = d.kind === 'metric'
        ? `metric${d.annualized ? ', annualized' : ''}${d.minWindowPeriods ? `, needs ≥ ${d.minWindowPeriods} rebalance periods` : ''}`
        : d.kind;
      return `| ${esc(d.label)} | ${kind} | ${esc(d.formula)} | ${esc(d.reference)} |`;
    }),
  ];
  return lines.join('\n');
}
