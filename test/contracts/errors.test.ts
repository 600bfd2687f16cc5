// contracts/errors.ts: the error catalogue agrees with docs/spec.md §6.4 and with the
// documented responses of DeleteVectorIndex (contracts/responses.ts) that name a code.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, SIGNATURE_FAMILY_CODES, type ErrorCode } from '../../contracts/errors.ts';
import { DELETE_VECTOR_INDEX_RESPONSES } from '../../contracts/responses.ts';

/** Rows of the §6.4 table (docs/spec.md), copied by hand: code → HTTP status. */
const SPEC_6_4: Record<string, number> = {
  VectorIndexParameterInvalid: 400, MalformedJson: 400, VectorBucketIndexExceedLimit: 400, InvalidVectorBucketName: 400,
  TooManyBuckets: 400, MissingArgument: 400, InvalidDigest: 400, AccessDenied: 403, InvalidAccessKeyId: 403,
  SignatureDoesNotMatch: 403, RequestTimeTooSkewed: 403, NoSuchBucket: 404, NoSuchVectorIndex: 404,
  VectorIndexOperationConflict: 409, VectorBucketIndexAlreadyExist: 409, VectorBucketNotEmpty: 409, BucketAlreadyExists: 409,
};

describe('the error catalogue', () => {
  it('gives every code of spec §6.4 it holds the status of the table', () => {
    const held = Object.keys(SPEC_6_4).filter((c) => c in ERROR_CODES);
    // The catalogue holds every row the emulator can answer; UserDisable, BucketNameNotAvailable and
    // BucketNotEmpty (fixture-only or bucket re-creation) are the table's rows it leaves out.
    expect(held).toEqual(Object.keys(SPEC_6_4));
    for (const code of held) expect([code, ERROR_CODES[code as ErrorCode].status]).toEqual([code, SPEC_6_4[code]]);
  });

  it('answers throttling with 503 (spec §6.4: "HTTP 503", the vectors code is not published)', () => {
    expect(ERROR_CODES.ServiceUnavailable.status).toBe(503);
  });

  it('gives every documented DeleteVectorIndex response that names a code that code\'s status', () => {
    const withCode = DELETE_VECTOR_INDEX_RESPONSES.filter((r) => r.code !== null);
    expect(withCode.length).toBeGreaterThanOrEqual(6);
    for (const r of withCode) expect([r.key, ERROR_CODES[r.code!].status]).toEqual([r.key, r.status]);
  });

  it('holds the signature family as 403 codes only, AccessDenied among them', () => {
    expect(SIGNATURE_FAMILY_CODES).toContain('AccessDenied');
    for (const c of SIGNATURE_FAMILY_CODES) expect([c, ERROR_CODES[c].status]).toEqual([c, 403]);
  });

  it('has a message for every code (messages are sent, never asserted: spec §12 U1)', () => {
    for (const [code, e] of Object.entries(ERROR_CODES)) {
      expect(e.message.length, code).toBeGreaterThan(0);
      expect(e.status, code).toBeGreaterThanOrEqual(400);
    }
  });
});
