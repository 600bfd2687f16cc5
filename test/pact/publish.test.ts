// Publishing end to end: the real pact-broker binary against a broker stand-in on loopback.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pactPublish, type PublishFlags } from '../../cli/pact.ts';
import { startEmulator, defaultIdentities } from '../../emulator/index.ts';
import { separateEmulator } from './emulator-fixture.ts';
import { gitBranch, gitConsumerVersion } from '../../pact/publish.ts';
import { PACT_DIR } from '../../pact/interactions.ts';
import { startBrokerStandin, type BrokerStandin, type Seen } from './broker-standin.ts';

const TOKEN = 'tok-3f9a1c77e2b94d0f-secret';

let broker: BrokerStandin;
let brokerUrl: string;
let seen: Seen[] = [];

beforeAll(async () => {
  broker = await startBrokerStandin(({ method, url, body, here }) => {
    if (method === 'GET' && url === '/') return { json: { _links: { self: { href: here }, 'pb:publish-contracts': { href: `${here}/contracts/publish`, title: 'Publish contracts' } } } };
    if (method === 'POST' && url === '/contracts/publish') {
      const b = JSON.parse(body) as { pacticipantName: string; pacticipantVersionNumber: string };
      return { json: {
        notices: [{ type: 'success', text: `Created ${b.pacticipantName} version ${b.pacticipantVersionNumber}` }],
        _embedded: { pacticipant: { name: b.pacticipantName, _links: {} }, version: { number: b.pacticipantVersionNumber, _links: {} } },
        _links: { 'pb:pacticipant': { href: here }, 'pb:pacticipant-version': { href: here }, 'pb:contracts': [] },
      } };
    }
    return null;
  });
  brokerUrl = broker.url;
  seen = broker.seen;
  process.env.PACT_BROKER_TOKEN = TOKEN;
});
afterAll(async () => {
  delete process.env.PACT_BROKER_TOKEN;
  await broker.close();
});
beforeEach(() => { broker.reset(); });

const base: PublishFlags = { pactDir: PACT_DIR, bucket: 'ovc-conformance', region: 'cn-hangzhou', accountId: '1234567890', timeoutMs: 10_000 };

async function publish(flags: Partial<PublishFlags>): Promise<{ code: number; log: string }> {
  let log = '';
  const code = await pactPublish({ ...base, ...flags }, (s) => { log += `${s}\n`; });
  return { code, log };
}

describe('ovc pact publish', () => {
  it('verifies against the embedded emulator, then publishes the pact with version and branch; the token only in Authorization', async () => {
    const { code, log } = await publish({ brokerUrl, consumerVersion: '1.2.3-test', branch: 'feature-pacts' });
    expect(code, log).toBe(0);
    const pub = seen.find((s) => s.method === 'POST' && s.url === '/contracts/publish');
    expect(pub, JSON.stringify(seen.map((s) => s.url))).toBeDefined();
    const body = JSON.parse(pub!.body) as { pacticipantName: string; pacticipantVersionNumber: string; branch: string; contracts: Array<{ consumerName: string; providerName: string; specification: string; contentType: string; content: string }> };
    expect(body.pacticipantName).toBe('ovc-reference-client');
    expect(body.pacticipantVersionNumber).toBe('1.2.3-test');
    expect(body.branch).toBe('feature-pacts');
    expect(body.contracts).toHaveLength(1);
    expect(body.contracts[0]!.providerName).toBe('oss-vectors');
    const sent = JSON.parse(Buffer.from(body.contracts[0]!.content, 'base64').toString('utf8')) as { interactions: unknown[] };
    expect(sent.interactions).toHaveLength(10);
    // The token: in the Authorization header of each request and nowhere else (bodies, URLs, other headers, our log).
    for (const s of seen) {
      expect(s.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const { authorization: _auth, ...rest } = s.headers;
      expect(JSON.stringify(rest) + s.url + s.body).not.toContain(TOKEN);
    }
    expect(log).not.toContain(TOKEN);
    expect(log).toContain('published 1 pact file(s)');
  });

  it('defaults the consumer version and branch from git', () => {
    expect(gitConsumerVersion()).toMatch(/^[0-9a-f]{7,}(-dirty)?$/);
    const branch = gitBranch();
    expect(branch === null || branch.length > 0).toBe(true); // null on a detached HEAD (CI checkouts)
  });

  describe('against a faulty emulator', () => {
    const em = separateEmulator({ fault: 'wrong-error-code' });

    it('refuses to publish a pact that did not pass verification (exit 1, nothing sent to publish)', async () => {
      const { code, log } = await publish({ brokerUrl, consumerVersion: '9.9.9', branch: 'x', endpoint: em().url, stateHook: em().stateHookUrl! });
      expect(code, log).toBe(1);
      expect(log).toMatch(/refusing to publish .*ovc-reference-client-oss-vectors\.json: it did not pass verification/);
      expect(log).toContain('a delete of an index that does not exist is answered 404 NoSuchVectorIndex');
      expect(seen.some((s) => s.url === '/contracts/publish')).toBe(false);
    });

    it('refuses (exit 2) when interactions could only be skipped: a target without a state hook', async () => {
      const healthy = await startEmulator({ identities: defaultIdentities({}), stateHook: false });
      try {
        const { code, log } = await publish({ brokerUrl, consumerVersion: '9.9.9', branch: 'x', endpoint: healthy.url });
        expect(code, log).toBe(2);
        expect(log).toMatch(/refusing to publish .*: it could not be verified .*\(8 passed, 0 failed, 2 skipped, 0 errors\)/);
        expect(seen.some((s) => s.url === '/contracts/publish')).toBe(false);
      } finally { await healthy.close(); }
    });
  });

  it('fails fast with one sentence (exit 2) when the broker is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const started = performance.now();
    const { code, log } = await publish({ brokerUrl: `http://127.0.0.1:${port}`, consumerVersion: '1', branch: 'b' });
    const ms = performance.now() - started;
    expect(code, log).toBe(2);
    expect(log).toMatch(/cannot reach the Pact Broker at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); nothing was published\./);
    expect(ms).toBeLessThan(15_000); // sanity bound; it takes milliseconds
  });

  it('fails (exit 2) without any broker URL', async () => {
    const saved = process.env.PACT_BROKER_BASE_URL;
    delete process.env.PACT_BROKER_BASE_URL;
    try {
      const { code, log } = await publish({ consumerVersion: '1' });
      expect(code).toBe(2);
      expect(log).toContain('no Pact Broker: pass --broker-url or set PACT_BROKER_BASE_URL.');
    } finally { if (saved !== undefined) process.env.PACT_BROKER_BASE_URL = saved; }
  });
});
