const [mode, f] = process.argv.slice(2);
const { readCsv } = await import('../src/data/csv.js');
const { readCsvStream } = await import('../src/data/csvStream.js');
const r0 = process.resourceUsage().maxRSS / 1024;
const t0 = performance.now();
const t = mode === 'none' ? { nRows: 0 } : (mode === 'stream' ? readCsvStream : readCsv)(f, { numeric: ['close_adj', 'volume_shares'], ...(process.argv[4] ? { chunkChars: Number(process.argv[4]), readBytes: Number(process.argv[4]) / 2 } : {}) } as any);
console.log(mode, f.slice(-6), t.nRows, `${((performance.now() - t0) / 1000).toFixed(1)} s, RSS before ${r0.toFixed(0)} MB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
