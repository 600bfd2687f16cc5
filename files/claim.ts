// Claiming the paths a command writes (DESIGN rule 6: write only what is ours). A command names all
// its outputs at once; every one is checked before any is created, so a refusal changes nothing:
//
//   folder  new (made), empty, or holding ovc's mark (files/marks.ts) — never a file, a link, a
//           folder without the mark (whatever its files are called), or one on a kernel file system
//   file    new, empty, or the very file ovc wrote there before (its mark beside it records it) —
//           never a link, a folder, or a file of anyone else
//
// Refusals are one sentence (PathRefused, exit 2), decided by lstat, statfs and access alone — no
// probe write, no read of a special file — so /proc, /sys or a FIFO cannot make the command hang.
// Folders above the named path are taken as the user gives them (a link there is followed, as the
// shell would); the named path itself and everything ovc creates under it are never followed.
import { accessSync, constants, readdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileMarkPath, holdsFolderMark, isMarkedFile, lstatOrNull, OUTPUT_MARK } from './marks.ts';
import { describeFsError, PathRefused } from './refusal.ts';
import { inUseBy, releaseFolderLock, takeFolderLock } from './lock.ts';
import { createMarkedFile, makeFolder, markFile, undoMade, writeFolderMark } from './write.ts';

/** One output of a command: the flag that named it (for the sentence), the path, and what it is. */
export interface OutputRequest {
  flag: string;
  path: string;
  kind: 'folder' | 'file' | 'append-file';
  /**
   * The folder is this command's alone while it runs (files/lock.ts): the long-running commands'
   * outputs (`ovc run --out` and `--record`, `ovc diff --out`). Not the state folder, which
   * concurrent runs share by design, nor a folder a library call writes in a long-lived process.
   */
  exclusive?: boolean;
}

/** Kernel file systems no output belongs on (statfs magic numbers, linux/magic.h). */
const SPECIAL_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2',
  0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x42494e4d: 'binfmt_misc',
};

