/**
 * docs/reports/index.html: one line per exported notebook report with its title, its headline
 * conclusion and its size. The conclusion is read from the exported HTML, first match wins:
 *   1. the text of `<div class="rotation-conclusion">` (NotebookSession.conclusion),
 *   2. the first paragraph (and list) after a heading "What the data says",
 *   3. none: the title stands alone.
 */
import { escapeHtml } from './table.js';

export interface ReportIndexEntry {
  file: string;
  title: string;
  conclusion: string;
  bytes: number;
}

function textOf(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ')
    .replace(/&para;|¶/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ').trim();
}

/** Shorten to at most `n` characters at a word boundary. */
function clip(s: string, n = 400): string {
  if (s.length <= n) return s;
  const cut = s.slice(0, n);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), n - 40))} …`;
}

/** The headline conclusion of an exported report ('' when the report states none). */
export function reportConclusion(html: string): string {
  const div = /<div class="rotation-conclusion"[^>]*>([\s\S]*?)<\/div>/i.exec(html);
  if (div) return clip(textOf(div[1]));
  const h = /<h([1-6])[^>]*>[^<]*What the data says[\s\S]*?<\/h\1>([\s\S]*?)(?=<h[1-6][\s>]|<\/div>\s*<\/div>\s*<\/div>)/i.exec(html);
  if (h) return clip(textOf(h[2]));
  return '';
}

/** Title of an exported report: its `<title>`, else the file stem. */
export function reportTitle(html: string, file: string): string {
  const t = /<title>([\s\S]*?)<\/title>/i.exec(html);
  const title = t ? textOf(t[1]) : '';
  return title && title !== 'Notebook' ? title : file.replace(/\.html$/, '');
}

/** The index entry of one report file. */
export function reportIndexEntry(file: string, html: string, bytes: number): ReportIndexEntry {
  return { file, title: reportTitle(html, file), conclusion: reportConclusion(html), bytes };
}

/** The index page: a title, one list item per report (link, conclusion or nothing, size). */
export function reportIndexHtml(entries: readonly ReportIndexEntry[], title = 'Industry rotation research: reports'): string {
  const items = entries.map((e) => `<li><a href="${escapeHtml(encodeURI(e.file))}">${escapeHtml(e.title)}</a> <span class="size">(${(e.bytes / 1e6).toFixed(1)} MB)</span>`
    + `${e.conclusion ? `<p>${escapeHtml(e.conclusion)}</p>` : ''}</li>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    '<style>body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:960px;margin:24px auto;padding:0 16px;color:#222}',
    'li{margin:10px 0}li p{margin:4px 0 0;color:#333}.size{color:#777;font-size:12px}</style>',
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    '<p>Each notebook exported with its outputs (code hidden; use the toggle at the top right of a report to show it). Rebuilt by <code>npm run notebooks</code>.</p>',
    `<ol>\n${items.join('\n')}\n</ol>`,
    '</body></html>',
    '',
  ].join('\n');
}
