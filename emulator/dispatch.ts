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
import { HOOK_MAX_BODY_BYTES, type StateHook } from './hookServer.ts';
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
  const headers = scanHeaders(req.rawHeaders);
  const reply: ReplyContext = { requestId: newRequestId(), hostId: headers.host || 'localhost', fault: em.options.fault, now };
  const target = parseTarget(req.url);
  const method = req.method ?? 'GET';

  // The hook's bodies are a few hundred bytes: it reads at most HOOK_MAX_BODY_BYTES.
  const isHook = em.hook !== null && target.pathname === PROVIDER_STATE_PATH;
  const read = await readBody(req, isHook ? HOOK_MAX_BODY_BYTES : em.options.maxBodyBytes, headers.contentLength ?? null);
  if (read.kind === 'aborted') return;
  if (isHook) {
    answerHook(em.hook!, method, req, read.kind === 'body' ? read.body : null, reply, res);
    return;
  }
  if (read.kind === 'too-large') {
    refuseTooLarge(req, res, reply);
    return;
  }

  const trace: Trace = { op: null, md5: null, signatureProblem: null, status: 0 };
  const headerPairs = headers.pairs;
  try {
    if (em.realism) await em.realism.beforeRequest();
    const pending = dispatch(em, req, method, target, read.body, headers, now, trace);
    const result = pending instanceof Promise ? await pending : pending;
    if (result instanceof ApiError) {
      trace.status = sendError(res, reply, result, result.headers).status;
    } else {
      trace.status = result.status;
      sendResult(res, reply, result);
    }
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

/**
 * The synchronous part of a request; it only returns a promise under the `concurrent-deletes-succeed`
 * fault. A refusal comes back as the ApiError, returned and not thrown on: V8 counts a function's
 * way to optimisation on its returns and loops, so a dispatcher every request left by a throw (a
 * load of 404s, of bad signatures) was never optimised and ran interpreted, with every call it made
 * (docs/performance.md §0, eleventh round: 0.78–0.90× the CPU per absent delete, side by side).
 */
function dispatch(em: Emulator, req: IncomingMessage, method: string, target: RequestTarget, body: Buffer,
  scanned: ScannedHeaders, now: Date, trace: Trace): OpResult | ApiError | Promise<OpResult> {
  try {
    const headers = scanned.pairs;
    const address = parseAddress(scanned.host, target.pathname);
    // Vector buckets have no keys below them: any deeper path is not an API route.
    if (address.rest !== '/' && address.rest !== '') return new ApiError('NoSuchKey', `no route for path ${target.pathname}`);

    const auth = authenticate({
      method, rawQuery: target.rawQuery, query: target.query, headers, region: em.options.region, accountId: em.options.accountId,
      bucket: address.bucket, identities: em.identities, now, fault: em.options.fault,
    });
    if (!auth.ok) {
      // A request signed for plain OSS (canonical URI `/bucket/`), e.g. an SDK creating a log target.
      const plain = auth.error.code === 'SignatureDoesNotMatch' ? plainOssRequest(em, method, address, target, headers, now) : null;
      if (plain) return plain;
      trace.signatureProblem = auth.error.detail ?? auth.error.code;
      return auth.error;
    }
    if (auth.waived) trace.signatureProblem = auth.waived;
    if (address.accountId !== undefined && address.accountId !== em.options.accountId) {
      return new ApiError('AccessDenied', `the host names account ${address.accountId}; this endpoint serves account ${em.options.accountId}`);
    }

    const op = resolveOperation(method, target.query, address.bucket === undefined ? 'service' : 'bucket');
    trace.op = op;
    checkPermission(auth.identity, op);
    em.realism?.admitOperation(op.name);
    trace.md5 = compareContentMd5(scanned.contentMd5, body);
    if (trace.md5 === 'mismatch') return new ApiError('InvalidDigest', 'Content-MD5 does not match the body');

    return HANDLERS[op.name as OperationName | BucketConfigOperationName](new RequestContext(em, now, address.bucket, body, target.query, req));
  } catch (e) {
    // The checks below it throw (the route, permission, throttles, the handlers' own checks).
    if (e instanceof ApiError) return e;
    throw e;
  }
}

/**
 * The handler's view of one request. A class, not an object literal: a literal with a getter
 * builds a fresh accessor per request (about 1 µs each, measured), a class getter is shared.
 */
class RequestContext implements OpContext {
  readonly store: Store;
  readonly options: Emulator['options'];
  readonly fault: Emulator['options']['fault'];
  constructor(em: Emulator, readonly now: Date, readonly bucketName: string | undefined, readonly body: Buffer,
    readonly query: RequestTarget['query'], private readonly req: IncomingMessage) {
    this.store = em.store;
    this.options = em.options;
    this.fault = em.options.fault;
  }

  /** Node builds `req.headers` on first use: only the handler that reads a header pays for it. */
  get headers(): IncomingMessage['headers'] { return this.req.headers; }
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

function answerHook(hook: StateHook, method: string, req: IncomingMessage, body: Buffer | null, reply: ReplyContext, res: ServerResponse): void {
  if (body === null) {
    closeAfterAnswer(req, res);
    sendJson(res, reply, 413, { error: `the provider-state hook takes bodies of at most ${HOOK_MAX_BODY_BYTES} bytes`, limit: HOOK_MAX_BODY_BYTES }, { Connection: 'close' });
    return;
  }
  if (method !== 'POST') {
    sendJson(res, reply, 405, { error: 'the provider-state hook takes POST' }, { Allow: 'POST' });
    return;
  }
  const refused = hook.refusal(req.headers);
  if (refused) {
    sendJson(res, reply, refused.status, refused.json);
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
  closeAfterAnswer(req, res);
  sendError(res, reply, new ApiError('EntityTooLarge', 'the request body exceeds the maximum size'), { Connection: 'close' });
}

/** Once the answer is written: drain and discard the unread body for a moment, then close. */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.on('finish', () => {
    req.resume();
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 2000).unref();
  });
}

function internalError(e: unknown): ApiError {
  console.error('ovc emulator: unexpected error:', e);
  return new ApiError('InternalError', 'unexpected error');
}

/** The header pairs as received (for the verifier) and the three values the dispatcher reads. */
interface ScannedHeaders {
  pairs: Array<[string, string]>;
  host: string | undefined;
  contentLength: string | undefined;
  contentMd5: string | undefined;
}

/**
 * One pass over the raw headers instead of Node's `req.headers` object, built on first use, which
 * every request used to pay for. Same values as `req.headers`: the first Host and Content-Length
 * win (Node drops duplicates of those), repeated Content-MD5 values are joined with ', '.
 */
function scanHeaders(raw: string[]): ScannedHeaders {
  const out: ScannedHeaders = { pairs: [], host: undefined, contentLength: undefined, contentMd5: undefined };
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    out.pairs.push([name, value]);
    const n = name.length;
    if (n !== 4 && n !== 11 && n !== 14) continue;
    const lower = name.toLowerCase();
    if (lower === 'host') out.host ??= value;
    else if (lower === 'content-md5') out.contentMd5 = out.contentMd5 === undefined ? value : `${out.contentMd5}, ${value}`;
    else if (lower === 'content-length') out.contentLength ??= value;
  }
  return out;
}
