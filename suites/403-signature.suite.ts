// The 403 signature family (spec §9, §6.4): unknown AccessKeyId → InvalidAccessKeyId; wrong
// secret, a signed header changed after signing, wrong scope → SignatureDoesNotMatch; x-oss-date
// more than 15 minutes off → RequestTimeTooSkewed; no Authorization → AccessDenied. A body changed
// after signing (Content-MD5 mismatch) → 400 InvalidDigest, asserted under --strict only (U11).
// Every faulty request targets one existing `enable` index, which must survive them all.
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { expectedFor } from '../generators/oracle.ts';
import { applySignature, signatureFault } from '../generators/signatureFault.ts';
import { request } from '../scenario/scenario.ts';
import { setUp } from '../scenario/states.ts';
import { freshName, runCase, suiteContext, verdict } from './harness.ts';
import { caseSpec, expectOracle, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

const ctx = suiteContext();

const R = responseByKey('403-signature');

describe(R.label, () => {
  it('generated signature faults are refused, and the index survives them', { tags: [R.key, 'property'] }, async (t) => {
    const { client, target, run, env } = ctx;
    const name = freshName(ctx, 'f');
    // One `enable` index for every faulty request (set up and waited for once, torn down at the end).
    const made = await setUp({ ...env, client: client.as('given') }, { state: 'index', indexName: name }).catch((e: unknown) => e as Error);
    if (made instanceof Error) {
      verdict([await runCase(ctx, caseSpec(R.key, 'index-survives-faulty-requests', [], { expected: { status: 200, code: null } }), () => Promise.reject(made))], t.skip);
      return;
    }
    const signing = { region: target.region, accountId: target.accountId, credentials: client.credentials, now: () => new Date() };
    const results = await propertyCases(ctx, {
      salt: R.key,
      runs: Math.max(20, Math.round(run.runs / 2)),
      arbitrary: signatureFault().filter((f) => f.kind !== 'none'),
      spec: (f, i) => oracleSpec(`delete-vector-index/${R.key}/${f.kind}#${i}`, f.labels, expectedFor(f.labels), { tags: R.key }),
      run: async (f, check, s) => {
        await s.when(request.raw((c) => applySignature(c.build('DeleteVectorIndex', { indexName: name }), f, signing)))
          .expect((res) => expectOracle(check, res, expectedFor(f.labels), run.strict))
          .run();
      },
    });
    results.push(await runCase(ctx, caseSpec(R.key, 'index-survives-faulty-requests', [], { expected: { status: 200, code: null } }), (check, s) => s
      .when(request.op('GetVectorIndex', { indexName: name }))
      .expect((get) => {
        check.observe(get);
        check.that(get.status === 200, `no faulty request may delete the index; GetVectorIndex gave ${get.status} ${get.error?.Code ?? ''}`);
        check.schema('GetVectorIndex', get);
      })
      .run()));
    await made.teardown();
    verdict(results, t.skip);
  });
});
