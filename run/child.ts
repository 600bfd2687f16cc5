// The suite runner's child process: runs vitest programmatically on the suites (worker threads of
// this process), prints progress, and leaves its status in the work folder (run/workfolder.ts).
// It never outlives its parent: told to stop, or signalled, it holds every worker's next request,
// leaves the count of requests sent in its status and exits within moments (its threads with it;
// the parent cleans up). It tells the parent when the target has given no judgeable answer for the
// early-stop stretch (client/gauges.ts). If the parent is gone — its IPC link closes, or the parent
// pid changes — it hands the run's ledger to a short-lived cleaner (run/cleaner.ts) and exits.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setEnvironmentData } from 'node:worker_threads';
import type { Vitest } from 'vitest/node';
import type { RunChannel } from '../client/config.ts';
import { GAUGES_KEY, newSharedGauges, TrafficGauges } from '../client/gauges.ts';
import { newSharedLimits, SHARED_LIMITS_KEY } from '../client/pacing.ts';
import { childLoader, OWN_EXT, type ChildMessage, type ChildReport } from './runner.ts';
import { writeSuiteStatus, type SuiteStatus } from './workfolder.ts';
import { SUITE_EXT, SUITE_TEST_OPTIONS, SUITES_ROOT } from '../suites/options.ts';
import { allSuiteFiles, suiteFilesFor, tagsMatcher } from '../suites/select.ts';
import type { CleanerMessage } from './cleaner.ts';
import { keepBaselineWasm } from '../client/wasm-tiers.ts';
import { startEarlyWorker, suitePool, warmModules } from './suite-pool.ts';

// Before any worker thread sends a request (client/wasm-tiers.ts).
keepBaselineWasm();

interface TestCaseLike { fullName: string; result(): { state: string }; diagnostic(): { duration: number } | undefined }

// The child starts with the run (`prepare`: the suite options) and loads vitest while the parent
// starts the target; the run itself (target, settings, keys) arrives later over IPC from `ovc run`
// (run/runner.ts), then goes to the workers through vitest's provide/inject: one typed value, keys
// included, never in the environment or on disk. A `stop` or a lost parent before the run: nothing
// was sent, so the child just leaves.
const inbox: ChildMessage[] = [];
let delivered: ((m: ChildMessage) => void) | null = null;
process.on('message', (m: ChildMessage) => {
  if (m.type === 'stop') { onStop(); return; }
  if (delivered) { const d = delivered; delivered = null; d(m); } else inbox.push(m);
});
const nextMessage = (): Promise<ChildMessage> => new Promise((resolve) => { const m = inbox.shift(); if (m) resolve(m); else delivered = resolve; });
// The parent's pid comes on the command line: read from process.ppid here it would be init's if
// the parent was gone before this line ran (and a 'disconnect' emitted before the listener below is
// lost), and the child would wait for a run that never comes.
const parentPid = Number(process.argv[2]) || process.ppid;
let leaving = false;
/** The run, once handed over (null before: a stop or a lost parent then has nothing to clean). */
let channel: RunChannel | null = null;

/** Time the cleaner has, from the moment the parent was found gone, to delete what the ledger holds. */
const CLEANER_BUDGET_MS = 1500;

