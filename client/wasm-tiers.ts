// undici parses HTTP/1.1 with llhttp compiled to WebAssembly. V8 compiles the module with its
// baseline compiler (Liftoff) at the first connection and then, once the parser is hot, once more
// with TurboFan on a background thread: ~200 ms of CPU in every process and worker thread that
// sends a request, and a process that exits while that compile runs waits for it (a suite child's
// exit took ~180 ms longer). Liftoff's code parses the suites' answers as fast for what a run
// sends (docs/performance.md §0c: a one-suite run 0.89× the CPU, a 12,000-case run no slower), so
// each of our processes keeps it. V8's flags are the process's: set once at an entry point, before
// the first request, they hold for its worker threads too.
import { setFlagsFromString } from 'node:v8';

export function keepBaselineWasm(): void {
  if (process.env.OVC_WASM_TIER_UP === '1') return;
  setFlagsFromString('--liftoff-only');
}
