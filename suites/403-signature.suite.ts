// The 403 signature family (spec §9, §6.4): unknown AccessKeyId → InvalidAccessKeyId; wrong
// secret, a signed header changed after signing, wrong scope → SignatureDoesNotMatch; x-oss-date
// more than 15 minutes off → RequestTimeTooSkewed; no Authorization → AccessDenied. A body changed
// after signing (Content-MD5 mismatch) → 400 InvalidDigest, asserted under --strict only (U11).
// Every faulty request targets one existing `enable` index, which must survive them all.
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { expectedFor } from '../generators/oracle.ts';
import { applySignature, signatureFault } from '../generators/signatureFault.ts';
import { context, deleteIndex, freshName, runCase, verdict } from './harness.ts';
import { caseSpec, expectOracle, mustCreate, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

const R = responseByKey('403-signature');

describe(R.label, () => {
  it('generated signature faults are refused, and the index survives them', { tags: [R.key, 'property'] }, async (t) => {
    const { client, config } = context();
    const name = freshName('f');
    await mustCreate(name);
    const signing = { region: config.region, accountId: config.accountId, credentials: client.credentials, now: () => new Date() };
    const results = await propertyCases({
      salt: R.key,
      runs: Math.max(20, Math.round(config.runs / 2)),
      arbitrary: signatureFault().filter((f) => f.kind !== 'none'),
      spec: (f, i) => oracleSpec(`delete-vector-index/${R.key}/${f.kind}#${i}`, f.labels, expectedFor(f.labels), { tags: R.key }),
      run: async (f, check) => {
        const req = applySignature(client.build('DeleteVectorIndex', { indexName: name }), f, signing);
        expectOracle(check, await client.send(req), expectedFor(f.labels), config.strict);
      },
    });
    results.push(await runCase(caseSpec(R.key, 'index-survives-faulty-requests', [], { expected: { status: 200, code: null } }), async (check) => {
      const get = await client.op('GetVectorIndex', { indexName: name });
      check.observe(get);
      check.that(get.status === 200, `no faulty request may delete the index; GetVectorIndex gave ${get.status} ${get.error?.Code ?? ''}`);
    }));
    await deleteIndex(name);
    verdict(results, t.skip);
  });
});
