// `npx ovc` in a checkout: npm looks for `ovc` in node_modules/.bin first; npm does not link a
// project's own bin there, so `npx ovc` installed the checkout into npm's cache as a package of its
// own and ran its `prepare` (a full build: ~7 s and ~10 s of CPU, the first time in each checkout).
// Run by `prepare` after the build: links node_modules/.bin/ovc to dist/cli/bin.js, only when there
// is no ovc there yet, or it is this link already; never replaces anything else.
import { lstatSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modules = join(root, 'node_modules');
const link = join(modules, '.bin', 'ovc');
const target = relative(dirname(link), join(root, 'dist', 'cli', 'bin.js'));

function existing(path) {
  try { return lstatSync(path); } catch { return null; }
}

if (!existing(modules)) process.exit(0); // installed as a dependency, or no install yet: nothing to do
const there = existing(link);
if (there) {
  if (!there.isSymbolicLink() || readlinkSync(link) !== target) console.error(`scripts/link-bin.mjs: ${link} exists and is not ovc's link; left as it is`);
  process.exit(0);
}
mkdirSync(dirname(link), { recursive: true });
symlinkSync(target, link);
