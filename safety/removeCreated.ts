// Deletes what the run created (and only that), reporting failures on their own. Time-aware: an
// index still `creating` is waited for before its delete (a delete would be a 409), one already
// `deleting` is left to finish; deletes are paced like set-up (the client's pacer, role cleanup).
// Every delete goes through the delete gate with the ledger as its proof (safety/deleteGate.ts).
import { codeOf, Pacer, TargetClient } from '../client/client.ts';
import type { Identities, Pacing, TargetSpec } from '../client/config.ts';
import type { Ledger } from './ledger.ts';
import { deleteBucket, deleteIndex, deleteIndexSettled } from './deleteGate.ts';
import { sleep } from '../client/pacing.ts';
import { STATES } from '../contracts/provider-states.ts';
import { stateHookOf, type StateHook } from '../scenario/hookClient.ts';

/** After a stop, each cleanup request may take this long at most (the target had its chance). */
export const STOPPED_REQUEST_MS = 2000;

/**
 * The client and hook of a cleanup after a stop (`ovc run`, `ovc pact verify`): each request at most
 * STOPPED_REQUEST_MS, a throttled answer not retried, and not aborted by the stop (a new pacer).
 */
export function stoppedCleanupClient(target: TargetSpec, identities: Identities, pacing: Pacing): { client: TargetClient; hook: StateHook | null } {
  const brief = { ...target, timeoutMs: Math.min(target.timeoutMs, STOPPED_REQUEST_MS) };
  return { client: new TargetClient(brief, identities, new Pacer({ ...pacing, throttleAttempts: 1 })), hook: stateHookOf(brief) };
}

export interface CleanupReport {
  deleted: number;
  /** `bucket/name: why` for each index or bucket that could not be removed (it stays in the ledger). */
  failures: string[];
  /** `bucket/name` of each index deleted (204) by this cleanup. */
  removed?: string[];
}

export interface CleanupOptions {
  /** Bound on `creating`/`deleting` before a delete (the run's settle bound; default 0). */
  settleMs?: number;
  /**
   * The target's provider-state hook, which removes indexes a stopped run left held in
   * `creating`/`deleting`.
   */
  hook?: StateHook | null;
  /**
   * Epoch ms, read before each delete: nothing new is started after it; what is left stays in the
   * ledger for the next run (a run whose parent died has only a moment).
   */
  deadline?: () => number;
  /**
   * A run that was stopped may have a PutVectorIndex on its way that lands after its name read
   * absent; such names (intent written, no 200 seen, delete answered 404) are looked at again
   * after this long and deleted if they appeared — and kept in the ledger when there is no time
   * left to look.
   */
  inFlightGraceMs?: number;
}

