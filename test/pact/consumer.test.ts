// The consumer step: the reference client against Pact's mock server writes the V4 pact file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INDEX_NAME_PATTERN, INVALID_INDEX_NAME_PATTERN } from '../../contracts/limits.ts';
import { STATES } from '../../contracts/provider-states.ts';
import { generatePact } from '../../pact/generate.ts';
import { EXAMPLES, INTERACTIONS, NOT_IN_PACT, PACT_FILE_NAME, uncoveredResponses } from '../../pact/interactions.ts';

interface Pact {
  consumer: { name: string };
  provider: { name: string };
  metadata: { pactSpecification: { version: string } };
  interactions: Array<{
    description: string;
    providerStates?: Array<{ name: string; params?: Record<string, unknown> }>;
    request: { method: string; path: string; query?: Record<string, string[]>; headers?: Record<string, string[]>; body?: unknown; matchingRules?: Record<string, unknown>; generators?: Record<string, unknown> };
    response: { status: number; headers?: Record<string, string[]>; body?: { content?: { Error?: { Code?: string } } }; matchingRules?: Record<string, unknown> };
  }>;
}

let dir: string;
let text: string;
let pact: Pact;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ovc-pact-consumer-'));
  const file = await generatePact(dir);
  text = readFileSync(file, 'utf8');
  pact = JSON.parse(text) as Pact;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Problems with a pact's Content-MD5 examples and date generators (empty: none). */
export function digestAndDateProblems(p: Pact): string[] {
  const out: string[] = [];
  for (const i of p.interactions) {
    const content = (i.request.body as { content?: unknown } | undefined)?.content;
    const md5 = createHash('md5').update(content === undefined ? '' : JSON.stringify(content)).digest('base64');
    if (i.request.headers?.['Content-MD5']?.[0] !== md5) out.push(`${i.description}: Content-MD5 ${i.request.headers?.['Content-MD5']?.[0]} is not the MD5 of its body (${md5})`);
    if (!i.request.headers?.Authorization) continue;
    const gens = (i.request.generators as { header?: Record<string, { type?: string; format?: string }> } | undefined)?.header ?? {};
    for (const h of ['Date', 'x-oss-date']) if (gens[h]?.type !== 'DateTime' || !gens[h]?.format) out.push(`${i.description}: ${h} has no DateTime generator`);
  }
  return out;
}

