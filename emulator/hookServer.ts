// The provider-state hook (docs/provider-states.md, protocol v2): POST /_ovc/provider-states sets
// up or tears down the states the public API cannot produce on demand. Unsigned by design.
// States it sets stay exactly as set: no creating/deleting timer ever moves them.
// Unsigned, it must not be drivable by a web page the developer happens to open: it refuses (403)
// a request with a foreign Origin, without a JSON content type (a page's form or simple fetch sends
// text/plain, form data or none), or addressed to a Host that is not the emulator's own (a DNS
// rebinding page names its own domain) — see `refusal`.
import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { INDEX_STATES, isValidBucketName, isValidIndexName, LIMITS, type DistanceMetric, type IndexState } from '../contracts/limits.ts';
import { STATE_DEFAULTS, STATE_STATUS, STATES } from '../contracts/provider-states.ts';
import { isObject, type JsonObject } from './params.ts';
import type { Store } from './store.ts';
import { formatBytes, generatedVectorsBytes } from './memory.ts';
import { fillDeterministic } from './vectorData.ts';

export interface HookAnswer {
  status: number;
  json: Record<string, unknown>;
}

/** Largest body the hook reads (its requests are a few hundred bytes); beyond it 413 and a close. */
export const HOOK_MAX_BODY_BYTES = 64 * 1024;

/** Upper bound of `vectorCount` (the memory budget bounds vectorCount × dimension further). */
export const MAX_STATE_VECTORS = 2_000_000;

class BadParams extends Error {}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Where the emulator listens, for the hook's Host and Origin checks. */
export interface HookAddress {
  /** The address bound (`127.0.0.1`, `::`, `0.0.0.0`, a name). */
  host: string;
  port: number;
  /** `host[:port]` of --advertised-endpoint, if given. */
  advertisedHost: string | null;
}

const lower = (h: string): string => h.toLowerCase().replace(/\.$/, '');

/** `host` and `port` of a Host header value or an origin's authority (`[::1]:9000`, `localhost`). */
function splitAuthority(a: string, defaultPort: number): { host: string; port: number } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(a.trim());
  if (!m) return null;
  return { host: lower(m[1]!.replace(/^\[|\]$/g, '')), port: m[2] ? Number(m[2]) : defaultPort };
}

export class StateHook {
  /** Buckets created by 'a vector bucket exists', which its teardown may delete again. */
  private readonly createdBuckets = new Set<string>();
  /** Set once listening: without it (a handler mounted in-process) Host is not checked. */
  private address: HookAddress | null = null;

  constructor(private readonly store: Store, private readonly defaultBucket: string | undefined) {}

  /** The emulator's own address, known once it listens. */
  listeningAt(a: HookAddress): void { this.address = a; }

  /** A Host this emulator answers as: its own address, another loopback name of it (any IP literal when bound to every interface), or the advertised endpoint. */
  private isOwn(authority: string): boolean {
    const a = this.address!;
    const at = splitAuthority(authority, 80);
    if (!at) return false;
    const adv = a.advertisedHost ? splitAuthority(a.advertisedHost, 80) : null;
    if (adv && adv.host === at.host && adv.port === at.port) return true;
    if (at.port !== a.port) return false;
    const bound = lower(a.host.replace(/^\[|\]$/g, ''));
    if (at.host === bound) return true;
    // A DNS rebinding page always names its own domain; an IP literal names no one's.
    if (bound === '0.0.0.0' || bound === '::') return at.host === 'localhost' || isIP(at.host) !== 0;
    return isLoopback(bound) && isLoopback(at.host);
  }

