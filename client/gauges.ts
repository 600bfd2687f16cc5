// The run's traffic gauges: how many requests left this process — counted as their headers are
// written (undici's `undici:client:sendHeaders` diagnostics channel), so every request is counted
// once, the hook's, the throttle retries and the transport retries included, and none that never
// left — and whether the target still gives answers a case can be judged on (anything but a
// throttled 503/429, a timeout or a failed connection). In a suite child the gauges are one
// SharedArrayBuffer all its worker threads write (run/child.ts creates it and hands it over with
// setEnvironmentData before vitest starts), so the child reads the run's totals at any moment and
// can hold every worker's next request; elsewhere (the parent, the tests) they are the process's own.
import { subscribe } from 'node:diagnostics_channel';
import { getEnvironmentData } from 'node:worker_threads';

export const GAUGES_KEY = 'ovc:traffic-gauges';

/** BigInt64 slots. */
const SENT = 0;
const LAST_JUDGEABLE_AT = 1;
const UNJUDGEABLE_SINCE = 2;
const LAST_UNJUDGEABLE_AT = 3;
const HELD = 4;
const SLOTS = 5;

export class TrafficGauges {
  private readonly v: BigInt64Array;
  constructor(readonly mem: SharedArrayBuffer = new SharedArrayBuffer(SLOTS * 8), now = Date.now()) {
    this.v = new BigInt64Array(mem);
    // A stretch without judgeable answers is measured from the gauges' start at the earliest.
    Atomics.compareExchange(this.v, LAST_JUDGEABLE_AT, 0n, BigInt(now));
  }

  /** Requests whose headers left this process (all its threads, when shared). */
  get sent(): number { return Number(Atomics.load(this.v, SENT)); }

  countSent(): void { Atomics.add(this.v, SENT, 1n); }

  /** One answer of the target (or its absence): judgeable unless throttled, timed out or unconnected. */
  answered(judgeable: boolean, now = Date.now()): void {
    if (judgeable) {
      Atomics.store(this.v, LAST_JUDGEABLE_AT, BigInt(now));
      Atomics.store(this.v, UNJUDGEABLE_SINCE, 0n);
    } else {
      Atomics.add(this.v, UNJUDGEABLE_SINCE, 1n);
      Atomics.store(this.v, LAST_UNJUDGEABLE_AT, BigInt(now));
    }
  }

  /** Epoch ms of the last answer that could not be judged (0: none yet). */
  get lastUnjudgeableAt(): number { return Number(Atomics.load(this.v, LAST_UNJUDGEABLE_AT)); }

  /** The current stretch without a judgeable answer: how long, and how many unjudgeable answers in it. */
  stretch(now = Date.now()): { ms: number; answers: number } {
    return { ms: now - Number(Atomics.load(this.v, LAST_JUDGEABLE_AT)), answers: Number(Atomics.load(this.v, UNJUDGEABLE_SINCE)) };
  }

  /** From now on no new request leaves (the run is stopping; the process ends in a moment). */
  hold(): void { Atomics.store(this.v, HELD, 1n); }
  get held(): boolean { return Atomics.load(this.v, HELD) === 1n; }
}

let gauges: TrafficGauges | null = null;

/** This thread's gauges: the suite child's shared ones when it handed them over, else the process's own. */
export function trafficGauges(): TrafficGauges {
  if (gauges) return gauges;
  let mem: unknown;
  try { mem = getEnvironmentData(GAUGES_KEY); } catch { mem = undefined; }
  gauges = new TrafficGauges(mem instanceof SharedArrayBuffer && mem.byteLength === SLOTS * 8 ? mem : undefined);
  const g = gauges;
  subscribe('undici:client:sendHeaders', () => g.countSent());
  return gauges;
}

/** Fresh shared gauges for a suite child's workers (set as environment data before they start). */
export function newSharedGauges(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * 8);
}
