// `ovc run`: asserts every documented DeleteVectorIndex response against one target (the embedded
// emulator when no --endpoint is given), writes the reports, and exits 0 / 1 / 2.
import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import type { Addressing } from '../protocol/addressing.ts';
import { observedText, type Matrix } from '../reports/matrix.ts';
import type { CaseResult, Outcome, RunSummary, RunTiming, SettleFigures } from '../reports/model.ts';
import { credentialsFromEnv, DEFAULT_CONCURRENCY, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_INDEXES, DEFAULT_RUNS, DEFAULT_SETTLE_MS, DEFAULT_TIMEOUT_MS, deniedCredentialsFromEnv, runSpec, targetSpec, type Identities, type RunChannel, type RunSpec, type TargetSpec } from '../client/config.ts';
import { Pacer, TargetClient } from '../client/client.ts';
import { cleanup, type CleanupReport } from '../safety/removeCreated.ts';
import { closeTransport, configureTls } from '../client/http.ts';
import { Ledger } from '../safety/ledger.ts';
import { closeRunLedger, defaultStateDir, openRunLedger, removeLeftovers, runLedgerDir, type LeftoverReport } from '../safety/leftovers.ts';
import { stateHookOf } from '../scenario/hookClient.ts';
import { preflight, preflightQuota, PreflightError } from '../safety/preflight.ts';
import { fitToTarget } from '../client/concurrency.ts';
import { loadBaseline, type Baseline } from '../reports/baseline.ts';
import { timingText } from '../reports/timing.ts';
import { runSuites } from '../run/runner.ts';
import { createWorkFolder, readExchangeLines, readWorkerStats, removeWorkFolder, sweepStaleWorkFolders } from '../run/workfolder.ts';
import { UsageError } from './errors.ts';
import { accountIdFlag, bucketFlag, choiceFlag, namedBucketFlag, intFlag, regionFlag, shardFlag, tagsFlag, urlFlag } from './options.ts';
import { TAGS } from '../suites/tags.ts';
import { claimOutputDir, inputFile, OUTPUT_MARK } from './paths.ts';
import { packageVersion } from './package-files.ts';

export interface RunFlags {
  endpoint?: string; region: string; bucket: string; otherBucket?: string; accountId: string; addressing?: Addressing;
  stateHook?: string; out: string; seed?: number; runs: number; strict: boolean; tags?: string;
  baseline?: string; shard?: string; timeoutMs: number; quiet: boolean;
  settleMs?: number; concurrency?: number; maxRps: number; putIndexRps?: number; maxIndexes?: number;
  workers?: number; caFile?: string; insecure: boolean; record?: string; stateDir?: string; maxResponseBytes: number;
}

export { DEFAULT_RUNS };

