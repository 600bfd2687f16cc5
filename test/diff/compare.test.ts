// The comparator: name normalisation, volatile and framing headers, documented headers, body shape
// and values, follow-up checks and parallel requests.
import { describe, expect, it } from 'vitest';
import { bodyShape, compareExchanges, compareResponses, normaliser, VOLATILE_HEADERS } from '../../diff/compare.ts';
import { errorBody, errorResponse, exchange, indexBody, metaFor, noContent, ok200, rec } from './fixtures.ts';

const A = { runId: 'aaaaaa' };
// The other side is another target: another address, as two targets (two embedded emulators) always are.
const B = { runId: 'bbbbbb', clock: 97, origin: 'http://127.0.0.1:9001' };
const na = normaliser(metaFor(A));
const nb = normaliser(metaFor(B));
const del = (v: typeof A, res: ReturnType<typeof noContent>) => exchange(v, 'deleteVectorIndex', res);

describe('normaliser', () => {
  it('replaces the run prefix, the absent bucket and the bucket with placeholders', () => {
    expect(na('ovcaaaaaaidx1 in ovc-absent-aaaaaa and ovc-conformance')).toBe('{prefix}idx1 in {absent-bucket} and {bucket}');
    expect(na('ovcaaaaaaidx1')).toBe(nb('ovcbbbbbbidx1'));
  });
});

describe('compareResponses', () => {
  it('finds nothing between two answers that differ only in volatile headers, request ids, messages and the prefix', () => {
    const l = del(A, errorResponse(A, 404, 'NoSuchBucket', { body: errorBody(A, 'NoSuchBucket', { BucketName: 'ovc-absent-aaaaaa' }) }));
    const r = del(B, errorResponse(B, 404, 'NoSuchBucket', { body: errorBody(B, 'NoSuchBucket', { BucketName: 'ovc-absent-bbbbbb', Message: 'other words' }) }));
    expect(l.response!.headers.date).not.toBe(r.response!.headers.date);
    expect(compareResponses('when', l, r, na, nb)).toEqual([]);
  });

  it('ignores every documented volatile header value', () => {
    expect(VOLATILE_HEADERS).toEqual(expect.arrayContaining(['date', 'x-oss-request-id', 'x-oss-server-time', 'x-oss-ec', 'content-length', 'connection', 'keep-alive', 'server']));
    const r = noContent(B);
    r.headers.server = 'SomethingElse';
    expect(compareResponses('when', del(A, noContent(A)), del(B, r), na, nb)).toEqual([]);
  });

  it('a different status or Error.Code is an answer difference', () => {
    const d = compareResponses('when', del(A, errorResponse(A, 404, 'NoSuchVectorIndex')), del(B, errorResponse(B, 409, 'VectorIndexOperationConflict')), na, nb);
    expect(d[0]).toMatchObject({ aspect: 'answer', left: '404 NoSuchVectorIndex', right: '409 VectorIndexOperationConflict', question: 'U5' });
  });

  it('a different Content-Type value is a documented header difference', () => {
    const d = compareResponses('when', del(A, errorResponse(A, 404, 'NoSuchVectorIndex')), del(B, errorResponse(B, 404, 'NoSuchVectorIndex', { headers: { 'content-type': 'application/json; charset=utf-8' } })), na, nb);
    expect(d).toEqual([expect.objectContaining({ aspect: 'header-value', subject: 'content-type', documented: true })]);
  });

  it('a missing x-oss-ec is open (U16); an extra undocumented header is open; a missing x-oss-request-id is documented', () => {
    const r = errorResponse(B, 404, 'NoSuchVectorIndex', { headers: { 'x-oss-extra': '1' } });
    delete r.headers['x-oss-ec'];
    delete r.headers['x-oss-request-id'];
    const d = compareResponses('when', del(A, errorResponse(A, 404, 'NoSuchVectorIndex')), del(B, r), na, nb);
    expect(d).toEqual(expect.arrayContaining([
      expect.objectContaining({ aspect: 'header-name', subject: 'x-oss-ec', documented: false, question: 'U16' }),
      expect.objectContaining({ aspect: 'header-name', subject: 'x-oss-extra', documented: false, question: 'undocumented' }),
      expect.objectContaining({ aspect: 'header-name', subject: 'x-oss-request-id', documented: true }),
    ]));
  });

  it('framing headers (transfer-encoding vs content-length) are not compared', () => {
    const r = noContent(B);
    delete r.headers['content-length'];
    r.headers['transfer-encoding'] = 'chunked';
    expect(compareResponses('when', del(A, noContent(A)), del(B, r), na, nb)).toEqual([]);
  });

  it('body shape: a missing HostId is open (U23), a missing Message is documented, XML instead of JSON is documented', () => {
    const noHost = JSON.stringify({ Error: { Code: 'NoSuchVectorIndex', Message: 'm', RequestId: 'r', EC: 'e' } });
    const d1 = compareResponses('when', del(A, errorResponse(A, 404, 'NoSuchVectorIndex')), del(B, errorResponse(B, 404, 'NoSuchVectorIndex', { body: noHost })), na, nb);
    expect(d1).toEqual([expect.objectContaining({ aspect: 'body-shape', subject: 'Error.HostId', left: 'string', right: 'absent', documented: false, question: 'U23' })]);
    const noMessage = JSON.stringify({ Error: { Code: 'NoSuchVectorIndex', RequestId: 'r', HostId: 'h', EC: 'e' } });
    const d2 = compareResponses('when', del(A, errorResponse(A, 404, 'NoSuchVectorIndex')), del(B, errorResponse(B, 404, 'NoSuchVectorIndex', { body: noMessage })), na, nb);
    expect(d2).toEqual([expect.objectContaining({ subject: 'Error.Message', documented: true })]);
    const xml = '<?xml version="1.0"?><Error><Code>NoSuchVectorIndex</Code></Error>';
    const d3 = compareResponses('when', del(A, errorResponse(A, 404, 'NoSuchVectorIndex')), del(B, errorResponse(B, 404, 'NoSuchVectorIndex', { body: xml })), na, nb);
    expect(d3).toEqual(expect.arrayContaining([expect.objectContaining({ aspect: 'body-kind', left: 'json', right: 'text', documented: true })]));
  });

  it('a body on a 204 is a documented difference', () => {
    const r = noContent(B);
    r.body = '{"ok":true}';
    expect(compareResponses('when', del(A, noContent(A)), del(B, r), na, nb)).toEqual([expect.objectContaining({ aspect: 'body-kind', left: 'empty', right: 'json', documented: true })]);
  });

  it('index values: the index name compares after normalisation, createTime not; a state against another is open (U6), a wrong dataType documented', () => {
    const get = (v: typeof A, body: string) => exchange(v, 'getVectorIndex', ok200(v, body));
    expect(compareResponses('then', get(A, indexBody(A, 'x')), get(B, indexBody(B, 'x')), na, nb)).toEqual([]);
    expect(compareResponses('then', get(A, indexBody(A, 'x')), get(B, indexBody(B, 'y')), na, nb)).toEqual([expect.objectContaining({ aspect: 'body-value', subject: 'index.indexName', left: '{prefix}x', right: '{prefix}y', documented: true })]);
    expect(compareResponses('then', get(A, indexBody(A, 'x')), get(B, indexBody(B, 'x', 'deleting')), na, nb)).toEqual([expect.objectContaining({ subject: 'index.status', documented: false, question: 'U6' })]);
    expect(compareResponses('then', get(A, indexBody(A, 'x')), get(B, indexBody(B, 'x', 'enabled')), na, nb)).toEqual([expect.objectContaining({ subject: 'index.status', documented: true })]);
  });

  it('bodyShape records types per path, arrays as []', () => {
    const s = bodyShape(JSON.stringify({ indexes: [{ indexName: 'a', dimension: 4 }], nextToken: null }), 'utf8');
    expect(Object.fromEntries(s.types)).toEqual({ $: 'object', indexes: 'array', 'indexes[]': 'object', 'indexes[].indexName': 'string', 'indexes[].dimension': 'number', nextToken: 'null' });
  });
});

