// One run of the suites against one target, owned from start to reports: start (the embedded
// emulator or the endpoint's credentials, the work folder, the settings), preflight (and earlier
// runs' leftovers, the quota, the concurrency probe — after which the settings are frozen), suites
// (run/runner.ts), stop (run/stop.ts: signals, the deadline, the early stop), cleanup of what the
// run created (safety/removeCreated.ts), reports (run/finish.ts). `ovc run` parses its flags,
// claims its paths and hands them here; the work folder is read once, here (`readWorkFolder`).
import { availableParallelism } from 'node:os';
import { EARLY_STOP_MIN_ANSWERS, EARLY_STOP_WINDOW_MS, newRunId, type Identities, type RunChannel, type RunSpec, type TargetSpec } from '../client/config.ts';
import { Pacer, TargetClient } from '../client/client.ts';
import { fitToTarget } from '../client/concurrency.ts';
import { trafficGauges } from '../client/gauges.ts';
import { closeTransport, configureTls } from '../client/http.ts';
import type { Baseline } from '../reports/baseline.ts';
import { stateHookOf, type StateHook } from '../scenario/hookClient.ts';
import { Ledger } from '../safety/ledger.ts';
import { closeRunLedger, leftoverLine, openRunLedger, removeLeftovers, runLedgerDir } from '../safety/leftovers.ts';
import { preflight, PreflightError, preflightQuota } from '../safety/preflight.ts';
import { cleanup, stoppedCleanupClient, type CleanupReport } from '../safety/removeCreated.ts';
import { stoppedLine, writeRunReports } from './finish.ts';
import { SuiteChild, suitesBroken } from './runner.ts';
import { draftRun, finalRun, targetFromFlags, EMBEDDED_OTHER_BUCKET, type RunFlags } from './settings.ts';
import { RunStop } from './stop.ts';
import { makeWorkFolder, sweepStaleWorkFolders } from '../files/gate.ts';
import { readWorkFolder, removeWorkFolder, type WorkFolderContents } from './workfolder.ts';

/** What `ovc run` hands over: the flags, and what it already checked and claimed. */
export interface RunRequest {
  flags: RunFlags;
  outDir: string;
  /** The state folder of a remote run's ledgers (null: the embedded emulator). */
  stateDir: string | null;
  /** The endpoint's identities (null: the embedded emulator's own). */
  identities: Identities | null;
  baseline: Baseline | null;
  /** The package's version (written into a cassette's meta). */
  ovcVersion: string;
  log: (line: string) => void;
  /** The suite child, started by the caller before this module loaded, and dismissed by it if the run ends before its suites (run/runner.ts). */
  suites: SuiteChild;
}

interface Started { target: TargetSpec; draft: RunSpec; identities: Identities; client: TargetClient; hook: StateHook | null }

/** How long a stopped run waits before it looks again for a create that was in flight when it stopped. */
const IN_FLIGHT_GRACE_MS = 2000;

export class RunSession {
  private readonly stop: RunStop;
  private readonly started = new Date();
  private emulator: { url: string; stateHookUrl: string | null; close(): Promise<void> } | null = null;
  private workDir: string | null = null;

  constructor(private readonly r: RunRequest) { this.stop = new RunStop(r.log); }

  /** Runs it all; the exit status (0 all held, 1 something did not, 2 the run could not judge). */
  async run(): Promise<number> {
    this.stop.install(this.r.flags.deadline);
    trafficGauges();
    sweepStaleWorkFolders();
    try {
      const s = await this.start();
      const run = await this.preflight(s);
      if (typeof run === 'number') return run;
      if (this.stop.stopped) { this.r.log('ovc: stopped before any case ran; the run created nothing.'); return 2; }
      return await this.suitesToReports(s, run);
    } finally {
      this.stop.uninstall();
      await closeTransport();
      await this.emulator?.close();
      if (this.workDir) removeWorkFolder(this.workDir);
    }
  }

