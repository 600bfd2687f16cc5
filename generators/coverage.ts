// The coverage phase (as Schemathesis runs one before random generation): one deterministic case
// for every label of the vocabulary and every boundary, so even `--runs 1` exercises every cause.
// Bodies are given as bytes and labelled by the same labeller the generators use (`bodyCase`); the
// label each entry is there for is written beside it, and test/generators/coverage.test.ts checks
// both that the labeller agrees and that every label of LABELS is the reason of some entry.
import { INDEX_NAME_MAX } from '../contracts/limits.ts';
import { bodyCase, type BodyCase } from './body.ts';
import type { IndexStateKind } from './indexState.ts';
import type { Label } from './labels.ts';
import type { SignatureFault } from './signatureFault.ts';

/** A DeleteVectorIndex body, built from the name the run may address (absent, run-prefixed). */
export interface BodyEntry { id: string; covers: Label; build: (absentName: string) => BodyCase }
/** A signature fault against an existing `enable` index. */
export interface SignatureEntry { id: string; covers: Label; fault: SignatureFault }
/** An index state at delete time. */
export interface StateEntry { id: string; covers: Label | null; kind: IndexStateKind }
/** A name length boundary: valid names of 1 and 63 characters, an invalid one of 64. */
export interface NameBoundary { id: string; length: number; valid: boolean }
/** Two faults at once: under --strict the first in the U2 order of checks decides the code. */
export interface MultiEntry { id: string; bucketAbsent: boolean; unsigned: boolean; build: (absentName: string) => BodyCase }

const b = (s: string | Buffer): BodyCase => bodyCase(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
const j = (v: unknown): string => JSON.stringify(v);

export const BODY_ENTRIES: BodyEntry[] = [
  { id: 'body-empty', covers: 'body-empty', build: () => b('') },
  { id: 'json-bom', covers: 'json-bom', build: (n) => b(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(j({ indexName: n }))])) },
  { id: 'json-invalid-utf8', covers: 'json-invalid-utf8', build: () => b(Buffer.from([0x7b, 0x22, 0x69, 0x6e, 0x64, 0x65, 0x78, 0x4e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])) },
  { id: 'json-truncated', covers: 'json-truncated', build: (n) => b(`{"indexName":"${n}`) },
  { id: 'json-unbalanced', covers: 'json-unbalanced', build: (n) => b(`{"indexName":"${n}"}}`) },
  { id: 'json-trailing-comma', covers: 'json-trailing-comma', build: (n) => b(`{"indexName":"${n}",}`) },
  { id: 'json-single-quote', covers: 'json-single-quote', build: (n) => b(`{'indexName':'${n}'}`) },
  { id: 'json-comment', covers: 'json-comment', build: (n) => b(`{"indexName":"${n}"/* c */}`) },
  { id: 'json-non-finite', covers: 'json-non-finite', build: () => b('{"indexName":NaN}') },
  { id: 'json-bare-word', covers: 'json-bare-word', build: (n) => b(`{"indexName":${n}}`) },
  { id: 'json-malformed', covers: 'json-malformed', build: (n) => b(`{"indexName" "${n}"}`) },
  { id: 'body-not-object/array', covers: 'body-not-object', build: (n) => b(j([n])) },
  { id: 'body-not-object/string', covers: 'body-not-object', build: (n) => b(j(n)) },
  { id: 'body-not-object/number', covers: 'body-not-object', build: () => b('42') },
  { id: 'body-not-object/null', covers: 'body-not-object', build: () => b('null') },
  { id: 'body-missing-index-name', covers: 'body-missing-index-name', build: () => b('{}') },
  { id: 'name-non-string/number', covers: 'name-non-string', build: () => b(j({ indexName: 7 })) },
  { id: 'name-non-string/boolean', covers: 'name-non-string', build: () => b(j({ indexName: true })) },
  { id: 'name-non-string/null', covers: 'name-non-string', build: () => b(j({ indexName: null })) },
  { id: 'name-non-string/array', covers: 'name-non-string', build: (n) => b(j({ indexName: [n] })) },
  { id: 'name-non-string/object', covers: 'name-non-string', build: (n) => b(j({ indexName: { indexName: n } })) },
  { id: 'name-empty', covers: 'name-empty', build: () => b(j({ indexName: '' })) },
  { id: 'name-too-long/64', covers: 'name-too-long', build: (n) => b(j({ indexName: n.padEnd(INDEX_NAME_MAX + 1, 'x').slice(0, INDEX_NAME_MAX + 1) })) },
  { id: 'name-leading-digit', covers: 'name-leading-digit', build: (n) => b(j({ indexName: `1${n}` })) },
  { id: 'name-forbidden-char/hyphen', covers: 'name-forbidden-char', build: (n) => b(j({ indexName: `${n}-x` })) },
  { id: 'name-forbidden-char/underscore', covers: 'name-forbidden-char', build: (n) => b(j({ indexName: `${n}_x` })) },
  { id: 'name-forbidden-char/space', covers: 'name-forbidden-char', build: (n) => b(j({ indexName: `${n} x` })) },
  { id: 'name-forbidden-char/non-ascii', covers: 'name-forbidden-char', build: (n) => b(j({ indexName: `${n}é` })) },
  { id: 'body-extra-field', covers: 'body-extra-field', build: (n) => b(j({ indexName: n, extra: 1 })) },
  { id: 'index-absent/python-spaced', covers: 'index-absent', build: (n) => b(`{"indexName": "${n}"}`) },
];

