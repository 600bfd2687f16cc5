// Paths the user names: every input is checked before it is read, every output folder is claimed
// before anything is written into it (DESIGN rule 6: write only what is ours). A bad path is a
// UsageError with one sentence (exit 2), decided without touching the file system beyond stat,
// statfs and a probe file in a folder that is already ours — so a special file system (/proc,
// /sys) cannot make the command hang.
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.ts';

/** The file `ovc` writes into every folder it owns; a folder holding it may be written again. */
export const OUTPUT_MARK = '.ovc-output';

/** Names earlier `ovc` versions wrote into an output folder (before the mark existed). */
const KNOWN_OUTPUTS = new Set([
  'results.jsonl', 'junit.xml', 'matrix.json', 'summary.json', 'summary.md', 'report.html', 'failures.har', '.work',
  'meta.json', 'exchanges.jsonl', 'diff.jsonl', 'diff.md', 'diff.html', 'sides', 'baseline.yaml', 'merged.json',
]);
const isOursByName = (n: string): boolean => KNOWN_OUTPUTS.has(n) || n === OUTPUT_MARK || /\.ovc-tmp-\d+$/.test(n) || n.startsWith('.ovc-staging-');

/** Kernel file systems no report belongs on (statfs magic numbers, linux/magic.h). */
const SPECIAL_FS: Record<number, string> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2',
  0x64626720: 'debugfs', 0x74726163: 'tracefs', 0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x42494e4d: 'binfmt_misc',
};

function describe(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EROFS': return 'the file system is read-only';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    case 'ENOSPC': return 'no space left on the device';
    case 'ENAMETOOLONG': return 'the path is too long';
    case 'ELOOP': return 'the path loops through symbolic links';
    default: return (e as Error).message;
  }
}

/** The nearest part of `p` that exists (p itself when it exists). */
function nearestExisting(p: string): string {
  let cur = resolve(p);
  while (!existsSync(cur)) {
    const up = dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return cur;
}

/** The special file system `p` would be on, or null. */
function specialFs(p: string): string | null {
  try {
    return SPECIAL_FS[statfsSync(nearestExisting(p)).type] ?? null;
  } catch {
    return null;
  }
}

/** Commander parser for a file the command reads: it must exist, be a regular file and be readable. */
export function inputFile(flag: string) {
  return (v: string): string => {
    checkInputFile(`--${flag}`, v);
    return v;
  };
}

export function checkInputFile(what: string, v: string): void {
  let st;
  try { st = statSync(v); } catch (e) {
    throw new UsageError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${what}: no such file '${v}'.` : `${what}: cannot read '${v}': ${describe(e)}.`);
  }
  if (st.isDirectory()) throw new UsageError(`${what}: '${v}' is a folder; give a file.`);
  if (!st.isFile()) throw new UsageError(`${what}: '${v}' is not a regular file.`);
  try { accessSync(v, constants.R_OK); } catch (e) { throw new UsageError(`${what}: cannot read '${v}': ${describe(e)}.`); }
}

/** Commander parser for a folder the command reads. */
export function inputDir(flag: string) {
  return (v: string): string => {
    checkInputDir(`--${flag}`, v);
    return v;
  };
}

export function checkInputDir(what: string, v: string): void {
  let st;
  try { st = statSync(v); } catch (e) {
    throw new UsageError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${what}: no such folder '${v}'.` : `${what}: cannot read '${v}': ${describe(e)}.`);
  }
  if (!st.isDirectory()) throw new UsageError(`${what}: '${v}' is a file; give a folder.`);
  try { accessSync(v, constants.R_OK | constants.X_OK); } catch (e) { throw new UsageError(`${what}: cannot read '${v}': ${describe(e)}.`); }
}

/**
 * Makes `dir` an output folder of ovc, or refuses with one sentence: a file, a special file system,
 * an unwritable place, or a non-empty folder that ovc did not write are refused and left as they
 * are. A new or empty folder, one with the mark, or one holding only names ovc writes is claimed
 * (the mark is written). Returns the absolute path.
 */
export function claimOutputDir(what: string, dir: string): string {
  const abs = resolve(dir);
  const fs = specialFs(abs);
  if (fs) throw new UsageError(`${what}: '${dir}' is on the kernel's ${fs} file system; give a folder on a disk.`);
  if (existsSync(abs)) {
    let st;
    try { st = statSync(abs); } catch (e) { throw new UsageError(`${what}: cannot use '${dir}': ${describe(e)}.`); }
    if (!st.isDirectory()) throw new UsageError(`${what}: '${dir}' is a file; give a folder (ovc never replaces a file).`);
    let names: string[];
    try { names = readdirSync(abs); } catch (e) { throw new UsageError(`${what}: cannot read the folder '${dir}': ${describe(e)}.`); }
    if (!names.includes(OUTPUT_MARK)) {
      const foreign = names.filter((n) => !isOursByName(n));
      if (foreign.length > 0) throw new UsageError(`${what}: the folder '${dir}' holds files ovc did not write (e.g. '${foreign[0]}'); give a new or empty folder, or one an earlier ovc run wrote.`);
    }
  } else {
    try { mkdirSync(abs, { recursive: true }); } catch (e) { throw new UsageError(`${what}: cannot create the folder '${dir}': ${describe(e)}.`); }
  }
  try { writeFileSync(join(abs, OUTPUT_MARK), 'This folder was written by ovc (oss-vectors-conformance); ovc may write it again.\n'); } catch (e) {
    throw new UsageError(`${what}: cannot write into '${dir}': ${describe(e)}.`);
  }
  return abs;
}

/**
 * Checks that `file` may be written as an output file: its folder exists or can be made, and the
 * file itself is new, empty, or passes `isOurs` (a file an earlier ovc run wrote).
 */
export function checkOutputFile(what: string, file: string, isOurs: (text: string) => boolean): string {
  const abs = resolve(file);
  const fs = specialFs(abs);
  if (fs) throw new UsageError(`${what}: '${file}' is on the kernel's ${fs} file system; give a file on a disk.`);
  if (existsSync(abs)) {
    const st = statSync(abs);
    if (st.isDirectory()) throw new UsageError(`${what}: '${file}' is a folder; give a file.`);
    if (!st.isFile()) throw new UsageError(`${what}: '${file}' is not a regular file.`);
    let text = '';
    try { text = readFileSync(abs, 'utf8').slice(0, 4096); } catch (e) { throw new UsageError(`${what}: cannot read '${file}': ${describe(e)}.`); }
    if (text.length > 0 && !isOurs(text)) throw new UsageError(`${what}: '${file}' exists and was not written by ovc; give a new file (ovc never writes into a file it did not write).`);
  } else {
    try { mkdirSync(dirname(abs), { recursive: true }); } catch (e) { throw new UsageError(`${what}: cannot create the folder of '${file}': ${describe(e)}.`); }
  }
  try { closeSync(openSync(abs, 'a')); } catch (e) { throw new UsageError(`${what}: cannot write '${file}': ${describe(e)}.`); }
  return abs;
}