/** Deletes what the ledger holds of the run (see the file's header). */
export async function cleanup(client: TargetClient, ledger: Ledger, o: CleanupOptions = {}): Promise<CleanupReport> {
  const { settleMs = 0, hook = null, deadline = () => Infinity, inFlightGraceMs = 0 } = o;
  const report: CleanupReport = { deleted: 0, failures: [], removed: [] };
  const c = client.as('cleanup');
  const removed = (bucket: string, name: string): void => { report.deleted++; report.removed!.push(`${bucket}/${name}`); };
  const late = (what: string): boolean => {
    if (Date.now() <= deadline()) return false;
    report.failures.push(`${what}: not attempted, out of time (kept in the ledger for the next run)`);
    return true;
  };
  const recheck: Array<{ bucket: string; name: string }> = [];
  const keptForLater = (bucket: string, name: string): void => { report.failures.push(`${bucket}/${name}: its create may still land; kept in the ledger for the next run to look again`); };
  const proof = { ledger };
  for (const { bucket, name, confirmed } of ledger.outstanding()) {
    if (late(`${bucket}/${name}`)) continue;
    try {
      let settled: Awaited<ReturnType<typeof deleteIndexSettled>>;
      if (hook) {
        const res = await deleteIndex(c, bucket, name, proof);
        if (res.status === 409 && codeOf(res) === 'VectorIndexOperationConflict') {
          // Held in a transitional state by the hook (a run stopped before its teardown).
          await hook.teardown(STATES.indexExists, { bucket, indexName: name });
          removed(bucket, name);
          ledger.deleted(bucket, name);
          continue;
        }
        settled = { res };
      } else {
        settled = await deleteIndexSettled(c, bucket, name, proof, settleMs);
      }
      if ('still' in settled) {
        if (settled.still === 'deleting') ledger.deleted(bucket, name); // already on its way out
        else report.failures.push(`${bucket}/${name}: still ${settled.still} after the settle bound (${settleMs} ms)`);
        continue;
      }
      const res = settled.res;
      // A name the target rejects as invalid whose create was never answered 200 was never made.
      const neverMade = !confirmed && res.status === 400 && codeOf(res) === 'VectorIndexParameterInvalid';
      if (!confirmed && inFlightGraceMs > 0 && codeOf(res) === 'NoSuchVectorIndex') { recheck.push({ bucket, name }); continue; }
      if (res.status === 204 || codeOf(res) === 'NoSuchVectorIndex' || codeOf(res) === 'NoSuchBucket' || neverMade) {
        if (res.status === 204) removed(bucket, name);
        ledger.deleted(bucket, name);
      } else {
        report.failures.push(`${bucket}/${name}: ${res.status} ${codeOf(res) ?? ''}`.trim());
      }
    } catch (e) {
      report.failures.push(`${bucket}/${name}: ${(e as Error).message}`);
    }
  }
  if (recheck.length > 0) {
    if (Date.now() + inFlightGraceMs > deadline()) {
      for (const r of recheck) keptForLater(r.bucket, r.name);
    } else {
      // The grace ends early when the deadline moves (a second signal): then nothing is rechecked.
      const end = Date.now() + inFlightGraceMs;
      while (Date.now() < Math.min(end, deadline())) await sleep(Math.min(100, end - Date.now()));
      for (const { bucket, name } of recheck) {
        if (Date.now() >= deadline()) { keptForLater(bucket, name); continue; }
        try {
          const settled = await deleteIndexSettled(c, bucket, name, proof, settleMs);
          if ('still' in settled) { report.failures.push(`${bucket}/${name}: still ${settled.still} after the settle bound (${settleMs} ms)`); continue; }
          if (settled.res.status === 204) removed(bucket, name);
          if (settled.res.status === 204 || codeOf(settled.res) === 'NoSuchVectorIndex') ledger.deleted(bucket, name);
          else report.failures.push(`${bucket}/${name}: ${settled.res.status} ${codeOf(settled.res) ?? ''}`.trim());
        } catch (e) {
          report.failures.push(`${bucket}/${name}: ${(e as Error).message}`);
        }
      }
    }
  }
  // Then the buckets the run created (after their indexes).
  for (const { name, confirmed } of ledger.outstanding('bucket')) {
    if (late(`bucket ${name}`)) continue;
    try {
      if (!confirmed) {
        // Only a bucket whose PutVectorBucket the run got a 200 for is deleted: one never made is struck out,
        // one that exists all the same is named and left.
        const res = await c.op('GetVectorBucket', undefined, { bucket: name });
        if (codeOf(res) === 'NoSuchBucket') ledger.bucketDeleted(name);
        else report.failures.push(`bucket ${name}: its create was never answered 200, so it is not deleted (GetVectorBucket answers ${res.status}); delete it yourself if it is yours`);
        continue;
      }
      const res = await deleteBucket(c, name, proof);
      if (res.status === 204 || codeOf(res) === 'NoSuchBucket') { ledger.bucketDeleted(name); if (res.status === 204) removed(name, '(bucket)'); }
      else report.failures.push(`bucket ${name}: ${res.status} ${codeOf(res) ?? ''}`.trim());
    } catch (e) {
      report.failures.push(`bucket ${name}: ${(e as Error).message}`);
    }
  }
  return report;
}
