// The lock on a file system without hard links (some network and FUSE mounts, FAT): `link` answers
// EPERM there, and the lock is created exclusively instead, never a crash of the claim. An error
// the lock cannot get past is a refusal with one sentence, and the claim makes nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const failLink = vi.hoisted(() => ({ code: 'EPERM' as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    linkSync: (from: string, to: string) => {
      if (failLink.code) throw Object.assign(new Error(`${failLink.code}: link '${from}' -> '${to}'`), { code: failLink.code });
      return fs.linkSync(from, to);
    },
  };
});

const { claimOutputs, LOCK_FILE, makeTempFolder, PathRefused } = await import('../../files/gate.ts');

describe('the lock without hard links', () => {
  it('is created exclusively where a link is refused (EPERM), and names this process', () => {
    failLink.code = 'EPERM';
    const dir = join(makeTempFolder('ovc-lock-nolink-'), 'out');
    expect(claimOutputs([{ flag: '--out', path: dir, kind: 'folder', exclusive: true }])).toEqual([dir]);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
  });

  it('an error it cannot get past (EIO) is a refusal with one sentence, and nothing is made', () => {
    failLink.code = 'EIO';
    const base = makeTempFolder('ovc-lock-nolink-');
    const dir = join(base, 'new', 'out');
    expect(() => claimOutputs([{ flag: '--out', path: dir, kind: 'folder', exclusive: true }])).toThrow(PathRefused);
    expect(() => claimOutputs([{ flag: '--out', path: dir, kind: 'folder', exclusive: true }])).toThrow(/^--out: cannot lock '.*' for this command: /);
    expect(existsSync(join(base, 'new'))).toBe(false);
    failLink.code = null;
  });
});
