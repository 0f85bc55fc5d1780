/**
 * Edits to `src/` take effect on re-import in a running tslab kernel, without a restart.
 *
 * How tslab loads local modules: it compiles every imported `.ts` file with a TypeScript watch
 * program and keeps each compiled module in its own cache (not `require.cache`). When a file
 * changes on disk, tslab's file watcher marks that one file for recompilation, and re-running an
 * import cell re-emits it and drops its cached module. Modules that import it are not marked, so
 * they stay cached and keep the old exports: an edit to `src/metrics/returns.ts` is invisible
 * through `src/report/tearsheet.ts` until the kernel restarts.
 *
 * `watchSrc` closes that gap: it watches `src/` (fs.watch, recursive) and, when a file changes,
 * touches (sets the modification time of, content unchanged) every `src/` file that imports it,
 * directly or transitively (`srcImporters`). tslab's watcher then marks all of them, and the next
 * run of an import cell reloads the whole chain. `openNotebook` starts it inside a tslab kernel.
 *
 * Limits: objects created before the edit keep their old code (re-run the cells that build
 * them); only static `import … from './x.js'` / `export … from` / `import('./x.js')` edges
 * inside the watched folder are followed; touched files get a new mtime (an editor that has one
 * of them open may report it changed on disk, with identical content); new files are picked up
 * when first imported. One watcher per kernel (kept on globalThis; `close()` stops it).
 */
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every .ts file under `dir` (absolute paths, sorted). */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The local files a TypeScript source imports (relative specifiers, `.js` → `.ts`). */
export function localImports(file: string, text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1];
    const abs = path.resolve(path.dirname(file), spec);
    out.add(abs.endsWith('.js') ? `${abs.slice(0, -3)}.ts` : abs.endsWith('.ts') ? abs : `${abs}.ts`);
  }
  return Array.from(out);
}

/**
 * Files under `dir` that import `changed`, directly or through other files under `dir`
 * (breadth-first over the reversed import graph; `changed` itself excluded; sorted).
 */
export function srcImporters(changed: string, dir: string): string[] {
  const target = path.resolve(changed);
  const importers = new Map<string, string[]>();
  for (const f of tsFilesUnder(path.resolve(dir))) {
    for (const dep of localImports(f, readFileSync(f, 'utf8'))) {
      const list = importers.get(dep);
      if (list) list.push(f); else importers.set(dep, [f]);
    }
  }
  const seen = new Set<string>([target]);
  const queue = [target];
  while (queue.length) {
    const f = queue.shift()!;
    for (const imp of importers.get(f) ?? []) {
      if (!seen.has(imp)) { seen.add(imp); queue.push(imp); }
    }
  }
  seen.delete(target);
  return Array.from(seen).sort();
}

export interface SrcWatcher {
  readonly dir: string;
  close(): void;
}

export interface WatchSrcOptions {
  /** Folder to watch (default `<cwd>/src`). */
  dir?: string;
  /** Called with a one-line note each time importers are touched (default: silent). */
  log?: (message: string) => void;
  /** Milliseconds to collect a burst of saves before touching (default 100). */
  debounceMs?: number;
}

const KEY = Symbol.for('rotation.watchSrc');

/**
 * Watch `dir` and touch the importers of every changed .ts file (module comment). Idempotent per
 * kernel: a second call returns the running watcher. Returns null when the folder is missing or
 * the platform cannot watch it recursively.
 */
export function watchSrc(options: WatchSrcOptions = {}): SrcWatcher | null {
  const g = globalThis as unknown as Record<symbol, SrcWatcher | undefined>;
  if (g[KEY]) return g[KEY]!;
  const dir = path.resolve(options.dir ?? path.join(process.cwd(), 'src'));
  if (!existsSync(dir)) return null;
  const touched = new Map<string, number>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const changed = Array.from(pending);
    pending.clear();
    const all = new Set<string>();
    for (const f of changed) for (const imp of srcImporters(f, dir)) all.add(imp);
    const now = new Date();
    for (const f of all) {
      try {
        utimesSync(f, now, now);
        touched.set(f, statSync(f).mtimeMs);
      } catch { /* deleted meanwhile */ }
    }
    if (all.size) options.log?.(`watchSrc: ${changed.map((f) => path.relative(dir, f)).join(', ')} changed; ${all.size} importer(s) marked for reload`);
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, (_event, name) => {
      if (!name || !String(name).endsWith('.ts')) return;
      const file = path.join(dir, String(name));
      let mtime: number;
      try { mtime = statSync(file).mtimeMs; } catch { return; }
      if (touched.get(file) === mtime) return; // our own touch
      touched.delete(file);
      pending.add(file);
      if (!timer) timer = setTimeout(flush, options.debounceMs ?? 100);
    });
  } catch {
    return null;
  }
  const handle: SrcWatcher = {
    dir,
    close: () => {
      watcher.close();
      if (timer) clearTimeout(timer);
      if (g[KEY] === handle) g[KEY] = undefined;
    },
  };
  g[KEY] = handle;
  return handle;
}
