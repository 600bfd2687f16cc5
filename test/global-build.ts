// The tests that run `ovc` as a command run the compiled package (dist/cli/bin.js), what users run
// (DESIGN rule 8). This builds dist/ once before them when it is not built from the sources as they
// are — scripts/prepare.mjs, `prepare`'s own rule (after `npm ci`, whose `prepare` built and stamped
// it, nothing is done).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export default function setup(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'prepare.mjs')], { cwd: ROOT, stdio: 'inherit' });
}