export function runCommand(setExit: (code: number) => void): Command {
  return new Command('run')
    .description('assert every documented DeleteVectorIndex response against a target (default: the embedded emulator)')
    .option('--endpoint <url>', 'OSS Vectors endpoint, e.g. https://cn-hangzhou.oss-vectors.aliyuncs.com (default: start the embedded emulator)', urlFlag('endpoint'))
    .option('--region <region>', 'signing region', regionFlag, 'cn-hangzhou')
    .option('--bucket <bucket>', 'vector bucket to run in (must exist)', bucketFlag, 'ovc-conformance')
    .option('--other-bucket <bucket>', 'a second vector bucket of the same target, for the cross-bucket cases (they skip without it; the embedded emulator serves one)', namedBucketFlag('other-bucket'))
    .option('--account-id <id>', 'account id (part of the host and of the signed ARN)', accountIdFlag, '1234567890')
    .addOption(new Option('--addressing <style>', 'virtual-hosted or path-style (default: path for IP endpoints, virtual otherwise)').argParser(choiceFlag('addressing', ['virtual', 'path'] as const)))
    .option('--state-hook <url>', 'provider-state hook of the target (the embedded emulator has one)', urlFlag('state-hook'))
    .option('--out <dir>', 'report folder', 'reports/out')
    .option('--seed <n>', 'seed of the generated cases', intFlag('seed', 0, 2 ** 31 - 1))
    .option('--runs <n>', 'generated cases per property', intFlag('runs', 1, 10_000_000), DEFAULT_RUNS)
    .option('--strict', 'also assert behaviour the spec leaves open (§12)', false)
    .option('--tags <expr>', 'only cases with these tags (vitest tag expression, e.g. "404-no-such-vector-index || races")', tagsFlag(TAGS.map((t) => t.name)))
    .option('--baseline <file>', 'known deviations of this target (JSON or YAML)', inputFile('baseline'))
    .option('--shard <i/n>', 'run shard i of n (merge the outputs with ovc report merge)', shardFlag)
    .option('--timeout-ms <n>', 'per-request timeout', intFlag('timeout-ms', 100, 600_000), DEFAULT_TIMEOUT_MS)
    .option('--quiet', 'no per-test progress lines', false)
    .option('--settle-ms <n>', `how long creating/deleting may last before a case fails (default ${DEFAULT_SETTLE_MS}; the embedded emulator 0 = instant)`, intFlag('settle-ms', 0, 3_600_000))
    .option('--concurrency <n>', `cases in flight at once per property (default: ${DEFAULT_CONCURRENCY}; against an endpoint, from its round trip)`, intFlag('concurrency', 1, 256))
    .option('--max-rps <n>', 'requests per second over the whole run (token bucket; 0 = unlimited)', intFlag('max-rps', 0, 1_000_000), 0)
    .option('--put-index-rps <n>', 'PutVectorIndex (and set-up/cleanup deletes) per second over the whole run (default: the documented 5, unlimited for the embedded emulator; 0 = unlimited)', intFlag('put-index-rps', 0, 100_000))
    .option('--max-indexes <n>', `live indexes the run may hold at once, counting deleting ones until gone (default ${DEFAULT_MAX_INDEXES}, or the buckets' free slots when fewer; a given value is checked against the bucket quota before the run)`, intFlag('max-indexes', 1, 100))
    .option('--workers <n>', 'suite worker threads (default: one per core less one; against an endpoint, from its round trip)', intFlag('workers', 1, 64))
    .option('--ca-file <file>', 'PEM file of a private CA the endpoint\'s certificate is signed by', inputFile('ca-file'))
    .option('--insecure', 'do not verify the endpoint\'s TLS certificate (test deployments only)', false)
    .option('--record <dir>', 'keep every exchange of the run, redacted, as a cassette in DIR (for ovc diff); DIR must be new, empty or an earlier cassette')
    .option('--state-dir <dir>', 'where the ledgers of runs against remote targets are kept, so a later run removes what a stopped one left (default: $OVC_STATE_DIR, else $XDG_STATE_HOME/ovc, else ~/.local/state/ovc)')
    .option('--max-response-bytes <n>', 'largest answer body read; a larger one makes its case an error ("answer too large")', intFlag('max-response-bytes', 1024, 1 << 30), DEFAULT_MAX_RESPONSE_BYTES)
    .action(async (flags: RunFlags) => { setExit(await run(flags)); });
}

/** The target and the run described by the flags (the one place the CLI builds them). */
export function specsFromFlags(flags: RunFlags, endpoint: string, embedded: boolean, stateHook: string | null, outDir: string): { target: TargetSpec; run: RunSpec } {
  const target = targetSpec({
    endpoint, region: flags.region, bucket: flags.bucket, otherBucket: flags.otherBucket ?? (embedded ? EMBEDDED_OTHER_BUCKET : null),
    accountId: flags.accountId, addressing: flags.addressing, stateHook, embedded, timeoutMs: flags.timeoutMs,
    tls: { caFile: flags.caFile ? resolve(flags.caFile) : null, insecure: flags.insecure },
    maxResponseBytes: flags.maxResponseBytes,
  });
  const run = runSpec(target, {
    seed: flags.seed, runs: flags.runs, strict: flags.strict, outDir, workDir: join(outDir, '.work'),
    settleMs: flags.settleMs, maxIndexes: flags.maxIndexes ?? DEFAULT_MAX_INDEXES,
    workers: flags.workers ?? Math.max(1, availableParallelism() - 1),
    pacing: { concurrency: flags.concurrency, maxRps: flags.maxRps, putIndexRps: flags.putIndexRps },
    recordDir: flags.record ? resolve(flags.record) : null,
  });
  return { target, run };
}

/** The second bucket the embedded emulator serves, for the cross-bucket cases. */
export const EMBEDDED_OTHER_BUCKET = 'ovc-conformance-b2';

/** Signals that stop a run: the first stops the suites and cleans up, a second cuts the cleanup short, a third exits at once. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long a stopped run waits before it looks again for a create that was in flight when it stopped. */
const IN_FLIGHT_GRACE_MS = 2000;

