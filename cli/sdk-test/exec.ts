// Runs one toolchain command of `ovc sdk-test` and collects its output: tied to this process
// (safety/processes.ts: a process group of its own with a watcher), killed with what it started at
// the timeout and when the command is stopped (stopToolchains: a signal, or the end of the outer
// command), and by the watcher after a kill -9 of the command.
import { runTied, type TiedExit } from '../../safety/processes.ts';

export type Exec = TiedExit;

/** Aborted by stopToolchains: the commands under way are killed, no new one starts. */
let stop = new AbortController();

export function run(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Exec> {
  // Stopped: no new toolchain command starts; the caller gets "no result".
  if (stop.signal.aborted) return Promise.resolve({ code: null, stdout: '', stderr: 'ovc sdk-test was stopped' });
  return runTied(cmd, args, { ...opts, signal: stop.signal, killSignal: 'SIGKILL' });
}

/** A command begins: toolchain commands may start (again, in a process that ran one before). */
export function startToolchains(): void {
  if (stop.signal.aborted) stop = new AbortController();
}

/** Ends every toolchain command under way, with what it started, and starts no other. */
export function stopToolchains(): void {
  stop.abort();
}
