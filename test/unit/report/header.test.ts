import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gitCommit, reportHeader, reportHeaderHtml } from '../../../src/report/header.js';
import type { MimeBundle } from '../../../src/report/notebook.js';

test('reportHeaderHtml: dataset, fingerprint, spec hash and commit, escaped', () => {
  const html = reportHeaderHtml({ dataset: ['simulator(seed=7)', 'CITIC <L1>'], fingerprint: 'abc123', specHash: 'f00d', commit: '1234567' });
  assert.match(html, /class="rotation-report-header"/);
  for (const s of ['simulator(seed=7), CITIC &lt;L1&gt;', 'abc123', 'f00d', '1234567', 'Data fingerprint', 'Spec hash', 'Commit']) assert.ok(html.includes(s), s);
  assert.match(reportHeaderHtml({ dataset: 'd', commit: 'x' }), /Spec hash<\/th><td><code>–<\/code>/);
});

test('reportHeader displays through the sink; gitCommit is the short HEAD here and "unknown" outside git', () => {
  const got: MimeBundle[] = [];
  reportHeader({ dataset: 'd', commit: 'c' }, (b) => got.push(b));
  assert.equal(got.length, 1);
  assert.match(String(got[0]['text/html']), /<code>c<\/code>/);
  assert.match(gitCommit(), /^[0-9a-f]{7,}( \(\+ uncommitted changes\))?$/);
  assert.equal(gitCommit(mkdtempSync(path.join(os.tmpdir(), 'nogit-'))), 'unknown (no git)');
});
