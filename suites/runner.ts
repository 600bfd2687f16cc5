// Runs the suites with vitest against one configured target, in a child process: the parent
// keeps control of signals (Ctrl-C stops the suites, then the parent cleans up and reports) and
// reads the case records the workers wrote.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CaseResult } from '../reports/model.ts';
import type { RunChannel } from '../client/config.ts';

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

/** What the child passes back besides the case records. */
export interface SuiteStatus { broken: string | null }

export const STATUS_FILE = 'suite-status.json';

/** `.js` when this runs compiled (dist/, the published package), `.ts` from the sources. */
export const OWN_EXT = import.meta.url.endsWith('.js') ? '.js' : '.ts';

/** Node flags the child needs: tsx's loader for the TypeScript sources, none for the compiled package. */
function childLoader(): string[] {
  // A small young generation (V8's default semi-space is 16 MiB per isolate, and the child holds
  // two: vitest's and its worker's): the suites' garbage is short-lived and small, see
  // docs/performance.md §2.0 for the peak RSS it saves.
  const heap = [`--max-semi-space-size=${SEMI_SPACE_MB}`];
  return OWN_EXT === '.js' ? heap : [...heap, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href];
}

const SEMI_SPACE_MB = Number(process.env.OVC_SEMI_SPACE_MB ?? 4);

export function readCaseRecords(workDir: string): CaseResult[] {
  if (!existsSync(workDir)) return [];
  const out: CaseResult[] = [];
  for (const f of readdirSync(workDir).filter((n) => n.startsWith('cases-')).sort()) {
    for (const line of readFileSync(join(workDir, f), 'utf8').split('\n')) if (line) out.push(JSON.parse(line) as CaseResult);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What the parent sends the child over IPC (never through the environment or a file: it holds the keys). */
export interface ChildMessage {
  channel: RunChannel;
  options: { tags?: string; shard?: string; progress: boolean };
}

export async function runSuites(channel: RunChannel, o: SuiteRunOptions = {}): Promise<SuiteRunResult> {
  const { workDir } = channel.run;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const child = spawn(process.execPath, [...childLoader(), fileURLToPath(new URL(`./child${OWN_EXT}`, import.meta.url))], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Its own process group: a terminal's Ctrl-C reaches the parent, which decides what to stop.
    detached: true,
  });
  const message: ChildMessage = { channel, options: { tags: o.tags, shard: o.shard, progress: o.progress ?? false } };
  child.send(message);
  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
  };
  o.signal?.addEventListener('abort', stop, { once: true });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  o.signal?.removeEventListener('abort', stop);
  const statusFile = join(workDir, STATUS_FILE);
  const status: SuiteStatus | null = existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) as SuiteStatus : null;
  const broken = interrupted ? null : status?.broken ?? (status ? null : `the suite runner stopped without finishing (exit ${code})`);
  return { results: readCaseRecords(workDir), broken, interrupted };
}

export interface WorkerStats { requests: number; throttled: number; retries: number; gaveUp: number; peakIndexes: number }

/** The workers' pacing counters, summed (peak: the largest of any worker). */
export function readWorkerStats(workDir: string): WorkerStats {
  const sum: WorkerStats = { requests: 0, throttled: 0, retries: 0, gaveUp: 0, peakIndexes: 0 };
  if (!existsSync(workDir)) return sum;
  for (const f of readdirSync(workDir).filter((n) => n.startsWith('stats-'))) {
    const s = JSON.parse(readFileSync(join(workDir, f), 'utf8')) as WorkerStats;
    sum.requests += s.requests; sum.throttled += s.throttled; sum.retries += s.retries; sum.gaveUp += s.gaveUp;
    sum.peakIndexes = Math.max(sum.peakIndexes, s.peakIndexes);
  }
  return sum;
}
