// Output files are replaced whole or not at all: written under a temporary name beside the file,
// then renamed over it (atomic on one file system). A run stopped in between leaves the old file
// intact and a `*.ovc-tmp-<pid>` file, which an output folder's claim accepts as ovc's.
import { renameSync, rmSync, writeFileSync } from 'node:fs';

export function writeFileAtomic(path: string, content: string | Buffer): void {
  const tmp = `${path}.ovc-tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
