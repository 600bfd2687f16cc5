import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanMalformedJson } from '../../generators/_internals/jsonScan.ts';
import { isNotJson, malformedJsonBody } from '../../generators/malformedJson.ts';
import { checkBodyLabels } from './oracles.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const HUGE = 64 * 1024;

/**
 * What a strict server does: decode UTF-8 without dropping a BOM, then JSON.parse. JSON.parse
 * needs about a second per megabyte of nested '[', so huge bodies are checked to be only '[' instead.
 */
function parsesStrictly(bytes: Buffer): boolean {
  if (bytes.length > HUGE) return !bytes.every((x) => x === 0x5b);
  try { JSON.parse(strictUtf8.decode(bytes)); return true; } catch { return false; }
}

describe('scanMalformedJson', () => {
  it('finds nothing in valid JSON, however it is laid out', () => {
    const text = fc.tuple(fc.jsonValue(), fc.constantFrom(undefined, 1, 2, '\t')).map(([v, space]) => JSON.stringify(v, null, space));
    fc.assert(fc.property(fc.oneof(fc.json(), text, fc.constantFrom('1e5', '-0.5E-10', '[1E+5,-2]', '{"a":"it\'s /* not */ // a comment"}')),
      (t) => scanMalformedJson(t).length === 0), { seed: 1, numRuns: 500 });
  });
});

describe('malformedJsonBody', () => {
  it('never yields bytes that strict UTF-8 decoding plus JSON.parse accepts', () => {
    fc.assert(fc.property(malformedJsonBody(), (c) => !parsesStrictly(c.bytes) && isNotJson(c.labels)), { seed: 1, numRuns: 200 });
  });

  it('labels every case truly: a strict reading of the bytes and evidence in the text for each label', () => {
    fc.assert(fc.property(malformedJsonBody(), (c) => { checkBodyLabels('malformedJsonBody', c); }), { seed: 2, numRuns: 300 });
  });

  it('gives the same bytes for the same seed', () => {
    const digest = (x: Buffer): string => createHash('sha256').update(x).digest('hex');
    const a = fc.sample(malformedJsonBody(), { seed: 3, numRuns: 40 }).map((c) => digest(c.bytes));
    const b = fc.sample(malformedJsonBody(), { seed: 3, numRuns: 40 }).map((c) => digest(c.bytes));
    expect(a).toEqual(b);
  });

  it('covers every malformed kind, including a BOM, invalid UTF-8, an empty and a huge body', () => {
    const cases = fc.sample(malformedJsonBody(), { seed: 4, numRuns: 300 });
    const seen = new Set(cases.flatMap((c) => c.labels));
    for (const l of ['json-truncated', 'json-unbalanced', 'json-trailing-comma', 'json-single-quote', 'json-comment', 'json-non-finite',
      'json-bare-word', 'json-bom', 'json-invalid-utf8', 'body-empty']) {
      expect(seen.has(l), l).toBe(true);
    }
    expect(cases.some((c) => c.bytes.length >= 256 * 1024)).toBe(true);
  });

  it('shrinks a huge body to a small one, still malformed and truly labelled', () => {
    const out = fc.check(fc.property(malformedJsonBody(), (c) => c.bytes.length < 100_000), { seed: 5 });
    expect(out.failed).toBe(true);
    const [shrunk] = out.counterexample!;
    expect(shrunk.bytes.length).toBe(100_000);
    expect(shrunk.bytes.every((x) => x === 0x5b)).toBe(true);
    expect(shrunk.labels).toEqual(['json-truncated']);
  });

  it('keeps labels true after shrinking for a property failing on some kinds', () => {
    for (const seed of [1, 2, 3]) {
      const out = fc.check(fc.property(malformedJsonBody(), (c) => !c.labels.includes('json-truncated') || c.bytes.length < 5), { seed });
      expect(out.failed).toBe(true);
      const [shrunk] = out.counterexample!;
      expect(parsesStrictly(shrunk.bytes)).toBe(false);
      checkBodyLabels('shrunk malformedJsonBody', shrunk);
      expect(shrunk.labels).toContain('json-truncated');
    }
  });
});

describe('the labeller on long bodies of `[`', () => {
  it('labels them as the full decode-and-scan path would: the text is truncated JSON, JSON.parse refuses it', async () => {
    const { labelsOfBody } = await import('../../generators/body.ts');
    for (const n of [64 * 1024, 64 * 1024 + 1, 300_000]) {
      const text = '['.repeat(n);
      // The oracle: the scan the slow path runs, and JSON.parse itself.
      expect(scanMalformedJson(text)).toEqual(['json-truncated']);
      expect(() => JSON.parse(text)).toThrow();
      expect(labelsOfBody(Buffer.from(text))).toEqual(['json-truncated']);
    }
    // One other byte anywhere and the fast path does not apply.
    const mixed = Buffer.alloc(100_000, '[');
    mixed[50_000] = 0x22;
    expect(labelsOfBody(mixed)).toEqual(scanMalformedJson(mixed.toString('utf8')).length ? scanMalformedJson(mixed.toString('utf8')) : ['json-malformed']);
  });
});
