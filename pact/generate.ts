// Consumer pact generation: runs the project's signed client (client/client.ts, the reference SDK)
// against Pact's mock server once per interaction of pact/interactions.ts and writes the V4 pact
// file. `npx tsx pact/generate.ts [DIR]` (or `ovc pact generate`) rewrites contracts/pacts/.
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { claimOutputs, INPUT_BOUNDS, makeTempFolder, readTextBounded, removeOurs, writeFileAtomic } from '../files/gate.ts';
import { ERROR_CODES, type ErrorCode } from '../contracts/errors.ts';
import { TargetClient, codeOf, type WireResponse } from '../client/client.ts';
import { targetSpec } from '../client/config.ts';
import { closeTransport } from '../client/http.ts';
import { CONSUMER, DATE_FORMATS, EXAMPLE, EXAMPLES, contentMd5Of, INTERACTIONS, PACT_DIR, PACT_FILE_NAME, PATTERNS, PROVIDER, type InteractionDef } from './interactions.ts';

process.env.PACT_DO_NOT_TRACK = 'true';

type PactModule = typeof import('@pact-foundation/pact');
type Unconfigured = ReturnType<InstanceType<PactModule['PactV4']>['addInteraction']>;
type RequestBuilder = Parameters<NonNullable<Parameters<Unconfigured['withRequest']>[2]>>[0];
type WithResponse = ReturnType<ReturnType<Unconfigured['withRequest']>['willRespondWith']>;
interface MockServer { url: string }

/** The reference client pointed at a mock server: the example bucket and account, either addressing style. */
export function referenceClient(endpoint: string, addressing: 'virtual' | 'path' = 'virtual'): TargetClient {
  const target = targetSpec({ endpoint, region: EXAMPLE.region, bucket: EXAMPLE.bucket, accountId: EXAMPLE.accountId, addressing, name: 'pact mock server', timeoutMs: 10_000 });
  return new TargetClient(target, { main: { ...EXAMPLE.credentials }, denied: null });
}

export function requestBody(def: InteractionDef): unknown {
  switch (def.body.kind) {
    case 'empty': return undefined;
    case 'invalidIndexName': return { indexName: def.body.example };
    case 'validIndexName':
    case 'stateIndexName': return { indexName: EXAMPLE.indexName };
  }
}

function addRequest(p: PactModule, def: InteractionDef, rb: RequestBuilder): void {
  const { regex, fromProviderState } = p.MatchersV3;
  // The key must be there; its value is whatever the SDK writes (none: `?op` and `?op=` alike).
  rb.query({ [opQueryKey(def)]: regex(PATTERNS.queryValue, '') } as never);
  // Content-MD5: the example is the MD5 of this interaction's own example body (as the verifier
  // sends it: compact JSON, or nothing); matched by pattern, since a substituted provider-state name
  // changes the body (a verifier in front of a real target re-computes it: docs/pact.md).
  const headers: Record<string, unknown> = { 'Content-MD5': regex(PATTERNS.contentMd5, contentMd5Of(requestBody(def))) };
  if (def.body.kind !== 'empty') headers['Content-Type'] = 'application/json';
  if (def.signed) {
    // Matched by pattern with a made-up example: the real values change per request and
    // Authorization carries a signature; neither is ever written into the pact file.
    headers.Authorization = regex(PATTERNS.authorization, EXAMPLES.authorization);
    // The dates are DateTime generators: a verifier replaces the example with the time of the replay
    // (the service refuses a request more than 15 minutes off: RequestTimeTooSkewed).
    headers['x-oss-date'] = dateTime(DATE_FORMATS.ossDate, EXAMPLES.ossDate);
    headers['x-oss-content-sha256'] = regex(PATTERNS.contentSha256, EXAMPLES.contentSha256);
    headers.Date = dateTime(DATE_FORMATS.httpDate, EXAMPLES.httpDate);
  }
  rb.headers(headers as never);
  // Bodies are matched as JSON values with rules (never as text): compact (Go) and spaced (Python)
  // encodings of the same object both match.
  if (def.body.kind === 'invalidIndexName') {
    rb.jsonBody({ indexName: regex(PATTERNS.invalidIndexName, def.body.example) });
  }
  if (def.body.kind === 'validIndexName') rb.jsonBody({ indexName: regex(PATTERNS.indexName, EXAMPLE.indexName) });
  if (def.body.kind === 'stateIndexName') {
    // The verifier substitutes the index name its provider state answered with (run-prefixed on
    // real targets); whatever it is, it must be a valid index name.
    rb.jsonBody({ indexName: fromProviderState('${indexName}', EXAMPLE.indexName) });
    rb.matchingRules({ body: { path: '$.indexName', rules: [regex(PATTERNS.indexName, EXAMPLE.indexName)] } });
  }
}

/**
 * A timestamp matcher with a DateTime generator. Pact JS's `datetime()` drops the generator when an
 * example is given, so the integration JSON is written as the Pact core reads it.
 */
