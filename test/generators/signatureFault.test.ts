import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedFor } from '../../generators/oracle.ts';
import { applySignature, SIGNATURE_FAULT_KINDS, signatureFault, type SignatureFault } from '../../generators/signatureFault.ts';
import type { SigningContext, WireRequest } from '../../protocol/wire.ts';
import { serverVerdict, SIGNATURE_LABEL_CODES, SIGNING_CONTEXT } from './oracles.ts';

const ctx: SigningContext = SIGNING_CONTEXT; // now: 2026-03-01T00:10:00Z, so a scope date off by one day is a different day
const request = (body = '{"indexName":"vectorindex1"}'): WireRequest => ({
  method: 'POST', query: 'deleteVectorIndex', headers: {}, body: Buffer.from(body), bucket: 'examplebucket',
});

describe('applySignature', () => {
  it('without a fault signs like the SDKs: the spec §9.6 V1 known answer', () => {
    const at = new Date(1702743657 * 1000);
    const signed = applySignature(request(), { kind: 'none', labels: [] }, { ...ctx, now: () => at });
    expect(signed.headers['Content-Type']).toBe('application/json');
    expect(signed.headers['Content-MD5']).toBe('HAxbz5pjBRfEABxB3ZVitQ==');
    expect(signed.headers.Authorization).toBe('OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=cb4023bfd6f91de8259c21b69b57f42dec7df7014626de2a3a7c6b948f404bfd');
    expect(serverVerdict(signed, ctx, at)).toBeNull();
  });

  it('replaces earlier signing headers and other spellings of Content-Type / Content-MD5', () => {
    const req = { ...request(), headers: { 'content-type': 'text/plain', 'content-md5': 'x', authorization: 'old', 'X-Oss-Date': 'old' } };
    const signed = applySignature(req, { kind: 'none', labels: [] }, ctx);
    expect(Object.keys(signed.headers).map((k) => k.toLowerCase()).sort()).toEqual(
      ['authorization', 'content-md5', 'content-type', 'date', 'x-oss-content-sha256', 'x-oss-date']);
    expect(serverVerdict(signed)).toBeNull();
  });

  it('each fault gets the code the oracle expects from a spec-following verifier, and never changes the body', () => {
    fc.assert(fc.property(signatureFault(), fc.constantFrom('{"indexName":"a"}', '', '{"indexName": "b", "x": 1}'), (fault, body) => {
      const req = request(body);
      const signed = applySignature(req, fault, ctx);
      const expected = expectedFor(fault.labels);
      const verdict = serverVerdict(signed);
      return signed.body.equals(req.body) && (expected.codes.length === 0 ? verdict === null : expected.codes.length === 1 && verdict === expected.codes[0]);
    }), { seed: 1, numRuns: 300 });
  });

  it('works with an STS token (kept for wrong-secret, dropped for an unknown key)', () => {
    const sts: SigningContext = { ...ctx, credentials: { accessKeyId: 'ak', accessKeySecret: 'sk', securityToken: 'token' } };
    const none = applySignature(request(), { kind: 'none', labels: [] }, sts);
    expect(none.headers['x-oss-security-token']).toBe('token');
    expect(serverVerdict(none, sts)).toBeNull();
    expect(applySignature(request(), { kind: 'wrong-secret', secret: 'other', labels: ['wrong-secret'] }, sts).headers['x-oss-security-token']).toBe('token');
    expect(applySignature(request(), { kind: 'unknown-key', accessKeyId: 'nobody', labels: ['unknown-key'] }, sts).headers['x-oss-security-token']).toBeUndefined();
  });

  it('keeps the clock right for every fault but stale-date', () => {
    fc.assert(fc.property(signatureFault(), (fault) => {
      const xOssDate = applySignature(request(), fault, ctx).headers['x-oss-date'];
      return fault.kind === 'stale-date' ? xOssDate !== '20260301T001000Z' : xOssDate === '20260301T001000Z';
    }), { seed: 2, numRuns: 200 });
  });

  it('still faults when the generated values happen to equal the real ones', () => {
    const same: SignatureFault[] = [
      { kind: 'unknown-key', accessKeyId: 'ak', labels: ['unknown-key'] },
      { kind: 'wrong-secret', secret: 'sk', labels: ['wrong-secret'] },
      { kind: 'wrong-scope', scope: { region: 'cn-hangzhou' }, labels: ['wrong-scope'] },
    ];
    for (const fault of same) expect(serverVerdict(applySignature(request(), fault, ctx))).toBe(expectedFor(fault.labels).codes[0]);
  });
});

describe('signatureFault', () => {
  it('covers every kind, and labels are the kind (none unlabelled)', () => {
    const faults = fc.sample(signatureFault(), { seed: 3, numRuns: 200 });
    expect(new Set(faults.map((f) => f.kind))).toEqual(new Set(SIGNATURE_FAULT_KINDS));
    // Each label is what a spec-following verifier says about the signed request (not the generator's own kind field).
    for (const f of faults) {
      const verdict = serverVerdict(applySignature(request(), f, ctx));
      expect(f.labels.map((l) => SIGNATURE_LABEL_CODES[l]), f.kind).toEqual(verdict === null ? [] : [verdict]);
    }
    const stale = faults.filter((f): f is Extract<SignatureFault, { kind: 'stale-date' }> => f.kind === 'stale-date');
    for (const f of stale) expect(f.minutesAgo >= 16 && f.minutesAgo <= 60).toBe(true);
  });

  it('gives the same faults for the same seed', () => {
    expect(fc.sample(signatureFault(), { seed: 4, numRuns: 30 })).toEqual(fc.sample(signatureFault(), { seed: 4, numRuns: 30 }));
  });
});
