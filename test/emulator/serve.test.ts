import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../cli/errors.ts';
import { describeRealism, describeServer, serveOptions } from '../../cli/serve.ts';
import type { RunningEmulator } from '../../emulator/index.ts';
import { call, errorCode, send } from './helpers.ts';

const OVC = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OSS_') && !k.startsWith('OVC_')));

function run(args: string[], env: NodeJS.ProcessEnv = CLEAN_ENV): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [OVC, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(output: () => string, re: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const m = output().match(re);
    if (m) return m;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${re}; output so far:\n${output()}`);
}

describe('ovc serve', () => {
  it('prints endpoints, region, account, bucket, key, hook; serves signed requests; stops with exit 0 on SIGTERM', async () => {
    const p = run(['serve', '--port', '0', '--bucket', 'serve-b1', '--bucket', 'serve-b2', '--account-id', '42']);
    try {
      const [, port] = await waitFor(p.output, /path-style\):\s+http:\/\/127\.0\.0\.1:(\d+)/);
      const out = p.output();
      expect(out).toContain(`http://serve-b1-42.localhost:${port}`);
      expect(out).toContain(`http://serve-b2-42.localhost:${port}`);
      expect(out).toMatch(/region:\s+cn-hangzhou/);
      expect(out).toMatch(/access key id:\s+ovc-test-key\s+\(secret: ovc-test-secret\)/);
      expect(out).toMatch(/state hook:\s+on/);
      const em = { url: `http://127.0.0.1:${port}`, port: Number(port), region: 'cn-hangzhou', accountId: '42', buckets: ['serve-b1'] } as RunningEmulator;
      const r = await send(em, { method: 'POST', query: 'listVectorIndexes' });
      expect(r.status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('bound to 0.0.0.0 it serves no state hook unless --state-hook is given (checked over loopback)', async () => {
    for (const [extra, hookStatus] of [[[], 404], [['--state-hook'], 200]] as const) {
      const p = run(['serve', '--host', '0.0.0.0', '--port', '0', ...extra]);
      try {
        const [, port] = await waitFor(p.output, /path-style\):\s+http:\/\/[^:]+:(\d+)/);
        const res = await fetch(`http://127.0.0.1:${port}/_ovc/provider-states`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ state: 'no vector bucket exists', params: { bucket: 'gone-bucket' } }),
        });
        expect(res.status, p.output()).toBe(hookStatus);
      } finally {
        p.child.kill('SIGKILL');
      }
    }
  });

  it('an unknown fault name is a usage error (exit 2) listing the valid names', async () => {
    const p = run(['serve', '--port', '0', '--fault', 'nope']);
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('status-200-on-delete');
    expect(p.output()).toContain('concurrent-deletes-succeed');
  });

  it('bad numbers and bad bucket names are usage errors', async () => {
    const cases = [['--port', 'abc'], ['--port', '70000'], ['--creating-ms', '1.5'], ['--bucket', 'Bad_Name'], ['--account-id', 'abc'],
      ['--latency-ms', '40-5'], ['--throttle-rps', 'fast'], ['--index-quota', '-1']];
    const codes = await Promise.all(cases.map((args) => run(['serve', ...args]).exited));
    expect(codes).toEqual(cases.map(() => 2));
  });
});

