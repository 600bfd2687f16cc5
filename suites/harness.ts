// What every suite shares: the target context of this worker, the case runner with its four
// outcomes, the documented-response checks, and the evidence kept for failing cases.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { JSON_CONTENT_TYPE } from '../protocol/envelope.ts';
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';
import type { OperationName } from '../contracts/operations.ts';
import { INDEX_NAME_MAX, LIMITS } from '../contracts/limits.ts';
import type { CaseResult, Exchange, Outcome } from '../reports/model.ts';
import { collectSecrets, redactHeaders } from '../reports/redact.ts';
import { credentialsFromEnv, deniedCredentialsFromEnv, loadConfigFromEnv, type TargetConfig } from '../target/config.ts';
import { TargetClient, codeOf, type SentExchange, type WireResponse } from '../target/client.ts';
import { TransportError } from '../target/http.ts';
import { Ledger } from '../target/ledger.ts';
import { responseSchemaProblems } from '../target/schemas.ts';
import { StateHook, StateHookError } from '../target/stateHook.ts';
import { curlLine, replayCommand } from './replay.ts';

export interface SuiteContext {
  config: TargetConfig;
  client: TargetClient;
  hook: StateHook | null;
  ledger: Ledger;
  hasDenied: boolean;
}

let ctx: SuiteContext | null = null;

export function context(): SuiteContext {
  if (ctx) return ctx;
  const config = loadConfigFromEnv();
  const creds = credentialsFromEnv();
  if (!creds) throw new Error('OSS_ACCESS_KEY_ID / OSS_ACCESS_KEY_SECRET are not set');
  const denied = deniedCredentialsFromEnv();
  mkdirSync(config.workDir, { recursive: true });
  ctx = {
    config,
    client: new TargetClient(config, creds, denied),
    hook: config.stateHook ? new StateHook(config.stateHook) : null,
    ledger: new Ledger(config.workDir, config.prefix),
    hasDenied: denied !== null,
  };
  return ctx;
}

let nameCounter = 0;
/** A fresh index name under the run prefix, unique in this worker: prefix + tag + worker + counter. */
export function freshName(tag: string): string {
  const c = context();
  const worker = `${process.pid.toString(36)}${threadId.toString(36)}`.replace(/[^a-z0-9]/g, '');
  return `${c.config.prefix}${tag}${worker}x${(nameCounter++).toString(36)}`.slice(0, INDEX_NAME_MAX);
}

/** Creates an index (enable) through the public API and writes it into the ledger. */
export async function createIndex(name: string, dimension = 4, bucket = context().config.bucket): Promise<WireResponse> {
  const c = context();
  const res = await c.client.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension, distanceMetric: 'cosine' }, { bucket });
  if (res.status === 200) c.ledger.created(bucket, name);
  return res;
}

export async function deleteIndex(name: string, bucket = context().config.bucket): Promise<WireResponse> {
  const c = context();
  const res = await c.client.op('DeleteVectorIndex', { indexName: name }, { bucket });
  if (res.status === 204 || codeOf(res) === 'NoSuchVectorIndex') c.ledger.deleted(bucket, name);
  return res;
}

export function vectorsFor(keys: string[], dimension = 4): Array<{ key: string; data: { float32: number[] } }> {
  return keys.map((key, i) => ({ key, data: { float32: Array.from({ length: dimension }, (_, j) => ((i + 1) * (j + 2)) % 7 + 0.5) } }));
}

/** A case is skipped when it cannot be meaningful on this target (reason required). */
export class Skip extends Error {}
/** The precondition could not be set up: the case is an `error`, never a pass. */
export class SetupError extends Error {}

export interface CaseSpec {
  id: string;
  /** Label of the matrix row (documented response label or behaviour row). */
  response: string;
  labels: readonly string[];
  expected: { status: number; code: string | null; codes?: string[] } | null;
  cites?: string;
  unknown?: boolean;
  tags?: string;
}

/** Problems found by the checks of one case; empty means the case holds. */
export class Checks {
  readonly problems: string[] = [];
  actual: { status: number; code: string | null; requestId: string | null } | null = null;
  precedence: string | undefined;

