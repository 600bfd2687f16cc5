// The per-request caches of the signer and the addressing, and the request ids: each must give
// exactly what the uncached computation gives, stay bounded, and (for ids) stay unique.
import { describe, expect, it } from 'vitest';
import { parseAddress } from '../../protocol/addressing.ts';
import { newRequestId } from '../../protocol/envelope.ts';
import * as signer from '../../protocol/signer.ts';
import { canonicalQuery, signingKey, signRequest, SIGNING_KEY_CACHE_MAX } from '../../protocol/signer.ts';
import { verifyRequest } from '../../protocol/verifier.ts';
import { createHmac } from 'node:crypto';

function derive(secret: string, date: string, region: string, product: string): Buffer {
  const k1 = createHmac('sha256', `aliyun_v4${secret}`).update(date).digest();
  const k2 = createHmac('sha256', k1).update(region).digest();
  const k3 = createHmac('sha256', k2).update(product).digest();
  return createHmac('sha256', k3).update('aliyun_v4_request').digest();
}

describe('signing-key cache', () => {
  it('derives once per (secret, date, region, product) and returns the same bytes as a fresh derivation', () => {
    const before = signer.signingKeyDerivations;
    const a = signingKey('cache-secret-1', '20250101', 'cn-hangzhou', 'oss');
    for (let i = 0; i < 50; i++) expect(signingKey('cache-secret-1', '20250101', 'cn-hangzhou', 'oss')).toBe(a);
    expect(signer.signingKeyDerivations - before).toBe(1);
    expect(a.equals(derive('cache-secret-1', '20250101', 'cn-hangzhou', 'oss'))).toBe(true);
    // Every component is part of the key.
    for (const [s, d, r, p] of [['cache-secret-2', '20250101', 'cn-hangzhou', 'oss'], ['cache-secret-1', '20250102', 'cn-hangzhou', 'oss'],
      ['cache-secret-1', '20250101', 'cn-beijing', 'oss'], ['cache-secret-1', '20250101', 'cn-hangzhou', 'oss-vectors']] as const) {
      expect(signingKey(s, d, r, p).equals(derive(s, d, r, p))).toBe(true);
    }
    expect(signer.signingKeyDerivations - before).toBe(5);
  });

  it('stays bounded: the oldest entry is derived again after the cache filled up', () => {
    signingKey('bound-secret', '20240101', 'cn-hangzhou', 'oss');
    for (let i = 0; i < SIGNING_KEY_CACHE_MAX; i++) signingKey(`filler-${i}`, '20240101', 'cn-hangzhou', 'oss');
    const before = signer.signingKeyDerivations;
    const k = signingKey('bound-secret', '20240101', 'cn-hangzhou', 'oss');
    expect(signer.signingKeyDerivations - before).toBe(1);
    expect(k.equals(derive('bound-secret', '20240101', 'cn-hangzhou', 'oss'))).toBe(true);
  });
});

describe('canonical query cache', () => {
  it('gives the same text for the same query, and honours the omitted keys per call', () => {
    const q = 'x-oss-signature=abc&b=2&a=1&deleteVectorIndex';
    expect(canonicalQuery(q)).toBe('a=1&b=2&deleteVectorIndex&x-oss-signature=abc');
    expect(canonicalQuery(q, ['x-oss-signature'])).toBe('a=1&b=2&deleteVectorIndex');
    expect(canonicalQuery(q)).toBe('a=1&b=2&deleteVectorIndex&x-oss-signature=abc');
    expect(canonicalQuery('a+b=c+d')).toBe('a%20b=c%20d');
  });
});

describe('verification with the caches warm', () => {
  it('a request signed for one secret is refused with another, and a tampered signature is refused', () => {
    const time = new Date();
    const base = { region: 'cn-hangzhou', accountId: '1234567890', bucket: 'b', method: 'POST', query: 'deleteVectorIndex', headers: { 'Content-Type': 'application/json' } };
    const signed = signRequest({ ...base, credentials: { accessKeyId: 'ak', accessKeySecret: 'one' }, time });
    const headers: Record<string, string> = { ...base.headers, ...signed.headers };
    const verify = (secret: string, h: Record<string, string>) => verifyRequest({ ...base, headers: h, lookupSecret: () => secret, now: time });
    expect(verify('one', headers).ok).toBe(true);
    expect(verify('one', headers).ok).toBe(true);
    expect(verify('two', headers)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
    const last = signed.signature.at(-1) === '0' ? '1' : '0';
    const tampered = { ...headers, Authorization: headers.Authorization!.slice(0, -1) + last };
    expect(verify('one', tampered)).toMatchObject({ ok: false, code: 'SignatureDoesNotMatch' });
  });
});

describe('host cache of the addressing', () => {
  it('parses the same host the same way every time, whatever the path', () => {
    for (let i = 0; i < 3; i++) {
      expect(parseAddress('bkt-123.oss.example.com', '/')).toEqual({ style: 'virtual', bucket: 'bkt', accountId: '123', rest: '/' });
      expect(parseAddress('bkt-123.oss.example.com', '/x')).toEqual({ style: 'virtual', bucket: 'bkt', accountId: '123', rest: '/x' });
      expect(parseAddress('127.0.0.1:9000', '/bkt/')).toEqual({ style: 'path', bucket: 'bkt', rest: '/' });
      expect(parseAddress('BKT-123.Example.COM', '/')).toMatchObject({ style: 'virtual', bucket: 'bkt' });
    }
  });
});

describe('request ids', () => {
  it('are 24 upper-case hex characters and unique across 200k ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      const id = newRequestId();
      seen.add(id);
    }
    expect(seen.size).toBe(200_000);
    for (const id of [...seen].slice(0, 1000)) expect(id).toMatch(/^[0-9A-F]{24}$/);
    const now = Math.floor(Date.now() / 1000);
    const t = parseInt(newRequestId().slice(0, 8), 16);
    expect(Math.abs(t - now)).toBeLessThanOrEqual(1);
  });
});

describe('the signing date text', () => {
  it('is the uncached text for every instant, within a second, across seconds, back in time, and refuses an invalid date', () => {
    const plain = (t: Date): string => t.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const base = Date.UTC(2026, 11, 6, 21, 59, 59, 998);
    for (const ms of [base, base + 1, base + 2, base + 3, base + 1000, base - 86_400_000, base - 86_400_000 + 1, base + 999, 0, 999, 1000]) {
      expect(signer.formatDateTime(new Date(ms))).toBe(plain(new Date(ms)));
    }
    expect(signer.formatDateTime(new Date(base + 2))).toBe('20261206T220000Z');
    expect(() => signer.formatDateTime(new Date(NaN))).toThrow(RangeError);
  });
});
