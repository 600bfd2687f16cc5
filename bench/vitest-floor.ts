// The floor of a one-suite run on this machine: what the least vitest-based run costs, next to what
// `ovc run` costs for one small suite. Each variant is a process tree started by bash, whose
// `times` builtin gives the CPU (user + system) of every process it waited for, threads included:
//   boot       `node -e 0`: one Node process, nothing loaded;
//   floor      bench/fixtures/floor-parent.mjs: a Node parent that starts a child with an IPC channel,
//              the child starting vitest as the suite child does (Node API, inline options, one
//              thread, no isolation, no cache, no reporter, exit without close) on one empty test
//              (bench/fixtures/floor.test.js): what any run that keeps vitest as the runner, in a
//              child process, pays before its first request;
//   floor, one process  the floor's child alone: vitest without the parent process (what the
//              parent/child split of `ovc run`, docs/safety.md, adds to the floor);
//   one-suite  `node dist/cli/bin.js run --quiet --tags 404-no-such-bucket` (embedded emulator).
// Rotating order, round after round; ratios are taken within a round. `--node PATH` runs every
// variant on another Node binary (e.g. Node 22 from npm: `npm install node@22` in a scratch folder),
// `--compile-cache` with NODE_COMPILE_CACHE set (Node ≥ 22.1; the warm-up pass fills the cache).
//   npx tsx bench/vitest-floor.ts [--rounds 8] [--tags EXPR] [--node PATH [--compile-cache]] [--name vitest-floor]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flag, numArg, strArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { timedShell } from './lib/shell.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(3, numArg('rounds', 8));
const TAGS = strArg('tags', '404-no-such-bucket');
const NAME = strArg('name', 'vitest-floor');
const BIN = join(ROOT, 'dist', 'cli', 'bin.js');
const NODE = strArg('node', '') || process.execPath;
const NODE_VERSION = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
const CACHE_DIR = flag('compile-cache') ? mkdtempSync(join(tmpdir(), 'ovc-bench-compile-cache-')) : '';
const ENV = { ...process.env, OSS_ACCESS_KEY_ID: '', OSS_ACCESS_KEY_SECRET: '', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', OVC_STATE_DIR: '', NODE_COMPILE_CACHE: CACHE_DIR || undefined };

interface Sample { wallMs: number; cpuMs: number }

/** Runs `argv` under bash; wall time around it, CPU from bash's `times` (its waited-for children). */
function measure(argv: string[]): Sample {
  const r = timedShell(argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), { cwd: ROOT, env: ENV });
  if (r.exit !== 0) throw new Error(`${argv.join(' ')} exited ${r.exit}\n${r.stderr}`);
  if (Number.isNaN(r.cpuMs)) throw new Error(`no times line for ${argv.join(' ')}`);
  return { wallMs: r.wallMs, cpuMs: r.cpuMs };
}

function main(): void {
  const out = mkdtempSync(join(tmpdir(), 'ovc-bench-floor-'));
  try {
    const variants: Array<{ name: string; argv: () => string[] }> = [
      { name: 'boot', argv: () => [NODE, '-e', '0'] },
      { name: 'floor', argv: () => [NODE, join(ROOT, 'bench', 'fixtures', 'floor-parent.mjs')] },
      { name: 'floor, one process', argv: () => [NODE, join(ROOT, 'bench', 'fixtures', 'floor-child.mjs')] },
      { name: 'one-suite', argv: () => [NODE, BIN, 'run', '--quiet', '--tags', TAGS, '--out', mkdtempSync(join(out, 'run-'))] },
    ];
    for (const v of variants) measure(v.argv()); // warm the file cache (and fill the compile cache)
    const samples: Record<string, Sample[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
      for (const v of order) samples[v.name]!.push(measure(v.argv()));
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${variants.map((v) => `${v.name} ${samples[v.name]![round]!.wallMs.toFixed(0)} ms / ${samples[v.name]![round]!.cpuMs.toFixed(0)} ms CPU`).join(' | ')}\n`);
    }
    const rows = variants.map((v) => [v.name, fmtSummary(summarize(samples[v.name]!.map((s) => s.wallMs))), fmtSummary(summarize(samples[v.name]!.map((s) => s.cpuMs)))]);
    const ratio = (key: keyof Sample) => summarize(samples['one-suite']!.map((s, i) => s[key] / samples.floor![i]![key]));
    const above = (key: keyof Sample) => summarize(samples['one-suite']!.map((s, i) => s[key] - samples.floor![i]![key]));
    console.log(`\n${ROUNDS} rounds, rotating order, node ${NODE_VERSION}${CACHE_DIR ? ' with a compile cache' : ''} (one-suite: --tags '${TAGS}', embedded emulator):\n`);
    console.log(table(['variant', 'wall ms median (min–max)', 'CPU ms median (min–max)'], rows));
    console.log(`\none-suite ÷ floor, per round: wall ${fmtSummary(ratio('wallMs'), 2)}; CPU ${fmtSummary(ratio('cpuMs'), 2)}`);
    console.log(`one-suite − floor, per round: wall ${fmtSummary(above('wallMs'))} ms; CPU ${fmtSummary(above('cpuMs'))} ms`);
    console.log(`written ${writeResult(NAME, { settings: { rounds: ROUNDS, tags: TAGS, node: NODE_VERSION, compileCache: Boolean(CACHE_DIR) }, samples, oneSuiteOverFloor: { wall: ratio('wallMs'), cpu: ratio('cpuMs') }, oneSuiteMinusFloorMs: { wall: above('wallMs'), cpu: above('cpuMs') } })}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
    if (CACHE_DIR) rmSync(CACHE_DIR, { recursive: true, force: true });
  }
}

main();
