// A command timed as a process tree: bash runs it, and its `times` builtin gives the CPU (user +
// system) of every process it waited for, threads and grandchildren included.
import { spawnSync } from 'node:child_process';

export interface Timed { wallMs: number; cpuMs: number; exit: number; stderr: string }

/** The CPU of bash's children in ms, from `times`' last line ("0m1.350s 0m0.370s"); NaN without one. */
export function childCpuMs(timesOutput: string): number {
  const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(timesOutput.trim().split('\n').at(-1) ?? '');
  return m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000 : NaN;
}

/** Runs `script` (its output discarded) in a brace group of one bash: wall time around it, its tree's CPU, its exit status. */
export function timedShell(script: string, o: { cwd: string; env: NodeJS.ProcessEnv }): Timed {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', `{ ${script}; } >/dev/null 2>&1; code=$?; times; exit $code`], { cwd: o.cwd, env: o.env, encoding: 'utf8' });
  return { wallMs: performance.now() - t0, cpuMs: childCpuMs(r.stdout), exit: r.status ?? -1, stderr: r.stderr };
}
