// What the state handlers learn about the interaction under way and the request replay reads.
// Pact calls the handlers (set-up of each state, the request, teardown of each state) in order and
// one interaction at a time, so one object describes the interaction under way.
import { TransportError } from '../../client/http.ts';

export class InteractionUnderWay {
  /** The pact bucket named by the states (a virtual-hosted pact path, `/`, names none). */
  pactBucket: string | undefined;
  private lastAction: 'setup' | 'teardown' = 'teardown';

  /** A state handler runs: the first set-up after a teardown begins the next interaction (true). */
  handlerCalled(action: 'setup' | 'teardown'): boolean {
    const begins = action === 'setup' && this.lastAction === 'teardown';
    if (begins) this.pactBucket = undefined;
    this.lastAction = action;
    return begins;
  }
}

/** The first transport error of the verification: the target could not be reached. */
export class Reachability {
  unreachable: string | null = null;

  /** Notes `e` if it is a transport error; returns it for rethrowing. */
  note(e: unknown): unknown {
    if (e instanceof TransportError) this.unreachable ??= e.message;
    return e;
  }
}
