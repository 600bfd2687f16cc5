import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDEX_NAME_PATTERN } from '../../contracts/limits.ts';
import { absentIndexName, invalidIndexName, labelsOfIndexName, validIndexName } from '../../generators/indexName.ts';
import { checkNameLabels, nameOracle } from './oracles.ts';

describe('labelsOfIndexName', () => {
  it.each([
    ['a', []],
    ['A1b2', []],
    ['x'.repeat(63), []],
    ['x'.repeat(64), ['name-too-long']],
    ['', ['name-empty']],
    ['1abc', ['name-leading-digit']],
    ['my-index', ['name-forbidden-char']],
    ['my_index', ['name-forbidden-char']],
    ['naïve', ['name-forbidden-char']],
    ['9'.repeat(64), ['name-too-long', 'name-leading-digit']],
    [`1${'-'.repeat(70)}`, ['name-too-long', 'name-leading-digit', 'name-forbidden-char']],
    [3, ['name-non-string']],
    [null, ['name-non-string']],
    [['abc'], ['name-non-string']],
    [{ indexName: 'abc' }, ['name-non-string']],
  ] as Array<[unknown, string[]]>)('%j → %j', (value, labels) => {
    expect(labelsOfIndexName(value)).toEqual(labels);
  });

  it('is empty exactly when the value matches INDEX_NAME_PATTERN', () => {
    const anyString = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', 'é'), maxLength: 70 }), validIndexName());
    fc.assert(fc.property(anyString, (s) => (labelsOfIndexName(s).length === 0) === INDEX_NAME_PATTERN.test(s)), { seed: 11 });
  });

  it('agrees with the pattern and the 63-character limit of contracts/limits.ts on any value, astral characters included', () => {
    const unit = fc.oneof(fc.constantFrom('a', 'Z', '0', '9', '-', '_', 'é', '名', '😀', '\u0000'), fc.string({ unit: 'grapheme', maxLength: 1 }));
    const anyValue = fc.oneof(
      fc.string({ unit, maxLength: 80 }),
      fc.tuple(fc.constantFrom('a', '1', '😀'), fc.string({ unit: fc.constantFrom('b', '😀'), minLength: 30, maxLength: 70 })).map(([a, s]) => a + s),
      fc.string({ unit: 'binary', maxLength: 70 }),
      fc.anything(),
    );
    fc.assert(fc.property(anyValue, (v) => { checkNameLabels('labelsOfIndexName', v, labelsOfIndexName(v)); }), { seed: 12, numRuns: 2000 });
  });
});

describe('validIndexName', () => {
  it('only yields names matching INDEX_NAME_PATTERN', () => {
    fc.assert(fc.property(validIndexName(), (name) => INDEX_NAME_PATTERN.test(name)), { seed: 1, numRuns: 500 });
  });

  it('gives the same values for the same seed', () => {
    expect(fc.sample(validIndexName(), { seed: 42, numRuns: 20 })).toEqual(fc.sample(validIndexName(), { seed: 42, numRuns: 20 }));
  });

  it('covers lengths 1 and 63, lengths in between, upper and lower case and digits', () => {
    const names = fc.sample(validIndexName(), { seed: 7, numRuns: 300 });
    const lengths = new Set(names.map((n) => n.length));
    expect(lengths.has(1)).toBe(true);
    expect(lengths.has(63)).toBe(true);
    expect([...lengths].filter((l) => l > 1 && l < 63).length).toBeGreaterThan(20);
    expect(names.some((n) => /[A-Z]/.test(n) && /[a-z]/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Z]/.test(n))).toBe(true);
    expect(names.some((n) => /[0-9]/.test(n))).toBe(true);
  });
});

describe('invalidIndexName', () => {
  it('never yields a valid name, and its labels are those of the value', () => {
    fc.assert(fc.property(invalidIndexName(), ({ value, labels }) => {
      expect(typeof value === 'string' && INDEX_NAME_PATTERN.test(value)).toBe(false);
      expect(labels.length).toBeGreaterThan(0);
      checkNameLabels('invalidIndexName', value, labels);
    }), { seed: 2, numRuns: 500 });
  });

  it('gives the same values for the same seed', () => {
    expect(fc.sample(invalidIndexName(), { seed: 42, numRuns: 30 })).toEqual(fc.sample(invalidIndexName(), { seed: 42, numRuns: 30 }));
  });

  it('covers every invalid kind', () => {
    const seen = new Set(fc.sample(invalidIndexName(), { seed: 3, numRuns: 300 }).flatMap((c) => c.labels));
    expect([...seen].sort()).toEqual(['name-empty', 'name-forbidden-char', 'name-leading-digit', 'name-non-string', 'name-too-long']);
    const values = fc.sample(invalidIndexName(), { seed: 3, numRuns: 600 }).map((c) => c.value);
    for (const ch of ['-', '_', '.', ' ']) expect(values.some((v) => typeof v === 'string' && v.includes(ch))).toBe(true);
    expect(values.some((v) => typeof v === 'string' && /[\u0000-\u001f\u007f]/.test(v))).toBe(true);
    expect(values.some((v) => typeof v === 'string' && /[^\u0000-\u007f]/.test(v))).toBe(true);
    for (const type of ['number', 'boolean', 'object']) expect(values.some((v) => typeof v === type && v !== null)).toBe(true);
    expect(values.some((v) => v === null)).toBe(true);
    expect(values.some((v) => Array.isArray(v))).toBe(true);
  });

  it('keeps labels true after shrinking: a failing too-long name shrinks to 64 characters labelled name-too-long only', () => {
    const out = fc.check(fc.property(invalidIndexName(), ({ value }) => !(typeof value === 'string' && value.length > 63)), { seed: 5 });
    expect(out.failed).toBe(true);
    const [shrunk] = out.counterexample!;
    checkNameLabels('shrunk invalidIndexName', shrunk.value, shrunk.labels);
    expect(shrunk.value).toHaveLength(64);
    expect(shrunk.labels).toEqual(['name-too-long']);
  });

  it('keeps labels true after shrinking for any failing property', () => {
    // A property that fails on many kinds: the shrunk counterexample must still be invalid and truly labelled.
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const out = fc.check(fc.property(invalidIndexName(), ({ value }) => typeof value === 'string' && value.length < 3), { seed });
      expect(out.failed).toBe(true);
      const [shrunk] = out.counterexample!;
      expect(shrunk.labels.length).toBeGreaterThan(0);
      expect(shrunk.labels.sort()).toEqual(nameOracle(shrunk.value).sort());
    }
  });
});

describe('absentIndexName', () => {
  it('yields valid names with the prefix', () => {
    fc.assert(fc.property(absentIndexName('ovcRun42'), (n) => INDEX_NAME_PATTERN.test(n) && n.startsWith('ovcRun42n')), { seed: 1 });
    fc.assert(fc.property(absentIndexName('p'.repeat(50)), (n) => INDEX_NAME_PATTERN.test(n)), { seed: 1, numRuns: 20 });
  });

  it('rarely repeats a name', () => {
    const names = fc.sample(absentIndexName(), { seed: 9, numRuns: 200 });
    expect(new Set(names).size).toBe(names.length);
  });

  it('refuses prefixes that cannot start a valid name or leave too little room', () => {
    expect(() => absentIndexName('1abc')).toThrow(/prefix/);
    expect(() => absentIndexName('ovc-run')).toThrow(/prefix/);
    expect(() => absentIndexName('p'.repeat(60))).toThrow(/fewer than 8/);
  });
});
