// Pact's own verifier (`pact verifier`, the Rust CLI of @pact-foundation/pact-cli) against
// `ovc serve` through the recipe of docs/pact.md: the signing proxy (pact/signing-proxy.ts, what
// `ovc pact signing-proxy` runs) in front, the emulator's provider-state hook as
// --state-change-url. All 10 interactions must pass; without the proxy they must not.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultIdentities, startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { PACT_DIR, PACT_FILE_NAME, PROVIDER } from '../../pact/interactions.ts';

const work = mkdtempSync(join(tmpdir(), 'ovc-pact-cli-'));
let em: RunningEmulator;
let proxy: ChildProcess;
let proxyPort: number;

interface Report { result: boolean; errors?: Array<{ interaction: string; mismatch?: unknown }> ; output?: string[] }

async function pactVerifier(port: number, stateUrl: string, report: string): Promise<{ code: number | null; out: string }> {
  const args = ['verifier', '--file', join(PACT_DIR, PACT_FILE_NAME), '--hostname', '127.0.0.1', '--port', String(port),
    '--state-change-url', stateUrl, '--state-change-teardown', '--provider-name', PROVIDER, '--json', report];
  return new Promise((resolve) => {
    const child = spawn(join('node_modules', '.bin', 'pact'), args, { env: { ...process.env, PACT_DO_NOT_TRACK: 'true' } });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    child.on('close', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  const ids = defaultIdentities({});
  em = await startEmulator({ identities: ids });
  // What a user runs: `ovc pact signing-proxy --upstream <ovc serve>` (development entry: no build).
  proxy = spawn(process.execPath, ['dist/cli/bin.js', 'pact', 'signing-proxy', '--upstream', em.url, '--region', em.region, '--account-id', em.accountId],
    { env: { ...process.env, OSS_ACCESS_KEY_ID: ids[0]!.accessKeyId, OSS_ACCESS_KEY_SECRET: ids[0]!.accessKeySecret } });
  proxyPort = await new Promise<number>((resolve, reject) => {
    let out = '';
    proxy.stdout!.on('data', (d) => { out += String(d); const m = /ovc signing proxy: http:\/\/127\.0\.0\.1:(\d+)/.exec(out); if (m) resolve(Number(m[1])); });
    proxy.stderr!.on('data', (d) => { out += String(d); });
    proxy.on('exit', (c) => reject(new Error(`ovc pact signing-proxy exited ${c}: ${out}`)));
  });
}, 30_000);
afterAll(async () => {
  if (proxy && proxy.exitCode === null) { proxy.kill('SIGTERM'); await new Promise((r) => proxy.once('exit', r)); }
  await em?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('pact verifier (Rust CLI) through the signing proxy against ovc serve', () => {
  it('verifies all 10 interactions', async () => {
    const r = await pactVerifier(proxyPort, em.stateHookUrl!, join(work, 'proxy.json'));
    expect(r.code, r.out.slice(-4000)).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'proxy.json'), 'utf8')) as Report;
    expect(report.result, r.out.slice(-4000)).toBe(true);
    expect(report.errors ?? []).toEqual([]);
    // One "Verifying a pact" line per interaction, each OK.
    const verified = r.out.match(/^\s+returns a response which\s*$/gm) ?? [];
    expect(verified.length, r.out.slice(-4000)).toBe(10);
    expect(r.out).not.toMatch(/FAILED/);
  }, 60_000);

  it('fails without the proxy (the pact carries no valid signature)', async () => {
    const r = await pactVerifier(em.port, em.stateHookUrl!, join(work, 'direct.json'));
    expect(r.code).not.toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'direct.json'), 'utf8')) as Report;
    expect(report.result).toBe(false);
    expect((report.errors ?? []).length).toBeGreaterThanOrEqual(8);
  }, 60_000);
});