function dateTime(format: string, example: string): unknown {
  return { 'pact:matcher:type': 'timestamp', 'pact:generator:type': 'DateTime', format, value: example };
}

function opQueryKey(def: InteractionDef): string {
  return def.op === 'GetVectorIndex' ? 'getVectorIndex' : 'deleteVectorIndex';
}

function define(p: PactModule, pact: InstanceType<PactModule['PactV4']>, def: InteractionDef): WithResponse {
  const { regex, like } = p.MatchersV3;
  let i = pact.addInteraction();
  for (const s of def.states) i = i.given(s.name, { ...s.params } as Record<string, string | number>);
  return i.uponReceiving(def.description)
    // Example `/` (virtual-hosted, what every official SDK sends); the rule also accepts `/{bucket}/`.
    .withRequest('POST', regex(PATTERNS.requestPath, '/'), (rb) => addRequest(p, def, rb))
    .willRespondWith(def.status, (rb) => {
      const headers: Record<string, unknown> = {
        'x-oss-request-id': regex(PATTERNS.requestId, EXAMPLES.requestId),
        Date: regex(PATTERNS.httpDate, EXAMPLES.httpDate),
      };
      // Exactly application/json (spec §6.2: the SDKs fall back to XML otherwise). Pact compares a
      // plain Content-Type by media type and ignores parameters such as charset, so the exactness
      // is written as an anchored pattern whose example is the exact value.
      if (def.code !== null) headers['Content-Type'] = regex('^application/json$', 'application/json');
      rb.headers(headers as never);
      if (def.code !== null) {
        rb.jsonBody({
          Error: {
            Code: def.code,
            Message: like(ERROR_CODES[def.code as ErrorCode]?.message ?? EXAMPLES.message),
            RequestId: like(EXAMPLES.requestId),
            HostId: like(EXAMPLES.hostId),
            EC: like(EXAMPLES.ec),
          },
        });
      }
    });
}

/** What the reference client must make of the mock server's answer; throws when it does not. */
function checkAnswer(def: InteractionDef, res: WireResponse): void {
  if (res.status !== def.status) throw new Error(`${def.description}: the client saw ${res.status}, expected ${def.status}`);
  if (def.code !== null && codeOf(res) !== def.code) throw new Error(`${def.description}: the client decoded code ${codeOf(res)}, expected ${def.code}`);
  if (def.code === null && res.body.length !== 0) throw new Error(`${def.description}: a success must have an empty body`);
}

/** Both addressing styles and both query forms the SDKs use must be accepted by the same interaction. */
const VARIANTS = [
  { addressing: 'virtual', queryForm: 'bare' },
  { addressing: 'virtual', queryForm: 'eq' },
  { addressing: 'path', queryForm: 'bare' },
] as const;

async function exercise(def: InteractionDef, server: MockServer): Promise<void> {
  for (const v of VARIANTS) {
    const client = referenceClient(server.url, v.addressing);
    const res = await client.op(def.op, requestBody(def), { identity: def.signed ? 'main' : 'none', queryForm: v.queryForm });
    checkAnswer(def, res);
  }
}

/** Keys of the pact file that change with the installed pact version, not with the contract. */
export function normalisePact(text: string): unknown {
  const pact = JSON.parse(text) as { metadata?: Record<string, unknown> };
  if (pact.metadata) {
    delete pact.metadata['pact-js'];
    delete pact.metadata.pactRust;
  }
  return pact;
}

/** Runs every interaction against Pact's mock server and writes the pact file into outDir. Returns its path. */
export async function generatePact(outDir: string = PACT_DIR): Promise<string> {
  const p = await import('@pact-foundation/pact');
  // The output folder is claimed first (new, empty or marked by ovc; files/claim.ts).
  const [dir] = claimOutputs([{ flag: '--out', path: outDir, kind: 'folder' }]);
  // A fresh folder: Pact merges into an existing file, and the result must depend on the code only.
  const work = makeTempFolder('ovc-pact-');
  try {
    const pact = new p.PactV4({ consumer: CONSUMER, provider: PROVIDER, dir: work, logLevel: 'error', spec: p.SpecificationVersion.SPECIFICATION_VERSION_V4 });
    for (const def of INTERACTIONS) {
      await define(p, pact, def).executeTest((server) => exercise(def, server));
    }
    await closeTransport();
    const produced = join(work, PACT_FILE_NAME);
    // Stable bytes: pretty-printed with sorted interactions as Pact wrote them, newline-terminated.
    const text = `${JSON.stringify(JSON.parse(readTextBounded(produced, INPUT_BOUNDS.pact, 'the generated pact')), null, 2)}\n`;
    const target = join(dir!, PACT_FILE_NAME);
    writeFileAtomic(target, text);
    return target;
  } finally {
    removeOurs(work);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const file = await generatePact(process.argv[2] ?? PACT_DIR);
  process.stdout.write(`wrote ${file}\n`);
}
