// client/config.ts: the one place the run's defaults come from (the CLI shows and uses the same
// constants), what a target and a run default to (rule 5: a remote target takes time and is paced,
// the embedded emulator is not), and the shape of a run id (it dates the names a run creates).
import { describe, expect, it } from 'vitest';
import { chooseConcurrency } from '../../client/concurrency.ts';
import {
  credentialsFromEnv, DEFAULT_CONCURRENCY, DEFAULT_MAX_INDEXES, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_RUNS, DEFAULT_SETTLE_MS, DEFAULT_TIMEOUT_MS,
  deniedCredentialsFromEnv, DOCUMENTED_INDEX_QUOTA, DOCUMENTED_PUT_INDEX_RPS, newRunId, prefixFor, RUN_NAME, runSpec, runStartOf, targetSpec,
} from '../../client/config.ts';
import { runCommand } from '../../cli/run.ts';
import { isValidBucketName, isValidIndexName, LIMITS } from '../../contracts/limits.ts';

const remote = targetSpec({ endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', bucket: 'my-bucket' });
const embedded = targetSpec({ endpoint: 'http://127.0.0.1:40000', bucket: 'ovc-conformance', embedded: true });

describe('defaults from one place', () => {
  const options = runCommand(() => undefined).options;
  const dflt = (flag: string): unknown => options.find((o) => o.long === flag)?.defaultValue;

  it('gives the CLI the same --runs, --timeout-ms, --max-indexes and --max-response-bytes defaults as runSpec and targetSpec', () => {
    const run = runSpec(remote, { outDir: 'o' });
    expect(dflt('--runs')).toBe(DEFAULT_RUNS);
    expect(run.runs).toBe(DEFAULT_RUNS);
    expect(dflt('--timeout-ms')).toBe(DEFAULT_TIMEOUT_MS);
    expect(remote.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    // --max-indexes has no CLI default (a given value is checked, the default is fitted to the free
    // slots): its help names config's default, and runSpec starts from it.
    expect(dflt('--max-indexes')).toBeUndefined();
    expect(options.find((o) => o.long === '--max-indexes')?.description).toContain(`default ${DEFAULT_MAX_INDEXES},`);
    expect(run.maxIndexes).toBe(DEFAULT_MAX_INDEXES);
    expect(dflt('--max-response-bytes')).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    expect(remote.maxResponseBytes).toBe(DEFAULT_MAX_RESPONSE_BYTES);
  });

  it('uses one default of cases in flight for runSpec and for the concurrency chosen by cores', () => {
    expect(runSpec(embedded, { outDir: 'o' }).pacing.concurrency).toBe(DEFAULT_CONCURRENCY);
    expect(chooseConcurrency(embedded, null, 4, { maxRps: 0 }).concurrency).toBe(DEFAULT_CONCURRENCY);
  });

  it('keeps the documented quota and PutVectorIndex rate of spec §4 (100 indexes per bucket, 5 PutVectorIndex per second)', () => {
    expect(DOCUMENTED_INDEX_QUOTA).toBe(100);
    expect(DOCUMENTED_INDEX_QUOTA).toBe(LIMITS.indexesPerBucket);
    expect(DOCUMENTED_PUT_INDEX_RPS).toBe(5);
    // The run's own budget fits beside the quota with room to spare.
    expect(DEFAULT_MAX_INDEXES).toBeLessThan(DOCUMENTED_INDEX_QUOTA);
  });
});

describe('targetSpec', () => {
  it('addresses an IP literal path-style and a host name virtual-hosted', () => {
    expect(embedded.addressing).toBe('path');
    expect(remote.addressing).toBe('virtual');
    expect(targetSpec({ endpoint: 'https://example.com', bucket: 'b', addressing: 'path' }).addressing).toBe('path');
  });

  it('names the target after its endpoint and bucket, or as the embedded emulator', () => {
    expect(remote.name).toBe('https://cn-hangzhou.oss-vectors.aliyuncs.com (my-bucket)');
    expect(embedded.name).toBe('embedded emulator');
  });

  it('has no other bucket, no hook and verified TLS unless told', () => {
    expect(remote).toMatchObject({ otherBucket: null, stateHook: null, region: 'cn-hangzhou', tls: { caFile: null, insecure: false } });
  });
});

describe('runSpec', () => {
  it('waits up to the settle bound and paces PutVectorIndex at the documented rate against a remote target', () => {
    const run = runSpec(remote, { outDir: 'o' });
    expect(run.settleMs).toBe(DEFAULT_SETTLE_MS);
    expect(run.settleMs).toBeGreaterThan(0);
    expect(run.pacing.putIndexRps).toBe(DOCUMENTED_PUT_INDEX_RPS);
    expect(run.pacing.maxRps).toBe(0);
  });

  it('expects instant transitions and no PutVectorIndex pace from the embedded emulator', () => {
    const run = runSpec(embedded, { outDir: 'o' });
    expect(run.settleMs).toBe(0);
    expect(run.pacing.putIndexRps).toBe(0);
  });

  it('takes what it is given over its defaults, including a settle bound of 0 and a put rate of 0', () => {
    const run = runSpec(remote, { outDir: 'o', settleMs: 0, runs: 3, pacing: { putIndexRps: 0, maxRps: 7 }, runId: 'abcdefghi', seed: 42 });
    expect(run).toMatchObject({ settleMs: 0, runs: 3, seed: 42, runId: 'abcdefghi', prefix: 'ovcabcdefghi', pacing: { putIndexRps: 0, maxRps: 7 } });
  });

  it('never has fewer than one worker', () => {
    expect(runSpec(remote, { outDir: 'o', workers: 0 }).workers).toBe(1);
    expect(runSpec(remote, { outDir: 'o', workers: -3 }).workers).toBe(1);
  });

  it('keeps its work and ledger under --out unless told otherwise', () => {
    expect(runSpec(remote, { outDir: 'out' })).toMatchObject({ workDir: 'out/.work', ledgerDir: 'out/.work' });
    expect(runSpec(remote, { outDir: 'out', workDir: 'w' })).toMatchObject({ workDir: 'w', ledgerDir: 'w' });
    expect(runSpec(remote, { outDir: 'out', workDir: 'w', ledgerDir: 'state/x' }).ledgerDir).toBe('state/x');
  });

  it('assumes absent a bucket whose name is a valid vector bucket name unique to the run', () => {
    const a = runSpec(remote, { outDir: 'o' });
    const b = runSpec(remote, { outDir: 'o' });
    expect(isValidBucketName(a.absentBucket)).toBe(true);
    expect(a.absentBucket).not.toBe(b.absentBucket);
    expect(a.absentBucket).not.toBe(remote.bucket);
  });

  it('draws a fresh run id and seed when none is given', () => {
    const a = runSpec(remote, { outDir: 'o' });
    const b = runSpec(remote, { outDir: 'o' });
    expect(a.runId).not.toBe(b.runId);
    expect(Number.isInteger(a.seed) && a.seed >= 0 && a.seed < 2 ** 31).toBe(true);
  });
});

describe('run ids', () => {
  const at = Date.UTC(2026, 0, 1, 12, 34, 56); // minute 29454514 of the epoch = 'hjb8y' in base 36

  it('are the start minute in five base-36 digits, then four random letters or digits', () => {
    const id = newRunId(at);
    expect(id).toMatch(/^hjb8y[0-9a-z]{4}$/);
    expect(newRunId(60_000)).toMatch(/^00001[0-9a-z]{4}$/);
  });

  it('differ between runs started in the same minute', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newRunId(at)));
    expect(ids.size).toBeGreaterThan(45);
  });

  it('make prefixes whose names are valid index names of the run shape, dated to their start minute', () => {
    const name = `${prefixFor(newRunId(at))}del7`;
    expect(isValidIndexName(name)).toBe(true);
    expect(RUN_NAME.test(name)).toBe(true);
    expect(runStartOf(name)).toBe(Date.UTC(2026, 0, 1, 12, 34));
  });

  it('date nothing that does not have the run shape', () => {
    expect(runStartOf('myProductionIndex')).toBeNull();
    expect(runStartOf('ovcAB')).toBeNull();
  });
});

