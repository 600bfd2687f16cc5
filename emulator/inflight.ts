// The bytes of request bodies `ovc serve` holds at once, bounded in total (issue 25 §4): each body
// is capped on its own (maxBodyBytes), but forty clients stalling 20 MiB bodies would still hold
// 800 MiB. A request reserves its declared Content-Length (a body without one — chunked — reserves
// the per-request cap) before anything is read, and gives it back when its response is done or its
// connection closes. A request that would take the total past the bound is refused at once with
// 503 ServiceUnavailable and Retry-After: 1, like a throttled one (clients retry it), and its body
// is never read. Requests without a body reserve nothing and are never refused here.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const DEFAULT_MAX_INFLIGHT_BODY_MB = 64;

export class InflightBodies {
  private held = 0;

  constructor(readonly maxBytes: number, private readonly perRequestCap: number) {}

  /** Bytes reserved now. */
  get bytes(): number { return this.held; }

  /** What a request will hold: its declared length, the per-request cap when chunked, 0 without a body. */
  reservationOf(req: IncomingMessage): number {
    const declared = req.headers['content-length'];
    if (declared !== undefined) {
      const n = Number(declared);
      return Number.isFinite(n) && n >= 0 ? Math.min(n, this.perRequestCap + 1) : 0;
    }
    return req.headers['transfer-encoding'] ? this.perRequestCap : 0;
  }

  /** Reserves the request's body; false when that would pass the bound. Released when `res` closes. */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const n = this.reservationOf(req);
    if (n === 0) return true;
    if (this.held + n > this.maxBytes) return false;
    this.held += n;
    let released = false;
    res.once('close', () => { if (!released) { released = true; this.held -= n; } });
    return true;
  }
}
