// `npm run build` (and `prepack`): compiles the runtime sources to dist/ from scratch
// (tsconfig.build.json) and leaves the bin executable. `--emit-only` compiles without the type
// check (`tsc --noCheck`: the same JavaScript, ~40 % of the CPU): scripts/prepare.mjs builds so after
// `npm ci`, since the project's tests type-check every folder the build compiles first
// (`tsc --noEmit -p tsconfig.json`, scripts/test.sh); `npm run build` and `npm pack` check.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), ...(process.argv.includes('--emit-only') ? ['--noCheck'] : [])], { cwd: root, stdio: 'inherit' });
chmodSync(join(root, 'dist', 'cli', 'bin.js'), 0o755);
