// A small hand-made run covering every outcome: passes, a failing case with its exchange, an error,
// a skip, a baseline-known failure, precedence and unknown-behaviour cases, and a secret.
import type { Baseline, GateResult } from '../../reports/baseline.ts';
import { reportView, type ReportView } from '../../reports/view.ts';
import type { CaseResult, RunSummary } from '../../reports/model.ts';

export const SECRET = 'S3cr3tV4lueXYZ0123456789abcdef';
export const TOKEN = 'CAIS-session-token-ABCDEFGH0123456789';
export const AUTHZ = 'OSS4-HMAC-SHA256 Credential=LTAI5tExampleKey/20260101/cn-hangzhou/oss/aliyun_v4_request,Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const FAILING_ID = 'delete-vector-index/404-no-such-vector-index/generated-name#17';
export const KNOWN_ID = 'delete-vector-index/409-vector-index-operation-conflict/index-creating';
export const ERROR_ID = 'delete-vector-index/204-deleted/with-vectors';

const base = { reason: null, seed: 123, durationMs: 3.1, target: 'embedded emulator' } as const;

export function fixtureResults(): CaseResult[] {
  return [
    { ...base, id: 'delete-vector-index/204-deleted/enable-index', response: '204 No Content', outcome: 'pass', expected: { status: 204, code: null }, actual: { status: 204, code: null, requestId: 'A'.repeat(24) }, labels: ['index-enable'], cites: 'Deletes a vector index and all vectors in it.' },
    {
      ...base, id: ERROR_ID, response: '204 No Content', outcome: 'error', expected: { status: 204, code: null }, actual: null, labels: ['index-with-vectors'],
      reason: 'could not put vectors: connect ECONNREFUSED 127.0.0.1:9', replay: 'npx ovc run --seed 123 --runs 500 --tags \'204-deleted\'',
    },
    { ...base, id: 'delete-vector-index/400-malformed-json/generated-body#2', response: '400 MalformedJson', outcome: 'pass', expected: { status: 400, code: 'MalformedJson' }, actual: { status: 400, code: 'MalformedJson', requestId: 'B'.repeat(24) }, labels: ['body-not-json'] },
    { ...base, id: 'delete-vector-index/400-malformed-json/generated-body#10', response: '400 MalformedJson', outcome: 'pass', expected: { status: 400, code: 'MalformedJson' }, actual: { status: 400, code: 'MalformedJson', requestId: 'C'.repeat(24) }, labels: ['body-empty'] },
    {
      ...base, id: 'delete-vector-index/400-vector-index-parameter-invalid/two-faults#3', response: '400 VectorIndexParameterInvalid', outcome: 'pass',
      expected: { status: 400, code: 'VectorIndexParameterInvalid', codes: ['VectorIndexParameterInvalid', 'MalformedJson'] }, actual: { status: 400, code: 'MalformedJson', requestId: 'D'.repeat(24) },
      labels: ['index-name-invalid', 'body-not-json'], precedence: 'MalformedJson',
    },
    { ...base, id: 'delete-vector-index/403-access-denied/no-permission', response: '403 AccessDenied', outcome: 'skip', expected: { status: 403, code: 'AccessDenied' }, actual: null, labels: ['no-permission'], reason: 'no denied identity: set OVC_DENIED_ACCESS_KEY_ID / OVC_DENIED_ACCESS_KEY_SECRET' },
    {
      ...base, id: FAILING_ID, response: '404 NoSuchVectorIndex', outcome: 'fail',
      expected: { status: 404, code: 'NoSuchVectorIndex' }, actual: { status: 400, code: 'VectorIndexParameterInvalid', requestId: 'E'.repeat(24) },
      labels: ['index-absent'],
      reason: `expected HTTP 404, got 400; expected Error.Code NoSuchVectorIndex, got VectorIndexParameterInvalid <script>alert(1)</script> & "quotes" ${SECRET}`,
      replay: "npx ovc run --seed 123 --runs 500 --tags '404-no-such-vector-index'",
      curl: `curl -sS -i -X POST 'http://127.0.0.1:9000/ovc-conformance/?deleteVectorIndex' -H 'content-type: application/json' -H 'Authorization: ${AUTHZ}' --data-binary @<(printf %s 'eyJ9' | base64 -d)`,
      exchange: {
        request: {
          method: 'POST', url: 'http://127.0.0.1:9000/ovc-conformance/?deleteVectorIndex',
          headers: { 'content-type': 'application/json', Authorization: AUTHZ, 'x-oss-security-token': TOKEN, 'x-oss-date': '20260101T000000Z' },
          body: JSON.stringify({ indexName: 'ovcabsent17', note: SECRET }), bodyEncoding: 'utf8',
        },
        response: {
          status: 400, headers: { 'content-type': 'application/json', 'x-oss-request-id': 'E'.repeat(24), 'x-oss-ec': '0000-00000000' },
          body: JSON.stringify({ Error: { Code: 'VectorIndexParameterInvalid', Message: 'bad \u0001 control', RequestId: 'E'.repeat(24) } }), bodyEncoding: 'utf8',
        },
        startedAt: '2026-01-01T00:00:01.000Z', durationMs: 12.5,
      },
    },
    { ...base, id: 'delete-vector-index/404-no-such-vector-index/generated-name#2', response: '404 NoSuchVectorIndex', outcome: 'pass', expected: { status: 404, code: 'NoSuchVectorIndex' }, actual: { status: 404, code: 'NoSuchVectorIndex', requestId: 'F'.repeat(24) }, labels: ['index-absent'] },
    {
      ...base, id: KNOWN_ID, response: '409 VectorIndexOperationConflict', outcome: 'fail',
      expected: { status: 409, code: 'VectorIndexOperationConflict' }, actual: { status: 204, code: null, requestId: 'G'.repeat(24) },
      labels: ['index-creating'], reason: 'expected HTTP 409, got 204', replay: "npx ovc run --seed 123 --runs 500 --tags '409-vector-index-operation-conflict'",
    },
    {
      ...base, id: 'delete-vector-index/lifecycle/deleted-name-reusable', response: 'lifecycle model', outcome: 'pass', expected: null,
      actual: { status: 200, code: null, requestId: 'H'.repeat(24) }, labels: [], unknown: true, reason: null,
    },
    {
      ...base, id: 'delete-vector-index/races/concurrent-deletes-16', response: 'races', outcome: 'pass',
      expected: { status: 204, code: null, codes: ['NoSuchVectorIndex', 'VectorIndexOperationConflict'] }, actual: { status: 204, code: null, requestId: 'I'.repeat(24) },
      labels: ['index-enable'], precedence: 'NoSuchVectorIndex',
    },
  ];
}

