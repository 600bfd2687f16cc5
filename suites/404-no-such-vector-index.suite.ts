// 404 NoSuchVectorIndex: "the specified vector index does not exist" (D-DelIdx), for generated
// well-formed names that do not exist (run-prefixed, so nothing foreign is ever addressed), in the
// SDKs' body forms; and for a second delete of the same index (spec §12 U5).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { extraFieldBody, validBody } from '../generators/body.ts';
import { absentIndexName } from '../generators/indexName.ts';
import { expectedFor } from '../generators/oracle.ts';
import { responseByKey } from '../contracts/responses.ts';
import { codeOf } from '../client/client.ts';
import { request } from '../scenario/scenario.ts';
import { freshName, runCase, SetupError, suiteContext, verdict } from './harness.ts';
import { caseSpec, expectOracle, oracleSpec, settledGone } from './common.ts';
import { propertyCases } from './property.ts';

const ctx = suiteContext();

const R = responseByKey('404-no-such-vector-index');

describe(R.label, () => {
  it('generated well-formed names that do not exist', { tags: [R.key, 'property'] }, async (t) => {
    const { run } = ctx;
    const body = fc.oneof({ arbitrary: validBody(absentIndexName(`${run.prefix}n`)), weight: 9 }, { arbitrary: extraFieldBody(absentIndexName(`${run.prefix}n`)), weight: 1 })
      .map((c) => ({ ...c, labels: [...c.labels, 'index-absent'] }));
    const results = await propertyCases(ctx, {
      salt: R.key,
      arbitrary: body,
      spec: (c, i) => oracleSpec(`delete-vector-index/${R.key}/generated-name#${i}`, c.labels, expectedFor(c.labels), { tags: R.key }),
      run: async (c, check, s) => {
        const form = c.bytes.includes(0x20) ? 'eq' : 'bare';
        await s.when(request.op('DeleteVectorIndex', c.bytes, { queryForm: form }))
          .expect((res) => expectOracle(check, res, expectedFor(c.labels), run.strict))
          .run();
      },
    });
    verdict(results, t.skip);
  });

  it('a second delete of the same index', { tags: [R.key] }, async (t) => {
    const name = freshName(ctx, 't');
    // Once the index is gone a delete is 404 (documented). Right after the first delete the target
    // may still show it `deleting`, and 409 is then allowed too (spec §12 U5): that answer is
    // recorded, the index is waited for until gone, and the delete sent again must be 404.
    // --strict asserts the emulator's decision: gone at once, the second delete 404.
    const r = await runCase(ctx, caseSpec(R.key, 'second-delete', ['index-deleted']), (check, s) => s
      .given({ state: 'index', indexName: name })
      .when(request.op('DeleteVectorIndex', { indexName: name }))
      .expect(async (first, then) => {
        if (first.status !== 204) throw new SetupError(`the first delete must answer 204, got ${first.status} ${codeOf(first) ?? ''}`.trim());
        const when = then.client.as('when');
        const second = await when.op('DeleteVectorIndex', { indexName: name });
        if (ctx.run.strict || codeOf(second) !== 'VectorIndexOperationConflict') { check.error(second, 404, ['NoSuchVectorIndex']); return; }
        check.error(second, 409, ['VectorIndexOperationConflict']);
        check.precedence = 'VectorIndexOperationConflict (U5: still deleting)';
        if (!(await settledGone(ctx, check, then, name))) return;
        check.error(await when.op('DeleteVectorIndex', { indexName: name }), 404, ['NoSuchVectorIndex']);
      })
      .run());
    verdict([r], t.skip);
  });
});
