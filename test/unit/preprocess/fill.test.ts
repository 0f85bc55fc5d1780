import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countMissing, fillIndustryMedian } from '../../../src/preprocess/fill.js';
import { close, P, row, throwsCode } from './helpers.js';

test('industry-median fill: odd and even counts, per-date codes, valid cells untouched', () => {
  // static codes: G0 = {0, 1, 2}, G1 = {3, 4, 5, 6}, no industry = {7}
  const industry = { industries: ['G0', 'G1'], codes: Int32Array.from([0, 0, 0, 1, 1, 1, 1, -1]) };
  const p = P([
    [1, 5, NaN, 2, NaN, 10, 4, NaN],
    [NaN, NaN, NaN, 1, 2, 3, NaN, 7],
  ]);
  const res = fillIndustryMedian(p, industry);
  close(row(res.panel, 0), [1, 5, 3, 2, 4, 10, 4, NaN]); // G0 median of {1, 5} = 3; G1 median of {2, 10, 4} = 4
  close(row(res.panel, 1), [NaN, NaN, NaN, 1, 2, 3, 2, 7]); // G0 all missing stays NaN
  assert.equal(res.filled, 3);
  assert.deepEqual(res.stillMissing, { total: 4, noIndustry: 1, industryAllMissing: 3 });
  assert.ok(Number.isNaN(p.values[2])); // input not mutated
});

test('per-date codes and the missing-value count', () => {
  const p = P([[NaN, 2, 4], [1, NaN, 3]]);
  const industry = { industries: ['G0'], codes: Int32Array.from([0, 0, 0, 0, -1, 0]) };
  const res = fillIndustryMedian(p, industry);
  close(row(res.panel, 0), [3, 2, 4]);
  close(row(res.panel, 1), [1, NaN, 3]);
  const m = countMissing(p);
  assert.equal(m.total, 2);
  assert.deepEqual([...m.byDate], [1, 1]);
  throwsCode(() => fillIndustryMedian(p, { industries: ['G0'], codes: Int32Array.from([0, 0]) }), 'PREPROCESS_BAD_INDUSTRY');
});
