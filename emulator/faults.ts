// Fault profiles: each one a single deliberate deviation from documented behaviour. The project's
// self-test runs the suites against each profile to prove the suites notice it.
import type { Range } from './realism.ts';

export const FAULT_PROFILES = {
  'status-200-on-delete': {
    description: 'DeleteVectorIndex answers 200 instead of 204 on success',
    breaks: 'DeleteVectorIndex success is 204 No Content (D-DelIdx sample response)',
  },
  'body-on-204': {
    description: 'DeleteVectorIndex success carries a JSON body (with Content-Type and Content-Length) after the 204 status line, then closes the connection',
    breaks: 'a 204 response has an empty body (D-DelIdx sample, RFC 9110)',
  },
  'vectors-survive-delete': {
    description: 'the index record is removed but its vectors come back when an index of the same name (and dimension) is created again',
    breaks: 'DeleteVectorIndex deletes the index and all vectors in it, irreversibly (D-DelIdx)',
  },
  'deleted-index-visible': {
    description: 'after DeleteVectorIndex, GetVectorIndex and ListVectorIndexes still show the index',
    breaks: 'a deleted index is gone: GetVectorIndex answers 404 NoSuchVectorIndex and ListVectorIndexes omits it',
  },
  'accept-invalid-names': {
    description: 'DeleteVectorIndex does not check the indexName format: a malformed name is looked up and answers 404',
    breaks: 'an indexName breaking the naming rules is 400 VectorIndexParameterInvalid (D-DelIdx, D-PutIdx §3.5)',
  },
  'malformed-json-wrong-code': {
    description: 'a body that is not JSON is answered 400 VectorIndexParameterInvalid',
    breaks: 'a body that is not valid JSON is 400 MalformedJson (D-DelIdx)',
  },
  'xml-errors': {
    description: 'errors are sent as OSS XML with Content-Type application/xml',
    breaks: 'vectors errors are JSON envelopes with Content-Type application/json (spec §6)',
  },
  'json-charset': {
    description: 'errors are sent with Content-Type "application/json; charset=utf-8"',
    breaks: 'the SDKs parse a JSON error only when Content-Type is exactly application/json (spec §6.2)',
  },
  'accept-unsigned': {
    description: 'requests without any signature are accepted (as the first identity)',
    breaks: 'a request without authentication information is 403 AccessDenied (D-DelIdx)',
  },
  'accept-bad-signature': {
    description: 'a signature that does not match is ignored (unknown AccessKeyIds are still rejected)',
    breaks: 'a wrong signature is 403 SignatureDoesNotMatch (spec §9, D-V4)',
  },
  'delete-creating-succeeds': {
    description: "DeleteVectorIndex on an index in 'creating' or 'deleting' removes it and answers 204",
    breaks: "DeleteVectorIndex on an index whose state is not 'enable' is 409 VectorIndexOperationConflict (D-DelIdx)",
  },
  'wrong-error-code': {
    description: 'a missing index is reported with code NoSuchIndex instead of NoSuchVectorIndex',
    breaks: 'a missing index is 404 NoSuchVectorIndex (D-DelIdx, D-GetIdx)',
  },
  'missing-request-id': {
    description: 'responses carry no x-oss-request-id header',
    breaks: 'every response carries a 24-character x-oss-request-id (spec §6.3, §11 item 9)',
  },
  'delete-touches-other': {
    description: 'DeleteVectorIndex also removes the vectors of every other index in the same bucket',
    breaks: 'DeleteVectorIndex deletes only the named index and its vectors (D-DelIdx)',
  },
  'second-delete-204': {
    description: 'DeleteVectorIndex of a well-formed name that does not exist answers 204',
    breaks: 'deleting an index that does not exist is 404 NoSuchVectorIndex (D-DelIdx)',
  },
  'status-enabled-literal': {
    description: "GetVectorIndex and ListVectorIndexes report a usable index as status 'enabled'",
    breaks: "the status literal of a usable index is 'enable' (D-GetIdx, D-ListIdx)",
  },
  'concurrent-deletes-succeed': {
    description: 'DeleteVectorIndex waits 25 ms between its existence check and the removal, so parallel deletes of one index all answer 204',
    breaks: 'deletes of one index are linearizable: exactly one of many parallel deletes succeeds, the rest are 404',
  },
  'enable-during-deleting': {
    description: "during the deleting window of an index deleted through the API, GetVectorIndex and ListVectorIndexes report it 'enable' (turns on a 500 ms deleting window when none is set)",
    breaks: "after a 204 a deleted index is 'deleting' or gone, never 'enable' again (D-GetIdx states; DESIGN rule 5)",
  },
  'deleting-forever': {
    description: "a deleted index stays 'deleting' forever: it is never removed and its name can never be used again",
    breaks: "'deleting' is transitional: a deleted index is gone within the settle bound, then GetVectorIndex answers 404 and the name is free (D-DelIdx)",
  },
  'creating-deleted-204': {
    description: "DeleteVectorIndex on an index that is 'creating' because of the creating window (not a hook-held one) answers 204 and removes it (turns on a 1000 ms creating window when none is set)",
    breaks: "DeleteVectorIndex on an index whose state is not 'enable' is 409 VectorIndexOperationConflict (D-DelIdx)",
  },
  'throttle-500': {
    description: 'throttled requests are answered 500 InternalError instead of 503 ServiceUnavailable (turns on a 20 requests/s server-wide throttle when no throttle is set)',
    breaks: 'a request over a rate limit is answered HTTP 503 so that clients back off and retry (spec §4, §6.4, D-QPS)',
  },
  'empty-body-parameter-invalid': {
    description: 'an empty request body is answered 400 VectorIndexParameterInvalid instead of MalformedJson (ListVectorIndexes still reads it as no parameters)',
    breaks: 'an empty body is not valid JSON: 400 MalformedJson (D-DelIdx; spec §12 U3)',
  },
  'json-before-bucket': {
    description: 'the index operations parse the JSON body before checking the bucket: a malformed body sent to a missing bucket is MalformedJson instead of NoSuchBucket',
    breaks: 'the bucket is checked before the body: a missing bucket is 404 NoSuchBucket whatever the body (spec §12 U2)',
  },
  'bucket-counts-deleted-indexes': {
    description: 'DeleteVectorBucket answers 409 VectorBucketNotEmpty for ever once the bucket has held an index, even after every index was deleted',
    breaks: 'a bucket whose indexes are all gone is deleted with 204 (D-DelBkt; PY-IT deletes the bucket right after its last index)',
  },
  'delete-by-prefix': {
    description: "deleting index 'abc' also deletes every index of the bucket whose name starts with 'abc' (e.g. 'abcd')",
    breaks: 'DeleteVectorIndex deletes only the index named exactly (D-DelIdx)',
  },
  'delete-case-insensitive': {
    description: "DeleteVectorIndex compares names case-insensitively: deleting 'Abc' also deletes 'abc' (and finds 'abc' when 'Abc' does not exist)",
    breaks: 'index names are case-sensitive and distinct (spec §12 U10): deleting one never touches another',
  },
  'delete-in-all-buckets': {
    description: 'deleting a name in one bucket also deletes the index of the same name in every other bucket of the server',
    breaks: 'DeleteVectorIndex acts on the addressed bucket only (D-DelIdx)',
  },
  'reject-63-char-name': {
    description: 'a valid index name of exactly 63 characters is rejected with 400 VectorIndexParameterInvalid (by every index and vector operation)',
    breaks: 'index names of 1-63 letters and digits starting with a letter are valid (D-PutIdx)',
  },
  'accept-64-char-name': {
    description: 'an index name of 64 characters (otherwise valid) is accepted as valid by PutVectorIndex, DeleteVectorIndex and the other index and vector operations',
    breaks: 'an index name longer than 63 characters is 400 VectorIndexParameterInvalid (D-PutIdx)',
  },
} as const satisfies Record<string, { description: string; breaks: string }>;

export type FaultName = keyof typeof FAULT_PROFILES;

export const FAULT_NAMES = Object.keys(FAULT_PROFILES) as FaultName[];

/**
 * Settings a profile needs to be visible at all, applied only when the run sets none of its own:
 * a deleting window, a creating window, a throttle.
 */
export const FAULT_IMPLIED_OPTIONS: Partial<Record<FaultName, { creatingMs?: Range; deletingMs?: Range; throttleRps?: number }>> = {
  'enable-during-deleting': { deletingMs: { min: 500, max: 500 } },
  'creating-deleted-204': { creatingMs: { min: 1000, max: 1000 } },
  'throttle-500': { throttleRps: 20 },
};

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULT_PROFILES, name);
}
