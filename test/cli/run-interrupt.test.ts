// Ctrl-C during `ovc run`: the suites stop, what the run created is cleaned up, the reports cover
// the cases that ran, and the exit status says the run is incomplete (2).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    const work = join(out, '.work');
    const started = Date.now();
    while (!(existsSync(join(work, 'ledger.jsonl')) && readdirSync(work).some((f) => f.startsWith('cases-')))) {
      if (Date.now() - started > 30_000) throw new Error(`the run did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/interrupted; cleaning up/);
    expect(stderr).toMatch(/the run was interrupted after \d+ case\(s\)/);
    expect(code).toBe(2);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(50_000);
    expect(existsSync(join(out, 'junit.xml'))).toBe(true);
    // Every index the run created is gone again.
    const ledger = readFileSync(join(out, '.work', 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { name: string; event: string });
    const live = new Set<string>();
    for (const e of ledger) { if (e.event === 'created') live.add(e.name); else live.delete(e.name); }
    expect(ledger.length).toBeGreaterThan(0);
    expect([...live]).toEqual([]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { cleanup: { deleted: number; failures: string[] } };
    expect(summary.cleanup.deleted).toBeGreaterThanOrEqual(1);
    expect(summary.cleanup.failures).toEqual([]);
    expect(stdout).toMatch(/passed, 0 failed/);
  });
});
