// The OpenAPI 3.1 document derived from contracts/: current, valid, complete for DeleteVectorIndex,
// and a superset of the pact (PactFlow's swagger-mock-validator, what bi-directional contract
// testing runs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_ENVELOPE_SCHEMA } from '../../contracts/operations.ts';
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

interface Doc {
  openapi: string;
  paths: Record<string, { post: { responses: Record<string, unknown> } }>;
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
