// Runs the suites with vitest against one configured target, in a child process: the parent
// keeps control of signals (Ctrl-C stops the suites, then the parent cleans up and reports) and
// reads the case records the workers wrote.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CaseResult } from '../reports/model.ts';
import { CONFIG_ENV, type TargetConfig } from '../target/config.ts';

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

export const OPTIONS_ENV = 'OVC_SUITE_OPTIONS';
export const STATUS_FILE = 'suite-status.json';

/** `.js` when this runs compiled (dist/, the published package), `.ts` from the sources. */
export const OWN_EXT = import.meta.url.endsWith('.js') ? '.js' : '.ts';

/** Node flags the child needs: tsx's loader for the TypeScript sources, none for the compiled package. */
function childLoader(): string[] {
  return OWN_EXT === '.js' ? [] : ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href];
}

export function readCaseRecords(workDir: string): CaseResult[] {
  if (!existsSync(workDir)) return [];
  const out: CaseResult[] = [];
  for (const f of readdirSync(workDir).filter((n) => n.startsWith('cases-')).sort()) {
    for (const line of readFileSync(join(workDir, f), 'utf8').split('\n')) if (line) out.push(JSON.parse(line) as CaseResult);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export async function runSuites(config: TargetConfig, o: SuiteRunOptions = {}): Promise<SuiteRunResult> {
  rmSync(config.workDir, { recursive: true, force: true });
  mkdirSync(config.workDir, { recursive: true });
  const child = spawn(process.execPath, [...childLoader(), fileURLToPath(new URL(`./child${OWN_EXT}`, import.meta.url))], {
    env: { ...process.env, [CONFIG_ENV]: JSON.stringify(config), [OPTIONS_ENV]: JSON.stringify({ tags: o.tags, shard: o.shard, progress: o.progress ?? false }) },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Its own process group: a terminal's Ctrl-C reaches the parent, which decides what to stop.
    detached: true,
  });
  let interrupted = false;
  const stop = (): void => {
    interrupted = true;
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
  };
  o.signal?.addEventListener('abort', stop, { once: true });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  o.signal?.removeEventListener('abort', stop);
  const statusFile = join(config.workDir, STATUS_FILE);
  const status: SuiteStatus | null = existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) as SuiteStatus : null;
  const broken = interrupted ? null : status?.broken ?? (status ? null : `the suite runner stopped without finishing (exit ${code})`);
  return { results: readCaseRecords(config.workDir), broken, interrupted };
}
