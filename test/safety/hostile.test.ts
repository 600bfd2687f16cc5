// A hostile target (DESIGN rule 6): one that passes the preflight and then answers with 10 MB
// bodies, trickles a body a byte a second, answers 500 to everything or `200 {}` to everything.
// Each makes cases `error` or `fail` — never a crash, a hang, a pass or a reached row — and the run
// finishes with its reports, in bounded time and memory.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Matrix } from '../../reports/matrix.ts';
import type { CaseResult } from '../../reports/model.ts';
import { HOSTILE_ENV, startHostileTarget, type HostileMode, type HostileTarget } from './hostile-target.ts';
import { descendants, startRun } from './processes.ts';
import { runOvc } from '../selftest/run-cli.ts';

let target: HostileTarget | null = null;
afterEach(async () => { await target?.close(); target = null; });

const tmp = (p: string): string => mkdtempSync(join(tmpdir(), `ovc-hostile-${p}-`));

/** Kernel RSS (KiB) of a process and all its descendants. */
function treeRssKiB(pid: number): number {
  let sum = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try { sum += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0); } catch { /* ended */ }
  }
  return sum;
}

async function runAgainst(mode: HostileMode, extra: string[]): Promise<{ code: number | null; err: string; out: string; dir: string; peakMiB: number; results: CaseResult[] }> {
  target = await startHostileTarget(mode);
  const dir = tmp(mode);
  const run = startRun(['--endpoint', target.url, '--state-hook', target.hookUrl, '--state-dir', tmp('state'), '--out', dir, '--quiet', ...extra], HOSTILE_ENV);
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, treeRssKiB(run.child.pid!)); }, 100);
  const code = await run.done;
  clearInterval(timer);
  const results = readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CaseResult);
  return { code, err: run.err(), out: run.out(), dir, peakMiB: Math.round(peak / 1024), results };
}

describe('hostile targets', () => {
  it('10 MB answers: every case that met one is an error "answer too large", the run finishes, memory stays bounded', async () => {
    const r = await runAgainst('huge', ['--runs', '20']);
    expect(r.code).toBe(1);
    const large = r.results.filter((x) => x.outcome === 'error' && /answer too large/.test(x.reason ?? ''));
    expect(large.length).toBeGreaterThan(50);
    expect(r.results.filter((x) => x.outcome === 'pass' && !x.observation)).toEqual([]);
    // Two node processes (the run and its suite child) with vitest loaded: ~300 MiB; 10 MB bodies
    // read whole would add their size per request in flight, and the cases file would hold them.
    expect(r.peakMiB).toBeLessThan(600);
    expect(statSync(join(r.dir, 'results.jsonl')).size).toBeLessThan(20 * 2 ** 20);
  }, 120_000);

  it('a body trickled a byte a second: --timeout-ms bounds the whole exchange, the cases are errors', async () => {
    const started = Date.now();
    const r = await runAgainst('trickle', ['--runs', '2', '--timeout-ms', '2000', '--tags', '404-no-such-vector-index']);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.results.length).toBeGreaterThan(0);
    for (const x of r.results) {
      expect(x.outcome).toBe('error');
      expect(x.reason).toMatch(/no complete answer within 2000 ms/);
    }
    expect(r.code).toBe(2); // nothing but errors: the run could not judge the target
  }, 90_000);

  it('500 to everything after the preflight: no case passes, no row is reached, exit 1', async () => {
    const r = await runAgainst('all-500', ['--runs', '5']);
    expect(r.code).toBe(1);
    const matrix = JSON.parse(readFileSync(join(r.dir, 'matrix.json'), 'utf8')) as Matrix;
    expect(matrix.rows.filter((row) => row.reached).map((row) => row.label)).toEqual([]);
    expect(r.results.filter((x) => x.outcome === 'pass' && !x.observation).map((x) => x.id)).toEqual([]);
  }, 120_000);

  it('200 {} to everything: fails at the first invalid answer instead of waiting out the settle bound', async () => {
    const started = Date.now();
    const r = await runAgainst('all-200', ['--runs', '5']);
    expect(r.code).toBe(1);
    // The settle bound is 60 s against a remote target; nothing may wait for it.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(r.results.filter((x) => x.outcome === 'pass' && !x.observation).map((x) => x.id)).toEqual([]);
  }, 120_000);
});

describe('prerequisites are checked before any case', () => {
  it('a --state-hook that answers nothing: exit 2, one sentence, no case run', async () => {
    target = await startHostileTarget('faithful');
    const r = await runOvc(['run', '--endpoint', target.url, '--state-hook', 'http://127.0.0.1:9/hook', '--state-dir', tmp('state'), '--out', tmp('nohook'), '--quiet'], HOSTILE_ENV, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot run: the state hook http:\/\/127\.0\.0\.1:9\/hook \(--state-hook\) cannot be reached \(ECONNREFUSED\); check the URL or leave the flag out\./);
    expect(r.results).toEqual([]);
  });

  it('a --state-hook URL that is not a hook: exit 2, one sentence', async () => {
    target = await startHostileTarget('faithful');
    const r = await runOvc(['run', '--endpoint', target.url, '--state-hook', `${target.url}/not-a-hook`, '--state-dir', tmp('state'), '--out', tmp('badhook'), '--quiet'], HOSTILE_ENV, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the state hook .* refused a set-up/);
  });

  it('a --state-hook that answers 200 to everything and does nothing: exit 2, one sentence, no case run (not 25 false FAILs)', async () => {
    target = await startHostileTarget('faithful');
    const hook = createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); }); });
    await new Promise<void>((ready) => hook.listen(0, '127.0.0.1', ready));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      const r = await runOvc(['run', '--endpoint', target.url, '--state-hook', url, '--state-dir', tmp('state'), '--out', tmp('yeshook'), '--quiet'], HOSTILE_ENV, 120_000);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^ovc: cannot run: the state hook \S+ \(--state-hook\) answered the set-up of "a vector index exists" for ovc-conformance\/ovc[0-9a-z]{9}hookprobe, but GetVectorIndex then answers 404 NoSuchVectorIndex: the hook does not act on this target; check the URL\.$/m);
      expect(r.results).toEqual([]);
      expect((await target.indexes()).filter((n) => n.endsWith('hookprobe'))).toEqual([]);
    } finally {
      await new Promise<void>((done) => hook.close(() => done()));
    }
  });

  it('a denied identity the target does not know: exit 2, one sentence', async () => {
    target = await startHostileTarget('faithful');
    const r = await runOvc(['run', '--endpoint', target.url, '--state-dir', tmp('state'), '--out', tmp('denied'), '--quiet'], { ...HOSTILE_ENV, OVC_DENIED_ACCESS_KEY_ID: 'nobody', OVC_DENIED_ACCESS_KEY_SECRET: 'x' }, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the denied identity \(OVC_DENIED_ACCESS_KEY_ID\) gets 403 InvalidAccessKeyId on GetVectorBucket/);
  });
});
