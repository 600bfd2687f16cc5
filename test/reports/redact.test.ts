import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { collectSecrets, REDACTED, redactHeaders, redactResult, redactText, redactValue } from '../../reports/redact.ts';
import { AUTHZ, FAILING_ID, fixtureResults, SECRET, TOKEN } from './fixtures.ts';

describe('redaction', () => {
  it('collects the secret values present in the environment, and only those', () => {
    expect(collectSecrets({ OSS_ACCESS_KEY_ID: 'LTAIid', OSS_ACCESS_KEY_SECRET: 'a-secret-1', OSS_SESSION_TOKEN: '', OVC_DENIED_ACCESS_KEY_SECRET: 'denied-secret' }))
      .toEqual(['a-secret-1', 'denied-secret']);
    expect(collectSecrets({})).toEqual([]);
  });

  it('replaces Authorization and x-oss-security-token headers whatever their case, and secrets in other headers', () => {
    expect(redactHeaders({ authorization: AUTHZ, 'X-OSS-Security-Token': TOKEN, 'x-note': `k=${SECRET}`, 'content-type': 'application/json' }, [SECRET]))
      .toEqual({ authorization: REDACTED, 'X-OSS-Security-Token': REDACTED, 'x-note': `k=${REDACTED}`, 'content-type': 'application/json' });
  });

  it('removes secret values in their raw, JSON, HTML and URL-encoded forms', () => {
    const secret = 'ab+c/d"e<f>&g1234';
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')]) {
      expect(redactText(`before ${form} after`, [secret])).toBe(`before ${REDACTED} after`);
    }
  });

  it('removes V4 Authorization values and header lines even without knowing the secret', () => {
    expect(redactText(`-H 'Authorization: ${AUTHZ}' -H 'x-oss-security-token: ${TOKEN}'`)).toBe(`-H 'Authorization: ${REDACTED}' -H 'x-oss-security-token: ${REDACTED}'`);
    expect(redactText(`{"Authorization":"${AUTHZ}"}`)).toBe(`{"Authorization":"${REDACTED}"}`);
    expect(redactText('https://b.example/?x-oss-signature=abcdef&x-oss-security-token=tok&keep=1')).toBe(`https://b.example/?x-oss-signature=${REDACTED}&x-oss-security-token=${REDACTED}&keep=1`);
  });

  it('ignores secrets too short to search for, and leaves ordinary text alone', () => {
    expect(redactText('an index named abc', ['abc'])).toBe('an index named abc');
    expect(redactText('expected 404 NoSuchVectorIndex, got 400 VectorIndexParameterInvalid')).toBe('expected 404 NoSuchVectorIndex, got 400 VectorIndexParameterInvalid');
  });

  it('deep-redacts a case result without changing the original', () => {
    const original = fixtureResults().find((r) => r.id === FAILING_ID)!;
    const safe = redactResult(original, [SECRET]);
    const text = JSON.stringify(safe);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('Signature=0f1e');
    expect(safe.exchange!.request.headers.Authorization).toBe(REDACTED);
    expect(original.exchange!.request.headers.Authorization).toBe(AUTHZ);
  });
});

/**
 * The redaction as it was before its fast paths (a RegExp per secret form and string, every
 * pattern on every string): the reference the fast version must match on any text.
 */
