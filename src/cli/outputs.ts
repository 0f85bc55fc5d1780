/**
 * Output files of a command.
 *
 * Whole-folder outputs (`commitOutputFolder`): every file of a command's result folder is
 * computed first, then
 *   1. the output lock `<target>.lock` is held (`acquireOutputLock`: created with link(2), so it
 *      either exists complete or not at all; it holds pid, host, start time and a token; a lock
 *      whose pid is dead on this host is stale and is taken over; a live one is CLI_OUTPUT_LOCKED);
 *   2. a fresh temp folder `.<name>.tmp-XXXXXX` is created exclusively (mkdtemp, mode 0700) next
 *      to the target, in the same parent (so the final rename stays on one file system);
 *   3. every file is created in it with flag `wx` (O_CREAT|O_EXCL: never follows or reuses a
 *      planted file or symlink), written and fsynced;
 *   4. entries of the previous folder that the command does not own (not in the previous
 *      manifest and not produced now: e.g. `targets_<date>.csv` of `allocate` or `monitor_<date>/`
 *      beside a `run` result) are carried over as hard links (copies if linking fails);
 *   5. `manifest.json` is written last: format, `complete: true`, every file with its size and
 *      sha256, the carried entries; then the folder is fsynced;
 *   6. the swap: `<target>` -> `<target>.previous`, temp -> `<target>`, parent fsynced, and the
 *      previous folder removed (kept only with `keepPrevious`).
 * So `<target>` is at every instant absent, the previous complete folder or the new complete
 * folder; a kill between the two renames of step 6 leaves `<target>` absent and
 * `<target>.previous` complete, which `recoverOutputFolder` (run by every commit) renames back; a
 * kill after the swap but before the previous folder is removed leaves both complete, and the next
 * commit removes `<target>.previous`.
 * Leftover temp folders of killed runs are removed by the next commit under the lock.
 *
 * Single files (`writeOutputs`, used by `allocate` and `orders`) are written atomically one by
 * one (temp file created with `wx` + fsync + rename) after every target was checked writable.
 */
import { namedDatasets } from '../data/datasets.js';
import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync, closeSync, constants, existsSync, fsyncSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync,
  readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, copyFileSync, unlinkSync, writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotationError } from '../errors.js';
import { writeFileAtomic } from '../report/csv.js';

export interface OutputFile {
  file: string;
  text: string;
}

function errnoOf(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

function notWritable(file: string, reason: string): RotationError {
  return new RotationError('CLI_OUTPUT_NOT_WRITABLE', `Cannot write output file ${file}: ${reason}`, { file },
    'choose an output path in a folder you can write (--out)');
}

/** Check that `file` can be written: its folder exists or can be made, is writable, and `file` is not a folder. */
export function checkWritable(file: string): void {
  const dir = path.dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw notWritable(file, errnoOf(e));
  }
  let isDir = false;
  try { isDir = statSync(file).isDirectory(); } catch { /* does not exist yet: fine */ }
  if (isDir) throw notWritable(file, 'it is a folder');
}

