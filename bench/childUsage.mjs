/**
 * Preloaded into a benchmark's child process (`node [--import tsx] --import bench/childUsage.mjs`,
 * see `runChild` in bench/harness.ts): at exit, the child writes its OWN figures to the file
 * named by BENCH_USAGE_FILE as JSON
 *   { cpu_s: user + system seconds of the whole process, peak_rss_mb: maxRSS / 1024 }
 * so the parent reports the child's peak memory, not its own. Plain JavaScript, so that a child
 * that runs without a TypeScript loader (the `rotation` bin) can preload it too.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const ru = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ cpu_s: (ru.userCPUTime + ru.systemCPUTime) / 1e6, peak_rss_mb: ru.maxRSS / 1024 }));
  });
}
