// What `ovc diff` hands each side's `ovc run`: arguments and environment (credentials per side).
import { describe, expect, it } from 'vitest';
import { againstEnv, parseAgainst, runArgs } from '../../cli/diff.ts';
import { UsageError } from '../../cli/errors.ts';

describe('ovc diff subprocesses', () => {
  it('the other side signs with OVC_AGAINST_* credentials, without the target session token or denied identity', () => {
    const env = againstEnv({ OSS_ACCESS_KEY_ID: 'main', OSS_ACCESS_KEY_SECRET: 'main-secret', OSS_SESSION_TOKEN: 'main-token', OVC_DENIED_ACCESS_KEY_ID: 'd', OVC_DENIED_ACCESS_KEY_SECRET: 'ds', OVC_AGAINST_ACCESS_KEY_ID: 'other', OVC_AGAINST_ACCESS_KEY_SECRET: 'other-secret' });
    expect(env).toMatchObject({ OSS_ACCESS_KEY_ID: 'other', OSS_ACCESS_KEY_SECRET: 'other-secret' });
    expect(env.OSS_SESSION_TOKEN).toBeUndefined();
    expect(env.OVC_DENIED_ACCESS_KEY_ID).toBeUndefined();
    const withToken = againstEnv({ OVC_AGAINST_ACCESS_KEY_ID: 'o', OVC_AGAINST_ACCESS_KEY_SECRET: 's', OVC_AGAINST_SESSION_TOKEN: 't', OVC_AGAINST_DENIED_ACCESS_KEY_ID: 'od', OVC_AGAINST_DENIED_ACCESS_KEY_SECRET: 'ods' });
    expect(withToken).toMatchObject({ OSS_SESSION_TOKEN: 't', OVC_DENIED_ACCESS_KEY_ID: 'od', OVC_DENIED_ACCESS_KEY_SECRET: 'ods' });
  });

  it('without OVC_AGAINST_* keys both sides use the same OSS_* credentials', () => {
    const env = { OSS_ACCESS_KEY_ID: 'main', OSS_ACCESS_KEY_SECRET: 'main-secret', OSS_SESSION_TOKEN: 'tok' };
    expect(againstEnv(env)).toMatchObject(env);
  });

  it('each side runs with the same seed, runs, strictness and tags, recording into its own folder', () => {
    const args = runArgs({ kind: 'run', endpoint: 'https://x.example', region: 'cn-beijing', bucket: 'b1', accountId: '42', addressing: 'virtual', stateHook: 'http://h/hook' }, { seed: 9, runs: 3, strict: true, tags: 'races', twoBuckets: true }, '/c', '/o');
    expect(args).toEqual(['run', '--endpoint', 'https://x.example', '--region', 'cn-beijing', '--bucket', 'b1', '--account-id', '42', '--addressing', 'virtual', '--state-hook', 'http://h/hook', '--seed', '9', '--runs', '3', '--strict', '--tags', 'races', '--record', '/c', '--out', '/o', '--quiet']);
    expect(runArgs({ kind: 'run', endpoint: null, region: 'r1', bucket: 'b', accountId: '1' }, { seed: 1, runs: 1, strict: false, twoBuckets: true }, '/c', '/o')).not.toContain('--endpoint');
  });

  it('--against is a URL, embedded, or a cassette folder', () => {
    expect(parseAgainst('embedded')).toEqual({ kind: 'embedded' });
    expect(parseAgainst('http://127.0.0.1:9000/')).toEqual({ kind: 'url', url: 'http://127.0.0.1:9000' });
    expect(() => parseAgainst('/no/such/dir')).toThrow(UsageError);
  });
});
