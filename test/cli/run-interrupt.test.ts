// Ctrl-C during `ovc run`: the suites stop, what the run created is cleaned up, the reports cover
// the cases that ran, and the exit status says the run is incomplete (2). The same for
// `ovc pact verify`: the verification stops, what its states created is removed, exit 2. And for
// `ovc sdk-test`: the SDK's tests and the inner command end, the scratch folder goes, exit 2.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetClient } from '../../client/client.ts';
import { targetSpec } from '../../client/config.ts';
import { closeTransport } from '../../client/http.ts';
import { namespacesAvailable } from '../../cli/sdk-test/isolation.ts';
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
  // A temporary folder of these commands' own: another test's `ovc run` sweeps the shared one of
  // the folders whose process is gone — the killed verification's too, before it could be looked at.
  const own = mkdtempSync(join(tmpdir(), 'ovc-int-pact-'));
  afterAll(() => { rmSync(own, { recursive: true, force: true }); });
  const env = { ...process.env, TMPDIR: own, PACT_DO_NOT_TRACK: 'true', OSS_ACCESS_KEY_ID: identities[0]!.accessKeyId, OSS_ACCESS_KEY_SECRET: identities[0]!.accessKeySecret };
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
  const workFolderOf = (pid: number | undefined): string[] => readdirSync(own).filter((n) => n.startsWith(`ovc-run-${pid}-`));
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

