// Waiting through documented transitions (DESIGN rule 5). `creating` and `deleting` are documented
// index states of unknown length: an index made by PutVectorIndex is polled until `enable`; a
// deleted one until GetVectorIndex answers 404. Each poll is checked on the way: while waiting
// for `enable` only `creating` may be seen, while waiting for the index to go only `deleting`
// (never `enable` or `creating`: a deleted index does not come back). The bound is the run's
// settle bound; 0 means "the transition must already be over at the first look" (the embedded
// emulator, and --strict).
import type { TargetClient, WireResponse } from '../client/client.ts';
import { codeOf, indexStatusOf } from '../client/client.ts';
import { sleep } from '../client/pacing.ts';
import { responseSchemaProblems } from '../client/schemas.ts';

export interface SettleOutcome {
  /** True when the awaited state was reached within the bound. */
  reached: boolean;
  /** Time from the first poll until the state was seen (or the bound ran out). */
  elapsedMs: number;
  /** What was seen, in order, e.g. ['deleting', 'deleting', '404']. */
  seen: string[];
  /** An answer the documentation does not allow on the way (a finding, not a timeout). */
  violation: string | null;
  last: WireResponse;
}

export interface PollPolicy { boundMs: number; firstDelayMs?: number; capDelayMs?: number }

function describe(res: WireResponse): string {
  if (res.status === 200) return indexStatusOf(res) ?? '200 (no status)';
  return `${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}`;
}

/** Polls GetVectorIndex with bounded exponential backoff until `done` says so or the bound passes. */
async function poll(client: TargetClient, bucket: string, name: string, p: PollPolicy,
  judge: (res: WireResponse) => 'done' | 'wait' | string): Promise<SettleOutcome> {
  const started = performance.now();
  const seen: string[] = [];
  let delay = p.firstDelayMs ?? 50;
  for (;;) {
    const res = await client.op('GetVectorIndex', { indexName: name }, { bucket });
    seen.push(describe(res));
    // A 200 that is no index is not a state to wait through: it fails at once (rule 6).
    const malformed = res.status === 200 ? responseSchemaProblems('GetVectorIndex', res.json) : [];
    const v = malformed.length ? `GetVectorIndex answered 200 with a body that is not an index (${malformed[0]})` : judge(res);
    const elapsedMs = Math.round(performance.now() - started);
    if (v === 'done') return { reached: true, elapsedMs, seen, violation: null, last: res };
    if (v !== 'wait') return { reached: false, elapsedMs, seen, violation: v, last: res };
    const left = p.boundMs - (performance.now() - started);
    if (left <= 0) return { reached: false, elapsedMs, seen, violation: null, last: res };
    await sleep(Math.min(delay, left));
    delay = Math.min(delay * 2, p.capDelayMs ?? 2_000);
  }
}

/** Until the index reads `enable`; `creating` is the only other answer allowed on the way. */
export function awaitEnable(client: TargetClient, bucket: string, name: string, boundMs: number): Promise<SettleOutcome> {
  return poll(client, bucket, name, { boundMs }, (res) => {
    if (res.status === 200 && indexStatusOf(res) === 'enable') return 'done';
    if (res.status === 200 && indexStatusOf(res) === 'creating') return 'wait';
    return `an index just created answered GetVectorIndex with ${describe(res)} (only 'creating' or 'enable' are possible)`;
  });
}

/**
 * Until the index is gone (404 NoSuchVectorIndex); 200 `deleting` is the only other answer allowed
 * on the way. `enable` or `creating` after a 204 is a violation (the delete did not take).
 */
export function awaitGone(client: TargetClient, bucket: string, name: string, boundMs: number): Promise<SettleOutcome> {
  return poll(client, bucket, name, { boundMs }, (res) => {
    if (res.status === 404 && codeOf(res) === 'NoSuchVectorIndex') return 'done';
    if (res.status === 200 && indexStatusOf(res) === 'deleting') return 'wait';
    return `after DeleteVectorIndex answered 204, GetVectorIndex answered ${describe(res)} (only 404 NoSuchVectorIndex, or 200 'deleting' until it is gone, are possible)`;
  });
}

/** One sentence for a settle that did not end well; null when it did. */
export function settleProblem(what: 'enable' | 'gone', o: SettleOutcome, boundMs: number): string | null {
  if (o.reached) return null;
  if (o.violation) return o.violation;
  return what === 'enable'
    ? `the index was still ${o.seen.at(-1)} ${o.elapsedMs} ms after PutVectorIndex (settle bound ${boundMs} ms; seen ${summarise(o.seen)})`
    : `the deleted index still read ${o.seen.at(-1)} ${o.elapsedMs} ms after the 204 (settle bound ${boundMs} ms; seen ${summarise(o.seen)}; --settle-ms raises the bound)`;
}

function summarise(seen: string[]): string {
  const out: string[] = [];
  for (const s of seen) {
    const last = out.at(-1);
    const m = last ? /^(.*) ×(\d+)$/.exec(last) : null;
    if (last === s) out[out.length - 1] = `${s} ×2`;
    else if (m && m[1] === s) out[out.length - 1] = `${s} ×${Number(m[2]) + 1}`;
    else out.push(s);
  }
  return out.join(' → ');
}

/**
 * DeleteVectorIndex of an index the run made, time-aware: a 409 VectorIndexOperationConflict means
 * it is `creating` (wait for `enable` within the bound, then delete again) or already `deleting`.
 * Returns the last delete answer, or what the index still read when it never became `enable`.
 */
export async function deleteSettled(client: TargetClient, bucket: string, name: string, boundMs: number): Promise<{ res: WireResponse } | { still: string }> {
  const res = await client.op('DeleteVectorIndex', { indexName: name }, { bucket });
  if (!(res.status === 409 && codeOf(res) === 'VectorIndexOperationConflict')) return { res };
  const enabled = await awaitEnable(client, bucket, name, boundMs);
  if (!enabled.reached) return { still: enabled.seen.at(-1) ?? 'unknown' };
  return { res: await client.op('DeleteVectorIndex', { indexName: name }, { bucket }) };
}
