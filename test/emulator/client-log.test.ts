import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presignQuery } from '../../protocol/signer.ts';
import { request } from 'undici';
import { call, createIndex, KEY, send, start } from './helpers.ts';

describe('client-conformance log', () => {
  it('one JSON line per request naming what the client did differently from the SDKs, without secrets', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ovc-log-')), 'client.jsonl');
    const sts = { accessKeyId: 'sts-id', accessKeySecret: 'super-secret-value', securityToken: 'secret-token-value' };
    const em = await start({ clientLog: file, identities: [{ ...KEY }, sts] });
    try {
      await createIndex(em, 'logged');
      await send(em, { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":"logged"}', md5: null });
      await send(em, { method: 'POST', query: 'deleteVectorIndex', body: '{"indexName":"x"}', md5: 'AAAAAAAAAAAAAAAAAAAAAA==' });
      await send(em, { method: 'POST', query: 'listVectorIndexes=yes&extra=1', contentType: 'text/plain', body: '{}' });
      await send(em, { method: 'POST', query: 'listVectorIndexes', time: new Date(Date.now() - 5 * 60_000) });
      await send(em, { method: 'POST', query: 'listVectorIndexes', credentials: { ...KEY, accessKeySecret: 'wrong' } });
      await call(em, 'ListVectorIndexes', undefined, { credentials: sts });
      const presigned = presignQuery({ region: em.region, accountId: em.accountId, bucket: em.buckets[0], method: 'GET', query: 'bucketInfo', headers: {}, credentials: sts, expiresSeconds: 60 }).query;
      await (await request(`${em.url}/${em.buckets[0]}/?${presigned}`)).body.text();
      await call(em, 'ListVectorIndexes');
    } finally {
      await em.close();
    }
    const text = readFileSync(file, 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { operation: string; requestId: string; method: string; path: string; status: number; time: string; deviations: Array<{ kind: string; detail: string }> });
    expect(lines).toHaveLength(9);
    const kinds = lines.map((l) => l.deviations.map((d) => d.kind).sort());
    expect(lines[0]).toMatchObject({ operation: 'PutVectorIndex', method: 'POST', status: 200, deviations: [] });
    expect(lines[0]!.requestId).toHaveLength(24);
    expect(kinds[1]).toEqual(['missing-content-md5']);
    expect(kinds[2]).toEqual(['wrong-content-md5']);
    expect(kinds[3]).toEqual(['non-canonical-query', 'non-canonical-query', 'wrong-content-type']);
    expect(kinds[4]).toEqual(['clock-skew']);
    expect(lines[4]!.status).toBe(200);
    expect(kinds[5]).toEqual(['signature']);
    expect(lines[5]!.status).toBe(403);
    expect(kinds[6]).toEqual([]);
    expect(lines[7]!.path).toMatch(/x-oss-signature=REDACTED/);
    expect(lines[7]!.path).toMatch(/x-oss-security-token=REDACTED/);
    expect(kinds[8]).toEqual([]);
    for (const secret of ['super-secret-value', 'secret-token-value', 'ovc-test-secret', 'OSS4-HMAC-SHA256 Credential', 'Signature=']) expect(text).not.toContain(secret);
  });
});
