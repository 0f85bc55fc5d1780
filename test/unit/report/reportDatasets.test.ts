import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RotationError } from '../../../src/errors.js';
import { selectReportDatasets } from '../../../src/report/reportDatasets.js';

test('selectReportDatasets: default = simulator + present real data; requested absent data is a named error', () => {
  const none = () => false, all = () => true;
  assert.deepEqual(selectReportDatasets([], none), ['simulator']);
  assert.deepEqual(selectReportDatasets([], all), ['simulator', 'citic']);
  assert.deepEqual(selectReportDatasets(['citic', 'simulator', 'citic'], all), ['citic', 'simulator']);
  assert.throws(() => selectReportDatasets(['citic'], none), (e: unknown) => {
    assert.ok(e instanceof RotationError);
    assert.equal(e.code, 'REPORT_DATASET_ABSENT');
    assert.match(e.message, /\.\.\/shared\/data\/citic_l1_industry/);
    return true;
  });
  assert.throws(() => selectReportDatasets(['french'], all), (e: unknown) => e instanceof RotationError && e.code === 'REPORT_DATASET_UNKNOWN');
});
