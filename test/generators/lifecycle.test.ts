import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lifecycleCommands, newModel, SEQUENCE_MAX_LIVE, sequencePrefix, sequencesInFlight, splitKey, type Answer, type LifecycleDriver } from '../../generators/lifecycle.ts';

interface FakeIndex { dimension: number; keys: Set<string> }

type Bug = 'none' | 'vectors-survive-delete' | 'delete-absent-204' | 'list-misses-one' | 'delete-by-prefix' | 'delete-in-all-buckets' | 'deleted-index-visible';

/**
 * An in-memory target over the model's keys (`name@2`: the other bucket); `bug` switches on one
 * deliberate deviation — the emulator's lifecycle fault profiles, in miniature.
 */
function fakeDriver(bug: Bug = 'none'): LifecycleDriver {
  const indexes = new Map<string, FakeIndex>();
  const leftovers = new Map<string, Set<string>>();
  const ghosts = new Set<string>();
  const ok = (httpStatus: number): Answer => ({ httpStatus, code: null });
  const noSuchIndex: Answer = { httpStatus: 404, code: 'NoSuchVectorIndex' };
  return {
    async createIndex(name, dimension) {
      if (indexes.has(name)) return { httpStatus: 409, code: 'VectorBucketIndexAlreadyExist' };
      ghosts.delete(name);
      indexes.set(name, { dimension, keys: bug === 'vectors-survive-delete' ? leftovers.get(name) ?? new Set() : new Set() });
      return ok(200);
    },
    async putVectors(name, keys, dimension) {
      const index = indexes.get(name);
      if (!index) return noSuchIndex;
      if (dimension !== index.dimension) return { httpStatus: 400, code: 'VectorIndexParameterInvalid' };
      for (const k of keys) index.keys.add(k);
      return ok(200);
    },
    async deleteIndex(key) {
      const index = indexes.get(key);
      if (!index) return bug === 'delete-absent-204' ? ok(204) : noSuchIndex;
      leftovers.set(key, index.keys);
      indexes.delete(key);
      const { name, bucket } = splitKey(key);
      for (const other of [...indexes.keys()]) {
        const o = splitKey(other);
        if (bug === 'delete-by-prefix' && o.bucket === bucket && o.name.startsWith(name)) indexes.delete(other);
        if (bug === 'delete-in-all-buckets' && o.name === name) indexes.delete(other);
      }
      if (bug === 'deleted-index-visible') ghosts.add(key);
      return ok(204);
    },
    async getIndex(name) {
      return indexes.has(name) ? { ...ok(200), status: 'enable' } : noSuchIndex;
    },
    async listIndexNames(bucket = 1) {
      const names = [...indexes.keys(), ...ghosts].map(splitKey).filter((k) => k.bucket === bucket).map((k) => k.name).sort();
      return { ...ok(200), names: bug === 'list-misses-one' ? names.slice(1) : names };
    },
    async listVectorKeys(name) {
      const index = indexes.get(name);
      return index ? { ...ok(200), keys: [...index.keys] } : noSuchIndex;
    },
  };
}

async function runWith(bug: Parameters<typeof fakeDriver>[0], seed: number): Promise<fc.RunDetails<[Iterable<fc.AsyncCommand<ReturnType<typeof newModel>, LifecycleDriver>>]>> {
  return fc.check(fc.asyncProperty(lifecycleCommands({ prefix: 'ovcT', maxCommands: 15 }), async (cmds) => {
    await fc.asyncModelRun(() => ({ model: newModel(), real: fakeDriver(bug) }), cmds);
  }), { seed, numRuns: 3000 });
}

/** The commands of a sequence (a sequence's own toString lists only the commands that ran). */
function show(cmds: Iterable<unknown>): string {
  return [...cmds].map(String).join(' ');
}

