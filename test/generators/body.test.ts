import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyCase, extraFieldBody, invalidParameterBody, labelsOfBody, validBody } from '../../generators/body.ts';
import { absentIndexName } from '../../generators/indexName.ts';
import { checkBodyLabels } from './oracles.ts';

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
/** Labels checked against a strict reading of the bytes (fatal TextDecoder, JSON.parse, the name pattern), never against labelsOfBody. */
const trueLabels = (c: { bytes: Buffer; labels: string[]; indexName?: unknown }): boolean => { checkBodyLabels('body', c); return true; };

describe('labelsOfBody', () => {
  it.each([
    ['{"indexName":"abc"}', []],
    ['{"indexName": "abc"}', []],
    [' \n{ "indexName" :\t"abc" }\r\n', []],
    ['{"indexName":"\\u0061bc"}', []],
    ['{"indexName":"abc","dimension":4}', ['body-extra-field']],
    ['{}', ['body-missing-index-name']],
    ['{"name":"abc"}', ['body-missing-index-name', 'body-extra-field']],
    ['{"indexName":null}', ['name-non-string']],
    ['{"indexName":""}', ['name-empty']],
    ['{"indexName":"bad-name"}', ['name-forbidden-char']],
    ['[]', ['body-not-object']],
    ['"abc"', ['body-not-object']],
    ['3', ['body-not-object']],
    ['null', ['body-not-object']],
    ['true', ['body-not-object']],
    ['', ['body-empty']],
    ['   ', ['json-malformed']],
    ['{"indexName":"abc"', ['json-truncated']],
    ['{"indexName":"ab', ['json-truncated']],
    ['{"indexName":"abc"}}', ['json-unbalanced']],
    ['{"indexName":"abc"]', ['json-unbalanced']],
    ['{"indexName":"abc",}', ['json-trailing-comma']],
    ["{'indexName':'abc'}", ['json-single-quote']],
    ['{"indexName":"abc"} // x', ['json-comment']],
    ['{"indexName":NaN}', ['json-non-finite']],
    ['{indexName:"abc"}', ['json-bare-word']],
    ['{"indexName" "abc"}', ['json-malformed']],
    ["{\"indexName\":\"it's\"}", ['name-forbidden-char']],
  ] as Array<[string, string[]]>)('%j → %j', (text, labels) => {
    expect(labelsOfBody(b(text))).toEqual(labels);
  });

  it('sees a UTF-8 BOM and reads on after it', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    expect(labelsOfBody(Buffer.concat([bom, b('{"indexName":"abc"}')]))).toEqual(['json-bom']);
    expect(labelsOfBody(Buffer.concat([bom, b('{"indexName":"a-b"}')]))).toEqual(['json-bom', 'name-forbidden-char']);
    expect(labelsOfBody(Buffer.concat([bom, b('{"indexName":')]))).toEqual(['json-bom', 'json-truncated']);
    expect(bodyCase(Buffer.concat([bom, b('{"indexName":"abc"}')])).indexName).toBe('abc');
  });

  it('rejects invalid UTF-8 even inside a string', () => {
    expect(labelsOfBody(Buffer.concat([b('{"indexName":"a'), Buffer.from([0xff]), b('"}')]))).toEqual(['json-invalid-utf8']);
    expect(labelsOfBody(Buffer.concat([b('{"indexName":"a'), Buffer.from([0xed, 0xa0, 0x80]), b('"}')]))).toEqual(['json-invalid-utf8']);
  });

  it('agrees with a strict reading of any bytes: fatal UTF-8 decoding, JSON.parse, the name pattern', () => {
    const jsonish = fc.oneof(
      fc.json().map((t) => b(t)),
      fc.record({ indexName: fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', 'Z', '9', '-', 'é', '😀'), maxLength: 70 }), fc.integer()) }, { requiredKeys: [] }).map((o) => b(JSON.stringify(o))),
      fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', "'", ',', ':', ' ', 'a', '1', '/', '*', 'N', '\n'), maxLength: 20 }).map((t) => b(t)),
      fc.uint8Array({ maxLength: 24 }).map((x) => Buffer.from(x)),
      fc.tuple(fc.constant(Buffer.from([0xef, 0xbb, 0xbf])), fc.json()).map(([bom, t]) => Buffer.concat([bom, b(t)])),
    );
    fc.assert(fc.property(jsonish, (bytes) => trueLabels(bodyCase(bytes))), { seed: 8, numRuns: 2000 });
  });
});

describe('validBody', () => {
  it('only yields valid bodies, carrying the name', () => {
    fc.assert(fc.property(validBody(), (c) => c.labels.length === 0 && trueLabels(c) && typeof c.indexName === 'string'
      && JSON.parse(c.bytes.toString('utf8')).indexName === c.indexName), { seed: 1, numRuns: 300 });
  });

  it('wraps the given names (e.g. absent ones) unchanged', () => {
    fc.assert(fc.property(validBody(absentIndexName('ovcT1')), (c) => (c.indexName as string).startsWith('ovcT1n') && c.labels.length === 0), { seed: 2 });
  });

  it('emits the Go compact and Python spaced forms, whitespace variants and escapes', () => {
    const texts = fc.sample(validBody(), { seed: 3, numRuns: 200 }).map((c) => c.bytes.toString('utf8'));
    expect(texts.some((t) => /^\{"indexName":"[A-Za-z0-9]+"\}$/.test(t))).toBe(true);
    expect(texts.some((t) => /^\{"indexName": "[A-Za-z0-9]+"\}$/.test(t))).toBe(true);
    expect(texts.some((t) => /[\t\n]/.test(t))).toBe(true);
    expect(texts.some((t) => t.includes('\\u00'))).toBe(true);
  });

  it('gives the same bytes for the same seed', () => {
    expect(fc.sample(validBody(), { seed: 4, numRuns: 20 })).toEqual(fc.sample(validBody(), { seed: 4, numRuns: 20 }));
  });
});

describe('extraFieldBody', () => {
  it('is labelled body-extra-field only, in several key orders', () => {
    const cases = fc.sample(extraFieldBody(), { seed: 5, numRuns: 200 });
    for (const c of cases) {
      expect(c.labels).toEqual(['body-extra-field']);
      checkBodyLabels('extraFieldBody', c);
      expect(Object.keys(JSON.parse(c.bytes.toString('utf8'))).length).toBeGreaterThan(1);
    }
    expect(cases.some((c) => c.bytes.toString().search(/"indexName"/) > 2)).toBe(true);
    expect(cases.some((c) => /^\s*\{\s*"indexName"/.test(c.bytes.toString()))).toBe(true);
  });
});

describe('invalidParameterBody', () => {
  it('is valid JSON with at least one parameter label, the labels those of a strict reading', () => {
    fc.assert(fc.property(invalidParameterBody(), (c) => {
      JSON.parse(c.bytes.toString('utf8'));
      return c.labels.length > 0 && trueLabels(c) && !c.labels.some((l) => l.startsWith('json-') || l === 'body-empty')
        && c.labels.some((l) => l !== 'body-extra-field');
    }), { seed: 6, numRuns: 500 });
  });

  it('covers missing, wrong type, invalid names and non-objects', () => {
    const seen = new Set(fc.sample(invalidParameterBody(), { seed: 7, numRuns: 400 }).flatMap((c) => c.labels));
    for (const l of ['body-missing-index-name', 'body-not-object', 'name-non-string', 'name-empty', 'name-too-long', 'name-leading-digit', 'name-forbidden-char']) {
      expect(seen.has(l), l).toBe(true);
    }
    const texts = new Set(fc.sample(invalidParameterBody(), { seed: 7, numRuns: 400 }).map((c) => c.bytes.toString().trim()));
    for (const t of ['{}', '[]', '"x"', '3', 'null', 'true']) expect(texts.has(t), t).toBe(true);
  });

  it('keeps labels true after shrinking', () => {
    for (const seed of [1, 2, 3, 4]) {
      const out = fc.check(fc.property(invalidParameterBody(), (c) => c.bytes.length < 12), { seed });
      expect(out.failed).toBe(true);
      const [shrunk] = out.counterexample!;
      expect(shrunk.labels.length).toBeGreaterThan(0);
      expect(trueLabels(shrunk)).toBe(true);
    }
  });
});
