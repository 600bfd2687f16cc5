// A property suite over generated DeleteVectorIndex bodies: each body is sent correctly signed
// (Content-MD5 of its bytes) and answered as the oracle says.
import type fc from 'fast-check';
import { responseByKey } from '../contracts/responses.ts';
import type { BodyCase } from '../generators/body.ts';
import { expectedFor } from '../generators/oracle.ts';
import type { CaseResult } from '../reports/model.ts';
import { request } from '../scenario/scenario.ts';
import type { SuiteContext } from './harness.ts';
import { expectOracle, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

export function generatedBodyCases(ctx: SuiteContext, responseKey: string, arbitrary: fc.Arbitrary<BodyCase>): Promise<CaseResult[]> {
  const R = responseByKey(responseKey);
  const { run } = ctx;
  return propertyCases(ctx, {
    salt: R.key,
    arbitrary,
    spec: (c, i) => oracleSpec(`delete-vector-index/${R.key}/generated-body#${i}`, c.labels, expectedFor(c.labels), { tags: R.key }),
    run: async (c, check, s) => {
      await s.when(request.op('DeleteVectorIndex', c.bytes))
        .expect((res) => expectOracle(check, res, expectedFor(c.labels), run.strict))
        .run();
    },
  });
}
