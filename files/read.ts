// Reading the files a user names, bounded: the size is checked (fstat of the opened file) before a
// byte is read, so `--baseline /path/to/3GB` is refused in milliseconds instead of read whole.
// Opened non-blocking, so a FIFO or a device is refused rather than waited on.
import { accessSync, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { describeFsError, PathRefused } from './refusal.ts';

const MiB = 1024 * 1024;

/** The largest input ovc reads, by kind (docs/safety.md, "Files"). */
export const INPUT_BOUNDS = {
  /** --baseline of ovc run / report / diff: a list of deviations with reasons. */
  baseline: 16 * MiB,
  /** --ca-file: a PEM bundle (the system's whole bundle is ~0.2 MiB). */
  caFile: 4 * MiB,
  /** results.jsonl of a run folder (--from, report merge) and a cassette's exchanges (evidence is bounded per run). */
  runRecords: 512 * MiB,
  /** summary.json, meta.json and other small files of a run folder or cassette. */
  runMeta: 16 * MiB,
  /** A pact file (verify, publish). */
  pact: 64 * MiB,
} as const;

const size = (n: number): string => (n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`);

/**
 * The content of `path` when it is a regular file of at most `maxBytes`; otherwise PathRefused with
 * one sentence naming `what` (a flag or a file's role). A file that grows while read is cut at the
 * bound and refused.
 */
export function readBounded(path: string, maxBytes: number, what: string): Buffer {
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); } catch (e) {
    throw new PathRefused((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${what}: no such file '${path}'.` : `${what}: cannot read '${path}': ${describeFsError(e)}.`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new PathRefused(`${what}: '${path}' is a folder; give a file.`);
    if (!st.isFile()) throw new PathRefused(`${what}: '${path}' is not a regular file.`);
    if (st.size > maxBytes) throw new PathRefused(`${what}: '${path}' is ${size(st.size)}; ovc reads at most ${size(maxBytes)} from it.`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0;
    for (let n = 1; n > 0 && got < buf.length; got += n) n = readSync(fd, buf, got, buf.length - got, got);
    if (got > maxBytes) throw new PathRefused(`${what}: '${path}' grew past ${size(maxBytes)} while ovc read it.`);
    return buf.subarray(0, got);
  } finally { closeSync(fd); }
}

/** readBounded as UTF-8 text. */
export const readTextBounded = (path: string, maxBytes: number, what: string): string => readBounded(path, maxBytes, what).toString('utf8');

/** A file the command reads must exist, be a regular file and be readable (checked before anything runs). */
export function checkInputFile(what: string, v: string): void {
  let st;
  try { st = statSync(v); } catch (e) {
    throw new PathRefused((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${what}: no such file '${v}'.` : `${what}: cannot read '${v}': ${describeFsError(e)}.`);
  }
  if (st.isDirectory()) throw new PathRefused(`${what}: '${v}' is a folder; give a file.`);
  if (!st.isFile()) throw new PathRefused(`${what}: '${v}' is not a regular file.`);
  try { accessSync(v, constants.R_OK); } catch (e) { throw new PathRefused(`${what}: cannot read '${v}': ${describeFsError(e)}.`); }
}

/** A folder the command reads must exist and be readable. */
export function checkInputDir(what: string, v: string): void {
  let st;
  try { st = statSync(v); } catch (e) {
    throw new PathRefused((e as NodeJS.ErrnoException).code === 'ENOENT' ? `${what}: no such folder '${v}'.` : `${what}: cannot read '${v}': ${describeFsError(e)}.`);
  }
  if (!st.isDirectory()) throw new PathRefused(`${what}: '${v}' is a file; give a folder.`);
  try { accessSync(v, constants.R_OK | constants.X_OK); } catch (e) { throw new PathRefused(`${what}: cannot read '${v}': ${describeFsError(e)}.`); }
}

/**
 * What was appended to `path` since byte `offset` (a file ovc appends to, such as a ledger): the
 * bytes from `offset` to its end, or from 0 when the file is now shorter than `offset` (it was
 * replaced), with the offset they start at; null when the file cannot be opened.
 */
export function readAppended(path: string, offset: number): { from: number; bytes: Buffer } | null {
  let fd: number;
  try { fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW); } catch { return null; }
  try {
    const size = fstatSync(fd).size;
    const from = size < offset ? 0 : offset;
    const buf = Buffer.alloc(size - from);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    return { from, bytes: buf.subarray(0, got) };
  } finally {
    closeSync(fd);
  }
}
