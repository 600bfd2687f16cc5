// The suites' first worker thread, started before vitest is loaded. A one-suite run spent ~0.55 s
// in the child loading vitest and vite and only then started its worker, which spent ~0.4 s more
// loading vitest's test runtime and the suites' modules before the first request
// (docs/performance.md §0b). Started here as soon as the run's suite files are known, the thread
// loads vitest's worker entry and the modules the suite files import while the child's main thread
// loads vitest: on two CPUs the two loads overlap. vitest takes the thread through a pool of its
// own kind (vitest 4's `pool` option with a PoolRunnerInitializer: the built-in `threads` pool's
// worker, started from here), only when it asks for the thread the early one was started as: the
// same worker entry, node options and environment. Otherwise the early thread is ended and vitest's
// is started as always: a mismatch costs CPU, never a verdict.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isatty } from 'node:tty';
import { pathToFileURL } from 'node:url';
import type { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';

/** The pool's name (a custom vitest pool is known by it). */
export const SUITE_POOL = 'ovc-threads';

/** vitest's package folder, as vitest itself is resolved from here. */
export function vitestRoot(): string {
  return dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
}

/** The node options vitest 4.1 starts a test thread with (its resolveOptions and resolveConditions: the resolve conditions vite adds for SSR). */
export function workerExecArgv(root = vitestRoot(), execArgv = process.execArgv): string[] {
  return [
    ...execArgv.filter((a) => a.startsWith('--cpu-prof') || a.startsWith('--heap-prof') || a.startsWith('--diagnostic-dir')),
    '--experimental-import-meta-resolve',
    '--require', join(root, 'suppress-warnings.cjs'),
    '--conditions', 'node', '--conditions', 'development',
  ];
}

/**
 * The environment vitest 4.1 gives a test thread: the process's, where vitest has put vite's
 * `import.meta.env` for a run with no config file (when not set already), its own variables, the
 * suites' `env`.
 */
export function workerEnv(own: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  return { BASE_URL: '/', MODE: 'test', DEV: '1', PROD: '', ...env, TEST: 'true', VITEST: 'true', NODE_ENV: env.NODE_ENV || 'test', VITEST_MODE: 'RUN', FORCE_TTY: isatty(1) ? 'true' : '', ...own };
}

const IMPORT = /^(?:import|export)\b[^'"]*?\bfrom\s*(['"])([^'"]+)\1|^import\s*(['"])([^'"]+)\3/gm;

/**
 * What the suite files import that can be loaded before vitest runs them: the modules (file URLs,
 * or package names) of their static imports whose own imports never reach vitest (a module that
 * does, like suites/context, needs vitest's worker state and is left to the suite file's import).
 * Compiled suites only: their imports are plain `import … from "…"` lines (tsc's output).
 */
export function warmModules(suiteFiles: readonly string[]): string[] {
  const reaches = new Map<string, boolean>();
  const importsOf = (file: string): string[] => {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch { return []; }
    return [...text.matchAll(IMPORT)].map((m) => m[2] ?? m[4]!);
  };
  const isVitest = (spec: string): boolean => spec === 'vitest' || spec.startsWith('vitest/') || spec.startsWith('@vitest/');
  const reachesVitest = (file: string): boolean => {
    const known = reaches.get(file);
    if (known !== undefined) return known;
    reaches.set(file, false); // an import cycle: decided by the rest of the cycle
    const r = importsOf(file).some((s) => isVitest(s) || (s.startsWith('.') && reachesVitest(resolve(dirname(file), s))));
    reaches.set(file, r);
    return r;
  };
  const warm = new Set<string>();
  for (const suite of suiteFiles) {
    for (const spec of importsOf(suite)) {
      if (isVitest(spec) || spec.startsWith('node:')) continue;
      if (!spec.startsWith('.')) { warm.add(spec); continue; }
      const file = resolve(dirname(suite), spec);
      if (!reachesVitest(file)) warm.add(pathToFileURL(file).href);
    }
  }
  return [...warm].sort();
}

interface Early { worker: Worker; entry: string; execArgv: string[]; env: Record<string, string | undefined> }
let early: Early | null = null;

/**
 * What became of the early thread: taken by vitest, or ended on a mismatch (and why). With
 * OVC_TRACE_EARLY_WORKER=1 the child says it on stderr, a line the tests read.
 */
function trace(what: string): void {
  if (process.env.OVC_TRACE_EARLY_WORKER === '1') process.stderr.write(`ovc: early suite thread: ${what}\n`);
}

/** Starts the suites' first worker thread: vitest's worker entry, then the modules in `warm`. */
export function startEarlyWorker(warm: readonly string[], own: Readonly<Record<string, string>>): void {
  const root = vitestRoot();
  const entry = join(root, 'dist', 'workers', 'threads.js');
  const execArgv = workerExecArgv(root);
  const env = workerEnv(own);
  const ext = import.meta.url.endsWith('.js') ? '.js' : '.ts';
  const worker = new Worker(new URL(`./suite-thread${ext}`, import.meta.url), {
    env, execArgv, stdout: true, stderr: true,
    workerData: { entry: pathToFileURL(entry).href, warm: [...warm] },
  });
  // Nothing is lost while no one listens: an error before vitest takes the thread shows when it does.
  worker.on('error', () => undefined);
  early = { worker, entry, execArgv, env };
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const sameEnv = (a: Record<string, string | undefined>, b: Partial<NodeJS.ProcessEnv>): boolean => {
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => a[k] === b[k]);
};

/** The early thread, when vitest asks for one started as it was; else null (and it is ended). */
function takeEarly(entry: string, execArgv: readonly string[], env: Partial<NodeJS.ProcessEnv>): Worker | null {
  const e = early;
  if (!e) return null;
  early = null;
  if (e.entry === entry && sameList(e.execArgv, execArgv) && sameEnv(e.env, env)) {
    trace('taken');
    return e.worker;
  }
  const differ = [...new Set([...Object.keys(e.env), ...Object.keys(env)])].filter((k) => e.env[k] !== env[k]);
  trace(`not taken (${e.entry !== entry ? 'entry ' : ''}${sameList(e.execArgv, execArgv) ? '' : `node options ${JSON.stringify(execArgv)} `}${differ.length ? `environment ${differ.join(', ')}` : ''})`);
  void e.worker.terminate();
  return null;
}

/**
 * Pipes a thread's output into the run's stream. Each pipe adds its listeners to that one stream
 * (error, close, finish, unpipe), and a run with six or more worker threads starts more threads
 * over its suite files than Node's limit of ten listeners: `ovc run --workers 8` printed four
 * MaxListenersExceededWarning lines on every run. As Node does for its own workers' output
 * (pipeWithoutWarning, lib/internal/worker.js), the limit is lifted for the pipe and put back.
 */
function pipeQuietly(from: Readable, to: NodeJS.WritableStream): void {
  const dest = to as NodeJS.WritableStream & EventEmitter;
  const limit = dest.getMaxListeners();
  dest.setMaxListeners(0);
  try { from.pipe(to); } finally { dest.setMaxListeners(limit); }
}

/** vitest's threads pool worker (vitest 4.1's ThreadsPoolWorker), its thread the early one when it fits. */
class SuiteThread implements PoolWorker {
  readonly name = SUITE_POOL;
  private readonly entry: string;
  private thread: Worker | null = null;
  constructor(private readonly options: PoolOptions) {
    this.entry = join(options.distPath, 'workers', 'threads.js');
  }

  private get live(): Worker {
    if (!this.thread) throw new Error('the suite worker thread was torn down or never started');
    return this.thread;
  }

  on(event: string, callback: (arg: unknown) => void): void { this.live.on(event, callback); }
  off(event: string, callback: (arg: unknown) => void): void { this.live.off(event, callback); }
  send(message: WorkerRequest): void { this.live.postMessage(message); }
  deserialize(data: unknown): unknown { return data; }

  async start(): Promise<void> {
    if (this.thread) return;
    const { execArgv, env, project } = this.options;
    this.thread = takeEarly(this.entry, execArgv, env) ?? new Worker(this.entry, { env, execArgv, stdout: true, stderr: true });
    pipeQuietly(this.thread.stdout, project.vitest.logger.outputStream);
    pipeQuietly(this.thread.stderr, project.vitest.logger.errorStream);
  }

  async stop(): Promise<void> {
    const t = this.thread;
    this.thread = null;
    if (t) await t.terminate();
  }
}

/** The pool the child hands vitest (`pool`) for compiled suites. */
export const suitePool: PoolRunnerInitializer = { name: SUITE_POOL, createPoolWorker: (options) => new SuiteThread(options) };
