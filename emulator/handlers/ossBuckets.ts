// A minimal plain-OSS namespace, path-style: PutBucket and DeleteBucket, so an SDK test can make
// the log target of PutBucketLogging through its ordinary OSS client pointed at the emulator
// (docs/emulator.md U24); and the listings an SDK test fixture walks to clean up after itself —
// ListBuckets (GET /, `prefix` honoured), and of a bucket ListObjects, ListObjectVersions
// (`?versions`) and ListMultipartUploads (`?uploads`), all empty: these buckets hold nothing. A
// request belongs here when its V4 signature verifies over the plain OSS canonical URI (`/` or
// `/{bucket}/`) instead of the vectors ARN; anything else about it is refused.
import type { ParsedAddress } from '../../protocol/addressing.ts';
import { canonicalRequest, escapePath, hmacHex, normalizeHeaders, scopeOf, signingKey, stringToSign } from '../../protocol/signer.ts';
import { parseAuthorization } from '../../protocol/verifier.ts';
import type { Emulator } from '../dispatch.ts';
import { ApiError } from '../errors.ts';
import { isAuthParam } from '../router.ts';
import type { RequestTarget } from '../request.ts';
import type { OpResult } from './context.ts';

/** OSS bucket names: 3-63 characters of a-z, 0-9 and '-', not starting or ending with '-'. */
const OSS_BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** True when the header signature verifies as a plain OSS request on `/{bucket}/` (the secret never leaves this function). */
function signedForPlainOss(em: Emulator, method: string, bucket: string | undefined, rawQuery: string, headers: Array<[string, string]>): boolean {
  const map = normalizeHeaders(headers);
  const auth = map.get('authorization');
  const datetime = map.get('x-oss-date');
  if (!auth || !datetime) return false;
  const parsed = parseAuthorization(auth);
  if (!parsed || parsed.region !== em.options.region || parsed.date !== datetime.slice(0, 8)) return false;
  const identity = em.identities.get(parsed.accessKeyId);
  if (!identity || (identity.securityToken ?? '') !== (map.get('x-oss-security-token') ?? '')) return false;
  const vectors = canonicalRequest({
    method, region: em.options.region, accountId: em.options.accountId, bucket, query: rawQuery, headers,
    additionalHeaders: parsed.additionalHeaders.filter((h) => h !== 'authorization'), product: parsed.product,
  }).canonicalRequest;
  // Same canonical request with the plain OSS resource path as its second line.
  const lines = vectors.split('\n');
  lines[1] = bucket === undefined ? '/' : escapePath(`/${bucket}/`);
  const sts = stringToSign(datetime, scopeOf(parsed.date, parsed.region, parsed.product), lines.join('\n'));
  return hmacHex(signingKey(identity.accessKeySecret, parsed.date, parsed.region, parsed.product), sts) === parsed.signature;
}

/**
 * The answer to a plain OSS request of the list above, or null when the request is not one signed for
 * plain OSS (the caller then answers its original authentication error). The clock skew was
 * already checked by the vectors verifier, which rejected the request only on the signature.
 */
export function plainOssRequest(em: Emulator, method: string, address: ParsedAddress, target: RequestTarget,
  headers: Array<[string, string]>, now: Date): OpResult | null {
  if (address.style === 'virtual' || (address.style === 'path' && !address.bucket)) return null;
  if (!signedForPlainOss(em, method, address.bucket, target.rawQuery, headers)) return null;
  const name = address.bucket;
  const keys = target.query.map((p) => p.key).filter((k) => !isAuthParam(k));
  const param = (k: string): string => target.query.find((p) => p.key === k)?.value ?? '';
  const buckets = em.store.ossBuckets;
  if (name === undefined) {
    if (method !== 'GET' || keys.some((k) => !LIST_BUCKETS_PARAMS.has(k))) throw refused(method, keys, 'on the OSS service');
    return xml(listBuckets(em, [...buckets.entries()].filter(([b]) => b.startsWith(param('prefix'))), hostOf(headers)));
  }
  if (method === 'GET') {
    const listing = keys.includes('versions') ? 'versions' : keys.includes('uploads') ? 'uploads' : 'objects';
    if (keys.some((k) => !LIST_PARAMS[listing].has(k))) throw refused(method, keys, `on bucket '${name}'`);
    if (!buckets.has(name)) throw new ApiError('NoSuchBucket', `OSS bucket '${name}' does not exist`, name);
    return xml(emptyListing(listing, name, param));
  }
  if (keys.length > 0 || (method !== 'PUT' && method !== 'DELETE')) throw refused(method, keys, `on bucket '${name}'`);
  if (method === 'PUT') {
    if (!OSS_BUCKET_NAME.test(name)) throw new ApiError('InvalidArgument', 'OSS bucket names are 3-63 characters of a-z, 0-9 and -, not starting or ending with -');
    if (buckets.has(name)) throw new ApiError('BucketAlreadyExists', `OSS bucket '${name}' already exists`, name);
    buckets.set(name, now);
    return { status: 200, headers: { Location: `/${name}` } };
  }
  if (!buckets.delete(name)) throw new ApiError('NoSuchBucket', `OSS bucket '${name}' does not exist`, name);
  return { status: 204 };
}

