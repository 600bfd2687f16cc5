// Oracles for the generator tests, independent of the labellers they check: they never call
// labelsOfBody, labelsOfIndexName, labelsOfIndexState, scanMalformedJson or any generator code.
// They read the bytes with a fatal TextDecoder and JSON.parse, the names with the pattern and
// limits of contracts/limits.ts, signed requests with the protocol's verifier, and states with the
// table of spec §3.8 / §5. Each throws an Error saying what disagrees.
import { INDEX_NAME_MAX, INDEX_NAME_PATTERN, LIMITS } from '../../contracts/limits.ts';
import { contentMd5 } from '../../protocol/md5.ts';
import { normalizeHeaders } from '../../protocol/signer.ts';
import { verifyRequest } from '../../protocol/verifier.ts';
import type { SigningContext, WireRequest } from '../../protocol/wire.ts';

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

function sameSet(what: string, actual: readonly string[], expected: readonly string[]): void {
  const a = sorted(actual);
  const e = sorted(expected);
  if (a.length !== e.length || a.some((x, i) => x !== e[i])) throw new Error(`${what}: labels ${JSON.stringify(actual)}, the oracle says ${JSON.stringify(e)}`);
}

// ---- index names (contracts/limits.ts) ----

/** A character is allowed inside a name when a letter followed by it matches the name pattern. */
const allowedInside = (ch: string): boolean => INDEX_NAME_PATTERN.test(`a${ch}`);
/** A character may start a name when it alone matches the name pattern. */
const allowedFirst = (ch: string): boolean => INDEX_NAME_PATTERN.test(ch);

/** The labels an indexName value must carry, from INDEX_NAME_PATTERN and INDEX_NAME_MAX. */
export function nameOracle(value: unknown): string[] {
  if (typeof value !== 'string') return ['name-non-string'];
  if (value.length === 0) return ['name-empty'];
  const chars = [...value];
  const labels: string[] = [];
  if (chars.length > INDEX_NAME_MAX) labels.push('name-too-long');
  if (!allowedFirst(chars[0]!) && allowedInside(chars[0]!)) labels.push('name-leading-digit');
  if (chars.some((c) => !allowedInside(c))) labels.push('name-forbidden-char');
  // The labels are empty exactly when the value is a valid name.
  if ((labels.length === 0) !== INDEX_NAME_PATTERN.test(value)) throw new Error(`name oracle: ${JSON.stringify(value)} is neither valid nor labelled`);
  return labels;
}

export function checkNameLabels(what: string, value: unknown, labels: readonly string[]): void {
  sameSet(`${what} ${JSON.stringify(value)?.slice(0, 120)}`, labels, nameOracle(value));
}

// ---- bodies (fatal TextDecoder, JSON.parse) ----

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const NOT_JSON_LABELS = new Set(['json-truncated', 'json-unbalanced', 'json-trailing-comma', 'json-single-quote', 'json-comment', 'json-non-finite', 'json-bare-word', 'json-malformed']);
/** JSON.parse of megabytes of nested brackets takes seconds; a body of only `[` is never JSON. */
const HUGE = 64 * 1024;

interface Stripped { rest: string; unterminated: boolean }

/** Removes the contents of string literals quoted with `quote` (keeping the quotes), honouring backslash escapes. */
function stripStrings(text: string, quote: '"' | "'"): Stripped {
  let rest = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== quote) { rest += c; i++; continue; }
    let j = i + 1;
    while (j < text.length && text[j] !== quote) j += text[j] === '\\' ? 2 : 1;
    if (j >= text.length) return { rest: `${rest}${quote}`, unterminated: true };
    rest += quote + quote;
    i = j + 1;
  }
  return { rest, unterminated: false };
}

/** Brackets of `rest` (strings stripped) checked with a stack: a closer without its opener, or openers left. */
function brackets(rest: string): { unbalanced: boolean; open: boolean } {
  const stack: string[] = [];
  let unbalanced = false;
  for (const c of rest) {
    if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') {
      const top = stack.pop();
      if (top !== (c === '}' ? '{' : '[')) unbalanced = true;
    }
  }
  return { unbalanced, open: stack.length > 0 };
}

