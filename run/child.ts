// The suite runner's child process: runs vitest programmatically on the suites (worker threads of
// this process), prints progress, and leaves its status in the work folder (run/workfolder.ts).
// It never outlives its parent: told to stop, or signalled, it exits at once (its threads with it;
// the parent cleans up). If the parent is gone — its IPC link closes, or the parent pid changes — it
// hands the run's ledger to a short-lived cleaner (run/cleaner.ts) and exits within moments.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { childLoader, OWN_EXT, type ChildMessage } from './runner.ts';
import { writeSuiteStatus, type SuiteStatus } from './workfolder.ts';
import type { CleanerMessage } from './cleaner.ts';

interface TestCaseLike { fullName: string; result(): { state: string }; diagnostic(): { duration: number } | undefined }

// The run arrives over IPC from `ovc run` (run/runner.ts), then goes to the workers through
// vitest's provide/inject: one typed value, keys included, never in the environment or on disk.
const first = await new Promise<ChildMessage>((resolve) => process.once('message', (m) => resolve(m as ChildMessage)));
if (first.type !== 'run') process.exit(0);
const { channel, options: o } = first;
const parentPid = process.ppid;
let leaving = false;

/** Time the cleaner has, from the moment the parent was found gone, to delete what the ledger holds. */
const CLEANER_BUDGET_MS = 1500;

function parentLost(): void {
  if (leaving) return;
  leaving = true;
  const cleaner = spawn(process.execPath, [...childLoader(), fileURLToPath(new URL(`./cleaner${OWN_EXT}`, import.meta.url))], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const msg: CleanerMessage = { channel, deadline: Date.now() + CLEANER_BUDGET_MS };
  cleaner.send(msg, () => process.exit(3));
  setTimeout(() => process.exit(3), 500).unref();
}

process.on('message', (m) => { if ((m as ChildMessage).type === 'stop') process.exit(0); });
process.on('disconnect', parentLost);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => { if (process.connected && process.ppid === parentPid) process.exit(0); else parentLost(); });
}
setInterval(() => { if (process.ppid !== parentPid) parentLost(); }, 250).unref();
// A parent that died leaves a closed pipe behind: writing progress there must not end the child first.
process.stderr.on('error', () => undefined);
process.stdout.on('error', () => undefined);

const root = fileURLToPath(new URL('..', import.meta.url));
const reporter = {
  onTestCaseResult(tc: TestCaseLike): void {
    if (!o.progress) return;
    const state = tc.result().state;
    const mark = state === 'passed' ? '✓' : state === 'skipped' ? '-' : '✗';
    process.stderr.write(`  ${mark} ${tc.fullName} (${Math.round(tc.diagnostic()?.duration ?? 0)} ms)\n`);
  },
};

const status: SuiteStatus = { broken: null };
try {
  const vitest = await startVitest('test', [], {
    config: join(root, 'suites', `vitest.config${OWN_EXT}`),
    // Compiled, the config is plain JavaScript Node imports as it is: bundling it first (vite's
    // default) loaded rolldown and its native binding in every run.
    ...(OWN_EXT === '.js' ? { configLoader: 'native' as const } : {}),
    root,
    watch: false,
    reporters: [reporter as never],
    ...(o.tags ? { tagsFilter: [o.tags] } : {}),
    ...(o.shard ? { shard: o.shard } : {}),
    passWithNoTests: true,
    maxWorkers: channel.run.workers,
    provide: { ovc: channel },
  }, undefined, { stdout: process.stderr, stderr: process.stderr });
  const errors = vitest.state.getUnhandledErrors();
  const failedToLoad = vitest.state.getFiles().filter((f) => f.result?.state === 'fail' && (f.result.errors?.length ?? 0) > 0 && f.tasks.length === 0);
  if (failedToLoad.length > 0) status.broken = `suite files failed to load: ${failedToLoad.map((f) => `${f.name}: ${f.result?.errors?.[0]?.message}`).join('; ')}`;
  else if (errors.length > 0) status.broken = `unhandled errors in the suites: ${errors.map((e) => (e as Error).message).join('; ')}`;
  await vitest.close();
} catch (e) {
  status.broken = `vitest could not run the suites: ${(e as Error).message}`;
}
if (!leaving) {
  writeSuiteStatus(channel.run.workDir, status);
  process.exit(0);
}
