// run/suite-pool.ts: the suites' first worker thread, started before vitest. vitest takes it only
// when it asks for a thread started as the early one was, so the node options and environment the
// early thread is started with must be the ones vitest computes: checked here against vitest itself
// (the options its pool hands a worker for the compiled suites), and the modules loaded ahead must
// be the suite files' imports that never reach vitest.
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVitest, type PoolOptions, type PoolRunnerInitializer, type PoolWorker } from 'vitest/node';
import { SUITE_TEST_OPTIONS } from '../../suites/options.ts';
import { vitestRoot, warmModules, workerEnv, workerExecArgv } from '../../run/suite-pool.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(ROOT, 'dist');

/** The options vitest's pool hands a worker for the compiled suites (the worker refuses to start). */
async function optionsVitestGives(): Promise<PoolOptions> {
  let seen: PoolOptions | null = null;
  const pool: PoolRunnerInitializer = {
    name: 'ovc-probe',
    createPoolWorker(options) {
      seen = options;
      const refuse = async (): Promise<void> => { throw new Error('probe: not started'); };
      return { name: 'ovc-probe', on: () => undefined, off: () => undefined, send: () => undefined, deserialize: (d) => d, start: refuse, stop: async () => undefined } satisfies PoolWorker;
    },
  };
  const vitest = await createVitest('test', {
    config: false, ...SUITE_TEST_OPTIONS, include: ['suites/names.suite.js'], pool,
    root: DIST, watch: false, reporters: [], passWithNoTests: true,
  }, undefined, { stdout: new PassThrough().resume(), stderr: new PassThrough().resume() });
  try {
    await vitest.start([]).catch(() => undefined);
  } finally {
    await vitest.close();
  }
  if (!seen) throw new Error('vitest asked for no worker');
  return seen;
}

describe('the early suite worker thread', () => {
  it.runIf(existsSync(join(DIST, 'suites', 'names.suite.js')))('is started with the node options and environment vitest gives its suite threads', async () => {
    const o = await optionsVitestGives();
    expect(o.distPath).toBe(join(vitestRoot(), 'dist'));
    expect(workerExecArgv(vitestRoot(), process.execArgv)).toEqual(o.execArgv);
    expect(workerEnv(SUITE_TEST_OPTIONS.env)).toEqual(o.env);
  });

  it('loads ahead only what the suite files import that never reaches vitest', () => {
    const suites = ['names', '204-deleted', 'lifecycle'].map((n) => join(DIST, 'suites', `${n}.suite.js`));
    const warm = warmModules(suites);
    const name = (u: string): string => u.replace(/^file:\/\/.*\/dist\//, '');
    expect(warm).toContain('fast-check');
    expect(warm.map(name)).toEqual(expect.arrayContaining(['client/client.js', 'scenario/scenario.js']));
    // suites/harness re-exports suites/context, which imports vitest: loaded by the suite file itself.
    for (const never of ['suites/harness.js', 'suites/context.js', 'suites/common.js', 'suites/property.js', 'vitest']) expect(warm.map(name)).not.toContain(never);
    expect(warm.every((u) => u === 'fast-check' || u.startsWith('file://'))).toBe(true);
  });
});
