// The provider-state hook cannot be driven by a web page (issue 25 §4): a foreign Origin, a body
// that is not declared JSON, or a Host that is not the emulator's own (DNS rebinding) is refused
// with 403 and a JSON reason, and nothing is set up. What the hook's own clients send still passes.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_STATE_PATH } from '../../contracts/provider-states.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { StateHook } from '../../scenario/hookClient.ts';
import { call, start } from './helpers.ts';

let em: RunningEmulator;
let proxied: RunningEmulator;
beforeAll(async () => {
  em = await start();
  proxied = await start({ advertisedEndpoint: 'http://vectors.internal:9000' });
});
afterAll(async () => { await em.close(); await proxied.close(); });

const setUp = (indexName: string): string => JSON.stringify({ action: 'setup', state: 'a vector index exists', params: { indexName } });

async function post(e: RunningEmulator, headers: Record<string, string>, body: string): Promise<{ status: number; json: { error?: string } }> {
  const res = await request(`${e.url}${PROVIDER_STATE_PATH}`, { method: 'POST', headers, body });
  return { status: res.statusCode, json: (await res.body.json()) as { error?: string } };
}

const exists = async (e: RunningEmulator, indexName: string): Promise<boolean> => (await call(e, 'GetVectorIndex', { indexName })).status === 200;

describe('the provider-state hook refuses what a web page could send', () => {
  it('refuses a foreign Origin with 403 and sets nothing up', async () => {
    for (const origin of ['https://evil.example', 'null', `http://localhost:${em.port + 1}`]) {
      const r = await post(em, { 'content-type': 'application/json', origin }, setUp('fromorigin'));
      expect(r.status).toBe(403);
      expect(r.json.error).toMatch(/refuses requests from another origin/);
    }
    expect(await exists(em, 'fromorigin')).toBe(false);
  });

  it('refuses a body that is not declared JSON (a form, text/plain, or no Content-Type)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
      const r = await post(em, type ? { 'content-type': type } : {}, setUp('fromform'));
      expect(r.status).toBe(403);
      expect(r.json.error).toMatch(/takes Content-Type: application\/json/);
    }
    expect(await exists(em, 'fromform')).toBe(false);
  });

  it('refuses a Host that is not its own — a DNS rebinding page names its own domain — even with a matching Origin', async () => {
    const host = `rebind.attacker.example:${em.port}`;
    const r = await post(em, { 'content-type': 'application/json', host, origin: `http://${host}` }, setUp('fromrebind'));
    expect(r.status).toBe(403);
    expect(r.json.error).toMatch(/answers only at its own address .*not Host: rebind\.attacker\.example/);
    expect(await exists(em, 'fromrebind')).toBe(false);
  });

  it('answers at its advertised endpoint, and at its own address, but at no other name', async () => {
    expect((await post(proxied, { 'content-type': 'application/json', host: 'vectors.internal:9000' }, setUp('viaproxy'))).status).toBe(200);
    expect((await post(proxied, { 'content-type': 'application/json' }, setUp('direct'))).status).toBe(200);
    expect((await post(proxied, { 'content-type': 'application/json', host: `other.internal:${proxied.port}` }, setUp('other'))).status).toBe(403);
  });
});

describe('what the hook clients send still passes', () => {
  it('scenario/hookClient.ts (ovc run, the pact verifier state handlers): JSON, its own Host, no Origin', async () => {
    const hook = new StateHook(em.stateHookUrl!);
    expect(await hook.setup('a vector index exists', { indexName: 'fromclient' })).toMatchObject({ indexName: 'fromclient' });
    expect(await exists(em, 'fromclient')).toBe(true);
  });

  it('a same-origin request (Origin equal to the emulator\'s own) with charset in the content type', async () => {
    const r = await post(em, { 'content-type': 'application/json; charset=utf-8', origin: em.url }, setUp('sameorigin'));
    expect(r.status).toBe(200);
    expect(await exists(em, 'sameorigin')).toBe(true);
  });

  it('localhost for an emulator bound to 127.0.0.1', async () => {
    const r = await post(em, { 'content-type': 'application/json', host: `localhost:${em.port}` }, setUp('vialocalhost'));
    expect(r.status).toBe(200);
  });
});
