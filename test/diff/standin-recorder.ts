// A stand-in for `ovc run --record` until the suite harness writes cassettes: drives a handful of
// DeleteVectorIndex cases against a running emulator with the project's signed client and records
// them in the cassette format (given / when / then exchanges, case records). Tests only.
import type { RunningEmulator } from '../../emulator/index.ts';
import { writeCassette, type CassetteMeta, type RecordedExchange } from '../../diff/cassette.ts';
import type { CaseResult, Exchange } from '../../reports/model.ts';
import { redactHeaders } from '../../reports/redact.ts';
import { TargetClient, codeOf, type SentExchange } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';

export interface StandinCreds { accessKeyId: string; accessKeySecret: string }

function toExchange(last: SentExchange, secrets: readonly string[]): Exchange {
  const text = (b: Buffer): string => b.toString('utf8');
  return {
    request: { method: last.request.method, url: last.request.url, headers: redactHeaders(last.request.sentHeaders, secrets), body: text(last.request.body) },
    response: { status: last.response.status, headers: redactHeaders(last.response.headers, secrets), body: last.response.text },
    startedAt: new Date().toISOString(), durationMs: last.response.durationMs,
  };
}

export async function recordStandin(emu: RunningEmulator, runId: string, dir: string, creds: StandinCreds): Promise<void> {
  const prefix = `ovc${runId}`;
  const meta: CassetteMeta = {
    format: 'ovc-cassette/1', seed: 7, runs: 1, strict: false, target: `emulator ${emu.url}`, prefix, bucket: 'ovc-conformance',
    otherBucket: null, absentBucket: `ovc-absent-${runId}`, accountId: '1234567890', region: 'cn-hangzhou', createdAt: new Date().toISOString(),
  };
  const target = targetSpec({ endpoint: emu.url, region: meta.region, bucket: meta.bucket, accountId: meta.accountId, addressing: 'path', name: meta.target, timeoutMs: 10_000 });
  const client = new TargetClient(target, { main: creds, denied: null });
  const secrets = [creds.accessKeySecret];
  const exchanges: RecordedExchange[] = [];
  const results: CaseResult[] = [];
  let seq = 0;
  const step = async (caseId: string, role: RecordedExchange['role'], op: 'PutVectorIndex' | 'DeleteVectorIndex' | 'GetVectorIndex', body: unknown, bucket?: string) => {
    const x = await client.opExchange(op, body, bucket ? { bucket } : {});
    exchanges.push({ caseId, seq: seq++, role, op, exchange: toExchange(x, secrets) });
    return x.response;
  };
  const put = (id: string, name: string) => step(id, 'given', 'PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'euclidean' });
  const record = (id: string, response: string, expected: CaseResult['expected'], answer: { status: number; code: string | null }, over: Partial<CaseResult> = {}) => {
    const ok = over.unknown ? answer.status < 500 : answer.status === expected!.status && answer.code === expected!.code;
    results.push({ id, response, outcome: ok ? 'pass' : 'fail', expected, actual: { ...answer, requestId: null }, labels: [], reason: ok ? null : `got ${answer.status} ${answer.code ?? ''}`, seed: 7, durationMs: 1, ...over });
  };
  const D = 'delete-vector-index/';

  let id = `${D}204-deleted/empty-index`;
  await put(id, `${prefix}a`);
  let res = await step(id, 'when', 'DeleteVectorIndex', { indexName: `${prefix}a` });
  record(id, '204 No Content', { status: 204, code: null }, { status: res.status, code: codeOf(res) });
  for (let i = 0; i < 50; i++) {
    const got = await step(id, 'then', 'GetVectorIndex', { indexName: `${prefix}a` });
    if (got.status === 404) break;
    await new Promise((r) => setTimeout(r, 20));
  }

  id = `${D}404-no-such-vector-index/generated-name#0`;
  res = await step(id, 'when', 'DeleteVectorIndex', { indexName: `${prefix}zz0` });
  record(id, '404 NoSuchVectorIndex', { status: 404, code: 'NoSuchVectorIndex' }, { status: res.status, code: codeOf(res) });

  id = `${D}404-no-such-vector-index/second-delete`;
  await put(id, `${prefix}b`);
  await step(id, 'given', 'DeleteVectorIndex', { indexName: `${prefix}b` });
  res = await step(id, 'when', 'DeleteVectorIndex', { indexName: `${prefix}b` });
  record(id, '404 NoSuchVectorIndex', { status: 404, code: 'NoSuchVectorIndex' }, { status: res.status, code: codeOf(res) }, { unknown: true, labels: ['index-deleted'] });

  id = `${D}400-malformed-json/generated-body#0`;
  res = await step(id, 'when', 'DeleteVectorIndex', Buffer.from('{"indexName":'));
  record(id, '400 MalformedJson', { status: 400, code: 'MalformedJson' }, { status: res.status, code: codeOf(res) }, { labels: ['json-truncated'] });

  id = `${D}404-no-such-bucket/absent-bucket-query-bare`;
  res = await step(id, 'when', 'DeleteVectorIndex', { indexName: `${prefix}x` }, meta.absentBucket);
  record(id, '404 NoSuchBucket', { status: 404, code: 'NoSuchBucket' }, { status: res.status, code: codeOf(res) }, { labels: ['bucket-absent'] });

  writeCassette(dir, meta, exchanges, results, secrets);
}
