// Secrets never reach an artifact (docs/design.md rule 9). The suites already redact the exchanges they
// keep; the reports redact their one view (view.ts) before any writer renders it.
import type { CaseResult } from './model.ts';

export const REDACTED = '[REDACTED]';

/** Header names whose values are credentials, whatever their case. */
const SECRET_HEADER = /^(authorization|proxy-authorization|x-oss-security-token)$/i;

/** Secrets shorter than this are not searched for: replacing them would garble unrelated text. */
export const MIN_SECRET_LENGTH = 6;

/** Environment variables whose values are secrets. */
export const SECRET_ENV_VARS = ['OSS_ACCESS_KEY_SECRET', 'OSS_SESSION_TOKEN', 'OVC_DENIED_ACCESS_KEY_SECRET'] as const;

export function collectSecrets(env: Record<string, string | undefined> = process.env): string[] {
  return SECRET_ENV_VARS.map((name) => env[name]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export function redactHeaders(headers: Readonly<Record<string, string>>, secrets: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, isSecretHeader(k) ? REDACTED : redactText(v, secrets)]));
}

const formsOf = new Map<string, readonly string[]>();

/**
 * The forms a secret takes once a writer has encoded it: raw, JSON string, HTML/XML text, URL
 * component; longest first. Computed once per secret (a run's reports redact every string of
 * every case with the same two or three secrets).
 */
function secretForms(secret: string): readonly string[] {
  let forms = formsOf.get(secret);
  if (!forms) {
    forms = encodedForms(secret);
    if (formsOf.size > 64) formsOf.clear();
    formsOf.set(secret, forms);
  }
  return forms;
}

function encodedForms(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
  ]);
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Credentials that may appear in free text even when no secret value is known. */
const TEXT_PATTERNS: readonly RegExp[] = [
  // A V4 (or V1) Authorization value: the signature is derived from the secret.
  /OSS4-HMAC-SHA256 Credential=[^\s"'<>]*(?:,\s*(?:AdditionalHeaders|Signature)=[^\s"'<>,]*)*/g,
  /\bOSS [A-Za-z0-9]{8,}:[A-Za-z0-9+/]{20,}={0,2}/g,
  // `Authorization: …` / `x-oss-security-token: …` header lines (curl -H, raw dumps).
  /((?:^|[\s'"])(?:authorization|proxy-authorization|x-oss-security-token)\s*:[ \t]*)(?![ \t]*\[REDACTED\])[^\r\n'"]+/gim,
  // `"authorization":"…"` in JSON.
  /("(?:authorization|proxy-authorization|x-oss-security-token)"\s*:\s*")(?:[^"\\]|\\.)*(")/gi,
  // Presigned-URL parameters carrying a signature or token.
  /([?&](?:x-oss-signature|x-oss-security-token|Signature|security-token)=)[^&\s"'<>#]+/gi,
];

/**
 * A word each of TEXT_PATTERNS needs (case aside): "OSS" (the first two), "authorization" or
 * "token" (the header ones), "signature" or "token" (the URL parameters). Text without any of them
 * holds no match, and most of a run's strings are such text.
 */
const PATTERN_WORDS = /oss|authorization|token|signature/i;

export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    // A literal, global replacement (REDACTED holds no `$` pattern); skipped where the form is absent.
    for (const form of secretForms(secret)) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
  }
  if (!PATTERN_WORDS.test(out)) return out;
  out = out.replace(TEXT_PATTERNS[0]!, REDACTED).replace(TEXT_PATTERNS[1]!, REDACTED);
  out = out.replace(TEXT_PATTERNS[2]!, (_m, head: string) => `${head}${REDACTED}`);
  out = out.replace(TEXT_PATTERNS[3]!, (_m, head: string, tail: string) => `${head}${REDACTED}${tail}`);
  out = out.replace(TEXT_PATTERNS[4]!, (_m, head: string) => `${head}${REDACTED}`);
  return out;
}

/**
 * A value with every string redacted and every secret header's value replaced. Plain objects and
 * arrays in which nothing changed are returned as they are (a run's records are mostly such: a
 * copy of each cost the reports a third of their time, most of it in GC); any other object is
 * copied into a plain one, as a deep copy did. The value itself is never modified.
 */
export function redactValue<T>(value: T, secrets: readonly string[] = []): T {
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') return key !== null && isSecretHeader(key) ? REDACTED : redactText(v, secrets);
    if (Array.isArray(v)) {
      const plain = Object.getPrototypeOf(v) === Array.prototype;
      let out: unknown[] | null = plain ? null : [];
      for (let i = 0; i < v.length; i++) {
        const x = walk(v[i], null);
        if (out === null && x !== v[i]) out = v.slice(0, i);
        if (out !== null) out.push(x);
      }
      return out ?? v;
    }
    if (v && typeof v === 'object') {
      const proto = Object.getPrototypeOf(v);
      const entries = Object.entries(v);
      let changed = proto !== Object.prototype && proto !== null;
      const walked = entries.map(([k, x]) => {
        const y = walk(x, k);
        if (y !== x) changed = true;
        return [k, y] as const;
      });
      return changed ? Object.fromEntries(walked) : v;
    }
    return v;
  };
  return walk(value, null) as T;
}

export function redactResult(result: CaseResult, secrets: readonly string[] = []): CaseResult {
  return redactValue(result, secrets);
}
