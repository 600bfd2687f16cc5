// What every suite shares: the target context of this worker, the case runner with its four
// outcomes, the documented-response checks, and the evidence kept for failing cases.
import { mkdirSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { inject } from 'vitest';
import { JSON_CONTENT_TYPE } from '../protocol/envelope.ts';
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';
import type { OperationName } from '../contracts/operations.ts';
import { INDEX_NAME_MAX, LIMITS } from '../contracts/limits.ts';
import type { CaseResult, Exchange, Outcome } from '../reports/model.ts';
import { redactHeaders } from '../reports/redact.ts';
import { BudgetError, IndexBudget } from '../scenario/budget.ts';
import type { RunChannel, RunSpec, TargetSpec } from '../client/config.ts';
import { Pacer, TargetClient, codeOf, type SentExchange, type WireResponse } from '../client/client.ts';
import { configureTls, TransportError } from '../client/http.ts';
import { Ledger } from '../scenario/ledger.ts';
import { ThrottledError } from '../client/pacing.ts';
import { CaseRecord, Scenario, type ScenarioEnv } from '../scenario/scenario.ts';
import { responseSchemaProblems } from '../client/schemas.ts';
import { createWithinBudget, SetupError, Skip, tracker } from '../scenario/states.ts';
import { StateHook, StateHookError } from '../scenario/stateHook.ts';
import { curlLine, replayCommand } from './replay.ts';
import { WorkerChannel } from './workfolder.ts';

export { SetupError, Skip };

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run, the target and the identities, handed over by `ovc run` (suites/runner.ts). */
    ovc: RunChannel;
  }
}

export interface SuiteContext {
  target: TargetSpec;
  run: RunSpec;
  /** The worker's client: paced, and watched by the ledger/budget tracker. Cases use their own recording views. */
  client: TargetClient;
  hook: StateHook | null;
  ledger: Ledger;
  budget: IndexBudget;
  hasDenied: boolean;
  /** What the scenario layer needs. */
  env: ScenarioEnv;
  /** Secret values to keep out of every record. */
  secrets: string[];
}

let ctx: SuiteContext | null = null;

export function context(): SuiteContext {
  if (ctx) return ctx;
  const channel = inject('ovc');
  if (!channel) throw new Error("the suites are run by 'ovc run', not directly (no run channel was provided)");
  return initContext(channel);
}

/** Builds the worker's context from a run channel (the project's tests call it directly). */
export function initContext(channel: RunChannel): SuiteContext {
  const { target, run, identities } = channel;
  mkdirSync(run.workDir, { recursive: true });
  configureTls(target.tls);
  const pacer = new Pacer(run.pacing, run.workers);
  const base = new TargetClient(target, identities, pacer);
  const budget = new IndexBudget(Math.max(1, Math.floor(run.maxIndexes / run.workers)), base, run.settleMs);
  const ledger = new Ledger(run.ledgerDir, run.prefix);
  const client = base.observed(tracker({ ledger, budget, run }));
  const hook = target.stateHook ? new StateHook(target.stateHook) : null;
  ctx = {
    target, run, client, hook, ledger, budget, hasDenied: identities.denied !== null,
    env: { client, hook, target, run, ledger, budget },
    secrets: [identities.main.accessKeySecret, identities.main.securityToken, identities.denied?.accessKeySecret].filter((v): v is string => typeof v === 'string' && v.length > 0),
  };
  return ctx;
}

const nameCounters = new Map<string, number>();
/**
 * A fresh index name under the run prefix: prefix + tag + a counter of that tag. Each suite file
 * uses its own tags, so names are unique in the run and equal between runs up to the prefix
 * (what `ovc diff` compares).
 */
export function freshName(tag: string): string {
  const c = context();
  const n = nameCounters.get(tag) ?? 0;
  nameCounters.set(tag, n + 1);
  return `${c.run.prefix}${tag}${n.toString(36)}`.slice(0, INDEX_NAME_MAX);
}

/** Creates an index (PutVectorIndex) within the run's index budget; the tracker writes it into the ledger. */
export function createIndex(name: string, dimension = 4, bucket = context().target.bucket, client = context().client): Promise<WireResponse> {
  return createWithinBudget(context().budget, client, bucket, { indexName: name, dimension, distanceMetric: 'cosine' });
}

export async function deleteIndex(name: string, bucket = context().target.bucket, client = context().client): Promise<WireResponse> {
  return client.op('DeleteVectorIndex', { indexName: name }, { bucket });
}

export function vectorsFor(keys: string[], dimension = 4): Array<{ key: string; data: { float32: number[] } }> {
  return keys.map((key, i) => ({ key, data: { float32: Array.from({ length: dimension }, (_, j) => ((i + 1) * (j + 2)) % 7 + 0.5) } }));
}

