// scripts/link-bin.mjs (run by `prepare`): `npx ovc` in a checkout finds node_modules/.bin/ovc
// instead of installing the checkout into npm's cache and rebuilding it; the script never replaces
// an `ovc` it did not make.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../selftest/run-cli.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A checkout-shaped folder with the script in it (it finds the root from its own place). */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ovc-link-bin-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  copyFileSync(join(ROOT, 'scripts', 'link-bin.mjs'), join(dir, 'scripts', 'link-bin.mjs'));
  return dir;
}
const run = (dir: string): string => execFileSync(process.execPath, [join(dir, 'scripts', 'link-bin.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('prepare links the checkout\'s own ovc', () => {
  it('links node_modules/.bin/ovc to dist/cli/bin.js, and again is a no-op', () => {
    const dir = checkout();
    mkdirSync(join(dir, 'node_modules'));
    run(dir);
    expect(readlinkSync(join(dir, 'node_modules', '.bin', 'ovc'))).toBe(join('..', '..', 'dist', 'cli', 'bin.js'));
    run(dir);
    expect(readlinkSync(join(dir, 'node_modules', '.bin', 'ovc'))).toBe(join('..', '..', 'dist', 'cli', 'bin.js'));
  });

  it('leaves an ovc it did not make as it is, and does nothing without node_modules', () => {
    const dir = checkout();
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '.bin', 'ovc'), 'someone else\'s\n');
    run(dir);
    expect(readFileSync(join(dir, 'node_modules', '.bin', 'ovc'), 'utf8')).toBe('someone else\'s\n');
    const bare = checkout();
    run(bare);
    expect(() => readlinkSync(join(bare, 'node_modules', '.bin', 'ovc'))).toThrow();
  });

  it('is what this checkout\'s npx ovc runs', () => {
    expect(readlinkSync(join(ROOT, 'node_modules', '.bin', 'ovc'))).toBe(join('..', '..', 'dist', 'cli', 'bin.js'));
  });
});
