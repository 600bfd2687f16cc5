// Reading what a request addresses: path, raw query and query parameters, and the body (capped).
import type { IncomingMessage } from 'node:http';

export interface QueryParam {
  key: string;
  value: string;
  /** `?op=` (Python) rather than `?op` (Go): both route the same; the client log notes values. */
  hasEquals: boolean;
}

export interface RequestTarget {
  pathname: string;
  /** The query exactly as received (without '?'): the signature is computed over it. */
  rawQuery: string;
  query: QueryParam[];
}

function safeDecode(s: string): string {
  // Most keys and values hold nothing to decode: skip the replace and the decoder for them.
  if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
  try { return decodeURIComponent(s.replace(/\+/g, '%20')); } catch { return s; }
}

export function parseQuery(raw: string): QueryParam[] {
  const out: QueryParam[] = [];
  for (const item of raw.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    out.push(eq < 0
      ? { key: safeDecode(item), value: '', hasEquals: false }
      : { key: safeDecode(item.slice(0, eq)), value: safeDecode(item.slice(eq + 1)), hasEquals: true });
  }
  return out;
}

/** Splits a request target (origin-form or absolute-form) into path and query. */
export function parseTarget(url: string | undefined): RequestTarget {
  let u = url ?? '/';
  // Origin-form (`/…`), what every client sends, cannot be absolute-form: no need for the pattern.
  const absolute = u.charCodeAt(0) === 47 ? null : /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(u);
  if (absolute) u = u.slice(absolute[0].length) || '/';
  const hash = u.indexOf('#');
  if (hash >= 0) u = u.slice(0, hash);
  const q = u.indexOf('?');
  const pathname = q < 0 ? u : u.slice(0, q);
  const rawQuery = q < 0 ? '' : u.slice(q + 1);
  return { pathname: pathname || '/', rawQuery, query: parseQuery(rawQuery) };
}

export type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/**
 * Reads the whole body, refusing more than `max` bytes: a declared Content-Length above it is
 * refused before reading anything; a chunked body is refused as soon as it crosses the cap.
 */
export function readBody(req: IncomingMessage, max: number, declaredLength?: string | null): Promise<BodyResult> {
  // `declaredLength`: the Content-Length the caller already read from rawHeaders (null: none).
  const declared = declaredLength === undefined ? req.headers['content-length'] : declaredLength ?? undefined;
  if (declared !== undefined && Number(declared) > max) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (r: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort);
      resolve(r);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > max) {
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'body', body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort);
  });
}
