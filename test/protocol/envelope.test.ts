// The error envelope: the decoder of protocol/envelope.ts applies the contract's JSON Schema
// (contracts/envelope.ts) when given it, and the emulator's error bodies conform to it.
import { describe, expect, it } from 'vitest';
import { ERROR_ENVELOPE_SCHEMA, errorEnvelopeProblems } from '../../contracts/envelope.ts';
import { ERROR_ENVELOPE_SCHEMA as OPERATIONS_ENVELOPE_SCHEMA } from '../../contracts/operations.ts';
import { defaultIdentities, startEmulator } from '../../emulator/index.ts';
import { decodeError, ecFor, encodeError, newRequestId } from '../../protocol/envelope.ts';

const good = { Code: 'NoSuchVectorIndex', Message: 'm', RequestId: newRequestId(), HostId: 'h', EC: ecFor('NoSuchVectorIndex') };

describe('error envelope', () => {
  it('one schema: contracts/operations.ts re-exports the envelope schema of contracts/envelope.ts', () => {
    expect(OPERATIONS_ENVELOPE_SCHEMA).toBe(ERROR_ENVELOPE_SCHEMA);
    expect(ERROR_ENVELOPE_SCHEMA).toMatchObject({ required: ['Error'] });
  });

  it('an encoded envelope passes the schema-driven decoder and the SDK-level one', () => {
    const text = encodeError(good);
    expect(decodeError(text, errorEnvelopeProblems)).toEqual({ ok: true, problems: [], body: good });
    expect(decodeError(text).ok).toBe(true);
  });

  it.each([
    ['a RequestId that is not 24 characters', { Error: { ...good, RequestId: 'short' } }, /RequestId must NOT have fewer than 24 characters/],
    ['a missing Code', { Error: { Message: 'm', RequestId: good.RequestId } }, /must have required property 'Code'/],
    ['a field beside Error', { Error: good, Extra: 1 }, /must NOT have additional properties \(Extra\)/],
    ['no Error root', { Code: 'x' }, /must have required property 'Error'/],
  ])('the schema refuses %s (the SDK-level decoder need not)', (_what, value, problem) => {
    const r = decodeError(JSON.stringify(value), errorEnvelopeProblems);
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(problem);
  });

  it('the emulator answers errors that conform to the schema', async () => {
    const em = await startEmulator({ identities: defaultIdentities({}) });
    try {
      for (const [path, body] of [['/ovc-conformance/?deleteVectorIndex', '{"indexName":"x"}'], ['/nobucket/?deleteVectorIndex', ''], ['/ovc-conformance/?nothing', '']] as const) {
        const res = await fetch(`${em.url}${path}`, { method: 'POST', body });
        expect(res.status).toBeGreaterThanOrEqual(400);
        const r = decodeError(await res.text(), errorEnvelopeProblems);
        expect(r.problems, path).toEqual([]);
      }
    } finally { await em.close(); }
  });
});
