// A minimal signed client of the benchmark servers (undici, loopback) and the provider-state hook.
import { Agent, request } from 'undici';
import { PROVIDER_STATE_PATH, type StateRequest } from '../../contracts/provider-states.ts';
import { presign } from './load.ts';

const agent = new Agent({ connections: 16, keepAliveTimeout: 10_000 });

export interface Answer { status: number; json: unknown; ms: number; bytes: number }

/** One signed POST `/<bucket>/?<query>` with a JSON body; returns status, parsed body and client-side latency. */
export async function call(port: number, bucket: string, query: string, body: unknown): Promise<Answer> {
  const p = presign(bucket, query, body === undefined ? '' : JSON.stringify(body));
  const t = performance.now();
  const res = await request(`http://127.0.0.1:${port}${p.path}`, { method: 'POST', headers: p.headers, body: p.body || undefined, dispatcher: agent, headersTimeout: 600_000, bodyTimeout: 600_000 });
  const text = await res.body.text();
  const ms = performance.now() - t;
  let json: unknown;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: res.statusCode, json, ms, bytes: text.length };
}

export async function stateHook(port: number, state: StateRequest): Promise<Answer> {
  const t = performance.now();
  const res = await request(`http://127.0.0.1:${port}${PROVIDER_STATE_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(state), dispatcher: agent, headersTimeout: 600_000, bodyTimeout: 600_000 });
  const json = await res.body.json();
  if (res.statusCode !== 200) throw new Error(`state hook ${JSON.stringify(state)}: ${res.statusCode} ${JSON.stringify(json)}`);
  return { status: res.statusCode, json, ms: performance.now() - t, bytes: 0 };
}

export async function closeClient(): Promise<void> {
  await agent.close();
}

/**
 * Deletes the indexes a cycles run left behind in `bucket` (autocannon stops mid-cycle on up to one
 * Put per connection), so they never pile up to the 100-indexes-per-bucket limit. Not timed.
 */
export async function sweepIndexes(port: number, bucket: string): Promise<void> {
  for (let pass = 0; pass < 20; pass++) {
    const list = await call(port, bucket, 'listVectorIndexes', { maxResults: 100 });
    const names = ((list.json as { indexes?: Array<{ indexName: string }> }).indexes ?? []).map((i) => i.indexName);
    if (names.length === 0) return;
    for (const indexName of names) await call(port, bucket, 'deleteVectorIndex', { indexName });
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('indexes left by the cycles runs could not be deleted');
}