/** Evidence in the text for each not-JSON label, found without the generators' scanner. */
function witnesses(text: string): Record<string, boolean> {
  const dq = stripStrings(text, '"');
  const sq = stripStrings(dq.rest, "'");
  const rest = sq.rest;
  // With and without comments: a `//` comment that runs to the end swallows the closing brackets.
  const uncommented = rest.replace(/\/\*[\s\S]*?(\*\/|$)|\/\/[^\n]*/g, '');
  const b = brackets(rest);
  const bu = brackets(uncommented);
  // Words once JSON number tokens (1, -0.5, 1e5, 2E-3) are set aside: `1N` has the word N, `1e5` none.
  const words = [...rest.replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g, ' ').matchAll(/[A-Za-z_$][A-Za-z0-9_$]*/g)].map((m) => m[0]);
  return {
    'json-truncated': dq.unterminated || sq.unterminated || b.open || bu.open,
    'json-unbalanced': b.unbalanced || bu.unbalanced,
    'json-trailing-comma': /,\s*[}\]]/.test(rest),
    'json-single-quote': dq.rest.includes("'"),
    'json-comment': rest.includes('//') || rest.includes('/*'),
    'json-non-finite': words.some((w) => w === 'NaN' || w === 'Infinity'),
    'json-bare-word': words.some((w) => !['true', 'false', 'null', 'NaN', 'Infinity'].includes(w)),
    'json-malformed': true,
  };
}

export interface BodyLike { bytes: Buffer; labels: readonly string[]; indexName?: unknown }

/**
 * Checks a body's labels the way a strict server reads the bytes: empty, BOM, fatal UTF-8
 * decoding, JSON.parse, then the object's shape and its indexName (nameOracle). Returns whether
 * the body is JSON once a BOM is set aside, and whether it starts with one.
 */
export function checkBodyLabels(what: string, c: BodyLike): { json: boolean; bom: boolean } {
  const { bytes, labels } = c;
  const where = `${what} ${JSON.stringify(bytes.subarray(0, 120).toString('latin1'))}${bytes.length > 120 ? `… (${bytes.length} bytes)` : ''}`;
  if (bytes.length === 0) { sameSet(where, labels, ['body-empty']); return { json: false, bom: false }; }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (labels.includes('json-bom') !== bom) throw new Error(`${where}: json-bom ${labels.includes('json-bom') ? 'set without' : 'missing despite'} a leading EF BB BF`);
  let text: string;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    sameSet(where, labels, [...(bom ? ['json-bom'] : []), 'json-invalid-utf8']);
    return { json: false, bom };
  }
  if (bom) text = text.slice(1);
  let parsed: { ok: true; value: unknown } | { ok: false };
  if (bytes.length > HUGE && /^\[*$/.test(text)) parsed = { ok: false };
  else { try { parsed = { ok: true, value: JSON.parse(text) }; } catch { parsed = { ok: false }; } }
  const rest = labels.filter((l) => l !== 'json-bom');
  if (!parsed.ok) {
    if (rest.length === 0) throw new Error(`${where}: JSON.parse rejects the text but no label says so`);
    const evidence = witnesses(text);
    for (const l of rest) {
      if (!NOT_JSON_LABELS.has(l)) throw new Error(`${where}: JSON.parse rejects the text, yet it is labelled ${l}`);
      if (!evidence[l]) throw new Error(`${where}: labelled ${l}, but the text shows no sign of it`);
    }
    if (rest.includes('json-malformed') && rest.length > 1) throw new Error(`${where}: json-malformed is the fallback, not to be combined (${rest.join(', ')})`);
    return { json: false, bom };
  }
  const value = parsed.value;
  const expected: string[] = bom ? ['json-bom'] : [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    expected.push('body-not-object');
  } else {
    const object = value as Record<string, unknown>;
    if (!Object.hasOwn(object, 'indexName')) expected.push('body-missing-index-name');
    else expected.push(...nameOracle(object.indexName));
    if (Object.keys(object).some((k) => k !== 'indexName')) expected.push('body-extra-field');
    if ('indexName' in c && JSON.stringify(c.indexName) !== JSON.stringify(object.indexName)) {
      throw new Error(`${where}: indexName ${JSON.stringify(c.indexName)}, the body holds ${JSON.stringify(object.indexName)}`);
    }
  }
  sameSet(where, labels, expected);
  return { json: true, bom };
}

