// The project's signed client: builds OSS Vectors requests for the configured target, signs them
// with V4 at send time, paces them, retries throttled answers, and reads answers. Every send
// returns its own exchange (request, response, timing); there is no shared "last exchange": a
// case's evidence is what its own recorder saw (see `recording`).
import { errorEnvelopeProblems } from '../contracts/envelope.ts';
import { OPERATIONS, type OperationName } from '../contracts/operations.ts';
import { buildTarget } from '../protocol/addressing.ts';
import { decodeError, type ErrorBody } from '../protocol/envelope.ts';
import { contentMd5 } from '../protocol/md5.ts';
import { signRequest, type Credentials } from '../protocol/signer.ts';
import type { WireRequest } from '../protocol/wire.ts';
import type { Identities, Pacing, TargetSpec } from './config.ts';
import { send, TransportError, type HttpResponse } from './http.ts';
import { trafficGauges, type TrafficGauges } from './gauges.ts';
import { AdaptiveWindow, emptyStats, isThrottled, rateLimiter, withThrottleRetry, type PacingStats } from './pacing.ts';

/** Upper bound of one worker's requests in flight (the window only narrows it on throttling). */
const WINDOW_MAX = 256;

export type { WireRequest };

/** Characters of a body kept as `text` (for messages): a large body is judged whole, then let go. */
export const TEXT_KEPT_BYTES = 64 * 1024;

export interface WireResponse extends HttpResponse {
  /** The body as UTF-8, cut at TEXT_KEPT_BYTES (`json`, `error` were made from all of it). */
  text: string;
  /** The decoded error envelope, when the body is one. */
  error: ErrorBody | null;
  /** What the body breaks of the contract's envelope schema (contracts/envelope.ts); empty for non-errors. */
  envelopeProblems: string[];
  /** Parsed JSON body when it parses. */
  json: unknown;
}

export interface OpOptions {
  bucket?: string | null;
  /** Which identity signs: the main one (default), the denied one, or none. */
  identity?: 'main' | 'denied' | 'none';
  /** `bare` sends `?op` (Go), `eq` sends `?op=` (Python). */
  queryForm?: 'bare' | 'eq';
  /** Extra query items (raw, already encoded). */
  extraQuery?: string;
  headers?: Record<string, string>;
}

/** What part of a case an exchange belongs to. */
export type Role = 'given' | 'when' | 'then' | 'cleanup';

export interface SentRequest extends WireRequest { url: string; sentHeaders: Record<string, string> }

export interface SentExchange {
  request: SentRequest;
  response: WireResponse;
  /** The operation named by the query key, when it names one. */
  op: OperationName | null;
  role: Role;
  /** Epoch ms when the (last) attempt was sent. */
  startedAt: number;
  durationMs: number;
}

export type ExchangeListener = (x: SentExchange) => void;

/** Sees every exchange of every view; `before` sees each request before it is sent (the ledger writes intents there). */
export interface ExchangeWatcher {
  before?(req: WireRequest, op: OperationName | null): void;
  after(x: SentExchange): void;
}

const OP_BY_KEY = new Map<string, OperationName>(Object.values(OPERATIONS).filter((o) => o.queryKey).map((o) => [o.queryKey as string, o.name as OperationName]));

/** The operation a raw query names (first key, `=` and value ignored). */
export function opOfQuery(query: string): OperationName | null {
  const key = query.split('&')[0]!.split('=')[0]!;
  return OP_BY_KEY.get(key) ?? null;
}

/** Rate limits and counters shared by every client view of one worker. */
export class Pacer {
  readonly stats: PacingStats = emptyStats();
  private readonly all: { take(): Promise<void> };
  private readonly putIndex: { take(): Promise<void> };
  /** Requests in flight, halved on throttling (AIMD, client/pacing.ts). */
  readonly window: AdaptiveWindow;
  /** The process's traffic gauges (shared by a suite child's workers): requests sent, judgeable answers, the hold. */
  readonly gauges: TrafficGauges = trafficGauges();
  /**
   * Aborted when the run is stopped (a signal, its deadline) while this pacer's requests may still
   * be in flight or waiting out a throttle: they end at once instead (the run's preflight, whose
   * retries against a throttling or silent target took 4–14 s after a SIGINT). The suites stop
   * through their own channel.
   */
  stopSignal: AbortSignal | null = null;
  constructor(readonly pacing: Pacing, share = 1) {
    // This worker's share of the run's rates; pooled with the other workers' where they share limits.
    this.all = rateLimiter('all', pacing.maxRps / share, Math.max(1, Math.ceil(pacing.maxRps / share)));
    this.putIndex = rateLimiter('putIndex', pacing.putIndexRps / share, 1);
    this.window = new AdaptiveWindow(WINDOW_MAX);
  }