/** The nearest part of `abs` that exists (lstat), and whether it is `abs` itself. */
function nearestExisting(abs: string): string {
  let cur = abs;
  while (lstatOrNull(cur) === null) {
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return cur;
}

function specialFs(p: string): string | null {
  try { return SPECIAL_FS[statfsSync(p).type] ?? null; } catch { return null; }
}

/** Why `req` may not be claimed, or null when it may. Reads only: lstat, statfs, readdir, access. */
function refusal(req: OutputRequest): string | null {
  try { return checked(req); } catch (e) { return `${req.flag}: cannot use '${req.path}': ${describeFsError(e)}.`; }
}

function checked(req: OutputRequest): string | null {
  const { flag, path } = req;
  const abs = resolve(path);
  const near = nearestExisting(abs);
  const fs = specialFs(near);
  if (fs) return `${flag}: '${path}' is on the kernel's ${fs} file system; give a ${req.kind === 'folder' ? 'folder' : 'file'} on a disk.`;
  const st = lstatOrNull(abs);
  if (st === null) {
    // New: the nearest existing part above must be a folder we may write into.
    let up: ReturnType<typeof statSync>;
    const what = `${flag}: cannot create the ${req.kind === 'folder' ? 'folder' : 'file'} '${path}'`;
    try { up = statSync(near); } catch (e) { return `${what}: ${describeFsError(e)}.`; }
    if (!up.isDirectory()) return `${what}: a part of the path is a file, not a folder.`;
    try { accessSync(near, constants.W_OK | constants.X_OK); } catch (e) { return `${what}: ${describeFsError(e)}.`; }
    return null;
  }
  if (st.isSymbolicLink()) return `${flag}: '${path}' is a symbolic link; give the real path (ovc never writes through a link).`;
  if (req.kind === 'folder') {
    if (!st.isDirectory()) return `${flag}: '${path}' is a file; give a folder (ovc never replaces a file).`;
    let names: string[];
    try { names = readdirSync(abs); } catch (e) { return `${flag}: cannot read the folder '${path}': ${describeFsError(e)}.`; }
    const mark = lstatOrNull(join(abs, OUTPUT_MARK));
    if (mark && !mark.isFile()) return `${flag}: the folder '${path}' holds a '${OUTPUT_MARK}' that is not ovc's mark (a link or a folder); give a new or empty folder.`;
    if (names.length > 0 && !mark) return `${flag}: the folder '${path}' holds files ovc did not write (e.g. '${names.sort()[0]}') and no ovc mark; give a new or empty folder, or one ovc wrote.`;
    try { accessSync(abs, constants.W_OK | constants.X_OK); } catch (e) { return `${flag}: cannot write into '${path}': ${describeFsError(e)}.`; }
    // A folder a live ovc holds (files/lock.ts) is refused to every command, locking or not: `ovc
    // report render --out` into a running `ovc run --out` would write under its reports.
    return mark ? inUseBy(abs, flag, path) : null;
  }
  if (st.isDirectory()) return `${flag}: '${path}' is a folder; give a file.`;
  if (!st.isFile()) return `${flag}: '${path}' is not a regular file.`;
  if (st.size > 0 && !isMarkedFile(abs, st)) return `${flag}: '${path}' exists and was not written by ovc; give a new file (ovc never writes into a file it did not write).`;
  try { accessSync(abs, constants.W_OK); accessSync(dirname(abs), constants.W_OK | constants.X_OK); } catch (e) { return `${flag}: cannot write '${path}': ${describeFsError(e)}.`; }
  return null;
}

/**
 * Claims every output of a command, or none: all are checked first, then folders are made and
 * marked (and append files created with their mark). A refusal or a failure half-way undoes what
 * this call made and throws PathRefused with one sentence. Returns the absolute paths, in order.
 */
export function claimOutputs(requests: readonly OutputRequest[]): string[] {
  for (const req of requests) {
    const why = refusal(req);
    if (why) throw new PathRefused(why);
  }
  const madeFolders: string[] = [];
  const madeMarks: string[] = [];
  const out: string[] = [];
  for (const req of requests) {
    const abs = resolve(req.path);
    try {
      if (req.kind === 'folder') {
        madeFolders.push(...makeFolder(abs));
        if (writeFolderMark(abs)) madeMarks.push(join(abs, OUTPUT_MARK));
      } else {
        madeFolders.push(...makeFolder(dirname(abs)));
        if (req.kind === 'append-file') {
          const st = lstatOrNull(abs);
          if (st === null) { createMarkedFile(abs); madeMarks.push(abs, fileMarkPath(abs)); }
          else if (!isMarkedFile(abs, st)) { markFile(abs); madeMarks.push(fileMarkPath(abs)); }
        }
      }
    } catch (e) {
      undoMade(madeMarks, madeFolders);
      throw new PathRefused(`${req.flag}: cannot ${lstatOrNull(abs) ? 'write into' : 'create'} '${req.path}': ${describeFsError(e)}.`);
    }
    out.push(abs);
  }
  // An exclusive folder is this command's alone while it runs (files/lock.ts): another live ovc
  // writing into one is a refusal, and the folders and marks this call made are undone.
  for (let i = 0; i < requests.length; i++) {
    const req = requests[i]!;
    if (req.kind !== 'folder' || !req.exclusive) continue;
    let busy: string | null;
    try { busy = takeFolderLock(out[i]!, req.flag, req.path); } catch (e) { busy = `${req.flag}: cannot lock '${req.path}' for this command: ${describeFsError(e)}.`; }
    if (busy) {
      for (let j = 0; j < i; j++) releaseFolderLock(out[j]!);
      undoMade(madeMarks, madeFolders);
      throw new PathRefused(busy);
    }
  }
  return out;
}

/** Whether `dir` is a folder ovc claimed (it holds the mark). */
export const isOurFolder = (dir: string): boolean => lstatOrNull(dir)?.isDirectory() === true && holdsFolderMark(dir);