  /** 403 and why, when a request may come from a web page rather than a test harness; null to go on. */
  refusal(h: IncomingHttpHeaders): HookAnswer | null {
    const host = h.host;
    if (this.address && (host === undefined || !this.isOwn(host))) {
      return forbidden(`the provider-state hook answers only at its own address (${this.ownText()}), not Host: ${String(host ?? '(none)').slice(0, 100)}; behind a proxy or in a container, pass ovc serve --advertised-endpoint`);
    }
    // The emulator's own origin is the one the request was addressed to (its Host, checked above).
    if (h.origin !== undefined && !sameAuthority(h.origin, host)) {
      return forbidden(`the provider-state hook refuses requests from another origin (Origin: ${String(h.origin).slice(0, 100)}): it is for test harnesses, not web pages`);
    }
    const type = (h['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
      return forbidden(`the provider-state hook takes Content-Type: application/json${type ? `, not ${type.slice(0, 100)}` : ' (none was sent)'}`);
    }
    return null;
  }

  private ownText(): string {
    const a = this.address!;
    const h = a.host.includes(':') ? `[${a.host}]` : a.host;
    return `${h}:${a.port}${a.advertisedHost ? ` or ${a.advertisedHost}` : ''}`;
  }

  handle(body: Buffer): HookAnswer {
    let req: unknown;
    try { req = JSON.parse(strictUtf8.decode(body)); } catch { return bad('the body must be a JSON object {"action","state","params"}'); }
    if (!isObject(req)) return bad('the body must be a JSON object {"action","state","params"}');
    const action = req.action ?? 'setup';
    if (action !== 'setup' && action !== 'teardown') return bad("action must be 'setup' or 'teardown'");
    const params = req.params ?? {};
    if (!isObject(params)) return bad('params must be an object');
    try {
      switch (req.state) {
        case STATES.bucketExists: return ok(this.bucketExists(action, params));
        case STATES.noBucket: return ok(this.noBucket(action, params));
        case STATES.indexExists: return ok(this.indexExists(action, params));
        case STATES.indexCreating:
        case STATES.indexDeleting: return ok(this.indexExists(action, params, STATE_STATUS[req.state]));
        case STATES.noIndex: return ok(this.noIndex(action, params));
        default: return bad(`unknown state ${JSON.stringify(req.state)}; known: ${Object.values(STATES).join(', ')}`);
      }
    } catch (e) {
      if (e instanceof BadParams) return bad(e.message);
      throw e;
    }
  }

  private bucketParam(p: JsonObject): string {
    const b = p.bucket ?? this.defaultBucket;
    if (!isValidBucketName(b)) throw new BadParams('params.bucket must be a valid vector bucket name');
    return b;
  }

  private indexParam(p: JsonObject): string {
    if (!isValidIndexName(p.indexName)) throw new BadParams('params.indexName must be 1-63 letters and digits, starting with a letter');
    return p.indexName;
  }

  private bucketExists(action: string, p: JsonObject): JsonObject {
    const bucket = this.bucketParam(p);
    if (action === 'teardown') {
      if (this.createdBuckets.delete(bucket)) this.store.deleteBucket(bucket);
      return {};
    }
    if (!this.store.bucket(bucket)) {
      this.store.createBucket(bucket);
      this.createdBuckets.add(bucket);
    }
    return { bucket };
  }

  private noBucket(action: string, p: JsonObject): JsonObject {
    const bucket = this.bucketParam(p);
    if (action === 'setup') {
      this.store.deleteBucket(bucket);
      this.createdBuckets.delete(bucket);
    }
    return action === 'setup' ? { bucket } : {};
  }

  /** `a vector index exists`; `fixed`: the status a v2 named state sets (a `status` param must then agree). */
  private indexExists(action: string, p: JsonObject, fixed?: IndexState): JsonObject {
    const bucketName = this.bucketParam(p);
    const indexName = this.indexParam(p);
    if (action === 'teardown') {
      this.removeIndexIfPresent(bucketName, indexName);
      return {};
    }
    if (fixed !== undefined && p.status !== undefined && p.status !== fixed) throw new BadParams(`params.status must be '${fixed}' (or absent) for this state`);
    const status = (fixed ?? p.status ?? STATE_DEFAULTS.status) as IndexState;
    if (!INDEX_STATES.includes(status)) throw new BadParams(`params.status must be one of ${INDEX_STATES.join(', ')}`);
    const dimension = p.dimension ?? STATE_DEFAULTS.dimension;
    if (typeof dimension !== 'number' || !Number.isInteger(dimension) || dimension < LIMITS.dimensionMin || dimension > LIMITS.dimensionMax) {
      throw new BadParams(`params.dimension must be an integer in ${LIMITS.dimensionMin}..${LIMITS.dimensionMax}`);
    }
    const distanceMetric = (p.distanceMetric ?? STATE_DEFAULTS.distanceMetric) as DistanceMetric;
    if (!LIMITS.distanceMetrics.includes(distanceMetric)) throw new BadParams(`params.distanceMetric must be one of ${LIMITS.distanceMetrics.join(', ')}`);
    const vectorCount = p.vectorCount ?? STATE_DEFAULTS.vectorCount;
    if (typeof vectorCount !== 'number' || !Number.isInteger(vectorCount) || vectorCount < 0 || vectorCount > MAX_STATE_VECTORS) {
      throw new BadParams(`params.vectorCount must be an integer in 0..${MAX_STATE_VECTORS}`);
    }
    // A bucket named here that does not exist yet is created (and kept: the teardown removes the index only).
    // The memory budget, before anything is allocated or replaced: vectorCount × dimension is
    // checked here, never discovered by filling (emulator/memory.ts).
    const existing = this.store.bucket(bucketName)?.indexes.get(indexName);
    const needed = generatedVectorsBytes(vectorCount, dimension);
    if (!this.store.hasRoom(needed, existing?.vectors.accountedBytes() ?? 0)) {
      throw new BadParams(`params.vectorCount × params.dimension (${vectorCount} × ${dimension}, about ${formatBytes(needed)}) exceeds the emulator's memory budget of ${formatBytes(this.store.maxBytes)} (ovc serve --max-memory-mb; ${formatBytes(this.store.accountedBytes())} held now)`);
    }
    const bucket = this.store.bucket(bucketName) ?? this.store.createBucket(bucketName);
    const old = bucket.indexes.get(indexName);
    if (old) this.store.removeIndex(bucket, old);
    // Held: a 'creating' or 'deleting' index stays so until teardown (no timer).
    const index = this.store.createIndex(bucket, { name: indexName, dimension, distanceMetric }, { status, hold: true });
    fillDeterministic(index.vectors, vectorCount);
    return { bucket: bucketName, indexName, status, dimension, distanceMetric, vectorCount };
  }

  private noIndex(action: string, p: JsonObject): JsonObject {
    const bucketName = this.bucketParam(p);
    const indexName = this.indexParam(p);
    if (action === 'setup') this.removeIndexIfPresent(bucketName, indexName);
    return action === 'setup' ? { bucket: bucketName, indexName } : {};
  }

  /** Removes the index at once (no 'deleting' window) when the bucket holds it; nothing otherwise. */
  private removeIndexIfPresent(bucketName: string, indexName: string): void {
    const b = this.store.bucket(bucketName);
    const i = b?.indexes.get(indexName);
    if (b && i) this.store.removeIndex(b, i);
  }
}

function ok(json: JsonObject): HookAnswer {
  return { status: 200, json };
}

const isLoopback = (h: string): boolean => h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));

/** Whether `origin` (`http://host:port`) names exactly the authority of the Host header. */
function sameAuthority(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  let u: URL;
  try { u = new URL(origin); } catch { return false; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  const o = splitAuthority(u.host, u.protocol === 'https:' ? 443 : 80);
  const h = splitAuthority(host, u.protocol === 'https:' ? 443 : 80);
  return o !== null && h !== null && o.host === h.host && o.port === h.port;
}

function forbidden(error: string): HookAnswer {
  return { status: 403, json: { error } };
}

function bad(error: string): HookAnswer {
  return { status: 400, json: { error } };
}
