// Fault profiles: each one a single deliberate deviation from documented behaviour. The project's
// self-test runs the suites against each profile to prove the suites notice it.

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
} as const satisfies Record<string, { description: string; breaks: string }>;

export type FaultName = keyof typeof FAULT_PROFILES;

export const FAULT_NAMES = Object.keys(FAULT_PROFILES) as FaultName[];

export function isFaultName(name: string): name is FaultName {
  return Object.hasOwn(FAULT_PROFILES, name);
}
