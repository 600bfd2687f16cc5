// Provider verification: replays a pact file against a target with Pact's Verifier. Every replayed
// request is rewritten at send time by the request filter: bucket and index names mapped to the
// run's, V4-signed with the configured identity (unsigned interactions stay unsigned), Content-MD5
// recomputed, addressed path-style or virtual-hosted. Provider states go through the target's
// state hook when there is one, else through the public API on run-prefixed indexes; states the
// public API cannot reach are reported as skipped, never passed.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { INDEX_NAME_MAX } from '../contracts/limits.ts';
import { STATES, type StateName, type StateParams } from '../contracts/provider-states.ts';
import type { Addressing } from '../protocol/addressing.ts';
import { contentMd5 } from '../protocol/md5.ts';
import type { Credentials } from '../protocol/signer.ts';
import { IndexBudget } from '../scenario/budget.ts';
import { Pacer, TargetClient, type WireRequest } from '../client/client.ts';
import { cleanup } from '../scenario/cleanup.ts';
import { runSpec, targetSpec } from '../client/config.ts';
import { closeTransport, TransportError } from '../client/http.ts';
import { Ledger } from '../scenario/ledger.ts';
import { fromProviderState, setUp, tracker, type Provisioned } from '../scenario/states.ts';
import { StateHook } from '../scenario/stateHook.ts';
import { needsStateHook } from './interactions.ts';

process.env.PACT_DO_NOT_TRACK = 'true';

export const NEEDS_HOOK = 'needs a provider-state hook';

/** Marker of answers the filter made up itself (setup failed, target unreachable): never a pass. */
const OVC_ERROR_STATUS = 599;

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
  /** Bound on `creating`/`deleting` while states are set up (default 60000; embedded 0). */
  settleMs?: number;
}

export type InteractionOutcome = 'pass' | 'fail' | 'skip' | 'error';

