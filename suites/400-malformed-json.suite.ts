// 400 MalformedJson: "the request body is not valid JSON" (D-DelIdx), for byte-level malformed
// bodies: truncated, unbalanced, trailing commas, single quotes, comments, NaN, bare words, BOM,
// invalid UTF-8, empty, huge. Each request is correctly signed, with the Content-MD5 of its bytes.
import { describe, it } from 'vitest';
import { malformedJsonBody } from '../generators/malformedJson.ts';
import { expectedFor } from '../generators/oracle.ts';
import { responseByKey } from '../contracts/responses.ts';
import { context, verdict } from './harness.ts';
import { expectOracle, oracleSpec } from './common.ts';
import { propertyCases } from './property.ts';

const R = responseByKey('400-malformed-json');

describe(R.label, () => {
  it('generated malformed bodies are answered 400 MalformedJson', { tags: [R.key, 'property'] }, async (t) => {
    const { client, config } = context();
    const results = await propertyCases({
      salt: R.key,
      arbitrary: malformedJsonBody(),
      spec: (c, i) => oracleSpec(`delete-vector-index/${R.key}/generated-body#${i}`, c.labels, expectedFor(c.labels), { tags: R.key }),
      run: async (c, check) => {
        const res = await client.send(client.sign(client.build('DeleteVectorIndex', c.bytes)));
        expectOracle(check, res, expectedFor(c.labels), config.strict);
      },
    });
    verdict(results, t.skip);
  });
});