function parentLost(): void {
  if (leaving) return;
  leaving = true;
  if (!channel) process.exit(3);
  // Gone within moments however the hand-over goes: the timer is set first and holds the loop (an
  // exception below may be swallowed by vitest's own handlers, and nothing else may hold the loop).
  setTimeout(() => process.exit(3), 500);
  try {
    const cleaner = spawn(process.execPath, [...childLoader(), fileURLToPath(new URL(`./cleaner${OWN_EXT}`, import.meta.url))], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    cleaner.on('error', () => process.exit(3));
    const msg: CleanerMessage = { channel, deadline: Date.now() + CLEANER_BUDGET_MS };
    cleaner.send(msg, () => process.exit(3));
  } catch {
    process.exit(3);
  }
}

// Made here, before vitest starts its workers, and handed to them as environment data: the run's
// pooled limits (PutVectorIndex pace, requests per second, index budget; client/pacing.ts) and its
// traffic gauges (requests sent, judgeable answers, the hold; client/gauges.ts).
setEnvironmentData(SHARED_LIMITS_KEY, newSharedLimits());
const gaugesMemory = newSharedGauges();
setEnvironmentData(GAUGES_KEY, gaugesMemory);
const gauges = new TrafficGauges(gaugesMemory);

/** How long a stopping child waits for the requests already handed to the transport to leave. */
const QUIET_MS = 60;
const QUIET_MAX_MS = 300;

/** Holds every worker's next request, lets the ones already on their way leave, leaves the count, exits. */
async function stopCounted(): Promise<never> {
  gauges.hold();
  const until = Date.now() + QUIET_MAX_MS;
  for (let last = -1; gauges.sent !== last && Date.now() < until;) {
    last = gauges.sent;
    await new Promise((r) => setTimeout(r, QUIET_MS));
  }
  try { if (channel) writeSuiteStatus(channel.run.workDir, { broken: null, sent: gauges.sent }); } catch { /* the parent counts without it */ }
  leaveNow();
}

/**
 * Ends a stopped child at once. process.exit() tears down each worker thread in turn (every
 * thread's isolate ended and joined) before the process ends: with six worker threads on a loaded
 * machine that took 0.2–0.6 s, and once 2 s, when the parent's grace ran out and it killed the child
 * (a SIGINT test's 2-s bound failed in a CI=true run of the project's tests). Everything the parent reads is on disk
 * already (the status just written; a worker's half-written last line is skipped,
 * run/workfolder.ts), so the process is ended by the kernel, without the teardown. The parent reads
 * the count from the status, not from the exit code.
 */
function leaveNow(): never {
  try { process.kill(process.pid, 'SIGKILL'); } catch { /* no such signal here: exit as usual */ }
  process.exit(0);
}

/** Told to stop, or signalled by its parent: before the run there is nothing to count. */
function onStop(): void {
  if (!channel) process.exit(0);
  void stopCounted();
}

process.on('disconnect', parentLost);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => { if (process.connected && process.ppid === parentPid) onStop(); else parentLost(); });
}
setInterval(() => { if (process.ppid !== parentPid) parentLost(); }, 250).unref();
if (process.ppid !== parentPid || !process.connected) parentLost();
// A parent that died leaves a closed pipe behind: writing progress there must not end the child first.
process.stderr.on('error', () => undefined);
process.stdout.on('error', () => undefined);

const reporter = {
  onTestCaseResult(tc: TestCaseLike): void {
    if (!o.progress) return;
    const state = tc.result().state;
    const mark = state === 'passed' ? '✓' : state === 'skipped' ? '-' : '✗';
    process.stderr.write(`  ${mark} ${tc.fullName} (${Math.round(tc.diagnostic()?.duration ?? 0)} ms)\n`);
  },
};

const first = await nextMessage();
if (first.type !== 'prepare') process.exit(0);
const o = first.options;

