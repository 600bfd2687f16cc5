// The tests that run `ovc` as a command run the compiled package (dist/cli/bin.js), what users run
// (DESIGN rule 8). This builds dist/ once before them when any source file is newer than the
// build (after `npm ci`, whose `prepare` built it, nothing is done).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['files', 'cli', 'client', 'contracts', 'diff', 'emulator', 'generators', 'pact', 'protocol', 'reports', 'run', 'safety', 'scenario', 'suites'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mjs|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = join(ROOT, 'dist', 'cli', 'bin.js');
  const sources = Math.max(...SOURCES.map((d) => newestSource(join(ROOT, d))), statSync(join(ROOT, 'package.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
