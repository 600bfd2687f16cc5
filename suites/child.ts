// The suite runner's child process: runs vitest programmatically on the suites, prints progress,
// and leaves its status beside the case records (see runner.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startVitest } from 'vitest/node';
import { OWN_EXT, STATUS_FILE, type ChildMessage, type SuiteStatus } from './runner.ts';

interface TestCaseLike { fullName: string; result(): { state: string }; diagnostic(): { duration: number } | undefined }

// The run arrives over IPC from `ovc run` (suites/runner.ts), then goes to the workers through
// vitest's provide/inject: one typed value, keys included, never in the environment or on disk.
const { channel, options: o } = await new Promise<ChildMessage>((resolve) => process.once('message', (m) => resolve(m as ChildMessage)));
process.disconnect?.();
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
writeFileSync(join(channel.run.workDir, STATUS_FILE), JSON.stringify(status));
process.exit(0);
