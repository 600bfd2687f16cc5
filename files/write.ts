// Every write, append, rename, remove and mkdir of ovc (DESIGN rule 6: write only what is ours).
// No call here follows a symbolic link it did not make: files are created exclusively (`wx`, which
// refuses a link at the name) or opened with O_NOFOLLOW, and a whole file is written under a
// temporary name in its own folder and renamed over the old one (a rename replaces a link, it
// never writes through it). Removing needs proof the thing is ovc's: a folder mark in it or in a
// folder above it (files/marks.ts), or a file mark beside it.
import { closeSync, constants, cpSync, createWriteStream, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { FOLDER_MARK_TEXT, fileMarkPath, fileMarkText, holdsFolderMark, identityOf, insideMarkedFolder, isMarkedFile, type FileIdentity, lstatOrNull, OUTPUT_MARK, readFileMark } from './marks.ts';
import { PathRefused } from './refusal.ts';

const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** A temporary name beside `path`, unique to this process and call. */
const tempNameFor = (path: string): string => join(dirname(path), `.${basename(path)}.ovc-tmp-${process.pid}-${randomBytes(4).toString('hex')}`);

/** Creates `path` (and missing folders above it); never follows a link at `path` itself. Returns the folders it made, outermost first. */
export function makeFolder(path: string): string[] {
  const abs = resolve(path);
  const missing: string[] = [];
  let cur = abs;
  for (let st = lstatOrNull(cur); st === null; st = lstatOrNull(cur)) {
    missing.unshift(cur);
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  if (missing.length === 0 && !lstatOrNull(abs)!.isDirectory()) {
    throw Object.assign(new Error(`'${abs}' is not a folder`), { code: lstatOrNull(abs)!.isSymbolicLink() ? 'ELOOP' : 'ENOTDIR' });
  }
  const made: string[] = [];
  for (const dir of missing) {
    try {
      mkdirSync(dir);
      made.push(dir);
    } catch (e) {
      // Made at the same moment by another process (two runs sharing a new parent folder, or a new
      // state folder): a folder is what was wanted, and it is not this call's to undo.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || lstatOrNull(dir)?.isDirectory() !== true) throw e;
    }
  }
  return made;
}

/** Writes the folder mark into `dir` (created exclusively: a link planted under its name is refused). */
export function writeFolderMark(dir: string): boolean {
  if (holdsFolderMark(dir)) return false;
  try {
    writeFileSync(join(dir, OUTPUT_MARK), FOLDER_MARK_TEXT, { flag: 'wx' });
  } catch (e) {
    // Another ovc marked it between the look and the write (two runs claiming a new folder at once).
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && holdsFolderMark(dir)) return false;
    throw e;
  }
  return true;
}

/** Replaces `path` whole: written under a temporary name beside it, then renamed over it. */
export function writeFileAtomic(path: string, content: string | Buffer): void {
  const tmp = tempNameFor(path);
  try {
    writeFileSync(tmp, content, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Replaces an output file the user named (claimed by files/claim.ts) and keeps its mark true: the
 * new file's identity is recorded before it is renamed in, so whatever stops ovc the mark names the
 * file at the path. Refuses, changing nothing, when the path has since become something not ovc's.
 */
export function writeOutputFile(what: string, path: string, content: string | Buffer): void {
  const abs = resolve(path);
  const st = lstatOrNull(abs);
  if (st && !(st.isFile() && (st.size === 0 || isMarkedFile(abs, st)))) throw new PathRefused(`${what}: '${path}' changed while ovc was writing and is not ovc's any more; nothing written.`);
  const tmp = tempNameFor(abs);
  try {
    const fd = openSync(tmp, 'wx');
    let made: FileIdentity;
    try { writeFileSync(fd, content); made = identityOf(fstatSync(fd)); } finally { closeSync(fd); }
    writeFileAtomic(fileMarkPath(abs), fileMarkText(abs, [made, ...readFileMark(abs)]));
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Creates an output file the user named (new), with its mark; a link or anything at the name is refused by the exclusive create. */
export function createMarkedFile(path: string): void {
  const fd = openSync(path, 'wx');
  try { writeFileAtomic(fileMarkPath(path), fileMarkText(path, [identityOf(fstatSync(fd))])); } finally { closeSync(fd); }
}

/** Records the regular file at `path` (lstat, not followed) as ovc's in its mark. */
export function markFile(path: string): void {
  const st = lstatOrNull(path);
  if (!st?.isFile()) throw Object.assign(new Error(`'${path}' is not a regular file`), { code: 'ELOOP' });
  writeFileAtomic(fileMarkPath(path), fileMarkText(path, [identityOf(st), ...readFileMark(path)]));
}

/** Appends `text` to `path` (created when missing); a link at the name is refused (O_NOFOLLOW). */
export function appendText(path: string, text: string): void {
  const fd = openSync(path, APPEND, 0o666);
  try { writeFileSync(fd, text); } finally { closeSync(fd); }
}

/** An append stream on a claimed output file, opened without following a link. */
export function appendStream(path: string): WriteStream {
  return createWriteStream('', { fd: openSync(path, APPEND, 0o666) });
}

/** A new folder in the system's temporary folder, marked as ovc's (so only ovc's sweeps remove it). */
export function makeTempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFolderMark(dir);
  return dir;
}

/**
 * The work folder of a command (`ovc run`, `ovc pact verify`; `ovc sdk-test`'s scratch folder and
 * `ovc pact publish-provider-contract`'s with a name for an id): a temporary folder named after the
 * process that owns it, `ovc-run-<pid>-<id>-*`, so that one left by a killed process is found and
 * removed by the next command that sweeps (sweepStaleWorkFolders: run, pact verify, sdk-test).
 */
export function makeWorkFolder(runId: string): string {
  return makeTempFolder(`ovc-run-${process.pid}-${runId}-`);
}

/** Removes the work folders whose process is gone (killed before it could remove its own). */
export function sweepStaleWorkFolders(root = tmpdir()): number {
  let n = 0;
  let names: string[];
  try { names = readdirSync(root); } catch { return 0; }
  for (const name of names) {
    const m = /^ovc-run-(\d+)-/.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid) continue;
    try { process.kill(pid, 0); continue; } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EPERM') continue; }
    if (removeOurs(join(root, name))) n++;
  }
  return n;
}

/**
 * Removes `path` and what is in it, when it is ovc's: a folder holding the mark, anything inside a
 * marked folder, or a file whose mark records it (the mark goes with it). A link is removed, never
 * followed. Returns false, removing nothing, when it is not ovc's; true when it is gone.
 */
export function removeOurs(path: string): boolean {
  const abs = resolve(path);
  const st = lstatOrNull(abs);
  if (st === null) return true;
  if (st.isDirectory() ? insideMarkedFolder(abs) : insideMarkedFolder(dirname(abs))) {
    rmSync(abs, { recursive: true, force: true });
    return true;
  }
  if (isMarkedFile(abs, st)) {
    unlinkSync(abs);
    rmSync(fileMarkPath(abs), { force: true });
    return true;
  }
  return false;
}

/**
 * Copies the tree at `from` to `to`, which must lie inside a folder of ovc's (a marked one, such as
 * a temporary folder from makeTempFolder) and not exist yet; links inside the tree are copied as
 * links, never followed into what they point at.
 */
export function copyTreeInto(from: string, to: string): void {
  const abs = resolve(to);
  if (!insideMarkedFolder(dirname(abs))) throw new PathRefused(`'${to}' is not inside a folder of ovc's; nothing copied.`);
  if (lstatOrNull(abs) !== null) throw Object.assign(new Error(`'${abs}' exists`), { code: 'EEXIST' });
  cpSync(from, abs, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
}

/** Undoes a claim that was cut short: the marks it wrote, then the folders it made (innermost first, only when empty). */
export function undoMade(marks: readonly string[], folders: readonly string[]): void {
  for (const m of marks) rmSync(m, { force: true });
  for (const d of [...folders].reverse()) { try { rmdirSync(d); } catch { /* not empty any more: keep it */ } }
}
