/**
 * The part of the WebAssembly JavaScript API the kernels use. Node provides it everywhere; the
 * project's `lib: ["ES2022"]` (no DOM) does not declare it.
 */
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
}
