// The default `ovc run` as a user runs it: the compiled package's bin (`npx ovc run`, embedded
// emulator), N times. Per run: wall time from spawn to exit, CPU time of the whole process tree,
// and the peak RSS of every process in it (VmHWM from /proc, polled every 20 ms; the suite
// workers are threads of the child process). Also the tsx entry (`cli/bin/ovc.mjs`) side by side,
// or (`--base DIR`) another checkout's compiled package, e.g. a worktree of the base commit with
// dist/ built, for a before/after taken in alternating order. `--tags` runs a subset (one suite:
// the start-up of a run). `--serve` runs against an `ovc serve` started once (this checkout's, state
// hook on, PutVectorIndex unpaced) instead of the embedded emulator: the run as the project's own
// tests and CI make it, where the parent only starts the suites and writes the reports.
//   npx tsx bench/default-run.ts [--rounds 5] [--runs 500] [--tags EXPR] [--base DIR] [--no-tsx] [--serve] [--name default-run]
import { spawn } from 'node:child_process';
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

async function once(entry: string[]): Promise<Sample> {
  const out = mkdtempSync(join(tmpdir(), 'ovc-bench-default-'));
  const started = performance.now();
  const child = spawn(process.execPath, [...entry, 'run', '--quiet', '--runs', String(RUNS), ...(TAGS ? ['--tags', TAGS] : []), ...TARGET.args, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ...TARGET.keys, OSS_SESSION_TOKEN: '', OVC_DENIED_ACCESS_KEY_ID: '', OVC_DENIED_ACCESS_KEY_SECRET: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
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

const variants: Array<{ name: string; entry: string[] }> = [
  { name: 'compiled (npx ovc run)', entry: [join(ROOT, 'dist', 'cli', 'bin.js')] },
  ...(flag('no-tsx') ? [] : [{ name: 'tsx (node cli/bin/ovc.mjs run)', entry: [join(ROOT, 'cli', 'bin', 'ovc.mjs')] }]),
  ...(BASE ? [{ name: `base: ${BASE}`, entry: [join(BASE, 'dist', 'cli', 'bin.js')] }] : []),
];
if (!existsSync(variants[0]!.entry[0]!)) throw new Error('dist/ is missing: npm run build first');

const samples: Record<string, Sample[]> = {};
for (let r = 0; r < ROUNDS; r++) {
  if (SERVE) await sweepIndexes(SERVE.port, 'ovc-conformance').catch(() => undefined);
  for (const v of variants) {
    const s = await once(v.entry);
    if (s.code !== 0) throw new Error(`${v.name}: exit ${s.code}`);
    (samples[v.name] ??= []).push(s);
    process.stderr.write(`round ${r + 1}/${ROUNDS} ${v.name}: ${Math.round(s.wallMs)} ms wall, ${Math.round(s.cpuMs)} ms CPU, peak RSS ${s.peakRssMiB.toFixed(0)} MiB (${s.peakBy}), ${s.cases} cases\n`);
  }
}

const rows = variants.map((v) => {
  const xs = samples[v.name]!;
  return [v.name, `${fmtSummary(summarize(xs.map((x) => x.wallMs)))} ms`, `${fmtSummary(summarize(xs.map((x) => x.cpuMs)))} ms`, `${fmtSummary(summarize(xs.map((x) => x.peakRssMiB)))} MiB`, String(xs[0]!.cases)];
});
process.stdout.write(table(['entry', 'wall', 'CPU (tree)', 'peak RSS of any process', 'cases'], rows));
const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`\nload average at the end: ${loadavg}\n`);
writeResult(strArg('name', 'default-run'), { machine: machine(), rounds: ROUNDS, runs: RUNS, tags: TAGS || null, base: BASE || null, target: SERVE ? 'ovc serve (state hook, --put-index-rps 0)' : 'embedded emulator', loadAverageAtEnd: loadavg, samples });
await SERVE?.stop();
await closeClient();
