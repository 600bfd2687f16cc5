import { describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { createEmulatorHandler } from '../../emulator/index.ts';
import { contentMd5 } from '../../protocol/md5.ts';
import { signRequest } from '../../protocol/signer.ts';
import { KEY } from './helpers.ts';

describe('createEmulatorHandler mounted with supertest', () => {
  it('serves a signed PutVectorIndex and DeleteVectorIndex, and refuses an unsigned one', async () => {
    const app = supertest(createEmulatorHandler({ identities: [{ ...KEY }], buckets: ['mounted'] }));
    const signed = (query: string, body: string): Record<string, string> => {
      const headers = { 'Content-Type': 'application/json', 'Content-MD5': contentMd5(body) };
      return { ...headers, ...signRequest({ region: 'cn-hangzhou', accountId: '1234567890', bucket: 'mounted', method: 'POST', query, headers, credentials: KEY }).headers };
    };
    const putBody = '{"indexName":"m1","dataType":"float32","dimension":2,"distanceMetric":"cosine"}';
    const put = await app.post('/?putVectorIndex').set(signed('putVectorIndex', putBody)).set('Host', 'mounted-1234567890.localhost').send(putBody);
    expect(put.status).toBe(200);
    const delBody = '{"indexName":"m1"}';
    const del = await app.post('/mounted/?deleteVectorIndex').set(signed('deleteVectorIndex', delBody)).send(delBody);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    const unsigned = await app.post('/mounted/?deleteVectorIndex').set('Content-Type', 'application/json').send(delBody);
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers['content-type']).toBe('application/json');
    expect(unsigned.body.Error.Code).toBe('AccessDenied');
  });
});
