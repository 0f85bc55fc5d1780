/**
 * `rotation score --asof D`: a mid-month trading day writes the ranks with their change since the
 * last rebalance; a non-trading day is MODEL_NOT_TRADING_DAY naming the nearest trading days.
 * Run: node --import tsx --test test/unit/cli/score.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotationError } from '../../../src/errors.js';
import { scoreCommand, SCORE_COLUMNS } from '../../../src/cli/score.js';

test('score on a mid-month day writes ranked rows with the last rebalance; a Saturday is a named error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-'));
  const out = path.join(dir, 'scores.csv');
  const log = console.log;
  console.log = () => {};
  try {
    const r = await scoreCommand({ data: 'sim', seed: 7, asOf: '2024-12-13', out, quiet: true });
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], SCORE_COLUMNS.join(','));
    assert.equal(lines.length, r.rows.length + 1);
    assert.equal(r.rows[0].date, '2024-12-13');
    assert.equal(r.rows[0].rank, 1);
    assert.equal(r.rows[0].lastRebalance, '2024-11-29');
    for (const row of r.rows) assert.equal(row.rankChange, (row.rankAtRebalance as number) - (row.rank as number));
    await assert.rejects(scoreCommand({ data: 'sim', seed: 7, asOf: '2024-12-14', out, quiet: true }), (e: unknown) => {
      assert.ok(e instanceof RotationError);
      assert.equal(e.code, 'MODEL_NOT_TRADING_DAY');
      assert.equal(e.where.previousTradingDay, '2024-12-13');
      assert.equal(e.where.nextTradingDay, '2024-12-16');
      return true;
    });
  } finally {
    console.log = log;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
