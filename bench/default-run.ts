// The default `ovc run` as a user runs it: the compiled package's bin (`npx ovc run`, embedded
// emulator), N times. Per run: wall time from spawn to exit, CPU time of the whole process tree,
// and the peak RSS of every process in it (VmHWM from /proc, polled every 20 ms; the suite
// workers are threads of the child process). Also the tsx entry (`cli/bin/ovc.mjs`) side by side,
// or (`--base DIR`) another checkout's compiled package, e.g. a worktree of the base commit with
// dist/ built, for a before/after taken in alternating order. `--tags` runs a subset (one suite:
// the start-up of a run). `--serve` runs against an `ovc serve` started once (this checkout's, state
// hook on, PutVectorIndex unpaced) instead of the embedded emulator: the run as the project's own
// tests and CI make it, where the parent only starts the suites and writes the reports.
// `--node PATH` adds the same compiled package run by another Node binary (e.g. Node 22 from npm:
// `npm install node@22` in a scratch folder; the suite child runs on the parent's binary), and
// `--compile-cache` that binary again with NODE_COMPILE_CACHE (Node ≥ 22.1: compiled modules cached
// on disk; the cache is filled by one unmeasured run first). Each variant's wall and CPU are also
// given per round as a ratio to the first variant's, taken in the same round.
//   npx tsx bench/default-run.ts [--rounds 5] [--runs 500] [--tags EXPR] [--base DIR] [--no-tsx] [--serve]
//                                [--node PATH [--compile-cache]] [--name default-run]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, numArg, strArg } from './lib/cli.ts';
import { machine, ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';
import { BENCH_KEY, startOvcServe, type ChildServer } from './lib/servers.ts';
import { closeClient, sweepIndexes } from './lib/client.ts';

const ROUNDS = Math.max(3, numArg('rounds', 5));
const TAGS = strArg('tags', '');
const BASE = strArg('base', '');
const RUNS = numArg('runs', 500);
const TICKS = 100; // clock ticks per second (getconf CLK_TCK on Linux)
const SERVE: ChildServer | null = flag('serve') ? await startOvcServe({ bucket: 'ovc-conformance' }) : null;
/** The target flags and keys of a run: none for the embedded emulator; the `ovc serve` above with --serve. */
const TARGET = SERVE
  ? { args: ['--endpoint', `http://127.0.0.1:${SERVE.port}`, '--state-hook', `http://127.0.0.1:${SERVE.port}/_ovc/provider-states`, '--put-index-rps', '0'], keys: { OSS_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, OSS_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret } }
  : { args: [], keys: { OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '' } };

interface Sample { wallMs: number; cpuMs: number; peakRssMiB: number; peakBy: string; cases: number; code: number | null }

function children(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...children(all[i]!));
  return all;
}

function status(pid: number): { hwmKiB: number; name: string } | null {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { hwmKiB: Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0), name: /Name:\s+(\S+)/.exec(s)?.[1] ?? '?' };
  } catch { return null; }
}

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime (fields 14–17; here 0-based from the state field: 11–14)
    return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  } catch { return 0; }
}

interface Variant { name: string; entry: string[]; node: string; env: Record<string, string> }

