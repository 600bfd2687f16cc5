// The official SDKs' exact wire bytes (spec §8; fixtures in test/fixtures/sdk-wire/) sent to Pact's
// stub server serving the committed pact, one stub per provider state selected with `-s` alone:
// every state answers each SDK's request with its documented status and code, virtual-hosted or
// path-style, `?op` or `?op=`, compact or spaced JSON.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATES, type StateName } from '../../contracts/provider-states.ts';
import { PACT_DIR, PACT_FILE_NAME } from '../../pact/interactions.ts';
import { fixturePath, requestBytes, SDKS, VARIANTS, type SdkName, type VariantName } from '../fixtures/sdk-wire/make.ts';
import KAT from '../fixtures/signature-kat.json' with { type: 'json' };
import { sendRaw, startStub, type RunningStub } from './stub.ts';

process.env.PACT_DO_NOT_TRACK = 'true';
const PACT = process.env.OVC_STUB_PACT ?? `${PACT_DIR}/${PACT_FILE_NAME}`;

/** What each provider state answers to each request a client sends in it (contracts/responses.ts). */
const EXPECTED: Record<StateName, Partial<Record<VariantName, [number, string | null]>>> = {
  [STATES.indexExists]: { delete: [204, null], 'delete-unsigned': [403, 'AccessDenied'] },
  [STATES.indexCreating]: { delete: [409, 'VectorIndexOperationConflict'] },
  [STATES.indexDeleting]: { delete: [409, 'VectorIndexOperationConflict'] },
  [STATES.noIndex]: { delete: [404, 'NoSuchVectorIndex'], get: [404, 'NoSuchVectorIndex'] },
  [STATES.bucketExists]: { 'delete-invalid-name': [400, 'VectorIndexParameterInvalid'], 'delete-no-body': [400, 'MalformedJson'] },
  [STATES.noBucket]: { delete: [404, 'NoSuchBucket'] },
};

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the SDK wire fixtures', () => {
  it('are what make.ts writes (regenerate with npx tsx test/fixtures/sdk-wire/make.ts)', () => {
    for (const sdk of Object.keys(SDKS) as SdkName[]) {
      for (const v of Object.keys(VARIANTS) as VariantName[]) expect(readFileSync(fixturePath(sdk, v)).equals(requestBytes(sdk, v)), `${sdk}/${v}`).toBe(true);
    }
  });

  it('hold the known answers of spec §8: the Go request byte for byte, the Python body and Content-MD5', () => {
    const go = readFileSync(fixturePath('go', 'delete'), 'utf8');
    const kat = KAT.cases.find((c) => c.name === 'DeleteVectorIndex, virtual-hosted, header auth')!;
    expect(go).toContain(`Authorization: ${kat.expected.authorization}\r\n`);
    expect(go.startsWith('POST /?deleteVectorIndex HTTP/1.1\r\nHost: examplebucket-1234567890.cn-hangzhou.oss-vectors.aliyuncs.com\r\n')).toBe(true);
    expect(go.endsWith('\r\n\r\n{"indexName":"vectorindex1"}')).toBe(true);
    const goPath = readFileSync(fixturePath('go-path', 'delete'), 'utf8');
    expect(goPath).toContain(`Authorization: ${kat.expected.authorization}\r\n`);
    expect(goPath.startsWith('POST /examplebucket/?deleteVectorIndex HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n')).toBe(true);
    const py = readFileSync(fixturePath('python', 'delete'), 'utf8');
    expect(py.startsWith('POST /?deleteVectorIndex= HTTP/1.1\r\n')).toBe(true);
    expect(py).toContain('Content-MD5: Og9348igs4YMya89Jri5mA==\r\n');
    expect(py.endsWith('\r\n\r\n{"indexName": "vectorindex1"}')).toBe(true);
  });
});

describe(`pact stub -s STATE serving ${PACT}`, () => {
  for (const [state, expected] of Object.entries(EXPECTED) as Array<[StateName, (typeof EXPECTED)[StateName]]>) {
    describe(`-s '^${state}$'`, () => {
      let stub: RunningStub;
      beforeAll(async () => { stub = await startStub(PACT, `^${escapeRegex(state)}$`); }, 30_000);
      afterAll(async () => { await stub?.close(); });

      for (const sdk of Object.keys(SDKS) as SdkName[]) {
        for (const [variant, [status, code]] of Object.entries(expected) as Array<[VariantName, [number, string | null]]>) {
          it(`${sdk} ${variant} → ${status}${code ? ` ${code}` : ''}`, async () => {
            const res = await sendRaw(stub.port, readFileSync(fixturePath(sdk, variant)));
            expect(res.status, `${res.body}\n${stub.output()}`).toBe(status);
            if (code === null) { expect(res.body).toBe(''); return; }
            expect(res.headers['content-type']).toBe('application/json');
            expect((JSON.parse(res.body) as { Error: { Code: string } }).Error.Code).toBe(code);
          });
        }
      }
    });
  }
});
