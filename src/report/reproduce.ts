/**
 * `npm run reproduce`: compare a fresh run's key results with the committed ones, section by
 * section, and say which sections could not be reproduced here for lack of real data.
 *
 * The runner (scripts/run-notebooks.ts) executes the notebooks with their key results redirected
 * to a scratch folder (`ROTATION_RESULTS_DIR`, see keyResults.ts), reads the committed files from
 * git (`git show HEAD:docs/results/<nb>.md`), and calls `compareKeyResults` per notebook. The
 * working tree's docs/results is never written by `reproduce`.
 *
 * Section status:
 *   identical  the fresh section is byte-identical to the committed one;
 *   skipped    not identical (or not produced), and the committed section names a dataset of
 *              `../shared/data` that is absent on this machine (DATASET_MARKERS): the reason says
 *              which, and how many of the section's other lines (naming no absent dataset) came
 *              out identical (informative: a table with a column per dataset changes every row);
 *   differs    anything else (with the first differing line) — the run fails.
 */
import { RotationError } from '../errors.js';

/** Real datasets under ../shared/data, and how a key-results section shows that it uses one. */
export const DATASET_MARKERS: readonly { dataset: string; pattern: RegExp }[] = [
  { dataset: 'citic_l1_industry', pattern: /CITIC|citic_l1_industry/ },
  { dataset: 'ashare_stocks', pattern: /A-share|ashare_stocks|Shenwan/ },
  { dataset: 'ff_industry_portfolios', pattern: /French|Fama|ff_industry_portfolios/ },
  { dataset: 'sw_citic_valuation', pattern: /sw_citic_valuation/ },
];

export interface KeyResultsSection {
  /** Heading text after `## ` ('(preamble)' for the text before the first heading). */
  title: string;
  /** 1-based line number of the heading in the file. */
  line: number;
  text: string;
}

/** Split a key-results Markdown file into its preamble and `## ` sections. */
export function splitSections(md: string): KeyResultsSection[] {
  const lines = md.split('\n');
  const out: KeyResultsSection[] = [];
  let cur: { title: string; line: number; lines: string[] } = { title: '(preamble)', line: 1, lines: [] };
  lines.forEach((l, i) => {
    if (l.startsWith('## ')) {
      out.push({ title: cur.title, line: cur.line, text: cur.lines.join('\n') });
      cur = { title: l.slice(3).trim(), line: i + 1, lines: [l] };
    } else {
      cur.lines.push(l);
    }
  });
  out.push({ title: cur.title, line: cur.line, text: cur.lines.join('\n') });
  return out;
}

export type SectionStatus = 'identical' | 'differs' | 'skipped';

export interface SectionResult {
  notebook: string;
  section: string;
  status: SectionStatus;
  /** differs: the first differing line (committed vs fresh); skipped: why. */
  detail: string;
}

/** First differing line of two texts, as `line N: committed "…" vs fresh "…"` (line numbers from `offset`). */
export function firstDifferingLine(committed: string, fresh: string, offset = 1): string {
  const a = committed.split('\n'), b = fresh.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      const show = (s: string | undefined) => (s === undefined ? '(no line)' : `"${s.length > 120 ? `${s.slice(0, 117)}...` : s}"`);
      return `line ${i + offset}: committed ${show(a[i])} vs fresh ${show(b[i])}`;
    }
  }
  return '';
}

/** Datasets a section's committed text names (DATASET_MARKERS). */
export function datasetsOfSection(text: string): string[] {
  return DATASET_MARKERS.filter((m) => m.pattern.test(text)).map((m) => m.dataset);
}

/**
 * Compare the committed and the fresh key results of one notebook, section by section.
 * `present` lists the datasets of ../shared/data found on this machine. A committed file that
 * does not exist (`committed` null) makes every fresh section 'differs' (new file); a fresh file
 * that was not written (`fresh` null) makes every committed section differ or be skipped.
 */
export function compareKeyResults(notebook: string, committed: string | null, fresh: string | null, present: readonly string[]): SectionResult[] {
  const out: SectionResult[] = [];
  const freshSections = fresh === null ? [] : splitSections(fresh);
  const byTitle = new Map(freshSections.map((s) => [s.title, s]));
  if (committed === null) {
    return [{ notebook, section: '(whole file)', status: 'differs', detail: 'no committed docs/results file (new notebook? commit its key results)' }];
  }
  const committedSections = splitSections(committed);
  for (const c of committedSections) {
    const f = byTitle.get(c.title);
    if (f && f.text === c.text) {
      out.push({ notebook, section: c.title, status: 'identical', detail: '' });
      continue;
    }
    const missing = datasetsOfSection(c.text).filter((d) => !present.includes(d));
    const diff = f ? firstDifferingLine(c.text, f.text, c.line) : fresh === null ? 'no fresh key-results file was written' : 'section not produced by the fresh run';
    if (missing.length) {
      // how much of the rest of the section (lines that name no absent dataset) did come out the same
      const patterns = DATASET_MARKERS.filter((m) => missing.includes(m.dataset)).map((m) => m.pattern);
      const other = c.text.split('\n').filter((l) => l.trim() !== '' && !patterns.some((p) => p.test(l)));
      const freshLines = new Set((f?.text ?? '').split('\n'));
      const same = other.filter((l) => freshLines.has(l)).length;
      out.push({
        notebook, section: c.title, status: 'skipped',
        detail: `needs ../shared/data/${missing.join(', ../shared/data/')} (absent here); ${same} of ${other.length} other lines reproduced`,
      });
    } else {
      out.push({ notebook, section: c.title, status: 'differs', detail: diff });
    }
  }
  const committedTitles = new Set(committedSections.map((s) => s.title));
  for (const f of freshSections) {
    if (!committedTitles.has(f.title)) out.push({ notebook, section: f.title, status: 'differs', detail: `new section (line ${f.line} of the fresh file) not in the committed file` });
  }
  return out;
}

/**
 * Every committed key-results file must have its notebook: REPRODUCE_NOTEBOOK_MISSING names the
 * results files whose notebooks/<stem>.ipynb is absent (a deleted or renamed notebook).
 */
export function checkNotebooksPresent(committedResults: readonly string[], notebooks: readonly string[]): void {
  const stems = new Set(notebooks.map((n) => n.replace(/^.*\//, '').replace(/\.ipynb$/, '')));
  const orphans = committedResults.map((f) => f.replace(/^.*\//, '').replace(/\.md$/, '')).filter((s) => !stems.has(s));
  if (orphans.length) {
    throw new RotationError('REPRODUCE_NOTEBOOK_MISSING', `${orphans.length} committed key-results file(s) have no notebook`,
      { results: orphans.map((s) => `docs/results/${s}.md`), expected: orphans.map((s) => `notebooks/${s}.ipynb`) },
      'restore the notebook (git checkout HEAD -- notebooks/<name>.ipynb) or, if it was removed on purpose, delete its docs/results file in the same commit');
  }
}

/** The summary table (plain text, aligned columns): notebook, section, status, detail. */
export function summaryTable(rows: readonly SectionResult[]): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);
  const data = rows.map((r) => [r.notebook, cut(r.section, 60), r.status, r.detail]);
  const head = ['notebook', 'section', 'status', 'detail'];
  const w = head.map((h, k) => Math.max(h.length, ...data.map((d) => d[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k === cells.length - 1 ? c : c.padEnd(w[k]))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(Math.min(n, 12)))), ...data.map(line)].join('\n');
}
