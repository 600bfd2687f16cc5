// Requests with several faults at once (signature × body × target state): the answer must be one
// of the codes the faults allow; which one the target chose is recorded as observed precedence,
// not asserted (the service does not document its order of checks, spec §12 U2).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { invalidParameterBody, validBody } from '../generators/body.ts';
import { absentIndexName } from '../generators/indexName.ts';
import { malformedJsonBody } from '../generators/malformedJson.ts';
import { expectedFor } from '../generators/oracle.ts';
import { applySignature, signatureFault } from '../generators/signatureFault.ts';
import { request } from '../scenario/scenario.ts';
import { suiteContext, verdict } from './harness.ts';
import { expectOracle, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

const ctx = suiteContext();

describe('multi-fault requests', () => {
  it('any allowed code, precedence recorded', { tags: ['multi-fault', 'property'] }, async (t) => {
    const { client, target, run } = ctx;
    const absent = absentIndexName(`${run.prefix}m`);
    const arbitrary = fc.record({
      sig: signatureFault(),
      body: fc.oneof(validBody(absent), invalidParameterBody(), malformedJsonBody().filter((b) => b.bytes.length < 65_536)),
      bucketAbsent: fc.boolean(),
    }).map(({ sig, body, bucketAbsent }) => ({
      sig, body, bucketAbsent,
      // Names in valid bodies are never created: the index is absent (or its bucket is).
      labels: [...sig.labels, ...body.labels, ...(bucketAbsent ? ['bucket-absent'] : body.labels.length === 0 ? ['index-absent'] : [])],
    })).filter((c) => c.labels.length >= 2);
    const signing = { region: target.region, accountId: target.accountId, credentials: client.credentials, now: () => new Date() };
    const results = await propertyCases(ctx, {
      salt: 'multi-fault',
      runs: Math.max(20, Math.round(run.runs / 2)),
      arbitrary,
      spec: (c, i) => oracleSpec(`delete-vector-index/multi-fault/${c.labels.join('+')}#${i}`, c.labels, expectedFor(c.labels), { tags: 'multi-fault' }),
      run: async (c, check, s) => {
        await s.when(request.raw((cl) => applySignature(cl.build('DeleteVectorIndex', c.body.bytes, { bucket: c.bucketAbsent ? run.absentBucket : target.bucket }), c.sig, signing)))
          .expect((res) => expectOracle(check, res, expectedFor(c.labels), run.strict))
          .run();
      },
    });
    verdict(results, t.skip);
  });
});
