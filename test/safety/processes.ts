// What a test needs to watch `ovc run` as a process tree: its descendants (from /proc), whether any
// is still alive, and the run started the way CI runners start it (its own process group).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { OVC, ROOT } from '../selftest/run-cli.ts';

/** Every process's pid, from /proc. */
function pids(): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Every process whose parent chain leads to `pid` (not `pid` itself). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of pids()) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(name, ppid);
    } catch { /* gone meanwhile */ }
  }
  const out: number[] = [];
  const walk = (p: number): void => { for (const [c, pp] of parent) if (pp === p) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

/** Live suite children started for the `ovc` process `pid` (run/child.ts takes its parent's pid as its last argument). */
export function suiteChildrenOf(pid: number): number[] {
  return pids().filter((p) => {
    try {
      const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return argv.some((a) => /[\\/]run[\\/]child\.[jt]s$/.test(a)) && argv.at(-1) === String(pid) && alive(p);
    } catch { return false; /* gone meanwhile */ }
  });
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch { return false; }
}

export interface StartedRun { child: ChildProcess; out: () => string; err: () => string; done: Promise<number | null> }

/** `ovc run …` in a process group of its own (as CI runners start jobs), output collected; `bin`: another build's bin.js. */
export function startRun(args: string[], env: Record<string, string>, bin: string = OVC): StartedRun {
  const child = spawn(process.execPath, [bin, 'run', ...args], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PACT_DO_NOT_TRACK: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => { stdout += d; });
  child.stderr!.on('data', (d) => { stderr += d; });
  const done = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  return { child, out: () => stdout, err: () => stderr, done };
}

export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
