// An output folder in use. While a long-running command writes into a folder it claimed as its own
// (`ovc run --out` and `--record`, `ovc diff --out`: OutputRequest.exclusive) the folder holds
// LOCK_FILE naming the process. A second ovc claiming the same folder meanwhile is refused (exit 2,
// one sentence): two `ovc diff`s on one --out removed each other's side folders while their runs
// wrote into them, and two runs on one --out mixed their reports. The lock goes when its process
// exits (however it exits short of kill -9); one whose process is gone — killed, a pid now another
// program's, or on another host and a day old — is taken over. Within one process a folder may be
// claimed again (the project's own tests do): the lock is the process's.
import { linkSync, readFileSync, readlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = '.ovc-lock';

export interface LockOwner { pid: number; host: string; startedAt: string; pidNs: string | null; command: string }

/** A lock left on another host is taken for stale only after this long (its pid cannot be checked from here). */
const OTHER_HOST_STALE_MS = 24 * 3600_000;

/** This process's pid namespace (Linux), so a pid is only looked up where it means something. */
export function pidNamespace(): string | null {
  try { return readlinkSync('/proc/self/ns/pid'); } catch { return null; }
}

/**
 * Whether `pid` on this host is a live ovc (a node process). A pid that is gone, or reused by
 * another program, is not; without /proc a live pid is taken for it.
 */
export function pidIsOvc(pid: number): boolean {
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  try {
    return /node|ovc/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch { return true; }
}

/** Whether a pid recorded with this host and pid namespace can be looked up from here (an older record without a namespace: by host alone). */
export function pidVisibleHere(host: string, pidNs: string | null | undefined): boolean {
  const ns = pidNamespace();
  return host === hostname() && (pidNs == null || ns === null || pidNs === ns);
}

/** Whether the process a lock names is still there: by its pid on this host and pid namespace, else by the lock's age. */
export function lockHolderAlive(o: LockOwner, now = Date.now()): boolean {
  if (!pidVisibleHere(o.host, o.pidNs)) return now - Date.parse(o.startedAt) < OTHER_HOST_STALE_MS;
  return pidIsOvc(o.pid);
}

function readLock(dir: string): LockOwner | null {
  try {
    const o = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string' ? o : null;
  } catch { return null; }
}

const held = new Set<string>();
let releasing = false;

/** Whether a lock names this very process. */
const isMine = (o: LockOwner | null): boolean => o !== null && o.pid === process.pid && o.host === hostname();

/** Removes the lock in `dir` when it still names this process (one taken over after a stall is the new holder's). */
function dropIfMine(dir: string): void {
  if (isMine(readLock(dir))) { try { unlinkSync(join(dir, LOCK_FILE)); } catch { /* already gone */ } }
}

/** Removes this process's locks as it exits. */
function releaseAll(): void {
  for (const dir of held) dropIfMine(dir);
  held.clear();
}

/** Gives up this process's lock of `abs` (a claim refused half-way). */
export function releaseFolderLock(abs: string): void {
  if (held.delete(abs)) dropIfMine(abs);
}

function inUseSentence(other: LockOwner, flag: string, path: string): string {
  const what = other.command ? `ovc ${other.command}` : 'ovc';
  return `${flag}: '${path}' is in use by another ${what} (pid ${other.pid}${other.host === hostname() ? '' : ` on ${other.host}`}, since ${other.startedAt}); give another folder, or wait for it to end.`;
}

/** Why a claim of `abs` is refused because another live ovc holds it (one sentence), or null. Reads only. */
export function inUseBy(abs: string, flag: string, path: string): string | null {
  if (held.has(abs)) return null;
  const other = readLock(abs);
  if (!other || isMine(other)) return null;
  return lockHolderAlive(other) ? inUseSentence(other, flag, path) : null;
}

/** File systems without hard links (some network and FUSE mounts, FAT) answer a link with one of these. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/**
 * Puts the lock in place, or throws EEXIST. Linked in from its written copy where the file system
 * has hard links; elsewhere created exclusively and then written (a claimant reading it in between
 * finds no lock it can read and takes it over: the race such a file system leaves).
 */
function placeLock(tmp: string, file: string, mine: LockOwner): void {
  try {
    linkSync(tmp, file);
  } catch (e) {
    if (!NO_LINKS.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
    writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
  }
}

/**
 * Takes the lock of the claimed folder `abs`, or returns why not (one sentence): another live ovc
 * holds it. A lock whose holder is gone, or that cannot be read, is replaced.
 */
export function takeFolderLock(abs: string, flag: string, path: string): string | null {
  if (held.has(abs)) return null;
  const file = join(abs, LOCK_FILE);
  const mine: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), pidNs: pidNamespace(), command: process.argv.slice(2, 3).join(' ') };
  // Written whole under a name of its own, then linked in: the lock appears with its content or not
  // at all (a link fails if the name exists), so no claimant ever reads a half-written lock.
  const tmp = join(abs, `${LOCK_FILE}.${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        placeLock(tmp, file, mine);
        held.add(abs);
        if (!releasing) { releasing = true; process.on('exit', releaseAll); }
        return null;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const other = readLock(abs);
      if (isMine(other)) { held.add(abs); return null; }
      if (other && lockHolderAlive(other)) return inUseSentence(other, flag, path);
      // Its holder is gone (killed), or it is not a lock ovc wrote: taken over. (Two claimants taking
      // over the same dead lock at the same instant may both get the folder: the one race left.)
      try { unlinkSync(file); } catch { /* the other claimant took it first */ }
    }
    return `${flag}: '${path}' is being claimed by another ovc at this moment; give another folder, or try again.`;
  } finally {
    try { unlinkSync(tmp); } catch { /* gone */ }
  }
}