async function once(v: Variant): Promise<Sample> {
  const out = mkdtempSync(join(tmpdir(), 'ovc-bench-default-'));
  const started = performance.now();
  const child = spawn(v.node, [...v.entry, 'run', '--quiet', '--runs', String(RUNS), ...(TAGS ? ['--tags', TAGS] : []), ...TARGET.args, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, NODE_COMPILE_CACHE: undefined, ...v.env, ...TARGET.keys, OSS_SESSION_TOKEN: '', OVC_DENIED_ACCESS_KEY_ID: '', OVC_DENIED_ACCESS_KEY_SECRET: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
  const peaks = new Map<number, { hwmKiB: number; name: string; cpu: number }>();
  const timer = setInterval(() => {
    for (const p of tree(child.pid!)) {
      const s = status(p);
      if (!s) continue;
      const prev = peaks.get(p);
      peaks.set(p, { hwmKiB: Math.max(prev?.hwmKiB ?? 0, s.hwmKiB), name: p === child.pid ? 'ovc (parent)' : 'suite child', cpu: Math.max(prev?.cpu ?? 0, cpuTicks(p)) });
    }
  }, 20);
  const code = await new Promise<number | null>((r) => child.on('close', r));
  clearInterval(timer);
  const wallMs = performance.now() - started;
  // The parent's cutime/cstime include its waited-for children once they have exited.
  const cpuMs = (Math.max(...[...peaks.values()].map((v) => v.cpu), 0) / TICKS) * 1000;
  const top = [...peaks.values()].sort((a, b) => b.hwmKiB - a.hwmKiB)[0];
  const results = join(out, 'results.jsonl');
  const cases = existsSync(results) ? readFileSync(results, 'utf8').split('\n').filter(Boolean).length : 0;
  rmSync(out, { recursive: true, force: true });
  return { wallMs, cpuMs, peakRssMiB: (top?.hwmKiB ?? 0) / 1024, peakBy: top?.name ?? '?', cases, code };
}

const COMPILED = join(ROOT, 'dist', 'cli', 'bin.js');
const NODE = strArg('node', '');
const nodeVersion = (bin: string): string => execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
const CACHE_DIR = NODE && flag('compile-cache') ? mkdtempSync(join(tmpdir(), 'ovc-bench-compile-cache-')) : '';
const plain = (name: string, entry: string[]): Variant => ({ name, entry, node: process.execPath, env: {} });
const variants: Variant[] = [
  plain(`compiled (npx ovc run), node ${process.version}`, [COMPILED]),
  ...(flag('no-tsx') ? [] : [plain('tsx (node cli/bin/ovc.mjs run)', [join(ROOT, 'cli', 'bin', 'ovc.mjs')])]),
  ...(BASE ? [plain(`base: ${BASE}`, [join(BASE, 'dist', 'cli', 'bin.js')])] : []),
  ...(NODE ? [{ name: `compiled, node ${nodeVersion(NODE)}`, entry: [COMPILED], node: NODE, env: {} }] : []),
  ...(CACHE_DIR ? [{ name: `compiled, node ${nodeVersion(NODE)}, compile cache`, entry: [COMPILED], node: NODE, env: { NODE_COMPILE_CACHE: CACHE_DIR } }] : []),
];
if (!existsSync(COMPILED)) throw new Error('dist/ is missing: npm run build first');
// The compile cache is written by a run: the measured runs read it.
if (CACHE_DIR) await once(variants[variants.length - 1]!);

const samples: Record<string, Sample[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  if (SERVE) await sweepIndexes(SERVE.port, 'ovc-conformance').catch(() => undefined);
  for (const v of variants) {
    const s = await once(v);
    if (s.code !== 0) throw new Error(`${v.name}: exit ${s.code}`);
    (samples[v.name] ??= []).push(s);
    process.stderr.write(`round ${r + 1}/${ROUNDS} ${v.name}: ${Math.round(s.wallMs)} ms wall, ${Math.round(s.cpuMs)} ms CPU, peak RSS ${s.peakRssMiB.toFixed(0)} MiB (${s.peakBy}), ${s.cases} cases\n`);
  }
}

const first = samples[variants[0]!.name]!;
/** Per round, this variant's figure over the first variant's in the same round. */
const ratio = (xs: Sample[], key: 'wallMs' | 'cpuMs'): string => fmtSummary(summarize(xs.map((x, i) => x[key] / first[i]![key])), 2);
const rows = variants.map((v) => {
  const xs = samples[v.name]!;
  return [v.name, `${fmtSummary(summarize(xs.map((x) => x.wallMs)))} ms`, `${fmtSummary(summarize(xs.map((x) => x.cpuMs)))} ms`, ratio(xs, 'wallMs'), ratio(xs, 'cpuMs'), `${fmtSummary(summarize(xs.map((x) => x.peakRssMiB)))} MiB`, String(xs[0]!.cases)];
});
process.stdout.write(table(['entry', 'wall', 'CPU (tree)', 'wall ÷ first, per round', 'CPU ÷ first, per round', 'peak RSS of any process', 'cases'], rows));
const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`\nload average at the end: ${loadavg}\n`);
if (CACHE_DIR) rmSync(CACHE_DIR, { recursive: true, force: true });
writeResult(strArg('name', 'default-run'), { machine: machine(), rounds: ROUNDS, runs: RUNS, tags: TAGS || null, base: BASE || null, node: NODE ? nodeVersion(NODE) : null, variants: variants.map((v) => ({ name: v.name, env: v.env })), target: SERVE ? 'ovc serve (state hook, --put-index-rps 0)' : 'embedded emulator', loadAverageAtEnd: loadavg, samples });
await SERVE?.stop();
await closeClient();
