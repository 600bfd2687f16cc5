// One budget for time (issue 25 §3, docs/safety.md "The time budget"): a run that can no longer
// judge its target ends by itself — the early stop when the target answers nothing but 503 for a
// stretch, the run's --deadline — and a SIGINT ends it within 2 s whatever the target does; each
// with exit 2, one sentence, cleanup and reports. The stopped line counts every request the
// target received, exactly. The four runs go side by side (each against a target of its own): they
// mostly wait on their stretch, deadline or signal, and one after the other they held a test lane
// for ~48 s.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE_ENV, startHostileTarget, type HostileMode, type HostileTarget } from './hostile-target.ts';
import { startRun, until, type StartedRun } from './processes.ts';

const targets: HostileTarget[] = [];
afterAll(async () => { await Promise.all(targets.map((t) => t.close())); });

const tmp = (p: string): string => mkdtempSync(join(tmpdir(), `ovc-time-${p}-`));

async function startAgainst(mode: HostileMode, extra: string[], env: Record<string, string> = {}): Promise<{ run: StartedRun; out: string; target: HostileTarget }> {
  const target = await startHostileTarget(mode);
  targets.push(target);
  const out = tmp(mode);
  const run = startRun(['--endpoint', target.url, '--state-hook', target.hookUrl, '--state-dir', tmp('state'), '--out', out, '--quiet', ...extra], { ...HOSTILE_ENV, ...env });
  return { run, out, target };
}

/** The figures of "stopped after F finished case(s) and R request(s) (S by the suites)". */
function stoppedCounts(stderr: string): { finished: number; requests: number; bySuites: number } {
  const m = /the run was stopped after (\d+) finished case\(s\) and (\d+) request\(s\) \((\d+) by the suites\)/.exec(stderr);
  expect(m, stderr).not.toBeNull();
  return { finished: Number(m![1]), requests: Number(m![2]), bySuites: Number(m![3]) };
}

/** Waits until the target has answered this many requests under test (the suites are running). */
async function suitesUnderWay(run: StartedRun, target: HostileTarget, seen: number): Promise<void> {
  await until('the suites to send requests', () => {
    if (run.child.exitCode !== null) throw new Error(`the run ended early:\n${run.err()}`);
    return target.requestTimes.length >= seen;
  }, 60_000);
}

describe('the time budget', () => {
  it.concurrent('503 to everything after the preflight: the run stops by itself after the early-stop stretch, exit 2, one sentence, reports', async () => {
    const started = Date.now();
    const { run, out } = await startAgainst('all-503', ['--runs', '20'], { OVC_EARLY_STOP_MS: '3000' });
    const code = await run.done;
    expect(code).toBe(2);
    expect(run.err()).toMatch(/ovc: for \d+ s the target gave nothing but throttled answers \(503\/429\) or timeouts \(\d+ in a row\), so the run cannot judge it now: stopping the suites, then removing what the run created…/);
    stoppedCounts(run.err());
    // A 503 target kept this run going past 590 s before the early stop.
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toMatch(/"counts"/);
  }, 90_000);

  it.concurrent('one SIGINT while the target answers only 503: the run has exited within 2 s, with exit 2', async () => {
    const { run, target } = await startAgainst('all-503', ['--runs', '20']);
    await suitesUnderWay(run, target, 60);
    process.kill(run.child.pid!, 'SIGINT');
    const signalled = Date.now();
    const code = await run.done;
    const tookMs = Date.now() - signalled;
    expect(code).toBe(2);
    expect(run.err()).toMatch(/SIGINT: stopping the suites/);
    expect(tookMs, run.err()).toBeLessThan(2000);
  }, 90_000);

  // Before the suites: the preflight's requests and throttle waits end with the stop too (they
  // held a SIGINT 4–7 s against a throttling target and 14 s against a silent one).
  for (const [what, answer] of [['answers 503 to everything', 'throttle'], ['never answers', 'silent']] as const) {
    it.concurrent(`one SIGINT during the preflight, against a target that ${what}: exit 2 within 2 s, one sentence`, async () => {
      const server = createServer((req, res) => {
        req.resume();
        if (answer === 'throttle') req.on('end', () => { res.writeHead(503, { 'Content-Type': 'application/json' }); res.end('{"Code":"ServiceUnavailable"}'); });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const run = startRun(['--endpoint', url, '--state-dir', tmp('state'), '--out', tmp(answer), '--quiet'], HOSTILE_ENV);
        await until('the preflight to be under way', () => /^ovc run [0-9a-z]{9}: /m.test(run.err()), 30_000);
        await new Promise((r) => setTimeout(r, 700));
        process.kill(run.child.pid!, 'SIGINT');
        const signalled = Date.now();
        const code = await run.done;
        const tookMs = Date.now() - signalled;
        expect(code, run.err()).toBe(2);
        expect(run.err()).toMatch(/ovc: stopped during the preflight, before any case ran; anything its checks left on the target is in the ledger for the next run\./);
        expect(tookMs, run.err()).toBeLessThan(2000);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    }, 60_000);
  }

  it.concurrent('the stopped line counts every request the target received, exactly', async () => {
    const { run, target } = await startAgainst('all-503', ['--runs', '20']);
    await suitesUnderWay(run, target, 150);
    process.kill(run.child.pid!, 'SIGINT');
    await run.done;
    // Anything still on its way has arrived by now.
    await new Promise((r) => setTimeout(r, 300));
    const { requests, bySuites } = stoppedCounts(run.err());
    expect(bySuites).toBeGreaterThan(0);
    expect(requests).toBe(target.requestTimes.length);
  }, 90_000);

  it.concurrent('--deadline: a run still going when it passes stops, cleans up, reports and exits 2 with one sentence', async () => {
    const { run, out } = await startAgainst('faithful', ['--runs', '100000', '--deadline', '6s']);
    const code = await run.done;
    expect(code).toBe(2);
    expect(run.err()).toMatch(/ovc: the run's deadline \(--deadline 6s\) has passed: stopping the suites, then removing what the run created…/);
    expect(run.err()).toMatch(/nothing the run created is left/);
    // The reports cover what finished (under load, maybe nothing yet).
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  }, 90_000);
});
