/**
 * Output writing: a target that cannot be written is a named error raised before any file is
 * written, and no temporary or partial file is left behind.
 * Run: node --import tsx --test test/unit/cli/outputs.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { existsSync, mkdtempSync, readdirSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkWritable, writeOutputs } from '../../../src/cli/outputs.js';
import { throwsCode } from '../assertions.js';

describe('writeOutputs', () => {
  it('writes every file, creating folders', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'out-'));
    writeOutputs([{ file: path.join(dir, 'a', 'x.csv'), text: 'x\n1\n' }, { file: path.join(dir, 'y.csv'), text: 'y\n' }]);
    assert.equal(readFileSync(path.join(dir, 'a', 'x.csv'), 'utf8'), 'x\n1\n');
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'y.csv']);
  });
  it('checks every target first: one unwritable path means nothing is written', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'out-'));
    writeFileSync(path.join(dir, 'afile'), 'not a folder');
    const e = throwsCode(() => writeOutputs([{ file: path.join(dir, 'good.csv'), text: 'g\n' }, { file: path.join(dir, 'afile', 'bad.csv'), text: 'b\n' }]), 'CLI_OUTPUT_NOT_WRITABLE');
    assert.match(e.message, /afile/);
    assert.ok(!existsSync(path.join(dir, 'good.csv')), 'the writable file must not be written either');
    assert.deepEqual(readdirSync(dir), ['afile']);
  });
  it('a folder where the file should go is named', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'out-'));
    mkdirSync(path.join(dir, 'x.csv'));
    throwsCode(() => checkWritable(path.join(dir, 'x.csv')), 'CLI_OUTPUT_NOT_WRITABLE');
  });
});