/** Check every target, then write every file atomically (single files; folders go through `commitOutputFolder`). */
export function writeOutputs(files: readonly OutputFile[]): void {
  for (const f of files) checkWritable(f.file);
  for (const f of files) {
    try {
      writeFileAtomic(f.file, f.text);
    } catch (e) {
      throw notWritable(f.file, errnoOf(e));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Folder names

/** Folder-name slug: lower case, runs of non-alphanumerics to '_', no leading/trailing '_'. */
export function outputSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * Output folder name of a dataset. The named datasets keep their documented names
 * (`--data sim` -> `simulator_seed_<seed>`, `--data citic` / `sw` / `french49` ... -> the
 * dataset's slug): they are one dataset each (`namedDatasets()`). A folder of exports gets `<slug of the dataset name>-<h>`,
 * h = first 8 hex digits of sha256(real path of the folder), so two folders whose names slug
 * alike (`a-x`, `a_x`) or that share a name in different parents never write into one folder,
 * and one folder reached through different relative paths or symlinks always maps to the same one.
 */
export function outputFolderName(data: string, datasetName: string): string {
  const slug = outputSlug(datasetName) || 'dataset';
  if (namedDatasets().includes(data)) return slug;
  let real = path.resolve(data);
  try { real = realpathSync(real); } catch { /* not on disk (a test double): the resolved path */ }
  return `${slug}-${createHash('sha256').update(real).digest('hex').slice(0, 8)}`;
}

// ---------------------------------------------------------------------------------------------
// Exclusive file creation

/**
 * Create `file` with flag `wx` (fails with EEXIST if anything, a symlink included, is at the
 * name: nothing is followed or overwritten), write `data`, fsync, close. Returns the byte count.
 */
export function writeNewFile(file: string, data: string | Uint8Array, mode = 0o644): number {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(file, 'wx', mode);
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return buf.length;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch { /* not supported on this platform / file system: rename is still atomic */ } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Lock

export interface OutputLock {
  /** The output folder the lock guards (absolute). */
  readonly target: string;
  /** The lock file `<target>.lock`. */
  readonly file: string;
  readonly token: string;
  /** Remove the lock file if it is still ours (idempotent). */
  release(): void;
}

interface LockContent { pid: number; host: string; started: string; token: string; command?: string }

function readLock(file: string): LockContent | undefined {
  try {
    if (!lstatSync(file).isFile()) return undefined;
    const c = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    return typeof c.pid === 'number' && typeof c.token === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

/**
 * Take the lock `<targetDir>.lock` for writing `targetDir`: a temp file with
 * { pid, host, started, token, command } is linked to the lock name (link(2) fails if the name
 * exists, so two processes cannot both win). An existing lock whose pid is not running on this
 * host is stale: it is removed and the lock taken. Errors: CLI_OUTPUT_LOCKED (a live lock, or a
 * lock that cannot be read; names the pid and start time), CLI_OUTPUT_NOT_WRITABLE.
 */
export function acquireOutputLock(targetDir: string, options: { command?: string } = {}): OutputLock {
  const target = path.resolve(targetDir);
  const file = `${target}.lock`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
  } catch (e) {
    throw notWritable(target, errnoOf(e));
  }
  const content: LockContent = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), token: randomBytes(8).toString('hex'), command: options.command };
  const tmp = `${file}.${process.pid}.${content.token}`;
  try {
    writeNewFile(tmp, JSON.stringify(content) + '\n');
  } catch (e) {
    throw notWritable(file, errnoOf(e));
  }
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(tmp, file);
        const lock: OutputLock = {
          target, file, token: content.token,
          release: () => { if (readLock(file)?.token === content.token) rmSync(file, { force: true }); },
        };
        return lock;
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST') throw notWritable(file, errnoOf(e));
      }
      const held = readLock(file);
      if (!held) {
        throw new RotationError('CLI_OUTPUT_LOCKED', `The output folder ${target} is locked by ${file}, which cannot be read as a rotation lock`, { file, target },
          `if no other rotation command is writing there, delete ${path.basename(file)}`);
      }
      if (held.host === content.host && !pidAlive(held.pid)) {
        rmSync(file, { force: true }); // stale: its process is gone
        continue;
      }
      throw new RotationError('CLI_OUTPUT_LOCKED',
        `Another rotation command (pid ${held.pid} on ${held.host}, started ${held.started}${held.command ? `, ${held.command}` : ''}) is writing ${target}`,
        { file, target, pid: held.pid },
        'wait for it to finish, or write elsewhere with --out; if that process no longer exists, delete the lock file');
    }
    throw new RotationError('CLI_OUTPUT_LOCKED', `Could not take the lock ${file} (it reappeared after removing a stale lock)`, { file, target },
      'another rotation command is starting on the same folder: wait for it, or write elsewhere with --out');
  } finally {
    rmSync(tmp, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Folder commit

export interface OutputFolderFile {
  /** Path inside the folder, '/'-separated (e.g. "summary.md", "charts/a.json"). */
  name: string;
  text: string | Uint8Array;
}

export interface ManifestEntry { name: string; bytes: number; sha256: string }

export interface OutputManifest {
  format: 'rotation-outputs/1';
  /** The completeness marker: written last, after every file was written and fsynced. */
  complete: true;
  files: ManifestEntry[];
  /** Top-level entries of the previous folder carried over (not produced by this command). */
  carried: string[];
  meta: Record<string, string | number>;
}

export const MANIFEST_FILE = 'manifest.json';

export interface CommitOptions {
  /** A lock taken earlier (e.g. at the start of a run); default: taken and released here. */
  lock?: OutputLock;
  /** Keep the replaced folder as `<target>.previous` (default false: removed after the swap). */
  keepPrevious?: boolean;
  /** Carry over entries of the previous folder this command does not own (default true). */
  carryOver?: boolean;
  /** Extra manifest fields (keep them deterministic: no clock times, reruns stay byte-identical). */
  meta?: Record<string, string | number>;
}

export interface CommitResult {
  dir: string;
  manifest: OutputManifest;
  /** `<target>.previous` when kept. */
  previous?: string;
}

function checkNames(target: string, files: readonly OutputFolderFile[]): string[] {
  const seen = new Set<string>();
  const bad = (name: string, why: string) => new RotationError('CLI_OUTPUT_BAD_NAME', `Output file name "${name}" ${why}`, { target, file: name },
    'name output files by relative paths inside the folder, each once');
  const names: string[] = [];
  for (const f of files) {
    const n = f.name;
    const parts = n.split('/');
    if (!n || n.startsWith('/') || n.includes('\\') || parts.some((p) => p === '' || p === '.' || p === '..')) throw bad(n, 'is not a relative path inside the folder');
    if (n === MANIFEST_FILE) throw bad(n, 'is reserved for the manifest');
    if (seen.has(n)) throw bad(n, 'appears twice');
    seen.add(n);
    names.push(n);
  }
  for (const n of names) {
    // "a" and "a/b" cannot both be files.
    const parts = n.split('/');
    for (let k = 1; k < parts.length; k++) if (seen.has(parts.slice(0, k).join('/'))) throw bad(n, `is inside "${parts.slice(0, k).join('/')}", which is also a file`);
  }
  return names;
}

/** The manifest of a committed folder, or undefined when absent or not a complete manifest. */
export function readOutputManifest(dir: string): OutputManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as OutputManifest;
    return m && m.complete === true && Array.isArray(m.files) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Check a committed folder against its manifest: every listed file present with its size and sha256. */
export function verifyOutputFolder(dir: string): { complete: boolean; problems: string[] } {
  const m = readOutputManifest(dir);
  if (!m) return { complete: false, problems: [`no complete ${MANIFEST_FILE}`] };
  const problems: string[] = [];
  for (const f of m.files) {
    try {
      const buf = readFileSync(path.join(dir, f.name));
      if (buf.length !== f.bytes) problems.push(`${f.name}: ${buf.length} bytes, manifest ${f.bytes}`);
      else if (createHash('sha256').update(buf).digest('hex') !== f.sha256) problems.push(`${f.name}: sha256 differs from the manifest`);
    } catch (e) {
      problems.push(`${f.name}: ${errnoOf(e)}`);
    }
  }
  return { complete: problems.length === 0, problems };
}

/**
 * Repair what a killed commit can leave (call with the lock held; `commitOutputFolder` does):
 * `<target>` absent and `<target>.previous` complete -> renamed back; temp folders
 * `.<name>.tmp-*` removed. Returns what was done.
 */
export function recoverOutputFolder(targetDir: string): string[] {
  const target = path.resolve(targetDir), parent = path.dirname(target), base = path.basename(target);
  const previous = `${target}.previous`;
  const done: string[] = [];
  if (!existsSync(target) && existsSync(previous) && verifyOutputFolder(previous).complete) {
    renameSync(previous, target);
    done.push(`restored ${path.basename(previous)}`);
  } else if (existsSync(target) && existsSync(previous) && verifyOutputFolder(target).complete) {
    // killed after the swap, while (or before) removing the previous folder: the new folder is complete
    rmSync(previous, { recursive: true, force: true });
    done.push(`removed ${path.basename(previous)}`);
  }
  let entries: string[] = [];
  try { entries = readdirSync(parent); } catch { /* parent absent: nothing to clean */ }
  for (const e of entries) {
    if (e.startsWith(`.${base}.tmp-`)) {
      rmSync(path.join(parent, e), { recursive: true, force: true });
      done.push(`removed ${e}`);
    }
    // a lock's temp file `<name>.lock.<pid>.<token>` left by a process killed while taking the lock
    const m = e.startsWith(`${base}.lock.`) ? /^(\d+)\.[0-9a-f]+$/.exec(e.slice(base.length + 6)) : null;
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) {
      rmSync(path.join(parent, e), { force: true });
      done.push(`removed ${e}`);
    }
  }
  return done;
}

/** Hard-link (copy if linking fails) `src` into `dst`, recursively for folders; symlinks are recreated, not followed. */
function linkTree(src: string, dst: string): void {
  const st = lstatSync(src);
  if (st.isDirectory()) {
    mkdirSync(dst);
    for (const e of readdirSync(src)) linkTree(path.join(src, e), path.join(dst, e));
  } else if (st.isFile()) {
    try { linkSync(src, dst); } catch { copyFileSync(src, dst, constants.COPYFILE_EXCL); }
  }
  // symlinks, sockets, fifos: not carried (an output folder holds none)
}

/**
 * Write `files` as the whole folder `targetDir`, all or nothing (module comment): lock, fresh
 * temp folder next to the target, files created with `wx` and fsynced, foreign entries of the
 * previous folder carried over, `manifest.json` (sizes, sha256, completeness marker) last, then
 * renamed into place. Errors: CLI_OUTPUT_LOCKED, CLI_OUTPUT_BAD_NAME, CLI_OUTPUT_NOT_WRITABLE
 * (the target is a file, or the parent cannot be written; nothing is changed).
 */
export function commitOutputFolder(targetDir: string, files: readonly OutputFolderFile[], options: CommitOptions = {}): CommitResult {
  const target = path.resolve(targetDir), parent = path.dirname(target), base = path.basename(target);
  const names = checkNames(target, files);
  try {
    mkdirSync(parent, { recursive: true });
    accessSync(parent, constants.W_OK);
  } catch (e) {
    throw notWritable(target, errnoOf(e));
  }
  let exists = false;
  try {
    const st = lstatSync(target);
    if (!st.isDirectory()) throw notWritable(target, st.isSymbolicLink() ? 'it is a symbolic link' : 'it is a file, not a folder');
    exists = true;
  } catch (e) {
    if (e instanceof RotationError) throw e;
  }
  if (options.lock && options.lock.target !== target) {
    throw new RotationError('CLI_OUTPUT_LOCKED', `The lock passed guards ${options.lock.target}, not ${target}`, { target, lock: options.lock.file },
      'take the lock of the folder you commit (acquireOutputLock(target))');
  }
  const lock = options.lock ?? acquireOutputLock(target);
  let tmp: string | undefined;
  try {
    recoverOutputFolder(target);
    exists = existsSync(target);
    try {
      tmp = mkdtempSync(path.join(parent, `.${base}.tmp-`));
    } catch (e) {
      throw notWritable(target, errnoOf(e));
    }
    const entries: ManifestEntry[] = [];
    for (let k = 0; k < files.length; k++) {
      const f = files[k], file = path.join(tmp, ...names[k].split('/'));
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        const buf = typeof f.text === 'string' ? Buffer.from(f.text, 'utf8') : f.text;
        const bytes = writeNewFile(file, buf);
        entries.push({ name: names[k], bytes, sha256: createHash('sha256').update(buf).digest('hex') });
      } catch (e) {
        throw notWritable(path.join(target, names[k]), errnoOf(e));
      }
    }
    const carried: string[] = [];
    if (exists && options.carryOver !== false) {
      const owned = new Set<string>([MANIFEST_FILE, ...names.map((n) => n.split('/')[0])]);
      for (const f of readOutputManifest(target)?.files ?? []) owned.add(f.name.split('/')[0]);
      for (const e of readdirSync(target).sort()) {
        if (owned.has(e) || /\.(lock|previous)$|\.tmp-/.test(e)) continue;
        try {
          linkTree(path.join(target, e), path.join(tmp, e));
        } catch (err) {
          throw notWritable(path.join(target, e), `cannot carry it over (${errnoOf(err)})`);
        }
        carried.push(e);
      }
    }
    const manifest: OutputManifest = { format: 'rotation-outputs/1', complete: true, files: entries, carried, meta: options.meta ?? {} };
    try {
      writeNewFile(path.join(tmp, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    } catch (e) {
      throw notWritable(path.join(target, MANIFEST_FILE), errnoOf(e));
    }
    fsyncDir(tmp);
    const previous = `${target}.previous`;
    try {
      if (exists) {
        rmSync(previous, { recursive: true, force: true });
        renameSync(target, previous);
      }
      renameSync(tmp, target);
      tmp = undefined;
      fsyncDir(parent);
    } catch (e) {
      if (exists && !existsSync(target) && existsSync(previous)) renameSync(previous, target); // put the old folder back
      throw notWritable(target, errnoOf(e));
    }
    if (exists && !options.keepPrevious) rmSync(previous, { recursive: true, force: true });
    return { dir: target, manifest, previous: exists && options.keepPrevious ? previous : undefined };
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (!options.lock) lock.release();
  }
}
