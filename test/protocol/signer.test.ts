import { readFileSync } from 'node:fs';
import { readKat } from '../fixtures/kat.ts';
import { describe, expect, it } from 'vitest';
import { canonicalRequest, parseDateTime, presignQuery, signRequest } from '../../protocol/signer.ts';
import { verifyRequest } from '../../protocol/verifier.ts';
import { parseAddress } from '../../protocol/addressing.ts';

interface KatCase {
  name: string; method: string; host: string; path: string; query: string; body: string;
  headers: [string, string][]; additionalHeaders: string[];
  expected: { canonicalRequest: string; stringToSign: string; authorization: string };
}
const kat = readKat<{
  inputs: { accessKeyId: string; accessKeySecret: string; region: string; accountId: string; xOssDate: string };
  cases: KatCase[];
}>();
const time = parseDateTime(kat.inputs.xOssDate)!;
const credentials = { accessKeyId: kat.inputs.accessKeyId, accessKeySecret: kat.inputs.accessKeySecret };

describe('V4 signature known answers (test/fixtures/signature-kat.json)', () => {
  for (const c of kat.cases) {
    it(c.name, () => {
      const addr = parseAddress(c.host, c.path);
      const token = c.headers.find(([k]) => k === 'x-oss-security-token')?.[1];
      const base = c.headers.filter(([k]) => !['x-oss-date', 'date', 'x-oss-content-sha256', 'x-oss-security-token'].includes(k.toLowerCase()));
      const signed = signRequest({
        region: kat.inputs.region, accountId: kat.inputs.accountId, bucket: addr.bucket, method: c.method, query: c.query,
        headers: base, credentials: { ...credentials, securityToken: token }, time, additionalHeaders: c.additionalHeaders,
      });
      expect(signed.canonicalRequest).toBe(c.expected.canonicalRequest);
      expect(signed.stringToSign).toBe(c.expected.stringToSign);
      expect(signed.headers.Authorization).toBe(c.expected.authorization);
      // The canonical request computed from the full header list as given in the KAT agrees too.
      expect(canonicalRequest({ method: c.method, region: kat.inputs.region, accountId: kat.inputs.accountId, bucket: addr.bucket, query: c.query, headers: c.headers, additionalHeaders: c.additionalHeaders }).canonicalRequest)
        .toBe(c.expected.canonicalRequest);
      // And the verifier accepts exactly that request at that time, and rejects a one-bit change.
      const headers = [...c.headers, ['Authorization', c.expected.authorization]] as [string, string][];
      const v = { method: c.method, query: c.query, headers, region: kat.inputs.region, accountId: kat.inputs.accountId, bucket: addr.bucket, lookupSecret: (k: string) => (k === 'ak' ? 'sk' : undefined), now: time };
      expect(verifyRequest(v)).toMatchObject({ ok: true, accessKeyId: 'ak' });
      expect(verifyRequest({ ...v, method: c.method === 'GET' ? 'PUT' : 'GET' })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    });
  }

  it('presigned GetVectorBucket (spec §9.6 Q1, Q2)', () => {
    const q1 = presignQuery({ region: 'cn-hangzhou', accountId: '1234567890', bucket: 'examplebucket', method: 'GET', query: 'bucketInfo', headers: {}, credentials, time, expiresSeconds: 600 });
    expect(q1.stringToSign.split('\n')[3]).toBe('623aa2868b89f10804db3454946dbbef61fe9c57b3110ba25326013c6afbe08b');
    expect(q1.signature).toBe('cef9bf55a07f0f1176c5f5b21593021979ff26b1c02b3cc42f5bc1d8f1a6f153');
    const q2 = presignQuery({ region: 'cn-hangzhou', accountId: '1234567890', bucket: 'examplebucket', method: 'GET', query: 'bucketInfo', headers: {}, credentials: { ...credentials, securityToken: 'token' }, time, expiresSeconds: 600 });
    expect(q2.signature).toBe('591903b5e6ad16eac8632db5e5d9a47d6fd58042be1438a17a5ba5a0dd099310');
    const v = { method: 'GET', query: q1.query, headers: {}, region: 'cn-hangzhou', accountId: '1234567890', bucket: 'examplebucket', lookupSecret: () => 'sk', now: new Date(time.getTime() + 1000) };
    expect(verifyRequest(v)).toMatchObject({ ok: true, mode: 'query' });
    expect(verifyRequest({ ...v, now: new Date(time.getTime() + 601_000) })).toMatchObject({ ok: false, code: 'AccessDenied' });
  });
});

it('every known answer is the one docs/spec.md §9.6 prints: its signature and the hash its string to sign ends with', () => {
  const spec = readFileSync(new URL('../../docs/spec.md', import.meta.url), 'utf8');
  const section = spec.slice(spec.indexOf('### 9.6 '), spec.indexOf('## 10. '));
  for (const c of kat.cases) {
    expect(section, c.name).toContain(/Signature=([0-9a-f]{64})/.exec(c.expected.authorization)![1]);
    expect(section, c.name).toContain(c.expected.stringToSign.split('\n').at(-1));
  }
});

describe('verification failures', () => {
  const base = { method: 'POST', query: 'deleteVectorIndex', region: 'cn-hangzhou', accountId: '1234567890', bucket: 'examplebucket', lookupSecret: (k: string) => (k === 'ak' ? 'sk' : undefined), now: time };
  const signedHeaders = (secret = 'sk', t = time, id = 'ak'): Record<string, string> => {
    const h = { 'Content-Type': 'application/json' };
    return { ...h, ...signRequest({ region: 'cn-hangzhou', accountId: '1234567890', bucket: 'examplebucket', method: 'POST', query: 'deleteVectorIndex', headers: h, credentials: { accessKeyId: id, accessKeySecret: secret }, time: t }).headers };
  };
  it('no Authorization → AccessDenied', () => expect(verifyRequest({ ...base, headers: {} })).toMatchObject({ ok: false, code: 'AccessDenied' }));
  it('garbage Authorization → AccessDenied', () => expect(verifyRequest({ ...base, headers: { authorization: 'OSS4-HMAC-SHA256 nonsense' } })).toMatchObject({ ok: false, code: 'AccessDenied' }));
  it('unknown key → InvalidAccessKeyId', () => expect(verifyRequest({ ...base, headers: signedHeaders('sk', time, 'nobody') })).toMatchObject({ ok: false, code: 'InvalidAccessKeyId' }));
  it('wrong secret → SignatureDoesNotMatch', () => expect(verifyRequest({ ...base, headers: signedHeaders('wrong') })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' }));
  it('16 minutes stale → RequestTimeTooSkewed; 14 minutes is fine', () => {
    expect(verifyRequest({ ...base, headers: signedHeaders('sk', new Date(time.getTime() - 16 * 60_000)) })).toMatchObject({ ok: false, code: 'RequestTimeTooSkewed' });
    expect(verifyRequest({ ...base, headers: signedHeaders('sk', new Date(time.getTime() - 14 * 60_000)) })).toMatchObject({ ok: true });
  });
  it('a signed header changed after signing → SignatureDoesNotMatch', () => {
    expect(verifyRequest({ ...base, headers: { ...signedHeaders(), 'Content-Type': 'text/plain' } })).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });
  it('comma-space separators in Authorization are tolerated', () => {
    const h = signedHeaders();
    expect(verifyRequest({ ...base, headers: { ...h, Authorization: h.Authorization!.replace(/,/g, ', ') } })).toMatchObject({ ok: true });
  });
});

describe('signing and verifying live apart', () => {
  it('protocol/signer.ts signs only; the verifier is protocol/verifier.ts (the emulator\'s side)', async () => {
    const signer = await import('../../protocol/signer.ts');
    const verify = await import('../../protocol/verifier.ts');
    expect('verifyRequest' in signer).toBe(false);
    expect('parseAuthorization' in signer).toBe(false);
    expect(typeof verify.verifyRequest).toBe('function');
  });
});
