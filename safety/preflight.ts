// Before any case: the endpoint answers, the credentials sign correctly, the bucket exists, the
// bucket the run treats as absent really is, and what the run was given besides — the other bucket,
// the state hook, the denied identity — works (DESIGN rule 6: a run that cannot run says so before
// any case, exit 2). The hook must prove itself: what it sets up must be what the target then
// answers. Then, after earlier runs' leftovers are removed, the quota. Each failure is one clear
// sentence.
import type { TargetClient, WireResponse } from '../client/client.ts';
import { codeOf } from '../client/client.ts';
import { DOCUMENTED_INDEX_QUOTA, MIN_FITTED_INDEXES, type RunSpec } from '../client/config.ts';
import { TransportError } from '../client/http.ts';
import { ThrottledError } from '../client/pacing.ts';
import { STATES } from '../contracts/provider-states.ts';
import { StateHookError, type StateHook } from '../scenario/hookClient.ts';
import { deleteIndex } from './deleteGate.ts';
import { Ledger } from './ledger.ts';

export class PreflightError extends Error {}

export interface PreflightFacts {
  /** Indexes in the bucket before the run (any state, counted as using the quota). */
  existingIndexes: number;
  /** The same for the other bucket, when there is one. */
  existingOtherIndexes: number | null;
  /** The live indexes the run may hold at once: the asked figure, or the free slots of the fullest bucket when fitted. */
  maxIndexes: number;
}

type PreflightRun = Pick<RunSpec, 'absentBucket' | 'maxIndexes' | 'prefix'> & Partial<Pick<RunSpec, 'ledgerDir'>>;

/** The endpoint, the credentials, the buckets, the hook and the denied identity; no quota yet (see `preflightQuota`). */
export async function preflight(client: TargetClient, run: PreflightRun, hook: StateHook | null = null): Promise<void> {
  // The three checks are independent reads: sent together (against a far target each round trip
  // counts), their verdicts given in this order, so the sentence is the same as one after another.
  const settled = await Promise.allSettled([
    throttleSentence(client, () => checks(client, run)),
    hook ? checkHook(hook, client, run) : Promise.resolve(),
    client.denied ? throttleSentence(client, () => checkDenied(client)) : Promise.resolve(),
  ]);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
}

/**
 * Quotas (spec §4): the run must fit beside what is already there, in each bucket it uses. An
 * explicit --max-indexes that does not fit is refused; the default (`fit`) is lowered to the free
 * slots of the fullest bucket, refused only below MIN_FITTED_INDEXES. The figure comes back as a
 * value (`maxIndexes`); the run's settings are built from it once.
 */
export async function preflightQuota(client: TargetClient, run: Pick<RunSpec, 'maxIndexes'>, quota = DOCUMENTED_INDEX_QUOTA, fit = false): Promise<PreflightFacts> {
  return throttleSentence(client, async () => {
    const { bucket, otherBucket } = client.target;
    const [existingIndexes, existingOtherIndexes] = await Promise.all([countIndexes(client, bucket), otherBucket ? countIndexes(client, otherBucket) : null]);
    let maxIndexes = run.maxIndexes;
    for (const [b, n] of [[bucket, existingIndexes], [otherBucket, existingOtherIndexes]] as const) {
      if (b === null || n === null) continue;
      const free = quota - n;
      if (free >= maxIndexes) continue;
      if (fit && free >= MIN_FITTED_INDEXES) { maxIndexes = free; continue; }
      throw new PreflightError(fit
        ? `bucket '${b}' holds ${n} of its ${quota} indexes, so ${Math.max(0, free)} slot(s) are free; the run needs at least ${MIN_FITTED_INDEXES} (or an explicit, smaller --max-indexes); delete some indexes.`
        : `bucket '${b}' holds ${n} of its ${quota} indexes, so ${free} slot(s) are free but the run may hold up to ${maxIndexes} at once; delete some indexes or lower --max-indexes.`);
    }
    return { existingIndexes, existingOtherIndexes, maxIndexes };
  });
}

