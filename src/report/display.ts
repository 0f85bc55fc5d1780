/**
 * The tslab display channel, in its own module so every display helper (notebook.ts, header.ts,
 * show.ts) can use it without importing each other (tslab cannot load circular imports).
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export type MimeBundle = Record<string, unknown>;
export type DisplaySink = (bundle: MimeBundle) => void;

interface TslabJupyter {
  lastWriteDisplayData?: ((data: { data: MimeBundle; metadata: object; transient: object }, update: boolean) => void) | null;
}

/** The tslab kernel's display channel, or undefined when not running inside tslab. */
export function tslabSink(): DisplaySink | undefined {
  let jupyter: TslabJupyter;
  try {
    const req = createRequire(path.join(process.cwd(), 'noop.js'));
    jupyter = req('tslab/dist/jupyter.js') as TslabJupyter;
  } catch {
    return undefined;
  }
  const write = jupyter.lastWriteDisplayData;
  if (typeof write !== 'function') return undefined;
  return (bundle) => {
    // Always look up the current writer: tslab replaces it for every executed cell.
    const current = jupyter.lastWriteDisplayData ?? write;
    current({ data: bundle, metadata: {}, transient: {} }, false);
  };
}