/** vitest, with the suite configuration loaded and its workers not yet started (or why it could not be made). */
async function prepareVitest(include: string[] | null): Promise<Vitest | Error> {
  try {
    // Loaded here, after the handlers above: importing vitest takes the child ~0.4 s, during which
    // a lost parent or a stop must already be heard.
    const [{ createVitest }, { LongestFirstSequencer }] = await Promise.all([import('vitest/node'), import('../suites/sequencer.ts')]);
    return await createVitest('test', {
      // The suites' options inline (suites/options.ts): no config file to find, bundle or import.
      config: false,
      ...SUITE_TEST_OPTIONS,
      sequence: { sequencer: LongestFirstSequencer },
      // Compiled, the suites' first thread may be the one started early (run/suite-pool.ts).
      ...(SUITE_EXT === 'js' ? { pool: suitePool } : {}),
      ...(include ? { include } : {}),
      root: SUITES_ROOT,
      watch: false,
      reporters: [reporter as never],
      ...(o.tags ? { tagsFilter: [o.tags] } : {}),
      ...(o.shard ? { shard: o.shard } : {}),
      passWithNoTests: true,
    }, undefined, { stdout: process.stderr, stderr: process.stderr });
  } catch (e) {
    return e as Error;
  }
}
// vitest's environment, set before any of its packages loads (the tag matcher below is one).
process.env.TEST = 'true';
process.env.VITEST = 'true';
process.env.NODE_ENV ??= 'test';
// With --tags, only the suite files one of whose tests can match (suites/select.ts; null: all).
const include = o.tags ? suiteFilesFor(SUITES_ROOT, SUITE_EXT, await tagsMatcher(o.tags)) : null;
// The suites' first worker thread starts now, loading vitest's test runtime and the suite files'
// modules while this thread loads vitest (run/suite-pool.ts). Compiled suites only (from the
// sources vite transforms every module), and not for a run with no suite file to load.
if (SUITE_EXT === 'js' && include?.length !== 0) {
  try {
    const files = include ?? allSuiteFiles(SUITES_ROOT, SUITE_EXT) ?? [];
    startEarlyWorker(warmModules(files.map((f) => join(SUITES_ROOT, f))), SUITE_TEST_OPTIONS.env);
  } catch { /* vitest starts its own thread */ }
}
const prepared = await prepareVitest(include);

const handed = await nextMessage();
if (handed.type !== 'run') process.exit(0);
channel = handed.channel;
const { stall } = handed;
// The early stop (docs/safety.md, "the time budget"): a stretch of nothing but throttled answers or
// timeouts means the run cannot judge the target now; the parent decides what follows.
if (stall) {
  const { windowMs, minAnswers } = stall;
  setInterval(() => {
    const s = gauges.stretch();
    if (s.ms >= windowMs && s.answers >= minAnswers && process.connected) process.send?.({ type: 'stall', ...s } satisfies ChildReport);
  }, Math.min(250, windowMs)).unref();
}

const status: SuiteStatus = { broken: null };
try {
  if (prepared instanceof Error) throw prepared;
  const vitest = prepared;
  // The settings the preflight froze: the workers' count (read by vitest when it starts them) and
  // the run itself, handed to every worker through inject().
  vitest.config.maxWorkers = channel.run.workers;
  for (const project of vitest.projects) project.config.maxWorkers = channel.run.workers;
  vitest.provide('ovc', channel);
  // No suite file has a test the expression matches: nothing to run (vitest would refuse to start
  // on no files; before the selection it loaded them all and ran none).
  if (include?.length !== 0) await vitest.start([]);
  const errors = vitest.state.getUnhandledErrors();
  const failedToLoad = vitest.state.getFiles().filter((f) => f.result?.state === 'fail' && (f.result.errors?.length ?? 0) > 0 && f.tasks.length === 0);
  if (failedToLoad.length > 0) status.broken = `suite files failed to load: ${failedToLoad.map((f) => `${f.name}: ${f.result?.errors?.[0]?.message}`).join('; ')}`;
  else if (errors.length > 0) status.broken = `unhandled errors in the suites: ${errors.map((e) => (e as Error).message).join('; ')}`;
  // No vitest.close(): every case's record is on disk when its test ends (run/recorder.ts), the
  // suites' own clean-up ran inside start(), and the exit below ends the worker threads; closing
  // vite's server and the pool first cost every run ~0.1 s (docs/performance.md §0c).
} catch (e) {
  status.broken = `vitest could not run the suites: ${(e as Error).message}`;
}
if (!leaving) {
  writeSuiteStatus(channel.run.workDir, { ...status, sent: gauges.sent });
  process.exit(0);
}
