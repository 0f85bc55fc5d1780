/**
 * Instrument map parsing: a valid map with a basket and prices; every bad input named with its row.
 * Run: node --import tsx --test test/unit/deploy/instruments.test.ts
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInstrumentMap } from '../../../src/deploy/instruments.js';
import { throwsCode } from '../assertions.js';

const IND = ['A', 'B', 'C'];
const H = 'industry,instrument,share,price\n';

describe('parseInstrumentMap', () => {
  it('parses single instruments, baskets and optional prices', () => {
    const m = parseInstrumentMap(`${H}A,ETFA,1,1.5\nB,ETFB1,0.6,2\nB,ETFB2,0.4,\n`, 'm.csv', IND);
    assert.deepEqual(m.map, { A: [{ instrument: 'ETFA', share: 1 }], B: [{ instrument: 'ETFB1', share: 0.6 }, { instrument: 'ETFB2', share: 0.4 }] });
    assert.deepEqual(m.prices, { ETFA: 1.5, ETFB1: 2 });
    assert.deepEqual(m.instruments, ['ETFA', 'ETFB1', 'ETFB2']);
    // The price column is optional.
    assert.deepEqual(parseInstrumentMap('industry,instrument,share\nC,X,1\n', 'm.csv', IND).prices, {});
  });
  it('names every bad input with file, row and column', () => {
    throwsCode(() => parseInstrumentMap('industry,etf,share\nA,X,1', 'm.csv', IND), 'DEPLOY_MAP_COLUMNS');
    assert.equal(throwsCode(() => parseInstrumentMap(`${H}A,X,1,1\nZ,Y,1,1`, 'm.csv', IND), 'DEPLOY_MAP_UNKNOWN_INDUSTRY').where.row, 3);
    assert.equal(throwsCode(() => parseInstrumentMap(`${H}A,X,1,1\nB,X,1,1`, 'm.csv', IND), 'DEPLOY_MAP_DUPLICATE').where.firstRow, 2);
    assert.equal(throwsCode(() => parseInstrumentMap(`${H}A,X,one,1`, 'm.csv', IND), 'DEPLOY_MAP_TEXT').where.column, 'share');
    assert.equal(throwsCode(() => parseInstrumentMap(`${H}A,X,1,1.2 yuan`, 'm.csv', IND), 'DEPLOY_MAP_TEXT').where.column, 'price');
    throwsCode(() => parseInstrumentMap(`${H}A,,1,1`, 'm.csv', IND), 'DEPLOY_MAP_TEXT');
    throwsCode(() => parseInstrumentMap(`${H}A,X,1.5,1`, 'm.csv', IND), 'DEPLOY_MAP_BAD_SHARE');
    const e = throwsCode(() => parseInstrumentMap(`${H}A,X,0.5,1\nA,Y,0.3,1`, 'm.csv', IND), 'DEPLOY_MAP_BAD_SHARE');
    assert.equal(e.where.industry, 'A');
    throwsCode(() => parseInstrumentMap(`${H}A,X,1,0`, 'm.csv', IND), 'DEPLOY_MAP_BAD_PRICE');
  });
});
