// Virtual-hosted (`{bucket}-{accountId}.{host}`) and path-style (`/{bucket}/`) addressing (spec §1).
import { isIP } from 'node:net';

export type Addressing = 'virtual' | 'path';

/** Path-style when the endpoint host is an IP literal, virtual-hosted otherwise (the Go SDK's rule). */
export function defaultAddressing(endpoint: string | URL): Addressing {
  const host = new URL(String(endpoint)).hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? 'path' : 'virtual';
}

export interface RequestTarget {
  /** Where to open the connection (scheme://host:port). */
  origin: string;
  /** The Host header to send. */
  host: string;
  /** Path and query, e.g. `/?deleteVectorIndex` or `/bucket/?deleteVectorIndex=`. */
  path: string;
  /** The raw query string without '?'. */
  query: string;
}

export interface TargetSpec {
  endpoint: string;
  bucket?: string;
  accountId: string;
  addressing: Addressing;
  /** The raw query string, e.g. `deleteVectorIndex` or `deleteVectorIndex=`. */
  query?: string;
}

/** Hosts that cannot resolve `{bucket}-{accountId}.` sub-names: connect to the endpoint, send the virtual Host header. */
function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

export function buildTarget(t: TargetSpec): RequestTarget {
  const url = new URL(t.endpoint);
  const query = t.query ?? '';
  const q = query ? `?${query}` : '';
  if (!t.bucket) return { origin: url.origin, host: url.host, path: `/${q}`, query };
  if (t.addressing === 'path') return { origin: url.origin, host: url.host, path: `/${encodeURIComponent(t.bucket)}/${q}`, query };
  const host = `${t.bucket}-${t.accountId}.${url.host}`;
  const origin = isLocalHost(url.hostname) ? url.origin : `${url.protocol}//${host}`;
  return { origin, host, path: `/${q}`, query };
}

export interface ParsedAddress {
  style: Addressing | 'service';
  bucket?: string;
  accountId?: string;
  /** Path after the bucket segment (path-style) or the whole path. */
  rest: string;
}

const VIRTUAL_LABEL = /^([a-z0-9][a-z0-9-]*)-(\d+)$/;

/**
 * Finds the bucket of a request. Virtual-hosted: first Host label `{bucket}-{accountId}`, split at the
 * last '-' (account ids are digits). Path-style: first path segment. Otherwise service level.
 */
export function parseAddress(hostHeader: string | undefined, pathname: string): ParsedAddress {
  const virtual = virtualHost(hostHeader ?? '');
  if (virtual) return { style: 'virtual', bucket: virtual[0], accountId: virtual[1], rest: pathname };
  const seg = /^\/([^/?]+)(\/.*)?$/.exec(pathname);
  if (seg) {
    let bucket: string;
    try { bucket = decodeURIComponent(seg[1]!); } catch { bucket = seg[1]!; }
    return { style: 'path', bucket, rest: seg[2] ?? '/' };
  }
  return { style: 'service', rest: pathname };
}

/** Host header → [bucket, accountId] of a virtual-hosted name, or null; cached (a server sees few hosts). */
const hostCache = new Map<string, readonly [string, string] | null>();

function virtualHost(hostHeader: string): readonly [string, string] | null {
  const cached = hostCache.get(hostHeader);
  if (cached !== undefined) return cached;
  const host = hostHeader.toLowerCase();
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  const firstLabel = hostname.split('.')[0] ?? '';
  const m = hostname.includes('.') && !isIP(hostname) ? VIRTUAL_LABEL.exec(firstLabel) : null;
  const found = m ? [m[1]!, m[2]!] as const : null;
  if (hostCache.size >= 1024) hostCache.delete(hostCache.keys().next().value!);
  hostCache.set(hostHeader, found);
  return found;
}
