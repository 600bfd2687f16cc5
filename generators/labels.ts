// The label vocabulary: each generated case carries the labels of what is wrong with it (empty =
// a valid request to an index in `enable`). Every label names one cause of contracts/responses.ts
// (or none, for a label that is not a fault), the stage of spec §12 U2 at which a server would
// notice it, and, when its outcome rests on a spec §12 unknown, what a server may do instead.
import type { ErrorCode } from '../contracts/errors.ts';

/**
 * Spec §12 U2's most plausible order of checks, the authentication stage split as the emulator
 * does it. Within a stage, labels are checked in the order LABELS lists them.
 */
export const STAGES = ['auth', 'permission', 'digest', 'bucket', 'json', 'param', 'lookup', 'state'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * An outcome that rests on an unknown: `ref` names it, `otherwise` is what a server may plausibly
 * do instead: answer another code, or `ignored` (act as if the label were not there).
 */
export interface Unknown {
  ref: string;
  otherwise: ErrorCode | 'ignored';
}

export interface LabelInfo {
  /** The cause in contracts/responses.ts; null for a label that is not a fault (the request should succeed). */
  cause: string | null;
  stage: Stage;
  /** The §12 unknown (or other undocumented point) the expected outcome rests on; null when documented. */
  unknown: Unknown | null;
  /** A short phrase for describeLabels. */
  says: string;
}

const NAME = 'index-name-invalid';

export const LABELS = {
  // Signature and identity (spec §9, §6.4), in the verifier's order: presence, key, time, scope, signature.
  unsigned: { cause: 'unsigned', stage: 'auth', unknown: null, says: 'the request carries no Authorization' },
  'unknown-key': { cause: 'unknown-key', stage: 'auth', unknown: null, says: 'the AccessKeyId is unknown' },
  'stale-date': { cause: 'stale-date', stage: 'auth', unknown: null, says: 'x-oss-date is more than 15 minutes old' },
  'wrong-scope': { cause: 'wrong-scope', stage: 'auth', unknown: null, says: 'the credential scope names the wrong region or date' },
  'wrong-secret': { cause: 'wrong-secret', stage: 'auth', unknown: null, says: 'the request is signed with the wrong secret' },
  'tampered-header': { cause: 'tampered-header', stage: 'auth', unknown: null, says: 'a signed header was changed after signing' },
  'no-permission': { cause: 'no-permission', stage: 'permission', unknown: null, says: 'the identity lacks oss:DeleteVectorIndex' },
  'md5-mismatch': { cause: 'md5-mismatch', stage: 'digest', unknown: { ref: 'U11', otherwise: 'ignored' }, says: 'Content-MD5 does not match the body' },
  // Target state (spec §3.8, §5).
  'bucket-absent': { cause: 'bucket-absent', stage: 'bucket', unknown: null, says: 'the bucket does not exist' },
  'index-absent': { cause: 'index-absent', stage: 'lookup', unknown: null, says: 'the index does not exist' },
  'index-deleted': { cause: 'index-deleted', stage: 'lookup', unknown: { ref: 'U5', otherwise: 'VectorIndexOperationConflict' }, says: 'the index was deleted just before' },
  'index-creating': { cause: 'index-creating', stage: 'state', unknown: null, says: 'the index is in creating' },
  'index-deleting': { cause: 'index-deleting', stage: 'state', unknown: null, says: 'the index is in deleting' },
  // Body bytes that are not JSON (D-DelIdx MalformedJson).
  'body-empty': { cause: 'body-empty', stage: 'json', unknown: { ref: 'U3', otherwise: 'VectorIndexParameterInvalid' }, says: 'the body is empty' },
  'json-bom': { cause: 'body-not-json', stage: 'json', unknown: { ref: 'RFC 8259 §8.1: a parser MAY ignore a byte order mark', otherwise: 'ignored' }, says: 'the body starts with a UTF-8 byte order mark' },
  'json-invalid-utf8': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the body is not valid UTF-8' },
  'json-truncated': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text ends inside a string, object or array' },
  'json-unbalanced': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text closes a bracket it never opened' },
  'json-trailing-comma': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text has a trailing comma' },
  'json-single-quote': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text uses single quotes' },
  'json-comment': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text contains a comment' },
  'json-non-finite': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text contains NaN or Infinity' },
  'json-bare-word': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the JSON text contains an unquoted word' },
  'json-malformed': { cause: 'body-not-json', stage: 'json', unknown: null, says: 'the body is not valid JSON' },
  // Valid JSON, invalid parameters (D-DelIdx VectorIndexParameterInvalid; U3, U4 as the issue reads them).
  'body-not-object': { cause: 'body-not-object', stage: 'param', unknown: null, says: 'the JSON body is not an object' },
  'body-missing-index-name': { cause: 'index-name-missing', stage: 'param', unknown: null, says: 'indexName is missing' },
  'name-non-string': { cause: 'index-name-wrong-type', stage: 'param', unknown: null, says: 'indexName is not a string' },
  'name-empty': { cause: NAME, stage: 'param', unknown: null, says: 'indexName is empty' },
  'name-too-long': { cause: NAME, stage: 'param', unknown: null, says: 'indexName is longer than 63 characters' },
  'name-leading-digit': { cause: NAME, stage: 'param', unknown: null, says: 'indexName starts with a digit' },
  'name-forbidden-char': { cause: NAME, stage: 'param', unknown: null, says: 'indexName contains a character other than a letter or digit' },
  // Not a fault: the body also carries fields DeleteVectorIndex does not define (ignored, most plausibly).
  'body-extra-field': { cause: null, stage: 'param', unknown: { ref: 'fields DeleteVectorIndex does not define (undocumented)', otherwise: 'VectorIndexParameterInvalid' }, says: 'the body carries an extra field' },
} as const satisfies Record<string, LabelInfo>;

export type Label = keyof typeof LABELS;

export function isLabel(label: string): label is Label {
  return Object.hasOwn(LABELS, label);
}

export function labelInfo(label: string): LabelInfo {
  if (!isLabel(label)) throw new Error(`unknown label '${label}'`);
  return LABELS[label];
}

/** The contracts cause a label stands for; null when the label is not a fault. */
export function causeOf(label: string): string | null {
  return labelInfo(label).cause;
}
