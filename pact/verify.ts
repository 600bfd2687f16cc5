// Provider verification: replays a pact file against a target with Pact's Verifier, in the parts
// pact-js's verifier has: where the pact comes from (verify/source.ts), the state handlers
// (verify/states.ts, through the scenario layer; they answer Pact's state-change calls, 422 on a
// failed set-up, which the verifier reports as an error), the request replay (verify/replay.ts) and the
// reading of the verifier's result (verify/result.ts). Provider states go through the target's
// state hook when there is one, else through the public API on run-prefixed indexes; states the
// public API cannot reach are reported as skipped, never passed.
import { makeWorkFolder, removeOurs, sweepStaleWorkFolders } from '../files/gate.ts';
import type { Addressing } from '../protocol/addressing.ts';
import type { Credentials } from '../protocol/signer.ts';
import { newRunId, runSpec, targetSpec } from '../client/config.ts';
import { closeTransport } from '../client/http.ts';
import { closeRunLedger, leftoverLine, openRunLedger, removeLeftovers, runLedgerDir } from '../safety/leftovers.ts';
import { cleanup, stoppedCleanupClient } from '../safety/removeCreated.ts';
import { openSession } from '../scenario/session.ts';
import { InteractionUnderWay, Reachability } from './verify/interaction.ts';
import { NameMap } from './verify/names.ts';
import { RequestReplay, type FilterRequest } from './verify/replay.ts';
import type { ServerResponse } from 'node:http';
import { exitCodeOf, interactionResults, parseVerifierOutput, summaryText, type InteractionResult, type VerifierOutput } from './verify/result.ts';
import { openPact, pactToReplay } from './verify/source.ts';
import { ProviderStates } from './verify/states.ts';

export { NEEDS_HOOK } from '../scenario/states.ts';
export { fetchPact, isUrl, readPact, sha256File } from './verify/source.ts';
export { NameMap } from './verify/names.ts';
export { substituteBody } from './verify/replay.ts';
export type { InteractionOutcome, InteractionResult } from './verify/result.ts';

process.env.PACT_DO_NOT_TRACK = 'true';

/** Publishing the verification result to the Pact Broker the pact came from (pact-js Verifier options). */
export interface PublishResults {
  providerVersion: string;
  providerVersionBranch?: string;
  buildUrl?: string;
}

export interface VerifyOptions {
  /** A pact file, or the http(s) URL of a pact in a Pact Broker (token from $PACT_BROKER_TOKEN). */
  pactFile: string;
  /** Publish the verification result (needs a broker pact URL, and every interaction verifiable). */
  publishResults?: PublishResults;
  endpoint: string;
  /** Provider-state hook of the target; null: set states up through the public API. */
  stateHook: string | null;
  bucket: string;
  region: string;
  accountId: string;
  addressing: Addressing;
  credentials: Credentials;
  /** Shown in the summary, e.g. `embedded emulator`. */
  targetName?: string;
  timeoutMs?: number;
  /** Progress and summary lines (default: stderr). */
  log?: (line: string) => void;
  /** Pact's own log level (default: error). */
  pactLogLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /** True for the embedded emulator (instant transitions, no pacing). */
  embedded?: boolean;
  /** Bound on `creating`/`deleting` while states are set up (default: the settle default; embedded 0). */
  settleMs?: number;
  /**
   * Against a remote target, the folder of the runs' ledgers (claimed by the command): the
   * verification keeps its ledger there and removes what earlier stopped runs left first. Null or
   * absent: the ledger lives and ends with the verification's temporary folder (the embedded emulator).
   */
  stateDir?: string | null;
  /** The command's stop (cli/pact.ts: SIGINT, SIGTERM, SIGHUP, as `ovc run`'s); none: runs to its end. */
  stop?: VerifyStop;
}

/**
 * Stops a verification before its end. Once `signal` is aborted, no state is set up and no request
 * is sent any more: the verifier's remaining interactions end as errors at once, and the cleanup
 * removes what the verification created, brief (each request bounded, nothing retried) and ended
 * early by `cleanupDeadline` (a second signal).
 */
export interface VerifyStop {
  readonly signal: AbortSignal;
  /** Why it was stopped; null while running. */
  readonly reason: string | null;
  cleanupDeadline(): number;
}

export interface VerifyReport {
  /** 0 every interaction passed (or was skipped), 1 a mismatch, 2 could not run. */
  exitCode: 0 | 1 | 2;
  pactFile: string;
  /** sha256 of the pact file's bytes. */
  pactSha256: string;
  target: string;
  results: InteractionResult[];
  /** Text printed for humans. */
  summary: string;
  /** Cleanup problems (indexes the run created and could not delete). */
  cleanupFailures: string[];
}

