// The first `ovc run` after `npm ci`, against the runs after it: a fresh clone of this checkout's
// HEAD, `npm ci` (its `prepare` builds dist/), then the default run N times through the package's
// bin as users start it (`npx ovc run --quiet`, or `node dist/cli/bin.js run --quiet` with --no-npx),
// wall and CPU of the process tree each. Repeated for --rounds fresh clones.
//   npx tsx bench/first-run.ts [--rounds 3] [--runs-after 3] [--no-npx] [--name first-run]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, numArg, strArg } from './lib/cli.ts';
import { machine, ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = numArg('rounds', 3);
const AFTER = numArg('runs-after', 3);
const NPX = !flag('no-npx');

interface Sample { wallMs: number; cpuMs: number }

/** CPU of a finished child and its waited-for descendants, from the `time` builtin of bash. */
async function timed(cwd: string, cmd: string): Promise<Sample> {
  const started = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const c = spawn('bash', ['-c', `TIMEFORMAT='%U %S'; time (${cmd} >/dev/null 2>&1)`], { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' } });
    let err = '';
    c.stderr.on('data', (d) => { err += d; });
    c.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`${cmd}: exit ${code}\n${err}`))));
  });
  const [u, s] = out.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { wallMs: performance.now() - started, cpuMs: ((u ?? 0) + (s ?? 0)) * 1000 };
}

const rounds: Array<{ first: Sample; after: Sample[] }> = [];
const cmd = NPX ? 'npx ovc run --quiet' : 'node dist/cli/bin.js run --quiet';
for (let r = 0; r < ROUNDS; r++) {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-bench-first-'));
  try {
    execFileSync('git', ['clone', '-q', '--no-hardlinks', ROOT, join(dir, 'clone')]);
    const clone = join(dir, 'clone');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'ignore', env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
    const first = await timed(clone, cmd);
    const after: Sample[] = [];
    for (let i = 0; i < AFTER; i++) after.push(await timed(clone, cmd));
    rounds.push({ first, after });
    process.stderr.write(`round ${r + 1}/${ROUNDS}: first ${Math.round(first.wallMs)} ms wall / ${Math.round(first.cpuMs)} ms CPU; after ${after.map((a) => `${Math.round(a.wallMs)}/${Math.round(a.cpuMs)}`).join(', ')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const ratio = rounds.map((x) => x.first.wallMs / summarize(x.after.map((a) => a.wallMs)).median);
const rows = [
  ['first run after npm ci', `${fmtSummary(summarize(rounds.map((x) => x.first.wallMs)))} ms`, `${fmtSummary(summarize(rounds.map((x) => x.first.cpuMs)))} ms`],
  ['later runs', `${fmtSummary(summarize(rounds.flatMap((x) => x.after.map((a) => a.wallMs))))} ms`, `${fmtSummary(summarize(rounds.flatMap((x) => x.after.map((a) => a.cpuMs))))} ms`],
  ['first ÷ later (wall, per clone)', fmtSummary(summarize(ratio), 2), ''],
];
process.stdout.write(`${cmd}, ${ROUNDS} fresh clone(s), ${AFTER} later run(s) each\n\n${table(['', 'wall', 'CPU (tree)'], rows)}`);
const loadavg = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
process.stdout.write(`\nload average at the end: ${loadavg}\n`);
writeResult(strArg('name', 'first-run'), { machine: machine(), command: cmd, rounds, ratio, loadAverageAtEnd: loadavg });
