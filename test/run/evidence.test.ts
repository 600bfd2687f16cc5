// The evidence bound (run/evidence.ts): each body cut at 64 KiB, the bodies of a run bounded in
// total as serialised, the rest replaced by a note and counted.
import { describe, expect, it } from 'vitest';
import { EVIDENCE_BODY_BYTES, EvidenceBudget } from '../../run/evidence.ts';
import { notKeptText } from '../../reports/timing.ts';

describe('the evidence a run keeps', () => {
  it('keeps a small text body whole and a large one cut at 64 KiB with the rest counted', () => {
    const b = new EvidenceBudget(10 * 2 ** 20);
    expect(b.keep(Buffer.from('{"a":1}'))).toEqual({ body: '{"a":1}', bodyEncoding: 'utf8' });
    const big = b.keep(Buffer.alloc(100_000, 0x61));
    expect(big.body.startsWith('a'.repeat(EVIDENCE_BODY_BYTES))).toBe(true);
    expect(big.body).toContain(`[${100_000 - EVIDENCE_BODY_BYTES} more bytes not kept]`);
  });

  it('keeps binary as base64 of its first 64 KiB', () => {
    const kept = new EvidenceBudget(10 * 2 ** 20).keep(Buffer.alloc(900 * 1024, 0xff));
    expect(kept.bodyEncoding).toBe('base64');
    expect(Buffer.from(kept.body, 'base64').length).toBe(EVIDENCE_BODY_BYTES);
  });

  it('keeps no more than its bound in all, however many bodies come, and counts the rest', () => {
    const limit = 1 * 2 ** 20;
    const b = new EvidenceBudget(limit);
    let kept = 0;
    for (let i = 0; i < 200; i++) {
      const k = b.keep(Buffer.alloc(900 * 1024, 0xff));
      kept += JSON.stringify(k.body).length;
    }
    // Kept bodies plus the notes: the bound, and 200 one-line notes at most.
    expect(kept).toBeLessThanOrEqual(limit + 200 * 200);
    expect(b.notKept.bodies).toBeGreaterThan(180);
    expect(b.notKept.bytes).toBe(b.notKept.bodies * 900 * 1024);
    expect(notKeptText(b.notKept)).toMatch(/^\d+ more bodies, \d+\.\d MiB, not kept as evidence/);
  });

  it('counts text bodies by their escaped length, so control characters cannot inflate the report past the bound', () => {
    const limit = 2 ** 20;
    const b = new EvidenceBudget(limit);
    let kept = 0;
    for (let i = 0; i < 100; i++) kept += JSON.stringify(b.keep(Buffer.alloc(64 * 1024, 0x01)).body).length;
    expect(kept).toBeLessThanOrEqual(limit + 100 * 200);
    expect(b.notKept.bodies).toBeGreaterThan(90);
  });
});
