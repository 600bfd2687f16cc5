// Bi-directional contract testing, provider side: `ovc pact publish-provider-contract` publishes the
// OpenAPI document with an `ovc run` results file as self-verification through the official
// `pact pactflow publish-provider-contract`, against a loopback broker stand-in.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pactPublishProviderContract, type ProviderContractFlags } from '../../cli/pact.ts';
import { OPENAPI_FILE } from '../../pact/openapi.ts';
import { runOvc } from '../selftest/run-cli.ts';
import { startBrokerStandin, type BrokerStandin, type Seen } from './broker-standin.ts';

const TOKEN = 'tok-91b2d7e04c6a4f35-secret';
const OSS_SECRET = 'oss-secret-5e8d2c71a9f0';

let broker: BrokerStandin;
let brokerUrl: string;
let seen: Seen[] = [];
const work = mkdtempSync(join(tmpdir(), 'ovc-provider-contract-test-'));
let results: string;

beforeAll(async () => {
  broker = await startBrokerStandin(({ method, url, body, here }) => {
    if (method === 'GET' && url === '/') return { json: { _links: { self: { href: here }, 'pf:publish-provider-contract': { href: `${here}/provider-contracts/provider/{provider}/publish`, templated: true } } } };
    if (method === 'POST' && url === '/provider-contracts/provider/oss-vectors/publish') {
      const b = JSON.parse(body) as { pacticipantVersionNumber?: string };
      return { json: {
        notices: [{ type: 'success', text: `Published provider contract for oss-vectors version ${b.pacticipantVersionNumber ?? '?'}` }],
        _embedded: { version: { number: b.pacticipantVersionNumber } },
        _links: { 'pb:pacticipant-version-tags': [], 'pf:provider-contract': { href: `${here}/pc` } },
      } };
    }
    return null;
  });
  brokerUrl = broker.url;
  seen = broker.seen;
  // A real self-verification: `ovc run` against the embedded emulator.
  const out = join(work, 'run');
  const run = await runOvc(['run', '--out', out, '--runs', '5']);
  expect(run.code, run.stderr).toBe(0);
  results = join(out, 'results.jsonl');
}, 180_000);
afterAll(async () => {
  await broker.close();
  rmSync(work, { recursive: true, force: true });
});
beforeEach(() => { broker.reset(); });

const env = (): NodeJS.ProcessEnv => ({ ...process.env, PACT_BROKER_TOKEN: TOKEN, OSS_ACCESS_KEY_SECRET: OSS_SECRET, PACT_DO_NOT_TRACK: 'true' });

async function publish(flags: Partial<ProviderContractFlags>): Promise<{ code: number; log: string }> {
  let log = '';
  const code = await pactPublishProviderContract({ openapi: OPENAPI_FILE, results, brokerUrl, ...flags }, (s) => { log += `${s}\n`; }, env());
  return { code, log };
}

interface Published {
  pacticipantVersionNumber: string; branch?: string; buildUrl?: string;
  contract: { content: string; contentType: string; specification: string; selfVerificationResults: { success: boolean; content: string; contentType: string; format: string; verifier: string; verifierVersion: string } };
}

describe('ovc pact publish-provider-contract', () => {
  it('publishes the OpenAPI document with the ovc run results as a passing self-verification; the token only in Authorization', async () => {
    const { code, log } = await publish({ providerVersion: '3.1.4', branch: 'main', buildUrl: 'https://ci.example.com/run/7' });
    expect(code, log).toBe(0);
    const post = seen.find((s) => s.method === 'POST');
    expect(post, JSON.stringify(seen.map((s) => `${s.method} ${s.url}`))).toBeDefined();
    const body = JSON.parse(post!.body) as Published;
    expect(body.pacticipantVersionNumber).toBe('3.1.4');
    expect(body.branch).toBe('main');
    expect(body.buildUrl).toBe('https://ci.example.com/run/7');
    expect(body.contract.specification).toBe('oas');
    expect(body.contract.contentType).toBe('application/json');
    expect(Buffer.from(body.contract.content, 'base64').toString('utf8')).toBe(readFileSync(OPENAPI_FILE, 'utf8'));
    const v = body.contract.selfVerificationResults;
    expect(v.success).toBe(true);
    expect(v.verifier).toBe('ovc');
    expect(v.format).toBe('json');
    const doc = JSON.parse(Buffer.from(v.content, 'base64').toString('utf8')) as { tool: string; success: boolean; counts: { pass: number; fail: number }; cases: unknown[] };
    expect(doc.tool).toBe('ovc');
    expect(doc.counts.fail).toBe(0);
    expect(doc.cases.length).toBe(readFileSync(results, 'utf8').split('\n').filter(Boolean).length);
    for (const s of seen) {
      expect(s.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const { authorization: _a, ...rest } = s.headers;
      const text = JSON.stringify(rest) + s.url + s.body + Buffer.from(v.content, 'base64').toString('utf8');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(OSS_SECRET);
    }
    expect(log).not.toContain(TOKEN);
    expect(log).toContain('self-verification by ovc passed');
  });

  it('publishes a failed self-verification as failed (exit 1)', async () => {
    const failing = join(work, 'failing.jsonl');
    writeFileSync(failing, `${readFileSync(results, 'utf8')}${JSON.stringify({ id: 'x/409#1', response: '409 VectorIndexOperationConflict', outcome: 'fail', expected: { status: 409 }, actual: { status: 204 }, reason: null })}\n`);
    const { code, log } = await publish({ providerVersion: '3.1.5', branch: 'main', results: failing });
    expect(code, log).toBe(1);
    const body = JSON.parse(seen.find((s) => s.method === 'POST')!.body) as Published;
    expect(body.contract.selfVerificationResults.success).toBe(false);
  });

  it('refuses (exit 2, nothing sent) when a secret of the environment is in the results', async () => {
    const leaky = join(work, 'leaky.jsonl');
    writeFileSync(leaky, `${JSON.stringify({ id: 'a', response: '204 No Content', outcome: 'pass', expected: { status: 204 }, actual: { status: 204 }, reason: `key ${OSS_SECRET}` })}\n`);
    const { code, log } = await publish({ providerVersion: '3.1.6', results: leaky });
    expect(code, log).toBe(2);
    expect(log).toContain('a secret value from the environment appears');
    expect(seen).toEqual([]);
  });
});