export interface InteractionResult {
  description: string;
  outcome: InteractionOutcome;
  /** Why it was skipped or errored. */
  reason: string | null;
  /** The verifier's mismatch text for a failure. */
  mismatches: string[];
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

interface PactJson {
  consumer?: { name?: string };
  provider?: { name?: string };
  interactions?: Array<{ description: string; providerStates?: Array<{ name: string; params?: Record<string, unknown> }> }>;
  metadata?: { pactSpecification?: { version?: string } };
}

export function isUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

/** Fetches a pact from a broker URL (bearer token from $PACT_BROKER_TOKEN) into a local file. */
export async function fetchPact(url: string, file: string): Promise<string> {
  const token = process.env.PACT_BROKER_TOKEN || undefined;
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/hal+json, application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, signal: AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new Error(`cannot fetch the pact at ${url}: ${(e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`cannot fetch the pact at ${url}: HTTP ${res.status}`);
  writeFileSync(file, text);
  return file;
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Maps the pact's names onto the run's: run-prefixed indexes, the target bucket, an absent bucket. */
export class NameMap {
  readonly indexes = new Map<string, string>();
  /** The pact bucket → the target bucket; switched to `absentBucket` by 'no vector bucket exists'. */
  readonly buckets = new Map<string, string>();
  constructor(readonly prefix: string, readonly targetBucket: string, readonly absentBucket: string) {}

  index(name: string): string {
    let mapped = this.indexes.get(name);
    if (!mapped) {
      mapped = `${this.prefix}${name}`.slice(0, INDEX_NAME_MAX);
      this.indexes.set(name, mapped);
    }
    return mapped;
  }

  bucket(name: string | undefined): string {
    return (name !== undefined ? this.buckets.get(name) : undefined) ?? this.targetBucket;
  }
}

const SIGNING_HEADERS = new Set(['authorization', 'x-oss-date', 'x-oss-content-sha256', 'date', 'x-oss-security-token']);
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'expect', 'accept-encoding']);

type FilterRequest = IncomingMessage & { body?: unknown; originalUrl?: string };

/** The body bytes Pact's proxy parsed (JSON bodies arrive as objects, others as Buffers). */
function bodyBytes(req: FilterRequest): Buffer {
  const b = req.body;
  if (b === undefined || b === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(b)) return b;
  if (typeof b === 'object') return Object.keys(b).length === 0 && !/json/i.test(String(req.headers['content-type'] ?? '')) ? Buffer.alloc(0) : Buffer.from(JSON.stringify(b));
  return Buffer.from(String(b));
}

/** Replaces pact index names in a JSON body by the run's names. */
export function substituteBody(body: Buffer, names: NameMap): Buffer {
  if (body.length === 0) return body;
  let parsed: unknown;
  try { parsed = JSON.parse(body.toString('utf8')); } catch { return body; }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body;
  const o = parsed as Record<string, unknown>;
  if (typeof o.indexName !== 'string') return body;
  const known = names.indexes.get(o.indexName) ?? ([...names.indexes.values()].includes(o.indexName) ? o.indexName : undefined);
  if (known === undefined || known === o.indexName) return body;
  return Buffer.from(JSON.stringify({ ...o, indexName: known }));
}

/** The interactions of a pact file, and which ones cannot be verified without a state hook. */
export function readPact(file: string): { pact: PactJson; needsHook: string[] } {
  let pact: PactJson;
  try { pact = JSON.parse(readFileSync(file, 'utf8')) as PactJson; } catch (e) { throw new Error(`cannot read pact file ${file}: ${(e as Error).message}`); }
  if (!Array.isArray(pact.interactions)) throw new Error(`${file} is not a pact file (no interactions)`);
  return { pact, needsHook: pact.interactions.filter((i) => needsStateHook(i.providerStates ?? [])).map((i) => i.description) };
}

interface VerifierResultJson {
  result?: boolean;
  errors?: Array<{ interaction?: string; mismatch?: { type?: string; message?: string; mismatches?: Array<{ type?: string; description?: string; mismatch?: string; path?: string; key?: string; expected?: unknown; actual?: unknown }> } }>;
  pendingErrors?: unknown[];
  interactionResults?: Array<{ description?: string; result?: string }>;
  output?: string[];
}

function mismatchLines(e: NonNullable<VerifierResultJson['errors']>[number]): string[] {
  const m = e.mismatch;
  if (!m) return ['(no detail)'];
  const lines = (m.mismatches ?? []).map((x) => x.mismatch ?? x.description ?? JSON.stringify(x));
  if (m.message) lines.unshift(m.message);
  return lines.length ? lines : [JSON.stringify(m)];
}

/** Verifies one pact file against one target. Never throws for target behaviour: see exitCode. */
export async function verifyPact(o: VerifyOptions): Promise<VerifyReport> {
  const log = o.log ?? ((s: string) => { process.stderr.write(`${s}\n`); });
  const targetName = o.targetName ?? o.endpoint;
  const work = mkdtempSync(join(tmpdir(), 'ovc-pact-verify-'));
  const fromBroker = isUrl(o.pactFile);
  const localPact = fromBroker ? await fetchPact(o.pactFile, join(work, 'broker-pact.json')) : o.pactFile;
  const pactSha256 = sha256File(localPact);
  const { pact, needsHook } = readPact(localPact);
  const target = targetSpec({
    endpoint: o.endpoint, region: o.region, bucket: o.bucket, accountId: o.accountId, addressing: o.addressing,
    stateHook: o.stateHook, embedded: o.embedded ?? false, name: targetName, timeoutMs: o.timeoutMs,
  });
  const run = runSpec(target, { outDir: work, workDir: work, runs: 1, seed: 0, settleMs: o.settleMs });
  const { prefix } = run;
  const ledger = new Ledger(work, prefix);
  const base = new TargetClient(target, { main: o.credentials, denied: null }, new Pacer(run.pacing));
  const budget = new IndexBudget(run.maxIndexes, base, run.settleMs);
  const client = base.observed(tracker({ ledger, budget, run }));
  const config = { absentBucket: run.absentBucket };
  const names = new NameMap(prefix, o.bucket, config.absentBucket);
  const hook = o.stateHook ? new StateHook(o.stateHook) : null;
  /** The states set up for the interaction under way, torn down after it. */
  const provisioned: Provisioned[] = [];

  // Interactions the public API cannot set up are left out of the replay and reported as skipped.
  const skipped = hook ? [] : needsHook;
  if (o.publishResults && (!fromBroker || skipped.length)) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(!fromBroker
      ? 'publishing verification results needs the pact from a Pact Broker: pass its URL (--pact https://broker/pacts/provider/…/consumer/…/version/…), not a file'
      : `publishing verification results needs every interaction verified; ${skipped.length} need a provider-state hook (--state-hook)`);
  }
  let pactToRun = o.pactFile;
  if (skipped.length) {
    const copy = { ...pact, interactions: pact.interactions!.filter((i) => !skipped.includes(i.description)) };
    pactToRun = join(work, basename(localPact));
    writeFileSync(pactToRun, JSON.stringify(copy));
  }

  // Setup problems of the interaction under way; its request is then answered with a 599 naming them.
  let setupProblems: string[] = [];
  let lastAction: 'setup' | 'teardown' = 'teardown';
  let unreachable: string | null = null;
  // The pact bucket of the interaction under way: a virtual-hosted pact path (`/`) names no bucket.
  let currentPactBucket: string | undefined;

  const mapParams = (state: StateName, params: Record<string, unknown> | undefined): StateParams => {
    const p = { ...(params ?? {}) } as StateParams & Record<string, unknown>;
    const pactBucket = typeof p.bucket === 'string' ? p.bucket : undefined;
    if (pactBucket !== undefined) currentPactBucket = pactBucket;
    if (state === STATES.noBucket) {
      // Never the target's bucket: a run-unique name that does not exist.
      if (pactBucket !== undefined) names.buckets.set(pactBucket, config.absentBucket);
      p.bucket = config.absentBucket;
    } else {
      if (pactBucket !== undefined) names.buckets.set(pactBucket, o.bucket);
      p.bucket = o.bucket;
    }
    if (typeof p.indexName === 'string') p.indexName = names.index(p.indexName);
    return p;
  };

  /** One implementation of provider states for every caller: scenario/states.ts (hook, or public API and waiting). */
  const viaScenario = async (action: 'setup' | 'teardown', state: StateName, p: StateParams): Promise<void> => {
    if (action === 'teardown') {
      for (const m of provisioned.splice(0).reverse()) {
        const problem = await m.teardown();
        if (problem) log(`ovc pact: teardown: ${problem}`);
      }
      return;
    }
    const s = fromProviderState(state, p);
    if (!s) throw new Error(`unknown provider state '${state}'`);
    provisioned.push(await setUp({ client: client.as('given'), hook, target, run, ledger, budget }, s));
  };

  const handlerFor = (state: StateName) => {
    const run = async (action: 'setup' | 'teardown', params: unknown): Promise<Record<string, unknown>> => {
      if (action === 'setup' && lastAction === 'teardown') { setupProblems = []; currentPactBucket = undefined; }
      lastAction = action;
      const p = mapParams(state, params as Record<string, unknown> | undefined);
      try {
        await viaScenario(action, state, p);
      } catch (e) {
        const msg = `${action} of '${state}' ${JSON.stringify(p)} failed: ${(e as Error).message}`;
        if (e instanceof TransportError) unreachable ??= (e as Error).message;
        if (action === 'setup') setupProblems.push(msg);
        else log(`ovc pact: ${msg}`);
      }
      // Values the pact's fromProviderState expressions read.
      const out: Record<string, unknown> = { bucket: p.bucket };
      if (p.indexName !== undefined) out.indexName = p.indexName;
      return out;
    };
    return { setup: (params?: unknown) => run('setup', params) as never, teardown: (params?: unknown) => run('teardown', params) as never };
  };

  const requestFilter = (req: FilterRequest, res: ServerResponse, next: () => void): void => {
    const url = req.originalUrl ?? req.url ?? '/';
    if (url.startsWith('/_pactSetup') || url.startsWith('/_messages')) { next(); return; }
    void replay(req, url).then((r) => {
      res.writeHead(r.status, r.headers);
      res.end(r.body);
    }, (e: unknown) => {
      res.writeHead(OVC_ERROR_STATUS, { 'content-type': 'text/plain' });
      res.end(`ovc: replay failed: ${(e as Error).message}`);
    });
  };

  const replay = async (req: FilterRequest, url: string): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
    if (setupProblems.length) {
      return { status: OVC_ERROR_STATUS, headers: { 'content-type': 'text/plain' }, body: Buffer.from(`ovc: provider state setup failed: ${setupProblems.join('; ')}`) };
    }
    const u = new URL(url, 'http://pact.invalid');
    const seg = /^\/([^/]+)\/?/.exec(u.pathname);
    const pactBucket = seg ? decodeURIComponent(seg[1]!) : currentPactBucket;
    const bucket = pactBucket ? names.bucket(pactBucket) : null;
    const body = substituteBody(bodyBytes(req), names);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      const lk = k.toLowerCase();
      if (v === undefined || HOP_HEADERS.has(lk) || SIGNING_HEADERS.has(lk)) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const md5Key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-md5');
    if (md5Key) headers[md5Key] = contentMd5(body);
    const wire: WireRequest = { method: req.method ?? 'GET', query: u.search.replace(/^\?/, ''), headers, body, bucket };
    const signed = req.headers.authorization !== undefined;
    try {
      const answer = await client.send(signed ? client.sign(wire) : wire);
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (!HOP_HEADERS.has(k)) out[k] = v;
      out['content-length'] = String(answer.body.length);
      return { status: answer.status, headers: out, body: answer.body };
    } catch (e) {
      if (e instanceof TransportError) unreachable ??= e.message;
      throw e;
    }
  };

  const stateHandlers: Record<string, ReturnType<typeof handlerFor>> = {};
  for (const s of Object.values(STATES)) stateHandlers[s] = handlerFor(s);

  const results: InteractionResult[] = [];
  let raw: VerifierResultJson | null = null;
  let crash: string | null = null;
  let cleanupFailures: string[] = [];
  // pact-core adds "every pact of this provider in the broker" as a source whenever
  // $PACT_BROKER_BASE_URL is set; the pact to verify is exactly the one given, so the variable is
  // kept from the verifier for the run (the token stays: it authenticates a broker pact URL).
  const brokerBase = process.env.PACT_BROKER_BASE_URL;
  delete process.env.PACT_BROKER_BASE_URL;
  try {
    const { Verifier } = await import('@pact-foundation/pact');
    const verifier = new Verifier({
      provider: pact.provider?.name ?? 'oss-vectors',
      providerBaseUrl: o.endpoint,
      pactUrls: [pactToRun],
      stateHandlers: stateHandlers as never,
      requestFilter: requestFilter as never,
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
    try {
      raw = parseVerifierJson(await verifier.verifyProvider());
    } catch (e) {
      raw = parseVerifierJson((e as Error).message);
      if (!raw) crash = (e as Error).message;
    }
  } finally {
    if (brokerBase !== undefined) process.env.PACT_BROKER_BASE_URL = brokerBase;
    const report = await cleanup(client, ledger, run.settleMs, hook).catch((e: unknown) => ({ deleted: 0, failures: [(e as Error).message] }));
    await closeTransport();
    rmSync(work, { recursive: true, force: true });
    results.push(...classify(pact, skipped, raw));
    cleanupFailures = report.failures;
  }
  let exitCode: 0 | 1 | 2 = results.some((r) => r.outcome === 'fail') ? 1 : 0;
  if (unreachable || crash || results.some((r) => r.outcome === 'error')) exitCode = results.some((r) => r.outcome === 'fail') ? 1 : 2;
  if (unreachable && !results.some((r) => r.outcome === 'pass')) exitCode = 2;
  const summary = render(targetName, o.pactFile, results, unreachable ?? crash, cleanupFailures);
  return { exitCode, pactFile: o.pactFile, pactSha256, target: targetName, results, summary, cleanupFailures };
}

function parseVerifierJson(text: unknown): VerifierResultJson | null {
  if (typeof text !== 'string') return null;
  try {
    const v = JSON.parse(text) as VerifierResultJson;
    return v && typeof v === 'object' ? v : null;
  } catch { return null; }
}

function classify(pact: PactJson, skipped: string[], raw: VerifierResultJson | null): InteractionResult[] {
  const errors = raw?.errors ?? [];
  return (pact.interactions ?? []).map((i): InteractionResult => {
    if (skipped.includes(i.description)) return { description: i.description, outcome: 'skip', reason: NEEDS_HOOK, mismatches: [] };
    if (!raw) return { description: i.description, outcome: 'error', reason: 'the verifier did not run', mismatches: [] };
    const errs = errors.filter((e) => e.interaction === i.description || e.interaction?.endsWith(` - ${i.description}`));
    const verdict = raw.interactionResults?.find((r) => r.description === i.description)?.result;
    if (verdict === undefined && !errs.length) return { description: i.description, outcome: 'error', reason: 'the verifier did not report this interaction', mismatches: [] };
    if (!errs.length && verdict === 'OK') return { description: i.description, outcome: 'pass', reason: null, mismatches: [] };
    const mismatches = errs.length ? errs.flatMap(mismatchLines) : [`verifier result: ${verdict}`];
    const ovcError = mismatches.find((m) => m.includes('ovc: '));
    if (ovcError || JSON.stringify(errs).includes(String(OVC_ERROR_STATUS))) {
      const text = JSON.stringify(errs);
      const m = /ovc: [^"\\]*/.exec(text);
      return { description: i.description, outcome: 'error', reason: m ? m[0] : 'the request could not be replayed', mismatches };
    }
    return { description: i.description, outcome: 'fail', reason: null, mismatches };
  });
}

function render(target: string, file: string, results: InteractionResult[], problem: string | null, cleanupFailures: string[]): string {
  const mark = { pass: '✓', fail: '✗', skip: '-', error: '!' } as const;
  const lines = [`ovc pact verify: ${basename(file)} against ${target}`];
  for (const r of results) {
    lines.push(`  ${mark[r.outcome]} ${r.description}${r.outcome === 'skip' || r.outcome === 'error' ? ` (${r.outcome}: ${r.reason})` : ''}`);
    if (r.outcome === 'fail') for (const m of r.mismatches) lines.push(`      ${m.replace(/\n/g, '\n      ')}`);
  }
  const n = (k: InteractionOutcome): number => results.filter((r) => r.outcome === k).length;
  lines.push(`${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped, ${n('error')} errors`);
  const failed = results.filter((r) => r.outcome === 'fail');
  if (failed.length) lines.push(`FAILED: ${failed.map((r) => `"${r.description}"`).join(', ')}`);
  if (problem) lines.push(`problem: ${problem}`);
  if (cleanupFailures.length) lines.push(`cleanup could not delete: ${cleanupFailures.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

/** Writes a report as JSON (for CI artifacts). */
export function writeReport(file: string, report: VerifyReport): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...report, summary: undefined }, null, 2)}\n`);
}
