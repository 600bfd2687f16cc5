// Every generator of generators/ through fast-check's recipe for arbitraries (arbitrary-recipe.ts),
// each value checked with an oracle independent of the generator (oracles.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as generators from '../../generators/index.ts';
import { INDEX_NAME_PATTERN } from '../../contracts/limits.ts';
import { applySignature, type SignatureFault } from '../../generators/signatureFault.ts';
import type { InvalidIndexName } from '../../generators/indexName.ts';
import type { BodyCase } from '../../generators/body.ts';
import type { IndexStateCase } from '../../generators/indexState.ts';
import { checkArbitrary, deepMutate, fingerprint, type Recipe } from './arbitrary-recipe.ts';
import { checkBodyLabels, checkIndexState, checkNameLabels, serverVerdict, SIGNATURE_LABEL_CODES, SIGNING_CONTEXT } from './oracles.ts';

const REQUEST = { method: 'POST', query: 'deleteVectorIndex', headers: {}, body: Buffer.from('{"indexName":"vectorindex1"}'), bucket: 'examplebucket' } as const;
// The pool: ovcRn0…n2, and ovcRn0x (a name that extends another).
const COMMAND = /^(create\(ovcRn(?:[0-2]|0x), dimension=[1-4]\)|putVectors\(ovcRn(?:[0-2]|0x), \[k[0-5](, k[0-5]){0,2}\]\)|delete\(ovcRn(?:[0-2]|0x)\)|get\(ovcRn(?:[0-2]|0x)\)|list\(\)|listVectors\(ovcRn(?:[0-2]|0x)\)|recreate\(ovcRn(?:[0-2]|0x), dimension=[1-4]\)|deleteBeside\(ovcRn0, ovcRn0x\))$/;

const validName = (name: string): void => {
  if (!INDEX_NAME_PATTERN.test(name)) throw new Error(`${JSON.stringify(name)} does not match INDEX_NAME_PATTERN`);
};

const body = (what: string, expectJson: boolean | null, more?: (c: BodyCase) => void) => (c: BodyCase): void => {
  const { json, bom } = checkBodyLabels(what, c);
  // Strictly, a body with a BOM is not JSON (RFC 8259 §8.1): malformed bodies may be valid JSON after one.
  const strictJson = json && !bom;
  if (expectJson !== null && strictJson !== expectJson) throw new Error(`${what}: a ${strictJson ? 'JSON' : 'non-JSON'} body`);
  more?.(c);
};

/** The generators of generators/ and how their values are checked; a generator missing here fails the last test. */
export const RECIPES: Record<string, Recipe<any>> = {
  validIndexName: { arbitrary: () => generators.validIndexName(), check: validName } satisfies Recipe<string>,
  absentIndexName: {
    arbitrary: () => generators.absentIndexName('ovcRun7'),
    check: (n: string) => { validName(n); if (!n.startsWith('ovcRun7n')) throw new Error(`${n} lacks the prefix`); },
  } satisfies Recipe<string>,
  invalidIndexName: {
    arbitrary: () => generators.invalidIndexName(),
    check: (c: InvalidIndexName) => { if (c.labels.length === 0) throw new Error('no label'); checkNameLabels('invalidIndexName', c.value, c.labels); },
  } satisfies Recipe<InvalidIndexName>,
  validBody: {
    arbitrary: () => generators.validBody(),
    check: body('validBody', true, (c) => { if (c.labels.length) throw new Error(`labels ${c.labels}`); }),
  } satisfies Recipe<BodyCase>,
  extraFieldBody: {
    arbitrary: () => generators.extraFieldBody(),
    check: body('extraFieldBody', true, (c) => { if (c.labels.join() !== 'body-extra-field') throw new Error(`labels ${c.labels}`); }),
  } satisfies Recipe<BodyCase>,
  invalidParameterBody: {
    arbitrary: () => generators.invalidParameterBody(),
    check: body('invalidParameterBody', true, (c) => { if (!c.labels.some((l) => l !== 'body-extra-field')) throw new Error(`no parameter label: ${c.labels}`); }),
  } satisfies Recipe<BodyCase>,
  malformedJsonBody: {
    arbitrary: () => generators.malformedJsonBody(),
    check: body('malformedJsonBody', false),
    // Huge bodies (up to 1 MB) come up about once in a hundred; fewer candidates keep their shrinking cheap.
    candidatesPerStep: 6,
  } satisfies Recipe<BodyCase>,
  signatureFault: {
    arbitrary: () => generators.signatureFault(),
    check: (f: SignatureFault) => {
      const expected = f.labels.length === 0 ? null : f.labels.length === 1 ? SIGNATURE_LABEL_CODES[f.labels[0]!] : undefined;
      if (expected === undefined) throw new Error(`labels ${JSON.stringify(f.labels)}`);
      const signed = applySignature({ ...REQUEST, headers: {} }, f, SIGNING_CONTEXT);
      const verdict = serverVerdict(signed);
      if (verdict !== expected) throw new Error(`labels ${JSON.stringify(f.labels)}: a spec-following verifier answers ${verdict ?? 'OK'}, not ${expected ?? 'OK'}`);
    },
  } satisfies Recipe<SignatureFault>,
  indexState: { arbitrary: () => generators.indexState(), check: (s: IndexStateCase) => checkIndexState('indexState', s) } satisfies Recipe<IndexStateCase>,
  lifecycleCommands: {
    arbitrary: () => generators.lifecycleCommands({ prefix: 'ovcR', maxCommands: 8 }),
    check: (cmds: Iterable<unknown>) => {
      for (const c of cmds) if (!COMMAND.test(String(c))) throw new Error(`not a lifecycle command over the pool: ${String(c)}`);
    },
    valuesPerSeed: 6,
  },
};

