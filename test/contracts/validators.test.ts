// The client's schema checks are Ajv's code compiled ahead of time (contracts/validators.generated.ts,
// scripts/validators.mjs). That code must be what Ajv makes of the schemas as they are now, and it
// must judge every body as Ajv compiling the schema at run time (the options the checks always used)
// does: same verdict, same errors.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ERROR_ENVELOPE_SCHEMA } from '../../contracts/envelope.ts';
import { OPERATIONS, type OperationName } from '../../contracts/operations.ts';
import { errorEnvelopeValidator, responseValidator, type Validator } from '../../contracts/validators.ts';
import { ROOT } from '../selftest/run-cli.ts';
import { emulatorSchemas, REQUEST_CHECK_OPTIONS } from '../../emulator/params.ts';
import * as EMULATOR_CHECKS from '../../emulator/validators.generated.ts';

const index = { indexName: 'abc', dataType: 'float32', dimension: 4, distanceMetric: 'cosine', status: 'enable', createTime: '2026-01-01T00:00:00Z' };
const bucket = { Name: 'b', CreationDate: '2026-01-01T00:00:00Z', Region: 'cn-hangzhou' };
/** Conforming and broken bodies for every schema the client checks. */
const SAMPLES: unknown[] = [
  null, 'text', 7, [], {},
  { index }, { index: { ...index, indexName: '1bad', dataType: 'float64', dimension: 0, distanceMetric: 'l2', status: 'enabled', createTime: 5 } },
  { index: { ...index, dimension: 4097 } }, { index: { indexName: 'a' } },
  { indexes: [index, { ...index, status: 'enabled' }], nextToken: 'x' }, { indexes: 'none' },
  { BucketInfo: bucket }, { BucketInfo: { ...bucket, Name: 3 } }, { ListAllMyBucketsResult: { Buckets: [bucket, {}] } },
  { vectors: [{ key: 'k', data: { float32: [1, 2] }, metadata: {} }, { data: { float32: ['x'] } }] }, { vectors: {} },
  { Error: { Code: 'NoSuchVectorIndex', Message: 'm', RequestId: 'A'.repeat(24), HostId: 'h', EC: '0000-00000000' } },
  { Error: { Code: 1, Message: 'm', RequestId: 'short' } }, { Error: { Code: 'X', Message: 'm', RequestId: '€'.repeat(24) } },
  { Error: { Code: 'X', Message: 'm', RequestId: 'A'.repeat(25) }, Extra: true }, { Error: {} },
];

const runtime = new Ajv({ allErrors: true, strict: false, validateSchema: false });
function sameJudgement(generated: Validator, schema: Record<string, unknown>): void {
  const compiled = runtime.compile(schema);
  for (const body of SAMPLES) {
    const ok = generated(body);
    expect(ok, JSON.stringify(body)).toBe(compiled(body));
    expect(ok ? null : generated.errors, JSON.stringify(body)).toEqual(ok ? null : compiled.errors);
  }
}

describe('the client\'s schema checks, compiled ahead of time', () => {
  it('contracts/validators.generated.ts and emulator/validators.generated.ts are what Ajv makes of the schemas now (scripts/validators.mjs --check)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'validators.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('every operation with a response schema has its check, and judges each sample body as run-time Ajv does', () => {
    const ops = (Object.keys(OPERATIONS) as OperationName[]).filter((op) => OPERATIONS[op].response);
    expect(ops.length).toBeGreaterThan(5);
    for (const op of ops) sameJudgement(responseValidator(op)!, OPERATIONS[op].response!);
    for (const op of (Object.keys(OPERATIONS) as OperationName[]).filter((o) => !OPERATIONS[o].response)) expect(responseValidator(op)).toBeNull();
  });

  it('the error envelope\'s check judges each sample body as run-time Ajv does', () => {
    sameJudgement(errorEnvelopeValidator, ERROR_ENVELOPE_SCHEMA);
    expect(errorEnvelopeValidator({ Error: { Code: 'X', Message: 'm', RequestId: 'short' } })).toBe(false);
  });
});

// Request bodies the emulator checks: conforming, each field wrong, names at and past the rules.
const vector = { key: 'k', data: { float32: [1, 2] }, metadata: { a: 1 } };
const REQUESTS: unknown[] = [
  null, 'text', 7, [], {}, { indexName: 'abc' }, { indexName: 'a'.repeat(63) }, { indexName: 'a'.repeat(64) }, { indexName: '1abc' },
  { indexName: 'ab-c' }, { indexName: '' }, { indexName: 5 }, { indexName: 'abc', extra: true },
  { indexName: 'abc', dataType: 'float32', dimension: 4, distanceMetric: 'cosine' }, { indexName: 'abc', dataType: 'float64', dimension: 0, distanceMetric: 'l2' },
  { indexName: 'abc', dimension: 4097 }, { maxResults: 501, nextToken: '', prefix: 3 }, { maxResults: 10, nextToken: 'x' },
  { indexName: 'abc', vectors: [vector] }, { indexName: 'abc', vectors: [] }, { indexName: 'abc', vectors: [{ key: 1, data: { float32: ['x'] } }] },
  { indexName: 'abc', keys: ['a'] }, { indexName: 'abc', keys: [] }, { indexName: 'abc', keys: [1] }, { indexName: 'abc', keys: Array(501).fill('k') },
  { indexName: 'abc', queryVector: { float32: [1] }, topK: 5 }, { indexName: 'abc', queryVector: {}, topK: 0 }, { indexName: 'abc', segmentCount: 17, segmentIndex: -1 },
];

describe('the emulator\'s request checks, compiled ahead of time', () => {
  const runtimeFirst = new Ajv(REQUEST_CHECK_OPTIONS);
  it('every schema the emulator checks with has its check, and judges each sample body as run-time Ajv does (same first error)', () => {
    const schemas = emulatorSchemas();
    expect(Object.keys(schemas).length).toBeGreaterThan(20);
    expect(Object.keys(EMULATOR_CHECKS).sort()).toEqual(Object.keys(schemas).sort());
    for (const [name, schema] of Object.entries(schemas)) {
      const generated = (EMULATOR_CHECKS as unknown as Record<string, Validator>)[name]!;
      const compiled = runtimeFirst.compile(schema);
      for (const body of REQUESTS) {
        const ok = generated(body);
        expect(ok, `${name}: ${JSON.stringify(body)}`).toBe(compiled(body));
        expect(ok ? null : generated.errors, `${name}: ${JSON.stringify(body)}`).toEqual(ok ? null : compiled.errors);
      }
    }
  });
});

