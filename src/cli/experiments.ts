/**
 * `rotation runs` and `rotation compare A B`: the experiment records written by `rotation run`
 * (src/model/record.ts) listed, and two of them side by side with the paired t of their monthly
 * active-return difference.
 */
import { compareRecords, findRecord, listRecords, readRunLog, variantsTried, type RunComparison } from '../model/record.js';
import { markdownTable } from '../report/table.js';

export interface RunsOptions { out: string; data?: string }

/** One row per record: dataset, spec hash, name, role, calendar, whole / out-of-sample excess CAGR and t, runs logged. */
export function runsRows(opts: RunsOptions): Record<string, string | number>[] {
  const log = readRunLog(opts.out);
  return listRecords(opts.out).filter((r) => opts.data === undefined || r.dataset === opts.data).map(({ dataset, record: r }) => {
    const w = r.windows.find((x) => x.window === 'whole'), o = r.windows.find((x) => x.window === 'out-of-sample');
    const logged = log.filter((l) => l.specHash === r.specHash && l.dataHash === r.data.contentHash);
    return {
      dataset, run: r.specHash, name: r.spec.name, role: r.spec.role, 'periods/yr': r.calendar.periodsPerYear,
      'excess CAGR': w?.metrics.excessCagr ?? NaN, IR: w?.metrics.informationRatio ?? NaN, t: w?.significance.t ?? NaN,
      'excess CAGR (OOS)': o?.metrics.excessCagr ?? NaN, 't (OOS)': o?.significance.t ?? NaN,
      'times run': logged.length, 'last run': logged.length ? logged[logged.length - 1].time.slice(0, 19) : '',
      'specs tried on these data': variantsTried(log, r.data.contentHash),
    };
  });
}

/** `rotation runs`: print the records as a table. */
export function runsCommand(opts: RunsOptions): void {
  const rows = runsRows(opts);
  if (rows.length === 0) { console.log(`runs: no experiment records under ${opts.out}/ (rotation run writes them)`); return; }
  const pct = { percent: true, digits: 2 }, f2 = { digits: 2 };
  console.log(markdownTable(rows, { formats: { 'excess CAGR': pct, 'excess CAGR (OOS)': pct, IR: f2, t: f2, 't (OOS)': f2 } }));
}

/** `rotation compare A B`: two records side by side; returns the comparison. */
export function compareCommand(a: string, b: string, out: string): RunComparison {
  const ra = findRecord(out, a), rb = findRecord(out, b);
  const cmp = compareRecords(ra.record, rb.record, [`${ra.dataset}/${ra.record.specHash}`, `${rb.dataset}/${rb.record.specHash}`]);
  console.log(`A = ${cmp.a} (${ra.record.spec.name}), B = ${cmp.b} (${rb.record.spec.name})`);
  for (const n of cmp.notes) console.log(`note: ${n}`);
  const fmt = (m: string, x: number | null) => (x === null ? '' : m.startsWith('t ') || m === 'informationRatio' || m === 'sharpe' ? x.toFixed(2) : `${(100 * x).toFixed(2)}%`);
  console.log(markdownTable(cmp.rows.map((r) => ({ window: r.window, metric: r.metric, A: fmt(r.metric, r.a), B: fmt(r.metric, r.b), 'B − A': fmt(r.metric, r.difference) }))));
  if (cmp.paired) {
    const p = cmp.paired;
    console.log(`paired test, B − A monthly active return over ${p.n} common periods: mean ${(100 * p.meanDifference).toFixed(3)}% per period, t = ${Number.isFinite(p.t) ? p.t.toFixed(2) : 'n/a'}` +
      `${p.p === null ? '' : `, p = ${p.p.toFixed(3)}`}`);
  }
  return cmp;
}
