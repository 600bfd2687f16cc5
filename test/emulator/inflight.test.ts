// `ovc serve` bounds the bytes of request bodies in flight in total (issue 25 §4): stalled bodies
// reserve their declared length; past --max-inflight-body-mb a request gets 503 ServiceUnavailable
// with Retry-After before its body is read, and the room comes back when a request ends.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/index.ts';
import { serveOptions } from '../../cli/serve.ts';
import { BUCKET, call, start } from './helpers.ts';

let em: RunningEmulator;
beforeAll(async () => { em = await start({ maxInflightBodyMb: 8 }); });
afterAll(() => em.close());

/** Opens a PutVectors that declares `bytes` and sends only its first byte; resolves with what came back so far. */
function stall(bytes: number): { socket: Socket; answer: Promise<string> } {
  const socket = connect(em.port, '127.0.0.1');
  socket.write(`POST /${BUCKET}/?putVectors HTTP/1.1\r\nHost: 127.0.0.1:${em.port}\r\nContent-Type: application/json\r\nContent-Length: ${bytes}\r\n\r\n{`);
  let text = '';
  const answer = new Promise<string>((resolve) => {
    socket.on('data', (d) => { text += d; if (text.includes('\r\n\r\n') && /Content-Length: (\d+)/i.test(text)) resolve(text); });
    socket.on('close', () => resolve(text));
    socket.on('error', () => resolve(text));
  });
  return { socket, answer };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('request bodies in flight', () => {
  it('refuses with 503 ServiceUnavailable and Retry-After the body that would pass the total, and takes requests again once the stalled ones end', async () => {
    const held = [stall(3 * 2 ** 20), stall(3 * 2 ** 20)];
    await sleep(200);
    const third = stall(3 * 2 ** 20);
    const text = await Promise.race([third.answer, sleep(5_000).then(() => 'no answer')]);
    expect(text).toMatch(/^HTTP\/1\.1 503/);
    expect(text).toMatch(/Retry-After: 1/i);
    expect(text).toMatch(/"Code":"ServiceUnavailable"/);
    third.socket.destroy();
    // A request without a body is never refused for it.
    expect((await call(em, 'GetVectorBucket')).status).toBe(200);
    for (const h of held) h.socket.destroy();
    await sleep(200);
    const after = stall(3 * 2 ** 20);
    expect(await Promise.race([after.answer, sleep(500).then(() => 'still reading')])).toBe('still reading');
    after.socket.destroy();
  });

  it('ovc serve takes --max-inflight-body-mb and refuses 0', () => {
    expect(serveOptions({ host: '127.0.0.1', port: '0', region: 'cn-hangzhou', accountId: '1', maxInflightBodyMb: '16' } as never).maxInflightBodyMb).toBe(16);
    expect(() => serveOptions({ host: '127.0.0.1', port: '0', region: 'cn-hangzhou', accountId: '1', maxInflightBodyMb: '0' } as never)).toThrow(/--max-inflight-body-mb must be an integer/);
  });
});
