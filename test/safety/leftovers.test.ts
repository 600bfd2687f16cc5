// safety/leftovers.ts: where ledgers outlive their run ($OVC_STATE_DIR, else $XDG_STATE_HOME/ovc,
// else ~/.local/state/ovc; `--state-dir` is cli/run.ts's and wins over all three), which earlier
// ledgers are stale (their owner is gone), and how the next run removes what they hold.
import { spawn, spawnSync } from 'node:child_process';
import { makeTempFolder } from '../../files/gate.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { targetSpec, type TargetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { startEmulator, type RunningEmulator } from '../../emulator/index.ts';
import { LEASE_FILE, Ledger } from '../../safety/ledger.ts';
import {
  closeRunLedger, defaultStateDir, OWNER_FILE, openRunLedger, ownerAlive, removeLeftovers, runLedgerDir, scanLedgers, staleLedgers, targetKey, type RunOwner,
} from '../../safety/leftovers.ts';

afterAll(() => closeTransport());

describe('the state folder', () => {
  it('is $OVC_STATE_DIR when set, whatever else is', () => {
    expect(defaultStateDir({ OVC_STATE_DIR: '/srv/ovc-state', XDG_STATE_HOME: '/xdg' })).toBe('/srv/ovc-state');
  });

  it('is $XDG_STATE_HOME/ovc without $OVC_STATE_DIR', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/home/u/.state' })).toBe('/home/u/.state/ovc');
  });

  it('ignores a relative $XDG_STATE_HOME (the XDG spec says so) and falls back to ~/.local/state/ovc', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: 'relative/state' })).toBe(join(homedir(), '.local', 'state', 'ovc'));
    expect(defaultStateDir({})).toBe(join(homedir(), '.local', 'state', 'ovc'));
  });
});

