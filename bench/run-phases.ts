// Where a run's start-up goes, phase by phase: `node --cpu-prof --cpu-prof-dir=D dist/cli/bin.js
// run --quiet [--tags T]` (the profiling flags reach the suite child and its worker threads:
// run/runner.ts childLoader), then the profiles are read on their shared clock (CLOCK_MONOTONIC):
//
//   node boot        the parent's process start → its profile's start (measured apart: `node -e 0`)
//   CLI → child      the parent's profile start → the suite child's profile start (the CLI, flags, spawn)
//   child ready      the child's start → its first worker thread's start (vitest and the suites' options)
//   worker → request the worker's start → its first sample in the client's `exchange` (suite files loading)
//   suites           the first request → the last worker's end
//   reports & exit   the last worker's end → the parent's end (cleanup, reports, exit)
//
// and the CPU each process and thread was busy. Profiling costs time of its own (~10–20 %): the
// phases are for finding where time goes; bench/default-run.ts measures runs without a profiler.
//   npx tsx bench/run-phases.ts [--rounds 5] [--tags EXPR] [--runs 500] [--name run-phases]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numArg, strArg } from './lib/cli.ts';
import { machine, ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(3, numArg('rounds', 5));
const TAGS = strArg('tags', '');
const RUNS = numArg('runs', 500);
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');

interface Node { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }
interface Thread { file: string; pid: number; thread: number; p: Profile; busyMs: number }

function load(dir: string): Thread[] {
  return readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((file) => {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
    const parts = file.split('.');
    const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    let busy = 0;
    for (let i = 0; i < p.samples.length; i++) if (!idle.has(p.samples[i]!)) busy += p.timeDeltas[i] ?? 0;
    return { file, pid: Number(parts[3]), thread: Number(parts[4]), p, busyMs: busy / 1000 };
  });
}

/** Time (µs, profile clock) of the first sample whose stack holds a frame named `fn` from a file matching `url`. */
function firstSampleIn(p: Profile, fn: string, url: RegExp): number | null {
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const hit = new Map<number, boolean>();
  const inFn = (id: number): boolean => {
    const known = hit.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    const up = parent.get(id);
    const r = (n.callFrame.functionName === fn && url.test(n.callFrame.url)) || (up !== undefined && inFn(up));
    hit.set(id, r);
    return r;
  };
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (inFn(p.samples[i]!)) return t;
  }
  return null;
}

interface Round { bootMs: number; phases: Record<string, number>; busy: Record<string, number>; wallMs: number }

const PHASES = ['node boot', 'CLI → child', 'child ready', 'worker → request', 'suites', 'reports & exit'] as const;

function bootMs(): number {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - t;
}

async function once(): Promise<Round> {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-bench-phases-'));
  const out = join(dir, 'out');
  const started = performance.now();
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`, BIN, 'run', '--quiet', '--runs', String(RUNS), ...(TAGS ? ['--tags', TAGS] : []), '--out', out], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
  const code = await new Promise<number | null>((r) => child.on('close', r));
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`ovc run exited ${code}`);
  const threads = load(join(dir, 'prof'));
  rmSync(dir, { recursive: true, force: true });
  const parent = threads.find((t) => t.pid === child.pid && t.thread === 0);
  const childMain = threads.find((t) => t.pid !== child.pid && t.thread === 0);
  const workers = threads.filter((t) => t.pid === childMain?.pid && t.thread > 0).sort((a, b) => a.p.startTime - b.p.startTime);
  if (!parent || !childMain || workers.length === 0) throw new Error(`profiles missing: ${threads.map((t) => t.file).join(', ')}`);
  const firstRequest = Math.min(...workers.map((w) => firstSampleIn(w.p, 'exchange', /client\/client\.js$/) ?? Infinity));
  const lastWorkerEnd = Math.max(...workers.map((w) => w.p.endTime));
  const boot = bootMs();
  const ms = (a: number, b: number): number => (b - a) / 1000;
  const phases: Record<string, number> = {
    'node boot': boot,
    'CLI → child': ms(parent.p.startTime, childMain.p.startTime),
    'child ready': ms(childMain.p.startTime, workers[0]!.p.startTime),
    'worker → request': ms(workers[0]!.p.startTime, firstRequest),
    suites: ms(firstRequest, lastWorkerEnd),
    'reports & exit': ms(lastWorkerEnd, parent.p.endTime),
  };
  const busy: Record<string, number> = { parent: parent.busyMs, 'child (main thread)': childMain.busyMs, [`worker thread(s) ×${workers.length}`]: workers.reduce((a, w) => a + w.busyMs, 0) };
  return { bootMs: boot, phases, busy, wallMs };
}

const rounds: Round[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const x = await once();
  rounds.push(x);
  process.stderr.write(`round ${r + 1}/${ROUNDS}: ${Math.round(x.wallMs)} ms wall; ${PHASES.map((p) => `${p} ${Math.round(x.phases[p]!)}`).join(', ')}\n`);
}
const phaseRows = PHASES.map((p) => [p, `${fmtSummary(summarize(rounds.map((r) => r.phases[p]!)))} ms`]);
const busyKeys = Object.keys(rounds[0]!.busy);
const busyRows = busyKeys.map((k) => [k, `${fmtSummary(summarize(rounds.map((r) => r.busy[k] ?? 0)))} ms`]);
process.stdout.write(`ovc run --quiet${TAGS ? ` --tags '${TAGS}'` : ''} --runs ${RUNS}, profiled, ${ROUNDS} rounds; wall ${fmtSummary(summarize(rounds.map((r) => r.wallMs)))} ms\n\n`);
process.stdout.write(table(['phase', 'median (min–max)'], phaseRows));
process.stdout.write('\n');
process.stdout.write(table(['CPU busy (profile samples)', 'median (min–max)'], busyRows));
const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`\nload average at the end: ${loadavg}\n`);
writeResult(strArg('name', 'run-phases'), { machine: machine(), rounds: ROUNDS, runs: RUNS, tags: TAGS || null, loadAverageAtEnd: loadavg, samples: rounds });
