// Signature faults (spec §9, §10) and the function that signs a request and applies one. Aimed at
// the 403 family: unsigned → AccessDenied, unknown-key → InvalidAccessKeyId, wrong-secret,
// tampered-header and wrong-scope → SignatureDoesNotMatch, stale-date → RequestTimeTooSkewed;
// md5-mismatch → 400 InvalidDigest (spec §12 U11). `none` signs correctly.
import fc from 'fast-check';
import { contentMd5 } from '../protocol/md5.ts';
import { formatDateTime, signRequest } from '../protocol/signer.ts';
import { ALNUM } from './_internals/chars.ts';
import type { SigningContext, WireRequest } from '../protocol/wire.ts';
import { DEFAULT_REGION } from '../contracts/defaults.ts';

export type SignatureFault =
  | { kind: 'none'; labels: string[] }
  | { kind: 'unsigned'; labels: string[] }
  | { kind: 'unknown-key'; accessKeyId: string; labels: string[] }
  | { kind: 'wrong-secret'; secret: string; labels: string[] }
  /** A header covered by the signature is added or changed after signing. */
  | { kind: 'tampered-header'; header: 'x-oss-meta-ovc' | 'content-type'; mode: 'add' | 'modify'; labels: string[] }
  /** The body is changed after signing (a trailing space dropped); Content-MD5 stays as signed. */
  | { kind: 'md5-mismatch'; labels: string[] }
  | { kind: 'stale-date'; minutesAgo: number; labels: string[] }
  | { kind: 'wrong-scope'; scope: { region: string } | { dayOffset: -1 | 1 }; labels: string[] };

export type SignatureFaultKind = SignatureFault['kind'];

export const SIGNATURE_FAULT_KINDS: readonly SignatureFaultKind[] = [
  'none', 'unsigned', 'unknown-key', 'wrong-secret', 'tampered-header', 'md5-mismatch', 'stale-date', 'wrong-scope',
];

const OTHER_REGIONS = [DEFAULT_REGION, 'cn-beijing', 'cn-shanghai', 'cn-shenzhen', 'ap-southeast-1', 'us-west-1', 'eu-central-1'] as const;

const token = (min: number, max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...ALNUM), minLength: min, maxLength: max });

/**
 * Signature faults of every kind (the kind is the label; `none` has no label). Every value is a
 * fresh object: no fault object or labels array is shared between cases (a caller may change them).
 */
export function signatureFault(): fc.Arbitrary<SignatureFault> {
  return fc.oneof<fc.Arbitrary<SignatureFault>[]>(
    fc.constant('none' as const).map((kind): SignatureFault => ({ kind, labels: [] })),
    fc.constant('unsigned' as const).map((kind): SignatureFault => ({ kind, labels: [kind] })),
    token(16, 24).map((s) => ({ kind: 'unknown-key' as const, accessKeyId: `LTAIovcUnknown${s}`, labels: ['unknown-key'] })),
    token(24, 32).map((secret) => ({ kind: 'wrong-secret' as const, secret, labels: ['wrong-secret'] })),
    fc.oneof(
      fc.constantFrom('add' as const, 'modify' as const).map((mode) => ({ kind: 'tampered-header' as const, header: 'x-oss-meta-ovc' as const, mode, labels: ['tampered-header'] })),
      fc.constant('content-type' as const).map((header): SignatureFault => ({ kind: 'tampered-header', header, mode: 'modify', labels: ['tampered-header'] })),
    ),
    fc.constant('md5-mismatch' as const).map((kind): SignatureFault => ({ kind, labels: [kind] })),
    fc.integer({ min: 16, max: 60 }).map((minutesAgo) => ({ kind: 'stale-date' as const, minutesAgo, labels: ['stale-date'] })),
    fc.oneof(
      fc.constantFrom(...OTHER_REGIONS).map((region) => ({ kind: 'wrong-scope' as const, scope: { region }, labels: ['wrong-scope'] })),
      fc.constantFrom(-1 as const, 1 as const).map((dayOffset) => ({ kind: 'wrong-scope' as const, scope: { dayOffset }, labels: ['wrong-scope'] })),
    ),
  );
}

/** Sets a header, replacing any spelling of the same name. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  deleteHeader(headers, name);
  headers[name] = value;
}

function deleteHeader(headers: Record<string, string>, name: string): void {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
}

const SIGNING_HEADERS = ['authorization', 'x-oss-date', 'date', 'x-oss-content-sha256', 'x-oss-security-token'];
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Signs `req` as the SDKs do (Content-Type application/json and Content-MD5 of the body set first,
 * then V4 header authentication at ctx.now()) and applies `fault`. The body sent is always
 * `req.body`, so body labels derived before signing stay true.
 */
export function applySignature(req: WireRequest, fault: SignatureFault, ctx: SigningContext): WireRequest {
  const headers: Record<string, string> = { ...req.headers };
  for (const name of SIGNING_HEADERS) deleteHeader(headers, name);
  setHeader(headers, 'Content-Type', 'application/json');
  // md5-mismatch: the client signed the body with a trailing space, which was then lost on the way.
  const signedBody = fault.kind === 'md5-mismatch' ? Buffer.concat([req.body, Buffer.from(' ')]) : req.body;
  setHeader(headers, 'Content-MD5', contentMd5(signedBody));
  if (fault.kind === 'tampered-header' && fault.mode === 'modify') setHeader(headers, fault.header, fault.header === 'content-type' ? 'application/json' : 'signed');

  const now = ctx.now();
  let time = now;
  let region = ctx.region;
  let credentials = ctx.credentials;
  switch (fault.kind) {
    case 'unknown-key': {
      const accessKeyId = fault.accessKeyId === ctx.credentials.accessKeyId ? `${fault.accessKeyId}x` : fault.accessKeyId;
      credentials = { accessKeyId, accessKeySecret: ctx.credentials.accessKeySecret };
      break;
    }
    case 'wrong-secret': {
      const accessKeySecret = fault.secret === ctx.credentials.accessKeySecret ? `${fault.secret}x` : fault.secret;
      credentials = { ...ctx.credentials, accessKeySecret };
      break;
    }
    case 'stale-date':
      time = new Date(now.getTime() - fault.minutesAgo * 60_000);
      break;
    case 'wrong-scope':
      if ('region' in fault.scope) region = fault.scope.region === ctx.region ? otherRegion(ctx.region) : fault.scope.region;
      else time = new Date(now.getTime() + fault.scope.dayOffset * DAY_MS);
      break;
    default:
      break;
  }
  const signed = signRequest({
    region, accountId: ctx.accountId, bucket: req.bucket ?? undefined, method: req.method, query: req.query,
    headers, credentials, time,
  });
  for (const [k, v] of Object.entries(signed.headers)) setHeader(headers, k, v);

  switch (fault.kind) {
    case 'unsigned':
      deleteHeader(headers, 'Authorization');
      break;
    case 'tampered-header':
      setHeader(headers, fault.header, fault.header === 'content-type' ? 'application/json; charset=utf-8' : 'tampered');
      break;
    case 'wrong-scope':
      if ('dayOffset' in fault.scope) {
        // The scope date is a day off while the clock headers are current: only the scope is wrong.
        setHeader(headers, 'x-oss-date', formatDateTime(now));
        setHeader(headers, 'Date', now.toUTCString());
      }
      break;
    default:
      break;
  }
  return Object.assign({}, req, { headers, body: req.body });
}

function otherRegion(region: string): string {
  return OTHER_REGIONS.find((r) => r !== region)!;
}
