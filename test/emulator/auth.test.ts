import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presignQuery } from '../../protocol/signer.ts';
import { request } from 'undici';
import type { RunningEmulator } from '../../emulator/index.ts';
import { call, createIndex, DENIED_KEY, errorCode, KEY, send, start } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start(); });
afterAll(() => em.close());

const deleteReq = { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":"authIdx"}' } as const;

describe('authentication failures (all 403, JSON envelope)', () => {
  beforeAll(() => createIndex(em, 'authIdx'));

  const cases: Array<[string, Parameters<typeof send>[1], string]> = [
    ['no Authorization', { ...deleteReq, credentials: null }, 'AccessDenied'],
    ['garbage Authorization', { ...deleteReq, credentials: null, headers: { Authorization: 'Bearer xyz' } }, 'AccessDenied'],
    ['unknown AccessKeyId', { ...deleteReq, credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } }, 'InvalidAccessKeyId'],
    ['wrong secret', { ...deleteReq, credentials: { ...KEY, accessKeySecret: 'wrong' } }, 'SignatureDoesNotMatch'],
    ['body-independent signed header changed after signing', { ...deleteReq, afterSign: (h) => { h['Content-Type'] = 'text/plain'; } }, 'SignatureDoesNotMatch'],
    ['x-oss-date 16 minutes in the past', { ...deleteReq, time: new Date(Date.now() - 16 * 60_000) }, 'RequestTimeTooSkewed'],
    ['x-oss-date 16 minutes in the future', { ...deleteReq, time: new Date(Date.now() + 16 * 60_000) }, 'RequestTimeTooSkewed'],
    ['security token sent for a long-term key', { ...deleteReq, credentials: { ...KEY, securityToken: 'tok' } }, 'InvalidAccessKeyId'],
    ['identity denied oss:DeleteVectorIndex', { ...deleteReq, credentials: DENIED_KEY }, 'AccessDenied'],
  ];
  for (const [name, req, code] of cases) {
    it(`${name} → ${code}`, async () => {
      const r = await send(em, req);
      expect([r.status, errorCode(r)]).toEqual([403, code]);
      expect(r.headers['content-type']).toBe('application/json');
    });
  }

  it('the index survived all of them', async () => {
    expect((await call(em, 'GetVectorIndex', { indexName: 'authIdx' })).status).toBe(200);
  });

  it('the denied identity may call every other operation', async () => {
    expect((await call(em, 'GetVectorIndex', { indexName: 'authIdx' }, { credentials: DENIED_KEY })).status).toBe(200);
    expect((await call(em, 'ListVectorIndexes', undefined, { credentials: DENIED_KEY })).status).toBe(200);
  });

  it('14 minutes of skew is still accepted', async () => {
    expect((await call(em, 'ListVectorIndexes', undefined, { time: new Date(Date.now() - 14 * 60_000) })).status).toBe(200);
  });
});

describe('Content-MD5 (spec §12 U11)', () => {
  it('absent is accepted, correct is accepted, wrong is 400 InvalidDigest', async () => {
    await createIndex(em, 'md5a');
    expect((await send(em, { ...deleteReq, body: '{"indexName":"md5a"}', md5: null })).status).toBe(204);
    await createIndex(em, 'md5b');
    const wrong = await send(em, { ...deleteReq, body: '{"indexName":"md5b"}', md5: '1B2M2Y8AsgTpgAmY7PhCfg==' });
    expect([wrong.status, errorCode(wrong)]).toEqual([400, 'InvalidDigest']);
    const garbage = await send(em, { ...deleteReq, body: '{"indexName":"md5b"}', md5: 'not base64' });
    expect(errorCode(garbage)).toBe('InvalidDigest');
    expect((await send(em, { ...deleteReq, body: '{"indexName":"md5b"}' })).status).toBe(204);
  });
});

describe('temporary (STS) identities', () => {
  let sts: RunningEmulator;
  const STS = { accessKeyId: 'sts-key', accessKeySecret: 'sts-secret', securityToken: 'the-token' };
  beforeAll(async () => { sts = await start({ identities: [STS] }); });
  afterAll(() => sts.close());

  it('with the configured token → ok; missing or other token → 403 InvalidAccessKeyId', async () => {
    expect((await call(sts, 'ListVectorIndexes', undefined, { credentials: STS })).status).toBe(200);
    const missing = await call(sts, 'ListVectorIndexes', undefined, { credentials: { ...STS, securityToken: undefined } });
    expect([missing.status, errorCode(missing)]).toEqual([403, 'InvalidAccessKeyId']);
    const other = await call(sts, 'ListVectorIndexes', undefined, { credentials: { ...STS, securityToken: 'other' } });
    expect([other.status, errorCode(other)]).toEqual([403, 'InvalidAccessKeyId']);
  });
});

describe('presigned (query) authentication', () => {
  it('a presigned GetVectorBucket URL works, an expired one is AccessDenied', async () => {
    const sign = (time: Date): string => presignQuery({ region: em.region, accountId: em.accountId, bucket: em.buckets[0], method: 'GET', query: 'bucketInfo', headers: {}, credentials: KEY, time, expiresSeconds: 60 }).query;
    const ok = await request(`${em.url}/${em.buckets[0]}/?${sign(new Date())}`);
    expect(ok.statusCode).toBe(200);
    await ok.body.text();
    const old = await request(`${em.url}/${em.buckets[0]}/?${sign(new Date(Date.now() - 120_000))}`);
    expect(old.statusCode).toBe(403);
    expect(((await old.body.json()) as { Error: { Code: string } }).Error.Code).toBe('AccessDenied');
  });
});
