// Ctrl-C during `ovc run`: the suites stop, what the run created is cleaned up, the reports cover
// the cases that ran, and the exit status says the run is incomplete (2). The same for
// `ovc pact verify`: the verification stops, what its states created is removed, exit 2.
import { spawn } from 'node:child_process';
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

describe('ovc pact verify on SIGINT', () => {
  it('stops the verification, removes what its states created, exits 2 with the reason', async () => {
    // Slow enough to be stopped half-way: 300 ms before a new index is enable, 30 ms per answer.
    const identities = defaultIdentities({});
    const emu = await startEmulator({ identities, buckets: ['pact-bucket'], creatingMs: [300, 300], deletingMs: [300, 300], latencyMs: [30, 30] });
    const direct = new TargetClient(targetSpec({ endpoint: emu.url, bucket: 'pact-bucket', addressing: 'path', name: 'direct', timeoutMs: 5000 }), { main: identities[0]!, denied: null });
    const indexes = async (): Promise<string[]> => ((await direct.op('ListVectorIndexes', {})).json as { indexes: Array<{ indexName: string; status: string }> }).indexes.map((i) => `${i.indexName} ${i.status}`);
    const workFolders = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('ovc-pact-verify-'));
    const before = workFolders();
    try {
      const child = spawn(process.execPath, [OVC, 'pact', 'verify', '--endpoint', emu.url, '--bucket', 'pact-bucket'], {
        cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PACT_DO_NOT_TRACK: 'true', OSS_ACCESS_KEY_ID: identities[0]!.accessKeyId, OSS_ACCESS_KEY_SECRET: identities[0]!.accessKeySecret },
      });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // Interrupt once a state has made an index.
      const started = Date.now();
      while ((await indexes()).length === 0) {
        if (Date.now() - started > 30_000) throw new Error(`the verification made no index:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const signalled = Date.now();
      child.kill('SIGINT');
      const code = await closed;
      expect(stderr).toMatch(/ovc: SIGINT: stopping the verification, then removing what the run created…/);
      expect(stdout).toContain('problem: stopped (SIGINT) before the verification\'s end');
      expect(stdout).not.toContain('cleanup could not delete');
      expect(code).toBe(2);
      expect(Date.now() - signalled).toBeLessThan(10_000);
      // Deleted: gone, or on its way (`deleting` for 300 ms after its 204).
      expect((await indexes()).filter((i) => !i.endsWith(' deleting'))).toEqual([]);
      expect(workFolders()).toEqual(before);
    } finally {
      await closeTransport();
      await emu.close();
    }
  });
});
