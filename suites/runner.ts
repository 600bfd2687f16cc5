// Runs the suites with vitest, programmatically, against one configured target; collects the case
// records the workers wrote.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { CaseResult } from '../reports/model.ts';
import { CONFIG_ENV, type TargetConfig } from '../target/config.ts';

export interface SuiteRunOptions {
  tags?: string;
  shard?: string;
  onCase?: (name: string, state: 'pass' | 'fail' | 'skip', durationMs: number) => void;
  signal?: AbortSignal;
}

export interface SuiteRunResult {
  results: CaseResult[];
  /** vitest could not load or run the suites at all (not the same as failing cases). */
  broken: string | null;
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
  process.env[CONFIG_ENV] = JSON.stringify(config);
  const { startVitest } = await import('vitest/node');
  const reporter = {
    onTestCaseResult(tc: { fullName: string; result(): { state: string }; diagnostic(): { duration: number } | undefined }): void {
      const state = tc.result().state;
      o.onCase?.(tc.fullName, state === 'passed' ? 'pass' : state === 'skipped' ? 'skip' : 'fail', tc.diagnostic()?.duration ?? 0);
    },
  };
  const root = fileURLToPath(new URL('..', import.meta.url));
  let broken: string | null = null;
  const vitest = await startVitest('test', [], {
    config: join(root, 'suites', 'vitest.config.ts'),
    root,
    watch: false,
    reporters: [reporter as never],
    ...(o.tags ? { tagsFilter: [o.tags] } : {}),
    ...(o.shard ? { shard: o.shard } : {}),
    passWithNoTests: true,
  }, undefined, { stdout: process.stderr, stderr: process.stderr });
  const abort = (): void => { void vitest.cancelCurrentRun('keyboard-input'); };
  o.signal?.addEventListener('abort', abort, { once: true });
  try {
    const errors = vitest.state.getUnhandledErrors();
    const files = vitest.state.getFiles();
    const failedToLoad = files.filter((f) => f.result?.state === 'fail' && (f.result.errors?.length ?? 0) > 0 && f.tasks.length === 0);
    if (failedToLoad.length > 0) broken = `suite files failed to load: ${failedToLoad.map((f) => `${f.name}: ${f.result?.errors?.[0]?.message}`).join('; ')}`;
    else if (errors.length > 0) broken = `unhandled errors in the suites: ${errors.map((e) => (e as Error).message).join('; ')}`;
  } finally {
    o.signal?.removeEventListener('abort', abort);
    await vitest.close();
  }
  return { results: readCaseRecords(config.workDir), broken };
}
