import { describe, expect, it } from 'vitest';
import { collectSecrets, REDACTED, redactHeaders, redactResult, redactText } from '../../reports/redact.ts';
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
