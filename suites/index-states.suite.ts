// Every state an index can be in when DeleteVectorIndex arrives — absent, deleted just before,
// `enable` (any dimension and metric, holding vectors or not), `creating`, `deleting`, bucket
// absent — is set up through the scenario layer (the provider-state hook, or the public API where
// it reaches the state, waited for until it holds), one delete is sent, and the answer must be the
// oracle's (D-DelIdx; spec §5, §12 U5). After a 204 the index must go (time-aware, rule 5).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { validIndexName } from '../generators/indexName.ts';
import { indexState, type IndexStateCase } from '../generators/indexState.ts';
import { expectedFor } from '../generators/oracle.ts';
import { request } from '../scenario/scenario.ts';
import { settleProblem } from '../scenario/settle.ts';
import { suiteContext, verdict } from './harness.ts';
import { expectOracle, oracleSpec, statesFor } from './common.ts';
import { propertyCases } from './property.ts';

const ctx = suiteContext();

interface StateCase { state: IndexStateCase; name: string | null }

describe('index states at delete time', () => {
  it('each generated state is answered as documented', { tags: ['index-states', 'property'] }, async (t) => {
    const { target, run } = ctx;
    // Against the embedded emulator the names span the whole valid space (1–63 characters, mixed
    // case); elsewhere each case gets its own run-prefixed name, so nothing foreign is touched.
    const name: fc.Arbitrary<string | null> = target.embedded ? validIndexName() : fc.constant(null);
    const results = await propertyCases<StateCase>(ctx, {
      salt: 'index-states',
      runs: Math.max(12, Math.min(60, Math.round(run.runs / 10))),
      arbitrary: fc.record({ state: indexState({ maxVectors: 20, maxDimension: 64 }), name }),
      // Generated names may repeat: one at a time against the embedded emulator; run-prefixed names are unique.
      concurrency: target.embedded ? 1 : run.pacing.concurrency,
      spec: (c, i) => oracleSpec(`delete-vector-index/index-states/${c.state.kind}#${i}`, c.state.labels, expectedFor(c.state.labels), { tags: 'index-states' }),
      run: async (c, check, s, i) => {
        const indexName = c.name ?? `${run.prefix}q${i === 'shrunk' ? 'x' : i.toString(36)}`;
        const bucket = c.state.kind === 'bucket-absent' ? run.absentBucket : target.bucket;
        await s.given(...statesFor(ctx, c.state, indexName))
          .when(request.op('DeleteVectorIndex', { indexName }, { bucket }))
          .expect(async (res, then) => {
            expectOracle(check, res, expectedFor(c.state.labels), run.strict);
            if (c.state.kind !== 'enable' || res.status !== 204) return;
            const gone = await then.awaitGone(indexName);
            check.that(!run.strict || gone.seen.length === 1, `--strict: the index must be gone at once, GetVectorIndex read ${gone.seen.join(' → ')}`);
            const problem = settleProblem('gone', gone, run.settleMs);
            if (problem) check.that(false, problem);
          })
          .run();
      },
    });
    verdict(results, t.skip);
  });
});