export interface CaseSpec {
  id: string;
  /** Label of the matrix row (documented response label or behaviour row). */
  response: string;
  labels: readonly string[];
  expected: { status: number; code: string | null; codes?: string[] } | null;
  cites?: string;
  unknown?: boolean;
  /** The case records what the target did and asserts no documented response (races, precedence). */
  observation?: boolean;
  /** Deterministic coverage phase or random property phase. */
  phase?: 'coverage' | 'property';
  tags?: string;
}

/** Problems found by the checks of one case; empty means the case holds. */
export class Checks {
  readonly problems: string[] = [];
  /** --strict: also assert the emulator's decisions on the spec's unknowns (docs/emulator.md). */
  constructor(readonly strict = false) {}
  actual: { status: number; code: string | null; requestId: string | null } | null = null;
  precedence: string | undefined;
  /** Set when the case turned out to record an observation only (e.g. a race that decided nothing). */
  observation = false;
  /** What was seen, for observation cases (e.g. `409 VectorIndexOperationConflict`). */
  observed: string | undefined;

  /** Marks the case an observation of `what` (asserts no documented response). */
  recordOnly(what: string): void {
    this.observation = true;
    this.observed = what;
  }

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
   * One of several allowed codes (multi-fault requests). Non-strict: the status must be that of
   * the code the target chose, and the choice is recorded as observed precedence (an observation:
   * it reaches no documented response). --strict: the first fault in the U2 order of checks
   * (docs/emulator.md) decides, so exactly `codes[0]` (the oracle sorts them in that order).
   */
  oneOf(res: WireResponse, codes: readonly string[], strict = false): void {
    if (codes.length === 0) return this.noContent(res);
    if (codes.length > 1 && strict) {
      this.error(res, ERROR_CODES[codes[0] as ErrorCode]?.status ?? 400, [codes[0]!]);
      this.precedence = codeOf(res) ?? String(res.status);
      return;
    }
    const chosen = codeOf(res);
    const status = chosen && codes.includes(chosen) ? ERROR_CODES[chosen as ErrorCode]?.status ?? res.status : ERROR_CODES[codes[0] as ErrorCode]?.status ?? 400;
    this.error(res, status, codes);
    if (chosen && codes.includes(chosen)) this.precedence = chosen;
    if (codes.length > 1) this.recordOnly(`${res.status}${chosen ? ` ${chosen}` : ''} (of ${codes.join(', ')})`);
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
      // The rest of the envelope's shape, as the contract's schema states it (contracts/envelope.ts).
      for (const p of res.envelopeProblems) this.problems.push(p);
      if (this.strict) this.that(res.error.RequestId === res.headers['x-oss-request-id'], `--strict: Error.RequestId (${JSON.stringify(res.error.RequestId)}) must equal the x-oss-request-id header (${JSON.stringify(res.headers['x-oss-request-id'] ?? null)})`);
    }
    this.that(typeof res.headers['x-oss-ec'] === 'string' && res.headers['x-oss-ec'].length > 0, 'error answers must carry an x-oss-ec header');
    this.common(res);
    if (codes.length > 1 && code && codes.includes(code)) this.precedence = code;
  }
}

// Case records reach `ovc run` through the work folder (suites/workfolder.ts), in batches (one
// synchronous append per case cost ~5 % of the property phase): every test's verdict flushes, and
// so does a timer twice a second, so a stopped run loses at most half a second of finished cases.
const pending: string[] = [];
const pendingExchanges: string[] = [];
const FLUSH_EVERY = 256;
let channel: WorkerChannel | null = null;
let flushTimer: NodeJS.Timeout | null = null;

export function flushCaseRecords(): void {
  const c = context();
  channel ??= new WorkerChannel(c.run.workDir, process.pid, threadId);
  channel.appendCases(pending);
  pending.length = 0;
  channel.appendExchanges(pendingExchanges);
  pendingExchanges.length = 0;
  // The worker's pacing counters and budget peak, summed by the run into its summary.
  channel.writeStats({ ...c.client.pacer.stats, peakIndexes: c.budget.peak });
}

function flushSoon(): void {
  flushTimer ??= setInterval(flushCaseRecords, 500);
  flushTimer.unref();
}

const isText = (b: Buffer): boolean => Buffer.from(b.toString('utf8'), 'utf8').equals(b);

/** Bodies kept as evidence are cut here: a hostile target's large answers must not fill the reports. */
export const EVIDENCE_BODY_BYTES = 64 * 1024;

function evidenceBody(b: Buffer): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  const cut = b.length > EVIDENCE_BODY_BYTES ? b.subarray(0, EVIDENCE_BODY_BYTES) : b;
  const note = cut === b ? '' : `… [${b.length - cut.length} more bytes not kept]`;
  return isText(cut) ? { body: `${cut.toString('utf8')}${note}`, bodyEncoding: 'utf8' } : { body: cut.toString('base64'), bodyEncoding: 'base64' };
}

