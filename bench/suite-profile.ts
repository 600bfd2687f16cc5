// CPU profile of `ovc run`'s property phase (`--tags property`) against `ovc serve` (child
// process): the suites run through vitest as `ovc run` runs them, each suite file profiled by the
// inspector (bench/lib/profile-setup.ts); the top frames of the suite workers and the share of
// generation, case bookkeeping, signing and the transport are printed.
//   npx tsx bench/suite-profile.ts [--runs 1000]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numArg } from './lib/cli.ts';
import { summarizeProfile, type ProfileSummary } from './lib/cpuprofile.ts';
import { Writable } from 'node:stream';
import { runSpec, targetSpec } from '../client/config.ts';
import { BENCH_DIR, ROOT, table, writeResult } from './lib/report.ts';
import { BENCH_ACCOUNT, BENCH_KEY, BENCH_REGION, startOvcServe } from './lib/servers.ts';

const RUNS = numArg('runs', 1000);
const FNS: Record<string, string> = {
  propertyCases: 'property driver (all of a property)',
  sample: 'fast-check generation (fc.sample)',
  scanMalformedJson: '  of which: labelling malformed JSON',
  runCase: 'one case (checks + record)',
  appendFileSync: '  of which: the per-case record write',
  sign: 'V4 signing (client)',
  send: 'transport (undici)',
  decodeError: 'envelope decoding',
};

/**
 * The property suites run by vitest exactly as `ovc run` runs them (suites/vitest.config.ts,
 * threads, tag filter), plus a setup file that profiles each suite file with the inspector.
 */
async function profiledRun(): Promise<{ code: number; wallMs: number; profiles: Array<{ file: string; s: ProfileSummary }> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-suite-prof-'));
  const work = mkdtempSync(join(tmpdir(), 'ovc-suite-prof-out-'));
  const server = await startOvcServe({ bucket: 'ovc-conformance' });
  const target = targetSpec({ endpoint: `http://127.0.0.1:${server.port}`, region: BENCH_REGION, bucket: 'ovc-conformance', accountId: BENCH_ACCOUNT, addressing: 'path', stateHook: `http://127.0.0.1:${server.port}/_ovc/provider-states`, name: 'ovc serve (bench)' });
  const run = runSpec(target, { runId: 'benchprof', seed: 1, runs: RUNS, outDir: work, workDir: join(work, '.work'), pacing: { putIndexRps: 0 } });
  const channel = { target, run, identities: { main: { ...BENCH_KEY }, denied: null } };
  process.env.OVC_PROFILE_DIR = dir;
  const started = performance.now();
  let code = 0;
  try {
    const { startVitest } = await import('vitest/node');
    // What run/child.ts hands the workers before vitest starts: the run's pooled limits.
    const { setEnvironmentData } = await import('node:worker_threads');
    const { newSharedLimits, SHARED_LIMITS_KEY } = await import('../client/pacing.ts');
    setEnvironmentData(SHARED_LIMITS_KEY, newSharedLimits());
    const vitest = await startVitest('test', [], {
      config: join(ROOT, 'suites', 'vitest.config.ts'), root: ROOT, watch: false, tagsFilter: ['property'], passWithNoTests: true, reporters: [],
      setupFiles: [join(BENCH_DIR, 'lib', 'profile-setup.ts')], provide: { ovc: channel }, maxWorkers: run.workers,
    }, undefined, { stdout: devNull(), stderr: devNull() });
    code = vitest.state.getFiles().some((f) => f.result?.state === 'fail') ? 1 : 0;
    await vitest.close();
  } finally {
    await server.stop();
  }
  const wallMs = performance.now() - started;
  const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ file: f, s: summarizeProfile(join(dir, f), ROOT, Object.keys(FNS), 40) }));
  rmSync(dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  return { code, wallMs, profiles };
}

function devNull(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

const { code, wallMs, profiles } = await profiledRun();
// One profile per suite file: add them up (self times by frame; inclusive shares weighted by busy time).
const busyOf = (p: ProfileSummary) => p.totalMs * (1 - p.idlePct / 100);
const totalBusy = profiles.reduce((n, p) => n + busyOf(p.s), 0);
const frames = new Map<string, number>();
for (const p of profiles) for (const f of p.s.top) frames.set(f.frame, (frames.get(f.frame) ?? 0) + f.selfMs);
const worker: ProfileSummary = {
  totalMs: profiles.reduce((n, p) => n + p.s.totalMs, 0),
  samples: profiles.reduce((n, p) => n + p.s.samples, 0),
  idlePct: Math.round(1000 * (1 - totalBusy / Math.max(1, profiles.reduce((n, p) => n + p.s.totalMs, 0)))) / 10,
  top: [...frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([frame, ms]) => ({ frame, selfMs: ms, selfPct: Math.round((1000 * ms) / totalBusy) / 10 })),
  inclusive: Object.fromEntries(Object.keys(FNS).map((fn) => [fn, Math.round((10 * profiles.reduce((n, p) => n + (p.s.inclusive[fn]! * busyOf(p.s)) / 100, 0) * 100) / totalBusy) / 10])),
};

console.log(`property suites (--tags property, --runs ${RUNS}): ${code === 0 ? 'all held' : 'some did not hold'}, ${(wallMs / 1000).toFixed(1)} s wall; ${profiles.length} suite-file profiles, ${worker.totalMs} ms profiled, idle ${worker.idlePct} %\n`);
console.log(table(['self %', 'self ms', 'frame'], worker.top.map((f) => [f.selfPct.toFixed(1), f.selfMs, f.frame])));
console.log('\ninclusive (% of the worker\'s busy time):\n');
console.log(table(['incl %', 'function', 'what'], Object.entries(FNS).map(([fn, what]) => [worker.inclusive[fn]!.toFixed(1), fn, what])));
console.log(`\nwritten ${writeResult('suite-profile', { settings: { runs: RUNS }, exitCode: code, wallMs, files: profiles.map((p) => ({ totalMs: p.s.totalMs, idlePct: p.s.idlePct })), worker, functions: FNS })}`);
