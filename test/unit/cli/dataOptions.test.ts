/** The shared data flags: parsed into one DataOptions, bad values are usage errors (CLI_BAD_VALUE). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions, type CommandSpec } from '../../../src/cli/args.js';
import { DATA_OPTION_SPECS, dataOptionsFrom } from '../../../src/cli/dataOptions.js';
import { throwsCode } from '../assertions.js';

const CMD: CommandSpec = { name: 'run', summary: '', options: [...DATA_OPTION_SPECS] };

test('defaults: 5% loss limit, 5 carry days, 5 industries, nothing else set', () => {
  const d = dataOptionsFrom(parseOptions(CMD, []));
  assert.deepEqual(d.load, { maxLoss: 0.05 });
  assert.deepEqual(d.gapPolicy, { maxCarryDays: 5 });
  assert.equal(d.minIndustries, 5);
});

test('every flag an error fix names reaches the options object', () => {
  const d = dataOptionsFrom(parseOptions(CMD, ['--decimal', ',', '--date-format', 'MM/DD/YYYY', '--vendor', 'wind', '--renormalize', '--strict',
    '--max-loss', '0.2', '--min-industries', '3', '--max-carry-days', '10']));
  assert.deepEqual(d.load, { maxLoss: 0.2, decimal: ',', dateFormat: 'MM/DD/YYYY', vendor: 'wind', renormalize: true, strict: true });
  assert.equal(d.minIndustries, 3);
  assert.deepEqual(d.gapPolicy, { maxCarryDays: 10 });
  assert.equal(dataOptionsFrom(parseOptions(CMD, ['--max-carry-days=error'])).gapPolicy, 'error');
});

test('bad values are CLI_BAD_VALUE naming the flag', () => {
  for (const [flag, v] of [['decimal', ';'], ['date-format', 'DD.MM.YY'], ['vendor', 'bloomberg'], ['max-loss', '5'], ['max-loss', 'x'],
    ['min-industries', '0'], ['max-carry-days', '-1'], ['max-carry-days', '2.5']] as const) {
    const e = throwsCode(() => dataOptionsFrom(parseOptions(CMD, [`--${flag}`, v])), 'CLI_BAD_VALUE');
    assert.equal(e.where.argument, flag);
  }
});