describe('ovc serve as a realistic target', () => {
  it('--realistic with an override: the banner shows the timing; PutVectorIndex beyond its rate is 503 with Retry-After: 1', async () => {
    const p = run(['serve', '--port', '0', '--realistic', '--throttle-put-index-rps', '1', '--creating-ms', '0']);
    try {
      const [, port] = await waitFor(p.output, /path-style\):\s+http:\/\/127\.0\.0\.1:(\d+)/);
      await waitFor(p.output, /index quota/);
      const out = p.output();
      expect(out).toMatch(/timing:\s+latency 5-40 ms, creating 0 ms, deleting 200-1500 ms \(realistic profile\)/);
      expect(out).toMatch(/throttle:\s+1 PutVectorIndex\/s/);
      expect(out).toMatch(/index quota:\s+100 per bucket/);
      const em = { url: `http://127.0.0.1:${port}`, port: Number(port), region: 'cn-hangzhou', accountId: '1234567890', buckets: ['ovc-conformance'] } as RunningEmulator;
      const body = (indexName: string) => ({ indexName, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' });
      const puts = await Promise.all(['r1', 'r2', 'r3'].map((n) => call(em, 'PutVectorIndex', body(n))));
      expect(puts.map((r) => r.status).sort()).toEqual([200, 503, 503]);
      for (const r of puts.filter((x) => x.status === 503)) expect([errorCode(r), r.headers['retry-after'], r.headers['content-type']]).toEqual(['ServiceUnavailable', '1', 'application/json']);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      p.child.kill('SIGKILL');
    }
  });
});

describe('serve options and banner', () => {
  const flags = { host: '127.0.0.1', port: '0', region: 'cn-hangzhou', accountId: '1', creatingMs: '0', deletingMs: '0' };
  it('the state hook is off by default on a non-loopback host unless asked for', () => {
    expect(serveOptions(flags, {}).stateHook).toBe(true);
    expect(serveOptions({ ...flags, host: '0.0.0.0' }, {}).stateHook).toBe(false);
    expect(serveOptions({ ...flags, host: '0.0.0.0', stateHook: true }, {}).stateHook).toBe(true);
    expect(serveOptions({ ...flags, stateHook: false }, {}).stateHook).toBe(false);
  });

  it('never prints a secret taken from the environment', () => {
    const env = { OSS_ACCESS_KEY_ID: 'env-id', OSS_ACCESS_KEY_SECRET: 'env-secret' };
    const o = serveOptions(flags, env);
    const em = { url: '', host: '0.0.0.0', port: 1, region: 'r', accountId: '1', buckets: ['b'], identities: o.identities!, stateHookUrl: null, close: async () => {} };
    const text = describeServer(em, null, env);
    expect(text).toContain('env-id');
    expect(text).not.toContain('env-secret');
    expect(text).toContain('http://127.0.0.1:1');
    expect(text).toMatch(/state hook:\s+off/);
  });

  it('duration, rate and quota flags: N or A-B, not given stays undefined (a profile may fill it), --realistic passes through', () => {
    const o = serveOptions({ ...flags, creatingMs: '150', deletingMs: '200-1500', latencyMs: '5-40', throttleRps: '2.5', throttlePutIndexRps: '5', indexQuota: '7', realistic: true }, {});
    expect([o.creatingMs, o.deletingMs, o.latencyMs, o.throttleRps, o.throttlePutIndexRps, o.indexQuota, o.realistic]).toEqual([
      { min: 150, max: 150 }, { min: 200, max: 1500 }, { min: 5, max: 40 }, 2.5, 5, 7, true,
    ]);
    const bare = serveOptions({ host: '127.0.0.1', port: '0', region: 'cn-hangzhou', accountId: '1' }, {});
    expect([bare.creatingMs, bare.latencyMs, bare.throttleRps, bare.indexQuota, bare.realistic]).toEqual([undefined, undefined, undefined, undefined, false]);
    expect(describeRealism(bare)).toEqual([
      '  timing:                    latency 0 ms, creating 0 ms, deleting 0 ms',
      '  throttle:                  off',
      '  index quota:               100 per bucket',
    ]);
    expect(describeRealism({ fault: 'throttle-500' })[1]).toContain('20 requests/s overall');
  });

  it('bad duration, rate and quota values are UsageErrors of one sentence naming the flag', () => {
    const bad: Array<[keyof Parameters<typeof serveOptions>[0], string, RegExp]> = [
      ['creatingMs', '-1', /--creating-ms/], ['creatingMs', '10-5', /--creating-ms/], ['deletingMs', '1.5', /--deleting-ms/],
      ['deletingMs', '86400001', /--deleting-ms/], ['latencyMs', '60001', /--latency-ms/], ['latencyMs', 'a-b', /--latency-ms/],
      ['throttleRps', '-3', /--throttle-rps/], ['throttleRps', '1e3', /--throttle-rps/], ['throttlePutIndexRps', '', /--throttle-put-index-rps/],
      ['indexQuota', '-1', /--index-quota/], ['indexQuota', 'ten', /--index-quota/],
    ];
    for (const [key, value, re] of bad) {
      let err: unknown;
      try { serveOptions({ ...flags, [key]: value }, {}); } catch (e) { err = e; }
      expect(err, `${key}=${value}`).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message.split('\n')).toHaveLength(1);
    }
  });
});
