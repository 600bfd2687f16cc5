// Name isolation (D-DelIdx: DeleteVectorIndex deletes the named index of the named bucket, and
// nothing else): deleting `abc` leaves `abcd`; deleting `Abc` leaves `abc` (names are
// case-sensitive: the emulator's decision on spec §12 U10, asserted under --strict, recorded
// otherwise); deleting a name in one bucket leaves the same name in another bucket with its vectors.
import { describe, it } from 'vitest';
import { codeOf, indexStatusOf, type TargetClient } from '../client/client.ts';
import { request } from '../scenario/scenario.ts';
import { freshName, runCase, Skip, suiteContext, verdict, type Checks } from './harness.ts';
import { settledEnable, settledGone } from './common.ts';

const ctx = suiteContext();

const ROW = 'name isolation';
const spec = (behaviour: string, extra: { unknown?: boolean } = {}) => ({
  id: `delete-vector-index/names/${behaviour}`, response: ROW, labels: ['index-enable'], expected: { status: 204, code: null }, tags: 'names',
  cites: 'D-DelIdx: deletes the specified vector index (and all vectors in it) of the specified bucket.', ...extra,
});

async function stillThere(check: Checks, client: TargetClient, name: string, bucket: string, why: string, assert: boolean): Promise<void> {
  const get = await client.op('GetVectorIndex', { indexName: name }, { bucket });
  const ok = get.status === 200 && indexStatusOf(get) === 'enable';
  if (assert) check.that(ok, `${why}: GetVectorIndex ${bucket}/${name} gave ${get.status} ${codeOf(get) ?? indexStatusOf(get) ?? ''}`.trim());
  else if (!ok) check.recordOnly(`${why}: ${get.status} ${codeOf(get) ?? indexStatusOf(get) ?? ''}`.trim());
}

describe(ROW, () => {
  it('deleting `abc` leaves `abcd` (a name that starts with it)', { tags: ['names'] }, async (t) => {
    const short = freshName(ctx, 'pfx');
    const long = `${short}d`;
    const r = await runCase(ctx, spec('prefix-sibling'), (check, s) => s
      .given({ state: 'index', indexName: short }, { state: 'index', indexName: long })
      .when(request.op('DeleteVectorIndex', { indexName: short }))
      .expect(async (res, then) => {
        check.noContent(res);
        if (res.status !== 204 || !(await settledGone(ctx, check, then, short))) return;
        await stillThere(check, then.client, long, ctx.target.bucket, `deleting ${short} must leave ${long}`, true);
      })
      .run());
    verdict([r], t.skip);
  });

  it('deleting `Abc` leaves `abc` (names are case-sensitive, U10)', { tags: ['names'] }, async (t) => {
    const lower = freshName(ctx, 'cas');
    const upper = lower.replace(/cas(\w*)$/, 'Cas$1');
    const { run, target } = ctx;
    const r = await runCase(ctx, spec('case-sibling', { unknown: !run.strict }), (check, s) => s.given({ state: 'index', indexName: lower })
        .when(request.raw((c) => c.sign(c.build('PutVectorIndex', { indexName: upper, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' }))))
        .expect(async (created, then) => {
          if (created.status !== 200) {
            // The target folds case: U10 read the other way. Asserted only under --strict.
            if (run.strict) check.that(false, `--strict: ${upper} and ${lower} are distinct names, but PutVectorIndex ${upper} answered ${created.status} ${codeOf(created) ?? ''}`.trim());
            else check.recordOnly(`PutVectorIndex ${upper} beside ${lower}: ${created.status} ${codeOf(created) ?? ''}`.trim());
            return;
          }
          if (!(await settledEnable(ctx, check, then, upper))) return;
          const del = await then.client.as('when').op('DeleteVectorIndex', { indexName: upper });
          check.noContent(del);
          if (del.status !== 204 || !(await settledGone(ctx, check, then, upper))) return;
          await stillThere(check, then.client, lower, target.bucket, `deleting ${upper} must leave ${lower}`, run.strict);
        })
        .run());
    verdict([r], t.skip);
  });

  it('deleting a name in one bucket leaves the same name in the other bucket, with its vectors', { tags: ['names'] }, async (t) => {
    const name = freshName(ctx, 'xb');
    const { target } = ctx;
    const r = await runCase(ctx, spec('other-bucket'), async (check, s) => {
      if (!target.otherBucket) throw new Skip('needs a second bucket (--other-bucket)');
      await s.given({ state: 'index', indexName: name, vectorCount: 2 }, { state: 'index', indexName: name, bucket: target.otherBucket, vectorCount: 3 })
        .when(request.op('DeleteVectorIndex', { indexName: name }))
        .expect(async (res, then) => {
          check.noContent(res);
          if (res.status !== 204 || !(await settledGone(ctx, check, then, name))) return;
          await stillThere(check, then.client, name, target.otherBucket!, `deleting ${name} in ${target.bucket} must leave ${name} in ${target.otherBucket}`, true);
          const list = await then.client.op('ListVectors', { indexName: name, maxResults: 100 }, { bucket: target.otherBucket! });
          const keys = ((list.json as { vectors?: Array<{ key: string }> } | undefined)?.vectors ?? []).map((v) => v.key).sort();
          check.that(list.status === 200 && JSON.stringify(keys) === JSON.stringify(['k0', 'k1', 'k2']), `the other bucket's index must keep its vectors [k0,k1,k2], ListVectors gave ${list.status} ${JSON.stringify(keys)}`);
        })
        .run();
    });
    verdict([r], t.skip);
  });
});
