// One request, start to finish: body → address → authentication → routing → permission →
// Content-MD5 → operation handler → response, plus the client-conformance log line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BucketConfigOperationName } from '../contracts/bucketConfig.ts';
import type { Operation, OperationName } from '../contracts/operations.ts';
import { PROVIDER_STATE_PATH } from '../contracts/provider-states.ts';
import { parseAddress } from '../protocol/addressing.ts';
import { newRequestId } from '../protocol/envelope.ts';
import { normalizeHeaders } from '../protocol/signer.ts';
import { authenticate, checkPermission, compareContentMd5, type Md5Check } from './auth.ts';
import { clientDeviations, redactedPath, type ClientLog } from './clientLog.ts';
import { ApiError } from './errors.ts';
import { deleteBucketLogging, deleteBucketPolicy, getBucketLogging, getBucketPolicy, putBucketLogging, putBucketPolicy } from './handlers/bucketConfig.ts';
import { deleteVectorBucket, getVectorBucket, listVectorBuckets, putVectorBucket } from './handlers/buckets.ts';
import type { OpContext, OpHandler, OpResult } from './handlers/context.ts';
import { deleteVectorIndex, getVectorIndex, listVectorIndexes, putVectorIndex } from './handlers/indexes.ts';
import { deleteVectors, getVectors, listVectors, putVectors, queryVectors } from './handlers/vectors.ts';
import { commonHeaders, rawResponse, sendEmpty, sendError, sendJson, sendJsonText, type ReplyContext } from './http.ts';
import { plainOssRequest } from './handlers/ossBuckets.ts';
import type { Identity, ResolvedOptions } from './options.ts';
import type { Realism } from './realism.ts';
import { parseTarget, readBody, type RequestTarget } from './request.ts';
import { resolveOperation } from './router.ts';
import type { StateHook } from './stateHook.ts';
import type { Store } from './store.ts';

const HANDLERS: Record<OperationName | BucketConfigOperationName, OpHandler> = {
  PutVectorBucket: putVectorBucket, GetVectorBucket: getVectorBucket, DeleteVectorBucket: deleteVectorBucket, ListVectorBuckets: listVectorBuckets,
  PutVectorIndex: putVectorIndex, GetVectorIndex: getVectorIndex, ListVectorIndexes: listVectorIndexes, DeleteVectorIndex: deleteVectorIndex,
  PutVectors: putVectors, GetVectors: getVectors, ListVectors: listVectors, DeleteVectors: deleteVectors, QueryVectors: queryVectors,
  PutBucketPolicy: putBucketPolicy, GetBucketPolicy: getBucketPolicy, DeleteBucketPolicy: deleteBucketPolicy,
  PutBucketLogging: putBucketLogging, GetBucketLogging: getBucketLogging, DeleteBucketLogging: deleteBucketLogging,
};

export interface Emulator {
  options: ResolvedOptions;
  store: Store;
  identities: ReadonlyMap<string, Identity>;
  hook: StateHook | null;
  clientLog: ClientLog | null;
  /** Latency and throttles (emulator/realism.ts); null when all are off. */
  realism: Realism | null;
}

/** What the client log needs to know about a request once it has been answered. */
interface Trace {
  op: Operation | null;
  md5: Md5Check | null;
  signatureProblem: string | null;
  status: number;
}

export async function handleRequest(em: Emulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Errors of an aborted request are handled by its 'aborted' outcome; never let them go unhandled.
  req.on('error', () => {});
  const now = em.options.now();
  const reply: ReplyContext = { requestId: newRequestId(), hostId: req.headers.host || 'localhost', fault: em.options.fault, now };
  const target = parseTarget(req.url);
  const method = req.method ?? 'GET';

  const read = await readBody(req, em.options.maxBodyBytes);
  if (read.kind === 'aborted') return;
  if (em.hook && target.pathname === PROVIDER_STATE_PATH) {
    answerHook(em.hook, method, read.kind === 'body' ? read.body : null, reply, res);
    return;
  }
  if (read.kind === 'too-large') {
    refuseTooLarge(req, res, reply);
    return;
  }

  const trace: Trace = { op: null, md5: null, signatureProblem: null, status: 0 };
  const headerPairs = pairs(req.rawHeaders);
  try {
    if (em.realism) await em.realism.beforeRequest();
    const pending = dispatch(em, req, method, target, read.body, headerPairs, now, trace);
    const result = pending instanceof Promise ? await pending : pending;
    trace.status = result.status;
    sendResult(res, reply, result);
  } catch (e) {
    const err = e instanceof ApiError ? e : internalError(e);
    trace.status = sendError(res, reply, err, err.headers).status;
  }
  if (em.clientLog) {
    em.clientLog.write({
      time: now.toISOString(), requestId: reply.requestId, operation: trace.op?.name ?? null, method,
      path: redactedPath(target.pathname, target.rawQuery), status: trace.status,
      deviations: clientDeviations({ op: trace.op, headers: normalizeHeaders(headerPairs), query: target.query, body: read.body, md5: trace.md5, signatureProblem: trace.signatureProblem, now }),
    });
  }
}

