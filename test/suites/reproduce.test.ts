import { describe, expect, it } from 'vitest';
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
});