describe('every generator passes fast-check\'s arbitrary recipe', () => {
  it.each(Object.keys(RECIPES))('%s', (name) => {
    checkArbitrary(name, RECIPES[name]!);
  });

  it('restricted index states too', () => {
    checkArbitrary('indexState(kinds, maxVectors, maxDimension)', {
      arbitrary: () => generators.indexState({ kinds: ['enable', 'deleting'], maxVectors: 3, maxDimension: 8 }),
      check: (s: IndexStateCase) => { checkIndexState('indexState', s, 3, 8); if (s.kind !== 'enable' && s.kind !== 'deleting') throw new Error(s.kind); },
    });
  });

  it('covers every arbitrary generators/ exports', () => {
    const found: string[] = [];
    for (const [name, value] of Object.entries(generators)) {
      if (typeof value !== 'function') continue;
      let made: unknown;
      for (const args of [[], [{ prefix: 'ovcR' }]]) {
        try { made = (value as (...a: unknown[]) => unknown)(...args); break; } catch { made = undefined; }
      }
      if (made instanceof fc.Arbitrary) found.push(name);
    }
    expect(found.length).toBeGreaterThan(5);
    for (const name of found) expect(Object.keys(RECIPES), `${name} has no recipe`).toContain(name);
  });
});

describe('the recipe itself can fail', () => {
  it('catches a counter inside map', () => {
    const impure = (): fc.Arbitrary<number> => { let n = 0; return fc.integer({ min: 0, max: 9 }).map((x) => x + n++); };
    expect(() => checkArbitrary('counter', { arbitrary: impure, check: () => true, seeds: [1] })).toThrow(/same arbitrary gave another value/);
  });

  it('catches a shared object handed to every value', () => {
    const shared = (): fc.Arbitrary<{ labels: string[] }> => fc.constant({ labels: ['x'] });
    expect(() => checkArbitrary('shared', { arbitrary: shared, check: () => true, seeds: [1] })).toThrow(/changing a value it gave out/);
    const fresh = (): fc.Arbitrary<{ labels: string[] }> => fc.constant('x').map((l) => ({ labels: [l] }));
    expect(() => checkArbitrary('fresh', { arbitrary: fresh, check: () => true, seeds: [1] })).not.toThrow();
  });

  it('catches labels that turn false on a shrink path', () => {
    // Generates [v, true] with v > 500 (the label "big" is true), but shrinks v without re-deriving the label.
    class StaleLabels extends fc.Arbitrary<[number, boolean]> {
      generate(mrng: fc.Random): fc.Value<[number, boolean]> { return new fc.Value([mrng.nextInt(501, 1000), true], undefined); }
      canShrinkWithoutContext(_v: unknown): _v is [number, boolean] { return false; }
      shrink([v]: [number, boolean]): fc.Stream<fc.Value<[number, boolean]>> {
        return v > 0 ? fc.Stream.of(new fc.Value<[number, boolean]>([Math.floor(v / 2), true], undefined)) : fc.Stream.nil();
      }
    }
    const check = ([v, big]: [number, boolean]): boolean => big === v > 500;
    expect(() => checkArbitrary('stale labels', { arbitrary: () => new StaleLabels(), check, seeds: [1] })).toThrow(/seed 1, shrink path 0 \[0:0\]/);
    // The same through map: labels re-derived from the shrunk value stay true.
    expect(() => checkArbitrary('mapped', { arbitrary: () => fc.integer({ min: 501, max: 1000 }).map((v): [number, boolean] => [v, v > 500]), check, seeds: [1, 2] })).not.toThrow();
  });

  it('fingerprints and mutates the shapes generators give', () => {
    const v = { a: [1, 'x'], b: Buffer.from('ab'), c: new Set([1]) };
    const before = fingerprint(v);
    deepMutate(v);
    expect(fingerprint(v)).not.toBe(before);
    expect(() => deepMutate(Object.freeze({ a: 1 }))).not.toThrow();
  });
});
