// The documented responses of DeleteVectorIndex: one entry each, the single source of truth from
// which suites, pacts, the coverage figure and the reports are derived (docs/design.md rule 1).
import type { ErrorCode } from './errors.ts';

export interface DocReference {
  /** Source tag of spec §0 and the place in it. */
  tag: string;
  url: string;
  /** The sentence (or table row) the response enforces. */
  says: string;
  /** Which revision of the source was read. */
  revision: string;
}

export interface DocumentedResponse {
  /** Stable key used in case ids, tags and report rows, e.g. `404-no-such-vector-index`. */
  key: string;
  /** Human label, e.g. `404 NoSuchVectorIndex`: the `response` field of a results.jsonl line. */
  label: string;
  status: number;
  code: ErrorCode | null;
  /** Causes that lead to this response; generators label cases with these. */
  causes: readonly string[];
  documented: boolean;
  doc: DocReference;
}

const DEL_IDX_URL = 'https://www.alibabacloud.com/help/en/oss/developer-reference/deletevectorindex';
const DEL_IDX_REV = 'help-center copy as cited by docs/spec.md §0 (undated stored copy; en/zh/zh-tw error tables), SDK GO @ b3226d1 (2026-05-08)';

export const DELETE_VECTOR_INDEX_RESPONSES = [
  {
    key: '204-deleted', label: '204 No Content', status: 204, code: null,
    causes: ['index-enable', 'index-with-vectors'], documented: true,
    doc: { tag: 'D-DelIdx', url: DEL_IDX_URL, revision: DEL_IDX_REV,
      says: 'Deletes a vector index and all vectors in it; irreversible. Sample response: HTTP/1.1 204 No Content.' },
  },
  {
    key: '400-malformed-json', label: '400 MalformedJson', status: 400, code: 'MalformedJson',
    causes: ['body-not-json', 'body-empty'], documented: true,
    doc: { tag: 'D-DelIdx', url: DEL_IDX_URL, revision: DEL_IDX_REV,
      says: 'MalformedJson (400): the request body is not valid JSON.' },
  },
  {
    key: '400-vector-index-parameter-invalid', label: '400 VectorIndexParameterInvalid', status: 400, code: 'VectorIndexParameterInvalid',
    causes: ['index-name-missing', 'index-name-invalid', 'index-name-wrong-type', 'body-not-object'], documented: true,
    doc: { tag: 'D-DelIdx', url: DEL_IDX_URL, revision: DEL_IDX_REV,
      says: 'VectorIndexParameterInvalid (400): a vector index parameter in the request is invalid (indexName: 1–63 letters and digits, starting with a letter).' },
  },
  {
    key: '403-access-denied', label: '403 AccessDenied', status: 403, code: 'AccessDenied',
    causes: ['unsigned', 'no-permission'], documented: true,
    doc: { tag: 'D-DelIdx', url: DEL_IDX_URL, revision: DEL_IDX_REV,
      says: 'AccessDenied (403): no authentication information, or the caller lacks oss:DeleteVectorIndex.' },
  },
  {
    key: '403-signature', label: '403 signature family', status: 403, code: null,
    causes: ['unknown-key', 'wrong-secret', 'tampered-header', 'stale-date', 'wrong-scope'], documented: true,
    doc: { tag: 'D-V4', url: 'https://help.aliyun.com/en/oss/developer-reference/recommend-to-use-signature-version-4', revision: 'spec §9, §6.4 (GO-IT, GO-MOCK, D-Skew)',
      says: 'Requests must carry a valid OSS4-HMAC-SHA256 signature; InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed (403).' },
  },
  {
    key: '400-invalid-digest', label: '400 InvalidDigest', status: 400, code: 'InvalidDigest',
    causes: ['md5-mismatch'], documented: false,
    doc: { tag: 'D-MD5', url: 'https://www.alibabacloud.com/help/en/oss/developer-reference/data-verification-2', revision: 'spec §10, §12 U11 (generic OSS; not documented for vectors)',
      says: 'OSS answers 400 InvalidDigest when Content-MD5 does not match the body; whether OSS Vectors checks it is not documented (asserted under --strict only).' },
  },
  {
    key: '404-no-such-vector-index', label: '404 NoSuchVectorIndex', status: 404, code: 'NoSuchVectorIndex',
    causes: ['index-absent', 'index-deleted'], documented: true,
    doc: { tag: 'D-DelIdx', url: DEL_IDX_URL, revision: DEL_IDX_REV,
      says: 'NoSuchVectorIndex (404): the specified vector index does not exist.' },
  },
  {
    key: '404-no-such-bucket', label: '404 NoSuchBucket', status: 404, code: 'NoSuchBucket',
    causes: ['bucket-absent'], documented: false,
    doc: { tag: 'GO-IT', url: 'https://github.com/aliyun/alibabacloud-oss-go-sdk-v2/blob/b3226d1b080a191be6e724f757316b3b28f1179d/oss/vectors/client_integration_test.go', revision: 'GO @ b3226d1 (2026-05-08), TestIndex',
      says: 'Observed on the real service: NoSuchBucket (404) "The specified bucket does not exist." for every bucket-scoped vectors operation.' },
  },
  {
    key: '409-vector-index-operation-conflict', label: '409 VectorIndexOperationConflict', status: 409, code: 'VectorIndexOperationConflict',
    causes: ['index-creating', 'index-deleting'], documented: true,
    doc: { tag: 'D-DelIdx', url: 'https://www.alibabacloud.com/help/tc/oss/developer-reference/deletevectorindex', revision: DEL_IDX_REV,
      says: "VectorIndexOperationConflict (409): the index is not in the 'enable' state." },
  },
] as const satisfies readonly DocumentedResponse[];

export type ResponseKey = (typeof DELETE_VECTOR_INDEX_RESPONSES)[number]['key'];

/** Report rows that are behaviours rather than single responses. */
export const BEHAVIOUR_ROWS = [
  { key: 'lifecycle', label: 'lifecycle model' },
  { key: 'races', label: 'races' },
  { key: 'names', label: 'name isolation' },
  { key: 'buckets', label: 'bucket lifecycle' },
] as const;

export function responseByKey(key: string): DocumentedResponse {
  const found = (DELETE_VECTOR_INDEX_RESPONSES as readonly DocumentedResponse[]).find((r) => r.key === key);
  if (!found) throw new Error(`unknown documented response '${key}'`);
  return found;
}

/** The response a single cause leads to. */
export function responseForCause(cause: string): DocumentedResponse {
  const found = (DELETE_VECTOR_INDEX_RESPONSES as readonly DocumentedResponse[]).find((r) => r.causes.includes(cause));
  if (!found) throw new Error(`no documented response for cause '${cause}'`);
  return found;
}
