// Where the project's own test run spends its CPU, by kind of process: runs the unit step
// (`npm run test:unit`, or `--files` for a subset) with bench/lib/cpu-acct.cjs preloaded into every
// node process, then sums each process's CPU (user + system, all its threads) by what it was: the
// suite child of an `ovc run` (vitest and the worker threads), the `ovc <command>` parents, vitest's
// own processes, npm, and the rest. Also the step's wall time and its CPU from /usr/bin/time's view
// (getrusage of the whole tree). Processes killed with SIGKILL write nothing, so the kinds add up to
// less than the whole; the gap is printed. Needs dist/ built (the tests build it when stale).
//   npx tsx bench/ci-cpu.ts [--files "test/selftest/fault-profiles.test.ts …"] [--name ci-cpu]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strArg } from './lib/cli.ts';
import { machine, ROOT, table, writeResult } from './lib/report.ts';
import { median } from './lib/stats.ts';

interface Line { pid: number; ppid: number; userS: number; systemS: number; wallS: number; argv: string }

const FILES = strArg('files', '').split(/\s+/).filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'ovc-ci-cpu-'));
const acct = join(dir, 'acct.jsonl');
const started = performance.now();
const r = spawnSync('bash', ['-c', 'npx vitest run --config vitest.config.ts "$@" > /dev/null 2>&1; echo "exit $?"; times', 'ci-cpu', ...FILES], {
  cwd: ROOT, encoding: 'utf8',
  env: { ...process.env, PACT_DO_NOT_TRACK: 'true', OVC_CPU_ACCT: acct, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'bench', 'lib', 'cpu-acct.cjs')}`.trim() },
});
const wallS = (performance.now() - started) / 1000;
// `times` prints the shell's and its children's user/system time: the second line is the tree's.
const [cu, cs] = (r.stdout.trim().split('\n').at(-1) ?? '').split(/\s+/).map((t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return m ? Number(m[1]) * 60 + Number(m[2]) : 0; });
const treeCpuS = (cu ?? 0) + (cs ?? 0);
const lines: Line[] = readFileSync(acct, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
rmSync(dir, { recursive: true, force: true });

function kind(argv: string): string {
  if (/\/run\/child\.[jt]s/.test(argv)) return 'ovc run: suite child (vitest, worker threads)';
  if (/\/run\/cleaner\.[jt]s/.test(argv)) return 'ovc run: cleaner';
  const ovc = /(?:dist\/cli\/bin\.js|cli\/bin\/ovc\.mjs|\.bin\/ovc)\s+(\S+)/.exec(argv);
  if (ovc) return `ovc ${ovc[1]!.startsWith('-') ? '(flags only)' : ovc[1]}: parent`;
  if (/vitest\/dist\/workers/.test(argv)) return 'vitest: test file process';
  if (/vitest/.test(argv)) return 'vitest: main';
  if (/npm/.test(argv)) return 'npm';
  return 'other (fixtures, stand-ins, tools)';
}

const kinds = new Map<string, { n: number; cpuS: number; each: number[]; examples: string[] }>();
for (const l of lines) {
  const k = kind(l.argv);
  const e = kinds.get(k) ?? { n: 0, cpuS: 0, each: [], examples: [] };
  e.n++; e.cpuS += l.userS + l.systemS; e.each.push(l.userS + l.systemS);
  if (e.examples.length < 3) e.examples.push(l.argv.slice(0, 200));
  kinds.set(k, e);
}
const accounted = [...kinds.values()].reduce((a, e) => a + e.cpuS, 0);
const rows = [...kinds].sort((a, b) => b[1].cpuS - a[1].cpuS).map(([k, e]) => [k, e.n, e.cpuS.toFixed(1), median(e.each).toFixed(2), `${((100 * e.cpuS) / treeCpuS).toFixed(1)} %`]);
process.stdout.write(table(['kind', 'processes', 'CPU s', 'median s each', 'of the tree'], rows));
process.stdout.write(`\n${r.stdout.trim().split('\n')[0]}; wall ${wallS.toFixed(1)} s; CPU of the whole tree ${treeCpuS.toFixed(1)} s (${(treeCpuS / wallS).toFixed(2)} CPUs on average); accounted by the kinds above ${accounted.toFixed(1)} s (the rest: processes killed before they could write)\n`);
writeResult(strArg('name', 'ci-cpu'), { machine: machine(), files: FILES.length ? FILES : 'the unit step', wallS, treeCpuS, accountedS: accounted, kinds: Object.fromEntries(kinds) });
