// The scenario layer's type-state: given → when → expect → run, in that order only. The lines
// marked @ts-expect-error must NOT compile (the type check of `npm test` fails if one does), and
// the scenario sets states up before the request and tears them down after it.
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.ts';
import { IndexBudget } from '../../safety/budget.ts';
import { TargetClient } from '../../client/client.ts';
import { runSpec, targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { Ledger } from '../../safety/ledger.ts';
import { CaseRecord, request, Scenario, type ScenarioEnv } from '../../scenario/scenario.ts';
import { tracker } from '../../scenario/states.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function wrongOrders(s: Scenario): void {
  // @ts-expect-error: no expectation before a request
  s.expect(() => undefined);
  // @ts-expect-error: nothing to run before an expectation
  void s.given({ state: 'no-index', indexName: 'a' }).run();
  // @ts-expect-error: no state after the request
  s.when(request.op('GetVectorBucket')).given({ state: 'no-index', indexName: 'a' });
  // @ts-expect-error: nothing to run before an expectation
  void s.when(request.op('GetVectorBucket')).run();
}

describe('scenario order', () => {
  it('given → when → expect → run: states before the request, teardown after, each exchange recorded with its role', async () => {
    void wrongOrders;
    const key = { accessKeyId: 'order-key', accessKeySecret: 'order-secret-value' };
    const emu = await startEmulator({ identities: [key], stateHook: false });
    try {
      const target = targetSpec({ endpoint: emu.url, bucket: 'ovc-conformance' });
      const work = mkdtempSync(join(tmpdir(), 'ovc-order-'));
      // A run id of the run shape, and the client observed by the run's tracker (as the suites' is):
      // the set-up's create lands in the ledger, which proves the teardown's delete (safety/deleteGate.ts).
      const run = runSpec(target, { runId: 'htrorder1', outDir: work, workDir: work });
      const base = new TargetClient(target, { main: key, denied: null });
      const ledger = new Ledger(work, run.prefix);
      const budget = new IndexBudget(5, base, run.settleMs);
      const client = base.observed(tracker({ ledger, budget, run }));
      const env: ScenarioEnv = { client, hook: null, target, run, ledger, budget };
      const record = new CaseRecord();
      const name = `${run.prefix}a`;
      let seenInExpect: string[] = [];
      await new Scenario(env, record)
        .given({ state: 'index', indexName: name })
        .when(request.op('GetVectorIndex', { indexName: name }))
        .expect((res) => {
          expect(res.status).toBe(200);
          seenInExpect = record.exchanges.map((x) => `${x.role}:${x.op}`);
        })
        .run();
      expect(seenInExpect).toEqual(['given:PutVectorIndex', 'given:GetVectorIndex', 'when:GetVectorIndex']);
      // Torn down afterwards (cleanup role), and gone.
      expect(record.exchanges.slice(3).map((x) => `${x.role}:${x.op}`)).toEqual(['cleanup:DeleteVectorIndex']);
      expect((await client.op('GetVectorIndex', { indexName: name })).status).toBe(404);
      expect(record.evidence()?.role).toBe('when');
    } finally {
      await closeTransport();
      await emu.close();
    }
  });
});
