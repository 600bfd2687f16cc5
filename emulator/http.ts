// Response writing: the common headers every response carries, JSON and empty successes, and the
// error envelope (spec §6). Fault profiles that change the wire form of responses are applied here.
import type { ServerResponse } from 'node:http';
import { ecFor, encodeError, JSON_CONTENT_TYPE, type ErrorBody } from '../protocol/envelope.ts';
import { ApiError, messageOf } from './errors.ts';
import type { FaultName } from './faults.ts';

export interface ReplyContext {
  requestId: string;
  /** The Host the client addressed, echoed as HostId (spec §12 U23). */
  hostId: string;
  fault: FaultName | null;
  now: Date;
}

export interface RenderedError {
  status: number;
  code: string;
  headers: Record<string, string>;
  body: string;
}

function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Status, headers and body of an error response. */
export function renderError(err: ApiError, ctx: ReplyContext): RenderedError {
  const code = ctx.fault === 'wrong-error-code' && err.code === 'NoSuchVectorIndex' ? 'NoSuchIndex' : err.code;
  const ec = ecFor(code);
  const fields: ErrorBody = { Code: code, Message: messageOf(err.code), RequestId: ctx.requestId, HostId: ctx.hostId, EC: ec };
  if (err.concernsBucket && err.bucketName !== undefined) fields.BucketName = err.bucketName;
  let body: string;
  let contentType: string;
  if (ctx.fault === 'xml-errors') {
    const inner = Object.entries(fields).map(([k, v]) => `  <${k}>${xmlEscape(String(v))}</${k}>\n`).join('');
    body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${inner}</Error>\n`;
    contentType = 'application/xml';
  } else {
    body = encodeError(fields);
    contentType = ctx.fault === 'json-charset' ? 'application/json; charset=utf-8' : JSON_CONTENT_TYPE;
  }
  return {
    status: err.status, code,
    headers: { 'Content-Type': contentType, 'x-oss-ec': ec, 'x-oss-server-time': String(ctx.now.getTime()) },
    body,
  };
}

/** The HTTP date changes once a second: format it once per second, not once per response. */
let dateCache = { second: NaN, text: '' };
function httpDate(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== dateCache.second) dateCache = { second, text: now.toUTCString() };
  return dateCache.text;
}

/** Headers of every response: request id, Date (from the emulator clock), Server. */
export function commonHeaders(ctx: ReplyContext): Record<string, string> {
  const h: Record<string, string> = { Date: httpDate(ctx.now), Server: 'AliyunOSS' };
  if (ctx.fault !== 'missing-request-id') h['x-oss-request-id'] = ctx.requestId;
  return h;
}

/**
 * Writes status, the common headers, `extra` (which may override them) and the body with its
 * Content-Length. The headers go to writeHead as one flat [name, value, …] array (no header object
 * built and copied per response) and a string body is written as it is (no Buffer copy).
 */
function write(res: ServerResponse, ctx: ReplyContext, status: number, extra: Record<string, string> | undefined, body: string | null): void {
  if (res.headersSent || res.destroyed) return;
  const headers: string[] = ['Date', httpDate(ctx.now), 'Server', 'AliyunOSS'];
  if (ctx.fault !== 'missing-request-id') headers.push('x-oss-request-id', ctx.requestId);
  if (extra) {
    for (const name in extra) {
      const at = indexOfName(headers, name);
      if (at < 0) headers.push(name, extra[name]!);
      else headers[at + 1] = extra[name]!;
    }
  }
  const length = body === null ? '0' : String(Buffer.byteLength(body));
  const at = indexOfName(headers, 'Content-Length');
  if (at < 0) headers.push('Content-Length', length);
  else headers[at + 1] = length;
  res.writeHead(status, headers);
  // One syscall either way: node joins the head to a string body and sends it (with an empty
  // closing chunk) through one writev.
  if (body === null) res.end();
  else res.end(body);
}

/** Position of `name` (exact spelling, as an object key would match) in a flat header array, or -1. */
function indexOfName(flat: readonly string[], name: string): number {
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) return i;
  return -1;
}

const JSON_HEADERS = { 'Content-Type': JSON_CONTENT_TYPE };

export function sendEmpty(res: ServerResponse, ctx: ReplyContext, status: number, extra?: Record<string, string>): void {
  write(res, ctx, status, extra, null);
}

export function sendJson(res: ServerResponse, ctx: ReplyContext, status: number, value: unknown, extra?: Record<string, string>): void {
  write(res, ctx, status, extra ? { ...JSON_HEADERS, ...extra } : JSON_HEADERS, JSON.stringify(value));
}

/** A JSON document already serialised (e.g. a bucket policy returned byte for byte as it was stored). */
export function sendJsonText(res: ServerResponse, ctx: ReplyContext, status: number, text: string, extra?: Record<string, string>): void {
  write(res, ctx, status, extra ? { ...JSON_HEADERS, ...extra } : JSON_HEADERS, text);
}

export function sendError(res: ServerResponse, ctx: ReplyContext, err: ApiError, extra?: Record<string, string>): RenderedError {
  const r = renderError(err, ctx);
  write(res, ctx, r.status, extra ? { ...r.headers, ...extra } : r.headers, r.body);
  return r;
}

const REASONS: Record<number, string> = { 200: 'OK', 204: 'No Content', 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

/** A complete HTTP/1.1 response as text, for sockets that no longer have a ServerResponse (client errors, the body-on-204 fault). */
export function rawResponse(status: number, headers: Record<string, string>, body: string): string {
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`];
  for (const [k, v] of Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
