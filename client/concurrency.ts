// How many suite workers and cases in flight a run uses (issue 18 item 1). Against the embedded
// emulator the run is CPU-bound: one worker per core less one (the emulator has the other), the
// default 8 cases in flight per property. Against an endpoint it is I/O-bound: the workers mostly
// wait on the round trip, so the figures follow the latency measured before the run — enough
// requests in flight to keep a steady pace through it (Little's law: in flight = rate × round
// trip), within --max-rps when given. The PutVectorIndex pace and the index budget are pooled
// between the workers (client/pacing.ts), so more workers never mean more than the run's limits;
// throttled answers narrow each worker's window (AIMD, client/pacing.ts).
import { loadavg } from 'node:os';
import type { TargetClient } from './client.ts';
import { DEFAULT_CONCURRENCY, type TargetSpec } from './config.ts';

export interface ConcurrencyFlags {
  /** --workers, when given. */
  workers?: number;
  /** --concurrency, when given. */
  concurrency?: number;
  /** --max-rps (0 = unlimited). */
  maxRps: number;
}

export interface ConcurrencyChoice { workers: number; concurrency: number; why: string }

/** The pace a remote run aims at without --max-rps (requests per second over the run). */
export const REMOTE_PACE_RPS = 400;
/** Bounds of the run's requests in flight against a remote target. */
export const REMOTE_IN_FLIGHT = { min: 8, max: 128 } as const;
/** At most this many suite workers (each costs a thread, its heap and its start-up CPU; suites are ~15 files). */
export const MAX_AUTO_WORKERS = 6;
/** A loopback target answering slower than this simulates a far region (its latency is not our CPU). */
export const LOCAL_SIMULATED_FAR_MS = 100;
/**
 * …unless the machine is this busy (1-minute load average per core): then its round trip is the load
 * (in a CI=true run of the project's tests one run measured 358 ms to an emulator on 127.0.0.1 and
 * started six worker threads, more of what was short). A quiet 2-core VM sits at 0.9–1.3 per core, the project's
 * CI run at 2.5–4.
 */
export const BUSY_LOAD_PER_CORE = 2;
/** Cases in flight per property by default (and the least chosen against a remote target): config's, the one source of defaults. */
export { DEFAULT_CONCURRENCY };

/**
 * Workers and per-property cases in flight for a target. `rttMs`: the median round trip measured
 * before the run (null: not measured, e.g. the embedded emulator). Flags given win.
 */
export function chooseConcurrency(target: Pick<TargetSpec, 'embedded'> & { endpoint?: string }, rttMs: number | null, cores: number, flags: ConcurrencyFlags, load = 0): ConcurrencyChoice {
  const byCores = Math.max(1, cores - 1);
  // A target on this machine shares its CPU: the run is CPU-bound as against the embedded emulator
  // (and a round trip inflated by that load would only ask for more of what is short) — unless its
  // round trip is a far region's, as `ovc serve --latency-ms` makes it for the far-region bench, on
  // a machine with CPU to spare.
  const slow = rttMs !== null && rttMs >= LOCAL_SIMULATED_FAR_MS;
  const busy = slow && load >= BUSY_LOAD_PER_CORE * cores;
  const local = !target.embedded && target.endpoint !== undefined && isLoopback(target.endpoint) && (!slow || busy);
  if (target.embedded || local || rttMs === null) {
    const where = busy ? `a target on this machine, busy (round trip ${Math.round(rttMs!)} ms, load ${load.toFixed(1)} on ${cores} cores)` : 'a target on this machine';
    return { workers: flags.workers ?? byCores, concurrency: flags.concurrency ?? DEFAULT_CONCURRENCY, why: `${target.embedded ? 'embedded emulator' : local ? where : 'round trip unknown'}: by cores` };
  }
  const rate = flags.maxRps > 0 ? flags.maxRps : REMOTE_PACE_RPS;
  const inFlight = Math.min(REMOTE_IN_FLIGHT.max, Math.max(REMOTE_IN_FLIGHT.min, Math.ceil((rate * rttMs) / 1000)));
  const workers = flags.workers ?? Math.min(MAX_AUTO_WORKERS, Math.max(byCores, Math.ceil(inFlight / 16)));
  // A worker runs a property about half of the run (the rest: set-up, transitions, small suites),
  // so each property may have twice its even share in flight; throttling narrows it (AIMD).
  const concurrency = flags.concurrency ?? Math.min(256, Math.max(DEFAULT_CONCURRENCY, Math.ceil((2 * inFlight) / workers)));
  return { workers, concurrency, why: `round trip ${Math.round(rttMs)} ms × ${rate} req/s${flags.maxRps > 0 ? ' (--max-rps)' : ''} ≈ ${inFlight} in flight` };
}

/** Whether an endpoint is on this machine (loopback address or a `localhost` name). */
export function isLoopback(endpoint: string): boolean {
  let host: string;
  try { host = new URL(endpoint).hostname.replace(/^\[|\]$/g, ''); } catch { return false; }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The median round trip of a few cheap requests sent together (ListVectorIndexes, one result). It
 * runs after the preflight, whose requests sent together opened the connections these reuse (their
 * TCP/TLS set-up is not the round trip); `warm` sends one first when nothing has. A sample is the
 * answered attempt's own time on the wire: a throttled answer's retries and their backoff are the
 * target's pace, not its distance (timed whole, a loopback target that answered 503 first looked
 * like a far region and got six workers), and a sample that never got past the throttle counts as
 * none.
 */
export async function measureRtt(client: TargetClient, bucket: string, samples = 3, warm = false): Promise<number | null> {
  if (warm) await client.op('ListVectorIndexes', { maxResults: 1 }, { bucket }).catch(() => undefined);
  const ms = await Promise.all(Array.from({ length: samples }, async () => {
    try {
      return (await client.opExchange('ListVectorIndexes', { maxResults: 1 }, { bucket })).durationMs;
    } catch { return null; }
  }));
  const ok = ms.filter((x): x is number => x !== null).sort((a, b) => a - b);
  return ok.length ? ok[Math.floor((ok.length - 1) / 2)]! : null;
}

/**
 * The run's workers and cases in flight for its target (after preflight, before the suites start):
 * measures the round trip of a remote target and applies `chooseConcurrency`. Returns the figures
 * (the run's settings are built from them once) and the line `ovc run` logs.
 */
export async function fitToTarget(client: TargetClient, target: TargetSpec, flags: ConcurrencyFlags, cores: number, load = loadavg()[0]!): Promise<{ workers: number; concurrency: number; line: string }> {
  const rtt = target.embedded ? null : await measureRtt(client, target.bucket);
  const c = chooseConcurrency(target, rtt, cores, flags, load);
  return { workers: c.workers, concurrency: c.concurrency, line: `ovc: ${c.workers} worker(s), ${c.concurrency} case(s) in flight per property (${c.why})` };
}