async function throttleSentence<T>(client: TargetClient, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ThrottledError) throw new PreflightError(`the endpoint ${client.target.endpoint} throttles every attempt (${e.message}); lower --max-rps or try later.`);
    if (e instanceof TransportError) throw new PreflightError(unreachable(client.target.endpoint, e));
    throw e;
  }
}

/** A transport failure in words: never "cannot be reached" for a server that did answer. */
function unreachedText(e: TransportError): string {
  const answered = e.causeCode === 'TIMEOUT' || e.causeCode === 'ANSWER_TOO_LARGE' || /UND_ERR_(RES|BODY|INFO|HEADERS_OVERFLOW)/.test(e.causeCode ?? '');
  return answered ? `gave no complete answer (${e.message})` : `cannot be reached (${e.causeCode ?? e.message})`;
}

/**
 * The hook must prove it acts on this target (docs/provider-states.md, v2): after it set up "a vector
 * index exists" for a fresh run name, GetVectorIndex must see that index; after "no vector index
 * exists" for the same name, GetVectorIndex must answer 404. A hook that answers 200 and does
 * nothing would otherwise turn every case it sets up into a false FAIL. The probe index is written
 * into the run's ledger first (under a lease, so no other run's cleanup takes it for a leftover), and
 * whatever remains of it is removed — through the hook, else through the delete gate.
 */
async function checkHook(hook: StateHook, client: TargetClient, run: PreflightRun): Promise<void> {
  const bucket = client.target.bucket;
  const name = `${run.prefix}hookprobe`;
  const params = { bucket, indexName: name };
  const flag = `the state hook ${hook.url} (--state-hook)`;
  const ledger = run.ledgerDir ? new Ledger(run.ledgerDir, run.prefix) : null;
  let present = false;
  try {
    ledger?.holdLease();
    ledger?.creating(bucket, name);
    present = true;
    await hook.setup(STATES.indexExists, { ...params, status: 'enable' });
    const seen = await client.op('GetVectorIndex', { indexName: name }, { bucket });
    const seenName = (seen.json as { index?: { indexName?: unknown } } | undefined)?.index?.indexName;
    if (seen.status !== 200 || seenName !== name) throw new PreflightError(`${flag} answered the set-up of "a vector index exists" for ${bucket}/${name}, but GetVectorIndex then answers ${answer(seen)}: the hook does not act on this target; check the URL.`);
    await hook.setup(STATES.noIndex, params);
    const gone = await client.op('GetVectorIndex', { indexName: name }, { bucket });
    if (gone.status !== 404) throw new PreflightError(`${flag} answered the set-up of "no vector index exists" for ${bucket}/${name}, but GetVectorIndex then answers ${answer(gone)} instead of 404: the hook does not act on this target; check the URL.`);
    present = false;
  } catch (e) {
    if (e instanceof StateHookError) throw new PreflightError(`${flag} refused a set-up: ${e.message.replace(/^state hook /, '')}; check the URL.`);
    if (e instanceof TransportError) throw new PreflightError(`${flag} ${unreachedText(e)}; check the URL or leave the flag out.`);
    throw e;
  } finally {
    if (present) await removeProbe(hook, client, ledger, bucket, name);
    else ledger?.deleted(bucket, name);
    ledger?.releaseLease();
  }
}

/** What a failed probe may have left: the hook's teardown first, then DeleteVectorIndex through the gate (proof: the ledger). */
async function removeProbe(hook: StateHook, client: TargetClient, ledger: Ledger | null, bucket: string, name: string): Promise<void> {
  try { await hook.teardown(STATES.indexExists, { bucket, indexName: name }); } catch { /* the target is asked next */ }
  try {
    const res = await client.op('GetVectorIndex', { indexName: name }, { bucket });
    if (res.status === 404) { ledger?.deleted(bucket, name); return; }
    if (!ledger) return;
    const del = await deleteIndex(client.as('cleanup'), bucket, name, { ledger });
    if (del.status === 204 || codeOf(del) === 'NoSuchVectorIndex') ledger.deleted(bucket, name);
  } catch { /* kept in the ledger: the run's cleanup, or the next run, removes it */ }
}