describe('compareExchanges', () => {
  const getRec = (v: typeof A, seq: number, status: number) => rec('c', seq, 'then', 'GetVectorIndex', exchange(v, 'getVectorIndex', status === 404 ? errorResponse(v, 404, 'NoSuchVectorIndex') : ok200(v, indexBody(v, 'x', 'deleting'))));
  const when = (v: typeof A) => rec('c', 0, 'when', 'DeleteVectorIndex', del(v, noContent(v)));

  it('collapses repeated follow-up answers (a target that polls longer is not different)', () => {
    const l = [when(A), getRec(A, 1, 200), getRec(A, 2, 404)];
    const r = [when(B), getRec(B, 1, 200), getRec(B, 2, 200), getRec(B, 3, 200), getRec(B, 4, 404)];
    expect(compareExchanges(l, r, na, nb).differences).toEqual([]);
  });

  it('200 deleting then 404 against 404 at once is a follow-up difference speaking to U5', () => {
    const d = compareExchanges([when(A), getRec(A, 1, 200), getRec(A, 2, 404)], [when(B), getRec(B, 1, 404)], na, nb).differences;
    expect(d).toEqual([expect.objectContaining({ where: 'then', aspect: 'then', left: 'GetVectorIndex 200', right: 'GetVectorIndex 404 NoSuchVectorIndex', question: 'U5' })]);
  });

  it('set-up differences are notes, not differences', () => {
    const put = (v: typeof A, status: number) => rec('c', -1, 'given', 'PutVectorIndex', exchange(v, 'putVectorIndex', status === 200 ? ok200(v) : errorResponse(v, 409, 'VectorBucketIndexAlreadyExist')));
    const c = compareExchanges([put(A, 200), when(A)], [put(B, 409), when(B)], na, nb);
    expect(c.differences).toEqual([]);
    expect(c.notes[0]).toMatch(/set-up differs: PutVectorIndex 200 vs PutVectorIndex 409/);
  });

  it('parallel requests compare as a tally of answers', () => {
    const par = (v: typeof A, answers: number[]) => answers.map((s, i) => rec('c', i, 'when', 'DeleteVectorIndex', del(v, s === 204 ? noContent(v) : s === 404 ? errorResponse(v, 404, 'NoSuchVectorIndex') : errorResponse(v, 409, 'VectorIndexOperationConflict'))));
    expect(compareExchanges(par(A, [404, 204, 404]), par(B, [204, 404, 404]), na, nb).differences).toEqual([]);
    const d = compareExchanges(par(A, [204, 404, 404]), par(B, [204, 409, 404]), na, nb).differences;
    expect(d[0]).toMatchObject({ aspect: 'answer', left: '204 ×1, 404 NoSuchVectorIndex ×2', right: '204 ×1, 404 NoSuchVectorIndex ×1, 409 VectorIndexOperationConflict ×1', question: 'U5' });
  });

  it('a sequence of different operations compares step by step, and stops where it went apart', () => {
    const step = (v: typeof A, i: number, op: string, res: ReturnType<typeof noContent>) => rec('c', i, 'when', op, exchange(v, op, res));
    const l = [step(A, 0, 'PutVectorIndex', ok200(A)), step(A, 1, 'DeleteVectorIndex', noContent(A)), step(A, 2, 'DeleteVectorIndex', errorResponse(A, 404, 'NoSuchVectorIndex'))];
    const same = [step(B, 0, 'PutVectorIndex', ok200(B)), step(B, 1, 'DeleteVectorIndex', noContent(B)), step(B, 2, 'DeleteVectorIndex', errorResponse(B, 404, 'NoSuchVectorIndex'))];
    expect(compareExchanges(l, same, na, nb).differences).toEqual([]);
    const other = [step(B, 0, 'PutVectorIndex', ok200(B)), step(B, 1, 'DeleteVectorIndex', noContent(B)), step(B, 2, 'DeleteVectorIndex', errorResponse(B, 409, 'VectorIndexOperationConflict'))];
    expect(compareExchanges(l, other, na, nb).differences).toEqual([expect.objectContaining({ where: 'when[2]', aspect: 'answer', question: 'U5' })]);
    const apart = [step(B, 0, 'PutVectorIndex', errorResponse(B, 409, 'VectorBucketIndexAlreadyExist')), step(B, 1, 'GetVectorIndex', ok200(B))];
    expect(compareExchanges(l, apart, na, nb).differences).toEqual([expect.objectContaining({ where: 'when[0]' }), expect.objectContaining({ where: 'when[1]', subject: 'step of the sequence', left: 'DeleteVectorIndex 204', right: 'GetVectorIndex 200' })]);
  });

  it('pairs the steps by what was asked, not where: another host, another port, virtual-hosted against path-style', () => {
    const step = (v: typeof A, i: number, op: string, res: ReturnType<typeof noContent>, bucket?: string) => rec('c', i, 'when', op, exchange(v, op, res, '{}', bucket));
    const seq = (v: typeof A) => [step(v, 0, 'PutVectorIndex', ok200(v)), step(v, 1, 'DeleteVectorIndex', noContent(v), `ovc${v.runId}-bl`), step(v, 2, 'DeleteVectorIndex', errorResponse(v, 404, 'NoSuchVectorIndex'))];
    for (const other of [{ ...B, origin: 'https://cn-hangzhou.oss-vectors.aliyuncs.com' }, { ...B, virtual: true }, { ...B, origin: 'http://localhost:9002', virtual: true }, { ...B, origin: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', virtual: true }]) {
      expect(compareExchanges(seq(A), seq(other), na, nb).differences).toEqual([]);
    }
    // Another bucket is another request, wherever it was sent.
    const elsewhere = [step(B, 0, 'PutVectorIndex', ok200(B)), step(B, 1, 'DeleteVectorIndex', noContent(B), 'ovc-conformance-b2'), step(B, 2, 'DeleteVectorIndex', errorResponse(B, 404, 'NoSuchVectorIndex'))];
    expect(compareExchanges(seq(A), elsewhere, na, nb).differences).toEqual([expect.objectContaining({ where: 'when[1]', subject: 'step of the sequence' })]);
  });
});
