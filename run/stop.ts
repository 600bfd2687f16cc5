// How a run stops before its suites are done (docs/safety.md, "the time budget"): a signal
// (SIGINT, SIGTERM, SIGHUP), the end of the `ovc` command that started it (`ovc diff`'s IPC link),
// the run's deadline (--deadline), or the early stop — the target gave nothing but throttled answers
// or timeouts for a stretch. Every cause stops the suites the same way (an abort the runner
// forwards to the child), then the run cleans up and reports and exits 2. A second signal cuts the
// cleanup short (what is left stays in the ledger for the next run); a third exits at once.
import { trafficGauges } from '../client/gauges.ts';

/** The signals that stop a run (and `ovc sdk-test`). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export type StopCause =
  | { kind: 'signal'; signal: NodeJS.Signals }
  | { kind: 'deadline'; ms: number }
  | { kind: 'stall'; ms: number; answers: number };

export class RunStop {
  private readonly controller = new AbortController();
  private signals = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Why the run was stopped (the first cause), or null while it runs. */
  cause: StopCause | null = null;
  /** Epoch ms of the stop (0 while running). */
  stoppedAt = 0;
  /** Moved to now by a second signal: the cleanup reads it before each delete. */
  private cutAt = Infinity;

  /** `what` is what a stop ends first: a run's suites, `ovc pact verify`'s verification. */
  constructor(private readonly log: (line: string) => void, private readonly what = 'the suites') {}

  get signal(): AbortSignal { return this.controller.signal; }
  get stopped(): boolean { return this.cause !== null; }

  /** Listens for signals and for the end of a parent `ovc` command; arms the deadline, if any. */
  install(deadlineMs: number | null): void {
    for (const sig of STOP_SIGNALS) process.on(sig, this.onSignal);
    if (process.channel) { process.channel.unref(); process.once('disconnect', this.parentGone); }
    if (deadlineMs === null) return;
    this.timer = setTimeout(() => this.stop({ kind: 'deadline', ms: deadlineMs }), deadlineMs);
    this.timer.unref();
  }

  /** Why it was stopped, as the stop's line says it; null while running. */
  get reason(): string | null { return this.cause ? causeText(this.cause) : null; }

  uninstall(): void {
    for (const sig of STOP_SIGNALS) process.off(sig, this.onSignal);
    process.off('disconnect', this.parentGone);
    if (this.timer) clearTimeout(this.timer);
  }

  /** The first cause stops the suites; later ones only count as signals. */
  stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.stoppedAt = Date.now();
    this.log(`ovc: ${causeText(cause)}: stopping ${this.what}, then removing what the run created…`);
    this.controller.abort();
  }

  /**
   * When the cleanup must start nothing new: at once after a second signal; after a stop, from the
   * first answer that was throttled or late (such a target would hold the cleanup for minutes —
   * what is left stays in the ledger for the next run); otherwise never.
   */
  cleanupDeadline(): number {
    if (this.stopped && trafficGauges().lastUnjudgeableAt >= this.stoppedAt) return this.stoppedAt;
    return this.cutAt;
  }

  private readonly onSignal = (sig: NodeJS.Signals): void => {
    this.signals++;
    if (this.signals === 1 && !this.stopped) this.stop({ kind: 'signal', signal: sig });
    else if (this.cutAt === Infinity) { this.log(`ovc: ${sig} again: cleanup cut short; what is left stays in the ledger for the next run.`); this.cutAt = Date.now(); }
    else process.exit(2);
  };

  // Started by another ovc command with an IPC link (`ovc diff`): that command's end, however it
  // ends (kill -9 included), stops this run like a SIGTERM. Its stderr may be a pipe nobody reads
  // any more: writing there must not end the run first.
  private readonly parentGone = (): void => {
    process.stderr.on('error', () => undefined);
    process.stdout.on('error', () => undefined);
    if (this.signals === 0) this.onSignal('SIGTERM');
  };
}

function causeText(c: StopCause): string {
  switch (c.kind) {
    case 'signal': return c.signal;
    case 'deadline': return `the run's deadline (--deadline ${durationText(c.ms)}) has passed`;
    case 'stall': return `for ${Math.round(c.ms / 1000)} s the target gave nothing but throttled answers (503/429) or timeouts (${c.answers} in a row), so the run cannot judge it now`;
  }
}

/** `2h`, `30m`, `90s`, `1500ms`: a duration as --deadline takes it. */
export function durationText(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