const LIST_BUCKETS_PARAMS = new Set(['prefix', 'marker', 'max-keys', 'resource-group-id']);
const LIST_PARAMS = {
  objects: new Set(['prefix', 'marker', 'max-keys', 'delimiter', 'encoding-type']),
  versions: new Set(['versions', 'prefix', 'key-marker', 'version-id-marker', 'max-keys', 'delimiter', 'encoding-type']),
  uploads: new Set(['uploads', 'prefix', 'key-marker', 'upload-id-marker', 'max-uploads', 'delimiter', 'encoding-type']),
};

function refused(method: string, keys: readonly string[], where: string): ApiError {
  const what = `${method}${keys.length ? ` ${keys.map((k) => `?${k}`).join('')}` : ''}`;
  return new ApiError('InvalidRequest', `the emulator answers plain OSS PutBucket, DeleteBucket, ListBuckets and the (empty) object, version and upload listings of a bucket only, not ${what} ${where}`);
}

function hostOf(headers: Array<[string, string]>): string {
  return headers.find(([k]) => k.toLowerCase() === 'host')?.[1] ?? 'localhost';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An XML answer (plain OSS speaks XML; the result's text body is sent with this Content-Type). */
function xml(body: string): OpResult {
  return { status: 200, jsonText: `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`, headers: { 'Content-Type': 'application/xml' } };
}

/**
 * ListAllMyBucketsResult. Each bucket's endpoints are the URL the request came to (`http://` +
 * Host): an SDK test fixture that re-addresses a listed bucket by its endpoint (the Python SDK's
 * clean_bucket compares it with OSS_TEST_ENDPOINT) comes back here, never to the cloud.
 */
function listBuckets(em: Emulator, buckets: Array<[string, Date]>, host: string): string {
  const { region, accountId } = em.options;
  const items = buckets.sort(([a], [b]) => a.localeCompare(b)).map(([name, created]) => `<Bucket><CreationDate>${created.toISOString()}</CreationDate>`
    + `<ExtranetEndpoint>${esc(`http://${host}`)}</ExtranetEndpoint><IntranetEndpoint>${esc(`http://${host}`)}</IntranetEndpoint>`
    + `<Location>oss-${region}</Location><Name>${esc(name)}</Name><Region>${region}</Region><StorageClass>Standard</StorageClass></Bucket>`).join('');
  return `<ListAllMyBucketsResult><Owner><ID>${accountId}</ID><DisplayName>${accountId}</DisplayName></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`;
}

function emptyListing(listing: 'objects' | 'versions' | 'uploads', bucket: string, param: (k: string) => string): string {
  const b = esc(bucket);
  const p = esc(param('prefix'));
  if (listing === 'objects') return `<ListBucketResult><Name>${b}</Name><Prefix>${p}</Prefix><Marker>${esc(param('marker'))}</Marker><MaxKeys>${esc(param('max-keys') || '100')}</MaxKeys><Delimiter>${esc(param('delimiter'))}</Delimiter><IsTruncated>false</IsTruncated></ListBucketResult>`;
  if (listing === 'versions') return `<ListVersionsResult><Name>${b}</Name><Prefix>${p}</Prefix><KeyMarker>${esc(param('key-marker'))}</KeyMarker><VersionIdMarker>${esc(param('version-id-marker'))}</VersionIdMarker><MaxKeys>${esc(param('max-keys') || '100')}</MaxKeys><IsTruncated>false</IsTruncated></ListVersionsResult>`;
  return `<ListMultipartUploadsResult><Bucket>${b}</Bucket><KeyMarker>${esc(param('key-marker'))}</KeyMarker><UploadIdMarker>${esc(param('upload-id-marker'))}</UploadIdMarker><NextKeyMarker></NextKeyMarker><NextUploadIdMarker></NextUploadIdMarker><MaxUploads>${esc(param('max-uploads') || '1000')}</MaxUploads><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`;
}
