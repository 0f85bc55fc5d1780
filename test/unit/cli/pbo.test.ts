/**
 * `rotation pbo` on a temporary results folder of fake experiment records: the short name "sim"
 * resolves through the records' dataset name, a record on another calendar is left out and said
 * so, the trial count comes from the run log, the files are written, and the named errors
 * (too few variants, too few periods, unknown dataset, bad --blocks) come out with their exit codes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pboCommand } from '../../../src/cli/pbo.js';
import { main } from '../../../src/cli/main.js';
import { createRng } from '../../../src/random.js';
import { throwsCode } from '../assertions.js';

function months(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, i) => new Date(Date.UTC(2010, offset + i + 1, 0)).toISOString().slice(0, 10));
}

/** A minimal record.json: the fields the overfitting study reads. */
function writeRecord(root: string, folder: string, hash: string, name: string, active: number[], ppy = 12, offset = 0): void {
  const dir = path.join(root, folder, 'runs', hash);
  mkdirSync(dir, { recursive: true });
  const dates = months(active.length, offset);
  const benchmark = dates.map((_, i) => 0.01 * Math.sin(i));
  const record = {
    schema: 1, specHash: hash, spec: { name, role: 'model' }, data: { dataset: 'simulator(seed=7)', contentHash: 'd1' },
    calendar: { periodsPerYear: ppy }, periods: { dates, strategy: active.map((a, i) => a + benchmark[i]), benchmark },
  };
  writeFileSync(path.join(dir, 'record.json'), JSON.stringify(record));
}

function quietly<T>(fn: () => T): T {
  const log = console.log;
  console.log = () => {};
  try { return fn(); } finally { console.log = log; }
}

test('rotation pbo: three recorded variants, one with an edge; files written; trials from the run log', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pbo-cli-'));
  const rng = createRng(5), T = 96;
  const noise = () => Array.from({ length: T }, () => 0.02 * rng.normal());
  writeRecord(root, 'simulator_seed_7', 'aaaa11112222', 'noise A', noise());
  writeRecord(root, 'simulator_seed_7', 'bbbb11112222', 'noise B', noise());
  writeRecord(root, 'simulator_seed_7', 'cccc11112222', 'edge', noise().map((x) => x + 0.012));
  writeRecord(root, 'simulator_seed_7', 'dddd11112222', 'bimonthly', noise().slice(0, 48), 6);
  const log = ['aaaa11112222', 'bbbb11112222', 'cccc11112222', 'eeee11112222', 'ffff11112222', 'aaaa11112222']
    .map((h) => JSON.stringify({ time: '2026-01-01T00:00:00Z', dataset: 'simulator_seed_7', dataHash: 'd1', specHash: h, name: h, role: 'model' })).join('\n') + '\n';
  writeFileSync(path.join(root, 'experiments.jsonl'), log);
  const { study, files } = quietly(() => pboCommand({ data: 'sim', out: root, blocks: '16', quiet: true }));
  assert.equal(study.dataset, 'simulator_seed_7');
  assert.equal(study.pbo.variants, 3);
  assert.ok(study.notes.some((n) => /another rebalance calendar left out .*bimonthly/.test(n)), study.notes.join('|'));
  assert.equal(study.trials, 5, 'five distinct specs in the run log');
  assert.equal(study.best.variant, 'edge [cccc11112222]');
  assert.ok(study.pbo.pbo < 0.1, `PBO ${study.pbo.pbo}`);
  assert.equal(study.pbo.rowsPerBlock, 6);
  assert.ok(study.minBtl && study.minBtl.trials === 5);
  assert.ok(study.deflated && study.deflated.trials === 5);
  for (const f of files) assert.ok(existsSync(f), f);
  const csv = readFileSync(path.join(root, 'simulator_seed_7', 'pbo.csv'), 'utf8');
  assert.match(csv, /^quantity,value,note\n/);
  assert.match(csv, new RegExp(`\\nPBO,${study.pbo.pbo}`));
  const logits = readFileSync(path.join(root, 'simulator_seed_7', 'pbo_logits.csv'), 'utf8').trim().split('\n');
  assert.equal(logits.length, 12870 + 1);
  // the folder name works too
  assert.equal(quietly(() => pboCommand({ data: 'simulator_seed_7', out: root, blocks: 4, quiet: true })).study.pbo.combinations, 6);
});

test('rotation pbo: named errors and exit codes', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'pbo-cli-'));
  writeRecord(root, 'simulator_seed_7', 'aaaa11112222', 'only one', Array.from({ length: 40 }, () => 0.001));
  throwsCode(() => pboCommand({ data: 'sim', out: root, blocks: 16 }), 'PBO_TOO_FEW_VARIANTS');
  // two variants of 12 months on the same dates: fewer periods than blocks
  writeRecord(root, 'simulator_seed_7', 'bbbb11112222', 'second', Array.from({ length: 40 }, (_, i) => 0.001 * (i % 3)));
  const short = mkdtempSync(path.join(os.tmpdir(), 'pbo-cli-'));
  writeRecord(short, 'simulator_seed_7', 'aaaa11112222', 'a', Array.from({ length: 12 }, (_, i) => 0.001 * i));
  writeRecord(short, 'simulator_seed_7', 'bbbb11112222', 'b', Array.from({ length: 12 }, (_, i) => -0.001 * i));
  assert.match(throwsCode(() => pboCommand({ data: 'sim', out: short, blocks: 16 }), 'PBO_TOO_FEW_PERIODS').message, /12 period\(s\); PBO with 16 blocks/);
  // two variants of 20 months overlapping on 10: not aligned
  const apart = mkdtempSync(path.join(os.tmpdir(), 'pbo-cli-'));
  writeRecord(apart, 'simulator_seed_7', 'aaaa11112222', 'a', Array.from({ length: 20 }, (_, i) => 0.001 * i));
  writeRecord(apart, 'simulator_seed_7', 'bbbb11112222', 'b', Array.from({ length: 20 }, (_, i) => -0.001 * i), 12, 10);
  assert.match(throwsCode(() => pboCommand({ data: 'sim', out: apart, blocks: 16 }), 'PBO_VARIANTS_NOT_ALIGNED').message, /Only 10 period end/);
  throwsCode(() => pboCommand({ data: 'citic', out: root, blocks: 16 }), 'PBO_NO_RECORDS');
  throwsCode(() => pboCommand({ data: 'sim', out: root, blocks: 7 }), 'CLI_BAD_VALUE');
  const err = console.error;
  console.error = () => {};
  try {
    assert.equal(await main(['pbo', '--data', 'sim', '--out', root, '--blocks', '7']), 2);
    assert.equal(await main(['pbo', '--data', 'nothing', '--out', root]), 1);
  } finally { console.error = err; }
});
