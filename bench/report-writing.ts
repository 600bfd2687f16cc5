// What writing a run's reports costs the parent (`writeReports`: the redacted view, the seven files),
// measured on one recorded run, side by side with another build:
//   1. one `ovc run` (embedded emulator, `--tags 'property && !lifecycle' --runs N`) records a run;
//   2. each build (this checkout's dist/, and `--base DIR`'s) rewrites that run's reports from its
//      results.jsonl and summary.json in a process of its own, alternating, round after round; the
//      process reports the CPU time (process.cpuUsage) and wall time of `writeReports` alone (with
//      the coverage labels, as `ovc run` calls it);
//   3. the report files of both builds are compared byte for byte (a faster writer must write the
//      same reports).
// The secrets of the environment are set (the redaction searches for them, as in a user's run).
//   npx tsx bench/report-writing.ts [--base DIR] [--rounds 7] [--runs 1000] [--tags EXPR ('' : the default run)] [--name report-writing]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { numArg, strArg } from './lib/cli.ts';
import { ROOT, table, writeResult } from './lib/report.ts';
import { fmtSummary, summarize } from './lib/stats.ts';

const ROUNDS = Math.max(3, numArg('rounds', 7));
const RUNS = numArg('runs', 1000);
const TAGS = strArg('tags', 'property && !lifecycle');
const BASE = strArg('base', '');
const NAME = strArg('name', 'report-writing');
const ENV = {
  ...process.env,
  OSS_ACCESS_KEY_ID: 'bench-report-key', OSS_ACCESS_KEY_SECRET: 'bench-report-secret-value', OSS_SESSION_TOKEN: 'bench-report-session-token',
  OVC_DENIED_ACCESS_KEY_ID: 'bench-report-denied', OVC_DENIED_ACCESS_KEY_SECRET: 'bench-report-denied-secret', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '',
};

/** Rewrites the reports of `from` into `out` with the dist/ of `root`; prints {cpuMs, wallMs} of writeReports. */
const WRITER = `
const [root, from, out] = process.argv.slice(1);
const { readRun, writeReports } = await import(new URL('dist/reports/index.js', root).href);
const { causeOf } = await import(new URL('dist/generators/labels.js', root).href);
const run = readRun(from);
const cpu0 = process.cpuUsage(); const t0 = performance.now();
await writeReports(out, run.results, run.summary, { causeOf });
const cpu = process.cpuUsage(cpu0); const wallMs = performance.now() - t0;
console.log(JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs, cases: run.results.length }));
`;

function rewrite(root: string, from: string, out: string): { cpuMs: number; wallMs: number; cases: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', WRITER, pathToFileURL(`${root}/`).href, from, out], { env: ENV, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`report writer in ${root} exited ${r.status}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { cpuMs: number; wallMs: number; cases: number };
}

function main(): void {
  const work = mkdtempSync(join(tmpdir(), 'ovc-bench-reports-'));
  try {
    const recorded = join(work, 'recorded');
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli', 'bin.js'), 'run', '--quiet', ...(TAGS ? ['--tags', TAGS] : []), '--runs', String(RUNS), '--seed', '42', '--out', recorded], { env: ENV, stdio: ['ignore', 'ignore', 'inherit'] });
    const builds = [{ name: 'this', root: ROOT }, ...(BASE ? [{ name: 'base', root: BASE }] : [])];
    const samples: Record<string, Array<{ cpuMs: number; wallMs: number }>> = Object.fromEntries(builds.map((b) => [b.name, []]));
    let cases = 0;
    // One uncounted rewrite per build first: the first process to read the run (and the builds'
    // files) from disk was ~30 % slower in a comparison of a build with itself.
    for (const b of builds) rewrite(b.root, recorded, join(work, `${b.name}-warm`));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const b of order) {
        const out = join(work, `${b.name}-${round}`);
        const s = rewrite(b.root, recorded, out);
        cases = s.cases;
        samples[b.name]!.push({ cpuMs: s.cpuMs, wallMs: s.wallMs });
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${builds.map((b) => `${b.name} ${samples[b.name]![round]!.cpuMs.toFixed(0)} ms CPU`).join(' | ')}\n`);
    }
    // Every build's files against this build's, byte for byte.
    const identical: Record<string, boolean> = {};
    const files = readdirSync(join(work, 'this-0')).sort();
    for (const b of builds) {
      identical[b.name] = files.every((f) => readFileSync(join(work, `${b.name}-0`, f)).equals(readFileSync(join(work, 'this-0', f))));
    }
    const rows = builds.map((b) => {
      const cpu = summarize(samples[b.name]!.map((x) => x.cpuMs));
      const wall = summarize(samples[b.name]!.map((x) => x.wallMs));
      return [b.name, fmtSummary(cpu), fmtSummary(wall), (cpu.median / cases * 1000).toFixed(1), identical[b.name] ? 'yes' : 'NO'];
    });
    const ratios = BASE ? summarize(samples.this!.map((x, i) => samples.base![i]!.cpuMs / x.cpuMs)) : null;
    console.log(`\nwriteReports on one recorded run of ${cases} cases (--tags '${TAGS}' --runs ${RUNS} --seed 42), ${ROUNDS} rounds, alternating:\n`);
    console.log(table(['build', 'CPU ms median (min–max)', 'wall ms median (min–max)', 'CPU µs/case', 'same files'], rows));
    if (ratios) console.log(`\nbase CPU ÷ this CPU, per round: ${fmtSummary(ratios, 2)}`);
    console.log(`written ${writeResult(NAME, { settings: { rounds: ROUNDS, runs: RUNS, tags: TAGS, base: BASE || null }, cases, samples, identical, baseOverThisCpu: ratios })}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
