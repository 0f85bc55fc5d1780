/**
 * allocate's safe deployment (src/cli/deploy.ts): the targets file records its spec and is not
 * overwritten by another spec without --force; the monitor's health check runs before writing,
 * warns when more than half of the spec's factors are failed or stale, and --require-healthy
 * makes that DEPLOY_UNHEALTHY_FACTORS with nothing written.
 * Run: node --import tsx --test test/unit/cli/deploy.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allocateCommand, checkTargetsOverwrite, recordedSpecHash, SPEC_HASH_COLUMN, UNHEALTHY_SHARE } from '../../../src/cli/deploy.js';
import { loadModelSpec } from '../../../src/model/files.js';
import { specHash } from '../../../src/model/spec.js';
import { simulateMarketCached as simulateMarket } from '../../../src/data/simulatorCache.js'; // the on-disk cache: same value, simulated once
import { factorStudy } from '../../../src/model/evidence.js';
import { monitorReport } from '../../../src/monitor/report.js';
import { RotationError } from '../../../src/errors.js';
import { throwsCode } from '../assertions.js';

const HEADER = 'date,industry,name,score,rank,targetWeight,previousWeight,change';

describe('recordedSpecHash', () => {
  it('reads the last field of the first row when the last column is specHash', () => {
    assert.equal(recordedSpecHash(`${HEADER},${SPEC_HASH_COLUMN}\n2024-12-31,IND01,"Food, Beverage",0.7,1,0.2,0.2,0,1d27b17a5857\n`), '1d27b17a5857');
    assert.equal(recordedSpecHash(`${HEADER},${SPEC_HASH_COLUMN}\r\n2024-12-31,IND01,x,0.7,1,0.2,0.2,0,abc123\r\n`), 'abc123');
  });
  it('is empty for a file of unknown provenance: no specHash column, no row, or a non-hex value', () => {
    assert.equal(recordedSpecHash(`${HEADER}\n2024-12-31,IND01,x,0.7,1,0.2,0.2,0\n`), '');
    assert.equal(recordedSpecHash(`${HEADER},${SPEC_HASH_COLUMN}\n`), '');
    assert.equal(recordedSpecHash(`${HEADER},${SPEC_HASH_COLUMN}\n2024-12-31,IND01,x,0.7,1,0.2,0.2,0,not a hash\n`), '');
    assert.equal(recordedSpecHash('hello'), '');
  });
});

describe('checkTargetsOverwrite', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-guard-'));
  const file = path.join(dir, 'targets.csv');
  writeFileSync(file, `${HEADER},${SPEC_HASH_COLUMN}\n2024-12-31,IND01,x,0.7,1,0.2,0.2,0,aaaa1111\n`);
  it('no file, or the same spec: nothing to refuse', () => {
    assert.equal(checkTargetsOverwrite(path.join(dir, 'none.csv'), 'bbbb2222', 'b', false), undefined);
    assert.equal(checkTargetsOverwrite(file, 'aaaa1111', 'a', false), undefined);
  });
  it('another spec\'s file: DEPLOY_OUTPUT_OTHER_SPEC naming both hashes; --force returns the overwritten hash', () => {
    const e = throwsCode(() => checkTargetsOverwrite(file, 'bbbb2222', 'model: b', false), 'DEPLOY_OUTPUT_OTHER_SPEC');
    assert.equal(e.where.existingSpec, 'aaaa1111');
    assert.equal(e.where.spec, 'bbbb2222');
    assert.match(e.message, /--force/);
    assert.equal(checkTargetsOverwrite(file, 'bbbb2222', 'model: b', true), 'aaaa1111');
  });
  it('a file without a specHash column is of unknown provenance: refused too', () => {
    const old = path.join(dir, 'old.csv');
    writeFileSync(old, `${HEADER}\n2024-12-31,IND01,x,0.7,1,0.2,0.2,0\n`);
    assert.equal(throwsCode(() => checkTargetsOverwrite(old, 'bbbb2222', 'b', false), 'DEPLOY_OUTPUT_OTHER_SPEC').where.existingSpec, 'unknown');
    assert.equal(checkTargetsOverwrite(old, 'bbbb2222', 'b', true), 'unknown');
  });
});

describe('allocate on the default simulator (seed 7, 2024-12-31)', () => {
  // Six factors the monitor reports failed at 2024-12-31 under the default rules (crowding_volume_z
  // is the factor the simulator switches off), plus mom_12_1 (healthy): 6 of 7 > 50% unhealthy.
  const FAILING = ['volume_chg_1m', 'crowding_volume_z', 'coverage_chg_3m', 'hf_overnight_ret_1m', 'hf_last30_ret_1m', 'hf_overnight_ret_1m_daily'];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deploy-alloc-'));
  const base = JSON.parse(readFileSync('models/default.json', 'utf8'));
  const specFile = path.join(dir, 'unhealthy.json');
  writeFileSync(specFile, JSON.stringify({ ...base, name: 'unhealthy factors (test)', factors: [...FAILING, 'mom_12_1'].map((id) => ({ id })) }, null, 2));
  const opts = { data: 'sim', seed: 7, asOf: '2024-12-31', model: specFile, quiet: true };
  const out = path.join(dir, 'targets.csv');

  it('--require-healthy on an unhealthy date: DEPLOY_UNHEALTHY_FACTORS with the counts and worst factors, nothing written', async () => {
    const e = await allocateCommand({ ...opts, out, requireHealthy: true }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof RotationError && e.code === 'DEPLOY_UNHEALTHY_FACTORS', String(e));
    assert.match(e.message, /6 of 7 factors .* failed or stale at 2024-12-31/);
    assert.match(e.message, /healthy 1, weakening 0, failed 6, stale 0, warmup 0/);
    assert.ok((e.where.worst as string[]).some((w) => w.startsWith('crowding_volume_z failed')));
    assert.deepEqual(readdirSync(dir), ['unhealthy.json'], 'no targets file');
  });

  it('without --require-healthy: the warning block, then the targets with their specHash; counts = the monitor report\'s', async () => {
    const lines: string[] = [];
    const error = console.error, log = console.log;
    console.error = (...a: unknown[]) => { lines.push(a.join(' ')); };
    console.log = () => {};
    let r;
    try { r = await allocateCommand({ ...opts, out }); } finally { console.error = error; console.log = log; }
    assert.ok(r.health.warn);
    assert.equal(r.health.unhealthy, 6);
    ok(r.health.unhealthy > UNHEALTHY_SHARE * r.health.factors);
    assert.deepEqual(r.health.worst.slice(0, 6).map((h) => h.status), new Array(6).fill('failed'));
    assert.equal(r.health.worst[6].factor, 'mom_12_1');
    const block = lines.join('\n');
    assert.match(block, /^WARNING factor health: 6 of 7 factors of spec "unhealthy factors \(test\)" \[[0-9a-f]+\] are failed or stale at 2024-12-31/);
    assert.match(block, /--require-healthy/);
    // independent: the monitor report on a fresh 1M study of the same market
    const st = factorStudy(simulateMarket({ seed: 7 }).dataset, [1]);
    const rep = monitorReport(st, { factors: [...FAILING, 'mom_12_1'], asOf: '2024-12-31' });
    assert.deepEqual(r.health.counts, rep.counts);
    const hash = specHash(loadModelSpec(specFile));
    const text = readFileSync(out, 'utf8');
    assert.equal(text.split('\n')[0], `${HEADER},${SPEC_HASH_COLUMN}`);
    assert.ok(text.trimEnd().split('\n').slice(1).every((l) => l.endsWith(`,${hash}`)));
  });

  it('the default spec refuses to overwrite that file without --force, and overwrites it with --force', async () => {
    const before = readFileSync(out, 'utf8');
    const e = await allocateCommand({ ...opts, model: undefined, out }).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof RotationError && e.code === 'DEPLOY_OUTPUT_OTHER_SPEC', String(e));
    assert.equal(readFileSync(out, 'utf8'), before, 'file unchanged');
    const error = console.error, log = console.log;
    console.error = () => {}; console.log = () => {};
    try { await allocateCommand({ ...opts, model: undefined, out, force: true }); } finally { console.error = error; console.log = log; }
    assert.equal(recordedSpecHash(readFileSync(out, 'utf8')), specHash(loadModelSpec('models/default.json')));
    ok(existsSync(out));
  });
});

function ok(cond: boolean, message = 'expected a true condition'): void { assert.ok(cond, message); }