  static unpaced(): Pacer {
    return new Pacer({ concurrency: 8, maxRps: 0, putIndexRps: 0, throttleAttempts: 8, throttleBudgetMs: 60_000 });
  }

  async before(op: OperationName | null, role: Role): Promise<void> {
    // Index creation is paced wherever it happens; deletion when it is set-up or cleanup (the
    // deletes under test go at the property's own pace).
    if (op === 'PutVectorIndex' || (op === 'DeleteVectorIndex' && (role === 'given' || role === 'cleanup'))) await this.putIndex.take();
    await this.all.take();
    // A stopping run sends nothing new: the request waits here until its process ends.
    if (this.gauges.held) await new Promise<never>(() => undefined);
  }

  /**
   * Notes whether an attempt's answer can be judged (not throttled, not a timeout or failed
   * connection). An attempt the run's own stop cut off says nothing about the target: not noted.
   */
  async watch<T extends HttpResponse>(attempt: Promise<T>): Promise<T> {
    try {
      const res = await attempt;
      this.gauges.answered(!isThrottled(res.status));
      return res;
    } catch (e) {
      const cause = e instanceof TransportError ? e.causeCode : null;
      if (cause !== 'STOPPED') this.gauges.answered(cause === 'ANSWER_TOO_LARGE');
      throw e;
    }
  }
}

export class TargetClient {
  constructor(
    readonly target: TargetSpec,
    readonly identities: Identities,
    readonly pacer: Pacer = Pacer.unpaced(),
    /** Sees every exchange of every view (the worker's ledger and budget tracker). */
    private readonly observer: ExchangeWatcher | null = null,
    /** Sees this view's exchanges (a case's record). */
    private readonly listener: ExchangeListener | null = null,
    readonly role: Role = 'when',
  ) {}

  /** The same client with a worker-level observer of every exchange. */
  observed(observer: ExchangeWatcher): TargetClient {
    return new TargetClient(this.target, this.identities, this.pacer, observer, this.listener, this.role);
  }

  get credentials(): Credentials { return this.identities.main; }
  get denied(): Credentials | null { return this.identities.denied; }

  /** A view of this client whose exchanges go to `listener`, marked with `role`. */
  recording(listener: ExchangeListener | null, role: Role = this.role): TargetClient {
    return new TargetClient(this.target, this.identities, this.pacer, this.observer, listener, role);
  }

  /** The same recorder, another role. */
  as(role: Role): TargetClient {
    return role === this.role ? this : new TargetClient(this.target, this.identities, this.pacer, this.observer, this.listener, role);
  }

  /** A JSON-body operation request, unsigned. */
  build(op: OperationName, body?: unknown, o: OpOptions = {}): WireRequest {
    const def = OPERATIONS[op];
    const query = def.queryKey ? `${def.queryKey}${o.queryForm === 'eq' ? '=' : ''}` : '';
    const bytes = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { 'Content-MD5': contentMd5(bytes), ...o.headers };
    if (bytes.length > 0) headers['Content-Type'] = 'application/json';
    const bucket = o.bucket === undefined ? (def.scope === 'service' ? null : this.target.bucket) : o.bucket;
    return { method: def.method, query: o.extraQuery ? [query, o.extraQuery].filter(Boolean).join('&') : query, headers: o.headers ? Object.assign(headers, o.headers) : headers, body: bytes, bucket };
  }

  /** Signs a request with the given identity at the current time (adds x-oss-date, Date, Authorization …). */
  sign(req: WireRequest, creds: Credentials = this.identities.main, time = new Date()): WireRequest {
    const signed = signRequest({
      region: this.target.region, accountId: this.target.accountId, bucket: req.bucket ?? undefined,
      method: req.method, query: req.query, headers: req.headers, credentials: creds, time,
    });
    return Object.assign({}, req, { headers: Object.assign({}, req.headers, signed.headers) });
  }

