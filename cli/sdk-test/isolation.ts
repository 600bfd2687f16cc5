// The isolated run of `ovc sdk-test`: this command again, inside `unshare -rnm` (new user, network
// and mount namespaces; no root needed) with only loopback up and a private resolver — a
// resolv.conf naming 127.0.0.1, bind-mounted over /etc/resolv.conf, answered by resolver.ts — so
// nothing the tests do can leave the machine, and every SDK's virtual-hosted names reach the
// emulator through the system's own resolver.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ovcEntry } from '../package-files.ts';

/** Whether user + network + mount namespaces work here. */
export function namespacesAvailable(): boolean {
  return spawnSync('unshare', ['-rnm', 'true'], { stdio: 'ignore' }).status === 0;
}

export const EXIT_NO_LOOPBACK = 3;
export const EXIT_NO_BIND_MOUNT = 4;

/**
 * Runs `ovc <args>` inside the namespaces, output inherited. `unshare` and `sh` exec into it, so the
 * child's pid is the inner `ovc` itself: a stop sends it SIGTERM. Resolves to its exit status.
 */
export function runInNamespace(args: readonly string[], resolvConf: string): { child: ChildProcess; status: Promise<number | null> } {
  const script = `ip link set lo up || exit ${EXIT_NO_LOOPBACK}; mount --bind "$0" /etc/resolv.conf || exit ${EXIT_NO_BIND_MOUNT}; exec "$@"`;
  const child = spawn('unshare', ['-rnm', 'sh', '-c', script, resolvConf, process.execPath, ovcEntry(), ...args], { stdio: 'inherit', env: process.env });
  const status = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  return { child, status };
}
