// Byte-level malformed DeleteVectorIndex bodies, aimed at 400 MalformedJson (D-DelIdx; empty body
// per spec §12 U3): truncated text, unbalanced brackets, trailing commas, single quotes, comments,
// NaN/Infinity, bare words, a UTF-8 BOM before valid JSON, invalid UTF-8 inside a string, an empty
// body and a huge one (up to 1 MB of `[`, shrinking towards one byte). Strict UTF-8 decoding plus
// JSON.parse accepts none of them; labels are re-derived from the bytes (body.ts).
import fc from 'fast-check';
import { bodyCase, type BodyCase } from './body.ts';
import { validIndexName } from './indexName.ts';
import { labelInfo } from './labels.ts';

const MB = 1024 * 1024;

/** Valid JSON objects a client could mean to send, without surrounding whitespace. */
const intended: fc.Arbitrary<string> = fc.tuple(validIndexName(), fc.boolean(), fc.boolean()).map(([name, spaced, extra]) => {
  const sep = spaced ? ': ' : ':';
  const fields = [`"indexName"${sep}"${name}"`, ...(extra ? [`"dimension"${sep}4`] : [])];
  return `{${fields.join(spaced ? ', ' : ',')}}`;
});

const truncated = fc.tuple(intended, fc.nat()).map(([text, cut]) => text.slice(0, 1 + (cut % (text.length - 1))));

const unbalanced = fc.tuple(intended, fc.constantFrom('}', ']', '}}', ']}'), fc.constantFrom('after', 'before', 'swap')).map(([text, closer, where]) =>
  where === 'after' ? text + closer : where === 'before' ? closer + text : `${text.slice(0, -1)}]`);

const trailingComma = fc.tuple(intended, fc.constantFrom(',', ', ', ',\n', ',,')).map(([text, comma]) => `${text.slice(0, -1)}${comma}}`);

const singleQuotes = fc.tuple(validIndexName(), fc.constantFrom('all', 'value', 'key')).map(([name, which]) =>
  which === 'all' ? `{'indexName':'${name}'}` : which === 'value' ? `{"indexName":'${name}'}` : `{'indexName':"${name}"}`);

const comments = fc.tuple(intended, fc.constantFrom('// note\n', '/* note */', '//'), fc.constantFrom('before', 'after', 'inside')).map(([text, comment, where]) =>
  where === 'before' ? comment + text : where === 'after' ? `${text}${comment.startsWith('/*') ? comment : ` ${comment}`}` : `{${comment}${text.slice(1)}`);

const nonFinite = fc.tuple(fc.constantFrom('NaN', 'Infinity', '-Infinity'), fc.boolean()).map(([word, alone]) =>
  alone ? `{"indexName":${word}}` : `{"indexName":"a","dimension":${word}}`);

const bareWords = fc.tuple(validIndexName(), fc.constantFrom('key', 'value', 'python', 'undefined')).map(([name, which]) => {
  switch (which) {
    case 'key': return `{indexName:"${name}"}`;
    case 'value': return `{"indexName":${name}}`;
    case 'python': return `{"indexName":"${name}","dataType":None}`;
    case 'undefined': return 'undefined';
  }
}).filter((text) => text !== '{"indexName":true}' && text !== '{"indexName":false}' && text !== '{"indexName":null}');

const textCases = fc.oneof(truncated, unbalanced, trailingComma, singleQuotes, comments, nonFinite, bareWords).map((text) => Buffer.from(text, 'utf8'));

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const withBom = intended.map((text) => Buffer.concat([BOM, Buffer.from(text, 'utf8')]));

/** Byte sequences no UTF-8 decoder may accept: stray continuation, overlong, surrogate, beyond U+10FFFF, cut multi-byte, 0xFE/0xFF. */
const INVALID_UTF8: readonly number[][] = [[0x80], [0xbf], [0xc0, 0xaf], [0xc1, 0x81], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xe4, 0xb8], [0xfe], [0xff]];
const invalidUtf8 = fc.tuple(validIndexName(), fc.constantFrom(...INVALID_UTF8), fc.nat()).map(([name, bad, at]) => {
  const i = at % (name.length + 1);
  return Buffer.concat([Buffer.from(`{"indexName":"${name.slice(0, i)}`), Buffer.from(bad), Buffer.from(`${name.slice(i)}"}`)]);
});

/** Many `[`: up to 1 MB (3 MB doubled the suite process's peak memory, bench/default-run.ts), shrinking down to a single byte. The buffer is only built for this kind. */
const huge = fc.noBias(fc.integer({ min: 1, max: 1 * MB })).map((n) => Buffer.alloc(n, '['));

/** Malformed bodies of every kind above, labelled from their bytes. */
export function malformedJsonBody(): fc.Arbitrary<BodyCase> {
  const kinds: Array<fc.WeightedArbitrary<Buffer>> = [
    { arbitrary: textCases, weight: 70 },
    { arbitrary: withBom, weight: 10 },
    { arbitrary: invalidUtf8, weight: 10 },
    { arbitrary: fc.constant(0).map((n) => Buffer.alloc(n)), weight: 5 }, // a fresh buffer per case
    // About one case in a hundred: each costs megabytes on the wire and a full parse on the target.
    { arbitrary: huge, weight: 1 },
  ];
  return fc.oneof(...kinds).map((bytes) => bodyCase(bytes)).filter((c) => isNotJson(c.labels));
}

/** True when some label says the body is not JSON (or empty): the JSON stage of spec §12 U2. */
export function isNotJson(labels: readonly string[]): boolean {
  return labels.some((l) => labelInfo(l).stage === 'json');
}