async function run(flags: RunFlags): Promise<number> {
  const started = new Date();
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  // Bad input is refused before any request is sent, and before anything is written.
  const baseline = flags.baseline ? loadBaseline(flags.baseline) : null;
  const outDir = claimOutputDir('--out', flags.out);
  if (flags.record) claimCassetteDir(flags.record);
  const remote = Boolean(flags.endpoint);
  const stateDir = remote ? claimStateDir(flags.stateDir ?? defaultStateDir()) : null;
  if (flags.insecure) log('ovc: WARNING: --insecure: the endpoint\'s TLS certificate is NOT verified; anyone on the path can read and change this run\'s traffic. Use --ca-file for a private CA instead.');

  // Stopping: the first signal stops the suites (then the run cleans up and reports), a second one
  // cuts the cleanup short (what is left stays in the ledger for the next run), a third exits.
  const controller = new AbortController();
  let signals = 0;
  let cleanupDeadline = Infinity;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) { log(`ovc: ${sig}: stopping the suites, then removing what the run created…`); controller.abort(); }
    else if (signals === 2) { log(`ovc: ${sig} again: cleanup cut short; what is left stays in the ledger for the next run.`); cleanupDeadline = Date.now(); }
    else process.exit(2);
  };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  // Started by another ovc command with an IPC link (`ovc diff`): that command's end, however it
  // ends (kill -9 included), stops this run like a SIGTERM — suites stopped, what it created removed.
  // Its stderr may be a pipe nobody reads any more: writing there must not end the run first.
  const parentGone = (): void => {
    process.stderr.on('error', () => undefined);
    process.stdout.on('error', () => undefined);
    if (signals === 0) onSignal('SIGTERM');
  };
  if (process.channel) { process.channel.unref(); process.once('disconnect', parentGone); }

  sweepStaleWorkFolders();
  let emulator: { url: string; stateHookUrl: string | null; close(): Promise<void> } | null = null;
  let workDir: string | null = null;
  try {
    let identities: Identities;
    if (!remote) {
      const { startEmulator, defaultIdentities } = await import('../emulator/index.ts');
      const ids = defaultIdentities(process.env);
      const denied = ids.find((i: { deniedActions?: string[] }) => i.deniedActions?.length);
      // The suite workers sign with the same identities the emulator trusts (handed over in the run channel).
      identities = { main: { accessKeyId: ids[0]!.accessKeyId, accessKeySecret: ids[0]!.accessKeySecret, securityToken: ids[0]!.securityToken }, denied: denied ? { accessKeyId: denied.accessKeyId, accessKeySecret: denied.accessKeySecret } : null };
      emulator = await startEmulator({ region: flags.region, accountId: flags.accountId, buckets: [...new Set([flags.bucket, flags.otherBucket ?? EMBEDDED_OTHER_BUCKET])], identities: ids, stateHook: true });
    } else {
      const main = credentialsFromEnv();
      if (!main) throw new UsageError('OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET must be set to run against --endpoint.');
      identities = { main, denied: deniedCredentialsFromEnv() };
    }
    const endpoint = flags.endpoint ?? emulator!.url;
    const specs = specsFromFlags(flags, endpoint, !remote, flags.stateHook ?? emulator?.stateHookUrl ?? null, outDir);
    const { target } = specs;
    workDir = createWorkFolder(specs.run.runId);
    // Against a remote target the ledger outlives the run, in the state folder; the embedded
    // emulator's indexes end with it, so its ledger stays in the work folder.
    const run: RunSpec = { ...specs.run, workDir, ledgerDir: stateDir ? runLedgerDir(stateDir, target, specs.run.runId) : workDir };
    configureTls(target.tls);
    const client = new TargetClient(target, identities, new Pacer(run.pacing));
    const hook = stateHookOf(target);
    log(`ovc run ${run.runId}: ${target.name} — ${target.addressing}-style, region ${target.region}, bucket ${target.bucket}${target.otherBucket ? ` (+ ${target.otherBucket})` : ''}, seed ${run.seed}, runs ${run.runs}${run.strict ? ', strict' : ''}, settle ${run.settleMs} ms, ${run.workers} worker(s)${run.pacing.putIndexRps ? `, ${run.pacing.putIndexRps} PutVectorIndex/s` : ''}${run.pacing.maxRps ? `, ${run.pacing.maxRps} req/s` : ''}`);
    try {
      await preflight(client, run, hook);
      if (stateDir) {
        const left = await removeLeftovers(client, stateDir, target, run.settleMs, hook, run.runId);
        if (left.runs.length > 0) log(`ovc: ${leftoverLine(left)}`);
      }
      const asked = run.maxIndexes;
      await preflightQuota(client, run, undefined, flags.maxIndexes === undefined);
      if (run.maxIndexes < asked) log(`ovc: at most ${run.maxIndexes} live index(es) at once: the fullest bucket has only that many free slots (--max-indexes sets it).`);
    } catch (e) {
      if (e instanceof PreflightError) { log(`ovc: cannot run: ${e.message}`); return 2; }
      throw e;
    }
    log(await fitToTarget(client, target, run, flags, availableParallelism()));
    if (controller.signal.aborted) return stoppedEarly(log);
    const ledger = stateDir ? openRunLedger(target, run) : new Ledger(run.ledgerDir, run.prefix);
    const channel: RunChannel = { target, run, identities };
    const { results, broken, interrupted } = await runSuites(channel, { tags: flags.tags, shard: flags.shard, progress: !flags.quiet, signal: controller.signal });
    // A second signal during the cleanup sets its deadline (read before each delete).
    // After a stop, a create sent just before it may still land: unconfirmed names are looked at again.
    const cleanupReport = await cleanup(client, ledger, run.settleMs, hook, () => cleanupDeadline, interrupted ? IN_FLIGHT_GRACE_MS : 0);
    if (stateDir) closeRunLedger(ledger);
    if (cleanupReport.failures.length) log(`ovc: cleanup could not remove ${cleanupReport.failures.length} of what the run created${stateDir ? ` (kept in ${run.ledgerDir} for the next run)` : ''}:\n  ${cleanupReport.failures.join('\n  ')}`);
    if (broken) { log(`ovc: cannot run: ${broken}`); return 2; }
    const code = await finish(results, target, run, started, cleanupReport, baseline);
    if (run.recordDir) {
      const { writeRunCassette } = await import('../diff/cassette.ts');
      writeRunCassette(run.recordDir, { target, run, tags: flags.tags ?? null, ovcVersion: packageVersion(), flags: { shard: flags.shard, timeoutMs: flags.timeoutMs, concurrency: run.pacing.concurrency, maxRps: flags.maxRps, putIndexRps: flags.putIndexRps, maxIndexes: flags.maxIndexes, workers: run.workers } }, readExchangeLines(run.workDir), results);
    }
    if (interrupted) {
      const stats = readWorkerStats(run.workDir);
      log(`ovc: the run was stopped after ${results.length} finished case(s) and ${stats.requests + client.pacer.stats.requests} request(s) (${stats.requests} by the suites); cleanup removed ${cleanupReport.removed?.length ?? 0} index(es)${cleanupReport.removed?.length ? `: ${cleanupReport.removed.join(', ')}` : ''}${cleanupReport.failures.length ? `; ${cleanupReport.failures.length} could not be removed (listed above)` : '; nothing the run created is left'}. The reports cover the finished cases only.`);
      return 2;
    }
    return code;
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
    process.off('disconnect', parentGone);
    await closeTransport();
    await emulator?.close();
    if (workDir) removeWorkFolder(workDir);
  }
}