describe('target keys', () => {
  const a = { endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', bucket: 'my-bucket' };

  it('name the host and bucket readably and are one path segment', () => {
    expect(targetKey(a)).toMatch(/^cn-hangzhou\.oss-vectors\.aliyuncs\.com-my-bucket-[0-9a-f]{12}$/);
    expect(targetKey({ endpoint: 'http://127.0.0.1:9000', bucket: 'b' })).toMatch(/^127\.0\.0\.1_9000-b-[0-9a-f]{12}$/);
    expect(targetKey({ endpoint: 'not a url', bucket: 'b' })).toMatch(/^endpoint-b-/);
  });

  it('are the same for the same target and differ for another bucket or endpoint', () => {
    expect(targetKey({ ...a })).toBe(targetKey(a));
    expect(targetKey({ ...a, bucket: 'other' })).not.toBe(targetKey(a));
    expect(targetKey({ ...a, endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com:8443' })).not.toBe(targetKey(a));
    // The readable part alone would collide here; the hash keeps them apart.
    expect(targetKey({ endpoint: 'http://h', bucket: 'x' })).not.toBe(targetKey({ endpoint: 'https://h', bucket: 'x' }));
  });

  it('stay short for a very long endpoint', () => {
    expect(targetKey({ endpoint: `https://${'a'.repeat(300)}.example.com`, bucket: 'b' }).length).toBeLessThanOrEqual(120);
  });
});

/** A pid that belonged to a process which has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

describe('stale ledgers', () => {
  const target = { endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', bucket: 'stale-bucket' };
  const owner = (o: Partial<RunOwner>): RunOwner => ({
    runId: 'r', prefix: 'ovcr', pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), endpoint: target.endpoint, bucket: target.bucket, otherBucket: null, ...o,
  });
  /** A ledger folder; one with no owner file is made an hour old (a fresh one is a run in its first moments). */
  function ledgerOf(stateDir: string, runId: string, o: RunOwner | null): void {
    const dir = runLedgerDir(stateDir, target, runId);
    mkdirSync(dir, { recursive: true });
    if (o) writeFileSync(join(dir, OWNER_FILE), JSON.stringify(o));
    else { const t = (Date.now() - 3600_000) / 1000; utimesSync(dir, t, t); }
  }

  it('are the runs whose owner pid is dead, or that have no owner file; never a live owner\'s or our own', () => {
    const state = makeTempFolder('ovc-leftovers-') /* a state folder as ovc run claims it: marked */;
    ledgerOf(state, 'deadrun01', owner({ runId: 'deadrun01', prefix: 'ovcdeadrun01', pid: deadPid() }));
    ledgerOf(state, 'liverun01', owner({ runId: 'liverun01', prefix: 'ovcliverun01' }));
    ledgerOf(state, 'noowner01', null);
    ledgerOf(state, 'ownrun001', owner({ runId: 'ownrun001', prefix: 'ovcownrun001', pid: deadPid() }));
    const stale = staleLedgers(state, target, 'ownrun001');
    expect(stale.map((s) => [s.dir.split('/').at(-1), s.ledger.prefix, s.owner?.runId ?? null])).toEqual([
      ['deadrun01', 'ovcdeadrun01', 'deadrun01'],
      ['noowner01', 'ovcnoowner01', null],
    ]);
  });

  it('look only in the folder of their own target', () => {
    const state = makeTempFolder('ovc-leftovers-') /* a state folder as ovc run claims it: marked */;
    ledgerOf(state, 'deadrun02', owner({ pid: deadPid() }));
    expect(staleLedgers(state, { ...target, bucket: 'another' })).toEqual([]);
    expect(staleLedgers(join(state, 'nothing-here'), target)).toEqual([]);
  });

  // Without /proc a live pid is taken for the owner: nothing to tell a reused pid by.
  it.skipIf(!existsSync('/proc/self/cmdline'))('take a live pid that is no longer a node process for a dead owner (the pid was reused)', async () => {
    const sleeper = spawn('sleep', ['5']);
    await new Promise((r) => sleeper.once('spawn', r));
    try {
      expect(ownerAlive(owner({ pid: sleeper.pid! }))).toBe(false);
    } finally {
      sleeper.kill();
    }
  });

  it('take an owner on another host for alive for a day after its start, then for stale', () => {
    const now = Date.now();
    const elsewhere = owner({ host: `${hostname()}-elsewhere`, pid: deadPid() });
    expect(ownerAlive({ ...elsewhere, startedAt: new Date(now - 3600_000).toISOString() }, now)).toBe(true);
    expect(ownerAlive({ ...elsewhere, startedAt: new Date(now - 25 * 3600_000).toISOString() }, now)).toBe(false);
  });
});

describe('ledgers that do not check out against their own run id', () => {
  const target = { endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', bucket: 'planted-bucket' };
  /** A stopped run's folder as written by hand: owner.json fields, ledger lines. */
  function planted(state: string, folder: string, owner: Record<string, unknown> | string | null, names: string[]): void {
    const dir = runLedgerDir(state, target, folder);
    mkdirSync(dir, { recursive: true });
    if (owner !== null) writeFileSync(join(dir, OWNER_FILE), typeof owner === 'string' ? owner : JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), ...owner }));
    writeFileSync(join(dir, 'ledger.jsonl'), names.map((name) => `${JSON.stringify({ kind: 'index', bucket: target.bucket, name, event: 'created' })}\n`).join(''));
    // Left there an hour ago: a folder with no owner file made a moment ago is a run making it.
    const t = (Date.now() - 3600_000) / 1000;
    utimesSync(dir, t, t);
  }

  it('are reported, one sentence each, and never taken for stale ones to clean', () => {
    const state = mkdtempSync(join(tmpdir(), 'ovc-planted-'));
    planted(state, 'htqoe5efh', { runId: 'htqoe5efh', prefix: '' }, ['prodembeddings', 'precioususerindex']);
    planted(state, 'htqoe5efi', { runId: 'htqoe5efi', prefix: 'ovchtqoe5efh' }, ['ovchtqoe5efhcs0']);
    planted(state, 'htqoe5efj', { runId: 'htqoe5efj', prefix: 'ovchtqoe5efj' }, ['ovchtqoe5efjcs0', 'prodembeddings']);
    planted(state, 'htqoe5efk', { runId: 'someother', prefix: 'ovchtqoe5efk' }, ['ovchtqoe5efkcs0']);
    planted(state, 'htqoe5efl', '{"runId": "htqoe5efl", "pref', ['ovchtqoe5eflcs0']);
    planted(state, 'prod', null, ['prodembeddings']);
    planted(state, 'htqoe5efm', { runId: 'htqoe5efm', prefix: 'ovchtqoe5efm' }, ['ovchtqoe5efmcs0']);
    const scan = scanLedgers(state, target);
    expect(scan.stale.map((s) => s.ledger.prefix)).toEqual(['ovchtqoe5efm']);
    expect(scan.ignored.map((i) => i.replace(/ignored the ledger in \S+\/([^/]+): /, '$1: '))).toEqual([
      `htqoe5efh: its owner.json gives the prefix "", not 'ovchtqoe5efh'; nothing it lists was deleted.`,
      `htqoe5efi: its owner.json gives the prefix "ovchtqoe5efh", not 'ovchtqoe5efi'; nothing it lists was deleted.`,
      `htqoe5efj: it lists 'prodembeddings', a name outside its prefix 'ovchtqoe5efj'; nothing it lists was deleted.`,
      `htqoe5efk: its owner.json names run "someother", not its folder's run 'htqoe5efk'; nothing it lists was deleted.`,
      `htqoe5efl: its owner.json is not JSON; nothing it lists was deleted.`,
      `prod: its folder name 'prod' is not a run id; nothing it lists was deleted.`,
    ]);
  });
});