  /** Where a request goes: origin, Host header and path for the configured addressing. */
  address(req: WireRequest): { origin: string; host: string; path: string; url: string } {
    const t = buildTarget({ endpoint: this.target.endpoint, bucket: req.bucket ?? undefined, accountId: this.target.accountId, addressing: this.target.addressing, query: req.query });
    return { origin: t.origin, host: t.host, path: t.path, url: `${t.origin.replace(/\/\/[^/]+/, `//${t.host}`)}${t.path}` };
  }

  /**
   * Sends a request exactly as given (already signed or deliberately not), after the pacer lets
   * it go; a throttled answer (503, 429) is sent again with backoff, and ThrottledError is thrown
   * when it never stops being throttled. Returns this send's own exchange.
   */
  async exchange(req: WireRequest): Promise<SentExchange> {
    const a = this.address(req);
    const headers = { host: a.host, ...req.headers };
    const op = opOfQuery(req.query);
    let startedAt = Date.now();
    const signal = this.pacer.stopSignal;
    const policy = { attempts: this.pacer.pacing.throttleAttempts, budgetMs: this.pacer.pacing.throttleBudgetMs, signal };
    this.observer?.before?.(req, op);
    const res = await withThrottleRetry(async () => {
      await this.pacer.before(op, this.role);
      startedAt = Date.now();
      return this.pacer.watch(send({ origin: a.origin, method: req.method, path: a.path, headers, body: req.body }, { timeoutMs: this.target.timeoutMs, maxBytes: this.target.maxResponseBytes, signal }));
    }, policy, this.pacer.stats, this.pacer.window);
    const text = res.body.toString('utf8');
    let json: unknown;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    const env = res.status >= 300 && text ? decodeError(text, errorEnvelopeProblems) : null;
    // The whole text was parsed above; a case holds its exchanges until judged, so a large body's
    // text (twice its bytes) is not kept beside it — only a fresh string of its first bytes.
    const kept = res.body.length > TEXT_KEPT_BYTES ? res.body.subarray(0, TEXT_KEPT_BYTES).toString('utf8') : text;
    // Object.assign, not `{ ...res, more }`: in Node 20's V8 a spread followed by more fields (or by
    // a second spread) costs 1–3 µs per object, several times per request (docs/performance.md §0a).
    const response: WireResponse = Object.assign({}, res, { text: kept, json, error: env?.body && typeof env.body.Code === 'string' ? env.body : null, envelopeProblems: env?.problems ?? [] });
    const x: SentExchange = { request: Object.assign({}, req, { url: a.url, sentHeaders: headers }), response, op, role: this.role, startedAt, durationMs: res.durationMs };
    this.observer?.after(x);
    this.listener?.(x);
    return x;
  }

  async send(req: WireRequest): Promise<WireResponse> {
    return (await this.exchange(req)).response;
  }

  /** Builds, signs (unless identity 'none') and sends one operation. */
  async op(op: OperationName, body?: unknown, o: OpOptions = {}): Promise<WireResponse> {
    return (await this.opExchange(op, body, o)).response;
  }

  async opExchange(op: OperationName, body?: unknown, o: OpOptions = {}): Promise<SentExchange> {
    return this.exchange(this.buildSigned(op, body, o));
  }

  /** Builds one operation, signed by the main identity (or `o.identity`; 'none' leaves it unsigned). */
  buildSigned(op: OperationName, body?: unknown, o: OpOptions = {}): WireRequest {
    const req = this.build(op, body, o);
    const identity = o.identity ?? 'main';
    if (identity === 'none') return req;
    const creds = identity === 'denied' ? this.identities.denied : this.identities.main;
    if (!creds) throw new Error('no denied identity configured');
    return this.sign(req, creds);
  }
}

/** The error code of an answer, or null for success / a body that is no envelope. */
export function codeOf(res: WireResponse): string | null {
  return res.error?.Code ?? null;
}

/** The `index.status` of a GetVectorIndex answer, when it has one. */
export function indexStatusOf(res: WireResponse): string | undefined {
  return (res.json as { index?: { status?: string } } | undefined)?.index?.status;
}
