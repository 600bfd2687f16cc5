// Runs the suites with vitest against one configured target, in a child process the parent owns:
// the child is in the parent's process group (a terminal's Ctrl-C or a CI runner's signal to the
// group reaches both), keeps its IPC link to the parent open and ends the moment it is told to, is
// signalled, or loses the parent (run/child.ts). The run session (run/session.ts) then reads what
// the workers wrote through the work folder (run/workfolder.ts) and cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RunChannel } from '../client/config.ts';
import type { SuiteStatus } from './workfolder.ts';

export interface SuiteRunOptions {
  tags?: string;
  shard?: string;
  /** Print a line per finished test (to stderr). */
  progress?: boolean;
  signal?: AbortSignal;
  stall?: StallRule;
  /** Called (at most once) when the child reports a stretch without judgeable answers. */
  onStall?: (s: { ms: number; answers: number }) => void;
}

export interface SuiteRunResult {
  /** The child's exit code (null: killed). */
  code: number | null;
  interrupted: boolean;
}

/** Why vitest could not load or run the suites at all (not the same as failing cases); null when it could, or was stopped. */
export function suitesBroken(status: SuiteStatus | null, run: SuiteRunResult): string | null {
  if (run.interrupted) return null;
  return status?.broken ?? (status ? null : `the suite runner stopped without finishing (exit ${run.code})`);
}

/** `.js` when this runs compiled (dist/, the published package), `.ts` from the sources. */
export const OWN_EXT = import.meta.url.endsWith('.js') ? '.js' : '.ts';

/**
 * Node flags a child of the run needs: tsx's loader for the TypeScript sources, none for the
 * compiled package; and the profiling flags `ovc` itself was started with (`node --cpu-prof
 * --cpu-prof-dir=D …/ovc run` profiles every process and thread of the run: bench/run-phases.ts).
 */
export function childLoader(heap: string[] = []): string[] {
  const profiling = process.execArgv.filter((a) => /^--(cpu|heap)-prof(-dir|-interval)?(=|$)/.test(a));
  return OWN_EXT === '.js' ? [...heap, ...profiling] : [...heap, ...profiling, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href];
}

// A small young generation (V8's default semi-space is 16 MiB per isolate, and the child holds
// two: vitest's and its worker's): the suites' garbage is short-lived and small, see
// docs/performance.md §2.0 for the peak RSS it saves.
const SEMI_SPACE_MB = Number(process.env.OVC_SEMI_SPACE_MB ?? 4);

/**
 * What the parent sends the child over IPC (never through the environment or a file: it holds the
 * keys). `prepare` comes first, at the start of the run: the child loads vitest and the suite
 * configuration while the parent starts the target and runs the preflight; `run` brings the target,
 * the frozen settings and the keys once the preflight passed; `stop` ends it at any point.
 */
export type ChildMessage =
  | { type: 'prepare'; options: ChildOptions }
  | { type: 'run'; channel: RunChannel; stall?: StallRule }
  | { type: 'stop' };

export interface ChildOptions {
  tags?: string;
  shard?: string;
  progress: boolean;
}

/** The early stop: tell the parent after `windowMs` of nothing but at least `minAnswers` unjudgeable answers. */
export interface StallRule { windowMs: number; minAnswers: number }

/** What the child tells the parent: the target gave no judgeable answer for the stretch. */
export type ChildReport = { type: 'stall'; ms: number; answers: number };

/** How long a child told to stop may take before it is killed. */
const STOP_GRACE_MS = 2000;

