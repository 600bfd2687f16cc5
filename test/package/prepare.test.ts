// scripts/prepare.mjs (`prepare`): dist/ is rebuilt only when it is not built from the sources as
// they are — `npx ovc` in a checkout runs `prepare` once more right after `npm ci` (npm exec installs
// a project's own bin that way), and a full rebuild there cost the first run ~7 s.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../selftest/run-cli.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A checkout-shaped folder: the script, a build config naming one source folder, a built dist/ stamped at `stampMs`. */
function checkout(stampMs: number | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-prepare-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts', 'prepare.mjs'), join(dir, 'scripts', 'prepare.mjs'));
  writeFileSync(join(dir, 'tsconfig.build.json'), '{\n  // comment\n  "include": ["src"]\n}\n');
  writeFileSync(join(dir, 'package.json'), '{}\n');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export {};\n');
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'cli', 'bin.js'), '');
  const old = new Date(Date.now() - 60_000);
  for (const f of ['tsconfig.build.json', 'package.json', 'src/a.ts', 'src']) utimesSync(join(dir, f), old, old);
  if (stampMs !== null) writeFileSync(join(dir, 'dist', '.built-from'), String(stampMs));
  return dir;
}
function upToDate(dir: string, env: Record<string, string> = {}): boolean {
  try {
    execFileSync(process.execPath, [join(dir, 'scripts', 'prepare.mjs'), '--check'], { stdio: 'ignore', env: { ...process.env, OVC_REBUILD: '', ...env } });
    return true;
  } catch { return false; }
}

describe('prepare builds dist/ only when it is stale', () => {
  it('is up to date when dist/ was stamped after every input, stale when a source is newer', () => {
    const dir = checkout(Date.now());
    expect(upToDate(dir)).toBe(true);
    const now = new Date();
    // A run's reports written under a source folder (reports/out) are no input of the build.
    mkdirSync(join(dir, 'src', 'out'));
    writeFileSync(join(dir, 'src', 'out', 'summary.json'), '{}\n');
    utimesSync(join(dir, 'src', 'out', 'summary.json'), now, new Date(Date.now() + 5_000));
    expect(upToDate(dir)).toBe(true);
    utimesSync(join(dir, 'src', 'a.ts'), now, new Date(Date.now() + 5_000));
    expect(upToDate(dir)).toBe(false);
  });

  it('is stale without a stamp, without dist/cli/bin.js, or with OVC_REBUILD=1', () => {
    expect(upToDate(checkout(null))).toBe(false);
    const noBin = checkout(Date.now());
    rmSync(join(noBin, 'dist', 'cli', 'bin.js'));
    expect(upToDate(noBin)).toBe(false);
    expect(upToDate(checkout(Date.now()), { OVC_REBUILD: '1' })).toBe(false);
  });

  it('stays out of the package', async () => {
    const pkg = JSON.parse((await import('node:fs')).readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };
    expect(pkg.files).toContain('!dist/.built-from');
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
  });
});
