/**
 * Output files of a command, written all-or-nothing as far as the file system allows: every
 * target folder is created and checked writable before the first file is written, and each file
 * is written atomically (temp file + rename), so a failure never leaves a partial file behind.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { RotationError } from '../errors.js';
import { writeFileAtomic } from '../report/csv.js';

export interface OutputFile {
  file: string;
  text: string;
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
    throw notWritable(file, (e as NodeJS.ErrnoException).code ?? String(e));
  }
  let isDir = false;
  try { isDir = statSync(file).isDirectory(); } catch { /* does not exist yet: fine */ }
  if (isDir) throw notWritable(file, 'it is a folder');
}

/** Check every target, then write every file atomically. */
export function writeOutputs(files: readonly OutputFile[]): void {
  for (const f of files) checkWritable(f.file);
  for (const f of files) {
    try {
      writeFileAtomic(f.file, f.text);
    } catch (e) {
      throw notWritable(f.file, (e as NodeJS.ErrnoException).code ?? String(e));
    }
  }
}
