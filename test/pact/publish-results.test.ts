// Verification results a broker can use: `ovc pact verify --pact <broker pact URL> --publish-results`
// against a loopback broker stand-in; the official verifier posts the result to the pact's
// pb:publish-verification-results link with the provider version, branch and build URL; the token
// travels in Authorization only.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pactVerify, type VerifyFlags, DEFAULT_PACT_FILE } from '../../cli/pact.ts';
import { UsageError } from '../../cli/errors.ts';
import { INTERACTIONS } from '../../pact/interactions.ts';
import { startBrokerStandin, type BrokerStandin, type Seen } from './broker-standin.ts';

const TOKEN = 'tok-7c1e5a90d3b84f21-secret';
const PACT_PATH = '/pacts/provider/oss-vectors/consumer/ovc-reference-client/version/1.0.0';

let broker: BrokerStandin;
let base: string;
let seen: Seen[] = [];

beforeAll(async () => {
  const pact = JSON.parse(readFileSync(DEFAULT_PACT_FILE, 'utf8')) as Record<string, unknown>;
  broker = await startBrokerStandin(({ method, url, here }) => {
    if (method === 'GET' && url === PACT_PATH) {
      return { json: { ...pact, _links: {
        self: { href: `${here}${PACT_PATH}` },
        'pb:provider': { title: 'Provider', name: 'oss-vectors', href: `${here}/pacticipants/oss-vectors` },
        'pb:publish-verification-results': { title: 'Publish verification results', href: `${here}/pacts/provider/oss-vectors/consumer/ovc-reference-client/pact-version/abc123/verification-results` },
      } } };
    }
    if (method === 'GET' && url === '/') return { json: { _links: { self: { href: here }, 'pb:provider': { href: `${here}/pacticipants/{provider}`, templated: true } } } };
    if (method === 'GET' && url === '/pacticipants/oss-vectors') {
      return { json: { name: 'oss-vectors', _links: { self: { href: `${here}/pacticipants/oss-vectors` },
        'pb:branch-version': { href: `${here}/pacticipants/oss-vectors/branches/{branch}/versions/{version}`, templated: true },
        'pb:version-tag': { href: `${here}/pacticipants/oss-vectors/versions/{version}/tags/{tag}`, templated: true } } } };
    }
    if (method === 'PUT' && url.startsWith('/pacticipants/oss-vectors/')) return { status: 201, json: { _links: { self: { href: `${here}${url}` } } } };
    if (method === 'POST' && url.endsWith('/verification-results')) return { status: 201, json: { success: true, _links: { self: { href: `${here}/verification-results/1` } } } };
    return null;
  });
  base = broker.url;
  seen = broker.seen;
  process.env.PACT_BROKER_TOKEN = TOKEN;
});
afterAll(async () => {
  delete process.env.PACT_BROKER_TOKEN;
  await broker.close();
});
beforeEach(() => { broker.reset(); });

const flags: VerifyFlags = { pact: DEFAULT_PACT_FILE, bucket: 'ovc-conformance', region: 'cn-hangzhou', accountId: '1234567890', timeoutMs: 10_000 };

async function verify(f: Partial<VerifyFlags>): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await pactVerify({ ...flags, ...f }, (s) => { out += s; });
  return { code, out };
}

describe('ovc pact verify --publish-results', () => {
  it('verifies the broker\'s pact and publishes the result with provider version, branch and build URL; no secret in it', async () => {
    const { code, out } = await verify({ pact: `${base}${PACT_PATH}`, publishResults: true, providerVersion: '2.0.0-test', providerBranch: 'main', buildUrl: 'https://ci.example.com/build/42' });
    expect(code, out).toBe(0);
    expect(out).toContain(`${INTERACTIONS.length} passed, 0 failed, 0 skipped, 0 errors`);
    const posted = seen.filter((s) => s.method === 'POST' && s.url.endsWith('/verification-results'));
    expect(posted, JSON.stringify(seen.map((s) => `${s.method} ${s.url}`))).toHaveLength(1);
    const result = JSON.parse(posted[0]!.body) as { success: boolean; providerApplicationVersion: string; buildUrl?: string; testResults?: Array<{ interactionId?: string; success: boolean; interactionDescription?: string }> };
    expect(result.success).toBe(true);
    expect(result.providerApplicationVersion).toBe('2.0.0-test');
    expect(result.buildUrl).toBe('https://ci.example.com/build/42');
    // The branch: the verifier records the provider version on it before posting the result.
    expect(seen.map((s) => `${s.method} ${s.url}`)).toContain('PUT /pacticipants/oss-vectors/branches/main/versions/2.0.0-test');
    // No secret: the token only in Authorization headers; no signature, no emulator secret anywhere.
    for (const s of seen) {
      if (s.headers.authorization !== undefined) expect(s.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const { authorization: _a, ...rest } = s.headers;
      const text = JSON.stringify(rest) + s.url + s.body;
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain('ovc-test-secret');
      expect(text).not.toMatch(/Signature=(?!0{64})[0-9a-f]{64}/);
    }
  });

  it('publishes a failure as such (fault profile): success false', async () => {
    const { code, out } = await verify({ pact: `${base}${PACT_PATH}`, publishResults: true, providerVersion: '2.0.1-bad', fault: 'wrong-error-code' });
    expect(code, out).toBe(1);
    const posted = seen.filter((s) => s.method === 'POST' && s.url.endsWith('/verification-results'));
    expect(posted).toHaveLength(1);
    expect((JSON.parse(posted[0]!.body) as { success: boolean }).success).toBe(false);
  });

  it('verifies only the pact given: a PACT_BROKER_BASE_URL in the environment adds no broker pacts', async () => {
    process.env.PACT_BROKER_BASE_URL = base;
    try {
      const { code, out } = await verify({});
      expect(code, out).toBe(0);
      expect(out).toContain(`${INTERACTIONS.length} passed, 0 failed, 0 skipped, 0 errors`);
      expect(seen, JSON.stringify(seen.map((s) => `${s.method} ${s.url}`))).toEqual([]);
      expect(process.env.PACT_BROKER_BASE_URL).toBe(base);
    } finally { delete process.env.PACT_BROKER_BASE_URL; }
  });

  it('refuses to publish for a local pact file (no broker link to publish to)', async () => {
    await expect(verify({ publishResults: true, providerVersion: '1' })).rejects.toBeInstanceOf(UsageError);
    expect(seen).toEqual([]);
  });
});
