/**
 * Loss report: every stage that drops or masks observations returns counts by reason instead of
 * printing. Invariant: rowsRead = rowsKept + sum(dropped).
 */
export interface LossExample {
  reason: string;
  /** Where the first few losses of this reason happened: file/row/date/asset as available. */
  where: Record<string, string | number>;
}

export interface LossReport {
  stage: string;
  /** Source being processed (file path relative to the project, or a dataset name). */
  source: string;
  rowsRead: number;
  rowsKept: number;
  /** Count of dropped or masked observations by reason (e.g. "missing price", "suspended"). */
  dropped: Record<string, number>;
  /** Up to `maxExamples` examples per reason, so a user can find the offending rows. */
  examples: LossExample[];
  /** Non-fatal observations (unknown columns, renormalized weights, ...). */
  notes: string[];
  /**
   * Observations kept but flagged (probable rebase, constant series): counts by reason, with
   * examples in `examples`. Not part of rowsRead = rowsKept + dropped.
   */
  flagged?: Record<string, number>;
}

const MAX_EXAMPLES_PER_REASON = 5;

export function newLossReport(stage: string, source: string): LossReport {
  return { stage, source, rowsRead: 0, rowsKept: 0, dropped: {}, examples: [], notes: [] };
}

/** Count `n` lost observations for `reason`, keeping a few examples of where they were. */
export function countLoss(report: LossReport, reason: string, n = 1, where?: Record<string, string | number>): void {
  report.dropped[reason] = (report.dropped[reason] ?? 0) + n;
  if (where && report.examples.filter((e) => e.reason === reason).length < MAX_EXAMPLES_PER_REASON) {
    report.examples.push({ reason, where });
  }
}

/** Count `n` kept-but-flagged observations for `reason` (see LossReport.flagged), with examples. */
export function countFlag(report: LossReport, reason: string, n = 1, where?: Record<string, string | number>): void {
  const f = (report.flagged ??= {});
  f[reason] = (f[reason] ?? 0) + n;
  if (where && report.examples.filter((e) => e.reason === reason).length < MAX_EXAMPLES_PER_REASON) {
    report.examples.push({ reason, where });
  }
}

/** Total dropped over all reasons. */
export function totalDropped(report: LossReport): number {
  let s = 0;
  for (const v of Object.values(report.dropped)) s += v;
  return s;
}

/** Throws if the report does not account for every row (rowsRead = rowsKept + dropped). */
export function assertBalanced(report: LossReport): void {
  const d = totalDropped(report);
  if (report.rowsRead !== report.rowsKept + d) {
    throw new Error(
      `loss report for ${report.stage} (${report.source}) does not balance: read ${report.rowsRead}, kept ${report.rowsKept}, dropped ${d}`,
    );
  }
}

/** One line per report: "stage source: read R, kept K, dropped D (reason: n, ...)". */
export function formatLossReport(report: LossReport): string {
  const reasons = Object.entries(report.dropped)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  const flags = Object.entries(report.flagged ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${k}: ${v}`).join(', ');
  return `${report.stage} ${report.source}: read ${report.rowsRead}, kept ${report.rowsKept}, dropped ${totalDropped(report)}${reasons ? ` (${reasons})` : ''}${flags ? `; flagged ${flags}` : ''}`;
}
