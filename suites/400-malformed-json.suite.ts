// 400 MalformedJson: "the request body is not valid JSON" (D-DelIdx), for byte-level malformed
// bodies: truncated, unbalanced, trailing commas, single quotes, comments, NaN, bare words, BOM,
// invalid UTF-8, empty, huge. Each request is correctly signed, with the Content-MD5 of its bytes.
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { malformedJsonBody } from '../generators/malformedJson.ts';
import { generatedBodyCases } from './body-property.ts';
import { suiteContext, verdict } from './harness.ts';

const ctx = suiteContext();

const R = responseByKey('400-malformed-json');

describe(R.label, () => {
  it('generated malformed bodies are answered 400 MalformedJson', { tags: [R.key, 'property'] }, async (t) => {
    verdict(await generatedBodyCases(ctx, R.key, malformedJsonBody()), t.skip);
  });
});
