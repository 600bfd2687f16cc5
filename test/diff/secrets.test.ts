// No secret in a cassette or in any diff output, whichever side it came from and wherever it hid
// (Authorization, a header value that differs, an error message, a request body).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readCassette } from '../../diff/cassette.ts';
import { diffCassettes } from '../../diff/classify.ts';
import { diffSecrets, writeDiffReports } from '../../diff/index.ts';
import { buildCassette, errorBody, errorResponse, IDS, tamper, writeBuilt } from './fixtures.ts';
import { filesUnder, secretForms } from './scan.ts';

const SECRET = 'diff-test-secret-Zq9/+w==';
const AGAINST = 'against-secret-Kx7&<y>';
const TOKEN = 'sts-token-Pm3Nq8Vv2Ww';

afterEach(() => { vi.unstubAllEnvs(); });

describe('secrets', () => {
  it('neither the cassettes nor diff.jsonl, diff.md, diff.html contain a secret of either side', () => {
    vi.stubEnv('OSS_ACCESS_KEY_SECRET', SECRET);
    vi.stubEnv('OSS_SESSION_TOKEN', TOKEN);
    vi.stubEnv('OVC_AGAINST_ACCESS_KEY_SECRET', AGAINST);
    const root = mkdtempSync(join(tmpdir(), 'ovc-diff-sec-'));
    const leak = (v: { runId: string }) => {
      let b = buildCassette(v);
      b.exchanges[0]!.exchange.request.headers.authorization = `OSS4-HMAC-SHA256 Credential=AKID/20261130/cn-hangzhou/oss/aliyun_v4_request,Signature=${SECRET}`;
      b.exchanges[0]!.exchange.request.headers['x-oss-security-token'] = TOKEN;
      b.exchanges[0]!.exchange.request.body = JSON.stringify({ indexName: SECRET });
      b = tamper(b, IDS.malformed, () => errorResponse(v, 400, 'MalformedJson', { headers: { 'x-oss-echo': v.runId === 'aaaaaa' ? `L ${SECRET} ${TOKEN}` : `R ${AGAINST}` }, body: errorBody(v, 'MalformedJson', { Message: `bad ${AGAINST}` }) }));
      return b;
    };
    const secrets = diffSecrets();
    expect(secrets).toEqual(expect.arrayContaining([SECRET, TOKEN, AGAINST]));
    const l = writeBuilt(join(root, 'l'), leak({ runId: 'aaaaaa' }), secrets);
    const r = writeBuilt(join(root, 'r'), leak({ runId: 'bbbbbb' }), secrets);
    const result = diffCassettes(readCassette(l), readCassette(r));
    // The differing header is reported, redacted on both sides.
    const echoed = result.cases.find((c) => c.id === IDS.malformed)!;
    expect(echoed.differences).toEqual([expect.objectContaining({ subject: 'x-oss-echo', left: 'L [REDACTED] [REDACTED]', right: 'R [REDACTED]' })]);
    writeDiffReports(join(root, 'out'), result);
    const files = filesUnder(root);
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const s of [SECRET, AGAINST, TOKEN]) for (const form of secretForms(s)) expect(text.includes(form), `${form} in ${f}`).toBe(false);
    }
  });

  it('a cassette that leaked a secret (a faulty recorder) still gives diff outputs without it', () => {
    vi.stubEnv('OVC_AGAINST_ACCESS_KEY_SECRET', AGAINST);
    const root = mkdtempSync(join(tmpdir(), 'ovc-diff-leak-'));
    const leaky = tamper(buildCassette({ runId: 'bbbbbb' }), IDS.malformed, () => errorResponse({ runId: 'bbbbbb' }, 400, 'MalformedJson', { headers: { 'x-oss-echo': AGAINST }, body: errorBody({ runId: 'bbbbbb' }, 'MalformedJson', { Extra: AGAINST }) }));
    const plain = tamper(buildCassette({ runId: 'aaaaaa' }), IDS.malformed, () => errorResponse({ runId: 'aaaaaa' }, 400, 'MalformedJson', { headers: { 'x-oss-echo': 'plain' } }));
    const l = writeBuilt(join(root, 'l'), plain, []);
    const r = writeBuilt(join(root, 'r'), leaky, []);
    expect(readFileSync(join(r, 'exchanges.jsonl'), 'utf8')).toContain(AGAINST);
    writeDiffReports(join(root, 'out'), diffCassettes(readCassette(l), readCassette(r)));
    for (const f of filesUnder(join(root, 'out'))) {
      const text = readFileSync(f, 'utf8');
      for (const form of secretForms(AGAINST)) expect(text.includes(form), `${form} in ${f}`).toBe(false);
    }
  });
});