describe('credentials from the environment', () => {
  it('read the official SDK variables, with the session token when set', () => {
    expect(credentialsFromEnv({ OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'sec', OSS_SESSION_TOKEN: 'tok' })).toEqual({ accessKeyId: 'id', accessKeySecret: 'sec', securityToken: 'tok' });
    expect(credentialsFromEnv({ OSS_ACCESS_KEY_ID: 'id', OSS_ACCESS_KEY_SECRET: 'sec', OSS_SESSION_TOKEN: '' })).toEqual({ accessKeyId: 'id', accessKeySecret: 'sec', securityToken: undefined });
  });

  it('are absent when either half is missing', () => {
    expect(credentialsFromEnv({ OSS_ACCESS_KEY_ID: 'id' })).toBeNull();
    expect(credentialsFromEnv({ OSS_ACCESS_KEY_SECRET: 'sec' })).toBeNull();
    expect(deniedCredentialsFromEnv({ OVC_DENIED_ACCESS_KEY_ID: 'd' })).toBeNull();
    expect(deniedCredentialsFromEnv({ OVC_DENIED_ACCESS_KEY_ID: 'd', OVC_DENIED_ACCESS_KEY_SECRET: 'ds' })).toEqual({ accessKeyId: 'd', accessKeySecret: 'ds' });
  });
});
