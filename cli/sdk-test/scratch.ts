// The one place `ovc sdk-test` writes files: its scratch folder (the prepared test binary or
// classes, the Go module replacement, the private resolver's resolv.conf) and the --json report.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Scratch {
  dir: string;
  /** Writes `text` at `rel` under the scratch folder (folders made) and returns its path. */
  write(rel: string, text: string): string;
  /** Copies a folder tree to `rel` under the scratch folder and returns its path. */
  copy(from: string, rel: string): string;
  remove(): void;
}

export function makeScratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-sdk-test-'));
  return {
    dir,
    write(rel, text) {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    copy(from, rel) {
      const p = join(dir, rel);
      cpSync(from, p, { recursive: true });
      return p;
    },
    remove() { rmSync(dir, { recursive: true, force: true }); },
  };
}

/** The --json results file. */
export function writeReport(path: string, report: unknown): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
