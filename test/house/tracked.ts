// The repository's tracked files (what a clone and the package are made from), for the tests that
// scan the whole house: layering, paths outside the repository, defaults spelled once.
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The repository's files, repository-relative with '/' separators: tracked ones and new ones not yet
 * committed (git ignores neither), regular files only (a symlinked node_modules is not ours).
 */
export function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })
    .split('\0')
    .filter((file) => file && isFile(file));
}

function isFile(file: string): boolean {
  try { return lstatSync(join(ROOT, file)).isFile(); } catch { return false; }
}

/** The folders whose code ships in the package (everything but tests, benches, scripts and docs). */
const RUNTIME = /^(?!test\/|bench\/|scripts\/|docs\/)[a-z][a-z0-9-]*\/.*\.(ts|mts|mjs|js)$/;

/** The runtime source files (repository paths). */
export function runtimeSources(): string[] {
  return trackedFiles().filter((file) => RUNTIME.test(file));
}
