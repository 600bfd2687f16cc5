// The OpenAPI 3.1 document derived from contracts/: current, valid, complete for DeleteVectorIndex,
// and a superset of the pact (PactFlow's swagger-mock-validator, what bi-directional contract
// testing runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ERROR_ENVELOPE_SCHEMA, OPERATIONS, type Operation } from '../../contracts/operations.ts';
import { INDEX_NAME_MAX } from '../../contracts/limits.ts';
import { DELETE_VECTOR_INDEX_RESPONSES } from '../../contracts/responses.ts';
import { OPENAPI_FILE, openApiText, validateOpenApi } from '../../pact/openapi.ts';
import { PACT_DIR, PACT_FILE_NAME } from '../../pact/interactions.ts';

const PACT = join(PACT_DIR, PACT_FILE_NAME);
const work = mkdtempSync(join(tmpdir(), 'ovc-openapi-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function swaggerMockValidator(spec: string, pact: string): { code: number | null; out: string } {
  const require = createRequire(import.meta.url);
  const bin = join(dirname(require.resolve('@pactflow/swagger-mock-validator')), '..', 'bin', 'swagger-mock-validator.mjs');
  const r = spawnSync(process.execPath, [bin, spec, pact], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

interface Media { schema: Record<string, unknown>; example?: unknown }
interface Resp { content?: Record<string, Media>; headers?: Record<string, { schema: Record<string, unknown>; example?: unknown }> }
interface Op { operationId: string; requestBody?: { required: boolean; content: Record<string, Media> }; responses: Record<string, Resp> }
interface Doc {
  openapi: string;
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, unknown> };
  'x-ovc-operations': Record<string, { operation: string; documentedResponses?: Array<{ key: string; status: number; code: string | null }> }>;
}

describe(`${OPENAPI_FILE}`, () => {
  const text = readFileSync(OPENAPI_FILE, 'utf8');
  const doc = JSON.parse(text) as Doc;

  it('is current (regenerate with `ovc pact openapi` when this fails)', () => {
    expect(text, `${OPENAPI_FILE} is stale: run ovc pact openapi`).toBe(openApiText());
  });

  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(await validateOpenApi(OPENAPI_FILE)).toEqual([]);
    const broken = join(work, 'broken.json');
    writeFileSync(broken, JSON.stringify({ ...doc, paths: { noSlash: {} } }));
    expect((await validateOpenApi(broken)).length).toBeGreaterThan(0);
  });

  it('holds every documented DeleteVectorIndex response, with the JSON error envelope schema', () => {
    const del = doc['x-ovc-operations'].deleteVectorIndex!;
    expect(del.operation).toBe('DeleteVectorIndex');
    expect(del.documentedResponses!.map((r) => r.key)).toEqual(DELETE_VECTOR_INDEX_RESPONSES.map((r) => r.key));
    expect(doc.components.schemas.ErrorEnvelope).toEqual(ERROR_ENVELOPE_SCHEMA);
    for (const path of ['/', '/{bucket}/']) {
      for (const r of DELETE_VECTOR_INDEX_RESPONSES) expect(Object.keys(doc.paths[path]!.post.responses), `${path} ${r.key}`).toContain(String(r.status));
    }
  });

  it('gives each operation its own path item, request schema and responses; body-less answers have no content, errors are JSON envelopes', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ ...doc, $id: 'doc' }, 'doc');
    const check = (schema: Record<string, unknown>, value: unknown): boolean =>
      ajv.validate(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components')), value);
    const ops = (Object.values(OPERATIONS) as Operation[]).filter((o) => o.scope === 'bucket');
    expect(ops.map((o) => o.name)).toEqual(expect.arrayContaining(['GetVectorBucket', 'PutVectorBucket', 'DeleteVectorBucket', 'DeleteVectorIndex', 'PutVectorIndex']));
    let examples = 0;
    for (const prefix of ['/', '/{bucket}/']) {
      for (const o of ops) {
        const path = `${prefix}${o.queryKey ? `?${o.queryKey}` : ''}`;
        const op = doc.paths[path]?.[o.method.toLowerCase()];
        expect(op, `${o.method} ${path}`).toBeDefined();
        expect(op!.operationId).toBe(prefix === '/' ? o.name : `${o.name}PathStyle`);
        const success = op!.responses[String(o.successStatus)]!;
        if (o.response) expect(success.content!['application/json']!.schema).toEqual({ $ref: `#/components/schemas/${o.name}Response` });
        else expect(success.content, `${o.name} ${o.successStatus} has no body`).toBeUndefined();
        if (o.request) expect(op!.requestBody!.content['application/json']!.schema).toEqual({ $ref: `#/components/schemas/${o.name}Request` });
        for (const [status, r] of Object.entries(op!.responses)) {
          if (Number(status) >= 400) expect(r.content!['application/json']!.schema, `${o.name} ${status}`).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
          for (const [name, h] of Object.entries(r.headers ?? {})) { expect(check(h.schema, h.example), `${o.name} ${status} header ${name}`).toBe(true); examples++; }
          for (const m of Object.values(r.content ?? {})) { expect(m.example, `${o.name} ${status} example`).toBeDefined(); expect(check(m.schema, m.example), `${o.name} ${status} example`).toBe(true); examples++; }
        }
        for (const m of Object.values(op!.requestBody?.content ?? {})) { expect(check(m.schema, m.example), `${o.name} request example`).toBe(true); examples++; }
      }
    }
    expect(examples).toBeGreaterThan(200);
    // DeleteVectorIndex: indexName required, the name pattern, 1..63 characters.
    const del = doc.components.schemas.DeleteVectorIndexRequest as Record<string, unknown>;
    expect(check(del, { indexName: 'a' })).toBe(true);
    expect(check(del, { indexName: `a${'b'.repeat(INDEX_NAME_MAX - 1)}` })).toBe(true);
    for (const bad of [{}, { indexName: '' }, { indexName: `a${'b'.repeat(INDEX_NAME_MAX)}` }, { indexName: '1abc' }, { indexName: 'a-b' }, { indexName: 7 }, []]) {
      expect(check(del, bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('contains the pact: swagger-mock-validator finds no error; a pact outside it is refused', () => {
    const ok = swaggerMockValidator(OPENAPI_FILE, PACT);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).toContain('0 error(s)');
    const pact = JSON.parse(readFileSync(PACT, 'utf8')) as { interactions: Array<{ response: { status: number; body?: { content?: Record<string, unknown> } } }> };
    pact.interactions[0]!.response.status = 418;
    const bad = pact.interactions.find((i) => i.response.status === 404)!;
    bad.response.body!.content = { NotAnEnvelope: true };
    const badFile = join(work, 'outside.json');
    writeFileSync(badFile, JSON.stringify(pact));
    const refused = swaggerMockValidator(OPENAPI_FILE, badFile);
    expect(refused.code, refused.out).toBe(1);
    expect(refused.out).toContain('response.status.unknown');
    expect(refused.out).toContain('response.body.incompatible');
  });
});
