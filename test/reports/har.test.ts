import { describe, expect, it } from 'vitest';
import { toHar } from '../../reports/har.ts';
import type { CaseResult } from '../../reports/model.ts';
import { FAILING_ID, fixtureResults, fixtureView, TOKEN } from './fixtures.ts';

/** The fields HAR 1.2 requires (http://www.softwareishard.com/blog/har-12-spec/). */
function assertHar12(har: any): void {
  expect(har.log.version).toBe('1.2');
  expect(typeof har.log.creator.name).toBe('string');
  expect(typeof har.log.creator.version).toBe('string');
  expect(Array.isArray(har.log.entries)).toBe(true);
  for (const e of har.log.entries) {
    expect(Number.isNaN(Date.parse(e.startedDateTime))).toBe(false);
    expect(typeof e.time).toBe('number');
    for (const k of ['method', 'url', 'httpVersion']) expect(typeof e.request[k]).toBe('string');
    for (const k of ['cookies', 'headers', 'queryString']) expect(Array.isArray(e.request[k])).toBe(true);
    expect(typeof e.request.headersSize).toBe('number');
    expect(typeof e.request.bodySize).toBe('number');
    for (const h of [...e.request.headers, ...e.request.queryString, ...e.response.headers]) { expect(typeof h.name).toBe('string'); expect(typeof h.value).toBe('string'); }
    if (e.request.postData) expect(typeof e.request.postData.mimeType).toBe('string');
    expect(typeof e.response.status).toBe('number');
    for (const k of ['statusText', 'httpVersion', 'redirectURL']) expect(typeof e.response[k]).toBe('string');
    for (const k of ['cookies', 'headers']) expect(Array.isArray(e.response[k])).toBe(true);
    expect(typeof e.response.content.size).toBe('number');
    expect(typeof e.response.content.mimeType).toBe('string');
    expect(typeof e.response.headersSize).toBe('number');
    expect(typeof e.response.bodySize).toBe('number');
    expect(typeof e.cache).toBe('object');
    for (const k of ['send', 'wait', 'receive']) expect(typeof e.timings[k]).toBe('number');
  }
}

describe('failures.har', () => {
  it('is HAR 1.2 with one entry per failing case that kept an exchange, commented with the case id', () => {
    const har = toHar(fixtureView().results);
    assertHar12(har);
    expect(har.log.entries.map((e) => e.comment)).toEqual([FAILING_ID]);
    const e = har.log.entries[0]!;
    expect(e.request).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9000/ovc-conformance/?deleteVectorIndex', httpVersion: 'HTTP/1.1', headersSize: -1 });
    expect(e.request.queryString).toEqual([{ name: 'deleteVectorIndex', value: '' }]);
    expect(e.request.postData).toMatchObject({ mimeType: 'application/json' });
    expect(e.response).toMatchObject({ status: 400, statusText: 'Bad Request', redirectURL: '', headersSize: -1 });
    expect(e.response.content.mimeType).toBe('application/json');
    expect(JSON.stringify(e.request.headers)).not.toContain(TOKEN);
  });

  it('reads the query of a virtual-hosted request on an IP endpoint, a URL WHATWG\'s parser refuses', () => {
    const base = fixtureResults().find((r) => r.id === FAILING_ID)!;
    const url = 'http://ovc-conformance-1234567890.127.0.0.1:9000/?deleteVectorIndex&x=1%202';
    const virtual: CaseResult = { ...base, exchange: { ...base.exchange!, request: { ...base.exchange!.request, url } } };
    const e = toHar([virtual]).log.entries[0]!;
    expect(e.request.url).toBe(url);
    expect(e.request.queryString).toEqual([{ name: 'deleteVectorIndex', value: '' }, { name: 'x', value: '1 2' }]);
  });

  it('writes a transport failure as status 0 and a binary body as base64', () => {
    const base = fixtureResults().find((r) => r.id === FAILING_ID)!;
    const noResponse: CaseResult = { ...base, id: 'x/no-response', outcome: 'error', exchange: { ...base.exchange!, response: null } };
    const binary: CaseResult = { ...base, id: 'x/binary', exchange: { ...base.exchange!, response: { status: 400, headers: {}, body: Buffer.from([0xff, 0xfe, 0x00]).toString('base64'), bodyEncoding: 'base64' } } };
    const har = toHar([noResponse, binary]);
    assertHar12(har);
    const [bin, none] = har.log.entries;
    expect(none!.response).toMatchObject({ status: 0, statusText: '' });
    expect(bin!.response.content).toMatchObject({ encoding: 'base64', size: 3 });
  });
});
