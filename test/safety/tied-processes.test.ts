// safety/processes.ts runTied: the command's output and exit status come through the watcher
// shell; the timeout ends the command with what it started; on Windows (no /bin/sh, no process
// groups) the command runs as a plain child — that branch is run here with process.platform set.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTied } from '../../safety/processes.ts';
import { ROOT } from '../selftest/run-cli.ts';

const running = (marker: string): string[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker); } catch { return false; }
});

describe('runTied', () => {
  it('passes the command\'s output and exit status through the watcher', async () => {
    const r = await runTied(process.execPath, ['-e', 'console.log("out"); console.error("err"); process.exit(3)'], { env: process.env, timeoutMs: 10_000, killSignal: 'SIGTERM' });
    expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('ends the command and what it started at the timeout', async () => {
    const marker = `ovc-tied-test-${process.pid}-${Date.now()}`;
    // The command starts a grandchild that would outlive it, then waits.
    const script = `require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '${marker}'], { stdio: 'ignore' }); setTimeout(() => {}, 60000);`;
    const started = Date.now();
    const r = await runTied(process.execPath, ['-e', script, marker], { env: process.env, timeoutMs: 1000, killSignal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBeNull();
    expect(running(marker)).toEqual([]);
  });

  it('without /bin/sh (Windows): a plain child, its output and status, ended on a stop', () => {
    const url = pathToFileURL(join(ROOT, 'dist', 'safety', 'processes.js')).href;
    const script = `Object.defineProperty(process, 'platform', { value: 'win32' });
const { runTied } = await import(${JSON.stringify(url)});
const a = await runTied(process.execPath, ['-e', 'console.log(process.ppid === ' + process.pid + ')'], { env: process.env, timeoutMs: 10000, killSignal: 'SIGTERM' });
const stop = new AbortController();
setTimeout(() => stop.abort(), 300);
const b = await runTied(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { env: process.env, timeoutMs: 60000, killSignal: 'SIGTERM', signal: stop.signal });
console.log(JSON.stringify({ a, b }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const { a, b } = JSON.parse(r.stdout) as { a: { code: number; stdout: string }; b: { code: number | null } };
    // The command is the child itself (no shell between): its parent is the runTied process.
    expect(a).toEqual({ code: 0, stdout: 'true\n', stderr: '' });
    expect(b.code).toBeNull();
  });
});
