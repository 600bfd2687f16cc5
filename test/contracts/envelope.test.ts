// contracts/envelope.ts: the error envelope of spec §6.1 as a schema. The spec's own sample passes;
// what the SDKs rely on (an Error object with Code, Message and a 24-character RequestId, spec §4
// and §6.2) is required.
import { describe, expect, it } from 'vitest';
import { errorEnvelopeProblems } from '../../contracts/envelope.ts';

/** The sample of spec §6.1, verbatim. */
const SPEC_SAMPLE = {
  Error: {
    Code: 'NoSuchBucket', Message: 'The specified bucket does not exist.', RequestId: '5C3D9175B6FC201293AD****',
    HostId: 'test.oss-cn-hangzhou.aliyuncs.com', BucketName: 'test', EC: '0015-00000101',
  },
};

describe('the error envelope schema', () => {
  it('accepts the sample of spec §6.1', () => {
    expect(errorEnvelopeProblems(SPEC_SAMPLE)).toEqual([]);
  });

  it('requires Code, Message and RequestId, naming what is missing', () => {
    for (const field of ['Code', 'Message', 'RequestId'] as const) {
      const { [field]: _dropped, ...rest } = SPEC_SAMPLE.Error;
      expect(errorEnvelopeProblems({ Error: rest }).join('; '), field).toContain(field);
    }
  });

  it('requires a RequestId of exactly 24 characters (spec §4)', () => {
    expect(errorEnvelopeProblems({ Error: { ...SPEC_SAMPLE.Error, RequestId: 'A'.repeat(23) } })).not.toEqual([]);
    expect(errorEnvelopeProblems({ Error: { ...SPEC_SAMPLE.Error, RequestId: 'A'.repeat(25) } })).not.toEqual([]);
    expect(errorEnvelopeProblems({ Error: { ...SPEC_SAMPLE.Error, RequestId: 'A'.repeat(24) } })).toEqual([]);
  });

  it('refuses a flat body, a Code that is not a string, and anything beside Error at the top', () => {
    expect(errorEnvelopeProblems({ Code: 'NoSuchBucket', Message: 'm', RequestId: 'A'.repeat(24) })).not.toEqual([]);
    expect(errorEnvelopeProblems({ Error: { ...SPEC_SAMPLE.Error, Code: 404 } }).join('; ')).toMatch(/Error\.Code/);
    expect(errorEnvelopeProblems({ ...SPEC_SAMPLE, Extra: 1 }).join('; ')).toMatch(/\(Extra\)/);
    expect(errorEnvelopeProblems('NoSuchBucket')).not.toEqual([]);
  });
});
