import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pipelineRecordMarkdown, runPipeline, type PipelineStep } from '../../../src/preprocess/pipeline.js';
import { winsorizeMad } from '../../../src/preprocess/winsorize.js';
import { zscore } from '../../../src/preprocess/standardize.js';
import { close, P, throwsCode } from './helpers.js';

const industry = { industries: ['G0', 'G1'], codes: Int32Array.from([0, 0, 0, 1, 1, 1]) };
const panel = P([
  [1, 2, 100, 4, 5, NaN],
  [3, 3, 3, 3, 3, 3],
  [2, 4, 6, 8, 10, 12],
]);
const cap = P([[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 7]]);

test('runPipeline runs the steps in order and records parameters (defaults filled) and counts', () => {
  const steps: PipelineStep[] = [
    { step: 'winsorize', method: 'mad' },
    { step: 'fill', method: 'industry-median' },
    { step: 'standardize', method: 'zscore' },
  ];
  const { panel: out, record } = runPipeline(panel, steps, { name: 'demo', industry });
  // the same as calling the kernels by hand
  const expected = zscore(runPipeline(winsorizeMad(panel, 3), [{ step: 'fill', method: 'industry-median' }], { industry }).panel);
  close([...out.values], [...expected.values]);
  assert.equal(record.name, 'demo');
  assert.equal(record.steps.length, 3);
  assert.deepEqual(record.steps[0].params, { method: 'mad', k: 3, scale: true });
  assert.equal(record.steps[0].cellsChanged, 1); // 100 clipped
  assert.equal(record.steps[0].degenerateDates.constant, 1); // the constant date (MAD = 0)
  assert.equal(record.steps[1].nanFilled, 1);
  assert.equal(record.steps[2].nanProduced, 6); // constant date → NaN
  assert.deepEqual(record.steps[2].degenerateExamples.constant, [panel.dates[1]]);
  assert.equal(record.validIn, 17);
  assert.equal(record.validOut, 12);
  // serializable: a JSON round trip keeps it
  assert.deepEqual(JSON.parse(JSON.stringify(record)), record);
  const md = pipelineRecordMarkdown(record);
  assert.equal(md, pipelineRecordMarkdown(record));
  assert.match(md, /\| 0 \| winsorize \| method=mad, k=3, scale=true \|/);
});

test('neutralize step: R² and dropped columns in the record; fill none leaves NaN and counts it', () => {
  const { record } = runPipeline(panel, [
    { step: 'neutralize', cap: true, industry: false },
    { step: 'fill', method: 'none' },
  ], { cap, industry });
  assert.deepEqual(record.steps[0].params, { industry: false, cap: true, columns: [], dropCollinear: false });
  assert.equal(typeof record.steps[0].meanRSquared, 'number');
  assert.deepEqual(record.steps[0].droppedColumns, []);
  assert.equal(record.steps[1].missingAfter, 1); // the one NaN cell (a constant date has residual 0 and no R²)
  assert.equal(record.steps[1].cellsChanged, 0);
});

test('errors: unknown step or method, missing context, a singular design', () => {
  throwsCode(() => runPipeline(panel, [{ step: 'smooth' } as unknown as PipelineStep]), 'PIPELINE_BAD_STEP');
  throwsCode(() => runPipeline(panel, [{ step: 'winsorize', method: 'iqr' } as unknown as PipelineStep]), 'PIPELINE_BAD_STEP');
  throwsCode(() => runPipeline(panel, [{ step: 'fill', method: 'industry-median' }]), 'PIPELINE_MISSING_CONTEXT');
  throwsCode(() => runPipeline(panel, [{ step: 'neutralize', cap: true }]), 'PIPELINE_MISSING_CONTEXT');
  throwsCode(() => runPipeline(panel, [{ step: 'neutralize', columns: ['beta'] }], { industry }), 'PIPELINE_MISSING_CONTEXT');
  const flatCap = P([[5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5]]);
  throwsCode(() => runPipeline(panel, [{ step: 'neutralize' }], { cap: flatCap, industry }), 'NEUTRALIZE_COLLINEAR');
  const dropped = runPipeline(panel, [{ step: 'neutralize', dropCollinear: true }], { cap: flatCap, industry }).record;
  assert.equal(dropped.steps[0].droppedColumns!.length, 3);
});
