// Runs one toolchain command of `ovc sdk-test` and collects its output (killed at the timeout).
// Each command runs in a process group of its own, so that what it starts (`go test`'s test
// binary, Maven's forks) ends with it: at the timeout, and when the command is stopped
// (stopToolchains: a signal, or the end of the outer command). A kill -9 of `ovc sdk-test` runs
// none of that, so the group also holds a watcher: a shell that checks every half second that
// this process is alive and, once it is not, kills the group (Linux has no parent-death signal
// for Node to ask for). Without it the SDK's tests ran on after the command that started them.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Exec { code: number | null; stdout: string; stderr: string }

/** The toolchain processes under way. */
const live = new Set<ChildProcess>();
let stopped = false;

/**
 * `sh -c WATCHED ovc-sdk-test-watch <ovc pid> <cmd> <args…>`: runs the command, and beside it (its
 * output not on the command's pipes, so it never holds them open) a loop that kills the whole
 * group once the pid is gone; the shell's exit status is the command's. Gone includes a zombie: a
 * killed `ovc` whose parent does not reap it (a container's init may not, for a while) still
 * answers `kill -0`, so where /proc is, its state is read there; elsewhere `kill -0` decides.
 */
const WATCHED = [
  'ovc=$1; shift',
  'alive() {',
  '  if [ -r "/proc/$$/stat" ]; then',
  '    { read -r s < "/proc/$ovc/stat"; } 2>/dev/null || return 1',
  '    s=${s##*) }; [ "${s%% *}" != Z ]',
  '  else kill -0 "$ovc" 2>/dev/null; fi',
  '}',
  '"$@" & command=$!',
  '( while alive; do sleep 0.5; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 & watcher=$!',
  'wait "$command"; status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

/** Kills a process group (the child and all it started); nothing when it is gone already. */
function killGroup(child: ChildProcess): void {
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
}

export function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Exec> {
  // Stopped: no new toolchain command starts; the caller gets "no result".
  if (stopped) return Promise.resolve({ code: null, stdout: '', stderr: 'ovc sdk-test was stopped' });
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', ['-c', WATCHED, 'ovc-sdk-test-watch', String(process.pid), cmd, ...args], {
      cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const timer = setTimeout(() => killGroup(child), opts.timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); live.delete(child); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); live.delete(child); resolvePromise({ code, stdout, stderr }); });
  });
}

/** A command begins: toolchain commands may start (again, in a process that ran one before). */
export function startToolchains(): void {
  stopped = false;
}

/** Ends every toolchain command under way, with what it started, and starts no other. */
export function stopToolchains(): void {
  stopped = true;
  for (const child of live) killGroup(child);
}