/** A stop during the preflight: nothing was created yet. */
function stoppedEarly(log: (s: string) => void): number {
  log('ovc: stopped before any case ran; the run created nothing.');
  return 2;
}

function leftoverLine(r: LeftoverReport): string {
  const gone = r.removed.length;
  return `removed ${gone} index(es) left by ${r.runs.length} earlier stopped run(s) on this target (${r.runs.join(', ')})${gone ? `: ${r.removed.join(', ')}` : ''}${r.failures.length ? `; could not remove ${r.failures.length}: ${r.failures.join('; ')} (kept for the next run)` : ''}.`;
}

/** A cassette folder is ours when it is new, empty, marked, or an earlier cassette (meta.json of format ovc-cassette). */
function claimCassetteDir(dir: string): string {
  const meta = join(resolve(dir), 'meta.json');
  if (existsSync(meta) && !existsSync(join(resolve(dir), OUTPUT_MARK))) {
    let format: unknown;
    try { format = (JSON.parse(readFileSync(meta, 'utf8')) as { format?: unknown }).format; } catch { format = null; }
    if (typeof format !== 'string' || !format.startsWith('ovc-cassette/')) throw new UsageError(`--record: the folder '${dir}' holds a meta.json that is not an ovc cassette's; give a new or empty folder.`);
  }
  return claimOutputDir('--record', dir);
}

