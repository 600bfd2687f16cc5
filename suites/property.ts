// Generated cases: a deterministic sequence of `runs` values (seeded), generated lazily as cases finish, each run and recorded as its
// own case; the first failing value is then shrunk by fast-check and recorded as `…#shrunk`
// with the labels of the shrunk value (re-derived by the generators, never carried over).
import fc from 'fast-check';
import type { CaseResult } from '../reports/model.ts';
import { CaseRecord, Scenario } from '../scenario/scenario.ts';
import { Checks, runCase, type CaseSpec, type SuiteContext } from './harness.ts';

export interface PropertyOptions<T> {
  /** Distinguishes this property's seed from the others' (so two properties never share values). */
  salt: string;
  arbitrary: fc.Arbitrary<T>;
  /** How many values; default the run's --runs. */
  runs?: number;
  spec: (value: T, index: number | 'shrunk') => CaseSpec;
  /** One case: sends through the scenario (its own recording client), checks with `check`. */
  run: (value: T, check: Checks, scenario: Scenario, index: number | 'shrunk') => Promise<void>;
  /** Cases in flight at once (independent cases only). */
  concurrency?: number;
}

export function saltedSeed(seed: number, salt: string): number {
  let h = seed | 0;
  for (const ch of salt) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

export async function propertyCases<T>(ctx: Pick<SuiteContext, 'target' | 'run' | 'env' | 'secrets'>, o: PropertyOptions<T>): Promise<CaseResult[]> {
  const { run, env } = ctx;
  const seed = saltedSeed(run.seed, o.salt);
  const runs = o.runs ?? run.runs;
  const concurrency = Math.max(1, Math.min(o.concurrency ?? run.pacing.concurrency, run.pacing.concurrency));
  // Values are generated lazily, one as a slot frees up (fast-check's own generation loop, so the
  // shrink replay below walks the very same sequence): only the cases in flight are in memory,
  // never the whole sample (a few bodies of megabytes each would otherwise stay alive together).
  const results: CaseResult[] = [];
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  await fc.check(fc.asyncProperty(o.arbitrary, async (value) => {
    const i = next++;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const done: Promise<void> = runCase(ctx, { phase: 'property', ...o.spec(value, i) }, (check, s) => o.run(value, check, s, i))
      .then((r) => { results[i] = r; })
      .finally(() => { inFlight.delete(done); });
    inFlight.add(done);
    return true;
  }), { seed, numRuns: runs });
  await Promise.all(inFlight);
  const firstFail = results.findIndex((r) => r.outcome === 'fail');
  if (firstFail >= 0) {
    // Replays the same seeded sequence up to the first failure, then lets fast-check shrink it.
    // Shrink attempts are not recorded as cases; only the final counterexample is.
    const out = await fc.check(fc.asyncProperty(o.arbitrary, async (v) => {
      const check = new Checks();
      try { await o.run(v, check, new Scenario(env, new CaseRecord()), 'shrunk'); } catch { return true; /* errors are not counterexamples */ }
      return check.problems.length === 0;
    }), { seed, numRuns: firstFail + 1 });
    if (out.failed && out.counterexample) {
      const v = out.counterexample[0] as T;
      results.push(await runCase(ctx, { phase: 'property', ...o.spec(v, 'shrunk') }, (check, s) => o.run(v, check, s, 'shrunk')));
    }
  }
  return results;
}
