import { execFile, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/index.ts';
import { signRequest } from '../../protocol/signer.ts';
import { curlLine, replayCommand } from '../../suites/reproduce.ts';
import { runSpec, targetSpec } from '../../client/config.ts';

const config = targetSpec({
  endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', region: 'cn-hangzhou', bucket: 'my-bucket', accountId: '42', addressing: 'virtual',
  stateHook: 'http://127.0.0.1:9/_ovc/provider-states', name: 't', timeoutMs: 1000,
});
const run = runSpec(config, { runId: 'abc', seed: 77, runs: 300, strict: true, outDir: '.' });

describe('reproduction lines of a failing case', () => {
  it('the replay command names the seed, runs, target, state hook, strictness and tags', () => {
    const cmd = replayCommand(config, run, '404-no-such-vector-index');
    for (const part of ['--seed 77', '--runs 300', "--endpoint 'https://cn-hangzhou.oss-vectors.aliyuncs.com'", '--bucket my-bucket', '--account-id 42', '--addressing virtual', "--state-hook 'http://127.0.0.1:9/_ovc/provider-states'", '--strict', "--tags '404-no-such-vector-index'"]) {
      expect(cmd).toContain(part);
    }
    expect(replayCommand({ ...config, embedded: true }, { ...run, strict: false })).toBe('npx ovc run --seed 77 --runs 300');
  });

  it('the curl line re-signs at run time and carries no Authorization value or secret', () => {
    const headers = { 'Content-Type': 'application/json', 'Content-MD5': 'abc=' };
    const secret = 'a-very-secret-value';
    const signed = signRequest({ region: 'cn-hangzhou', accountId: '42', bucket: 'my-bucket', method: 'POST', query: 'deleteVectorIndex', headers, credentials: { accessKeyId: 'AK', accessKeySecret: secret, securityToken: 'tok-secret' } });
    const sentHeaders = { ...headers, ...signed.headers, host: 'my-bucket-42.cn-hangzhou.oss-vectors.aliyuncs.com' };
    const line = curlLine(config, { method: 'POST', query: 'deleteVectorIndex', headers: sentHeaders, body: Buffer.from('{"indexName":"x"}'), bucket: 'my-bucket', url: 'https://my-bucket-42.cn-hangzhou.oss-vectors.aliyuncs.com/?deleteVectorIndex', sentHeaders });
    expect(line).toContain('-H @<(npx ovc sign --method POST --region cn-hangzhou --account-id 42');
    expect(line).not.toContain(signed.signature);
    expect(line).not.toMatch(/Authorization|tok-secret|a-very-secret-value/i);
    expect(line).toContain(`printf %s '${Buffer.from('{"indexName":"x"}').toString('base64')}' | base64 -d`);
  });

  it('an unsigned request replays unsigned', () => {
    const line = curlLine(config, { method: 'POST', query: 'deleteVectorIndex', headers: {}, body: Buffer.alloc(0), bucket: 'my-bucket', url: 'https://x/?deleteVectorIndex', sentHeaders: { host: 'x' } });
    expect(line).not.toContain('ovc sign');
    expect(line).not.toContain('--data-binary');
  });

  it('a virtual-hosted request to a local endpoint connects to the endpoint, as the client does (--connect-to); others do not', () => {
    const local = targetSpec({ endpoint: 'http://127.0.0.1:18823', region: 'cn-hangzhou', bucket: 'ovc-conformance', accountId: '1234567890', addressing: 'virtual', name: 'l' });
    const req = { method: 'POST', query: 'deleteVectorIndex', headers: {}, body: Buffer.alloc(0), bucket: 'ovc-conformance', url: 'http://ovc-conformance-1234567890.127.0.0.1:18823/?deleteVectorIndex', sentHeaders: {} };
    expect(curlLine(local, req)).toContain("--connect-to 'ovc-conformance-1234567890.127.0.0.1::127.0.0.1:18823'");
    expect(curlLine({ ...local, addressing: 'path' }, { ...req, url: 'http://127.0.0.1:18823/ovc-conformance/?deleteVectorIndex' })).not.toContain('--connect-to');
    // The service's own virtual-hosted names resolve: the client connects to them, and so does curl.
    expect(curlLine(config, { ...req, bucket: 'my-bucket', url: 'https://my-bucket-42.cn-hangzhou.oss-vectors.aliyuncs.com/?deleteVectorIndex' })).not.toContain('--connect-to');
  });

  const curl = spawnSync('curl', ['--version']).status === 0;
  it.skipIf(!curl)('the curl line of a virtual-hosted request to a local emulator reaches it (the name alone does not resolve)', async () => {
    const emu = await startEmulator({ stateHook: false });
    try {
      const target = targetSpec({ endpoint: emu.url, region: 'cn-hangzhou', bucket: 'ovc-conformance', accountId: '1234567890', addressing: 'virtual', name: 'e' });
      const host = `ovc-conformance-1234567890.${new URL(emu.url).host}`;
      const line = curlLine(target, { method: 'POST', query: 'deleteVectorIndex', headers: {}, body: Buffer.from('{"indexName":"absent1"}'), bucket: 'ovc-conformance', url: `http://${host}/?deleteVectorIndex`, sentHeaders: { 'content-type': 'application/json' } });
      // Not spawnSync: the emulator answers from this process's event loop.
      const r = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
        execFile('bash', ['-c', line], { encoding: 'utf8', timeout: 20_000 }, (e, stdout, stderr) => resolve({ status: e ? Number(e.code ?? 1) : 0, stdout, stderr }));
      });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
      // Unsigned: the emulator's own answer, so the request arrived, addressed to the bucket.
      expect(r.stdout).toMatch(/^HTTP\/1\.1 403 /);
    } finally {
      await emu.close();
    }
  });
});