export function fixtureSummary(results: readonly CaseResult[] = fixtureResults(), target = 'embedded emulator'): RunSummary {
  const counts = { pass: 0, fail: 0, skip: 0, error: 0 };
  for (const r of results) counts[r.outcome]++;
  return {
    target, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:09.000Z', seed: 123, strict: false, counts,
    cleanup: { deleted: 3, failures: [] },
  };
}

/** Lists the 409 failure and the error case: only FAILING_ID is a regression. */
export const FIXTURE_BASELINE: Baseline = {
  target: 'embedded emulator',
  deviations: [
    { id: KNOWN_ID, reason: 'the state hook cannot hold an index in creating on this target', link: 'https://example.invalid/issues/1' },
    { id: 'delete-vector-index/204-deleted/with-*', reason: 'vectors cannot be written on this target' },
  ],
};

/** The redacted view the writers render; `gate` defaults to one that marks nothing (the results' own `baseline` marks stay). */
export function fixtureView(results: readonly CaseResult[] = fixtureResults(), summary: RunSummary = fixtureSummary(results), gate?: GateResult, secrets: readonly string[] = []): ReportView {
  const neutral: GateResult = { exitCode: 0, regressions: [], stale: [], known: [], unmatched: [] };
  return reportView(results, summary, gate ?? neutral, { secrets });
}