function referenceRedactText(text: string, secrets: readonly string[]): string {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const forms = (secret: string): string[] => [...new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
    secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'),
  ])].filter((f) => f.length >= 6).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 6) continue;
    for (const form of forms(secret)) out = out.replace(new RegExp(escape(form), 'g'), REDACTED);
  }
  out = out.replace(/OSS4-HMAC-SHA256 Credential=[^\s"'<>]*(?:,\s*(?:AdditionalHeaders|Signature)=[^\s"'<>,]*)*/g, REDACTED)
    .replace(/\bOSS [A-Za-z0-9]{8,}:[A-Za-z0-9+/]{20,}={0,2}/g, REDACTED);
  out = out.replace(/((?:^|[\s'"])(?:authorization|proxy-authorization|x-oss-security-token)\s*:[ \t]*)(?![ \t]*\[REDACTED\])[^\r\n'"]+/gim, (_m, head: string) => `${head}${REDACTED}`);
  out = out.replace(/("(?:authorization|proxy-authorization|x-oss-security-token)"\s*:\s*")(?:[^"\\]|\\.)*(")/gi, (_m, head: string, tail: string) => `${head}${REDACTED}${tail}`);
  out = out.replace(/([?&](?:x-oss-signature|x-oss-security-token|Signature|security-token)=)[^&\s"'<>#]+/gi, (_m, head: string) => `${head}${REDACTED}`);
  return out;
}

describe('redaction fast paths', () => {
  it('redactText gives the reference redaction on generated text: secrets in every encoding, credential patterns in any case, near misses', () => {
    const secrets = ['s3cr<e>t&"val\'ue', 'tok/en+==', 'short', 'plainsecretvalue'];
    const encodings = (s: string): string[] => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s), s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'), JSON.stringify(s).slice(1, -1).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')];
    const fragment = fc.oneof(
      fc.constantFrom(...secrets.flatMap(encodings), ...secrets.map((s) => s.slice(0, -1))),
      fc.constantFrom(AUTHZ, `Authorization: ${AUTHZ}`, 'AUTHORIZATION:  Bearer x', 'proxy-authorization:\tz', 'x-oss-security-token: ', '"Authorization":"a\\"b"', '"x-oss-security-token" : "t"',
        '?x-oss-signature=abc', '&Signature=zz#frag', '?security-token=q&k=1', 'OSS abcdefgh:abcdefghijklmnopqrstuvwx==', 'OSS4-HMAC-SHA256 Credential=a/b,Signature=c', 'oss', 'Oss', 'TOKEN', 'signature', REDACTED),
      fc.constantFrom(' ', '\n', '\r\n', '\t', '"', "'", '<', '>', '&', '?', '=', ','),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(fc.property(fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')), fc.subarray(secrets), (text, known) => {
      expect(redactText(text, known)).toBe(referenceRedactText(text, known));
    }), { numRuns: 3000 });
  });
});

describe('redactValue', () => {
  /** The redaction of values as a deep copy (before it kept unchanged parts as they were). */
  function referenceRedactValue(value: unknown, secrets: readonly string[]): unknown {
    const walk = (v: unknown, key: string | null): unknown => {
      if (typeof v === 'string') return key !== null && /^(authorization|proxy-authorization|x-oss-security-token)$/i.test(key) ? REDACTED : referenceRedactText(v, secrets);
      if (Array.isArray(v)) return v.map((x) => walk(x, null));
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      return v;
    };
    return walk(value, null);
  }

  it('writes what a redacting deep copy writes, and leaves the value it was given as it was', () => {
    const secrets = ['s3cr<e>t&"val\'ue', 'plainsecretvalue'];
    const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...secrets, encodeURIComponent(secrets[0]!), `Authorization: ${AUTHZ}`, '?x-oss-signature=abc', 'plain words'));
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('authorization', 'X-OSS-Security-Token', 'headers', 'body', '__proto__'));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('tree'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    }));
    fc.assert(fc.property(tree, fc.subarray(secrets), (value, known) => {
      const before = JSON.stringify(value);
      expect(JSON.stringify(redactValue(value, known))).toBe(JSON.stringify(referenceRedactValue(value, known)));
      expect(JSON.stringify(value)).toBe(before);
    }), { numRuns: 2000 });
  });

  it('a Buffer or a Date inside is copied into a plain object, as a deep copy did', () => {
    const v = { body: Buffer.from('ab'), at: new Date(0), n: [1] };
    const out = redactValue(v);
    expect(JSON.stringify(out)).toBe(JSON.stringify(referenceRedactValue(v, [])));
    expect(out.n).toBe(v.n);
  });
});
