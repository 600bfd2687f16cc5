// The bound on what a run keeps as evidence (issue 25 §4). Each body an exchange carries into the
// reports is cut at EVIDENCE_BODY_BYTES; and all the bodies a run keeps together are bounded by
// EVIDENCE_RUN_BYTES, counted as the characters they take in results.jsonl (base64 or escaped text).
// Past it a body is replaced by a one-line note and counted, so the run can say "12 more bodies,
// 9.8 MiB, not kept". Workers are threads that share nothing: each keeps its share of the run's
// bound (as the index budget is shared out), so the run as a whole never keeps more.
// Trimming happens after a case is judged: it changes what is kept, never the verdict.
import { EVIDENCE_BODY_BYTES, EVIDENCE_RUN_BYTES, mib, type EvidenceNotKept } from '../reports/evidence.ts';

export { EVIDENCE_BODY_BYTES, EVIDENCE_RUN_BYTES, type EvidenceNotKept };

export interface KeptBody { body: string; bodyEncoding: 'utf8' | 'base64' }

const isText = (b: Buffer): boolean => Buffer.from(b.toString('utf8'), 'utf8').equals(b);


/** Characters a kept body takes in a JSON line (quotes and escapes included). */
const serialisedLength = (k: KeptBody): number => (k.bodyEncoding === 'base64' ? k.body.length + 2 : JSON.stringify(k.body).length);

export class EvidenceBudget {
  private spent = 0;
  readonly notKept: EvidenceNotKept = { bodies: 0, bytes: 0 };

  /** `limit`: this worker's share of the run's bound. */
  constructor(readonly limit: number, readonly perBody = EVIDENCE_BODY_BYTES) {}

  /** The body as evidence: its first `perBody` bytes as text or base64, or a note once the bound is spent. */
  /** `whole`: the body's length when `b` is already only its first bytes. */
  keep(b: Buffer, whole = b.length): KeptBody {
    if (b.length > 0 && this.spent >= this.limit) return this.drop(whole);
    const cut = b.length > this.perBody ? b.subarray(0, this.perBody) : b;
    const note = whole > cut.length ? `… [${whole - cut.length} more bytes not kept]` : '';
    const kept: KeptBody = isText(cut) ? { body: `${cut.toString('utf8')}${note}`, bodyEncoding: 'utf8' } : { body: cut.toString('base64'), bodyEncoding: 'base64' };
    if (b.length === 0) return kept;
    const size = serialisedLength(kept);
    if (this.spent + size > this.limit) return this.drop(whole);
    this.spent += size;
    return kept;
  }

  private drop(whole: number): KeptBody {
    this.notKept.bodies++;
    this.notKept.bytes += whole;
    return { body: `[body of ${whole} bytes not kept: the run's evidence bound of ${mib(EVIDENCE_RUN_BYTES)} was spent]`, bodyEncoding: 'utf8' };
  }
}