describe('lifecycleCommands', () => {
  it('agrees with a correct target', async () => {
    const out = await runWith('none', 1);
    expect(out.failed, String(out.errorInstance)).toBe(false);
  });

  it.each([
    ['vectors-survive-delete', /recreate\(ovcTn\dx?, dimension=\d\): expected the new index to hold no vectors|listVectors\(ovcTn\dx?\): expected keys \[\]/],
    ['delete-absent-204', /delete\(ovcTn\dx?\): expected 404 NoSuchVectorIndex, got 204/],
    ['list-misses-one', /list\(\): expected names \[ovcTn\d/],
  ] as const)('finds a counterexample when %s', async (bug, message) => {
    const out = await runWith(bug, 2);
    expect(out.failed).toBe(true);
    expect(String((out.errorInstance as Error).message)).toMatch(message);
    // The shrunk sequence reads as commands.
    expect(String(out.counterexample?.[0])).toMatch(/(create|recreate|delete|deleteBeside|list|putVectors)\(/);
  });

  it('draws names from a small prefixed pool and refuses bad prefixes', () => {
    const sequences = fc.sample(lifecycleCommands({ prefix: 'ovcX', maxCommands: 20 }), { seed: 3, numRuns: 30 });
    const names = new Set(sequences.flatMap((cmds) => [...show(cmds).matchAll(/\((ovc\w+)/g)].map((m) => m[1])));
    // A name that extends another is always in the pool (deleting one must leave the other).
    expect([...names].sort()).toEqual(['ovcXn0', 'ovcXn0x', 'ovcXn1', 'ovcXn2']);
    const both = fc.sample(lifecycleCommands({ prefix: 'ovcX', maxCommands: 20, twoBuckets: true, caseVariants: true }), { seed: 3, numRuns: 30 });
    const keys = new Set(both.flatMap((cmds) => [...show(cmds).matchAll(/\((ovc[\w@]+)/g)].map((m) => m[1])));
    expect(keys).toContain('ovcXN0');
    expect([...keys].some((k) => k!.endsWith('@2'))).toBe(true);
    expect(() => lifecycleCommands({ prefix: 'ovc-x' })).toThrow(/prefix/);
    expect(() => lifecycleCommands({ prefix: 'a'.repeat(62) })).toThrow(/too long/);
  });

  it('gives the same sequences for the same seed', () => {
    const a = fc.sample(lifecycleCommands({ prefix: 'ovcS' }), { seed: 4, numRuns: 10 }).map(show);
    const b = fc.sample(lifecycleCommands({ prefix: 'ovcS' }), { seed: 4, numRuns: 10 }).map(show);
    expect(a).toEqual(b);
    expect(a.some((s) => s.includes('recreate('))).toBe(true);
  });
});

describe('lifecycle sequences side by side', () => {
  it('a sequence with maxLive never holds more live indexes than that, and still agrees with a correct target', async () => {
    let peak = 0;
    const counting = (): LifecycleDriver => {
      const base = fakeDriver('none');
      const live = new Set<string>();
      return {
        ...base,
        async createIndex(n, d) { const a = await base.createIndex(n, d); if (a.httpStatus === 200) live.add(n); peak = Math.max(peak, live.size); return a; },
        async deleteIndex(n) { const a = await base.deleteIndex(n); if (a.httpStatus === 204) live.delete(n); return a; },
      };
    };
    const out = await fc.check(fc.asyncProperty(lifecycleCommands({ prefix: 'ovcL', maxCommands: 30, maxLive: SEQUENCE_MAX_LIVE }), async (cmds) => {
      await fc.asyncModelRun(() => ({ model: newModel(), real: counting() }), cmds);
    }), { seed: 11, numRuns: 200 });
    expect(out.failed, String(out.errorInstance)).toBe(false);
    expect(peak).toBe(SEQUENCE_MAX_LIVE);
  });

  it('no sequence\'s names start with another sequence\'s prefix (each lists only its own)', () => {
    const prefixes = Array.from({ length: 50 }, (_, i) => sequencePrefix('ovcR1', i));
    expect(new Set(prefixes.map((p) => p.length)).size).toBe(1);
    for (const a of prefixes) for (const b of prefixes) if (a !== b) expect(`${b}n0`.startsWith(a), `${b} starts with ${a}`).toBe(false);
  });

  it('sequences in flight: within the pooled budget less one sequence\'s share, and within --concurrency', () => {
    expect(sequencesInFlight(20, 1, 8, 20)).toBe(8);
    expect(sequencesInFlight(20, 5, 32, 20)).toBe(9);
    expect(sequencesInFlight(20, 6, 32, 20)).toBe(8); // 6 workers × 3 = 18 pooled slots
    expect(sequencesInFlight(20, 1, 1, 20)).toBe(1);
    expect(sequencesInFlight(2, 1, 8, 20)).toBe(1);
    for (const [m, w] of [[20, 1], [20, 6], [100, 4], [7, 3]] as const) {
      const k = sequencesInFlight(m, w, 256, 50);
      expect(k * SEQUENCE_MAX_LIVE).toBeLessThanOrEqual(Math.floor(m / w) * w);
    }
  });
});

describe('detection power of the sequences `ovc run` draws', () => {
  // The suite's own options (suites/lifecycle.suite.ts): 12 commands, two buckets, SEQUENCE_MAX_LIVE
  // live indexes. A default run draws 20 sequences (--runs 500 ÷ 25): a mutant caught by a share p
  // of sequences escapes the run with probability (1 − p)^20. Measured over 1000 sequences with a
  // fixed seed, so the figure is the generator's, not luck's.
  const sequences = fc.sample(lifecycleCommands({ prefix: 'ovcP', maxCommands: 12, twoBuckets: true, maxLive: SEQUENCE_MAX_LIVE }), { seed: 11, numRuns: 1000 });
  const share = async (bug: Bug): Promise<number> => {
    let caught = 0;
    for (const cmds of sequences) {
      try { await fc.asyncModelRun(() => ({ model: newModel(), real: fakeDriver(bug) }), [...cmds]); } catch { caught++; }
    }
    return caught / sequences.length;
  };

  it('a correct target is never flagged', async () => {
    expect(await share('none')).toBe(0);
  });

  it.each(['vectors-survive-delete', 'delete-by-prefix', 'delete-in-all-buckets', 'deleted-index-visible'] as const)('%s is caught by at least a fifth of the sequences (a default run of 20 sequences misses it with probability under one in a hundred)', async (bug) => {
    const p = await share(bug);
    expect(p).toBeGreaterThanOrEqual(0.2);
    expect((1 - p) ** 20).toBeLessThan(0.01);
  });
});
