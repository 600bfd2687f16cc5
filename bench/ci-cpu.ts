// Where the project's own test run spends its CPU, by kind of process: runs the unit step
// (`npm run test:unit`, or `--files` for a subset) with bench/lib/cpu-acct.cjs preloaded into every
// node process, then sums each process's CPU (user + system, all its threads) by what it was: the
// suite child of an `ovc run` (vitest and the worker threads), the `ovc <command>` parents, vitest's
// own processes, npm, and the rest. Also the step's wall time and its CPU from /usr/bin/time's view
// (getrusage of the whole tree). Processes killed with SIGKILL write nothing, so the kinds add up to
// less than the whole; the gap is printed. Then the same CPU by test file: each test-file process
// (vitest's forks, one file each) with every process started under it, matched to its file by
// time (vitest's JSON report: the file ran inside the process's lifetime). Needs dist/ built (the
// tests build it when stale).
//   npx tsx bench/ci-cpu.ts [--files "test/selftest/fault-profiles.test.ts …"] [--name ci-cpu]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { strArg } from './lib/cli.ts';
import { machine, ROOT, table, writeResult } from './lib/report.ts';
import { childCpuMs } from './lib/shell.ts';
import { median } from './lib/stats.ts';
import { sharedFiles } from '../test/projects.ts';

interface Line { pid: number; ppid: number; userS: number; systemS: number; wallS: number; startMs: number; endMs: number; argv: string }
interface FileResult { name: string; startTime: number; endTime: number }

const FILES = strArg('files', '').split(/\s+/).filter(Boolean);
const dir = mkdtempSync(join(tmpdir(), 'ovc-ci-cpu-'));
const acct = join(dir, 'acct.jsonl');
const started = performance.now();
const report = join(dir, 'files.json');
const r = spawnSync('bash', ['-c', `npx vitest run --config vitest.config.ts --reporter=default --reporter=json --outputFile.json=${report} "$@" > /dev/null 2>&1; echo "exit $?"; times`, 'ci-cpu', ...FILES], {
  cwd: ROOT, encoding: 'utf8',
  env: { ...process.env, PACT_DO_NOT_TRACK: 'true', OVC_CPU_ACCT: acct, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'bench', 'lib', 'cpu-acct.cjs')}`.trim() },
});
const wallS = (performance.now() - started) / 1000;
// `times` prints the shell's and its children's user/system time: the second line is the tree's.
const treeCpuS = (childCpuMs(r.stdout) || 0) / 1000;
const lines: Line[] = readFileSync(acct, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
let fileResults: FileResult[] = [];
try { fileResults = (JSON.parse(readFileSync(report, 'utf8')) as { testResults: FileResult[] }).testResults; } catch { /* no per-file table */ }
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

// By test file: a fork's own CPU and every process started under it (by parent pid at its start).
// Only the files that run in a process of their own (test/projects.ts) can be told apart: each is
// matched to the fork whose lifetime holds its run most tightly; the processes the other files
// share are reported together.
const children = new Map<number, Line[]>();
for (const l of lines) children.set(l.ppid, [...(children.get(l.ppid) ?? []), l]);
function tree(l: Line): { cpuS: number; processes: number } {
  return (children.get(l.pid) ?? []).map(tree).reduce((a, c) => ({ cpuS: a.cpuS + c.cpuS, processes: a.processes + c.processes }), { cpuS: l.userS + l.systemS, processes: 1 });
}
const shared = new Set(sharedFiles(ROOT));
const forks = lines.filter((l) => kind(l.argv) === 'vitest: test file process');
const byFile: Array<{ file: string; wallS: number; cpuS: number; processes: number }> = [];
const used = new Set<Line>();
const ownFiles = fileResults.filter((f) => !shared.has(relative(ROOT, f.name)));
for (const f of ownFiles.sort((a, b) => a.startTime - b.startTime)) {
  const slack = (l: Line): number => (f.startTime - l.startMs) + (l.endMs - f.endTime);
  const fork = forks.filter((l) => !used.has(l) && l.startMs <= f.startTime && l.endMs >= f.endTime).sort((a, b) => slack(a) - slack(b))[0];
  if (!fork) continue;
  used.add(fork);
  byFile.push({ file: relative(ROOT, f.name), wallS: (f.endTime - f.startTime) / 1000, ...tree(fork) });
}
byFile.sort((a, b) => b.cpuS - a.cpuS);
const sharedForks = forks.filter((l) => !used.has(l)).map(tree);
if (byFile.length) {
  process.stdout.write(`\nBy test file (the file's process and everything under it), ${byFile.length} of the ${ownFiles.length} files with a process of their own matched:\n`);
  process.stdout.write(table(['file', 'wall s', 'CPU s', 'processes'], byFile.slice(0, 30).map((b) => [b.file, b.wallS.toFixed(1), b.cpuS.toFixed(1), b.processes])));
  process.stdout.write(`\nthe ${fileResults.length - ownFiles.length} files that share processes: ${sharedForks.length} process(es), ${sharedForks.reduce((a, t) => a + t.cpuS, 0).toFixed(1)} s of CPU with everything under them\n`);
}
writeResult(strArg('name', 'ci-cpu'), { machine: machine(), files: FILES.length ? FILES : 'the unit step', wallS, treeCpuS, accountedS: accounted, kinds: Object.fromEntries(kinds), byFile, sharedFiles: { files: fileResults.length - ownFiles.length, processes: sharedForks.length, cpuS: sharedForks.reduce((a, t) => a + t.cpuS, 0) } });
