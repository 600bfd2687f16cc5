// A minimal plain-OSS namespace: PutBucket and DeleteBucket, path-style, so an SDK test can make
// the log target of PutBucketLogging through its ordinary OSS client pointed at the emulator
// (docs/emulator.md U24). A request belongs here when its V4 signature verifies over the plain OSS
// canonical URI `/{bucket}/` instead of the vectors ARN; anything else about it is refused.
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
 * The answer to a plain OSS PutBucket/DeleteBucket, or null when the request is not one signed for
 * plain OSS (the caller then answers its original authentication error). The clock skew was
 * already checked by the vectors verifier, which rejected the request only on the signature.
 */
export function plainOssRequest(em: Emulator, method: string, address: ParsedAddress, target: RequestTarget,
  headers: Array<[string, string]>, now: Date): OpResult | null {
  if (address.style === 'virtual' || (address.style === 'path' && !address.bucket)) return null;
  if (!signedForPlainOss(em, method, address.bucket, target.rawQuery, headers)) return null;
  const name = address.bucket;
  const extra = target.query.map((p) => p.key).filter((k) => !isAuthParam(k));
  if (name === undefined) throw new ApiError('InvalidRequest', `the emulator answers plain OSS PutBucket and DeleteBucket only (log targets), not ${method} on the OSS service (e.g. ListBuckets)`);
  if (extra.length > 0 || (method !== 'PUT' && method !== 'DELETE')) {
    throw new ApiError('InvalidRequest', `the emulator answers plain OSS PutBucket and DeleteBucket only (log targets), not ${method} ${extra.map((k) => `?${k}`).join('')}`.trim());
  }
  const buckets = em.store.ossBuckets;
  if (method === 'PUT') {
    if (!OSS_BUCKET_NAME.test(name)) throw new ApiError('InvalidArgument', 'OSS bucket names are 3-63 characters of a-z, 0-9 and -, not starting or ending with -');
    if (buckets.has(name)) throw new ApiError('BucketAlreadyExists', `OSS bucket '${name}' already exists`, name);
    buckets.set(name, now);
    return { status: 200, headers: { Location: `/${name}` } };
  }
  if (!buckets.delete(name)) throw new ApiError('NoSuchBucket', `OSS bucket '${name}' does not exist`, name);
  return { status: 204 };
}
