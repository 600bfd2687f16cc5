// Runs the suites with vitest against one configured target, in a child process the parent owns:
// the child is in the parent's process group (a terminal's Ctrl-C or a CI runner's signal to the
// group reaches both), keeps its IPC link to the parent open and ends the moment it is told to, is
// signalled, or loses the parent (run/child.ts). The parent then reads what the workers wrote
// through the work folder (run/workfolder.ts) and cleans up.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CaseResult } from '../reports/model.ts';
import type { RunChannel } from '../client/config.ts';
import { readCaseRecords, readSuiteStatus } from './workfolder.ts';

export interface SuiteRunOptions {
  tags?: string;
  shard?: string;
  /** Print a line per finished test (to stderr). */
  progress?: boolean;
  signal?: AbortSignal;
}

export interface SuiteRunResult {
  results: CaseResult[];
  /** vitest could not load or run the suites at all (not the same as failing cases). */
  broken: string | null;
  interrupted: boolean;
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
  | { type: 'run'; channel: RunChannel; options: { tags?: string; shard?: string; progress: boolean } }
  | { type: 'stop' };

/** How long a child told to stop may take before it is killed. */
const STOP_GRACE_MS = 2000;

export async function runSuites(channel: RunChannel, o: SuiteRunOptions = {}): Promise<SuiteRunResult> {
  const { workDir } = channel.run;
  const child = spawn(process.execPath, [...childLoader([`--max-semi-space-size=${SEMI_SPACE_MB}`]), fileURLToPath(new URL(`./child${OWN_EXT}`, import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const message: ChildMessage = { type: 'run', channel, options: { tags: o.tags, shard: o.shard, progress: o.progress ?? false } };
  child.send(message);
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
  const status = readSuiteStatus(workDir);
  const broken = interrupted ? null : status?.broken ?? (status ? null : `the suite runner stopped without finishing (exit ${code})`);
  return { results: readCaseRecords(workDir), broken, interrupted };
}
