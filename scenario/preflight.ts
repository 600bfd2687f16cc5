// Before any case: the endpoint answers, the credentials sign correctly, the bucket exists, and
// the bucket the run treats as absent really is. Each failure is one clear sentence.
import type { TargetClient, WireResponse } from '../client/client.ts';
import { codeOf } from '../client/client.ts';
import { DOCUMENTED_INDEX_QUOTA, type RunSpec } from '../client/config.ts';
import { TransportError } from '../client/http.ts';
import { ThrottledError } from '../client/pacing.ts';

export class PreflightError extends Error {}

export interface PreflightFacts {
  /** Indexes in the bucket before the run (any state, counted as using the quota). */
  existingIndexes: number;
  /** The same for the other bucket, when there is one. */
  existingOtherIndexes: number | null;
}

export async function preflight(client: TargetClient, run: Pick<RunSpec, 'absentBucket' | 'maxIndexes'>, quota = DOCUMENTED_INDEX_QUOTA): Promise<PreflightFacts> {
  try {
    return await checks(client, run, quota);
  } catch (e) {
    if (e instanceof ThrottledError) throw new PreflightError(`the endpoint ${client.target.endpoint} throttles every attempt (${e.message}); lower --max-rps or try later.`);
    throw e;
  }
}

/** An answer in a sentence: the status, then the error code (or, with `text`, the start of the body) when there is one. */
function answer(res: WireResponse, text = false): string {
  const detail = codeOf(res) ?? (text ? res.text.replace(/\s+/g, ' ').trim().slice(0, 80) : '');
  return detail ? `${res.status} ${detail}` : `${res.status}`;
}

/** No answer: either nothing accepted the connection, or something did and gave no HTTP answer. */
function unreachable(endpoint: string, e: TransportError): string {
  const code = e.causeCode ?? e.message;
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/.test(code)) return `the endpoint ${endpoint} cannot be reached (${code}).`;
  if (/CERT|SELF_SIGNED|TLS|SSL/i.test(code)) return `the endpoint ${endpoint} cannot be reached over TLS: its certificate is refused (${code}); pass --ca-file for a private CA.`;
  return `the endpoint ${endpoint} accepted the connection but gave no usable HTTP answer to GetVectorBucket (${code}).`;
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

async function checks(client: TargetClient, run: Pick<RunSpec, 'absentBucket' | 'maxIndexes'>, quota: number): Promise<PreflightFacts> {
  const config = { ...client.target, absentBucket: run.absentBucket };
  let res;
  try {
    res = await client.op('GetVectorBucket');
  } catch (e) {
    if (e instanceof TransportError) throw new PreflightError(unreachable(config.endpoint, e));
    throw e;
  }
  const code = codeOf(res);
  if (res.status === 200) {
    const absent = await client.op('GetVectorBucket', undefined, { bucket: config.absentBucket });
    // Any 404 will do here: whether the code and envelope are right is what the suites check.
    if (absent.status !== 404) throw new PreflightError(`the bucket '${config.absentBucket}' that the run uses as absent answers ${answer(absent)}; it must not exist.`);
    let existingOtherIndexes: number | null = null;
    if (config.otherBucket) {
      const other = await client.op('GetVectorBucket', undefined, { bucket: config.otherBucket });
      if (other.status !== 200) throw new PreflightError(`the other bucket '${config.otherBucket}' (--other-bucket) answers GetVectorBucket with ${answer(other)}; create it or leave the flag out.`);
      existingOtherIndexes = await countIndexes(client, config.otherBucket);
    }
    const existingIndexes = await countIndexes(client, config.bucket);
    // Quotas (spec §4): the run must fit beside what is already there, in each bucket it uses.
    for (const [bucket, n] of [[config.bucket, existingIndexes], [config.otherBucket, existingOtherIndexes]] as const) {
      if (bucket === null || n === null) continue;
      const free = quota - n;
      if (free < run.maxIndexes) throw new PreflightError(`bucket '${bucket}' holds ${n} of its ${quota} indexes, so ${free} slot(s) are free but the run may hold up to ${run.maxIndexes} at once; delete some indexes or lower --max-indexes.`);
    }
    return { existingIndexes, existingOtherIndexes };
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
