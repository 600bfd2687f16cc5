// Authentication (V4 verification of protocol/signer.ts), permissions and Content-MD5.
import type { Operation } from '../contracts/operations.ts';
import { contentMd5 } from '../protocol/md5.ts';
import { verifyRequest } from '../protocol/verifier.ts';
import { ApiError } from './errors.ts';
import type { FaultName } from './faults.ts';
import type { Identity } from './options.ts';
import type { QueryParam } from './request.ts';

export interface AuthInput {
  method: string;
  rawQuery: string;
  query: readonly QueryParam[];
  /** Header pairs as received (repeated headers kept; joined by the verifier). */
  headers: ReadonlyArray<readonly [string, string]>;
  region: string;
  accountId: string;
  bucket?: string;
  identities: ReadonlyMap<string, Identity>;
  now: Date;
  fault: FaultName | null;
}

export type AuthOutcome =
  | { ok: true; identity: Identity; /** Set when a fault profile let a bad request through. */ waived?: string }
  | { ok: false; error: ApiError };

function hasAnySignature(input: AuthInput): boolean {
  return input.headers.some(([k]) => k.toLowerCase() === 'authorization') || input.query.some((p) => p.key === 'x-oss-signature');
}

export function authenticate(input: AuthInput): AuthOutcome {
  if (input.fault === 'accept-unsigned' && !hasAnySignature(input)) {
    const first = input.identities.values().next().value;
    if (first) return { ok: true, identity: first, waived: 'unsigned request accepted (fault accept-unsigned)' };
  }
  const result = verifyRequest({
    method: input.method, query: input.rawQuery, headers: input.headers as Array<[string, string]>,
    region: input.region, accountId: input.accountId, bucket: input.bucket,
    lookupSecret: (id) => input.identities.get(id)?.accessKeySecret, now: input.now,
  });
  let waived: string | undefined;
  let accessKeyId: string;
  let presentedToken: string | undefined;
  if (result.ok) {
    accessKeyId = result.accessKeyId;
    presentedToken = result.securityToken;
  } else if (input.fault === 'accept-bad-signature' && result.code === 'SignatureDoesNotMatch' && result.accessKeyId !== undefined) {
    accessKeyId = result.accessKeyId;
    waived = `${result.detail} (ignored: fault accept-bad-signature)`;
    presentedToken = securityTokenOf(input);
  } else {
    return { ok: false, error: new ApiError(result.code, result.detail) };
  }
  const identity = input.identities.get(accessKeyId)!;
  // A temporary (STS) identity is only valid together with its token, and a long-term key must
  // not present one: both mismatches read as an unusable AccessKeyId.
  if ((identity.securityToken ?? '') !== (presentedToken ?? '')) {
    const detail = identity.securityToken ? 'the security token is missing or does not match this AccessKeyId' : 'this AccessKeyId takes no security token';
    return { ok: false, error: new ApiError('InvalidAccessKeyId', detail) };
  }
  return waived ? { ok: true, identity, waived } : { ok: true, identity };
}

function securityTokenOf(input: AuthInput): string | undefined {
  const h = input.headers.find(([k]) => k.toLowerCase() === 'x-oss-security-token');
  if (h) return h[1].trim();
  const q = input.query.find((p) => p.key === 'x-oss-security-token');
  return q?.value;
}

/** 403 AccessDenied when the identity may not call this operation. */
export function checkPermission(identity: Identity, op: Operation): void {
  if (identity.deniedActions?.includes(op.action)) throw new ApiError('AccessDenied', `${identity.accessKeyId} may not call ${op.action}`);
}

export type Md5Check = 'absent' | 'match' | 'mismatch';

/** Content-MD5 is optional (spec §12 U11); when present it must be base64(MD5(body)). */
export function compareContentMd5(header: string | undefined, body: Buffer): Md5Check {
  if (header === undefined) return 'absent';
  return header.trim() === contentMd5(body) ? 'match' : 'mismatch';
}
