// `prepare` (npm ci, npm install, npm pack, and `npx ovc` in a checkout): builds dist/ unless it is
// already built from the sources as they are. `npx ovc` in a checkout installs the checkout into
// npm's cache as a package of its own and runs this script there, the first time in each checkout
// (npm exec does so for a project's own bin): right after `npm ci` a full rebuild cost that first
// run ~7 s and ~10 s of CPU. The build stamps dist/ with the newest modification time of what it
// was built from (the build's source folders, the tsconfigs, package.json, package-lock.json);
// anything newer, a missing stamp, or OVC_REBUILD=1 rebuilds it.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STAMP = join(root, 'dist', '.built-from');

/** The newest mtime (ms) of the build's inputs: the TypeScript files of its source folders, and its configuration. */
function newestInput() {
  // tsconfig.build.json is JSON with comments: its include list is read from the line that holds it.
  const build = readFileSync(join(root, 'tsconfig.build.json'), 'utf8');
  const include = JSON.parse(/"include":\s*(\[[^\]]*\])/.exec(build)[1]);
  let newest = 0;
  // Only .ts files count: a run's reports written under reports/out are no input of the build.
  const visit = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) visit(path);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const d of include) if (existsSync(join(root, d))) visit(join(root, d));
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json']) {
    if (existsSync(join(root, f))) newest = Math.max(newest, statSync(join(root, f)).mtimeMs);
  }
  return newest;
}

const newest = newestInput();
const built = existsSync(STAMP) ? Number(readFileSync(STAMP, 'utf8')) : NaN;
const upToDate = process.env.OVC_REBUILD !== '1' && existsSync(join(root, 'dist', 'cli', 'bin.js')) && built >= newest;
// --check: only say (exit 0 up to date, 1 not), build nothing.
if (process.argv.includes('--check')) process.exit(upToDate ? 0 : 1);
if (upToDate) {
  console.error('dist/ is up to date with the sources (OVC_REBUILD=1 rebuilds it)');
  process.exit(0);
}
// Without the type check (scripts/build.mjs --emit-only): the tests type-check first.
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--emit-only'], { cwd: root, stdio: 'inherit' });
writeFileSync(STAMP, String(newest));
