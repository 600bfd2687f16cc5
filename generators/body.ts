// DeleteVectorIndex request bodies as bytes, with the labels of what is wrong with them re-derived
// from the bytes the way a server reads them (strict UTF-8, JSON.parse, shape checks).
// validBody aims at 204 / 404 NoSuchVectorIndex, extraFieldBody at 204 (an unknown, see labels.ts),
// invalidParameterBody at 400 VectorIndexParameterInvalid (D-DelIdx; spec §12 U3, U4).
import fc from 'fast-check';
import { scanMalformedJson } from './_internals/jsonScan.ts';
import { invalidIndexName, labelsOfIndexName, validIndexName } from './indexName.ts';

export interface BodyCase {
  bytes: Buffer;
  labels: string[];
  /** The indexName the body carries, when it parses (a leading BOM ignored) to an object with one; else undefined. */
  indexName: unknown;
}

// ignoreBOM keeps a leading U+FEFF in the text, so a BOM is seen rather than silently dropped.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BOM = '\uFEFF';

interface Reading {
  labels: string[];
  indexName: unknown;
}

/** True when every byte is `[`: JSON text that ends inside an array, whatever its length. */
function onlyOpeningBrackets(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0x5b) return false;
  return true;
}

/** Bodies at least this long that are only `[` skip the decode and scan (same label, milliseconds instead of ~90 ms and ~90 MiB at 3 MB). */
const LONG_BODY = 64 * 1024;

function readBody(bytes: Buffer): Reading {
  if (bytes.length === 0) return { labels: ['body-empty'], indexName: undefined };
  if (bytes.length >= LONG_BODY && onlyOpeningBrackets(bytes)) return { labels: ['json-truncated'], indexName: undefined };
  const labels: string[] = [];
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (hasBom) labels.push('json-bom');
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { labels: [...labels, 'json-invalid-utf8'], indexName: undefined };
  }
  if (hasBom) text = text.slice(BOM.length);
  // The scan first: what it finds is never JSON, and it saves JSON.parse seconds on deep nesting.
  const found = scanMalformedJson(text);
  if (found.length > 0) return { labels: [...labels, ...found], indexName: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { labels: [...labels, 'json-malformed'], indexName: undefined };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { labels: [...labels, 'body-not-object'], indexName: undefined };
  const object = value as Record<string, unknown>;
  if (!Object.hasOwn(object, 'indexName')) labels.push('body-missing-index-name');
  else labels.push(...labelsOfIndexName(object.indexName));
  if (Object.keys(object).some((k) => k !== 'indexName')) labels.push('body-extra-field');
  return { labels, indexName: object.indexName };
}

/** The labels of what is wrong with a DeleteVectorIndex body; empty for a valid `{"indexName": <valid name>}`. */
export function labelsOfBody(bytes: Buffer): string[] {
  return readBody(bytes).labels;
}

/** A body case for these bytes, labels and indexName re-derived from them. */
export function bodyCase(bytes: Buffer): BodyCase {
  const { labels, indexName } = readBody(bytes);
  return { bytes, labels, indexName };
}

const whitespace: fc.Arbitrary<string> = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r\n'), maxLength: 3 });

/** A JSON string literal for `s`, each character optionally written as a \uXXXX escape. */
function quoted(s: string, escapes: readonly boolean[]): string {
  const inner = JSON.stringify(s).slice(1, -1);
  if (!escapes.some(Boolean) || inner !== s) return `"${inner}"`;
  return `"${[...s].map((ch, i) => (escapes[i % escapes.length] ? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : ch)).join('')}"`;
}

type Layout = { kind: 'go' } | { kind: 'python' } | { kind: 'spaced'; gaps: string[] } | { kind: 'escaped'; escapes: boolean[] };

const layout: fc.Arbitrary<Layout> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'go' as const }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'python' as const }), weight: 3 },
  { arbitrary: fc.array(whitespace, { minLength: 6, maxLength: 6 }).map((gaps) => ({ kind: 'spaced' as const, gaps })), weight: 2 },
  { arbitrary: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }).map((escapes) => ({ kind: 'escaped' as const, escapes })), weight: 1 },
);

