/**
 * Progress display for command-line stages: `[k/n] name ... done (s)` on stdout, one line per
 * stage, suppressed with --quiet. Stages run in order; an error stops at the failing stage.
 */
export interface Stage {
  name: string;
  run: () => void | Promise<void>;
}

/** Run `stages` in order with progress lines; returns the total seconds. */
export async function runStages(stages: readonly Stage[], quiet: boolean): Promise<number> {
  const t0 = Date.now();
  for (const [k, s] of stages.entries()) {
    const ts = Date.now();
    if (!quiet) process.stdout.write(`[${k + 1}/${stages.length}] ${s.name} ... `);
    await s.run();
    if (!quiet) process.stdout.write(`done (${((Date.now() - ts) / 1000).toFixed(1)} s)\n`);
  }
  return (Date.now() - t0) / 1000;
}
