// Runs the suites with vitest against one configured target, in a child process the parent owns:
// the child is in the parent's process group (a terminal's Ctrl-C or a CI runner's signal to the
// group reaches both), keeps its IPC link to the parent open and ends the moment it is told to, is
// signalled, or loses the parent (run/child.ts). The run session (run/session.ts) then reads what
// the workers wrote through the work folder (run/workfolder.ts) and cleans up.
import { spawn } from 'node:child_process';
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

/** Node flags a child of the run needs: tsx's loader for the TypeScript sources, none for the compiled package. */
export function childLoader(heap: string[] = []): string[] {
  return OWN_EXT === '.js' ? heap : [...heap, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href];
}

// A small young generation (V8's default semi-space is 16 MiB per isolate, and the child holds
// two: vitest's and its worker's): the suites' garbage is short-lived and small, see
// docs/performance.md §2.0 for the peak RSS it saves.
const SEMI_SPACE_MB = Number(process.env.OVC_SEMI_SPACE_MB ?? 4);

/** What the parent sends the child over IPC (never through the environment or a file: it holds the keys). */
export type ChildMessage =
  | { type: 'run'; channel: RunChannel; options: ChildOptions }
  | { type: 'stop' };

export interface ChildOptions {
  tags?: string;
  shard?: string;
  progress: boolean;
  /** The early stop: tell the parent after `windowMs` of nothing but at least `minAnswers` unjudgeable answers. */
  stall?: StallRule;
}

export interface StallRule { windowMs: number; minAnswers: number }

/** What the child tells the parent: the target gave no judgeable answer for the stretch. */
export type ChildReport = { type: 'stall'; ms: number; answers: number };

/** How long a child told to stop may take before it is killed. */
const STOP_GRACE_MS = 2000;

export async function runSuites(channel: RunChannel, o: SuiteRunOptions = {}): Promise<SuiteRunResult> {
  const child = spawn(process.execPath, [...childLoader([`--max-semi-space-size=${SEMI_SPACE_MB}`]), fileURLToPath(new URL(`./child${OWN_EXT}`, import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const message: ChildMessage = { type: 'run', channel, options: { tags: o.tags, shard: o.shard, progress: o.progress ?? false, stall: o.stall } };
  child.send(message);
  let stalled = false;
  child.on('message', (m: ChildReport) => { if (m.type === 'stall' && !stalled) { stalled = true; o.onStall?.(m); } });
  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    if (child.connected) child.send({ type: 'stop' } satisfies ChildMessage, () => { /* gone already: fine */ });
    setTimeout(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); }, STOP_GRACE_MS).unref();
  };
  if (o.signal?.aborted) stop();
  o.signal?.addEventListener('abort', stop, { once: true });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  o.signal?.removeEventListener('abort', stop);
  return { code, interrupted };
}