describe('ovc sdk-test stopped half-way', () => {
  // A Python SDK checkout and a stand-in for `python3 -m pytest` that takes 60 s.
  const dir = mkdtempSync(join(tmpdir(), 'ovc-sdk-stop-'));
  const checkout = join(dir, 'py-sdk');
  mkdirSync(join(checkout, 'tests/integration/vector'), { recursive: true });
  mkdirSync(join(checkout, 'alibabacloud_oss_v2'), { recursive: true });
  writeFileSync(join(checkout, 'alibabacloud_oss_v2/_version.py'), 'VERSION = "1.3.2"\n');
  const python = join(dir, 'slow-python.mjs');
  writeFileSync(python, `#!${process.execPath}\nif (process.argv[2] === '-c') process.exit(0);\nsetTimeout(() => process.exit(1), 60000);\n`);
  chmodSync(python, 0o755);
  const slowPythons = (): string[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    // The tests' run (`-m pytest …`), not the toolchain check before it (`-c 'import pytest, requests'`).
    try { const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8'); return cmd.includes(python) && cmd.includes('--junitxml'); } catch { return false; }
  });
  const start = (isolation: string): ChildProcessWithoutNullStreams & { err: () => string; closed: Promise<number | null> } => {
    const child = spawn(process.execPath, [OVC, 'sdk-test', 'python', checkout, '--python', python, '--isolation', isolation], { cwd: ROOT, env: { ...process.env, TMPDIR: own } });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.resume();
    return Object.assign(child, { err: () => err, closed: new Promise<number | null>((resolve) => child.on('close', resolve)) });
  };
  const untilTestsRun = async (): Promise<void> => {
    const started = Date.now();
    while (slowPythons().length === 0) {
      if (Date.now() - started > 30_000) throw new Error('the SDK tests did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // The commands' own temporary folder (as above: not swept by other tests' runs).
  const own = join(dir, 'tmp');
  mkdirSync(own);
  const scratchOf = (pid: number | undefined): string[] => readdirSync(own).filter((n) => n.startsWith(`ovc-run-${pid}-sdktest-`));
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  for (const isolation of ['none', 'netns']) {
    it.skipIf(isolation === 'netns' && !namespacesAvailable())(`SIGINT (--isolation ${isolation}): the SDK's tests end, the scratch folder goes, exit 2`, async () => {
      const child = start(isolation);
      await untilTestsRun();
      child.kill('SIGINT');
      const code = await child.closed;
      expect(child.err()).toMatch(/ovc sdk-test: stopped \(SIGINT\): the SDK's tests were ended, nothing of the run is left\./);
      expect(code).toBe(2);
      // Before: the test process ran on for its 60 s (the inner command too, with --isolation netns).
      expect(slowPythons()).toEqual([]);
      expect(scratchOf(child.pid)).toEqual([]);
    });
  }

  /** Starts the command, kills it with SIGKILL once the SDK's tests run, waits up to 5 s for them to end. */
  const killedWhileTestsRun = async (isolation: string): Promise<ReturnType<typeof start>> => {
    const child = start(isolation);
    await untilTestsRun();
    child.kill('SIGKILL');
    await child.closed;
    const killed = Date.now();
    while (slowPythons().length > 0 && Date.now() - killed < 5000) await new Promise((r) => setTimeout(r, 100));
    return child;
  };

  it('kill -9 of the command (--isolation none): the SDK\'s tests end by themselves (the watcher in their process group)', async () => {
    await killedWhileTestsRun('none');
    // Before: the stand-in ran on for its 60 s, orphaned.
    expect(slowPythons()).toEqual([]);
  });

  it('kill -9 of the command when nothing reaps it (a zombie that still answers kill -0): the SDK\'s tests end all the same', async () => {
    // `sh -c '"$@" & exec sleep 60'`: the command's parent becomes `sleep`, which never waits for it.
    const holder = spawn('/bin/sh', ['-c', '"$@" & exec sleep 60', 'holder', process.execPath, OVC, 'sdk-test', 'python', checkout, '--python', python, '--isolation', 'none'],
      { cwd: ROOT, env: { ...process.env, TMPDIR: own }, stdio: 'ignore' });
    const stateOf = (pid: string): string | null => {
      try { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); return s.slice(s.lastIndexOf(')') + 2).split(' ')[0]!; } catch { return null; }
    };
    try {
      await untilTestsRun();
      const ovc = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).find((p) => {
        try { return readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1] === String(holder.pid) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('sdk-test'); } catch { return false; }
      });
      expect(ovc).toBeDefined();
      process.kill(Number(ovc), 'SIGKILL');
      const killed = Date.now();
      while (slowPythons().length > 0 && Date.now() - killed < 5000) await new Promise((r) => setTimeout(r, 100));
      // The scenario holds: the killed command is a zombie, not gone.
      expect(stateOf(ovc!)).toBe('Z');
      // Before (`kill -0` alone): the stand-in ran on for as long as the zombie stayed.
      expect(slowPythons()).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it.skipIf(!namespacesAvailable())('kill -9 of the command: the inner command and the SDK\'s tests end by themselves; the next sdk-test removes the scratch folder', async () => {
    const child = await killedWhileTestsRun('netns');
    expect(slowPythons()).toEqual([]);
    expect(scratchOf(child.pid).length).toBe(1);
    const next = start('none');
    await untilTestsRun();
    expect(scratchOf(child.pid)).toEqual([]);
    next.kill('SIGINT');
    expect(await next.closed).toBe(2);
  });
});

describe('the pact publishing commands stopped half-way', () => {
  // publish-provider-contract publishes at once; publish verifies the shipped pact against the
  // embedded emulator first, then publishes it.
  const commands = [
    { name: 'publish-provider-contract', what: 'the provider contract', args: (results: string) => ['--results', results, '--provider-version', '1.0.0'] },
    { name: 'publish', what: 'the pacts', args: () => ['--consumer-version', '1.0.0'] },
  ];

  /** A broker that answers ovc's probe (the first request) and never answers the pact binary. */
  async function hangingBroker(): Promise<{ url: string; held: Set<ServerResponse>; close: () => Promise<void> }> {
    let requests = 0;
    const held = new Set<ServerResponse>();
    const broker = createServer((req, res) => {
      if (++requests > 1) { held.add(res); return; }
      res.setHeader('content-type', 'application/hal+json');
      res.end(JSON.stringify({ _links: { 'pf:publish-provider-contract': { href: `http://${req.headers.host}/provider-contracts/provider/{provider}/publish`, templated: true } } }));
    });
    await new Promise<void>((r) => broker.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(broker.address() as AddressInfo).port}`,
      held,
      close: async () => {
        for (const res of held) res.destroy();
        broker.closeAllConnections();
        await new Promise<void>((r) => broker.close(() => r()));
      },
    };
  }

  /** The pact binary's processes (the watcher, the launcher, the Rust binary): their arguments name the broker. */
  const binaries = (url: string, except: number | undefined): string[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== except).filter((p) => {
    try { const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8'); return cmd.includes(url) && cmd.includes('pact'); } catch { return false; }
  });

  /** Starts `ovc pact <name>` against a hanging broker in a temporary folder of its own; resolves once the binary publishes. */
  async function publishing(c: (typeof commands)[number]) {
    const dir = mkdtempSync(join(tmpdir(), 'ovc-publish-stop-'));
    const own = join(dir, 'tmp');
    mkdirSync(own);
    const results = join(dir, 'results.jsonl');
    writeFileSync(results, `${JSON.stringify({ id: 'a', response: '204 No Content', outcome: 'pass', expected: { status: 204 }, actual: { status: 204 } })}\n`);
    const broker = await hangingBroker();
    const child = spawn(process.execPath, [OVC, 'pact', c.name, ...c.args(results), '--broker-url', broker.url, '--branch', 'main'],
      { cwd: ROOT, env: { ...process.env, TMPDIR: own, PACT_DO_NOT_TRACK: 'true', PACT_BROKER_TOKEN: '' } });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.resume();
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const cleanup = async (): Promise<void> => {
      child.kill('SIGKILL');
      await broker.close();
      rmSync(dir, { recursive: true, force: true });
    };
    const started = Date.now();
    while (broker.held.size === 0) {
      if (Date.now() - started > 30_000) { await cleanup(); throw new Error(`the publishing did not start:\n${err}`); }
      await new Promise((r) => setTimeout(r, 50));
    }
    const left = (): string[] => binaries(broker.url, child.pid);
    const gone = async (): Promise<void> => {
      const since = Date.now();
      while (left().length > 0 && Date.now() - since < 5000) await new Promise((r) => setTimeout(r, 100));
    };
    return { child, own, err: () => err, closed, left, gone, cleanup };
  }

  for (const c of commands) {
    it(`ovc pact ${c.name}: SIGINT while the pact binary publishes ends it with what it started, leaves no folder, exit 2, says the broker may hold ${c.what}`, async () => {
      const p = await publishing(c);
      try {
        expect(p.left().length).toBeGreaterThan(0);
        p.child.kill('SIGINT');
        const code = await p.closed;
        expect(p.err()).toContain(`stopped (SIGINT) before the end of the publishing: the broker may or may not hold ${c.what}; publish again to be sure.`);
        expect(code).toBe(2);
        // Before: exit 130 at once (provider contract) or a wait for the binary's end (pacts); the
        // launcher and the Rust binary ran on, and the provider contract's folder stayed.
        await p.gone();
        expect(p.left()).toEqual([]);
        expect(readdirSync(p.own)).toEqual([]);
      } finally {
        await p.cleanup();
      }
    });
  }

  it('ovc pact publish-provider-contract, kill -9 while the pact binary publishes: the binary ends by itself; the next command removes the folder', async () => {
    const p = await publishing(commands[0]!);
    try {
      p.child.kill('SIGKILL');
      await p.closed;
      await p.gone();
      // Before: the launcher and the Rust binary ran on (up to their own timeouts).
      expect(p.left()).toEqual([]);
      const folders = (): string[] => readdirSync(p.own).filter((n) => n.startsWith(`ovc-run-${p.child.pid}-providercontract-`));
      expect(folders().length).toBe(1);
      // Before: an `ovc-provider-contract-*` folder nothing would ever remove.
      const next = spawn(process.execPath, [OVC, 'pact', 'verify'], { cwd: ROOT, env: { ...process.env, TMPDIR: p.own, PACT_DO_NOT_TRACK: 'true' }, stdio: 'ignore' });
      expect(await new Promise((resolve) => next.on('close', resolve))).toBe(0);
      expect(folders()).toEqual([]);
    } finally {
      await p.cleanup();
    }
  });
});