/** Serialises an object's entries (in the order given) in one of the layouts real clients send. */
function serialise(entries: ReadonlyArray<readonly [string, unknown]>, l: Layout): string {
  const value = (v: unknown): string => (l.kind === 'escaped' && typeof v === 'string' ? quoted(v, l.escapes) : JSON.stringify(v));
  switch (l.kind) {
    case 'go':
    case 'escaped':
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${value(v)}`).join(',')}}`;
    case 'python':
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${value(v)}`).join(', ')}}`;
    case 'spaced': {
      const [a, b, c, d, e, f] = l.gaps as [string, string, string, string, string, string];
      return `${a}{${b}${entries.map(([k, v]) => `${JSON.stringify(k)}${c}:${d}${value(v)}`).join(`,${b}`)}${e}}${f}`;
    }
  }
}

function bodyFrom(entries: ReadonlyArray<readonly [string, unknown]>, l: Layout): BodyCase {
  return bodyCase(Buffer.from(serialise(entries, l), 'utf8'));
}

/**
 * `{"indexName": name}` as SDKs send it: Go compact, Python spaced, arbitrary JSON whitespace, and
 * (rarely) letters written as \u escapes. Labels are those of the name (empty for valid names).
 */
export function validBody(nameArb: fc.Arbitrary<string> = validIndexName()): fc.Arbitrary<BodyCase> {
  return fc.tuple(nameArb, layout).map(([name, l]) => bodyFrom([['indexName', name]], l));
}

// No case variants of indexName: Go's encoding/json matches keys case-insensitively, so a Go server would read them as indexName.
const EXTRA_KEYS = ['dimension', 'dataType', 'vectorBucketName', 'maxResults', 'ovcExtra', 'comment'] as const;
const extraValue: fc.Arbitrary<unknown> = fc.oneof(fc.integer({ min: 0, max: 4096 }), fc.constantFrom('float32', 'x', ''), fc.boolean(), fc.constant(null));

/** Entries in the order picked by `order` (a rotation index and a reversal flag keep shrinking simple). */
function arrange<T>(entries: readonly T[], rotate: number, reverse: boolean): T[] {
  const r = rotate % Math.max(1, entries.length);
  const rotated = [...entries.slice(r), ...entries.slice(0, r)];
  return reverse ? rotated.reverse() : rotated;
}

/** A valid body plus one to three fields DeleteVectorIndex does not define, in any key order: `body-extra-field`. */
export function extraFieldBody(nameArb: fc.Arbitrary<string> = validIndexName()): fc.Arbitrary<BodyCase> {
  const extras = fc.uniqueArray(fc.tuple(fc.constantFrom(...EXTRA_KEYS), extraValue), { minLength: 1, maxLength: 3, selector: ([k]) => k });
  return fc.tuple(nameArb, extras, fc.nat(), fc.boolean(), layout)
    .map(([name, more, rotate, reverse, l]) => bodyFrom(arrange<readonly [string, unknown]>([['indexName', name], ...more], rotate, reverse), l));
}

/**
 * Valid JSON with invalid parameters: indexName missing (`{}` or other keys only), of another
 * type, or an invalid name; and JSON that is not an object (`[]`, `"x"`, `3`, `null`, `true`).
 */
export function invalidParameterBody(): fc.Arbitrary<BodyCase> {
  const otherKeysOnly = fc.uniqueArray(fc.tuple(fc.constantFrom(...EXTRA_KEYS, 'index_name', 'name'), fc.oneof(validIndexName(), extraValue)),
    { maxLength: 3, selector: ([k]) => k });
  const notObject = fc.oneof(
    fc.constantFrom<unknown>([], 'x', 3, null, true, false, 0, ''),
    validIndexName().map((n) => [n]),
    validIndexName(),
    validIndexName().map((n) => [{ indexName: n }]),
  );
  const candidates: fc.Arbitrary<BodyCase> = fc.oneof(
    fc.tuple(otherKeysOnly, layout).map(([entries, l]) => bodyFrom(entries, l)),
    fc.tuple(invalidIndexName(), layout).map(([name, l]) => bodyFrom([['indexName', name.value]], l)),
    fc.tuple(notObject, fc.constantFrom('', ' ', '\n')).map(([v, gap]) => bodyCase(Buffer.from(`${gap}${JSON.stringify(v)}${gap}`, 'utf8'))),
  );
  return candidates.filter((c) => c.labels.length > 0);
}
