/**
 * Model specs: the shipped specs validate, defaults are filled, the hash ignores only the
 * description, and every bad input is a named error that says where.
 * Run: node --import tsx --test test/unit/model/spec.test.ts
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { canonicalJson, parseModelSpec, specHash, specPeriodsPerYear, validateModelSpec, variantOf } from '../../../src/model/spec.js';
import { DEFAULT_MODEL_FILE, loadComparisonSpecs, loadModelSpec, strategySet } from '../../../src/model/files.js';
import { throwsCode } from '../assertions.js';

const base = JSON.parse(readFileSync(DEFAULT_MODEL_FILE, 'utf8')) as Record<string, unknown>;
const withField = (k: string, v: unknown) => ({ ...base, [k]: v });

test('the shipped specs validate: the default model, the optimizer and one spec per baseline, in comparison order', () => {
  const set = loadComparisonSpecs();
  assert.deepEqual(set.map((s) => s.spec.name), ['model: top-5', 'model: optimizer', 'equal weight', 'momentum 12-1M', 'momentum 1M', 'MVO (sample)',
    'MVO (Ledoit-Wolf, turnover penalty)', 'HMM regimes']);
  assert.deepEqual(set.map((s) => s.spec.role), ['model', 'model', 'baseline', 'baseline', 'baseline', 'baseline', 'baseline', 'baseline']);
  const def = loadModelSpec(DEFAULT_MODEL_FILE);
  assert.equal(strategySet(def, set).length, 8, 'the default spec is not run twice');
  assert.deepEqual(def.composite, { method: 'icir', horizon: 1, window: 'expanding', minObservations: 12 });
  assert.equal(specPeriodsPerYear(def.calendar), 12);
});

test('defaults are filled and the calendar carries its periods per year', () => {
  const s = validateModelSpec({ name: 'x', split: '2019-12-31', composite: { method: 'equal' }, allocator: { name: 'top-k', k: 3 } });
  assert.equal(s.role, 'model');
  assert.equal(s.factors, 'all');
  assert.deepEqual(s.selection, { rule: 'fixed' });
  assert.deepEqual(s.calendar, { frequency: 'M', every: 1, minScored: 5 });
  assert.equal(s.costs.bps, 10);
  assert.equal(s.execution, 'close');
  assert.equal(specPeriodsPerYear({ frequency: 'M', every: 2, minScored: 5 }), 6);
  assert.equal(specPeriodsPerYear({ frequency: 'M', every: 3, minScored: 5 }), 4);
  assert.equal(specPeriodsPerYear({ frequency: 'Q', every: 1, minScored: 5 }), 4);
  assert.equal(specPeriodsPerYear({ frequency: 'W', every: 1, minScored: 5 }), 52);
});

test('spec hash: canonical (key order does not matter), the description is not part of it, every other field is', () => {
  const a = validateModelSpec(base);
  const reordered = validateModelSpec(Object.fromEntries(Object.entries(base).reverse()));
  assert.equal(specHash(a), specHash(reordered));
  assert.equal(specHash(a), specHash(validateModelSpec(withField('description', 'other words'))));
  assert.notEqual(specHash(a), specHash(variantOf(a, { allocator: { name: 'top-k', k: 4 } })));
  assert.notEqual(specHash(a), specHash(variantOf(a, { costs: { bps: 11 } })));
  assert.match(specHash(a), /^[0-9a-f]{12}$/);
  assert.equal(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
});

test('bad specs are named errors that say where', () => {
  throwsCode(() => parseModelSpec('{ "name": "x", }', 'bad.json'), 'MODEL_SPEC_NOT_JSON');
  throwsCode(() => loadModelSpec('models/nope.json'), 'MODEL_SPEC_NOT_FOUND');
  const e1 = throwsCode(() => validateModelSpec(withField('factors', [{ id: 'mom_12_1' }, { id: 'no_such_factor' }]), 'f.json'), 'MODEL_UNKNOWN_FACTOR');
  assert.equal(e1.where.factor, 'no_such_factor');
  const e2 = throwsCode(() => validateModelSpec(withField('allocator', { name: 'kelly' })), 'MODEL_UNKNOWN_ALLOCATOR');
  assert.match(e2.fix, /top-k/);
  const e3 = throwsCode(() => validateModelSpec(withField('allocator', { name: 'top-k', k: '5' })), 'MODEL_BAD_PARAMETER');
  assert.equal(e3.where.parameter, 'allocator.k');
  throwsCode(() => validateModelSpec(withField('allocator', { name: 'top-k', k: 2.5 })), 'MODEL_BAD_PARAMETER');
  throwsCode(() => validateModelSpec(withField('allocator', { name: 'top-k', k: 0 })), 'MODEL_BAD_PARAMETER');
  const e4 = throwsCode(() => validateModelSpec(withField('allocator', { name: 'score-optimizer', caps: 0.05, maxHoldings: 10, turnoverBudget: 0.6 })), 'MODEL_INFEASIBLE_CAPS');
  assert.match(e4.fix, /0\.1000/);
  const e5 = throwsCode(() => validateModelSpec(withField('calendar', { frequency: 'fortnightly' })), 'MODEL_UNKNOWN_CALENDAR');
  assert.equal(e5.where.frequency, 'fortnightly');
  throwsCode(() => validateModelSpec(withField('split', '31/12/2019')), 'MODEL_BAD_PARAMETER');
  throwsCode(() => validateModelSpec(withField('composite', { method: 'icir', window: 6, minObservations: 12 })), 'MODEL_BAD_PARAMETER');
  throwsCode(() => validateModelSpec(withField('composite', { method: 'icir', shrinkage: 0.5 })), 'MODEL_BAD_PARAMETER');
  const e6 = throwsCode(() => validateModelSpec(withField('allocaton', { name: 'top-k', k: 5 })), 'MODEL_BAD_PARAMETER');
  assert.match(e6.what, /allocaton/);
  throwsCode(() => validateModelSpec(withField('selection', { rule: 'walk-forward', k: 3, minRankIcir: 2 })), 'MODEL_BAD_PARAMETER');
  throwsCode(() => validateModelSpec(withField('factors', [{ id: 'mom_12_1' }, { id: 'mom_12_1' }])), 'MODEL_BAD_PARAMETER');
  throwsCode(() => validateModelSpec({ ...base, factors: [{ id: 'mom_12_1' }], selection: { rule: 'walk-forward', k: 2 } }), 'MODEL_BAD_PARAMETER');
});