describe('the lease', () => {
  const target = { endpoint: 'https://cn-hangzhou.oss-vectors.aliyuncs.com', bucket: 'lease-bucket' };
  const folder = (state: string, runId: string, o: Partial<RunOwner> | null, leaseAgeMs: number | null): string => {
    const dir = runLedgerDir(state, target, runId);
    mkdirSync(dir, { recursive: true });
    if (o) writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ runId, prefix: `ovc${runId}`, pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), endpoint: target.endpoint, bucket: target.bucket, otherBucket: null, ...o }));
    if (leaseAgeMs !== null) {
      writeFileSync(join(dir, LEASE_FILE), '{}\n');
      const t = (Date.now() - leaseAgeMs) / 1000;
      utimesSync(join(dir, LEASE_FILE), t, t);
    }
    return dir;
  };

  it('keeps the run of another host or container alive while it is fresh, and lets it go once it is a minute old', () => {
    const state = mkdtempSync(join(tmpdir(), 'ovc-lease-'));
    const elsewhere = `${hostname()}-elsewhere`;
    folder(state, 'freshrun1', { host: elsewhere, startedAt: new Date(Date.now() - 30 * 3600_000).toISOString() }, 5_000);
    folder(state, 'stalerun1', { host: elsewhere }, 90_000);
    folder(state, 'otherpid1', { pidNs: 'pid:[1]', startedAt: new Date().toISOString() }, 5_000);
    const scan = scanLedgers(state, target);
    expect(scan.live.sort()).toEqual(['freshrun1', 'otherpid1']);
    expect(scan.stale.map((s) => s.ledger.prefix)).toEqual(['ovcstalerun1']);
  });

  it('does not keep alive a run of this host whose pid is gone (kill -9 leaves a fresh lease)', () => {
    const state = mkdtempSync(join(tmpdir(), 'ovc-lease-'));
    folder(state, 'killed001', {}, 1_000);
    expect(scanLedgers(state, target).stale.map((s) => s.ledger.prefix)).toEqual(['ovckilled001']);
  });

  // A run makes its folder a moment before it writes the lease: a run starting beside it that took
  // the folder for stale then removed it under the other (two `ovc diff`s against one target).
  it('keeps alive a folder with neither owner file nor lease made less than a minute ago (a run making its folder); an older one is stale', () => {
    const state = mkdtempSync(join(tmpdir(), 'ovc-lease-'));
    folder(state, 'justmade1', null, null);
    const old = folder(state, 'leftmade1', null, null);
    const t = (Date.now() - 61_000) / 1000;
    utimesSync(old, t, t);
    const scan = scanLedgers(state, target);
    expect(scan.live).toEqual(['justmade1']);
    expect(scan.stale.map((s) => s.ledger.prefix)).toEqual(['ovcleftmade1']);
  });

  it('keeps alive a folder with no owner file yet while its lease is fresh (a run in its preflight)', () => {
    const state = mkdtempSync(join(tmpdir(), 'ovc-lease-'));
    folder(state, 'preflite1', null, 1_000);
    folder(state, 'preflite2', null, 120_000);
    const scan = scanLedgers(state, target);
    expect(scan.live).toEqual(['preflite1']);
    expect(scan.stale.map((s) => s.ledger.prefix)).toEqual(['ovcpreflite2']);
  });

  it('is held from the opening of a run ledger and released when it is closed', () => {
    const state = makeTempFolder('ovc-lease-') /* a state folder as ovc run claims it: marked */;
    const ledgerDir = runLedgerDir(state, target, 'leased001');
    const ledger = openRunLedger(target as TargetSpec, { runId: 'leased001', prefix: 'ovcleased001', ledgerDir });
    expect(existsSync(join(ledgerDir, LEASE_FILE))).toBe(true);
    ledger.created(target.bucket, 'ovcleased001a');
    expect(closeRunLedger(ledger)).toBe(false);
    expect(existsSync(join(ledgerDir, LEASE_FILE))).toBe(false);
  });
});

