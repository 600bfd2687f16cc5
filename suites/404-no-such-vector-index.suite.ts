// 404 NoSuchVectorIndex: "the specified vector index does not exist" (D-DelIdx), for generated
// well-formed names that do not exist (run-prefixed, so nothing foreign is ever addressed), in the
// SDKs' body forms; and for a second delete of the same index (spec §12 U5).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { extraFieldBody, validBody } from '../generators/body.ts';
import { absentIndexName } from '../generators/indexName.ts';
import { expectedFor } from '../generators/oracle.ts';
import { responseByKey } from '../contracts/responses.ts';
import { context, deleteIndex, freshName, runCase, verdict } from './harness.ts';
import { caseSpec, expectOracle, mustCreate, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

const R = responseByKey('404-no-such-vector-index');

describe(R.label, () => {
  it('generated well-formed names that do not exist', { tags: [R.key, 'property'] }, async (t) => {
    const { client, config } = context();
    const body = fc.oneof({ arbitrary: validBody(absentIndexName(`${config.prefix}n`)), weight: 9 }, { arbitrary: extraFieldBody(absentIndexName(`${config.prefix}n`)), weight: 1 })
      .map((c) => ({ ...c, labels: [...c.labels, 'index-absent'] }));
    const results = await propertyCases({
      salt: R.key,
      arbitrary: body,
      spec: (c, i) => oracleSpec(`delete-vector-index/${R.key}/generated-name#${i}`, c.labels, expectedFor(c.labels), { tags: R.key }),
      run: async (c, check) => {
        const form = c.bytes.includes(0x20) ? 'eq' : 'bare';
        const res = await client.send(client.sign(client.build('DeleteVectorIndex', c.bytes, { queryForm: form })));
        expectOracle(check, res, expectedFor(c.labels), config.strict);
      },
    });
    verdict(results, t.skip);
  });

  it('a second delete of the same index', { tags: [R.key] }, async (t) => {
    const name = freshName('t');
    const r = await runCase(caseSpec(R.key, 'second-delete', ['index-deleted'], { unknown: true }), async (check) => {
      await mustCreate(name);
      const first = await deleteIndex(name);
      check.that(first.status === 204, `the first delete must answer 204, got ${first.status}`);
      const second = await context().client.op('DeleteVectorIndex', { indexName: name });
      // U5: 404 is the plausible reading; 409 only while the target still shows the index `deleting`.
      const exp = expectedFor(['index-deleted']);
      expectOracle(check, second, exp, context().config.strict);
      if (!exp.strictOnly || context().config.strict) return;
      check.that(['NoSuchVectorIndex', 'VectorIndexOperationConflict'].includes(second.error?.Code ?? ''), `a second delete must answer 404 NoSuchVectorIndex (or 409 while deleting), got ${second.status} ${second.error?.Code ?? ''}`);
    });
    verdict([r], t.skip);
  });
});