  that(ok: boolean, problem: string): void {
    if (!ok) this.problems.push(problem);
  }

  observe(res: WireResponse): void {
    this.actual = { status: res.status, code: codeOf(res), requestId: res.headers['x-oss-request-id'] ?? null };
  }

  /** A 200 answer's body conforms to the operation's response schema (contracts/operations.ts). */
  schema(op: OperationName, res: WireResponse): void {
    if (res.status !== 200) return;
    this.that(res.headers['content-type'] === JSON_CONTENT_TYPE, `${op} answered 200 with Content-Type ${JSON.stringify(res.headers['content-type'] ?? null)}, not '${JSON_CONTENT_TYPE}'`);
    for (const p of responseSchemaProblems(op, res.json)) this.problems.push(p);
  }

  /** Headers every answer carries (DESIGN rule 3): a 24-character x-oss-request-id and a Date. */
  common(res: WireResponse): void {
    const rid = res.headers['x-oss-request-id'];
    this.that(typeof rid === 'string' && rid.length === LIMITS.requestIdLength, `x-oss-request-id must be ${LIMITS.requestIdLength} characters, got ${rid === undefined ? 'none' : JSON.stringify(rid)}`);
    const date = res.headers.date;
    this.that(!!date && !Number.isNaN(Date.parse(date)), `Date header must be an HTTP date, got ${date === undefined ? 'none' : JSON.stringify(date)}`);
  }

  /** 204 No Content with an empty body (D-DelIdx sample response). */
  noContent(res: WireResponse): void {
    this.observe(res);
    this.that(res.status === 204, `expected 204 No Content, got ${res.status}${codeOf(res) ? ` ${codeOf(res)}` : ''}`);
    const declared = Number(res.headers['content-length'] ?? '0');
    this.that(res.body.length === 0 && !(declared > 0), `a 204 answer must have an empty body, got ${Math.max(res.body.length, declared || 0)} bytes${declared > 0 ? ` (Content-Length: ${declared})` : ''}`);
    this.common(res);
  }

  /**
   * One of several allowed codes (multi-fault requests): the status must be that of the code the
   * target chose; the choice is recorded as observed precedence.
   */
  oneOf(res: WireResponse, codes: readonly string[]): void {
    if (codes.length === 0) return this.noContent(res);
    const chosen = codeOf(res);
    const status = chosen && codes.includes(chosen) ? ERROR_CODES[chosen as ErrorCode]?.status ?? res.status : ERROR_CODES[codes[0] as ErrorCode]?.status ?? 400;
    this.error(res, status, codes);
    if (chosen && codes.includes(chosen)) this.precedence = chosen;
  }

  /** A documented error: status, Error.Code (one of `codes`), envelope shape, exact Content-Type, request id, x-oss-ec, Date. */
  error(res: WireResponse, status: number, codes: readonly string[]): void {
    this.observe(res);
    const code = codeOf(res);
    this.that(res.status === status, `expected HTTP ${status}, got ${res.status}`);
    this.that(res.headers['content-type'] === JSON_CONTENT_TYPE, `error Content-Type must be exactly '${JSON_CONTENT_TYPE}', got ${JSON.stringify(res.headers['content-type'] ?? null)}`);
    if (res.error === null) this.problems.push(`error body must be a JSON envelope {"Error":{"Code","Message","RequestId",…}}, got ${JSON.stringify(res.text.slice(0, 120))}`);
    else {
      this.that(codes.includes(code ?? ''), `expected Error.Code ${codes.join(' or ')}, got ${code ?? 'none'}`);
      this.that(typeof res.error.RequestId === 'string' && res.error.RequestId.length > 0, 'Error.RequestId must be present');
    }
    this.that(typeof res.headers['x-oss-ec'] === 'string' && res.headers['x-oss-ec'].length > 0, 'error answers must carry an x-oss-ec header');
    this.common(res);
    if (codes.length > 1 && code && codes.includes(code)) this.precedence = code;
  }
}

function recorderFile(): string {
  return join(context().config.workDir, `cases-${process.pid}-${threadId}.jsonl`);
}

// Case records are written in batches (one synchronous append per case cost ~5 % of the property
// phase); every test's verdict flushes, so a stopped run loses at most one unfinished batch.
const pending: string[] = [];
const FLUSH_EVERY = 256;