/** The synchronous part of a request; it only returns a promise under the `concurrent-deletes-succeed` fault. */
function dispatch(em: Emulator, req: IncomingMessage, method: string, target: RequestTarget, body: Buffer,
  headers: Array<[string, string]>, now: Date, trace: Trace): OpResult | Promise<OpResult> {
  const address = parseAddress(req.headers.host, target.pathname);
  // Vector buckets have no keys below them: any deeper path is not an API route.
  if (address.rest !== '/' && address.rest !== '') throw new ApiError('NoSuchKey', `no route for path ${target.pathname}`);

  const auth = authenticate({
    method, rawQuery: target.rawQuery, query: target.query, headers, region: em.options.region, accountId: em.options.accountId,
    bucket: address.bucket, identities: em.identities, now, fault: em.options.fault,
  });
  if (!auth.ok) {
    // A request signed for plain OSS (canonical URI `/bucket/`), e.g. an SDK creating a log target.
    const plain = auth.error.code === 'SignatureDoesNotMatch' ? plainOssRequest(em, method, address, target, headers, now) : null;
    if (plain) return plain;
    trace.signatureProblem = auth.error.detail ?? auth.error.code;
    throw auth.error;
  }
  if (auth.waived) trace.signatureProblem = auth.waived;
  if (address.accountId !== undefined && address.accountId !== em.options.accountId) {
    throw new ApiError('AccessDenied', `the host names account ${address.accountId}; this endpoint serves account ${em.options.accountId}`);
  }

  const op = resolveOperation(method, target.query, address.bucket === undefined ? 'service' : 'bucket');
  trace.op = op;
  checkPermission(auth.identity, op);
  em.realism?.admitOperation(op.name);
  const md5Header = req.headers['content-md5'];
  trace.md5 = compareContentMd5(Array.isArray(md5Header) ? md5Header.join(',') : md5Header, body);
  if (trace.md5 === 'mismatch') throw new ApiError('InvalidDigest', 'Content-MD5 does not match the body');

  const ctx: OpContext = {
    store: em.store, options: em.options, now, bucketName: address.bucket, body, query: target.query, headers: req.headers, fault: em.options.fault,
  };
  return HANDLERS[op.name as OperationName | BucketConfigOperationName](ctx);
}

function sendResult(res: ServerResponse, reply: ReplyContext, r: OpResult): void {
  if (r.bodyOn204 !== undefined) {
    // Node never sends a body with a 204, so the `body-on-204` fault writes the bytes itself.
    const text = JSON.stringify(r.bodyOn204);
    res.socket?.end(rawResponse(204, { ...commonHeaders(reply), 'Content-Type': 'application/json' }, text));
    return;
  }
  if (r.jsonText !== undefined) sendJsonText(res, reply, r.status, r.jsonText, r.headers);
  else if (r.json === undefined) sendEmpty(res, reply, r.status, r.headers);
  else sendJson(res, reply, r.status, r.json, r.headers);
}

function answerHook(hook: StateHook, method: string, body: Buffer | null, reply: ReplyContext, res: ServerResponse): void {
  if (method !== 'POST') {
    sendJson(res, reply, 405, { error: 'the provider-state hook takes POST' }, { Allow: 'POST' });
    return;
  }
  if (body === null) {
    sendJson(res, reply, 400, { error: 'the body is too large' });
    return;
  }
  try {
    const answer = hook.handle(body);
    sendJson(res, reply, answer.status, answer.json);
  } catch (e) {
    console.error('ovc emulator: provider-state hook failed:', e);
    sendJson(res, reply, 500, { error: 'the provider-state hook failed' });
  }
}

/**
 * 400 EntityTooLarge, then a lingering close: the unread body is drained and discarded for a
 * moment so the client reads the answer instead of a connection reset.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, reply: ReplyContext): void {
  res.on('finish', () => {
    req.resume();
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 2000).unref();
  });
  sendError(res, reply, new ApiError('EntityTooLarge', 'the request body exceeds the maximum size'), { Connection: 'close' });
}

function internalError(e: unknown): ApiError {
  console.error('ovc emulator: unexpected error:', e);
  return new ApiError('InternalError', 'unexpected error');
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
