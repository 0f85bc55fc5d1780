"""Reference for the `evaluate` workload: the same work done by alphalens-reloaded.

A seeded 5,000 assets x 2,500 business days panel (numpy, ~2% missing factor cells, ~1% missing
prices, the factor carrying a small signal about the next day's return, as bench/workloads/
evaluate.ts builds it; the draws differ, the sizes and shapes are the same). Timed: clean factor
and forward returns for 1, 5 and 21 days, rank IC per date, 5-quantile mean returns per date and
quantile turnover of the top quantile. Prints one line in the harness's format:

    bench reference-alphalens wall_s=<s> cpu_s=<s> peak_rss_mb=<MB> alphalens=<version> pandas=<version>

Run by `npm run bench -- --compare` with the Python named by ALPHALENS_PYTHON or found in
.venv-alphalens/ (docs/performance.md says how to create it). Arguments: [assets] [dates].
"""
import resource
import sys
import time

import numpy as np
import pandas as pd
import alphalens
from alphalens.utils import get_clean_factor_and_forward_returns
from alphalens.performance import factor_information_coefficient, mean_return_by_quantile, quantile_turnover


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    t_len = int(sys.argv[2]) if len(sys.argv) > 2 else 2500
    rng = np.random.default_rng(20240229)
    dates = pd.bdate_range("2010-01-01", periods=t_len)
    assets = [f"S{i:05d}" for i in range(n)]
    f = rng.standard_normal((t_len, n))
    shocks = 0.02 * (0.05 * np.vstack([np.zeros((1, n)), f[:-1]]) + rng.standard_normal((t_len, n)))
    shocks[0] = 0.0
    level = 10.0 * np.cumprod(1.0 + shocks, axis=0)
    level[rng.uniform(size=level.shape) < 0.01] = np.nan
    f[rng.uniform(size=f.shape) < 0.02] = np.nan
    prices = pd.DataFrame(level, index=dates, columns=assets)
    factor = pd.DataFrame(f, index=dates, columns=assets).stack().dropna().rename("factor")
    factor.index.names = ["date", "asset"]

    c0 = time.process_time()
    t0 = time.perf_counter()
    data = get_clean_factor_and_forward_returns(factor, prices, quantiles=5, periods=(1, 5, 21), max_loss=1.0)
    ic = factor_information_coefficient(data)
    mean_q, _ = mean_return_by_quantile(data, by_date=True, demeaned=False)
    turnover = quantile_turnover(data["factor_quantile"], 5, period=1)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"bench reference-alphalens wall_s={wall:.3f} cpu_s={cpu:.3f} peak_rss_mb={peak:.0f} "
        f"alphalens={getattr(alphalens, '__version__', '?')} pandas={pd.__version__} "
        f"dates={t_len} assets={n} mean_rank_ic_1D={ic.iloc[:, 0].mean():.4f} "
        f"quantile_rows={len(mean_q)} top_turnover={turnover.mean():.3f}"
    )


if __name__ == "__main__":
    main()