/** Suite children not yet handed their run, nor ended. */
const LIVE = new Set<ChildProcess>();
function killLive(): void {
  for (const c of LIVE) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** A suite child process and its end (its exit code; null: killed), watched from the moment it is spawned. */
interface Spawned { child: ChildProcess; closed: Promise<number | null> }

function spawnChild(): Spawned {
  const child = spawn(process.execPath, [...childLoader([`--max-semi-space-size=${SEMI_SPACE_MB}`]), fileURLToPath(new URL(`./child${OWN_EXT}`, import.meta.url)), String(process.pid)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // However this process ends (an exit from a signal handler included), a child not yet handed the
  // run ends with it (it holds nothing); one running the suites hears its parent is gone and hands
  // the run's ledger to the cleaner (run/child.ts).
  LIVE.add(child);
  if (LIVE.size === 1) process.on('exit', killLive);
  const closed = new Promise<number | null>((resolve) => child.on('close', (c) => { LIVE.delete(child); resolve(c); }));
  child.on('error', () => undefined);
  return { child, closed };
}

/** The child spawned by SuiteChild.early, until SuiteChild.start takes it. */
let early: Spawned | null = null;

/**
 * The suite runner's child, started when the run starts (SuiteChild.early, before the CLI loads, or
 * SuiteChild.start) so that loading vitest and the suite configuration overlaps the parent's own
 * start and preflight; it runs the suites
 * only when handed the run (`run`), and a run that ends before that dismisses it (`dismiss`).
 */
export class SuiteChild {
  private readonly child: ChildProcess;
  private readonly closed: Promise<number | null>;
  private running = false;

  private constructor(options: ChildOptions) {
    const taken = early ?? spawnChild();
    early = null;
    // Held by this process again: the run waits for it (an early child is not, until taken).
    taken.child.ref();
    taken.child.channel?.ref();
    this.child = taken.child;
    this.closed = taken.closed;
    this.child.send({ type: 'prepare', options } satisfies ChildMessage, () => { /* gone already: run() finds out */ });
  }

  /**
   * Spawns the suite child before the command line is even read (`ovc run`, cli/bin.ts): its Node
   * starts while this process loads the CLI (~0.1 s), and it waits for `prepare`. SuiteChild.start
   * takes it; a run that ends before (a bad flag, --help) leaves it to the exit handler above, which
   * kills it (it holds nothing), and it leaves on its own if this process is gone (run/child.ts).
   */
  static early(): void {
    if (early) return;
    early = spawnChild();
    // Not holding this process open while nothing has taken it: `ovc run --bogus` exits at once.
    early.child.unref();
    early.child.channel?.unref();
  }

  static start(o: Pick<SuiteRunOptions, 'tags' | 'shard' | 'progress'> = {}): SuiteChild {
    return new SuiteChild({ tags: o.tags, shard: o.shard, progress: o.progress ?? false });
  }

  /** Hands the child the run and waits until it has run the suites (or was stopped). */
  async run(channel: RunChannel, o: Pick<SuiteRunOptions, 'signal' | 'stall' | 'onStall'> = {}): Promise<SuiteRunResult> {
    this.running = true;
    const { child } = this;
    LIVE.delete(child);
    if (child.connected) child.send({ type: 'run', channel, stall: o.stall } satisfies ChildMessage, () => { /* gone already: its exit code tells */ });
    let stalled = false;
    child.on('message', (m: ChildReport) => { if (m.type === 'stall' && !stalled) { stalled = true; o.onStall?.(m); } });
    let interrupted = false;
    const stop = (): void => {
      interrupted = true;
      this.stopChild();
    };
    if (o.signal?.aborted) stop();
    o.signal?.addEventListener('abort', stop, { once: true });
    const code = await this.closed;
    o.signal?.removeEventListener('abort', stop);
    return { code, interrupted };
  }

  /** Ends a child that was never handed the run (the run ended before its suites); waits until it is gone. */
  async dismiss(): Promise<void> {
    if (this.running) return;
    this.stopChild();
    await this.closed;
  }

  private stopChild(): void {
    const { child } = this;
    if (child.connected) child.send({ type: 'stop' } satisfies ChildMessage, () => { /* gone already: fine */ });
    setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, STOP_GRACE_MS).unref();
  }
}
