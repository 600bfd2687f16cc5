// The emulator's bracket scan before JSON.parse (emulator/params.ts): it may only turn away bodies
// JSON.parse would reject too, and a long unclosed body is answered MalformedJson.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bracketsBalance, parseJsonBody } from '../../emulator/params.ts';
import { ApiError } from '../../emulator/errors.ts';

function parses(text: string): boolean {
  try { JSON.parse(text); return true; } catch { return false; }
}

// JSON-ish text: real JSON values, cut or spliced, with the characters that matter to the scan.
const token = fc.constantFrom('[', ']', '{', '}', '"', '\\', '\\"', '\\\\', ',', ':', 'a', '1', ' ', 'null', '"x"', '"\\u005d"', '"]"', '"{"');
const jsonish = fc.oneof(
  fc.array(token, { maxLength: 40 }).map((t) => t.join('')),
  fc.tuple(fc.json({ maxDepth: 6 }), fc.nat(), fc.nat()).map(([j, a, b]) => j.slice(Math.min(a, b) % (j.length + 1), Math.max(a, b) % (j.length + 1) + 1)),
  fc.json({ maxDepth: 8 }),
);

describe('the bracket scan before JSON.parse', () => {
  it('never turns away text JSON.parse accepts', () => {
    fc.assert(fc.property(jsonish, (text) => {
      if (!bracketsBalance(Buffer.from(text))) expect(parses(text), text).toBe(false);
    }), { numRuns: 5000 });
  });

  it('turns away unclosed and over-closed text', () => {
    for (const text of ['[', '{"indexName":"a"', '["]"', '{"a":"\\"}', ']', '{}}', '"abc']) expect(bracketsBalance(Buffer.from(text)), text).toBe(false);
    for (const text of ['[]', '{"indexName":"]"}', '{"a":"\\\\"}', '"\\"]"', '[{"a":[1,{"b":"}"}]}]']) expect(bracketsBalance(Buffer.from(text)), text).toBe(true);
  });

  it('answers 900 KB of unclosed brackets MalformedJson without parsing them', () => {
    const body = Buffer.alloc(900 * 1024, '[');
    let err: unknown;
    try { parseJsonBody(body, null); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('MalformedJson');
    // A body the scan passes still goes to JSON.parse: balanced but not JSON.
    const balanced = Buffer.from(`[${'1 2,'.repeat(2000)}]`);
    expect(() => parseJsonBody(balanced, null)).toThrow(ApiError);
    expect(parseJsonBody(Buffer.from(`{"indexName":"${'a'.repeat(5000)}"}`), null)).toEqual({ indexName: 'a'.repeat(5000) });
  });
});