/** One exchange as reports keep it: secrets redacted, bodies as text or base64 (cut past EVIDENCE_BODY_BYTES). */
export function redactedExchange(x: SentExchange, secrets: readonly string[]): Exchange {
  const hdrs = (h: Record<string, string>): Record<string, string> => redactHeaders(h, secrets);
  return {
    request: { method: x.request.method, url: x.request.url, headers: hdrs(x.request.sentHeaders), ...evidenceBody(x.request.body) },
    response: { status: x.response.status, headers: hdrs(x.response.headers), ...evidenceBody(x.response.body) },
    startedAt: new Date(x.startedAt).toISOString(),
    durationMs: Math.round(x.durationMs * 100) / 100,
  };
}

/** A case's own scenario: its given → when → expect, and its recording client. */
export type CaseBody = (check: Checks, scenario: Scenario) => Promise<unknown>;

/** Runs one case, records it (one results.jsonl line) and returns it. Never throws for the case's own failures. */
export async function runCase(spec: CaseSpec, body: CaseBody): Promise<CaseResult> {
  const c = context();
  const check = new Checks(c.run.strict);
  const record = new CaseRecord();
  const started = performance.now();
  let outcome: Outcome = 'pass';
  let reason: string | null = null;
  try {
    await body(check, new Scenario(c.env, record));
    serverErrors(record, check);
    if (check.problems.length > 0) { outcome = 'fail'; reason = check.problems.join('; '); }
    else if (!record.exchanges.some((x) => x.role === 'when')) { outcome = 'error'; reason = 'the case sent no request under test, so it shows nothing about the target'; }
  } catch (e) {
    serverErrors(record, check);
    if (e instanceof Skip) { outcome = 'skip'; reason = e.message; }
    else if (e instanceof TransportError || e instanceof SetupError || e instanceof StateHookError || e instanceof ThrottledError || e instanceof BudgetError) {
      outcome = 'error'; reason = e.message;
    } else if (check.problems.length > 0) { outcome = 'fail'; reason = [...check.problems, (e as Error).message].join('; '); }
    else { outcome = 'error'; reason = `unexpected: ${(e as Error)?.stack ?? e}`; }
  }
  // A case that only records what it saw asserts nothing documented: it never counts as a pass.
  const observation = spec.observation || check.observation || undefined;
  const result: CaseResult = {
    id: spec.id, response: spec.response, outcome, expected: spec.expected, actual: check.actual,
    labels: [...spec.labels], reason, seed: c.run.seed, durationMs: Math.round((performance.now() - started) * 100) / 100,
    ...(spec.cites ? { cites: spec.cites } : {}),
    ...(spec.unknown ? { unknown: true } : {}),
    ...(observation ? { observation: true as const } : {}),
    ...(check.observed ? { observed: check.observed } : {}),
    ...(spec.phase ? { phase: spec.phase } : {}),
    ...(check.precedence ? { precedence: check.precedence } : {}),
    ...(record.settles.length ? { settle: record.settles.map((x) => ({ kind: x.kind, ms: x.ms, reached: x.reached })) } : {}),
    ...(record.cleanupProblems.length ? { cleanup: record.cleanupProblems } : {}),
    target: c.target.name,
  };
  const evidence = record.evidence();
  if (outcome === 'fail' || outcome === 'error') {
    result.replay = replayCommand(c.target, c.run, spec.tags);
    if (evidence) {
      result.curl = curlLine(c.target, evidence.request);
      result.exchange = redactedExchange(evidence, c.secrets);
    }
  }
  pending.push(`${JSON.stringify(result)}\n`);
  if (c.run.recordDir) {
    record.exchanges.forEach((x, seq) => {
      pendingExchanges.push(`${JSON.stringify({ caseId: spec.id, seq, role: x.role, op: x.op, exchange: redactedExchange(x, c.secrets) })}\n`);
    });
  }
  if (pending.length >= FLUSH_EVERY || pendingExchanges.length >= FLUSH_EVERY * 4) flushCaseRecords();
  else flushSoon();
  return result;
}

/**
 * No verdict from a server error (DESIGN rule 6): a 5xx answer to a request under test is a
 * failure wherever it occurs — throttling (503/429) never reaches here, it is retried and then an
 * `error` of its own. Set-up's and cleanup's answers are judged where they are made.
 */
function serverErrors(record: CaseRecord, check: Checks): void {
  for (const x of record.exchanges) {
    if ((x.role === 'when' || x.role === 'then') && x.response.status >= 500) {
      check.problems.push(`the target answered ${x.response.status}${codeOf(x.response) ? ` ${codeOf(x.response)}` : ''} to ${x.op ?? x.request.method} (a request under test); a server error is never a documented answer`);
      return;
    }
  }
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
