import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../contracts/errors.ts';
import { DELETE_VECTOR_INDEX_RESPONSES } from '../../contracts/responses.ts';
import { causeOf, LABELS, labelInfo, type Label } from '../../generators/labels.ts';
import { codeOfLabel, describeLabels, expectedFor } from '../../generators/oracle.ts';

const ALL = Object.keys(LABELS) as Label[];

describe('expectedFor: one label', () => {
  // label, status, code (null: 204), strictOnly, response
  const table: Array<[Label, number, string | null, boolean, string]> = [
    ['unsigned', 403, 'AccessDenied', false, '403-access-denied'],
    ['no-permission', 403, 'AccessDenied', false, '403-access-denied'],
    ['unknown-key', 403, 'InvalidAccessKeyId', false, '403-signature'],
    ['wrong-secret', 403, 'SignatureDoesNotMatch', false, '403-signature'],
    ['tampered-header', 403, 'SignatureDoesNotMatch', false, '403-signature'],
    ['wrong-scope', 403, 'SignatureDoesNotMatch', false, '403-signature'],
    ['stale-date', 403, 'RequestTimeTooSkewed', false, '403-signature'],
    ['md5-mismatch', 400, 'InvalidDigest', true, '400-invalid-digest'],
    ['bucket-absent', 404, 'NoSuchBucket', false, '404-no-such-bucket'],
    ['index-absent', 404, 'NoSuchVectorIndex', false, '404-no-such-vector-index'],
    ['index-deleted', 404, 'NoSuchVectorIndex', true, '404-no-such-vector-index'],
    ['index-creating', 409, 'VectorIndexOperationConflict', false, '409-vector-index-operation-conflict'],
    ['index-deleting', 409, 'VectorIndexOperationConflict', false, '409-vector-index-operation-conflict'],
    ['body-empty', 400, 'MalformedJson', true, '400-malformed-json'],
    ['json-bom', 400, 'MalformedJson', true, '400-malformed-json'],
    ['json-invalid-utf8', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-truncated', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-unbalanced', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-trailing-comma', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-single-quote', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-comment', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-non-finite', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-bare-word', 400, 'MalformedJson', false, '400-malformed-json'],
    ['json-malformed', 400, 'MalformedJson', false, '400-malformed-json'],
    ['body-not-object', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['body-missing-index-name', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['name-non-string', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['name-empty', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['name-too-long', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['name-leading-digit', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['name-forbidden-char', 400, 'VectorIndexParameterInvalid', false, '400-vector-index-parameter-invalid'],
    ['body-extra-field', 204, null, true, '204-deleted'],
  ];

  it('the table covers the whole vocabulary', () => {
    expect(table.map(([l]) => l).sort()).toEqual([...ALL].sort());
  });

  it.each(table)('%s → %i %s (strictOnly %s, %s)', (label, status, code, strictOnly, response) => {
    expect(expectedFor([label])).toEqual({ status, codes: code === null ? [] : [code], response, strictOnly, precedence: 'single' });
  });
});

describe('expectedFor: no label and several labels', () => {
  it('no label → 204', () => {
    expect(expectedFor([])).toEqual({ status: 204, codes: [], response: '204-deleted', strictOnly: false, precedence: 'single' });
  });

  it('several faults → the set of their codes, status of the first in spec §12 U2 order, precedence multi', () => {
    expect(expectedFor(['index-creating', 'name-empty', 'bucket-absent', 'wrong-secret'])).toEqual({
      status: 403, codes: ['SignatureDoesNotMatch', 'NoSuchBucket', 'VectorIndexParameterInvalid', 'VectorIndexOperationConflict'],
      response: '403-signature', strictOnly: false, precedence: 'multi',
    });
    expect(expectedFor(['index-absent', 'json-truncated']).status).toBe(400);
    expect(expectedFor(['index-absent', 'json-truncated']).response).toBe('400-malformed-json');
  });

  it('faults sharing one code stay single', () => {
    expect(expectedFor(['name-too-long', 'name-forbidden-char', 'name-leading-digit'])).toMatchObject({ codes: ['VectorIndexParameterInvalid'], precedence: 'single' });
    expect(expectedFor(['json-comment', 'json-truncated'])).toMatchObject({ codes: ['MalformedJson'], precedence: 'single', strictOnly: false });
  });

  it('strictOnly only when another reading of an unknown could answer outside the expected codes', () => {
    // Extra fields rejected would be VectorIndexParameterInvalid: already expected here …
    expect(expectedFor(['body-missing-index-name', 'body-extra-field'])).toMatchObject({ codes: ['VectorIndexParameterInvalid'], strictOnly: false });
    // … but not when the index is absent (400 instead of 404) or when nothing else is wrong (400 instead of 204).
    expect(expectedFor(['index-absent', 'body-extra-field'])).toMatchObject({ codes: ['NoSuchVectorIndex'], strictOnly: true });
    // A server ignoring Content-MD5 answers the other fault's code, which the set already holds.
    expect(expectedFor(['md5-mismatch', 'index-absent'])).toMatchObject({ codes: ['InvalidDigest', 'NoSuchVectorIndex'], strictOnly: false, precedence: 'multi' });
    // A parser ignoring the BOM sees the name problem, which the set already holds.
    expect(expectedFor(['json-bom', 'name-empty'])).toMatchObject({ codes: ['MalformedJson', 'VectorIndexParameterInvalid'], strictOnly: false });
    expect(expectedFor(['json-bom', 'json-truncated'])).toMatchObject({ codes: ['MalformedJson'], strictOnly: false });
    expect(expectedFor(['json-bom', 'body-extra-field'])).toMatchObject({ codes: ['MalformedJson'], strictOnly: true });
  });

  it('for any label set: codes are the set of single-label codes, status is one of theirs, order-independent', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.constantFrom(...ALL), { maxLength: 5 }), fc.nat(), (labels, rot) => {
      const e = expectedFor(labels);
      const singles = new Set(labels.map((l) => codeOfLabel(l)).filter((c): c is NonNullable<typeof c> => c !== null));
      const rotated = [...labels.slice(rot % Math.max(1, labels.length)), ...labels.slice(0, rot % Math.max(1, labels.length))];
      const statusOk = singles.size === 0 ? e.status === 204 : e.codes.some((c) => ERROR_CODES[c as keyof typeof ERROR_CODES].status === e.status);
      const noUnknown = labels.every((l) => labelInfo(l).unknown === null);
      return new Set(e.codes).size === e.codes.length && e.codes.length === singles.size && e.codes.every((c) => singles.has(c as never))
        && statusOk && (e.precedence === 'multi') === (singles.size > 1) && (!noUnknown || !e.strictOnly)
        && JSON.stringify(expectedFor(rotated)) === JSON.stringify(e);
    }), { seed: 1, numRuns: 300 });
  });

  it('rejects labels outside the vocabulary', () => {
    expect(() => expectedFor(['index-gone'])).toThrow(/unknown label/);
  });
});

describe('labels and the contracts catalogue', () => {
  it('every label cause is a cause of a documented response', () => {
    const causes = new Set<string>(DELETE_VECTOR_INDEX_RESPONSES.flatMap((r) => [...r.causes]));
    for (const label of ALL) {
      const cause = causeOf(label);
      if (cause !== null) expect(causes.has(cause), `${label} → ${cause}`).toBe(true);
    }
  });

  it('every error cause of the catalogue has a label', () => {
    const labelled = new Set(ALL.map(causeOf));
    for (const r of DELETE_VECTOR_INDEX_RESPONSES) {
      if (r.status === 204) continue;
      for (const cause of r.causes) expect(labelled.has(cause), cause).toBe(true);
    }
  });
});

describe('describeLabels', () => {
  it('reads as one sentence', () => {
    expect(describeLabels([])).toBe('A valid, correctly signed request for an index in enable.');
    expect(describeLabels(['name-empty', 'index-absent'])).toBe('IndexName is empty; the index does not exist.');
  });
});
