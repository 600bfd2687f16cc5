// 400 VectorIndexParameterInvalid: valid JSON whose indexName is missing, of another type, or
// breaks the naming rule (1–63 letters and digits, starting with a letter), and JSON that is not
// an object (D-DelIdx; spec §12 U3, U4).
import { describe, it } from 'vitest';
import { invalidParameterBody } from '../generators/body.ts';
import { expectedFor } from '../generators/oracle.ts';
import { responseByKey } from '../contracts/responses.ts';
import { context, verdict } from './harness.ts';
import { expectOracle, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

const R = responseByKey('400-vector-index-parameter-invalid');

describe(R.label, () => {
  it('generated invalid parameters are answered 400 VectorIndexParameterInvalid', { tags: [R.key, 'property'] }, async (t) => {
    const { client, config } = context();
    const results = await propertyCases({
      salt: R.key,
      arbitrary: invalidParameterBody(),
      spec: (c, i) => oracleSpec(`delete-vector-index/${R.key}/generated-body#${i}`, c.labels, expectedFor(c.labels), { tags: R.key }),
      run: async (c, check) => {
        const res = await client.send(client.sign(client.build('DeleteVectorIndex', c.bytes)));
        expectOracle(check, res, expectedFor(c.labels), config.strict);
      },
    });
    verdict(results, t.skip);
  });
});