/** The identity without DeleteVectorIndex must still be one the target knows (else the permission case says nothing). */
async function checkDenied(client: TargetClient): Promise<void> {
  const res = await client.op('GetVectorBucket', undefined, { identity: 'denied' });
  const code = codeOf(res);
  if (res.status === 200 || code === 'AccessDenied') return;
  throw new PreflightError(`the denied identity (OVC_DENIED_ACCESS_KEY_ID) gets ${answer(res)} on GetVectorBucket; it must be a valid identity that lacks oss:DeleteVectorIndex.`);
}

/** "403 SignatureDoesNotMatch", or the status alone when the body names no code. */
function answer(res: WireResponse, text = false): string {
  const detail = codeOf(res) ?? (text ? res.text.replace(/\s+/g, ' ').trim().slice(0, 80) : '');
  return detail ? `${res.status} ${detail}` : `${res.status}`;
}

/** No answer: either nothing accepted the connection, or something did and gave no HTTP answer. */
function unreachable(endpoint: string, e: TransportError): string {
  const code = e.causeCode ?? e.message;
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/.test(code)) return `the endpoint ${endpoint} cannot be reached (${code}).`;
  if (/CERT|SELF_SIGNED|TLS|SSL/i.test(code)) return `the endpoint ${endpoint} cannot be reached over TLS: its certificate is refused (${code}); pass --ca-file for a private CA.`;
  if (code === 'TIMEOUT' || code === 'ANSWER_TOO_LARGE') return `the endpoint ${endpoint} gave no complete answer (${e.message}).`;
  return `the endpoint ${endpoint} accepted the connection but gave no usable HTTP answer (${code}).`;
}

/** Lists a bucket's indexes (every page); null when the listing is refused. */
async function countIndexes(client: TargetClient, bucket: string): Promise<number> {
  let n = 0;
  let nextToken: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.op('ListVectorIndexes', { maxResults: 100, ...(nextToken ? { nextToken } : {}) }, { bucket });
    if (res.status !== 200) throw new PreflightError(`ListVectorIndexes on bucket '${bucket}' answered ${answer(res)}; the run must see the bucket's indexes to stay inside its quota.`);
    const body = res.json as { indexes?: unknown[]; nextToken?: string } | undefined;
    n += body?.indexes?.length ?? 0;
    nextToken = body?.nextToken || undefined;
    if (!nextToken) break;
  }
  return n;
}

async function checks(client: TargetClient, run: PreflightRun): Promise<void> {
  const config = { ...client.target, absentBucket: run.absentBucket };
  const res = await client.op('GetVectorBucket');
  const code = codeOf(res);
  if (res.status === 200) {
    const [absent, other] = await Promise.all([
      client.op('GetVectorBucket', undefined, { bucket: config.absentBucket }),
      config.otherBucket ? client.op('GetVectorBucket', undefined, { bucket: config.otherBucket }) : null,
    ]);
    // Any 404 will do here: whether the code and envelope are right is what the suites check.
    if (absent.status !== 404) throw new PreflightError(`the bucket '${config.absentBucket}' that the run uses as absent answers GetVectorBucket with ${answer(absent)}; it must not exist.`);
    if (other && other.status !== 200) throw new PreflightError(`the other bucket '${config.otherBucket}' (--other-bucket) answers GetVectorBucket with ${answer(other)}; create it or leave the flag out.`);
    return;
  }
  const sentences: Record<string, string> = {
    InvalidAccessKeyId: `the target does not know the access key id (OSS_ACCESS_KEY_ID); check the credentials.`,
    SignatureDoesNotMatch: `the target rejects the signature: check OSS_ACCESS_KEY_SECRET and --region (${config.region}) and --account-id (${config.accountId}).`,
    RequestTimeTooSkewed: `the target says this machine's clock is more than 15 minutes off; fix the clock.`,
    AccessDenied: `the credentials are not allowed to read bucket '${config.bucket}' (AccessDenied).`,
    NoSuchBucket: `the bucket '${config.bucket}' does not exist on ${config.endpoint}; create it or pass --bucket.`,
  };
  throw new PreflightError(sentences[code ?? ''] ?? `the endpoint ${config.endpoint} answered GetVectorBucket with ${answer(res, true)}; it does not look like an OSS Vectors endpoint.`);
}