describe('run ledgers and their removal', () => {
  const KEY = { accessKeyId: 'left-key', accessKeySecret: 'left-secret' };
  let emulator: RunningEmulator;
  let target: TargetSpec;
  let client: TargetClient;
  beforeAll(async () => {
    emulator = await startEmulator({ buckets: ['ovc-conformance'], stateHook: false, identities: [{ ...KEY }] });
    target = targetSpec({ endpoint: emulator.url, bucket: 'ovc-conformance', region: emulator.region, accountId: emulator.accountId });
    client = new TargetClient(target, { main: KEY, denied: null });
  });
  afterAll(() => emulator.close());

  it('writes who owns a run before anything is created, and removes the folder only once nothing is outstanding', () => {
    const state = makeTempFolder('ovc-leftovers-') /* a state folder as ovc run claims it: marked */;
    const ledgerDir = runLedgerDir(state, target, 'own1run01');
    const ledger = openRunLedger(target, { runId: 'own1run01', prefix: 'ovcown1run01', ledgerDir });
    const o = JSON.parse(readFileSync(join(ledgerDir, OWNER_FILE), 'utf8')) as RunOwner;
    expect(o).toMatchObject({ runId: 'own1run01', prefix: 'ovcown1run01', pid: process.pid, host: hostname(), endpoint: target.endpoint, bucket: target.bucket });
    ledger.created(target.bucket, 'ovcown1run01a');
    expect(closeRunLedger(ledger)).toBe(false);
    expect(existsSync(ledgerDir)).toBe(true);
    ledger.deleted(target.bucket, 'ovcown1run01a');
    expect(closeRunLedger(ledger)).toBe(true);
    expect(existsSync(ledgerDir)).toBe(false);
  });

  it('removes what a stopped run left, says which run it was, and drops its emptied ledger', async () => {
    const state = makeTempFolder('ovc-leftovers-') /* a state folder as ovc run claims it: marked */;
    const deadDir = runLedgerDir(state, target, 'stopped01');
    mkdirSync(deadDir, { recursive: true });
    writeFileSync(join(deadDir, OWNER_FILE), JSON.stringify({ runId: 'stopped01', prefix: 'ovcstopped01', pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), endpoint: target.endpoint, bucket: target.bucket, otherBucket: null }));
    const dead = new Ledger(deadDir, 'ovcstopped01');
    const live = openRunLedger(target, { runId: 'running01', prefix: 'ovcrunning01', ledgerDir: runLedgerDir(state, target, 'running01') });
    for (const [l, name] of [[dead, 'ovcstopped01x'], [live, 'ovcrunning01x']] as const) {
      expect((await client.op('PutVectorIndex', { indexName: name, dataType: 'float32', dimension: 4, distanceMetric: 'cosine' })).status).toBe(200);
      l.created(target.bucket, name);
    }
    const report = await removeLeftovers(client, state, target, 0, null, 'ownrun999');
    expect(report).toMatchObject({ runs: ['stopped01'], deleted: 1, failures: [], removed: ['ovc-conformance/ovcstopped01x'] });
    expect(existsSync(deadDir)).toBe(false);
    expect(live.outstanding()).toHaveLength(1);
    const left = await client.op('ListVectorIndexes', { maxResults: 100 });
    expect((left.json as { indexes: Array<{ indexName: string }> }).indexes.map((i) => i.indexName)).toEqual(['ovcrunning01x']);
    live.deleted(target.bucket, 'ovcrunning01x');
    closeRunLedger(live);
    await client.op('DeleteVectorIndex', { indexName: 'ovcrunning01x' });
  });

  it('obeys no ledger whose owner.json gives another prefix: reports it and deletes nothing', async () => {
    const state = mkdtempSync(join(tmpdir(), 'ovc-leftovers-'));
    const dir = runLedgerDir(state, target, 'htqoe5efh');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ runId: 'htqoe5efh', prefix: '', pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), endpoint: target.endpoint, bucket: target.bucket, otherBucket: null }));
    new Ledger(dir, '').created(target.bucket, 'prodembeddings');
    expect((await client.op('PutVectorIndex', { indexName: 'prodembeddings', dataType: 'float32', dimension: 4, distanceMetric: 'cosine' })).status).toBe(200);
    const report = await removeLeftovers(client, state, target, 0, null, 'ownrun999');
    expect(report).toMatchObject({ runs: [], deleted: 0, removed: [], ignored: [expect.stringMatching(/^ignored the ledger in .*htqoe5efh: its owner.json gives the prefix "", not 'ovchtqoe5efh'; nothing it lists was deleted\.$/)] });
    const left = await client.op('ListVectorIndexes', { maxResults: 100 });
    expect((left.json as { indexes: Array<{ indexName: string }> }).indexes.map((i) => i.indexName)).toEqual(['prodembeddings']);
  });
});
