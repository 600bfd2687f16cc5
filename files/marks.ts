// How ovc recognises what it wrote. File names prove nothing (a folder of the user's may hold a
// `summary.json`; a `package.json` begins with `{`): only a mark does.
//
//   folder  ovc's when it holds `.ovc-output`, a regular file (not a link), which ovc writes into
//           every output folder when it claims it; everything inside a marked folder is ovc's.
//   file    ovc's when the regular file `.<name>.ovc-output` beside it records the file's identity
//           (device and inode; the last two, as a replaced file changes inode when renamed in),
//           and the file at the name is a regular file with one of them. A file put there by
//           anyone else, or a link, has another identity and is refused.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The mark ovc writes into every folder it owns; a folder holding it may be written again. */
export const OUTPUT_MARK = '.ovc-output';

export const FOLDER_MARK_TEXT = 'This folder was written by ovc (oss-vectors-conformance); ovc may write it again.\n';

/** Where the mark of an output file is kept: beside it, hidden. */
export function fileMarkPath(file: string): string {
  return join(dirname(file), `.${basename(file)}${OUTPUT_MARK}`);
}

/** lstat, or null when nothing is there (a file in the way of the path counts as nothing there). */
export function lstatOrNull(p: string): Stats | null {
  try { return lstatSync(p); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

/** Whether `dir` holds ovc's mark (a regular file, never a link). */
export function holdsFolderMark(dir: string): boolean {
  const st = lstatOrNull(join(dir, OUTPUT_MARK));
  return st !== null && st.isFile();
}

/** Whether `p` lies inside a folder that holds ovc's mark (itself included when a folder). */
export function insideMarkedFolder(p: string): boolean {
  for (let cur = p, up = dirname(cur); ; cur = up, up = dirname(cur)) {
    const st = lstatOrNull(cur);
    if (st?.isDirectory() && holdsFolderMark(cur)) return true;
    if (up === cur) return false;
  }
}

/** The identity a file mark records. */
export interface FileIdentity { dev: number; ino: number }

export const identityOf = (st: Stats): FileIdentity => ({ dev: st.dev, ino: st.ino });

/** What the mark beside `file` records, or [] when there is none (or it is a link, or unreadable). */
export function readFileMark(file: string): FileIdentity[] {
  const mark = fileMarkPath(file);
  let fd: number;
  try { fd = openSync(mark, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK); } catch { return []; }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > 4096) return [];
    const buf = Buffer.alloc(st.size);
    readSync(fd, buf, 0, st.size, 0);
    const parsed = JSON.parse(buf.toString('utf8')) as { ovc?: unknown; file?: unknown; identities?: unknown };
    if (parsed.ovc !== 'output-file' || parsed.file !== basename(file) || !Array.isArray(parsed.identities)) return [];
    return parsed.identities.filter((i): i is FileIdentity => typeof i?.dev === 'number' && typeof i?.ino === 'number');
  } catch { return []; } finally { closeSync(fd); }
}

/** The text of a file mark recording `identities` (newest first). */
export function fileMarkText(file: string, identities: readonly FileIdentity[]): string {
  return `${JSON.stringify({ ovc: 'output-file', file: basename(file), identities: identities.slice(0, 2), note: 'ovc (oss-vectors-conformance) wrote the file beside this one and may write it again' })}\n`;
}

/** Whether the file at `file` (lstat, not followed) is the one its mark records. */
export function isMarkedFile(file: string, st: Stats): boolean {
  return st.isFile() && readFileMark(file).some((i) => i.dev === st.dev && i.ino === st.ino);
}
