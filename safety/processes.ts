// Processes a command starts that must end with it, however it ends (docs/safety.md, "Processes"):
// `ovc sdk-test`'s toolchain commands, the pact binaries that publish. Each runs in a process group
// of its own, so that what it starts (`go test`'s test binary, Maven's forks, the Rust binary a
// pact launcher waits on) ends with it, at the timeout and on a stop. A kill -9 of the command runs
// none of its own code, so the group also holds a watcher: a shell that checks every half second
// that the command (this process) is alive and, once it is not, kills the group. Linux has no
// parent-death signal for Node to ask for; without the watcher the SDK's tests and a publishing
// ran on after the command that started them.
import { spawn } from 'node:child_process';

export interface TiedExit { code: number | null; stdout: string; stderr: string }

export interface TiedOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Once aborted, the group is sent `killSignal` (the command's stop). */
  signal?: AbortSignal;
  /** How the group is ended at the timeout or on `signal`. */
  killSignal: NodeJS.Signals;
}

/**
 * `sh -c WATCHED ovc-watch <ovc pid> <cmd> <args…>`: runs the command, and beside it (its output
 * not on the command's pipes, so it never holds them open) a loop that kills the whole group once
 * the pid is gone; the shell's exit status is the command's. Gone includes a zombie: a killed `ovc`
 * that nothing has reaped yet (a container's init may take its time) still answers `kill -0`, so
 * where /proc is, the state is read there; elsewhere `kill -0` decides.
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

/** Windows has neither /bin/sh nor process groups: there the command runs as a plain child. */
const PLAIN = process.platform === 'win32';

/**
 * Runs `cmd` tied to this process (above) and collects its output. On Windows only the command
 * itself is ended at the timeout or on a stop; what it started, and a kill -9 of `ovc`, are not.
 */
export function runTied(cmd: string, args: readonly string[], o: TiedOptions): Promise<TiedExit> {
  return new Promise((resolvePromise, reject) => {
    const where = { ...(o.cwd !== undefined ? { cwd: o.cwd } : {}), env: o.env, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
    const child = PLAIN
      ? spawn(cmd, args, { ...where, windowsHide: true })
      : spawn('/bin/sh', ['-c', WATCHED, 'ovc-watch', String(process.pid), cmd, ...args], { ...where, detached: true });
    const end = (): void => { try { if (PLAIN) child.kill(o.killSignal); else process.kill(-child.pid!, o.killSignal); } catch { /* gone */ } };
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const timer = setTimeout(end, o.timeoutMs);
    o.signal?.addEventListener('abort', end, { once: true });
    const done = (): void => { clearTimeout(timer); o.signal?.removeEventListener('abort', end); };
    child.on('error', (e) => { done(); reject(e); });
    child.on('close', (code) => { done(); resolvePromise({ code, stdout, stderr }); });
  });
}
