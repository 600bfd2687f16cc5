// The lifecycle model: random command sequences (create, put vectors, delete, get, list, recreate)
// run against the target; every answer must equal the model's (D-DelIdx, D-PutIdx, D-GetIdx, D-ListIdx).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { lifecycleCommands, newModel, SEQUENCE_MAX_LIVE, sequencePrefix, sequencesInFlight, splitKey, type Answer, type LifecycleDriver } from '../generators/lifecycle.ts';
import type { OperationName } from '../contracts/operations.ts';
import { codeOf, type TargetClient, type WireResponse } from '../client/client.ts';
import { responseSchemaProblems } from '../client/schemas.ts';
import { awaitEnable, awaitGone, settleProblem } from '../scenario/settle.ts';
import type { CaseResult } from '../reports/model.ts';
import { createIndex, deleteIndex, runCase, sideBySide, Skip, suiteContext, verdict, vectorsFor } from './harness.ts';

const ctx = suiteContext();

const ROW = 'lifecycle model';
/** Time a disagreeing sequence may spend shrinking (replays included). */
const SHRINK_BUDGET_MS = 20_000;

function answer(res: WireResponse): Answer {
  return { httpStatus: res.status, code: codeOf(res) };
}

/** A 200 whose body breaks the operation's schema ends the sequence as a disagreement. */
function conforming(op: OperationName, res: WireResponse): WireResponse {
  const problems = responseSchemaProblems(op, res.json);
  if (res.status === 200 && problems.length > 0) throw new Error(problems.join('; '));
  return res;
}

/**
 * The driver over the target's public API; every name it creates is in the ledger. Time-aware
 * (rule 5): a create that answered 200 is waited for until `enable` and a delete that answered 204
 * until the index is gone — seeing only `creating`, resp. `deleting`, on the way, else the
 * sequence disagrees — so the model stays exact whatever the target's transition times.
 */
function targetDriver(prefix: string, client: TargetClient): LifecycleDriver {
  const { target, run } = ctx;
  // Keys name the bucket too (`name@2`: the other bucket).
  const at = (key: string): { name: string; bucket: string } => {
    const k = splitKey(key);
    return { name: k.name, bucket: k.bucket === 2 ? target.otherBucket! : target.bucket };
  };
  return {
    async createIndex(key, dimension) {
      const { name, bucket } = at(key);
      const res = await createIndex(ctx, name, dimension, bucket, client);
      if (res.status === 200) {
        const p = settleProblem('enable', await awaitEnable(client, bucket, name, run.settleMs), run.settleMs);
        if (p) throw new Error(`create(${key}): ${p}`);
      }
      return answer(res);
    },
    async putVectors(key, keys, dimension) {
      const { name, bucket } = at(key);
      return answer(await client.op('PutVectors', { indexName: name, vectors: vectorsFor(keys, dimension) }, { bucket }));
    },
    async deleteIndex(key) {
      const { name, bucket } = at(key);
      const res = await deleteIndex(name, bucket, client);
      if (res.status === 204) {
        const gone = await awaitGone(client, bucket, name, run.settleMs);
        const p = settleProblem('gone', gone, run.settleMs) ?? (run.strict && gone.seen.length > 1 ? `--strict: the index must be gone at once, read ${gone.seen.join(' → ')}` : null);
        if (p) throw new Error(`delete(${key}): ${p}`);
      }
      return answer(res);
    },
    async getIndex(key) {
      const { name, bucket } = at(key);
      const res = conforming('GetVectorIndex', await client.op('GetVectorIndex', { indexName: name }, { bucket }));
      return { ...answer(res), status: (res.json as { index?: { status?: string } } | undefined)?.index?.status };
    },
    async listIndexNames(which = 1) {
      const bucket = which === 2 ? target.otherBucket! : target.bucket;
      const names: string[] = [];
      let nextToken: string | undefined;
      let res: WireResponse;
      do {
        res = conforming('ListVectorIndexes', await client.op('ListVectorIndexes', { prefix, maxResults: 100, ...(nextToken ? { nextToken } : {}) }, { bucket }));
        if (res.status !== 200) return answer(res);
        const page = res.json as { indexes?: Array<{ indexName: string }>; nextToken?: string };
        names.push(...(page.indexes ?? []).map((i) => i.indexName));
        nextToken = page.nextToken || undefined;
      } while (nextToken);
      return { ...answer(res), names };
    },
    async listVectorKeys(key) {
      const { name, bucket } = at(key);
      const res = conforming('ListVectors', await client.op('ListVectors', { indexName: name, maxResults: 1000 }, { bucket }));
      return { ...answer(res), keys: (res.json as { vectors?: Array<{ key: string }> } | undefined)?.vectors?.map((v) => v.key) };
    },
  };
}

