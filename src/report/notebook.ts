/**
 * The notebook display session: one object per notebook, created in its first cell.
 *
 *   const nb = openNotebook('01_problem_framing');
 *   nb.chart(lineChart(...));      // plotly, embedded once, offline in JupyterLab and exported HTML
 *   nb.table(rows, { caption });   // HTML table
 *   nb.keyResult({ title, rows }); // collected, then
 *   nb.saveKeyResults();           // → docs/results/01_problem_framing.md
 *
 * Inside a tslab kernel output goes to Jupyter as display_data with a MIME bundle (text/html plus
 * application/vnd.plotly.v1+json for charts); elsewhere (tests, CLI) it is collected in `outputs`.
 * State lives in the session object, never in the module.
 */
import type { ColumnTable } from 'arquero';
import { asTable } from './show.js';
import path from 'node:path';
import { chartHtml, plotlyLibraryHtml, plotlyMimePayload, type Figure } from './plotly.js';
import { htmlTable, escapeHtml, type TableData, type TableOptions } from './table.js';
import { writeKeyResults, type KeyResultSection } from './keyResults.js';
import { reportHeaderHtml, type ReportHeaderInfo } from './header.js';
import { watchSrc } from './reload.js';
import { tslabSink, type DisplaySink, type MimeBundle } from './display.js';

export { tslabSink, type MimeBundle, type DisplaySink } from './display.js';

export interface NotebookOptions {
  /** Where output goes; default: tslab when inside a kernel, else an in-memory list. */
  sink?: DisplaySink;
  /** Project root for docs/results (default: process.cwd()). */
  root?: string;
  /**
   * Inside a tslab kernel, watch src/ so an edit takes effect on re-import, importers included
   * (reload.ts; default true). Ignored outside tslab or with an explicit sink.
   */
  watchSrc?: boolean;
}

export class NotebookSession {
  readonly name: string;
  /** Everything displayed, in order (also filled when a tslab sink is used). */
  readonly outputs: MimeBundle[] = [];
  private readonly sink: DisplaySink;
  private readonly root: string;
  private plotlyLoaded = false;
  private chartCount = 0;
  private readonly sections: KeyResultSection[] = [];
  /**
   * Every table this notebook displayed, as an arquero table, keyed by its caption (or "table N"):
   * the researcher filters, groups and joins a shown result in the next cell, e.g.
   * `nb.tables.get('…caption…')!.filter((d) => d.tActive > 2)`.
   */
  readonly tables = new Map<string, ColumnTable>();

  constructor(name: string, options: NotebookOptions = {}) {
    this.name = name;
    this.root = options.root ?? process.cwd();
    const inKernel = options.sink === undefined ? tslabSink() : undefined;
    const external = options.sink ?? inKernel;
    if (inKernel && options.watchSrc !== false) watchSrc({ dir: path.join(this.root, 'src') });
    this.sink = (bundle) => {
      this.outputs.push(bundle);
      external?.(bundle);
    };
  }

  /** Display raw HTML. */
  html(html: string): void {
    this.sink({ 'text/html': html, 'text/plain': stripTags(html).slice(0, 2000) });
  }

  /** Display Markdown. */
  markdown(md: string): void {
    this.sink({ 'text/markdown': md, 'text/plain': md });
  }

  /** Display a plotly figure (embeds plotly.js on first use). */
  chart(fig: Figure, options: { title?: string } = {}): void {
    if (!this.plotlyLoaded) {
      this.sink({ 'text/html': plotlyLibraryHtml(), 'text/plain': '(plotly.js loaded)' });
      this.plotlyLoaded = true;
    }
    this.chartCount += 1;
    const id = `chart-${this.name.replace(/[^0-9A-Za-z_-]/g, '_')}-${this.chartCount}`;
    const withTitle = options.title ? { ...fig, layout: { ...(fig.layout ?? {}), title: { text: options.title } } } : fig;
    this.sink({
      'application/vnd.plotly.v1+json': plotlyMimePayload(withTitle),
      'text/html': chartHtml(withTitle, id),
      'text/plain': `(chart ${this.chartCount}${options.title ? `: ${options.title}` : ''})`,
    });
  }

  /** Display the report header (dataset, data fingerprint, spec hash, commit); see header.ts. */
  header(info: ReportHeaderInfo): void {
    this.html(reportHeaderHtml(info));
  }

  /**
   * Display the notebook's headline conclusion in `<div class="rotation-conclusion">`; the
   * report index (docs/reports/index.html) quotes it next to the link.
   */
  conclusion(text: string): void {
    this.sink({
      'text/html': `<div class="rotation-conclusion" style="border-left:4px solid #2b6cb0;background:#f5f9ff;padding:8px 12px;margin:8px 0"><strong>What the data says.</strong> ${escapeHtml(text)}</div>`,
      'text/plain': `What the data says. ${text}`,
    });
  }

  /** Display a table of row objects or an arquero table, and keep it as an arquero table in `tables`. */
  table(data: TableData, options: TableOptions = {}): void {
    this.tables.set(options.caption ?? `table ${this.tables.size + 1}`, asTable(data));
    this.html(htmlTable(data, options));
  }

  /** Add a section to this notebook's key results (saved by saveKeyResults). */
  keyResult(section: KeyResultSection): void {
    this.sections.push(section);
  }

  /** Write docs/results/<notebook>.md and display the key results. */
  saveKeyResults(): { file: string; changed: boolean } {
    const out = writeKeyResults(this.name, this.sections, this.root);
    const html = this.sections
      .map((s) => `<h3>${escapeHtml(s.title)}</h3>${s.note ? `<p>${escapeHtml(s.note)}</p>` : ''}${htmlTable(s.rows, s.options)}`)
      .join('\n');
    this.html(`<h2>Key results</h2>${html}<p><em>Saved to ${escapeHtml(out.file)}.</em></p>`);
    return out;
  }
}

/** Open the display session for a notebook. */
export function openNotebook(name: string, options: NotebookOptions = {}): NotebookSession {
  return new NotebookSession(name, options);
}

function stripTags(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}