export function flushCaseRecords(): void {
  if (pending.length === 0) return;
  appendFileSync(recorderFile(), pending.join(''));
  pending.length = 0;
}

function redactedExchange(): Exchange | undefined {
  const last = context().client.last as SentExchange | null;
  if (!last) return undefined;
  const isText = (b: Buffer): boolean => Buffer.from(b.toString('utf8'), 'utf8').equals(b);
  const secrets = collectSecrets();
  const hdrs = (h: Record<string, string>): Record<string, string> => redactHeaders(h, secrets);
  return {
    request: {
      method: last.request.method, url: last.request.url, headers: hdrs(last.request.sentHeaders),
      body: isText(last.request.body) ? last.request.body.toString('utf8') : last.request.body.toString('base64'),
      bodyEncoding: isText(last.request.body) ? 'utf8' : 'base64',
    },
    response: {
      status: last.response.status, headers: hdrs(last.response.headers),
      body: isText(last.response.body) ? last.response.text : last.response.body.toString('base64'),
      bodyEncoding: isText(last.response.body) ? 'utf8' : 'base64',
    },
    startedAt: new Date(Date.now() - last.response.durationMs).toISOString(),
    durationMs: last.response.durationMs,
  };
}

/** Runs one case, records it (one results.jsonl line) and returns it. Never throws for the case's own failures. */
export async function runCase(spec: CaseSpec, body: (check: Checks) => Promise<void>): Promise<CaseResult> {
  const c = context();
  const check = new Checks();
  const started = performance.now();
  c.client.last = null;
  let outcome: Outcome = 'pass';
  let reason: string | null = null;
  try {
    await body(check);
    if (check.problems.length > 0) { outcome = 'fail'; reason = check.problems.join('; '); }
  } catch (e) {
    if (e instanceof Skip) { outcome = 'skip'; reason = e.message; }
    else if (e instanceof TransportError || e instanceof SetupError || e instanceof StateHookError) { outcome = 'error'; reason = e.message; }
    else if (check.problems.length > 0) { outcome = 'fail'; reason = [...check.problems, (e as Error).message].join('; '); }
    else { outcome = 'error'; reason = `unexpected: ${(e as Error)?.stack ?? e}`; }
  }
  const result: CaseResult = {
    id: spec.id, response: spec.response, outcome, expected: spec.expected, actual: check.actual,
    labels: [...spec.labels], reason, seed: c.config.seed, durationMs: Math.round((performance.now() - started) * 100) / 100,
    ...(spec.cites ? { cites: spec.cites } : {}),
    ...(spec.unknown ? { unknown: true } : {}),
    ...(check.precedence ? { precedence: check.precedence } : {}),
    target: c.config.targetName,
  };
  if (outcome === 'fail' || outcome === 'error') {
    result.replay = replayCommand(c.config, spec.tags);
    const last = c.client.last as SentExchange | null;
    if (last) result.curl = curlLine(c.config, last.request);
    result.exchange = redactedExchange();
  }
  pending.push(`${JSON.stringify(result)}\n`);
  if (pending.length >= FLUSH_EVERY) flushCaseRecords();
  return result;
}

/** Turns recorded outcomes into the vitest verdict of the enclosing test. */
export function verdict(results: readonly CaseResult[], skip?: (reason: string) => void): void {
  flushCaseRecords();
  const bad = results.filter((r) => r.outcome === 'fail' || r.outcome === 'error');
  if (bad.length > 0) {
    const lines = bad.slice(0, 5).map((r) => `${r.outcome.toUpperCase()} ${r.id}: ${r.reason}\n    seed ${r.seed}; replay: ${r.replay ?? ''}${r.curl ? `\n    ${r.curl}` : ''}`);
    throw new Error(`${bad.length} of ${results.length} case(s) did not hold:\n  ${lines.join('\n  ')}${bad.length > 5 ? `\n  … and ${bad.length - 5} more (see results.jsonl)` : ''}`);
  }
  if (skip && results.length > 0 && results.every((r) => r.outcome === 'skip')) skip(results[0]!.reason ?? 'skipped');
}