describe(ROW, () => {
  it('random command sequences agree with the model', { tags: ['lifecycle', 'property'] }, async (t) => {
    const sequences = Math.max(5, Math.min(50, Math.round(ctx.run.runs / 25)));
    const one = async (i: number): Promise<CaseResult> => {
      // Each sequence gets its own name pool, so sequences never see each other's indexes.
      const prefix = sequencePrefix(ctx.run.prefix, i);
      const seed = ctx.run.seed + i;
      return runCase(ctx, {
        id: `delete-vector-index/lifecycle/sequence#${i}`, response: ROW, labels: [], expected: null, tags: 'lifecycle',
        cites: 'D-DelIdx: an index deleted with all its vectors is gone (404, unlisted) and its name is reusable, empty.',
      }, async (check, s) => {
        const driver = targetDriver(prefix, s.client('when'));
        // Commands the target answered in the last run of the property (the cleanup's are not counted).
        let commands = 0;
        const counted = countingDriver(driver, () => { commands++; });
        // Names that extend each other always; names that differ only in case under --strict (U10);
        // both buckets when the run has a second one.
        const property = fc.asyncProperty(lifecycleCommands({ prefix, maxCommands: 12, twoBuckets: ctx.target.otherBucket !== null, caseVariants: ctx.run.strict, maxLive: SEQUENCE_MAX_LIVE }), async (cmds) => {
          commands = 0;
          try {
            await fc.asyncModelRun(() => ({ model: newModel(), real: counted }), cmds);
          } finally {
            // Leave nothing behind between runs of the property: shrinking replays sequences on a clean slate.
            for (const which of ctx.target.otherBucket ? [1, 2] as const : [1] as const) {
              const left = await driver.listIndexNames(which);
              for (const name of left.names ?? []) if (name.startsWith(prefix)) await driver.deleteIndex(which === 2 ? `${name}@2` : name).catch(() => undefined);
            }
          }
        });
        // The sequence once; if it disagrees, the same sequence again with shrinking, for at most
        // SHRINK_BUDGET_MS (against a target whose deletes never settle, each replay waits out the
        // settle bound: unbounded shrinking would outlast the run). The shrunk sequence is kept
        // when the shrinking reproduced the disagreement, else the first one.
        let out = await fc.check(property, { seed, numRuns: 1, endOnFailure: true });
        if (out.failed) {
          const shrunk = await fc.check(property, { seed, numRuns: 1, endOnFailure: false, interruptAfterTimeLimit: SHRINK_BUDGET_MS });
          if (shrunk.failed && shrunk.counterexample) out = shrunk;
        }
        if (out.failed) {
          const cex = out.counterexample?.[0];
          check.that(false, `a command sequence disagreed with the model: ${String(cex)} — ${String((out.errorInstance as Error | undefined)?.message ?? out.errorInstance)}`);
        } else if (commands === 0) {
          // Nothing was asked of the target: the sequence shows nothing (issue 16 item 5).
          throw new Skip('the generated command sequence was empty');
        }
      });
    };
    // A small pool of sequences in flight; transitions (creating, deleting) are waited for side by side.
    const lanes = sequencesInFlight(ctx.run.maxIndexes, ctx.run.workers, ctx.run.pacing.concurrency, sequences);
    verdict(await sideBySide(Array.from({ length: sequences }, (_, i) => i), one, lanes), t.skip);
  });
});

/** The driver, calling `count` once per command the model sends to the target. */
function countingDriver(d: LifecycleDriver, count: () => void): LifecycleDriver {
  return {
    createIndex: (k, dim) => { count(); return d.createIndex(k, dim); },
    putVectors: (k, keys, dim) => { count(); return d.putVectors(k, keys, dim); },
    deleteIndex: (k) => { count(); return d.deleteIndex(k); },
    getIndex: (k) => { count(); return d.getIndex(k); },
    listIndexNames: (b) => { count(); return d.listIndexNames(b); },
    listVectorKeys: (k) => { count(); return d.listVectorKeys(k); },
  };
}
