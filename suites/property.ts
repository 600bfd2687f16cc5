// Generated cases: a deterministic sample of `runs` values (seeded), each run and recorded as its
// own case; the first failing value is then shrunk by fast-check and recorded as `…#shrunk`
// with the labels of the shrunk value (re-derived by the generators, never carried over).
import fc from 'fast-check';
import type { CaseResult } from '../reports/model.ts';
import { Checks, context, runCase, type CaseSpec } from './harness.ts';

export interface PropertyOptions<T> {
  /** Distinguishes this property's seed from the others' (so two properties never share values). */
  salt: string;
  arbitrary: fc.Arbitrary<T>;
  /** How many values; default the run's --runs. */
  runs?: number;
  spec: (value: T, index: number | 'shrunk') => CaseSpec;
  run: (value: T, check: Checks) => Promise<void>;
  /** Cases in flight at once (independent cases only). */
  concurrency?: number;
}

export function saltedSeed(seed: number, salt: string): number {
  let h = seed | 0;
  for (const ch of salt) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

export async function propertyCases<T>(o: PropertyOptions<T>): Promise<CaseResult[]> {
  const { config } = context();
  const seed = saltedSeed(config.seed, o.salt);
  const runs = o.runs ?? config.runs;
  const values = fc.sample(o.arbitrary, { seed, numRuns: runs });
  const results: CaseResult[] = new Array(values.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < values.length) {
      const i = next++;
      results[i] = await runCase(o.spec(values[i]!, i), (check) => o.run(values[i]!, check));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency ?? 8) }, worker));
  const firstFail = results.findIndex((r) => r.outcome === 'fail');
  if (firstFail >= 0) {
    // Replays the same seeded sequence up to the first failure, then lets fast-check shrink it.
    // Shrink attempts are not recorded as cases; only the final counterexample is.
    const out = await fc.check(fc.asyncProperty(o.arbitrary, async (v) => {
      const check = new Checks();
      try { await o.run(v, check); } catch { return true; /* errors are not counterexamples */ }
      return check.problems.length === 0;
    }), { seed, numRuns: firstFail + 1 });
    if (out.failed && out.counterexample) {
      const v = out.counterexample[0] as T;
      results.push(await runCase(o.spec(v, 'shrunk'), (check) => o.run(v, check)));
    }
  }
  return results;
}
