// Ctrl-C during `ovc run`: the suites stop, what the run created is cleaned up, the reports cover
// the cases that ran, and the exit status says the run is incomplete (2). The same for
// `ovc pact verify`: the verification stops, what its states created is removed, exit 2.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { defaultIdentities, startEmulator } from '../../emulator/index.ts';
import { OVC, ROOT } from '../selftest/run-cli.ts';

describe('ovc run on SIGINT', () => {
  it('stops, cleans up, reports what ran, exits 2', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ovc-int-'));
    const child = spawn(process.execPath, [OVC, 'run', '--runs', '50000', '--tags', '403-signature', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    // The signature suite creates its index, then sends faulty requests at it: interrupt in between.
    // The run's work folder (run/workfolder.ts) is named after the process that owns it.
    const workOf = (): string | null => readdirSync(tmpdir()).map((n) => join(tmpdir(), n)).find((p) => p.includes(`ovc-run-${child.pid}-`)) ?? null;
    const started = Date.now();
    for (let work = workOf(); !(work && existsSync(join(work, 'ledger.jsonl')) && readdirSync(work).some((f) => f.startsWith('cases-'))); work = workOf()) {
      if (Date.now() - started > 30_000) throw new Error(`the run did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/SIGINT: stopping the suites, then removing what the run created/);
    expect(stderr).toMatch(/the run was stopped after \d+ finished case\(s\) and \d+ request\(s\) \(\d+ by the suites\); cleanup removed [1-9]\d* index\(es\): \S+\/ovc[0-9a-z]{9}\S*.*; nothing the run created is left/);
    expect(code).toBe(2);
    // Nothing of the run is left: its work folder (with the ledger of the embedded run) is gone.
    expect(workOf()).toBeNull();
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(50_000);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { cleanup: { deleted: number; failures: string[] } };
    expect(summary.cleanup.deleted).toBeGreaterThanOrEqual(1);
    expect(summary.cleanup.failures).toEqual([]);
    expect(stdout).toMatch(/passed, 0 failed/);
  });
});

describe('ovc pact verify stopped half-way', () => {
  // Slow enough to be stopped half-way: 300 ms before a new index is enable, 30 ms per answer.
  const identities = defaultIdentities({});
  const env = { ...process.env, PACT_DO_NOT_TRACK: 'true', OSS_ACCESS_KEY_ID: identities[0]!.accessKeyId, OSS_ACCESS_KEY_SECRET: identities[0]!.accessKeySecret };
  const verify = (endpoint: string): ChildProcessWithoutNullStreams & { out: { stdout: string; stderr: string }; closed: Promise<number | null> } => {
    const child = spawn(process.execPath, [OVC, 'pact', 'verify', '--endpoint', endpoint, '--bucket', 'pact-bucket'], { cwd: ROOT, env });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => { out.stdout += d; });
    child.stderr.on('data', (d) => { out.stderr += d; });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    return Object.assign(child, { out, closed });
  };
  async function slowTarget(): Promise<{ url: string; indexes(): Promise<string[]>; close(): Promise<void> }> {
    const emu = await startEmulator({ identities, buckets: ['pact-bucket'], creatingMs: [300, 300], deletingMs: [300, 300], latencyMs: [30, 30] });
    const direct = new TargetClient(targetSpec({ endpoint: emu.url, bucket: 'pact-bucket', addressing: 'path', name: 'direct', timeoutMs: 5000 }), { main: identities[0]!, denied: null });
    return {
      url: emu.url,
      // Name and status of each index; a deleted one stays `deleting` for 300 ms after its 204.
      indexes: async () => ((await direct.op('ListVectorIndexes', {})).json as { indexes: Array<{ indexName: string; status: string }> }).indexes.map((i) => `${i.indexName} ${i.status}`),
      close: async () => { await closeTransport(); await emu.close(); },
    };
  }
  async function untilAnIndex(t: { indexes(): Promise<string[]> }, what: { out: { stderr: string } }): Promise<void> {
    const started = Date.now();
    while ((await t.indexes()).length === 0) {
      if (Date.now() - started > 30_000) throw new Error(`the verification made no index:\n${what.out.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const workFolderOf = (pid: number | undefined): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith(`ovc-run-${pid}-`));
  const live = (list: string[]): string[] => list.filter((i) => !i.endsWith(' deleting'));

  it('SIGINT: stops the verification, removes what its states created, exits 2 with the reason', async () => {
    const t = await slowTarget();
    try {
      const child = verify(t.url);
      await untilAnIndex(t, child);
      const signalled = Date.now();
      child.kill('SIGINT');
      const code = await child.closed;
      expect(child.out.stderr).toMatch(/ovc: SIGINT: stopping the verification, then removing what the run created…/);
      expect(child.out.stdout).toContain('problem: stopped (SIGINT) before the verification\'s end');
      expect(child.out.stdout).not.toContain('cleanup could not delete');
      expect(code).toBe(2);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(live(await t.indexes())).toEqual([]);
      expect(workFolderOf(child.pid)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('kill -9: the next verification against the target removes what the killed one made, and its work folder', async () => {
    const t = await slowTarget();
    try {
      const killed = verify(t.url);
      await untilAnIndex(t, killed);
      killed.kill('SIGKILL');
      await killed.closed;
      const left = live(await t.indexes());
      expect(left.length).toBeGreaterThan(0);
      expect(workFolderOf(killed.pid).length).toBe(1);
      const next = verify(t.url);
      const code = await next.closed;
      expect(next.out.stderr).toMatch(/ovc pact: removed [1-9]\d* index\(es\) left by 1 earlier stopped run\(s\) on this target/);
      expect(code, next.out.stdout + next.out.stderr).toBe(0);
      expect(live(await t.indexes())).toEqual([]);
      expect(workFolderOf(killed.pid)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