/** Verifies one pact file against one target. Never throws for target behaviour: see exitCode. */
export async function verifyPact(o: VerifyOptions): Promise<VerifyReport> {
  const log = o.log ?? ((s: string) => { process.stderr.write(`${s}\n`); });
  const targetName = o.targetName ?? o.endpoint;
  // Named after this process (files/write.ts makeWorkFolder): a killed verification's is removed by
  // the next run or verification.
  sweepStaleWorkFolders();
  const runId = newRunId();
  const work = makeWorkFolder(runId);
  const source = await openPact(o.pactFile, work);
  const target = targetSpec({
    endpoint: o.endpoint, region: o.region, bucket: o.bucket, accountId: o.accountId, addressing: o.addressing,
    stateHook: o.stateHook, embedded: o.embedded ?? false, name: targetName, timeoutMs: o.timeoutMs,
  });
  // Against a remote target the ledger outlives the verification, in the state folder (as a run's):
  // what a killed verification made is removed by the next run or verification against the target.
  const ledgerDir = o.stateDir ? runLedgerDir(o.stateDir, target, runId) : work;
  const runSpecOfPact = runSpec(target, { runId, outDir: work, workDir: work, ledgerDir, runs: 1, seed: 0, settleMs: o.settleMs, workers: 1 });
  const session = openSession(target, runSpecOfPact, { main: o.credentials, denied: null }, 1, o.stateDir ? openRunLedger(target, runSpecOfPact) : undefined);
  const stopSignal = o.stop?.signal ?? null;
  // A stop ends the set-ups' requests and throttle waits at once.
  session.client.pacer.stopSignal = stopSignal;

  // Interactions the public API cannot set up are left out of the replay and reported as skipped.
  const skipped = session.hook ? [] : source.needsHook;
  if (o.publishResults && (!source.fromBroker || skipped.length)) {
    if (o.stateDir) closeRunLedger(session.ledger);
    removeOurs(work);
    throw new Error(!source.fromBroker
      ? 'publishing verification results needs the pact from a Pact Broker: pass its URL (--pact https://broker/pacts/provider/…/consumer/…/version/…), not a file'
      : `publishing verification results needs every interaction verified; ${skipped.length} need a provider-state hook (--state-hook)`);
  }

  // What earlier stopped runs and verifications left on this target goes first (as in a run's preflight).
  if (o.stateDir && !stopSignal?.aborted) {
    try {
      const left = await removeLeftovers(session.client.as('cleanup'), o.stateDir, target, runSpecOfPact.settleMs, session.hook, runId, () => (stopSignal?.aborted ? 0 : Infinity));
      for (const ignored of left.ignored) log(`ovc pact: ${ignored}`);
      if (left.runs.length > 0) log(`ovc pact: ${leftoverLine(left)}`);
    } catch (e) {
      log(`ovc pact: could not remove what earlier stopped runs left (kept in their ledgers for the next run): ${(e as Error).message}`);
    }
  }

  const names = new NameMap(runSpecOfPact.prefix, o.bucket, runSpecOfPact.absentBucket);
  const interaction = new InteractionUnderWay();
  const reach = new Reachability();
  const states = new ProviderStates({ ...session.env, client: session.client.as('given') }, names, interaction, reach, log, stopSignal);
  const replay = new RequestReplay(session.client, names, interaction, reach, stopSignal);

  let output: VerifierOutput | null = null;
  let crash: string | null = null;
  let cleanupFailures: string[];
  // pact-core adds "every pact of this provider in the broker" as a source whenever
  // $PACT_BROKER_BASE_URL is set; the pact to verify is exactly the one given, so the variable is
  // kept from the verifier for the run (the token stays: it authenticates a broker pact URL).
  const brokerBase = process.env.PACT_BROKER_BASE_URL;
  delete process.env.PACT_BROKER_BASE_URL;
  try {
    const { Verifier } = await import('@pact-foundation/pact');
    const verifier = new Verifier({
      provider: source.pact.provider?.name ?? 'oss-vectors',
      providerBaseUrl: o.endpoint,
      pactUrls: [pactToReplay(source, skipped, work)],
      // Pact's state-change calls are answered by the state handlers (500 on a failed set-up),
      // every other request is replayed against the target.
      requestFilter: ((req: FilterRequest, res: ServerResponse, next: () => void) => {
        if ((req.originalUrl ?? req.url ?? '').startsWith('/_pactSetup')) states.stateChange(req, res);
        else replay.filter(req, res, next);
      }) as never,
      logLevel: o.pactLogLevel ?? 'error',
      // The result goes to the pact's `pb:publish-verification-results` link; the token, if any,
      // reaches the verifier through $PACT_BROKER_TOKEN only.
      ...(o.publishResults ? {
        publishVerificationResult: true,
        providerVersion: o.publishResults.providerVersion,
        ...(o.publishResults.providerVersionBranch ? { providerVersionBranch: o.publishResults.providerVersionBranch } : {}),
        ...(o.publishResults.buildUrl ? { buildUrl: o.publishResults.buildUrl } : {}),
      } : {}),
    });
    // A mismatch rejects with the same JSON a pass resolves with; anything else is a crash.
    // Stopped before it began: nothing to verify.
    if (!stopSignal?.aborted) {
      try {
        output = parseVerifierOutput(await verifier.verifyProvider());
      } catch (e) {
        output = parseVerifierOutput((e as Error).message);
        if (!output) crash = (e as Error).message;
      }
    }
  } finally {
    if (brokerBase !== undefined) process.env.PACT_BROKER_BASE_URL = brokerBase;
    const stopped = stopSignal?.aborted === true;
    // After a stop the cleanup has a client of its own: brief, and not aborted by the stop.
    const { client, hook } = stopped ? stoppedCleanupClient(target, { main: o.credentials, denied: null }, runSpecOfPact.pacing) : session;
    const report = await cleanup(client, session.ledger, { settleMs: runSpecOfPact.settleMs, hook, ...(o.stop ? { deadline: () => o.stop!.cleanupDeadline() } : {}) }).catch((e: unknown) => ({ deleted: 0, failures: [(e as Error).message] }));
    await closeTransport();
    if (o.stateDir) closeRunLedger(session.ledger);
    removeOurs(work);
    cleanupFailures = report.failures;
  }
  const stopReason = o.stop?.reason ?? null;
  const results = interactionResults(source.pact, skipped, output);
  const exitCode = stopReason ? 2 : exitCodeOf(results, { unreachable: reach.unreachable !== null, crashed: crash !== null });
  const summary = summaryText(targetName, o.pactFile, results, stopReason ? `stopped (${stopReason}) before the verification's end` : reach.unreachable ?? crash, cleanupFailures);
  return { exitCode, pactFile: o.pactFile, pactSha256: source.sha256, target: targetName, results, summary, cleanupFailures };
}

