// What a case leaves behind: its record (one results.jsonl line) and, for a recorded run, its
// exchanges — batched, redacted, bodies cut — written to the work folder's worker channel.
import { threadId } from 'node:worker_threads';
import type { Exchange } from '../reports/model.ts';
import { redactHeaders } from '../reports/redact.ts';
import type { SentExchange } from '../client/client.ts';
import { EVIDENCE_RUN_BYTES, EvidenceBudget } from './evidence.ts';
import { WorkerChannel, type WorkerStats } from './workfolder.ts';

// Case records reach `ovc run` through the work folder (run/workfolder.ts), in batches (one
// synchronous append per case cost ~5 % of the property phase): every test's verdict flushes, and
// so does a timer twice a second, so a stopped run loses at most half a second of finished cases.
const pending: string[] = [];
const pendingExchanges: string[] = [];
const FLUSH_EVERY = 256;
let channel: WorkerChannel | null = null;
let flushTimer: NodeJS.Timeout | null = null;

/** What the recorder needs of its worker: bound once, when the worker's context is built (suites/context.ts). */
export interface RecorderSource {
  workDir: string;
  workers: number;
  /** The worker's pacing counters and budget peak, summed by the run into its summary. */
  stats(): Omit<WorkerStats, 'evidenceNotKept'>;
}
let source: RecorderSource | null = null;

/** Binds the recorder to its worker (a new binding starts a new channel and evidence share). */
export function bindRecorder(s: RecorderSource): void {
  if (source && (pending.length > 0 || pendingExchanges.length > 0)) flushCaseRecords();
  source = s;
  channel = null;
  budget = null;
}

export function flushCaseRecords(): void {
  if (!source) return;
  channel ??= new WorkerChannel(source.workDir, process.pid, threadId);
  channel.appendCases(pending);
  pending.length = 0;
  channel.appendExchanges(pendingExchanges);
  pendingExchanges.length = 0;
  channel.writeStats({ ...source.stats(), evidenceNotKept: { ...evidence().notKept } });
}

function flushSoon(): void {
  flushTimer ??= setInterval(flushOnTimer, 500);
  flushTimer.unref();
}

/** The timer's flush: a work folder that is gone means its run is over (its parent removed it), not an error of this worker. */
function flushOnTimer(): void {
  try {
    flushCaseRecords();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    pending.length = 0;
    pendingExchanges.length = 0;
  }
}

export { EVIDENCE_BODY_BYTES } from './evidence.ts';

/** This worker's share of the run's evidence bound (run/evidence.ts). */
let budget: EvidenceBudget | null = null;
/** A recording (--record) keeps every exchange for replay: each body cut, no run total. */
const recording = new EvidenceBudget(Infinity);
function evidence(): EvidenceBudget {
  budget ??= new EvidenceBudget(Math.floor(EVIDENCE_RUN_BYTES / Math.max(1, source?.workers ?? 1)));
  return budget;
}

/**
 * One exchange as reports keep it: secrets redacted, bodies as text or base64, cut past
 * EVIDENCE_BODY_BYTES, and — as a case's evidence, not a recording's exchange — replaced by a note
 * once the worker's share of the run's bound is spent.
 */
export function redactedExchange(x: SentExchange, secrets: readonly string[], as: 'evidence' | 'recording' = 'evidence'): Exchange {
  const keeper = as === 'evidence' ? evidence() : recording;
  const evidenceBody = (b: Buffer, whole?: number): ReturnType<EvidenceBudget['keep']> => keeper.keep(b, whole);
  const hdrs = (h: Record<string, string>): Record<string, string> => redactHeaders(h, secrets);
  return {
    request: { method: x.request.method, url: x.request.url, headers: hdrs(x.request.sentHeaders), ...evidenceBody(x.request.body) },
    response: { status: x.response.status, headers: hdrs(x.response.headers), ...evidenceBody(x.response.body, x.response.bodyBytes) },
    startedAt: new Date(x.startedAt).toISOString(),
    durationMs: Math.round(x.durationMs * 100) / 100,
  };
}


/** Queues a case's record and, when the run records, its exchanges (already serialised). */
export function recordCase(line: string, exchanges: readonly string[]): void {
  pending.push(line);
  pendingExchanges.push(...exchanges);
  if (pending.length >= FLUSH_EVERY || pendingExchanges.length >= FLUSH_EVERY * 4) flushCaseRecords();
  else flushSoon();
}
