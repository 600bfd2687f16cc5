// What a case leaves behind: its record (one results.jsonl line) and, for a recorded run, its
// exchanges — batched, redacted, bodies cut — written to the work folder's worker channel.
import { threadId } from 'node:worker_threads';
import type { Exchange } from '../reports/model.ts';
import { redactHeaders } from '../reports/redact.ts';
import type { SentExchange } from '../client/client.ts';
import { context } from '../suites/context.ts';
import { WorkerChannel } from './workfolder.ts';

// Case records reach `ovc run` through the work folder (run/workfolder.ts), in batches (one
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


/** Queues a case's record and, when the run records, its exchanges (already serialised). */
export function recordCase(line: string, exchanges: readonly string[]): void {
  pending.push(line);
  pendingExchanges.push(...exchanges);
  if (pending.length >= FLUSH_EVERY || pendingExchanges.length >= FLUSH_EVERY * 4) flushCaseRecords();
  else flushSoon();
}