/** The state folder: created when missing; refused when it is a file, unwritable or on a kernel file system. */
function claimStateDir(dir: string): string {
  return claimOutputDir('--state-dir', dir);
}

function settleFigures(ms: number[]): SettleFigures {
  if (ms.length === 0) return { count: 0, medianMs: null, maxMs: null };
  const s = [...ms].sort((a, b) => a - b);
  return { count: s.length, medianMs: s[Math.floor((s.length - 1) / 2)]!, maxMs: s.at(-1)! };
}

/** The run's time-awareness figures: settle times seen by the cases, throttling, budget. */
export function runTiming(results: readonly CaseResult[], run: RunSpec): RunTiming {
  const enable: number[] = [];
  const gone: number[] = [];
  for (const r of results) for (const x of r.settle ?? []) if (x.reached) (x.kind === 'enable' ? enable : gone).push(x.ms);
  const stats = readWorkerStats(run.workDir);
  return { settleBoundMs: run.settleMs, enable: settleFigures(enable), gone: settleFigures(gone), requests: stats.requests, throttled: stats.throttled, retries: stats.retries, gaveUp: stats.gaveUp, peakIndexes: stats.peakIndexes, ...(stats.evidenceNotKept?.bodies ? { evidenceNotKept: stats.evidenceNotKept } : {}) };
}

async function finish(results: CaseResult[], target: TargetSpec, run: RunSpec, started: Date, cleanupReport: CleanupReport, baseline: Baseline | null): Promise<number> {
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.outcome]++;
  const timing = runTiming(results, run);
  const { isObservation } = await import('../reports/matrix.ts');
  const summary: RunSummary = {
    target: target.name, startedAt: started.toISOString(), finishedAt: new Date().toISOString(),
    seed: run.seed, strict: run.strict, counts, observedPasses: results.filter((r) => r.outcome === 'pass' && isObservation(r, run.strict)).length, cleanup: cleanupReport, timing,
  };
  const { writeReports } = await import('../reports/index.ts');
  const { causeOf } = await import('../generators/labels.ts');
  const { files, gate, matrix } = await writeReports(run.outDir, results, summary, { baseline, causeOf, githubStepSummary: process.env.GITHUB_STEP_SUMMARY ?? null });
  if (process.env.GITHUB_ACTIONS === 'true') {
    const { githubAnnotations } = await import('../reports/github.ts');
    for (const line of githubAnnotations(results)) process.stdout.write(`${line}\n`);
  }
  process.stdout.write(summaryTable(matrix));
  process.stdout.write((await import('../reports/problems.ts')).problemsText(results));
  const secs = ((Date.now() - started.getTime()) / 1000).toFixed(1);
  process.stdout.write(`\n${timingLine(timing)}\n`);
  process.stdout.write(`\n${matrix.totals.pass} passed, ${counts.fail} failed, ${counts.skip} skipped, ${counts.error} errors${matrix.observed ? `, ${matrix.observed} observed` : ''} in ${secs} s — reports in ${run.outDir} (${files.length} files)\n`);
  if (results.length > 0 && counts.error === results.length) return 2;
  return gate.exitCode;
}

/** The matrix's rows that have cases, as a terminal table (the counts are the report's own). */
function summaryTable(matrix: Matrix): string {
  const rows = matrix.rows.filter((r) => r.total > 0);
  const w = Math.max(20, ...rows.map((r) => r.label.length));
  const line = (a: string, b: string, c: string, d: string, e: string, f: string, g: string): string => `${a.padEnd(w)}  ${b.padStart(6)}  ${c.padStart(6)}  ${d.padStart(6)}  ${e.padStart(6)}  ${f.padStart(8)}  ${g}\n`;
  let out = `\n${line('documented response', 'pass', 'fail', 'skip', 'error', 'observed', 'state')}`;
  for (const r of rows) out += line(r.label, String(r.counts.pass), String(r.counts.fail), String(r.counts.skip), String(r.counts.error), String(r.observed.cases), r.state === 'observed' ? observedText(r.observed) : r.state.replace('-', ' '));
  return out;
}

/** One line on time: settle times seen, throttling, budget. */
export function timingLine(t: RunTiming): string {
  return `timing: ${timingText(t)}`;
}