describe('consumer pact of the reference client', () => {
  it('gives every request the Content-MD5 of its own body and dates a verifier regenerates', () => {
    expect(digestAndDateProblems(pact)).toEqual([]);
    const signed = pact.interactions.find((i) => i.request.headers?.Authorization)!;
    expect(signed.request.headers!.Date![0]).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  });

  it('is a V4 pact between ovc-reference-client and oss-vectors with one interaction per definition', () => {
    expect(pact.consumer.name).toBe('ovc-reference-client');
    expect(pact.provider.name).toBe('oss-vectors');
    expect(pact.metadata.pactSpecification.version).toBe('4.0');
    expect(pact.interactions).toHaveLength(INTERACTIONS.length);
    expect(pact.interactions).toHaveLength(10);
    expect(new Set(pact.interactions.map((i) => i.description))).toEqual(new Set(INTERACTIONS.map((i) => i.description)));
  });

  it('pins every documented DeleteVectorIndex response except those left out with a reason', () => {
    expect(uncoveredResponses().sort()).toEqual(Object.keys(NOT_IN_PACT).sort());
    const seen = pact.interactions.map((i) => `${i.response.status} ${i.response.body?.content?.Error?.Code ?? ''}`.trim());
    for (const r of ['204', '400 MalformedJson', '400 VectorIndexParameterInvalid', '403 AccessDenied', '404 NoSuchVectorIndex', '404 NoSuchBucket', '409 VectorIndexOperationConflict']) expect(seen).toContain(r);
  });

  it('uses the provider states of docs/provider-states.md with their params', () => {
    const names = new Set<string>(Object.values(STATES));
    for (const i of pact.interactions) {
      expect(i.providerStates?.length, i.description).toBeGreaterThan(0);
      for (const s of i.providerStates ?? []) {
        expect(names.has(s.name), s.name).toBe(true);
        expect(s.params?.bucket).toBe('examplebucket');
      }
    }
    const withVectors = pact.interactions.find((i) => i.description === 'a delete of an index holding vectors is answered 204')!;
    expect(withVectors.providerStates).toEqual([{ name: STATES.indexExists, params: { bucket: 'examplebucket', indexName: 'exampleIndex', status: 'enable', vectorCount: 3 } }]);
    // Protocol v2: one state name per documented response, so a stub selecting by name serves the 409s alone.
    const creating = pact.interactions.find((i) => i.description.includes('still creating'))!;
    expect(creating.providerStates).toEqual([{ name: 'a vector index in creating exists', params: { bucket: 'examplebucket', indexName: 'exampleIndex' } }]);
    const deleting = pact.interactions.find((i) => i.description.includes('already deleting'))!;
    expect(deleting.providerStates).toEqual([{ name: 'a vector index in deleting exists', params: { bucket: 'examplebucket', indexName: 'exampleIndex' } }]);
    const byStatus = new Map<string, Set<string>>();
    for (const i of pact.interactions) {
      const key = JSON.stringify((i.providerStates ?? []).map((s) => s.name).sort());
      byStatus.set(key, (byStatus.get(key) ?? new Set()).add(`${i.response.status}`));
    }
    // a state set answers one status per request kind; no two interactions with the same request share it
    expect(byStatus.get(JSON.stringify(['a vector index in creating exists']))).toEqual(new Set(['409']));
  });

  it('addresses / (virtual-hosted) with a rule that also takes /{bucket}/, matches the query on its key, exact statuses and codes', () => {
    for (const i of pact.interactions) {
      expect(i.request.method).toBe('POST');
      expect(i.request.path).toBe('/');
      const rules = i.request.matchingRules as { path?: { matchers: Array<{ regex: string }> }; query?: Record<string, { matchers: Array<{ regex: string }> }> };
      const path = new RegExp(rules.path!.matchers[0]!.regex);
      for (const ok of ['/', '/examplebucket/', '/ovc-conformance/']) expect(path.test(ok), ok).toBe(true);
      for (const bad of ['/examplebucket', '/examplebucket/key', '//', '/Upper/']) expect(path.test(bad), bad).toBe(false);
      expect(Object.values(i.request.query ?? {})).toEqual([['']]);
      const [key] = Object.keys(i.request.query ?? {});
      expect(rules.query?.[key!]?.matchers[0]?.regex).toBe('^.*$');
      if (i.response.status !== 204) {
        expect(i.response.headers?.['Content-Type']).toEqual(['application/json']);
        expect(JSON.stringify(i.response.matchingRules)).toContain('^application/json$');
        expect(JSON.stringify(i.response.matchingRules)).not.toContain('$.Error.Code');
      }
      expect(JSON.stringify(i.response.matchingRules)).toContain('^[0-9A-Za-z]{24}$');
    }
  });

  it('never records a real signature: signing headers are patterns with made-up examples, the unsigned request has none', () => {
    expect(text).not.toMatch(/Credential=ak\//);
    const sigs = text.match(/Signature=[0-9a-f]{64}/g) ?? [];
    expect(sigs.length).toBeGreaterThan(0);
    for (const s of sigs) expect(s).toBe(`Signature=${'0'.repeat(64)}`);
    for (const i of pact.interactions) {
      const auth = i.request.headers?.Authorization;
      if (i.description.startsWith('an unsigned')) { expect(auth).toBeUndefined(); continue; }
      expect(auth).toEqual([EXAMPLES.authorization]);
      const rules = JSON.stringify(i.request.matchingRules);
      for (const h of ['Authorization', 'x-oss-date', 'x-oss-content-sha256', 'Date']) expect(rules).toContain(`"${h}"`);
    }
  });

  it('takes index names in request bodies from the provider state, matched as valid index names', () => {
    const del = pact.interactions.find((i) => i.description === 'a delete of an enable index is answered 204')!;
    expect(JSON.stringify(del.request.generators)).toContain('${indexName}');
    expect(JSON.stringify(del.request.matchingRules)).toContain(JSON.stringify(INDEX_NAME_PATTERN.source));
  });

  it('matches the invalid name of the 400 by the exact complement of the index-name pattern', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.stringMatching(INDEX_NAME_PATTERN), fc.string({ unit: 'binary', maxLength: 70 })), (name) => {
      expect(INDEX_NAME_PATTERN.test(name) !== INVALID_INDEX_NAME_PATTERN.test(name), JSON.stringify(name)).toBe(true);
    }), { numRuns: 2000 });
    for (const name of ['', '1abc', 'a-b', 'a'.repeat(64), 'a\nb', 'invalid-name']) expect(INVALID_INDEX_NAME_PATTERN.test(name), name).toBe(true);
    const inv = pact.interactions.find((i) => i.response.status === 400 && i.request.body !== undefined)!;
    expect(JSON.stringify(inv.request.matchingRules)).toContain(JSON.stringify(INVALID_INDEX_NAME_PATTERN.source));
  });

  it('is deterministic: a second generation gives the same bytes', async () => {
    const again = mkdtempSync(join(tmpdir(), 'ovc-pact-consumer-'));
    try {
      expect(readFileSync(await generatePact(again), 'utf8')).toBe(text);
      expect(readFileSync(join(again, PACT_FILE_NAME), 'utf8')).toBe(text);
    } finally { rmSync(again, { recursive: true, force: true }); }
  });
});
