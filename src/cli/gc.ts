/**
 * A full garbage collection on request, for a command that has just dropped a large input.
 *
 * Why: V8 starts a full collection from the growth of its JavaScript heap, not from dead external
 * memory. When `rotation run` drops the stock-level market (~200 MB, almost all of it one
 * ArrayBuffer: src/model/context.ts industryLevelContext), its heap is small, so the next full
 * collection may come only after the allocation stage has added its own memory on top: the same
 * run then peaked anywhere from 450 to 540 MB. One collection right after the drop frees it first.
 *
 * `globalThis.gc` when node runs with --expose-gc; otherwise the flag is set at run time
 * (v8.setFlagsFromString) and `gc` is taken from a new context, which is how V8 exposes it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Run a full (mark-compact) garbage collection now. */
export function collectGarbage(): void {
  if (!gc) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) gc = exposed;
    else {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    }
  }
  gc();
}