  /** The target (the embedded emulator when no endpoint), the work folder, the draft settings, the client. */
  private async start(): Promise<Started> {
    const { flags } = this.r;
    let identities = this.r.identities;
    if (!identities) {
      const { startEmulator, defaultIdentities } = await import('../emulator/index.ts');
      const ids = defaultIdentities(process.env);
      const denied = ids.find((i: { deniedActions?: string[] }) => i.deniedActions?.length);
      // The suite workers sign with the same identities the emulator trusts (handed over in the run channel).
      identities = { main: { accessKeyId: ids[0]!.accessKeyId, accessKeySecret: ids[0]!.accessKeySecret, securityToken: ids[0]!.securityToken }, denied: denied ? { accessKeyId: denied.accessKeyId, accessKeySecret: denied.accessKeySecret } : null };
      this.emulator = await startEmulator({ region: flags.region, accountId: flags.accountId, buckets: [...new Set([flags.bucket, ...(flags.otherBucket === false ? [] : [flags.otherBucket ?? EMBEDDED_OTHER_BUCKET])])], identities: ids, stateHook: true });
    }
    const target = targetFromFlags(flags, flags.endpoint ?? this.emulator!.url, !flags.endpoint, flags.stateHook ?? this.emulator?.stateHookUrl ?? null);
    const runId = newRunId();
    this.workDir = makeWorkFolder(runId);
    // Against a remote target the ledger outlives the run, in the state folder; the embedded
    // emulator's indexes end with it, so its ledger stays in the work folder.
    const ledgerDir = this.r.stateDir ? runLedgerDir(this.r.stateDir, target, runId) : this.workDir;
    const draft = draftRun(flags, target, { runId, outDir: this.r.outDir, workDir: this.workDir, ledgerDir });
    configureTls(target.tls);
    const client = new TargetClient(target, identities, new Pacer(draft.pacing));
    // A stop during the preflight ends its requests and throttle waits at once (signals take effect
    // within 2 s); the cleanup after a stop has a client of its own (removeCreated).
    client.pacer.stopSignal = this.stop.signal;
    this.r.log(`ovc run ${draft.runId}: ${target.name} — ${target.addressing}-style, region ${target.region}, bucket ${target.bucket}${target.otherBucket ? ` (+ ${target.otherBucket})` : ''}, seed ${draft.seed}, runs ${draft.runs}${draft.strict ? ', strict' : ''}, settle ${draft.settleMs} ms, ${draft.workers} worker(s)${draft.pacing.putIndexRps ? `, ${draft.pacing.putIndexRps} PutVectorIndex/s` : ''}${draft.pacing.maxRps ? `, ${draft.pacing.maxRps} req/s` : ''}`);
    return { target, draft, identities, client, hook: stateHookOf(target) };
  }

  /** The preflight, earlier runs' leftovers, the quota and the probe; the final, frozen settings (or exit 2). */
  private async preflight({ target, draft, client, hook }: Started): Promise<Readonly<RunSpec> | number> {
    const { flags, stateDir, log } = this.r;
    let maxIndexes: number;
    let fit: Awaited<ReturnType<typeof fitToTarget>>;
    try {
      await preflight(client, draft, hook);
      if (stateDir) {
        const left = await removeLeftovers(client, stateDir, target, draft.settleMs, hook, draft.runId, () => (this.stop.stopped ? 0 : Infinity));
        for (const ignored of left.ignored) log(`ovc: ${ignored}`);
        if (left.runs.length > 0) log(`ovc: ${leftoverLine(left)}`);
      }
      ({ maxIndexes } = await preflightQuota(client, draft, undefined, flags.maxIndexes === undefined));
      if (maxIndexes < draft.maxIndexes) log(`ovc: at most ${maxIndexes} live index(es) at once: the fullest bucket has only that many free slots (--max-indexes sets it).`);
      fit = await fitToTarget(client, target, flags, availableParallelism());
    } catch (e) {
      // A stop aborts the preflight's requests (Pacer.stopSignal): whatever they threw, the run stopped.
      if (this.stop.stopped) { log(`ovc: stopped during the preflight, before any case ran; anything its checks left on the target is in the ledger for the next run.`); return 2; }
      if (e instanceof PreflightError) { log(`ovc: cannot run: ${e.message}`); return 2; }
      throw e;
    } finally {
      // After the preflight a stop no longer cuts this client's requests: the cleanup after the
      // suites uses it, and a stop makes that cleanup brief (run/stop.ts), never abandoned.
      client.pacer.stopSignal = null;
    }
    log(fit.line);
    return finalRun(draft, { maxIndexes, workers: fit.workers, concurrency: fit.concurrency });
  }

