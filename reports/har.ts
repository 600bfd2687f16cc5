// failures.har: the exchanges of the fail and error cases as HAR 1.2, for a browser's or a proxy's
// HAR viewer. Each entry's `comment` is the case id.
import { STATUS_CODES } from 'node:http';
import { byId, isBad } from './cases.ts';
import type { CaseResult, Exchange } from './model.ts';
import type { ReportWriter } from './view.ts';

export interface HarHeader { name: string; value: string }
export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string; url: string; httpVersion: string; cookies: []; headers: HarHeader[]; queryString: HarHeader[];
    postData?: { mimeType: string; text: string; comment?: string }; headersSize: -1; bodySize: number;
  };
  response: {
    status: number; statusText: string; httpVersion: string; cookies: []; headers: HarHeader[];
    content: { size: number; mimeType: string; text?: string; encoding?: 'base64' }; redirectURL: ''; headersSize: -1; bodySize: number;
    comment?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment: string;
}
export interface Har { log: { version: '1.2'; creator: { name: string; version: string }; entries: HarEntry[]; comment?: string } }

export const HAR_CREATOR = { name: 'oss-vectors-conformance (ovc)', version: '0.1.0' };

export function toHar(results: readonly CaseResult[]): Har {
  const entries = byId(results.filter((r) => isBad(r) && r.exchange)).map((r) => entry(r, r.exchange!));
  return {
    log: {
      version: '1.2', creator: { ...HAR_CREATOR }, entries,
      comment: 'Exchanges of the fail and error cases; Authorization, x-oss-security-token and known secret values are redacted.',
    },
  };
}

export const harWriter: ReportWriter = { file: 'failures.har', render: (v) => `${JSON.stringify(toHar(v.results), null, 2)}\n` };

const headerList = (h: Record<string, string>): HarHeader[] => Object.entries(h).map(([name, value]) => ({ name, value }));

const headerValue = (h: Record<string, string>, name: string): string | undefined =>
  Object.entries(h).find(([k]) => k.toLowerCase() === name)?.[1];

const byteLength = (body: string, encoding: 'utf8' | 'base64' | undefined): number => Buffer.byteLength(body, encoding === 'base64' ? 'base64' : 'utf8');

function entry(r: CaseResult, x: Exchange): HarEntry {
  // The query read from the URL by hand: a virtual-hosted request on an IP endpoint
  // (`{bucket}-{account}.127.0.0.1`) has a URL whose host WHATWG's parser refuses.
  const q = /\?([^#]*)/.exec(x.request.url);
  const queryString: HarHeader[] = q ? [...new URLSearchParams(q[1])].map(([name, value]) => ({ name, value })) : [];
  const request: HarEntry['request'] = {
    method: x.request.method, url: x.request.url, httpVersion: 'HTTP/1.1', cookies: [],
    headers: headerList(x.request.headers), queryString, headersSize: -1,
    bodySize: byteLength(x.request.body, x.request.bodyEncoding),
  };
  if (x.request.body.length > 0) {
    request.postData = {
      mimeType: headerValue(x.request.headers, 'content-type') ?? 'application/octet-stream', text: x.request.body,
      ...(x.request.bodyEncoding === 'base64' ? { comment: 'text is base64: the body is not UTF-8' } : {}),
    };
  }
  const res = x.response;
  const response: HarEntry['response'] = res
    ? {
      status: res.status, statusText: STATUS_CODES[res.status] ?? '', httpVersion: 'HTTP/1.1', cookies: [],
      headers: headerList(res.headers),
      content: {
        size: byteLength(res.body, res.bodyEncoding), mimeType: headerValue(res.headers, 'content-type') ?? 'x-unknown',
        ...(res.body.length > 0 ? { text: res.body } : {}),
        ...(res.bodyEncoding === 'base64' ? { encoding: 'base64' as const } : {}),
      },
      redirectURL: '', headersSize: -1, bodySize: byteLength(res.body, res.bodyEncoding),
    }
    : {
      status: 0, statusText: '', httpVersion: 'HTTP/1.1', cookies: [], headers: [], content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '', headersSize: -1, bodySize: -1, comment: `no response: ${r.reason ?? 'transport error'}`,
    };
  const time = Math.max(0, x.durationMs);
  return {
    startedDateTime: x.startedAt, time, request, response, cache: {},
    timings: { send: 0, wait: time, receive: 0 }, comment: r.id,
  };
}
