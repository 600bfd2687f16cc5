// An exclusive output folder is one command's while it runs (files/lock.ts): another live ovc is
// refused it with one sentence; a lock whose process exited is gone, one whose process was killed
// or replaced is taken over; a folder claimed without `exclusive` (the state folder) is never
// locked. Holders here are node processes claiming through the compiled gate, as `ovc` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimOutputs, LOCK_FILE, makeTempFolder, PathRefused, pidNamespace } from '../../files/gate.ts';
import { startEmulator } from '../../emulator/index.ts';
import { runOvc } from '../selftest/run-cli.ts';

const KEY = { OSS_ACCESS_KEY_ID: 'lock-test-key', OSS_ACCESS_KEY_SECRET: 'lock-test-secret' };

const GATE = new URL('../../dist/files/gate.js', import.meta.url).href;
const holders: ChildProcess[] = [];
afterEach(() => { for (const h of holders.splice(0)) h.kill('SIGKILL'); });

/** A node process that claims `dir` (exclusive or not), says "held", and exits when its stdin closes. */
async function holder(dir: string, exclusive = true): Promise<ChildProcess> {
  const code = `const { claimOutputs } = await import(${JSON.stringify(GATE)});
    claimOutputs([{ flag: '--out', path: ${JSON.stringify(dir)}, kind: 'folder', exclusive: ${exclusive} }]);
    process.stdout.write('held\\n'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  holders.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => { if (String(d).includes('held')) resolve(); });
    child.once('exit', (c) => reject(new Error(`the holder exited ${c}`)));
  });
  return child;
}

const claim = (dir: string, flag = '--out'): string[] => claimOutputs([{ flag, path: dir, kind: 'folder', exclusive: true }]);
const lockOf = (dir: string): { pid: number } => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number };

describe('a claimed folder is one command\'s while it runs', () => {
  it('is refused to another ovc while its holder lives, with one sentence naming it', async () => {
    const dir = join(makeTempFolder('ovc-lock-'), 'out');
    const h = await holder(dir);
    expect(() => claim(dir)).toThrow(PathRefused);
    expect(() => claim(dir)).toThrow(new RegExp(`^--out: '${dir}' is in use by another ovc \\(pid ${h.pid}, since \\S+\\); give another folder, or wait for it to end\\.$`));
  });

  it('is free again once its holder exits, and the lock is gone with it', async () => {
    const dir = join(makeTempFolder('ovc-lock-'), 'out');
    const h = await holder(dir);
    h.stdin!.end();
    await new Promise((r) => h.once('exit', r));
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(claim(dir)).toEqual([dir]);
    expect(lockOf(dir).pid).toBe(process.pid);
  });

  it('is taken over from a holder killed with kill -9 (its lock stays behind)', async () => {
    const dir = join(makeTempFolder('ovc-lock-'), 'out');
    const h = await holder(dir);
    h.kill('SIGKILL');
    await new Promise((r) => h.once('exit', r));
    expect(lockOf(dir).pid).toBe(h.pid);
    expect(claim(dir)).toEqual([dir]);
    expect(lockOf(dir).pid).toBe(process.pid);
  });

  it('is taken over from a lock that names a pid now used by another program, or that is not a lock', async () => {
    const sleeper = spawn('sleep', ['5']);
    await new Promise((r) => sleeper.once('spawn', r));
    try {
      const reused = makeTempFolder('ovc-lock-'); // an output folder of ovc's (marked), not claimed here
      writeFileSync(join(reused, LOCK_FILE), JSON.stringify({ pid: sleeper.pid, host: hostname(), startedAt: new Date().toISOString(), pidNs: pidNamespace(), command: 'run' }));
      const garbage = makeTempFolder('ovc-lock-');
      writeFileSync(join(garbage, LOCK_FILE), 'not a lock');
      expect(claim(reused)).toEqual([reused]);
      expect(claim(garbage)).toEqual([garbage]);
      expect(lockOf(reused).pid).toBe(process.pid);
      expect(lockOf(garbage).pid).toBe(process.pid);
    } finally { sleeper.kill(); }
  });

  it('a refused claim changes nothing: the other outputs of the command are not made', async () => {
    const base = makeTempFolder('ovc-lock-');
    const busy = join(base, 'busy');
    await holder(busy);
    const fresh = join(base, 'fresh', 'out');
    expect(() => claimOutputs([{ flag: '--out', path: fresh, kind: 'folder', exclusive: true }, { flag: '--record', path: busy, kind: 'folder', exclusive: true }])).toThrow(/--record: .* is in use by another ovc/);
    expect(existsSync(join(base, 'fresh'))).toBe(false);
  });

  it('is refused to a command that takes no lock of its own too (`ovc report render --out` into a running `ovc run --out`)', async () => {
    const dir = join(makeTempFolder('ovc-lock-'), 'out');
    const h = await holder(dir);
    expect(() => claimOutputs([{ flag: '--out', path: dir, kind: 'folder' }])).toThrow(new RegExp(`^--out: '${dir}' is in use by another ovc \\(pid ${h.pid}, `));
  });

  it('a folder claimed without `exclusive` (the state folder concurrent runs share) is never locked', async () => {
    const dir = join(makeTempFolder('ovc-lock-'), 'state');
    await holder(dir, false);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(claimOutputs([{ flag: '--state-dir', path: dir, kind: 'folder' }])).toEqual([dir]);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });
});

describe('two commands on one --out', () => {
  it('a second `ovc run` while the first holds the folder is refused (exit 2); the first ends 0 and its lock goes with it', async () => {
    // The first run's target answers each request after 200 ms, so it holds the folder for seconds
    // while using little CPU; the second starts once the lock is there.
    const emu = await startEmulator({ identities: [{ accessKeyId: KEY.OSS_ACCESS_KEY_ID, accessKeySecret: KEY.OSS_ACCESS_KEY_SECRET }], stateHook: true, latencyMs: 200 });
    try {
      const out = join(mkdtempSync(join(tmpdir(), 'ovc-lock-run-')), 'out');
      const args = ['run', '--endpoint', emu.url, '--state-hook', emu.stateHookUrl!, '--state-dir', join(out, '..', 'state'), '--tags', '404-no-such-bucket', '--quiet', '--out', out];
      const first = runOvc(args, KEY);
      const started = Date.now();
      while (!existsSync(join(out, LOCK_FILE)) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 20));
      const second = await runOvc(args, KEY);
      expect(second.stderr).toMatch(/^ovc: --out: '.*' is in use by another ovc run \(pid \d+, since \S+\); give another folder, or wait for it to end\.$/m);
      expect(second.code).toBe(2);
      const done = await first;
      expect(done.code, done.stderr).toBe(0);
      expect(existsSync(join(out, LOCK_FILE))).toBe(false);
      expect(existsSync(join(out, 'results.jsonl'))).toBe(true);
    } finally { await emu.close(); }
  });
});
