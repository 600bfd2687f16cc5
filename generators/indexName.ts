// Index names: the valid space of D-PutIdx (INDEX_NAME_PATTERN of contracts/limits.ts, aimed at 204 and
// 404 NoSuchVectorIndex) and each invalid kind (aimed at 400 VectorIndexParameterInvalid). The
// labels of an invalid name are re-derived from the value, so they stay true after shrinking.
import fc from 'fast-check';
import { INDEX_NAME_MAX } from '../contracts/limits.ts';
import { ALNUM, alnum, alnumOfLength, digit, letter } from './_internals/chars.ts';

export interface InvalidIndexName {
  value: unknown;
  labels: string[];
}

/** The labels of what is wrong with an indexName value; empty exactly when the value is a valid name. */
export function labelsOfIndexName(value: unknown): string[] {
  if (typeof value !== 'string') return ['name-non-string'];
  if (value === '') return ['name-empty'];
  const labels: string[] = [];
  if ([...value].length > INDEX_NAME_MAX) labels.push('name-too-long');
  if (/^[0-9]/.test(value)) labels.push('name-leading-digit');
  if (/[^A-Za-z0-9]/.test(value)) labels.push('name-forbidden-char');
  return labels;
}

/** Valid names of every length 1–63 and mixed case; lengths 1 and 63 come up often. */
export function validIndexName(): fc.Arbitrary<string> {
  const rest = (min: number, max: number): fc.Arbitrary<string> =>
    fc.string({ unit: alnum, minLength: min, maxLength: max, size: 'max' });
  return fc.oneof(
    { arbitrary: letter, weight: 1 },
    { arbitrary: fc.tuple(letter, alnumOfLength(INDEX_NAME_MAX - 1)).map(([a, b]) => a + b), weight: 1 },
    { arbitrary: fc.tuple(letter, rest(0, 10)).map(([a, b]) => a + b), weight: 2 },
    { arbitrary: fc.tuple(letter, rest(0, INDEX_NAME_MAX - 1)).map(([a, b]) => a + b), weight: 2 },
  );
}

/** Characters a name may not contain: punctuation SDK users reach for, non-ASCII letters and digits, controls. */
const forbiddenChar: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('-', '_', '.', ' ', '/', ':', '!', '~', '%', '+', '*', '"', '\\'),
  fc.constantFrom('é', 'ß', 'Ж', 'α', 'İ', '名', '索', 'ｉ', '１', 'ǅ', '😀'),
  fc.integer({ min: 0xc0, max: 0x24f }).filter((c) => c !== 0xd7 && c !== 0xf7).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
  fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f)).map((c) => String.fromCodePoint(c)),
);

/** `base` with `ch` inserted at a position picked by `at` (any position, including first and last). */
function insertAt(base: string, ch: string, at: number): string {
  const i = at % (base.length + 1);
  return base.slice(0, i) + ch + base.slice(i);
}

const nonString: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.oneof(validIndexName(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('indexName', 'name', 'a'), fc.oneof(validIndexName(), fc.integer()), { maxKeys: 2 }),
);

/** Invalid indexName values with the labels that hold for them (never empty). */
export function invalidIndexName(): fc.Arbitrary<InvalidIndexName> {
  const candidates: fc.Arbitrary<unknown> = fc.oneof(
    fc.constant(''),
    fc.tuple(letter, fc.string({ unit: alnum, minLength: INDEX_NAME_MAX, maxLength: 3 * INDEX_NAME_MAX })).map(([a, b]) => a + b),
    fc.tuple(digit, fc.string({ unit: alnum, maxLength: INDEX_NAME_MAX - 1 })).map(([a, b]) => a + b),
    fc.tuple(validIndexName(), forbiddenChar, fc.nat()).map(([base, ch, at]) => insertAt(base, ch, at)),
    fc.tuple(fc.string({ unit: fc.oneof(alnum, forbiddenChar), minLength: 1, maxLength: 80 })).map(([s]) => s),
    nonString,
  );
  return candidates
    .map((value) => ({ value, labels: labelsOfIndexName(value) }))
    .filter((c) => c.labels.length > 0);
}

export const DEFAULT_ABSENT_PREFIX = 'ovcabsent';

/**
 * Valid names that no one has created: `prefix` + `n` + a random suffix of letters and digits
 * (at least 8, up to 24 characters within the 63 allowed). The prefix is the run prefix on real endpoints.
 */
export function absentIndexName(prefix: string = DEFAULT_ABSENT_PREFIX): fc.Arbitrary<string> {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(prefix)) throw new Error(`absentIndexName: prefix '${prefix}' must be letters and digits starting with a letter`);
  const room = INDEX_NAME_MAX - prefix.length - 1;
  if (room < 8) throw new Error(`absentIndexName: prefix '${prefix}' leaves fewer than 8 characters for the random part`);
  const length = Math.min(24, room);
  return fc.string({ unit: fc.constantFrom(...ALNUM), minLength: length, maxLength: length }).map((s) => `${prefix}n${s}`);
}
