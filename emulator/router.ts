// Finds the operation a request addresses. Routing is on the query KEY (`?op` and `?op=` alike),
// never on the raw query string.
import { BUCKET_CONFIG_KEYS, BUCKET_CONFIG_OPERATIONS } from '../contracts/bucketConfig.ts';
import { OPERATIONS, type Operation } from '../contracts/operations.ts';
import { ApiError } from './errors.ts';
import type { QueryParam } from './request.ts';

const ALL_OPS = Object.values(OPERATIONS) as Operation[];
const KEYED_OPS = new Map(ALL_OPS.filter((o) => o.queryKey !== null).map((o) => [o.queryKey!, o]));

/** Query parameters each operation understands besides its sub-resource key (spec §2, §3.3). */
const KNOWN_PARAMS: Record<string, readonly string[]> = {
  ListVectorBuckets: ['prefix', 'marker', 'max-keys', 'vector'],
};

/** Presigned-URL parameters (spec §9.2) belong to authentication, not to the operation. */
export function isAuthParam(key: string): boolean {
  return key.toLowerCase().startsWith('x-oss-');
}

/** Query keys the operation does not know: tolerated, but reported in the client-conformance log. */
export function unknownParams(op: Operation, query: readonly QueryParam[]): string[] {
  const known = KNOWN_PARAMS[op.name] ?? [];
  return query.map((p) => p.key).filter((k) => k !== op.queryKey && !isAuthParam(k) && !known.includes(k));
}

/** `?policy` / `?logging`: one sub-resource, three methods (contracts/bucketConfig.ts). */
function bucketConfigOperation(key: string, method: string, scope: 'service' | 'bucket'): Operation {
  const ops = (Object.values(BUCKET_CONFIG_OPERATIONS) as Operation[]).filter((o) => o.queryKey === key);
  if (scope !== 'bucket') throw new ApiError('InvalidRequest', `?${key} needs a bucket in the host or path`);
  const op = ops.find((o) => o.method === method);
  if (!op) throw new ApiError('MethodNotAllowed', `?${key} takes ${ops.map((o) => o.method).join(', ')}, not ${method}`);
  return op;
}

/** The distinct operation keys of a query, in order of appearance (one pass; most queries hold one key). */
function operationKeys(query: readonly QueryParam[]): string[] {
  const keys: string[] = [];
  for (let i = 0; i < query.length; i++) {
    const k = query[i]!.key;
    if ((KEYED_OPS.has(k) || BUCKET_CONFIG_KEYS.has(k)) && !keys.includes(k)) keys.push(k);
  }
  return keys;
}

export function resolveOperation(method: string, query: readonly QueryParam[], scope: 'service' | 'bucket'): Operation {
  const opKeys = operationKeys(query);
  if (opKeys.length > 1) throw new ApiError('InvalidRequest', `more than one operation in the query: ${opKeys.join(', ')}`);
  if (opKeys.length === 1 && BUCKET_CONFIG_KEYS.has(opKeys[0]!)) return bucketConfigOperation(opKeys[0]!, method, scope);
  if (opKeys.length === 1) {
    const op = KEYED_OPS.get(opKeys[0]!)!;
    if (scope !== op.scope) throw new ApiError('InvalidRequest', `${op.name} needs a bucket in the host or path`);
    if (method !== op.method) throw new ApiError('MethodNotAllowed', `${op.name} is ${op.method}, not ${method}`);
    return op;
  }
  const op = ALL_OPS.find((o) => o.queryKey === null && o.scope === scope && o.method === method);
  const foreign = query.map((p) => p.key).filter((k) => !isAuthParam(k) && !(op && (KNOWN_PARAMS[op.name] ?? []).includes(k)));
  // An unknown sub-resource (`?acl`, `?website`, a typo) must never fall through to
  // PutVectorBucket or DeleteVectorBucket.
  if (foreign.length > 0) throw new ApiError('InvalidRequest', `unsupported sub-resource: ${foreign.join(', ')}`);
  if (!op) throw new ApiError('MethodNotAllowed', `no operation answers ${method} on the ${scope === 'service' ? 'service' : 'bucket'} root`);
  return op;
}