export const SIGNATURE_ENTRIES: SignatureEntry[] = [
  { id: 'unsigned', covers: 'unsigned', fault: { kind: 'unsigned', labels: ['unsigned'] } },
  { id: 'unknown-key', covers: 'unknown-key', fault: { kind: 'unknown-key', accessKeyId: 'LTAIovcUnknownCoverage00', labels: ['unknown-key'] } },
  { id: 'wrong-secret', covers: 'wrong-secret', fault: { kind: 'wrong-secret', secret: 'ovc-coverage-wrong-secret-0000', labels: ['wrong-secret'] } },
  { id: 'tampered-header/add', covers: 'tampered-header', fault: { kind: 'tampered-header', header: 'x-oss-meta-ovc', mode: 'add', labels: ['tampered-header'] } },
  { id: 'tampered-header/modify', covers: 'tampered-header', fault: { kind: 'tampered-header', header: 'x-oss-meta-ovc', mode: 'modify', labels: ['tampered-header'] } },
  { id: 'tampered-header/content-type', covers: 'tampered-header', fault: { kind: 'tampered-header', header: 'content-type', mode: 'modify', labels: ['tampered-header'] } },
  { id: 'md5-mismatch', covers: 'md5-mismatch', fault: { kind: 'md5-mismatch', labels: ['md5-mismatch'] } },
  { id: 'stale-date/16min', covers: 'stale-date', fault: { kind: 'stale-date', minutesAgo: 16, labels: ['stale-date'] } },
  { id: 'wrong-scope/region', covers: 'wrong-scope', fault: { kind: 'wrong-scope', scope: { region: 'us-west-1' }, labels: ['wrong-scope'] } },
  { id: 'wrong-scope/day-before', covers: 'wrong-scope', fault: { kind: 'wrong-scope', scope: { dayOffset: -1 }, labels: ['wrong-scope'] } },
];

export const STATE_ENTRIES: StateEntry[] = [
  { id: 'bucket-absent', covers: 'bucket-absent', kind: 'bucket-absent' },
  { id: 'absent', covers: 'index-absent', kind: 'absent' },
  { id: 'deleted', covers: 'index-deleted', kind: 'deleted' },
  { id: 'enable', covers: null, kind: 'enable' },
  { id: 'creating', covers: 'index-creating', kind: 'creating' },
  { id: 'deleting', covers: 'index-deleting', kind: 'deleting' },
];

/** The one label no request body carries: the identity, covered by the 403 AccessDenied suite's no-permission case. */
export const COVERED_ELSEWHERE: Partial<Record<Label, string>> = {
  'no-permission': 'delete-vector-index/403-access-denied/no-permission',
};

export const NAME_BOUNDARIES: NameBoundary[] = [
  { id: 'name-length-1', length: 1, valid: true },
  { id: 'name-length-63', length: INDEX_NAME_MAX, valid: true },
  { id: 'name-length-64', length: INDEX_NAME_MAX + 1, valid: false },
];

export const MULTI_ENTRIES: MultiEntry[] = [
  // U2: the bucket is checked before the body is parsed.
  { id: 'bucket-absent+json-truncated', bucketAbsent: true, unsigned: false, build: (n) => b(`{"indexName":"${n}`) },
  { id: 'bucket-absent+body-empty', bucketAbsent: true, unsigned: false, build: () => b('') },
  // U2: the body is parsed before the name is checked.
  { id: 'bucket-absent+name-empty', bucketAbsent: true, unsigned: false, build: () => b(j({ indexName: '' })) },
  // U2: authentication before anything else.
  { id: 'unsigned+json-truncated', bucketAbsent: false, unsigned: true, build: (n) => b(`{"indexName":"${n}`) },
  { id: 'unsigned+bucket-absent', bucketAbsent: true, unsigned: true, build: (n) => b(j({ indexName: n })) },
];
