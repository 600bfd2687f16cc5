// Client of the provider-state hook (docs/provider-states.md).
import type { StateName, StateParams } from '../contracts/provider-states.ts';
import type { TargetSpec } from '../client/config.ts';
import { send, type SendOptions } from '../client/http.ts';

export class StateHookError extends Error {}

export class StateHook {
  /** `o`: the run's --timeout-ms and --max-response-bytes bound the hook's answers like the target's. */
  constructor(readonly url: string, private readonly o: Pick<SendOptions, 'timeoutMs' | 'maxBytes'> = {}) {}

  async call(action: 'setup' | 'teardown', state: StateName, params: StateParams): Promise<Record<string, unknown>> {
    const u = new URL(this.url);
    const res = await send({
      origin: u.origin, method: 'POST', path: `${u.pathname}${u.search}`,
      headers: { 'content-type': 'application/json', host: u.host },
      body: Buffer.from(JSON.stringify({ action, state, params })),
    }, this.o);
    const text = res.body.toString('utf8');
    if (res.status !== 200) throw new StateHookError(`state hook ${action} '${state}' answered ${res.status}: ${text.slice(0, 200)}`);
    try { return JSON.parse(text || '{}') as Record<string, unknown>; } catch { return {}; }
  }

  setup(state: StateName, params: StateParams): Promise<Record<string, unknown>> { return this.call('setup', state, params); }
  teardown(state: StateName, params: StateParams): Promise<Record<string, unknown>> { return this.call('teardown', state, params); }
}

/** The target's hook, if it has one, bounded by the target's --timeout-ms and --max-response-bytes. */
export function stateHookOf(target: Pick<TargetSpec, 'stateHook' | 'timeoutMs' | 'maxResponseBytes'>): StateHook | null {
  return target.stateHook ? new StateHook(target.stateHook, { timeoutMs: target.timeoutMs, maxBytes: target.maxResponseBytes }) : null;
}
