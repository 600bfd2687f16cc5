// 400 VectorIndexParameterInvalid: valid JSON whose indexName is missing, of another type, or
// breaks the naming rule (1–63 letters and digits, starting with a letter), and JSON that is not
// an object (D-DelIdx; spec §12 U3, U4).
import { describe, it } from 'vitest';
import { responseByKey } from '../contracts/responses.ts';
import { invalidParameterBody } from '../generators/body.ts';
import { generatedBodyCases } from './body-property.ts';
import { suiteContext, verdict } from './harness.ts';

const ctx = suiteContext();

const R = responseByKey('400-vector-index-parameter-invalid');

describe(R.label, () => {
  it('generated invalid parameters are answered 400 VectorIndexParameterInvalid', { tags: [R.key, 'property'] }, async (t) => {
    verdict(await generatedBodyCases(ctx, R.key, invalidParameterBody()), t.skip);
  });
});
