// The one place `ovc sdk-test` writes files: its scratch folder (the prepared test binary or
// classes, the Go module replacement, the private resolver's resolv.conf) and the --json report.
import { dirname, join } from 'node:path';
import { copyTreeInto, makeFolder, makeWorkFolder, removeOurs, writeFileAtomic, writeOutputFile } from '../../files/gate.ts';

export interface Scratch {
  dir: string;
  /** Writes `text` at `rel` under the scratch folder (folders made) and returns its path. */
  write(rel: string, text: string): string;
  /** Copies a folder tree to `rel` under the scratch folder and returns its path. */
  copy(from: string, rel: string): string;
  remove(): void;
}

export function makeScratch(): Scratch {
  // Named as a run's work folder (`ovc-run-<pid>-sdktest-*`): one left by a killed sdk-test is
  // removed by the next command that sweeps (files/write.ts sweepStaleWorkFolders).
  const dir = makeWorkFolder('sdktest');
  return {
    dir,
    write(rel, text) {
      const p = join(dir, rel);
      makeFolder(dirname(p));
      writeFileAtomic(p, text);
      return p;
    },
    copy(from, rel) {
      const p = join(dir, rel);
      makeFolder(dirname(p));
      copyTreeInto(from, p);
      return p;
    },
    remove() { removeOurs(dir); },
  };
}

/** The --json results file (claimed as an output file before the run: new, or ovc's own). */
export function writeReport(path: string, report: unknown): void {
  writeOutputFile('--json', path, `${JSON.stringify(report, null, 2)}\n`);
}
