/**
 * The report header: what a reader needs to trust an exported notebook (dataset, data
 * fingerprint, spec hash, code commit), shown as the first output of a notebook.
 *
 *   reportHeader({ dataset: 'simulator(seed=7)', fingerprint, specHash });   // commit from git
 *
 * Inside tslab the header is displayed; elsewhere the HTML is only returned.
 */
import { spawnSync } from 'node:child_process';
import { tslabSink, type DisplaySink } from './display.js';
import { escapeHtml } from './table.js';

export interface ReportHeaderInfo {
  /** Dataset name(s) the notebook reports on. */
  dataset: string | readonly string[];
  /** Fingerprint of the input data (e.g. a hash of the loaded panels). */
  fingerprint?: string | readonly string[];
  /** Hash of the model / study specification. */
  specHash?: string;
  /** Code commit; default: `gitCommit()`. */
  commit?: string;
  /** Extra lines (window, caveats). */
  notes?: readonly string[];
}

/**
 * The short commit of the working tree: `git rev-parse --short HEAD`, with " (+ uncommitted
 * changes)" when `git status --porcelain` lists tracked changes; 'unknown (no git)' without git.
 */
export function gitCommit(root = process.cwd()): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (head.status !== 0 || !head.stdout.trim()) return 'unknown (no git)';
  const st = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
  const dirty = st.status === 0 && st.stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' (+ uncommitted changes)' : ''}`;
}

const list = (v: string | readonly string[] | undefined): string => (v === undefined ? '–' : typeof v === 'string' ? v : v.join(', '));

/** The header as HTML: a compact key/value table in `<div class="rotation-report-header">`. */
export function reportHeaderHtml(info: ReportHeaderInfo): string {
  const rows: [string, string][] = [
    ['Dataset', list(info.dataset)],
    ['Data fingerprint', list(info.fingerprint)],
    ['Spec hash', info.specHash ?? '–'],
    ['Commit', info.commit ?? gitCommit()],
  ];
  const body = rows.map(([k, v]) => `<tr><th style="text-align:left;padding:2px 12px 2px 0">${escapeHtml(k)}</th><td><code>${escapeHtml(v)}</code></td></tr>`).join('');
  const notes = info.notes?.length ? `<ul style="margin:6px 0 0">${info.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `<div class="rotation-report-header" style="border:1px solid #ddd;background:#fafafa;padding:8px 12px;margin:8px 0;font-size:13px">`
    + `<table style="border-collapse:collapse">${body}</table>${notes}</div>`;
}

/** Display the report header (tslab) and return its HTML. `sink` overrides the display channel (tests). */
export function reportHeader(info: ReportHeaderInfo, sink: DisplaySink | undefined = tslabSink()): string {
  const html = reportHeaderHtml(info);
  sink?.({ 'text/html': html, 'text/plain': `dataset ${list(info.dataset)}; fingerprint ${list(info.fingerprint)}; spec ${info.specHash ?? '–'}` });
  return html;
}
