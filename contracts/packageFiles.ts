// Where the package's own files are at run time, found from this module — never from the working
// folder, never by a fixed number of `..`: the sources run from `contracts/` of a checkout, the build
// from `dist/contracts/` (of a checkout or of an installed package). Everything a command or a report
// needs at run time (package.json's version, the shipped pact and OpenAPI document, the report pages'
// CSS and JS) is resolved here; test/package/dist-scan.ts checks dist/ reaches no file outside the
// package otherwise. At the bottom of the layering, so pact/, reports/ and cli/ may all use it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'oss-vectors-conformance';

const HERE = fileURLToPath(import.meta.url);

let root: string | null | undefined;

/** The package's root folder: the nearest folder above this module whose package.json is ours (null: none). */
export function packageRoot(): string | null {
  if (root !== undefined) return root;
  root = null;
  for (let dir = dirname(HERE); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === PACKAGE_NAME) { root = dir; break; }
    } catch { /* no package.json here: go up */ }
    if (dirname(dir) === dir) break;
  }
  return root;
}

/** The package version from its package.json ('0.0.0' when the package.json cannot be found). */
export function packageVersion(): string {
  const dir = packageRoot();
  if (!dir) return '0.0.0';
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** A file the package ships (a path relative to the package root, e.g. contracts/pacts/x.json), or null when absent. */
export function packageFile(rel: string): string | null {
  const dir = packageRoot();
  if (!dir) return null;
  const file = join(dir, rel);
  return existsSync(file) ? file : null;
}