// ---- signature faults (the protocol's verifier, spec §9, §12 U11) ----

export const SIGNING_NOW = new Date('2026-03-01T00:10:00Z');
export const SIGNING_CONTEXT: SigningContext = {
  region: 'cn-hangzhou', accountId: '1234567890',
  credentials: { accessKeyId: 'ak', accessKeySecret: 'sk' },
  now: () => SIGNING_NOW,
};

/** The code a server following spec §9 and §12 U11 answers (signature first, then Content-MD5); null when it accepts. */
export function serverVerdict(req: WireRequest, c: SigningContext = SIGNING_CONTEXT, now: Date = SIGNING_NOW): string | null {
  const v = verifyRequest({
    method: req.method, query: req.query, headers: req.headers, region: c.region, accountId: c.accountId,
    bucket: req.bucket ?? undefined, lookupSecret: (id) => (id === c.credentials.accessKeyId ? c.credentials.accessKeySecret : undefined), now,
  });
  if (!v.ok) return v.code;
  const md5 = normalizeHeaders(req.headers).get('content-md5');
  if (md5 !== undefined && md5 !== contentMd5(req.body)) return 'InvalidDigest';
  return null;
}

/** What each signature label makes a spec-following verifier answer (spec §9.5 error table, §12 U11). */
export const SIGNATURE_LABEL_CODES: Record<string, string> = {
  unsigned: 'AccessDenied',
  'unknown-key': 'InvalidAccessKeyId',
  'wrong-secret': 'SignatureDoesNotMatch',
  'tampered-header': 'SignatureDoesNotMatch',
  'wrong-scope': 'SignatureDoesNotMatch',
  'stale-date': 'RequestTimeTooSkewed',
  'md5-mismatch': 'InvalidDigest',
};

// ---- index states (spec §3.8, §5, §12 U5) ----

/** Spec §3.8 / §5: which label each state at delete time carries. */
export const STATE_LABELS: Record<string, string[]> = {
  'bucket-absent': ['bucket-absent'],
  absent: ['index-absent'],
  deleted: ['index-deleted'],
  enable: [],
  creating: ['index-creating'],
  deleting: ['index-deleting'],
};

export function checkIndexState(what: string, s: { kind: string; labels: readonly string[]; dimension?: number; distanceMetric?: string; vectorCount?: number }, maxVectors = 20, maxDimension: number = LIMITS.dimensionMax): void {
  const expected = STATE_LABELS[s.kind];
  if (!expected) throw new Error(`${what}: unknown state ${s.kind}`);
  sameSet(`${what} ${s.kind}`, s.labels, expected);
  const shaped = s.kind === 'enable' || s.kind === 'creating' || s.kind === 'deleting';
  if (shaped !== (s.dimension !== undefined)) throw new Error(`${what}: ${s.kind} ${shaped ? 'lacks' : 'has'} a shape`);
  if (shaped) {
    if (!Number.isInteger(s.dimension) || s.dimension! < LIMITS.dimensionMin || s.dimension! > maxDimension) throw new Error(`${what}: dimension ${s.dimension} outside ${LIMITS.dimensionMin}–${maxDimension}`);
    if (!(LIMITS.distanceMetrics as readonly string[]).includes(s.distanceMetric!)) throw new Error(`${what}: distanceMetric ${s.distanceMetric}`);
  }
  const holdsVectors = s.kind === 'enable' || s.kind === 'deleting';
  if (holdsVectors !== (s.vectorCount !== undefined)) throw new Error(`${what}: ${s.kind} ${holdsVectors ? 'lacks' : 'has'} a vectorCount`);
  if (holdsVectors && (!Number.isInteger(s.vectorCount) || s.vectorCount! < 0 || s.vectorCount! > maxVectors)) throw new Error(`${what}: vectorCount ${s.vectorCount} outside 0–${maxVectors}`);
}
