/**
 * Benchmark harness: a workload measures its own timed section and prints one line
 *   bench <workload> wall_s=<seconds> peak_rss_mb=<MB> [detail...]
 * peak_rss_mb is the peak resident set size of the whole process (setup included), from
 * process.resourceUsage().maxRSS.
 */
export async function runWorkload<S>(name: string, setup: () => S | Promise<S>, run: (s: S) => string | void | Promise<string | void>): Promise<void> {
  const state = await setup();
  const t0 = process.hrtime.bigint();
  const detail = await run(state);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(`bench ${name} wall_s=${wall.toFixed(3)} peak_rss_mb=${peakMb.toFixed(0)}${detail ? ` ${detail}` : ''}`);
}

/** `n` weekday dates (ISO) from `start`: the seeded panels' calendar. */
export function weekdayDates(n: number, start = '2010-01-01'): string[] {
  const dates: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (dates.length < n) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return dates;
}