  /** The suites, the cleanup, the work folder read once, the reports and the cassette. */
  private async suitesToReports(s: Started, run: Readonly<RunSpec>): Promise<number> {
    const { log } = this.r;
    const ledger = this.r.stateDir ? openRunLedger(s.target, run) : new Ledger(run.ledgerDir, run.prefix);
    const channel: RunChannel = { target: s.target, run, identities: s.identities };
    // OVC_EARLY_STOP_MS shortens the stretch for the project's own tests (docs/safety.md).
    const testWindow = Number(process.env.OVC_EARLY_STOP_MS);
    const stall = { windowMs: testWindow > 0 ? testWindow : EARLY_STOP_WINDOW_MS, minAnswers: EARLY_STOP_MIN_ANSWERS };
    const ran = await this.r.suites.run(channel, { signal: this.stop.signal, stall, onStall: (x) => this.stop.stop({ kind: 'stall', ...x }) });
    const removed = await this.removeCreated(s, run, ledger, ran.interrupted);
    const work = readWorkFolder(run.workDir, run.recordDir !== null);
    const broken = suitesBroken(work.status, ran);
    if (broken) { log(`ovc: cannot run: ${broken}`); return 2; }
    const code = await writeRunReports({ results: work.cases, stats: work.stats, cleanup: removed, started: this.started }, s.target, run, this.r.baseline);
    if (run.recordDir) await this.writeCassette(s.target, run, work);
    if (!ran.interrupted) return code;
    const bySuites = work.status?.sent ?? work.stats.requests;
    log(stoppedLine(work.cases.length, trafficGauges().sent + bySuites, bySuites, removed));
    return 2;
  }

  /**
   * Deletes what the run created. After a stop it is brief: each request bounded, throttled answers
   * not retried, and it ends at the first answer that is throttled or late (run/stop.ts); a second
   * signal ends it at once. After a stop, a create sent just before it may still land: unconfirmed
   * names are looked at again.
   */
  private async removeCreated(s: Started, run: Readonly<RunSpec>, ledger: Ledger, stopped: boolean): Promise<CleanupReport> {
    const { client, hook } = stopped ? stoppedCleanupClient(s.target, s.identities, run.pacing) : s;
    const report = await cleanup(client, ledger, { settleMs: run.settleMs, hook, deadline: () => this.stop.cleanupDeadline(), inFlightGraceMs: stopped ? IN_FLIGHT_GRACE_MS : 0 });
    if (this.r.stateDir) closeRunLedger(ledger);
    if (report.failures.length) this.r.log(`ovc: cleanup could not remove ${report.failures.length} of what the run created${this.r.stateDir ? ` (kept in ${run.ledgerDir} for the next run)` : ''}:\n  ${report.failures.join('\n  ')}`);
    return report;
  }

  private async writeCassette(target: TargetSpec, run: Readonly<RunSpec>, work: WorkFolderContents): Promise<void> {
    const { flags } = this.r;
    const { writeRunCassette } = await import('../diff/cassette.ts');
    writeRunCassette(run.recordDir!, { target, run, tags: flags.tags ?? null, ovcVersion: this.r.ovcVersion, flags: { shard: flags.shard, timeoutMs: flags.timeoutMs, concurrency: run.pacing.concurrency, maxRps: flags.maxRps, putIndexRps: flags.putIndexRps, maxIndexes: flags.maxIndexes, workers: run.workers } }, work.exchanges, work.cases);
  }
}
